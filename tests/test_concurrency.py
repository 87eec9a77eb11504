"""Two chitieu processes on one warehouse: a writer waits for the other (with a message) or
fails clearly; the file is never corrupted; a read waits while a load holds the file.

DuckDB lets one process open a file for writing and no other process open it at all while it
does, so readers wait too: `Warehouse.open` retries with one message for up to 120 s, then
says another chitieu process is writing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.store.warehouse import Warehouse, WarehouseBusy
from schemas.ddl import EXPORT_COLUMNS
from tests.conftest import PLANS, REPO, copied_warehouse, ingested_programme

CHITIEU = Path(sys.executable).with_name("chitieu")
BUSY = "một tiến trình chitieu khác đang ghi kho dữ liệu"
WAITING = "đang chờ một tiến trình chitieu khác"

HOLD_WRITE_LOCK = """
import sys, time
from pathlib import Path
from pipeline.store.warehouse import Warehouse
with Warehouse.open(Path(sys.argv[1])):
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _environment(prefect_home: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items()
                   if key != "PREFECT_API_URL"}
    environment.update(PREFECT_HOME=str(prefect_home), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    return environment


def _hold_write_lock(db_path: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITE_LOCK, str(db_path), str(seconds)],
                              cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    return holder


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Path:
    return ingested_programme(tmp_path_factory, "concurrency")


@pytest.fixture
def warehouse_copy(loaded: Path, tmp_path: Path) -> Path:
    return copied_warehouse(loaded, tmp_path)


@pytest.mark.slow
def test_read_command_waits_with_a_message_while_another_process_writes(
    warehouse_copy: Path
) -> None:
    holder = _hold_write_lock(warehouse_copy, 15)  # longer than the command takes to start
    try:
        docs = subprocess.run([str(CHITIEU), "docs", "--db", str(warehouse_copy)], cwd=REPO,
                              capture_output=True, text=True, timeout=120)
    finally:
        holder.wait(timeout=30)
    assert docs.returncode == 0, docs.stderr
    assert docs.stderr.count(WAITING) == 1
    assert "01-CTr/BCĐ" in docs.stdout


@pytest.mark.slow
def test_opening_a_busy_warehouse_fails_clearly_after_the_wait(warehouse_copy: Path) -> None:
    holder = _hold_write_lock(warehouse_copy, 30)
    try:
        for read_only in (True, False):
            with (pytest.raises(WarehouseBusy, match=BUSY),
                  Warehouse.open(warehouse_copy, read_only=read_only, wait_seconds=1)):
                pass
    finally:
        holder.kill()
        holder.wait(timeout=30)
    with Warehouse.open(warehouse_copy, read_only=True) as warehouse:
        assert [document.number for document in warehouse.documents()] == ["01-CTr/BCĐ"]


@pytest.mark.slow
def test_two_ingests_on_one_warehouse_both_load_or_one_fails_clearly(
    warehouse_copy: Path, tmp_path: Path
) -> None:
    plans = {"08-KH/TU": PLANS["kh08"], "3450/KH-UBND": PLANS["kh3450"]}
    processes = {
        number: subprocess.Popen(
            [str(CHITIEU), "ingest", str(plan), "--db", str(warehouse_copy)], cwd=REPO,
            env=_environment(tmp_path / f"prefect-{index}"), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        for index, (number, plan) in enumerate(plans.items())
    }
    outputs = {number: process.communicate(timeout=1200)[0]
               for number, process in processes.items()}
    with Warehouse.open(warehouse_copy, read_only=True) as warehouse:
        loaded_numbers = {document.number for document in warehouse.documents()}
        for table in EXPORT_COLUMNS:  # every table reads back: the file is sound
            warehouse.frame(table)
        assert warehouse.unlinked_target_count() == 0
    for number, process in processes.items():
        if process.returncode == 0:
            assert number in loaded_numbers, outputs[number]
        else:
            assert BUSY in outputs[number] and number not in loaded_numbers, outputs[number]
    assert any(process.returncode == 0 for process in processes.values()), outputs
    assert "01-CTr/BCĐ" in loaded_numbers
    # both processes are gone: the file opens for writing again
    with Warehouse.open(warehouse_copy) as warehouse:
        assert warehouse.documents()
