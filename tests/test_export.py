"""Exports: every contract table in CSV, Parquet and JSON Lines, with matching JSON Schemas."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import jsonschema
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.export import (
    FORMATS,
    SCHEMA_DIR,
    ExportError,
    export_tables,
    guard_formula,
    json_schema,
    schema_text,
)
from pipeline.warehouse import Warehouse
from schemas.ddl import EXPORT_COLUMNS
from tests.consistency_samples import FORMULA_TEXT, HOSTILE_TEXT, build_sample_warehouse


@pytest.fixture
def exported(db_path: Path, tmp_path: Path) -> Path:
    build_sample_warehouse(db_path)
    out_dir = tmp_path / "exports"
    with Warehouse.open(db_path, read_only=True) as warehouse:
        written = export_tables(warehouse, out_dir, list(FORMATS))
    assert sorted(path.name for path in written) == sorted(
        [f"{table}.{suffix}" for table in EXPORT_COLUMNS for suffix in FORMATS]
        + [f"{table}.schema.json" for table in EXPORT_COLUMNS])
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
    for table, columns in EXPORT_COLUMNS.items():
        assert read_csv(tmp_path / f"{table}.csv") == [list(columns)]
        assert pq.read_table(tmp_path / f"{table}.parquet").column_names == list(columns)
        assert (tmp_path / f"{table}.jsonl").read_text(encoding="utf-8") == ""


def test_an_unknown_format_is_refused_before_writing(db_path: Path, tmp_path: Path) -> None:
    with Warehouse.open(db_path) as warehouse, pytest.raises(ExportError, match="xlsx"):
        export_tables(warehouse, tmp_path / "out", ["csv", "xlsx"])
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("table", list(EXPORT_COLUMNS))
def test_committed_json_schemas_match_the_contract(table: str) -> None:
    committed = (SCHEMA_DIR / f"{table}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(table), (
        f"schemas/json/{table}.schema.json is stale: run `python -m pipeline.export`")
