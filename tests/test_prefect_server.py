"""Prefect's temporary server that a `chitieu` command starts for its flows is its own child
and goes when it does: at the end of the run, and also when the run is killed."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import PLANS, REPO, chitieu_environment

pytestmark = pytest.mark.slow

CHITIEU = Path(sys.executable).with_name("chitieu")
WAIT_SECONDS = 600  # a run on a loaded machine (a fresh Prefect home each) takes minutes


def _ingest(tmp_path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(CHITIEU), "ingest", str(PLANS["kh08"]),
                             "--db", str(tmp_path / "w" / "chitieu.duckdb")],
                            cwd=REPO, env=chitieu_environment(tmp_path), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _server_of(run: subprocess.Popen[bytes]) -> psutil.Process:
    """The Prefect server the run started, as soon as it exists."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        for child in psutil.Process(run.pid).children():
            if "prefect.server.api.server:create_app" in " ".join(child.cmdline()):
                return child
        assert run.poll() is None, "the run ended without starting a Prefect server"
        time.sleep(0.05)
    raise AssertionError("no Prefect server started")


def test_the_server_stops_with_the_run(tmp_path: Path) -> None:
    run = _ingest(tmp_path)
    server = _server_of(run)
    assert run.wait(timeout=WAIT_SECONDS) == 0
    server.wait(timeout=10)  # psutil.TimeoutExpired if it outlived the run


def test_a_killed_run_leaves_no_server(tmp_path: Path) -> None:
    run = _ingest(tmp_path)
    server = _server_of(run)
    run.send_signal(signal.SIGKILL)
    run.wait()
    server.wait(timeout=10)
