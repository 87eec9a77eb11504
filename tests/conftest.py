"""Shared fixtures: paths to the real plans, a throw-away warehouse, an offline Prefect."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.settings import configure_prefect

# The test process imports Prefect through many modules; configure it before any of them does.
configure_prefect()

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "raw"
DATA = Path(__file__).resolve().parent / "data"
PLANS = {
    "kh08": RAW / "kh-08-KH-TU-2025-08-29.txt",
    "kh22": RAW / "kh-22-KH-TU-2026-01-14.ocr.txt",
    "kh3450": RAW / "kh-3450-KH-UBND-2026-03-17.txt",
    "ctr01": RAW / "ctr-01-CTr-BCD-2026-03-20.txt",
}


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Built models go to the session's own user cache, never the tester's ~/.cache; the
    chitieu processes the tests start inherit it."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "chitieu.duckdb"


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One temporary Prefect server for the whole session (each start costs seconds)."""
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def chitieu_environment(tmp_path: Path) -> dict[str, str]:
    """The environment of a `chitieu` started as its own process: a Prefect home of its own,
    its own temporary server (no PREFECT_API_URL), no analytics."""
    environment = {key: value for key, value in os.environ.items()
                   if key != "PREFECT_API_URL"}
    environment.update(PREFECT_HOME=str(tmp_path / "prefect-home"),
                       PREFECT_SERVER_ANALYTICS_ENABLED="false")
    return environment


def unique_scan(path: Path) -> Path:
    """A small scan whose bytes no earlier run has read (Prefect caches pages by content)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 160), 255)
    ImageDraw.Draw(image).text((20, 60), f"Ke hoach {os.getpid()} {path.parent.name}", fill=0)
    image.save(path)
    return path


def ingested_programme(tmp_path_factory: pytest.TempPathFactory, folder: str) -> Path:
    """A warehouse in a fresh folder with the programme CTr 01 ingested (the smallest plan):
    what a test module shares to copy or to read."""
    from click.testing import CliRunner

    from pipeline.cli import main

    db_path = tmp_path_factory.mktemp(folder) / "w.duckdb"
    result = CliRunner().invoke(main, ["ingest", str(PLANS["ctr01"]), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    return db_path


def copied_warehouse(db_path: Path, tmp_path: Path) -> Path:
    """A copy of the warehouse `db_path` for one test to change."""
    copy = tmp_path / "w.duckdb"
    shutil.copy(db_path, copy)
    return copy
