"""`chitieu text FILE`: the lines a reader gives, page breaks marked; bad files one line, exit 1."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfWriter

from extractors.sources import read_source
from pipeline.cli import main
from pipeline.dev.documents import make_digital_pdf, plan_blocks
from tests.conftest import PLANS


def test_text_prints_lines_and_marks_page_breaks(tmp_path: Path) -> None:
    pdf = make_digital_pdf(PLANS["ctr01"], tmp_path / "ctr01.pdf")
    result = CliRunner().invoke(main, ["text", str(pdf)])
    assert result.exit_code == 0, result.output
    printed = result.stdout.splitlines()
    page_marks = [line for line in printed if line.startswith("--- trang ")]
    assert page_marks == [f"--- trang {page} ---" for page in range(2, len(page_marks) + 2)]
    assert len(page_marks) >= 2
    assert printed[0] == plan_blocks(PLANS["ctr01"])[0].text
    page_count = len(page_marks) + 1  # progress on stderr, the user's output stays clean
    assert result.stderr.splitlines() == [f"ctr01.pdf: trang {done}/{page_count}"
                                          for done in range(1, page_count + 1)]


def test_text_of_a_bad_file_is_one_line_and_exit_1(tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("mật khẩu")
    writer.write(locked)
    result = CliRunner().invoke(main, ["text", str(locked)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"lỗi: {locked}: tệp PDF có mật khẩu (bị mã hoá) — lưu một bản không đặt mật khẩu "
        "rồi nạp lại"]


def test_text_file_prints_its_lines_and_tab_separated_rows() -> None:
    result = CliRunner().invoke(main, ["text", str(PLANS["kh3450"])])
    assert result.exit_code == 0, result.output
    printed = result.stdout.splitlines()
    assert printed == [line.text for line in read_source(PLANS["kh3450"]).lines]
    assert "$" not in result.stdout and "<i>" not in result.stdout  # export markup stripped
    assert not result.stderr  # one page: no progress
    assert any(line.startswith("STT\t") for line in printed)
