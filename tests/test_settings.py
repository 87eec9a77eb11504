"""Prefect's configuration for a command that runs a flow."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.settings import configure_prefect


def test_prefect_home_next_to_a_new_warehouse_is_made_with_its_parents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Prefect makes its home without parents: a first `--db new/dir/w.duckdb` left it without
    one, and the run failed after two minutes waiting for Prefect's server."""
    monkeypatch.setenv("PREFECT_HOME", "")  # so monkeypatch restores it after the test
    monkeypatch.delenv("PREFECT_HOME")
    home = tmp_path / "new" / "dir" / ".prefect"

    configure_prefect(home)

    assert home.is_dir()
    assert os.environ["PREFECT_HOME"] == str(home)
