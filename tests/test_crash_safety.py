"""SIGKILL in the middle of `chitieu ingest`: the warehouse holds either what it held before or
the whole document, never part of it, and the next run finishes the job.

The kill lands while the process writes the file: the test polls /proc until the process holds
the warehouse open read-write (the load task has begun), then waits a little longer at each
kill point, so the kill falls into the load, the re-linking or after them.
Each subprocess pays Prefect's server start, so there are few of them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.store.warehouse import Warehouse
from schemas.ddl import EXPORT_COLUMNS
from tests.conftest import PLANS, REPO, chitieu_environment, ingested_programme

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]

CHITIEU = Path(sys.executable).with_name("chitieu")
NEW_PLAN = PLANS["kh08"]
# What a load writes; the catalog (indicator ids, indicators, agencies) is rebuilt after it.
DOCUMENT_TABLES = ("documents", "document_refs", "lines", "targets", "tasks")
KILL_DELAYS = (0.0, 0.1, 1.0)  # seconds after the process opened the warehouse to write
POLL_SECONDS = 0.005
LOADED_AT = "loaded_at"


def snapshot(db_path: Path) -> dict[str, str]:
    """The full export, less when each document was loaded (two runs load at other times)."""
    with Warehouse.open(db_path, read_only=True) as warehouse:
        return {table: warehouse.frame(table).drop(columns=[LOADED_AT], errors="ignore")
                .to_csv(index=False) for table in EXPORT_COLUMNS}


def document_content(db_path: Path) -> dict[str, str]:
    """What the loads wrote, less the indicator links the re-linking writes afterwards."""
    with Warehouse.open(db_path, read_only=True) as warehouse:
        return {table: warehouse.connection.execute(f"SELECT * FROM {table} ORDER BY ALL").df()
                .drop(columns=["indicator_id", LOADED_AT], errors="ignore").to_csv(index=False)
                for table in DOCUMENT_TABLES}


def _ingest(db_path: Path, tmp_path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(CHITIEU), "ingest", str(NEW_PLAN), "--db", str(db_path)],
                            cwd=REPO, env=chitieu_environment(tmp_path), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)


def _opened_for_writing(pid: int, db_path: Path) -> bool:
    """Whether process `pid` holds `db_path` open read-write (its /proc fd flags say so)."""
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd) != str(db_path):
                continue
            flags = Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text().split("flags:")[1].split()[0]
        except (FileNotFoundError, IndexError):
            continue  # closed while we looked
        if int(flags, 8) & os.O_ACCMODE == os.O_RDWR:
            return True
    return False


def _wait_for_write_open(process: subprocess.Popen[bytes], db_path: Path) -> None:
    deadline = time.monotonic() + 600
    while not _opened_for_writing(process.pid, db_path):
        assert process.poll() is None, process.stdout.read().decode()
        assert time.monotonic() < deadline, "the warehouse was not opened within 10 minutes"
        time.sleep(POLL_SECONDS)


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Path:
    return ingested_programme(tmp_path_factory, "crash-before")


@pytest.fixture(scope="module")
def complete(before: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same warehouse after an uninterrupted load of the new plan (as a subprocess)."""
    work_dir = tmp_path_factory.mktemp("crash-complete")
    db_path = work_dir / "w.duckdb"
    shutil.copy(before, db_path)
    finished = _ingest(db_path, work_dir)
    output, _ = finished.communicate(timeout=900)
    assert finished.returncode == 0, output.decode()
    return db_path


@pytest.mark.parametrize("delay", KILL_DELAYS)
def test_sigkill_during_ingest_leaves_before_or_complete_and_the_rerun_finishes(
    before: Path, complete: Path, tmp_path: Path, delay: float
) -> None:
    db_path = tmp_path / "w.duckdb"
    shutil.copy(before, db_path)
    process = _ingest(db_path, tmp_path)
    try:
        _wait_for_write_open(process, db_path)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
        process.stdout.close()

    assert document_content(db_path) in (document_content(before), document_content(complete))

    rerun = _ingest(db_path, tmp_path)
    output, _ = rerun.communicate(timeout=900)
    assert rerun.returncode == 0, output.decode()
    assert snapshot(db_path) == snapshot(complete)


def test_run_after_a_load_without_its_check_checks_again(before: Path, tmp_path: Path) -> None:
    """`chitieu ingest` alone, like a run killed between its load and its check, leaves the
    report behind the warehouse; the next `chitieu run` finds nothing new to load but checks."""
    db_path, out_dir = tmp_path / "w.duckdb", tmp_path / "out"
    shutil.copy(before, db_path)
    first = CliRunner().invoke(main, ["run", str(PLANS["ctr01"]), "--out", str(out_dir),
                                      "--db", str(db_path)])
    assert first.exit_code == 0, first.output
    loaded = CliRunner().invoke(main, ["ingest", str(NEW_PLAN), "--db", str(db_path)])
    assert loaded.exit_code == 0, loaded.output
    rerun = CliRunner().invoke(main, ["run", str(PLANS["ctr01"]), str(NEW_PLAN), "--out",
                                      str(out_dir), "--db", str(db_path)])
    assert rerun.exit_code == 0, rerun.output
    assert "2 tệp không đổi" in rerun.output
    exported = (out_dir / "exports" / "documents.csv").read_text(encoding="utf-8")
    assert "08-KH/TU" in exported and "01-CTr/BCĐ" in exported
