"""Exports other tools read: CSV, Parquet and JSON Lines for every table of the export contract
(`schemas.ddl.EXPORT_COLUMNS`, from each table's `TableSpec`), each with its JSON Schema, and
one Excel workbook with a sheet per table.

One JSON Schema per table is generated from the record model (`schemas.records`) restricted to
the contract's columns; the committed copies in `schemas/json/` are checked against it by a
test (regenerate with `python -m pipeline.present.export`). The Parquet column types come
from the same schema, so the three formats cannot drift apart.

Choices:
- CSV is UTF-8 with a byte-order mark and CRLF line ends: Excel only reads UTF-8 (and so the
  Vietnamese diacritics) correctly when the BOM is there; every other CSV reader skips it.
  Lists are joined with "; ", booleans are `true`/`false`, dates ISO, decimals use a point.
  A cell of a free-text column (`TableSpec.free_text`: text copied from documents)
  starting with = + - @, a tab or a carriage return is prefixed with `'` so no spreadsheet
  runs it as a formula (document text is untrusted). Identifiers, enumerations (a comparator
  `=`), numbers and dates are never altered: every format carries the same value.
- Parquet and JSON Lines keep lists as arrays, dates as dates (ISO strings in JSON), nulls as
  nulls. An empty table still yields a CSV header and a Parquet file with the full schema.
- The workbook has typed cells (numbers, dates, booleans), every text written as a string that
  Excel never evaluates (no formula, URL or number conversion), a frozen header and filters.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

import schemas
from pipeline.check.rules import KIND_LABELS
from pipeline.present.publish import write_file
from schemas.ddl import EXPORT_COLUMNS, TABLE
from schemas.errors import ChitieuError, ExitCode

FORMATS = ("csv", "parquet", "jsonl", "xlsx")
WORKBOOK_NAME = "chitieu.xlsx"
SCHEMA_DIR = Path(schemas.__file__).resolve().parent / "json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "

Row = dict[str, Any]


class ExportError(ChitieuError, ValueError):
    """An export request that cannot be served; the message says what to ask for instead."""

    exit_code = ExitCode.USAGE


# ------------------------------------------------------------------ JSON Schemas


def _inline_refs(node: Any, definitions: dict[str, Any]) -> Any:
    """Replace {"$ref": "#/$defs/X"} with X itself, so each property reads on its own; drop
    pydantic's defaults and English titles (each property carries a Vietnamese description)."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline_refs(definitions[node["$ref"].rsplit("/", 1)[-1]], definitions)
        return {key: _inline_refs(value, definitions) for key, value in node.items()
                if key not in ("default", "title")}
    if isinstance(node, list):
        return [_inline_refs(item, definitions) for item in node]
    return node


FORMULA_GUARD_NOTE = ("Văn bản tự do: trong CSV, ô bắt đầu bằng = + - @, tab hoặc xuống dòng "
                      "được thêm ' phía trước để bảng tính không chạy nó như công thức.")


# Enumerations whose values the check defines: each value with what a reader calls it, read
# from the rules themselves, so a new rule describes itself in the schema.
ENUM_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("conflicts", "kind"): {kind.value: label for kind, label in KIND_LABELS.items()},
}


def _property_schema(table: str, column: str, model_property: dict[str, Any],
                     definitions: dict[str, Any]) -> dict[str, Any]:
    described = {"description": TABLE[table].columns[column],
                 **_inline_refs(model_property, definitions)}
    if labels := ENUM_LABELS.get((table, column)):
        described["description"] += " " + "; ".join(
            f"{value}: {label}" for value, label in labels.items()) + "."
        described["x-enum-labels"] = labels
    if column in TABLE[table].free_text:
        described["description"] += " " + FORMULA_GUARD_NOTE
        described["x-csv-formula-guard"] = True
    return described


def json_schema(table: str) -> dict[str, Any]:
    """The JSON Schema of one exported row: exactly the contract's columns, all present."""
    model = TABLE[table].model
    assert model is not None, table  # every exported table names its record
    model_schema = model.model_json_schema(mode="serialization")
    definitions = model_schema.get("$defs", {})
    columns = EXPORT_COLUMNS[table]
    guarded = [column for column in columns if column in TABLE[table].free_text]
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"https://chitieu.local/schemas/{table}.schema.json",
        "title": f"chitieu: bảng {table}",
        "description": (f"Một dòng của {table}.csv / .parquet / .jsonl và trang tính {table} "
                        f"của {WORKBOOK_NAME}. Mọi cột đều có; giá trị văn bản không ghi là "
                        f"null (ô trống trong CSV). Cột chống công thức trong CSV: "
                        f"{', '.join(guarded) or 'không có'}; các cột khác giữ nguyên giá trị."),
        "type": "object",
        "additionalProperties": False,
        "required": list(columns),
        "properties": {column: _property_schema(table, column, model_schema["properties"][column],
                                                definitions)
                       for column in columns},
    }


