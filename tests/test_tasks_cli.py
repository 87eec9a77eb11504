"""`chitieu tasks` over a warehouse loaded with the real plans' tasks (no Prefect)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

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


def _rows(output: str) -> list[list[str]]:
    return [row.split("\t") for row in output.splitlines() if "\t" in row]


def test_agency_filter_accepts_any_spelling(loaded_db: Path) -> None:
    by_alias = CliRunner().invoke(main, ["tasks", "--agency", "SKHCN", "--db", str(loaded_db)])
    by_name = CliRunner().invoke(main, ["tasks", "--agency", "Sở Khoa học và Công nghệ",
                                        "--db", str(loaded_db)])
    assert by_alias.exit_code == 0, by_alias.output
    assert _rows(by_alias.output) and _rows(by_alias.output) == _rows(by_name.output)


def test_overdue_tasks_are_past_their_date(loaded_db: Path) -> None:
    result = CliRunner().invoke(main, ["tasks", "--overdue-on", "2026-07-01",
                                       "--db", str(loaded_db)])
    due = [date.fromisoformat(row[1]) for row in _rows(result.output)]
    assert due and all(when < date(2026, 7, 1) for when in due)
    assert due == sorted(due)  # soonest first


def test_due_before_includes_the_day_itself(loaded_db: Path) -> None:
    result = CliRunner().invoke(main, ["tasks", "--due-before", "2026-06-30",
                                       "--db", str(loaded_db)])
    due = {date.fromisoformat(row[1]) for row in _rows(result.output)}
    assert date(2026, 6, 30) in due and max(due) == date(2026, 6, 30)


def test_no_match_and_bad_date_say_so(loaded_db: Path) -> None:
    empty = CliRunner().invoke(main, ["tasks", "--agency", "Sở Không Tồn Tại",
                                      "--db", str(loaded_db)])
    assert empty.exit_code == 0 and "Không có nhiệm vụ" in empty.output
    bad = CliRunner().invoke(main, ["tasks", "--due-before", "30/6/2026",
                                    "--db", str(loaded_db)])
    assert bad.exit_code == 2 and "--due-before" in bad.output


def test_missing_warehouse_is_one_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["tasks", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == ExitCode.WAREHOUSE
    assert "chitieu ingest" in result.output
