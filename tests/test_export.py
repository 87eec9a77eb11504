"""Exports: every contract table in CSV, Parquet, JSON Lines and one Excel workbook, with
matching JSON Schemas; every format carries the same enumerations, numbers and dates."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import jsonschema
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.check.consistency import check_warehouse
from pipeline.present.export import (
    FORMATS,
    LIST_SEPARATOR,
    SCHEMA_DIR,
    WORKBOOK_NAME,
    ExportError,
    column_kinds,
    export_tables,
    guard_formula,
    json_schema,
    schema_text,
)
from pipeline.store.warehouse import Warehouse
from schemas.ddl import EXPORT_COLUMNS, TABLE
from tests.conftest import PLANS
from tests.consistency_samples import (
    FORMULA_TEXT,
    HOSTILE_TEXT,
    build_sample_warehouse,
    load_plans,
)
from tests.xlsx_reader import read_workbook

PER_TABLE_FORMATS = [name for name in FORMATS if name != "xlsx"]


@pytest.fixture
def exported(db_path: Path, tmp_path: Path) -> Path:
    build_sample_warehouse(db_path)
    out_dir = tmp_path / "exports"
    with Warehouse.open(db_path, read_only=True) as warehouse:
        written = export_tables(warehouse, out_dir, list(FORMATS))
    assert sorted(path.name for path in written) == sorted(
        [f"{table}.{suffix}" for table in EXPORT_COLUMNS for suffix in PER_TABLE_FORMATS]
        + [f"{table}.schema.json" for table in EXPORT_COLUMNS] + [WORKBOOK_NAME])
    return out_dir


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def test_csv_has_exactly_the_contract_columns_and_neutralises_formulas(exported: Path) -> None:
    for table, columns in EXPORT_COLUMNS.items():
        assert read_csv(exported / f"{table}.csv")[0] == list(columns)

    header, *rows = read_csv(exported / "targets.csv")
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    hostile = by_id["700-KH-UBND-42-2027"]
    assert hostile["indicator_text"] == "'" + FORMULA_TEXT
    assert hostile["source_text"] == "'- " + FORMULA_TEXT  # a leading "-" is a formula too
    assert hostile["value"] == "5" and hostile["per_year"] == "false"
    fibre = by_id["11-KH-TU-20-2027"]
    assert fibre["indicator_text"] == "Tỷ lệ hộ gia đình dùng cáp quang"
    assert fibre["value_max"] == ""
    assert by_id["700-KH-UBND-40-2030"]["comparator"] == "="  # an enumeration: never guarded

    header, *rows = read_csv(exported / "tasks.csv")
    tasks = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert tasks["t-11-30"]["title"] == f"Xây dựng cổng dữ liệu mở {HOSTILE_TEXT}"
    assert tasks["t-11-30"]["due_date"] == "2027-03-31"
    assert tasks["t-700-51"]["partner_agencies"] == "Sở Tư pháp"
    assert tasks["t-700-50"]["recurring"] == "true"


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_every_formula_start_is_guarded(cell: str) -> None:
    assert guard_formula(cell) == "'" + cell
    assert guard_formula("Sở Tài chính") == "Sở Tài chính"


def test_parquet_keeps_types_and_lists(exported: Path) -> None:
    tasks = pq.read_table(exported / "tasks.parquet")
    assert tasks.column_names == list(EXPORT_COLUMNS["tasks"])
    assert tasks.schema.field("lead_agencies").type == pa.list_(pa.string())
    assert tasks.schema.field("due_date").type == pa.date32()
    rows = {row["task_id"]: row for row in tasks.to_pylist()}
    assert rows["t-700-51"]["lead_agencies"] == ["Sở KH&CN"]
    assert rows["t-11-30"]["due_date"] == date(2027, 3, 31)
    assert rows["t-700-50"]["due_date"] is None

    targets = pq.read_table(exported / "targets.parquet")
    assert targets.schema.field("value").type == pa.float64()
    assert targets.schema.field("target_year").type == pa.int64()
    assert targets.num_rows == 7


def test_jsonl_rows_validate_against_the_json_schemas(exported: Path) -> None:
    for table in EXPORT_COLUMNS:
        schema = json.loads((exported / f"{table}.schema.json").read_text(encoding="utf-8"))
        validator = jsonschema.Draft202012Validator(schema)
        rows = [json.loads(line) for line in
                (exported / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()]
        for row in rows:
            validator.validate(row)
            assert list(row) == list(EXPORT_COLUMNS[table])
    conflicts = [json.loads(line) for line in
                 (exported / "conflicts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(row["kind"] for row in conflicts) == ["cross_doc", "regression"]


def test_a_row_breaking_the_contract_fails_its_schema() -> None:
    validator = jsonschema.Draft202012Validator(json_schema("tasks"))
    assert not validator.is_valid({"task_id": "t1"})  # columns missing
    row = {column: None for column in EXPORT_COLUMNS["agencies"]}
    assert not jsonschema.Draft202012Validator(json_schema("agencies")).is_valid(row)


def test_empty_tables_still_carry_their_columns(db_path: Path, tmp_path: Path) -> None:
    with Warehouse.open(db_path) as warehouse:
        export_tables(warehouse, tmp_path, list(FORMATS))
    sheets = read_workbook(tmp_path / WORKBOOK_NAME)
    for table, columns in EXPORT_COLUMNS.items():
        assert read_csv(tmp_path / f"{table}.csv") == [list(columns)]
        assert pq.read_table(tmp_path / f"{table}.parquet").column_names == list(columns)
        assert (tmp_path / f"{table}.jsonl").read_text(encoding="utf-8") == ""
        assert sheets[table].rows == [list(columns)]


def test_an_unknown_format_is_refused_before_writing(db_path: Path, tmp_path: Path) -> None:
    with Warehouse.open(db_path) as warehouse, pytest.raises(ExportError, match="ods"):
        export_tables(warehouse, tmp_path / "out", ["csv", "ods"])
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("table", list(EXPORT_COLUMNS))
def test_committed_json_schemas_match_the_contract(table: str) -> None:
    committed = (SCHEMA_DIR / f"{table}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(table), (
        f"schemas/json/{table}.schema.json is stale: run `python -m pipeline.present.export`")


# ------------------------------------------------------------------ the formats agree


def csv_typed(cell: str, kind: str) -> object:
    """A CSV cell read back as the value of its column's kind, as a consumer would; a list
    stays its joined text (an item may itself hold the separator)."""
    if cell == "":
        return None
    readers = {"integer": int, "number": float, "boolean": lambda text: text == "true",
               "date": date.fromisoformat}
    return readers.get(kind, str)(cell)


def csv_rows(path: Path, table: str) -> list[dict[str, object]]:
    header, *rows = read_csv(path)
    kinds = column_kinds(table)
    return [{column: csv_typed(cell, kinds[column])
             for column, cell in zip(header, row, strict=True)} for row in rows]


def as_spreadsheet_holds(value: object, kind: str, guarded: bool) -> object:
    """A typed value as a CSV or workbook cell holds it: a list joined, an empty one blank,
    a free-text CSV cell behind its guard."""
    if kind == "array":
        value = LIST_SEPARATOR.join(value) or None
    return guard_formula(value) if guarded and value else value


def assert_formats_agree(out_dir: Path) -> None:
    sheets = read_workbook(out_dir / WORKBOOK_NAME)
    for table, columns in EXPORT_COLUMNS.items():
        jsonl = [json.loads(line) for line in
                 (out_dir / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()]
        parquet = pq.read_table(out_dir / f"{table}.parquet").to_pylist()
        from_csv = csv_rows(out_dir / f"{table}.csv", table)
        header, *from_xlsx = sheets[table].rows
        assert header == list(columns)
        assert len(jsonl) == len(parquet) == len(from_csv) == len(from_xlsx)
        kinds = column_kinds(table)
        validator = jsonschema.Draft202012Validator(
            json.loads((out_dir / f"{table}.schema.json").read_text(encoding="utf-8")))
        for json_row, parquet_row, csv_row, xlsx_cells in zip(jsonl, parquet, from_csv,
                                                              from_xlsx, strict=True):
            validator.validate({column: csv_as_json(value, kinds[column])
                                for column, value in csv_row.items()})
            for column, xlsx_cell in zip(columns, xlsx_cells, strict=True):
                value = parquet_row[column]
                assert json_row[column] == (value.isoformat() if isinstance(value, date)
                                            else value), (table, column)
                assert xlsx_cell == as_spreadsheet_holds(value, kinds[column], False), (
                    table, column)
                assert csv_row[column] == as_spreadsheet_holds(
                    value, kinds[column], column in TABLE[table].free_text), (table, column)


def csv_as_json(value: object, kind: str) -> object:
    """A CSV cell as the JSON value its schema describes."""
    if kind == "array":
        return value.split(LIST_SEPARATOR) if value else []
    return value.isoformat() if isinstance(value, date) else value


def test_csv_parquet_jsonl_and_xlsx_agree_cell_for_cell(exported: Path) -> None:
    assert_formats_agree(exported)


def test_the_workbook_has_typed_cells_a_frozen_header_filters_and_no_formula(
        exported: Path) -> None:
    sheets = read_workbook(exported / WORKBOOK_NAME)
    assert list(sheets) == list(EXPORT_COLUMNS)
    for table, sheet in sheets.items():
        assert sheet.frozen_rows == 1 and sheet.autofilter, table
        assert sheet.formulas == 0, table
    header, *rows = sheets["targets"].rows
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    hostile = by_id["700-KH-UBND-42-2027"]
    assert hostile["indicator_text"] == FORMULA_TEXT  # text, stored as text
    assert hostile["value"] == 5.0 and hostile["per_year"] is False
    header, *rows = sheets["tasks"].rows
    due = {row[0]: dict(zip(header, row, strict=True))["due_date"] for row in rows}
    assert due["t-11-30"] == date(2027, 3, 31) and due["t-700-50"] is None


def test_conflicts_carry_both_thresholds_as_numbers(exported: Path) -> None:
    rows = [json.loads(line) for line in
            (exported / "conflicts.jsonl").read_text(encoding="utf-8").splitlines()]
    cross = next(row for row in rows if row["kind"] == "cross_doc")
    assert (cross["comparator_a"], cross["value_a"], cross["unit_a"], cross["year_a"]) == (
        ">=", 85.0, "%", 2027)
    assert (cross["comparator_b"], cross["value_b"], cross["unit_b"], cross["year_b"]) == (
        ">=", 75.0, "%", 2027)
    assert "85" in cross["explanation"] and "75" in cross["explanation"]


def test_document_refs_are_exported(exported: Path) -> None:
    rows = [json.loads(line) for line in
            (exported / "document_refs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(row["doc_id"], row["ref_number"], row["relation"]) for row in rows] == [
        ("700-KH-UBND", "11-KH/TU", "basis")]


@pytest.mark.parametrize("table", list(EXPORT_COLUMNS))
def test_every_schema_field_is_described_and_the_guard_documented(table: str) -> None:
    schema = json_schema(table)
    for column, prop in schema["properties"].items():
        assert prop["description"].strip(), (table, column)
        assert prop.get("x-csv-formula-guard", False) == (column in TABLE[table].free_text)
    for column in TABLE[table].free_text:
        assert column in schema["description"]


@pytest.mark.slow
def test_the_four_plans_export_alike_in_every_format(tmp_path: Path) -> None:
    """On the real plans: comparators `=` (many targets say "đạt 100%") are written as they
    are, and every format agrees and validates."""
    db_path = tmp_path / "chitieu.duckdb"
    load_plans(db_path, list(PLANS.values()), tmp_path / "models")
    with Warehouse.open(db_path) as warehouse:
        check_warehouse(warehouse)
        export_tables(warehouse, tmp_path / "exports", list(FORMATS))
    assert_formats_agree(tmp_path / "exports")
    header, *rows = read_csv(tmp_path / "exports" / "targets.csv")
    comparators = [row[header.index("comparator")] for row in rows]
    assert "=" in comparators and not any(value.startswith("'") for value in comparators)
    refs = (tmp_path / "exports" / "document_refs.jsonl").read_text(encoding="utf-8")
    assert '"relation": "amends"' in refs  # KH 22 names the plan that amends it
