"""Prefect's temporary API server, started as soon as a command knows it will run a flow.

Without PREFECT_API_URL, Prefect starts a temporary server itself when the first flow run
begins: it imports the whole server application into our process (3 s of CPU, only to start
a subprocess) and then waits for that subprocess to answer (4 s or more), all before the
flow's first line. We start the same subprocess (Prefect's own command and environment for
it) before importing the flows, point Prefect at it, and wait for it only when the flow is
about to start: its start-up runs on the other core while we import and plan.

Unlike Prefect's, this server dies with the chitieu process that started it, even when that
process is killed (Linux's parent-death signal), so a killed run leaves no server behind.
"""

from __future__ import annotations

import atexit
import ctypes
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

STARTUP_SECONDS = 120
POLL_SECONDS = 0.05
STOP_SECONDS = 5
_PR_SET_PDEATHSIG = 1


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:
    """Run in the child before it executes the server: SIGTERM when its parent dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _prefect_parent() -> str:
    """The folder holding the prefect package (the server runs from there), not importing it."""
    spec = importlib.util.find_spec("prefect")
    if spec is None or spec.origin is None:
        raise RuntimeError("Prefect is not installed (make setup)")
    return str(Path(spec.origin).parent.parent)


class TemporaryServer:
    def __init__(self, port: int) -> None:
        self.api_url = f"http://127.0.0.1:{port}/api"
        # Its output goes where ours does, as from Prefect's own temporary server.
        self._process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", _prefect_parent(),
             "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "error", "--lifespan", "on"],
            env={**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
                 "PREFECT__SERVER_FINAL": "1"},
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        atexit.register(self.stop)

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def wait_ready(self) -> None:
        """Until the server answers; an error saying why when it stopped or never answered."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self._answers():
            if self._process.poll() is not None:
                raise RuntimeError(f"Prefect's temporary server stopped (exit code "
                                   f"{self._process.returncode}, its error above)")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Prefect's temporary server did not answer within "
                                   f"{STARTUP_SECONDS} s")
            time.sleep(POLL_SECONDS)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


def start_temporary_server() -> TemporaryServer | None:
    """A server starting for this process's flows, with PREFECT_API_URL pointing at it; None
    when PREFECT_API_URL already names one (a served deployment), or when Prefect is already
    imported and so has read its settings (a test harness): Prefect then does as it would.
    Call it after settings.configure_prefect()."""
    if os.environ.get("PREFECT_API_URL") or "prefect" in sys.modules:
        return None
    server = TemporaryServer(_free_port())
    os.environ["PREFECT_API_URL"] = server.api_url
    return server
