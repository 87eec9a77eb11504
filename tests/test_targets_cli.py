"""`chitieu targets`, `chitieu indicators` and `chitieu eval extract` on a warehouse loaded
with the real plans (extracted and linked without a flow, so no Prefect server)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractors.metadata import read_document
from extractors.targets import extract_targets
from pipeline.cli import main
from pipeline.link.indicators import link_indicators
from pipeline.store.warehouse import Warehouse
from schemas.errors import ExitCode
from schemas.records import ExtractedDocument
from tests.conftest import PLANS
from tests.snippets import read_with_product


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("warehouse") / "chitieu.duckdb"
    with Warehouse.open(db_path) as warehouse:
        for name in ("kh08", "kh3450"):
            source, lines = read_with_product(PLANS[name])
            document, refs = read_document(source, lines)
            keyed = [line.model_copy(update={"doc_id": document.doc_id}) for line in lines]
            warehouse.load(ExtractedDocument(document=document, refs=tuple(refs),
                                             lines=tuple(keyed),
                                             targets=tuple(extract_targets(document, keyed))))
        targets = warehouse.targets()
        indicators, links = link_indicators(targets, None)
        warehouse.replace_catalog(indicators, links, [])
    return db_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_targets_filtered_by_indicator_without_diacritics_and_year(loaded: Path) -> None:
    code, output = run("targets", "--db", str(loaded), "--indicator", "phu song 5G",
                       "--year", "2026")
    assert code == 0
    rows = [line for line in output.splitlines() if "3450-KH-UBND:" in line or "08-KH-TU:" in line]
    assert len(rows) == 1 and "≥ 70 %" in rows[0]
    assert "Ngưỡng" in output and "1 chỉ tiêu." in output
    code, output = run("targets", "--db", str(loaded), "--indicator", "phu song 5G",
                       "--year", "2026", "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(output.split("\n1 chỉ tiêu.")[0]))
    assert row["threshold"] == "≥ 70 %" and row["owner_agency"] == "Sở Khoa học và Công nghệ"
    assert row["doc_id"] == "3450-KH-UBND" and row["indicator_id"]


def test_targets_of_one_indicator_across_plans_and_years(loaded: Path) -> None:
    code, output = run("targets", "--db", str(loaded), "--indicator", "5G")
    assert code == 0
    assert "08-KH-TU:53" in output and "3450-KH-UBND:115" in output
    assert "≥ 60 %" in output and "= 100 %" in output
    code, output = run("targets", "--db", str(loaded), "--indicator", "vạn dân",
                       "--year", "2025")
    assert "≥ 6 người/vạn dân" in output


def test_targets_says_when_nothing_matches(loaded: Path) -> None:
    code, output = run("targets", "--db", str(loaded), "--year", "1999")
    assert code == 0 and "Không có chỉ tiêu nào" in output


def test_targets_without_a_warehouse_says_what_to_do(tmp_path: Path) -> None:
    code, output = run("targets", "--db", str(tmp_path / "none.duckdb"))
    assert code == ExitCode.WAREHOUSE and "chitieu ingest" in output


def test_indicators_with_review(loaded: Path) -> None:
    code, output = run("indicators", "--db", str(loaded), "--review")
    assert code == 0
    assert "phu_song_5g_pct" in output
    assert "Cần xem lại" in output and "khác ký hiệu riêng" in output  # 5G vs 6G kept apart


def test_eval_extract_prints_the_scores(loaded: Path) -> None:
    code, output = run("eval", "extract", "--db", str(loaded), "--details")
    assert code == 0
    target_line = next(line for line in output.splitlines() if line.startswith("Chỉ tiêu:"))
    link_line = next(line for line in output.splitlines() if line.startswith("Liên kết"))
    assert float(target_line.split("F1 ")[1].split()[0]) >= 0.95
    assert float(link_line.split("F1 ")[1].split()[0]) >= 0.95


def test_eval_extract_needs_the_key_documents(tmp_path: Path) -> None:
    db_path = tmp_path / "empty.duckdb"
    with Warehouse.open(db_path):
        pass
    code, output = run("eval", "extract", "--db", str(db_path))
    assert code == ExitCode.WAREHOUSE and "chitieu run raw/" in output
