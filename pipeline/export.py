"""Exports other tools read: CSV, Parquet and JSON Lines for every table of the export contract
(`schemas.ddl.EXPORT_COLUMNS`), each with its JSON Schema.

One JSON Schema per table is generated from the record model (`schemas.records`) restricted to
the contract's columns; the committed copies in `schemas/json/` are checked against it by a
test (regenerate with `python -m pipeline.export`). The Parquet column types come from the same
schema, so the three formats cannot drift apart.

Choices:
- CSV is UTF-8 with a byte-order mark and CRLF line ends: Excel only reads UTF-8 (and so the
  Vietnamese diacritics) correctly when the BOM is there; every other CSV reader skips it.
  Lists are joined with "; ", booleans are `true`/`false`, dates ISO, decimals use a point.
  A text cell starting with = + - @, a tab or a carriage return is prefixed with `'` so no
  spreadsheet runs it as a formula (document text is untrusted).
- Parquet and JSON Lines keep lists as arrays, dates as dates (ISO strings in JSON), nulls as
  nulls. An empty table still yields a CSV header and a Parquet file with the full schema.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pydantic import BaseModel

from schemas.ddl import EXPORT_COLUMNS
from schemas.records import Agency, Conflict, Document, DocumentRef, Indicator, Target, Task

FORMATS = ("csv", "parquet", "jsonl")
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas" / "json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "

TABLE_MODELS: dict[str, type[BaseModel]] = {
    "documents": Document,
    "document_refs": DocumentRef,
    "targets": Target,
    "tasks": Task,
    "conflicts": Conflict,
    "indicators": Indicator,
    "agencies": Agency,
}

Row = dict[str, Any]


class ExportError(ValueError):
    """An export request that cannot be served; the message says what to ask for instead."""


# ------------------------------------------------------------------ JSON Schemas


def _inline_refs(node: Any, definitions: dict[str, Any]) -> Any:
    """Replace {"$ref": "#/$defs/X"} with X itself, so each property reads on its own."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline_refs(definitions[node["$ref"].rsplit("/", 1)[-1]], definitions)
        return {key: _inline_refs(value, definitions) for key, value in node.items()
                if key != "default"}
    if isinstance(node, list):
        return [_inline_refs(item, definitions) for item in node]
    return node


def json_schema(table: str) -> dict[str, Any]:
    """The JSON Schema of one exported row: exactly the contract's columns, all present."""
    model_schema = TABLE_MODELS[table].model_json_schema(mode="serialization")
    definitions = model_schema.get("$defs", {})
    columns = EXPORT_COLUMNS[table]
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"https://chitieu.local/schemas/{table}.schema.json",
        "title": f"chitieu export: {table}",
        "description": (f"One row of {table}.csv / .parquet / .jsonl. Every column is present; "
                        "a value the documents do not give is null."),
        "type": "object",
        "additionalProperties": False,
        "required": list(columns),
        "properties": {column: _inline_refs(model_schema["properties"][column], definitions)
                       for column in columns},
    }


def schema_text(table: str) -> str:
    return json.dumps(json_schema(table), ensure_ascii=False, indent=2) + "\n"


def write_json_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for table in EXPORT_COLUMNS:
        path = directory / f"{table}.schema.json"
        _write_atomically(path, lambda stream, table=table: stream.write(schema_text(table)),
                          encoding="utf-8")
        written.append(path)
    return written


# ------------------------------------------------------------------ column types


def _non_null(property_schema: dict[str, Any]) -> dict[str, Any]:
    """The schema of the value when present (drops the `null` branch of an anyOf)."""
    branches = property_schema.get("anyOf")
    if not branches:
        return property_schema
    return next(branch for branch in branches if branch.get("type") != "null")


def column_kind(property_schema: dict[str, Any]) -> str:
    """string, integer, number, boolean, date or array."""
    value_schema = _non_null(property_schema)
    if value_schema.get("format") == "date":
        return "date"
    return value_schema["type"]


_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "array": pa.list_(pa.string()),
}


def column_kinds(table: str) -> dict[str, str]:
    properties = json_schema(table)["properties"]
    return {column: column_kind(properties[column]) for column in EXPORT_COLUMNS[table]}


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(column, _ARROW_TYPES[kind]) for column, kind in column_kinds(table).items()])


# ------------------------------------------------------------------ rows


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT, pd.NA
    except (TypeError, ValueError):  # arrays compare element-wise
        return False


def plain_value(value: Any, kind: str) -> Any:
    """A frame cell as a plain Python value of the column's kind (None when missing)."""
    if kind == "array":
        return [] if value is None else [str(item) for item in value]
    if _is_missing(value):
        return None
    if kind == "date":
        return value.date() if isinstance(value, datetime) else date.fromisoformat(str(value)[:10])
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return bool(value)
    return str(value)


def table_rows(warehouse: Any, table: str) -> list[Row]:
    """The table's rows in the contract's column order, as plain Python values."""
    kinds = column_kinds(table)
    frame = warehouse.frame(table)
    return [
        {column: plain_value(record[column], kinds[column]) for column in kinds}
        for record in frame.to_dict("records")
    ]


# ------------------------------------------------------------------ writers


def guard_formula(text: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _number_text(value: float) -> str:
    if math.isfinite(value) and value.is_integer():
        return str(int(value))
    return repr(value)


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return guard_formula(LIST_SEPARATOR.join(value))
    return guard_formula(str(value))


def _write_atomically(path: Path, write: Callable[[Any], object], encoding: str | None = None,
                      newline: str | None = None) -> None:
    """Write next to `path` and rename, so a reader never sees half a file."""
    partial = path.with_name(path.name + ".partial")
    mode = "w" if encoding else "wb"
    with partial.open(mode, encoding=encoding, newline=newline) as stream:
        write(stream)
    os.replace(partial, path)


def write_csv(rows: list[Row], columns: Iterable[str], path: Path) -> None:
    columns = list(columns)

    def write(stream: Any) -> None:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows([csv_cell(row[column]) for column in columns] for row in rows)

    _write_atomically(path, write, encoding="utf-8-sig", newline="")


def _json_default(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_jsonl(rows: list[Row], path: Path) -> None:
    def write(stream: Any) -> None:
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")

    _write_atomically(path, write, encoding="utf-8", newline="\n")


def write_parquet(rows: list[Row], schema: pa.Schema, path: Path) -> None:
    arrow_table = pa.Table.from_pylist(rows, schema=schema)
    _write_atomically(path, lambda stream: pq.write_table(arrow_table, stream))


def export_tables(warehouse: Any, out_dir: Path, formats: list[str]) -> list[Path]:
    """Every table of the export contract in each format, plus the JSON Schemas."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ExportError(f"unknown export format {', '.join(unknown)}; "
                          f"choose from {', '.join(FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for table, columns in EXPORT_COLUMNS.items():
        rows = table_rows(warehouse, table)
        for export_format in dict.fromkeys(formats):
            path = out_dir / f"{table}.{export_format}"
            if export_format == "csv":
                write_csv(rows, columns, path)
            elif export_format == "jsonl":
                write_jsonl(rows, path)
            else:
                write_parquet(rows, arrow_schema(table), path)
            written.append(path)
    return written + write_json_schemas(out_dir)


if __name__ == "__main__":
    for schema_path in write_json_schemas(SCHEMA_DIR):
        print(schema_path)
