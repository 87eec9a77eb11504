"""`chitieu serve` against a real Prefect server: the deployment runs on its interval, picks up
a plan dropped into the watched folder, completes, and leaves its artifacts, keyed by the
warehouse, readable through the Prefect client. Everything it starts is stopped."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import PLANS, REPO

pytestmark = pytest.mark.slow

SERVER_START_SECONDS = 180
RUN_SECONDS = 300
STOP_SECONDS = 30
BIN = Path(sys.executable).parent

# Run in a child with the server's environment, so this process's Prefect settings (the
# test harness's) stay out of it: the flow runs of the deployment and the artifacts of one
# warehouse, as JSON.
CLIENT_QUERY = """
import asyncio, json, sys
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from pipeline.run.flows import artifact_key
from pathlib import Path

async def main():
    db_path = Path(sys.argv[1])
    async with get_client() as client:
        deployment = await client.read_deployment_by_name("run/chitieu-watch")
        runs = await client.read_flow_runs(limit=200)
        keys = [artifact_key(db_path, name) for name in ("report", "conflicts")]
        artifacts = await client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys)))
    print(json.dumps({
        "runs": [{"deployment": str(run.deployment_id) == str(deployment.id),
                  "state": run.state_type.value if run.state_type else None,
                  "start": run.start_time.timestamp() if run.start_time else None,
                  "parameters": run.parameters} for run in runs],
        "artifacts": [{"key": artifact.key, "type": artifact.type,
                       "data": artifact.data if isinstance(artifact.data, str)
                       else json.dumps(artifact.data, ensure_ascii=False)}
                      for artifact in artifacts],
    }, default=str))

asyncio.run(main())
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], Any], seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(2)
    raise AssertionError(f"gave up after {seconds:.0f} s waiting for {what}")


def group_members(process: subprocess.Popen) -> list[str]:
    listing = subprocess.run(["ps", "-eo", "pgid=,stat=,args="], capture_output=True, text=True,
                             check=True).stdout
    return [line for line in listing.splitlines()
            if line.split()[0] == str(process.pid) and not line.split()[1].startswith("Z")]


def stop(process: subprocess.Popen) -> list[str]:
    """Ctrl-C to the process group (what a user does), then stronger signals if it lingers.
    Returns what of the group was still alive once the leader had gone (orphans), killed."""
    for sent in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            break
        os.killpg(process.pid, sent)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            continue
    deadline = time.monotonic() + STOP_SECONDS
    while (orphans := group_members(process)) and time.monotonic() < deadline:
        time.sleep(1)
    if orphans:
        os.killpg(process.pid, signal.SIGKILL)
    return orphans


@pytest.fixture
def server_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"),
               PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_API_URL=f"http://127.0.0.1:{port}/api",
               PYTHONPATH=str(REPO))
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def healthy() -> bool:
        try:
            return httpx.get(f"{env['PREFECT_API_URL']}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    orphans: list[str] = []
    try:
        wait_for(healthy, SERVER_START_SECONDS, "the Prefect server")
        yield env
    finally:
        orphans = stop(server)
        log.close()
    assert not orphans
    assert "Can't evaluate" not in (tmp_path / "server.log").read_text(errors="replace")


def client_view(env: dict[str, str], db_path: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", CLIENT_QUERY, str(db_path)], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    return json.loads(done.stdout) if done.returncode == 0 else {"runs": [], "artifacts": []}


def test_a_plan_dropped_into_the_watched_folder_is_loaded_by_the_deployment(
        server_env: dict[str, str], tmp_path: Path) -> None:
    folder, out_dir = tmp_path / "watched", tmp_path / "out"
    folder.mkdir()
    db_path = out_dir / "chitieu.duckdb"
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "serve", str(folder), "--interval", "5",
         "--out", str(out_dir), "--db", str(db_path)],
        env=server_env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        wait_for(lambda: any(run["deployment"] and run["state"] == "COMPLETED"
                             for run in client_view(server_env, db_path)["runs"]),
                 RUN_SECONDS, "a first run on the empty folder")
        dropped_at = time.time()
        shutil.copy(PLANS["kh08"], folder / PLANS["kh08"].name)

        def loaded() -> dict[str, Any] | None:
            view = client_view(server_env, db_path)
            after_drop = [run for run in view["runs"] if run["deployment"]
                          and run["state"] == "COMPLETED" and (run["start"] or 0) > dropped_at]
            report = [artifact for artifact in view["artifacts"]
                      if artifact["key"].endswith("-report") and "08-KH/TU" in artifact["data"]]
            return view if after_drop and report else None

        view = wait_for(loaded, RUN_SECONDS, "a run that loads the dropped plan")
    finally:
        orphans = stop(serve)
        log.close()
    assert not orphans
    failed = [run for run in view["runs"] if run["deployment"] and run["state"] == "FAILED"]
    assert not failed, (tmp_path / "serve.log").read_text(errors="replace")[-3000:]
    assert {artifact["type"] for artifact in view["artifacts"]} == {"markdown", "table"}
    assert (out_dir / "exports" / "chitieu.xlsx").exists()
