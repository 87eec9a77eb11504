"""`chitieu tasks` over a warehouse loaded with the real plans' tasks (no Prefect)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from extractors.metadata import read_document
from extractors.tasks import extract_tasks
from pipeline.cli import main
from pipeline.store.warehouse import Warehouse
from schemas.errors import ExitCode
from schemas.records import ExtractedDocument
from tests.conftest import PLANS
from tests.snippets import read_with_product


@pytest.fixture
def loaded_db(db_path: Path) -> Path:
    with Warehouse.open(db_path) as warehouse:
        for plan in ("kh3450", "ctr01"):
            source, lines = read_with_product(PLANS[plan])
            document, refs = read_document(source, lines)
            warehouse.load(ExtractedDocument(document=document, refs=tuple(refs),
                                             tasks=tuple(extract_tasks(document, lines))))
    return db_path


def tasks(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["tasks", *args, "--db", str(db)])


def _rows(db: Path, *args: str) -> list[dict[str, str]]:
    result = tasks(db, *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_agency_filter_accepts_any_spelling_and_says_the_role(loaded_db: Path) -> None:
    by_alias = _rows(loaded_db, "--agency", "SKHCN")
    by_name = _rows(loaded_db, "--agency", "Sở Khoa học và Công nghệ")
    assert by_alias and by_alias == by_name
    roles = {row["role"] for row in by_alias}
    assert roles <= {"chủ trì", "phối hợp"} and "chủ trì" in roles
    for row in by_alias:
        named = row["lead_agencies"] if row["role"] == "chủ trì" else row["partner_agencies"]
        assert "Khoa học và Công nghệ" in named


def test_overdue_tasks_are_past_their_date(loaded_db: Path) -> None:
    due = [date.fromisoformat(row["due_date"]) for row in _rows(loaded_db, "--overdue-on",
                                                                  "2026-07-01")]
    assert due and all(when < date(2026, 7, 1) for when in due)
    assert due == sorted(due)  # soonest first


def test_due_before_includes_the_day_itself_written_either_way(loaded_db: Path) -> None:
    due = {date.fromisoformat(row["due_date"])
           for row in _rows(loaded_db, "--due-before", "2026-06-30")}
    assert date(2026, 6, 30) in due and max(due) == date(2026, 6, 30)
    assert _rows(loaded_db, "--due-before", "30/06/2026") == _rows(
        loaded_db, "--due-before", "30/6/2026") == _rows(loaded_db, "--due-before", "2026-06-30")


def test_no_match_and_bad_date_say_so(loaded_db: Path) -> None:
    empty = tasks(loaded_db, "--agency", "Sở Không Tồn Tại")
    assert empty.exit_code == 0 and "Không có nhiệm vụ" in empty.output
    bad = tasks(loaded_db, "--due-before", "31/13/2026")
    assert bad.exit_code == ExitCode.USAGE
    assert ("Giá trị không hợp lệ cho '--due-before': «31/13/2026» không phải một ngày; viết "
            "dd/mm/yyyy (30/06/2026) hoặc yyyy-mm-dd (2026-06-30)") in bad.output


def test_the_table_fits_the_terminal_and_json_holds_the_same_tasks(
        loaded_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    table = tasks(loaded_db, "--agency", "SKHCN")
    assert table.exit_code == 0, table.output
    assert max(map(len, table.stdout.splitlines())) <= 80
    assert "Vai trò" in table.stdout.splitlines()[0]
    listed = json.loads(tasks(loaded_db, "--agency", "SKHCN", "--format", "json").stdout)
    assert [(row["doc_id"], str(row["line"])) for row in listed] == [
        (row["doc_id"], row["line"]) for row in _rows(loaded_db, "--agency", "SKHCN")]


def test_missing_warehouse_is_one_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["tasks", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == ExitCode.WAREHOUSE
    assert "chitieu ingest" in result.output
