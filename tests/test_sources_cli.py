"""`chitieu text FILE`: what the machine read, one line per line, page breaks marked; a file
it cannot read is one error line and a non-zero exit."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from extractors.sources import read_source
from pipeline.cli import main
from tests.conftest import PLANS
from tests.fixtures import make_digital_pdf


def _text(path: Path) -> Result:
    return CliRunner().invoke(main, ["text", str(path)])


def test_text_file_prints_its_lines_and_rows() -> None:
    result = _text(PLANS["kh3450"])
    assert result.exit_code == 0, result.output
    printed = result.output.splitlines()
    assert printed == [line.text for line in read_source(PLANS["kh3450"]).lines]
    assert "$" not in result.output and "<i>" not in result.output  # markup stripped
    assert any(line.startswith("STT\t") for line in printed)  # table rows tab-separated


def test_pdf_pages_are_marked(tmp_path: Path) -> None:
    opening = PLANS["ctr01"].read_text(encoding="utf-8").split("\n")[:60]
    (tmp_path / "opening.txt").write_text("\n".join(opening), encoding="utf-8")
    pdf = make_digital_pdf(tmp_path / "opening.txt", tmp_path / "opening.pdf")
    result = _text(pdf)
    assert result.exit_code == 0, result.output
    printed = result.output.splitlines()
    source = read_source(pdf)
    assert source.page_count >= 2
    markers = [line for line in printed if line.startswith("--- trang ")]
    assert markers == [f"--- trang {page} ---" for page in range(2, source.page_count + 1)]
    assert [line for line in printed if line not in markers] == [
        line.text for line in source.lines]


def test_unreadable_file_is_one_error_line(tmp_path: Path) -> None:
    broken = tmp_path / "plan.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really a PDF\n")
    result = _text(broken)
    assert result.exit_code != 0
    printed = [line for line in result.output.splitlines() if line]
    assert len(printed) == 1
    assert printed[0].startswith(f"Error: {broken}: corrupt")
