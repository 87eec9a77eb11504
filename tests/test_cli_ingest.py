"""The foundation contract end to end: `chitieu run/ingest/docs/export` on the real plans."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from pipeline.cli import main
from pipeline.present.report import CHANGES_LISTED
from pipeline.store.warehouse import Warehouse
from schemas.ddl import EXPORT_COLUMNS
from tests.conftest import PLANS, RAW

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]


def _chitieu(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _export_snapshot(db_path: Path) -> dict[str, str]:
    with Warehouse.open(db_path, read_only=True) as warehouse:
        return {table: warehouse.frame(table).to_csv(index=False) for table in EXPORT_COLUMNS}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Path:
    """The four plans run once through `chitieu run`; tests copy the warehouse they change."""
    out_dir = tmp_path_factory.mktemp("run")
    result = _chitieu("run", str(RAW), "--out", str(out_dir), "--db", str(out_dir / "w.duckdb"))
    assert result.exit_code == 0, result.output
    return out_dir


@pytest.fixture
def warehouse_copy(loaded: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "w.duckdb"
    shutil.copy(loaded / "w.duckdb", copy)
    return copy


def test_run_loads_the_four_plans_with_their_metadata(loaded: Path) -> None:
    with Warehouse.open(loaded / "w.duckdb", read_only=True) as warehouse:
        documents = {document.number: document for document in warehouse.documents()}
    assert {"08-KH/TU", "3450/KH-UBND", "01-CTr/BCĐ"} <= set(documents)
    assert str(documents["08-KH/TU"].issued_on) == "2025-08-29"
    assert str(documents["01-CTr/BCĐ"].issued_on) == "2026-03-20"
    assert str(documents["3450/KH-UBND"].issued_on) == "2026-03-17"
    assert documents["3450/KH-UBND"].issuer == "Ủy ban nhân dân tỉnh"
    assert len(documents) == 4


def test_run_writes_report_and_every_export_with_contract_columns(loaded: Path) -> None:
    assert (loaded / "report.html").exists()
    for table, columns in EXPORT_COLUMNS.items():
        frame = pd.read_csv(loaded / "exports" / f"{table}.csv")
        assert tuple(frame.columns) == columns
        assert (loaded / "exports" / f"{table}.parquet").exists()
        assert (loaded / "exports" / f"{table}.jsonl").exists()


def test_docs_lists_loaded_documents(loaded: Path) -> None:
    result = _chitieu("docs", "--db", str(loaded / "w.duckdb"))
    assert result.exit_code == 0
    assert "3450/KH-UBND" in result.output and "08-KH/TU" in result.output


def test_unchanged_rerun_is_a_no_op_that_starts_no_flow(
    loaded: Path, warehouse_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _export_snapshot(warehouse_copy)
    monkeypatch.setitem(sys.modules, "pipeline.run.flows", None)  # importing it would fail
    result = _chitieu("run", str(RAW), "--out", str(loaded), "--db", str(warehouse_copy))
    assert result.exit_code == 0, result.output
    assert "4 tệp không đổi" in result.output
    assert _export_snapshot(warehouse_copy) == before


def test_changed_document_replaces_its_older_version(warehouse_copy: Path, tmp_path: Path
                                                     ) -> None:
    changed = tmp_path / PLANS["kh08"].name
    text = PLANS["kh08"].read_text(encoding="utf-8")
    changed.write_text(text.replace("Có ≥ 12 doanh nghiệp", "Có ≥ 13 doanh nghiệp"),
                       encoding="utf-8")
    result = _chitieu("ingest", str(changed), "--db", str(warehouse_copy))
    assert result.exit_code == 0, result.output
    with Warehouse.open(warehouse_copy, read_only=True) as warehouse:
        versions = [d for d in warehouse.documents() if d.number == "08-KH/TU"]
        values = {t.value for t in warehouse.targets() if t.doc_id == versions[0].doc_id
                  and "doanh nghiệp khoa học và công nghệ trên địa bàn" in t.indicator_text}
    assert len(versions) == 1 and versions[0].source_path == str(changed)
    assert 13 in values and 12 not in values


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "rỗng"),
        ("junk.txt", bytes(range(256)) * 8, "không phải tệp văn bản"),
    ],
)
def test_bad_file_is_named_and_leaves_warehouse_unchanged(
    warehouse_copy: Path, tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    before = _export_snapshot(warehouse_copy)
    result = CliRunner().invoke(main, ["ingest", str(bad), "--db", str(warehouse_copy)])
    assert result.exit_code != 0
    assert name in result.output and reason in result.output.lower()
    assert _export_snapshot(warehouse_copy) == before


def test_missing_path_is_a_clear_error(warehouse_copy: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["ingest", str(tmp_path / "khong-co.pdf"), "--db", str(warehouse_copy)])
    assert result.exit_code == 1
    assert "khong-co.pdf: không có tệp hay thư mục này" in result.output


def test_run_that_adds_a_plan_prints_what_changed_since_the_previous_check(tmp_path: Path
                                                                           ) -> None:
    db = str(tmp_path / "w.duckdb")
    first = _chitieu("run", str(PLANS["kh08"]), "--out", str(tmp_path), "--db", db)
    assert first.exit_code == 0, first.output
    assert "so với lần kiểm tra trước" not in first.output  # nothing to compare to yet
    with Warehouse.open(Path(db), read_only=True) as warehouse:
        before = {conflict.conflict_id for conflict in warehouse.conflicts()}

    second = _chitieu("run", str(PLANS["kh08"]), str(PLANS["kh3450"]), "--out", str(tmp_path),
                      "--db", db)

    assert second.exit_code == 0, second.output
    with Warehouse.open(Path(db), read_only=True) as warehouse:
        now = warehouse.conflicts()
    new = [conflict for conflict in now if conflict.conflict_id not in before]
    resolved = before - {conflict.conflict_id for conflict in now}
    assert any("3450-KH-UBND" in (conflict.doc_id_a, conflict.doc_id_b) for conflict in new)
    assert (f"Mâu thuẫn mới so với lần kiểm tra trước: {len(new)}; đã hết: {len(resolved)}; "
            "thay đổi: 0") in second.output
    shown = new[0]
    assert f"  - Mới: {shown.explanation}\n" in second.output
    assert second.output.count("  - Mới: ") == min(len(new), CHANGES_LISTED)
