"""`chitieu ingest --dask-workers 2` on a generated scan: page OCR and the flow's tasks run on
a local two-worker Dask cluster through prefect-dask, and the plan lands in the warehouse; a
run killed meanwhile leaves no process behind."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.dev.documents import make_scan
from pipeline.store.warehouse import Warehouse
from schemas.records import TextSource
from tests.conftest import PLANS, REPO, chitieu_environment
from tests.test_bad_inputs import _alive, _command_line, _live_descendants

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


@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGTERM],
                         ids=["SIGKILL", "SIGTERM"])
def test_a_killed_run_on_a_local_dask_cluster_leaves_no_process_behind(
        tmp_path: Path, signal_number: signal.Signals) -> None:
    """`chitieu ingest --dask-workers 2` killed while a worker's Tesseract reads a page: the
    workers (Dask's own pipe to their parent ends them), the resource tracker, the Prefect
    server and Tesseract (a parent-death signal: it went on to the end of its page, a few
    seconds, its page image left in /tmp) are all gone within 2 s."""
    scan = tmp_path / "kh-08-KH-TU-2025-08-29.pdf"
    make_scan(PLANS["kh08"], scan, pages=4)
    run = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "ingest", "--dask-workers", "2", str(scan),
         "--db", str(tmp_path / "w.duckdb")],
        cwd=REPO, env=chitieu_environment(tmp_path), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    started: dict[int, str] = {}
    while not any(command.startswith("tesseract") for command in started.values()):
        assert run.poll() is None and time.monotonic() < deadline, "no page was read"
        time.sleep(0.05)
        started = _live_descendants(run.pid)
    assert sum("spawn_main" in command for command in started.values()) >= 2, started
    run.send_signal(signal_number)
    run.wait(timeout=60)
    deadline = time.monotonic() + 2
    while (left := [pid for pid, command in started.items()
                    if _alive(pid) and _command_line(pid) == command]) and (
            time.monotonic() < deadline):
        time.sleep(0.1)
    assert left == [], [started[pid] for pid in left]
