"""`chitieu ingest --dask-workers 2` on a generated scan: page OCR and the flow's tasks run on
a local two-worker Dask cluster through prefect-dask, and the plan lands in the warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.dev.documents import make_scan
from pipeline.store.warehouse import Warehouse
from schemas.records import TextSource
from tests.conftest import PLANS

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]


def test_ingest_of_a_scan_on_a_local_dask_cluster(tmp_path: Path, db_path: Path) -> None:
    scan = tmp_path / "kh-08-KH-TU-2025-08-29.pdf"
    make_scan(PLANS["kh08"], scan, pages=2)
    result = CliRunner().invoke(
        main, ["ingest", "--dask-workers", "2", str(scan), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "trang 2/2" in result.output  # both pages came back from the cluster
    with Warehouse.open(db_path, read_only=True) as warehouse:
        documents = warehouse.documents()
        lines = warehouse.lines()
    assert [document.number for document in documents] == ["08-KH/TU"]
    assert documents[0].text_source == TextSource.OCR and documents[0].page_count == 2
    assert {line.page for line in lines} == {1, 2}
    assert all(len(line.word_confidences or ()) == len(line.raw_text.split()) for line in lines)
    assert any("Ban Thường vụ Tỉnh ủy" in line.text for line in lines)
