"""One line per failure and an exit status that says which kind: the handler of the `chitieu`
group, the log file an internal error leaves, the statuses `chitieu --help` lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import main
from pipeline.dev.documents import make_digital_pdf
from pipeline.store.warehouse import Warehouse
from schemas.errors import EXIT_CODE_MEANINGS, ExitCode
from tests.conftest import PLANS, unique_scan
from tests.consistency_samples import build_sample_warehouse


def chitieu(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_help_lists_every_exit_status() -> None:
    result = chitieu("--help")
    assert result.exit_code == 0
    listed = result.output.split("Trạng thái thoát:")[1]
    for code, meaning in EXIT_CODE_MEANINGS.items():
        assert f"{int(code):>2}  {meaning}" in listed


def test_an_internal_error_is_one_line_and_its_traceback_goes_to_the_log(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db_path = tmp_path / "kho" / "chitieu.duckdb"
    build_sample_warehouse(db_path)

    def broken(_warehouse: Warehouse) -> None:
        raise KeyError("sha256")

    monkeypatch.setattr(Warehouse, "documents", broken)
    result = chitieu("docs", "--db", str(db_path))
    log_path = db_path.parent / "chitieu.log"
    assert result.exit_code == ExitCode.INTERNAL
    assert result.output.splitlines() == [
        f"lỗi: chitieu gặp lỗi nội bộ khi chạy lệnh docs (KeyError); chi tiết đã ghi vào "
        f"{log_path} — hãy gửi tệp đó cho người hỗ trợ"]
    logged = log_path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "KeyError: 'sha256'" in logged


def test_the_log_goes_to_the_user_state_folder_when_the_warehouse_folder_is_a_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tep").write_text("không phải thư mục", encoding="utf-8")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def broken(_paths: object, _db_path: Path, _outputs: object = ()) -> None:
        raise ZeroDivisionError

    monkeypatch.setattr("pipeline.cli.app.pending_inputs", broken)
    result = chitieu("ingest", str(tmp_path), "--db", str(tmp_path / "tep" / "w.duckdb"))
    assert result.exit_code == ExitCode.INTERNAL
    assert str(tmp_path / "state" / "chitieu" / "chitieu.log") in result.output
    assert len(result.output.splitlines()) == 1


def test_a_missing_tesseract_is_one_line_naming_the_package(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on it
    result = chitieu("text", str(unique_scan(tmp_path / "quet.png")))
    assert result.exit_code == ExitCode.DEPENDENCY
    assert result.output.splitlines() == [
        "lỗi: chưa cài Tesseract, chương trình đọc ảnh quét — cài tesseract-ocr và "
        "tesseract-ocr-vie (sudo apt install tesseract-ocr tesseract-ocr-vie) rồi chạy lại"]


def test_a_missing_vietnamese_language_pack_is_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tessdata").mkdir()
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path / "tessdata"))  # holds no vie
    result = chitieu("text", str(unique_scan(tmp_path / "quet.png")))
    assert result.exit_code == ExitCode.DEPENDENCY
    assert len(result.output.splitlines()) == 1
    assert "cài tesseract-ocr-vie" in result.output


def test_quiet_hides_progress_and_keeps_the_output(tmp_path: Path) -> None:
    pdf = make_digital_pdf(PLANS["ctr01"], tmp_path / "ctr01.pdf")
    normal = chitieu("text", str(pdf))
    quiet = chitieu("-q", "text", str(pdf))
    assert normal.exit_code == quiet.exit_code == 0
    assert "ctr01.pdf: trang 1/" in normal.stderr and quiet.stderr == ""
    assert quiet.stdout == normal.stdout