def schema_text(table: str) -> str:
    return json.dumps(json_schema(table), ensure_ascii=False, indent=2) + "\n"


def write_json_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for table in EXPORT_COLUMNS:
        path = directory / f"{table}.schema.json"
        write_file(path, lambda stream, table=table: stream.write(schema_text(table)),
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


def csv_cell(value: Any, free_text: bool) -> str:
    """A cell as CSV text; only a free-text cell is guarded against formulas."""
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
    text = LIST_SEPARATOR.join(value) if isinstance(value, list) else str(value)
    return guard_formula(text) if free_text else text


def write_csv(rows: list[Row], columns: Iterable[str], path: Path,
              free_text: frozenset[str] = frozenset()) -> None:
    columns = list(columns)

    def write(stream: Any) -> None:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows([csv_cell(row[column], column in free_text) for column in columns]
                         for row in rows)

    write_file(path, write, encoding="utf-8-sig", newline="")


def _json_default(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_jsonl(rows: list[Row], path: Path) -> None:
    def write(stream: Any) -> None:
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")

    write_file(path, write, encoding="utf-8", newline="\n")


def write_parquet(rows: list[Row], schema: pa.Schema, path: Path) -> None:
    arrow_table = pa.Table.from_pylist(rows, schema=schema)
    write_file(path, lambda stream: pq.write_table(arrow_table, stream))


WORKBOOK_OPTIONS = {
    # Text from documents is data: never a formula, a link or a number.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_date_format": "dd/mm/yyyy",
    "constant_memory": True,  # rows go to disk as written: a large corpus fits
}
MAX_COLUMN_WIDTH = 60


def _column_width(column: str, rows: list[Row]) -> int:
    longest = max((len(csv_cell(row[column], False)) for row in rows[:200]), default=0)
    return min(max(len(column), longest) + 2, MAX_COLUMN_WIDTH)


def _write_sheet(workbook: Any, table: str, rows: list[Row]) -> None:
    sheet = workbook.add_worksheet(table)
    columns = list(EXPORT_COLUMNS[table])
    kinds = column_kinds(table)
    header = workbook.add_format({"bold": True})
    for index, column in enumerate(columns):
        sheet.set_column(index, index, _column_width(column, rows))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    for index, column in enumerate(columns):
        sheet.write_string(0, index, column, header)
    for row_index, row in enumerate(rows, start=1):
        for index, column in enumerate(columns):
            _write_cell(sheet, row_index, index, row[column], kinds[column])


def _write_cell(sheet: Any, row: int, col: int, value: Any, kind: str) -> None:
    if value is None or value == []:
        return
    if kind in ("integer", "number"):
        sheet.write_number(row, col, value)
    elif kind == "boolean":
        sheet.write_boolean(row, col, value)
    elif kind == "date":
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day))
    else:
        sheet.write_string(row, col, csv_cell(value, False))


def write_workbook(tables: dict[str, list[Row]], path: Path) -> None:
    """One sheet per table, in the contract's order."""
    def write(stream: Any) -> None:
        workbook = xlsxwriter.Workbook(stream, WORKBOOK_OPTIONS)
        for table, rows in tables.items():
            _write_sheet(workbook, table, rows)
        workbook.close()

    write_file(path, write)


def export_tables(warehouse: Any, out_dir: Path, formats: list[str]) -> list[Path]:
    """Every table of the export contract in each format, plus the JSON Schemas."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ExportError(f"định dạng xuất không có: {', '.join(unknown)}; "
                          f"hãy chọn trong {', '.join(FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    tables = {table: table_rows(warehouse, table) for table in EXPORT_COLUMNS}
    file_per_table = [name for name in dict.fromkeys(formats) if name != "xlsx"]
    for table, rows in tables.items():
        for export_format in file_per_table:
            path = out_dir / f"{table}.{export_format}"
            if export_format == "csv":
                write_csv(rows, EXPORT_COLUMNS[table], path, TABLE[table].free_text)
            elif export_format == "jsonl":
                write_jsonl(rows, path)
            else:
                write_parquet(rows, arrow_schema(table), path)
            written.append(path)
    if "xlsx" in formats:
        write_workbook(tables, out_dir / WORKBOOK_NAME)
        written.append(out_dir / WORKBOOK_NAME)
    return written + write_json_schemas(out_dir)


if __name__ == "__main__":
    for schema_path in write_json_schemas(SCHEMA_DIR):
        print(schema_path)
