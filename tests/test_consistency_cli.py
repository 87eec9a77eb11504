"""`chitieu check`: prints the findings and what changed; `--fail-on open` fails a CI job."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import main
from pipeline.store.warehouse import Warehouse
from schemas.errors import ExitCode
from tests.consistency_samples import build_sample_warehouse


def chitieu(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_check_prints_findings_and_what_changed(db_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal: no line folds
    build_sample_warehouse(db_path)
    with Warehouse.open(db_path) as warehouse:
        stored = warehouse.conflicts()
        warehouse.replace_conflicts(stored[:1])  # as if the last check had found only one

    first = chitieu("check", "--db", str(db_path))

    assert first.exit_code == 0, first.output
    assert "Năm 2027, Kế hoạch 11-KH/TU đặt ≥ 85 % nhưng Kế hoạch 700/KH-UBND đặt ≥ 75 %" in (
        first.output)
    assert "Tổng cộng 2 phát hiện, 2 chưa xử lý, 0 đã có quyết định." in first.output
    assert "Mâu thuẫn mới so với lần kiểm tra trước: 1; đã hết: 0; thay đổi: 0" in (
        first.output)
    assert ("  - Mới: Kế hoạch 700/KH-UBND đặt ≥ 36 phòng cho năm 2028, thấp hơn mức ≥ 40 "
            "phòng của năm 2027 trong Kế hoạch 11-KH/TU đối với chỉ tiêu “phòng thí nghiệm đạt "
            "chuẩn”.\n") in first.output

    again = chitieu("check", "--db", str(db_path))
    assert "Mâu thuẫn mới so với lần kiểm tra trước: 0; đã hết: 0; thay đổi: 0" in (
        again.output)
    assert "- Mới:" not in again.output


def test_check_folds_its_lines_at_the_terminal_width(db_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    build_sample_warehouse(db_path)
    result = chitieu("check", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert max(map(len, result.output.splitlines())) <= 60
    folded = " ".join(line.strip() for line in result.output.splitlines())
    assert "Năm 2027, Kế hoạch 11-KH/TU đặt ≥ 85 % nhưng Kế hoạch 700/KH-UBND đặt ≥ 75 %" in folded


def test_the_first_check_has_nothing_to_compare_to(db_path: Path) -> None:
    build_sample_warehouse(db_path)
    with Warehouse.open(db_path) as warehouse:
        warehouse.connection.execute("DELETE FROM meta WHERE key = 'checked_at'")  # never checked

    result = chitieu("check", "--db", str(db_path))

    assert result.exit_code == 0, result.output
    assert "Tổng cộng 2 phát hiện, 2 chưa xử lý, 0 đã có quyết định." in result.output
    assert "so với lần kiểm tra trước" not in result.output


def test_fail_on_open_exits_non_zero_only_when_open_conflicts_exist(db_path: Path) -> None:
    build_sample_warehouse(db_path)

    failing = chitieu("check", "--fail-on", "open", "--db", str(db_path))
    assert failing.exit_code == ExitCode.OPEN_CONFLICTS == 3
    assert "còn 2 mâu thuẫn chưa xử lý" in failing.output

    with Warehouse.open(db_path) as warehouse:
        warehouse.connection.execute("DELETE FROM targets WHERE doc_id = ?", ["700-KH-UBND"])
    passing = chitieu("check", "--fail-on", "open", "--db", str(db_path))
    assert passing.exit_code == 0, passing.output
    assert "; đã hết: 2;" in passing.output
    assert passing.output.count("  - Đã hết: ") == 2


def test_check_without_a_warehouse_says_what_to_do(tmp_path: Path) -> None:
    result = chitieu("check", "--db", str(tmp_path / "none.duckdb"))
    assert result.exit_code == ExitCode.WAREHOUSE
    assert "chitieu ingest PATH" in result.output
    assert not (tmp_path / "none.duckdb").exists()
