"""`chitieu export --out DIR --format …`."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from schemas.ddl import EXPORT_COLUMNS
from schemas.errors import ExitCode
from tests.consistency_samples import build_sample_warehouse


def test_export_writes_the_chosen_formats_and_the_schemas(db_path: Path, tmp_path: Path) -> None:
    build_sample_warehouse(db_path)
    out_dir = tmp_path / "exports"

    result = CliRunner().invoke(main, ["export", "--out", str(out_dir), "--format", "csv",
                                       "--format", "jsonl", "--db", str(db_path)])

    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out_dir.iterdir()) == sorted(
        name for table in EXPORT_COLUMNS
        for name in (f"{table}.csv", f"{table}.jsonl", f"{table}.schema.json"))


def test_export_refuses_an_unknown_format(db_path: Path, tmp_path: Path) -> None:
    build_sample_warehouse(db_path)
    result = CliRunner().invoke(main, ["export", "--out", str(tmp_path / "x"), "--format",
                                       "ods", "--db", str(db_path)])
    assert result.exit_code == 2
    assert "ods" in result.output and "xlsx" in result.output


def test_export_without_a_warehouse_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--out", str(tmp_path / "x"), "--db",
                                       str(tmp_path / "none.duckdb")])
    assert result.exit_code == ExitCode.WAREHOUSE
    assert "chitieu ingest" in result.output
    assert not (tmp_path / "x").exists()
