"""Digital PDFs: the generated PDF of KH 3450 reads back as the text plan's rows and lines;
pages without text go to OCR; bad PDFs are refused with one clear reason."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from extractors.sources import SourceError, assemble, read_page, triage
from extractors.sources.tables import join_page_tables
from pipeline.dev.documents import make_digital_pdf, make_scan, plan_blocks, plan_lines
from schemas.records import PageResult, SourceLine, SourceText, TextSource
from tests.conftest import PLANS


def _read(path: Path) -> SourceText:
    return assemble(path, [read_page(page) for page in triage(path)])


def _spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def kh3450_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_digital_pdf(PLANS["kh3450"], tmp_path_factory.mktemp("pdf") / "kh3450.pdf")


@pytest.fixture(scope="module")
def kh3450_read(kh3450_pdf: Path) -> SourceText:
    return _read(kh3450_pdf)


def _expected_rows() -> list[tuple[str, ...]]:
    """The text plan's table rows (Phụ lục I and II), less the header rows it repeats where the
    original's pages broke; whitespace as a PDF can show it."""
    rows: list[tuple[str, ...]] = []
    for line in plan_lines(PLANS["kh3450"]):
        if line.cells is not None and (line.cells[0] != "STT" or not rows
                                       or len(line.cells) != len(rows[-1])):
            rows.append(tuple(_spaces(cell) for cell in line.cells))
    return rows


def test_table_rows_equal_the_text_plans_rows(kh3450_read: SourceText) -> None:
    rows = [line.cells for line in kh3450_read.lines if line.cells is not None]
    expected = _expected_rows()
    assert len(expected) > 90  # both appendices: 7-column indicators, 8-column tasks
    assert rows == expected
    pages_with_rows = {line.page for line in kh3450_read.lines if line.cells is not None}
    assert len(pages_with_rows) > 10  # the tables did run over many page breaks


def test_prose_lines_in_reading_order(kh3450_read: SourceText) -> None:
    prose = " ".join(line.text for line in kh3450_read.lines if line.cells is None)
    position = 0
    for block in plan_blocks(PLANS["kh3450"]):
        if block.text:
            found = prose.find(_spaces(block.text), position)
            assert found >= 0, block.text
            position = found
    assert kh3450_read.text_source == TextSource.DIGITAL


def test_lines_numbered_through_the_document_with_pages(kh3450_read: SourceText) -> None:
    numbers = [line.line_no for line in kh3450_read.lines]
    assert numbers == list(range(1, len(numbers) + 1))
    pages = [line.page for line in kh3450_read.lines]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == kh3450_read.page_count
    first = kh3450_read.lines[0]
    assert (first.page, first.line_no, first.text) == (1, 1, "KẾ HOẠCH")


def _stamp(page_size: tuple[float, float]):  # -> a pypdf page holding only the stamp
    from reportlab.pdfgen import canvas

    width, height = page_size
    buffer = io.BytesIO()
    stamp = canvas.Canvas(buffer, pagesize=page_size)
    stamp.setFont("DejaVuSans", 7)
    for row, text in enumerate(("Ký bởi: Ủy ban nhân dân tỉnh Lâm Đồng",
                                "Thời gian ký: 17.03.2026 09:12:45 +07:00")):
        stamp.drawString(width - 200, height - 30 - 9 * row, text)
    stamp.save()
    return PdfReader(buffer).pages[0]


def test_only_pages_without_their_own_text_go_to_ocr(tmp_path: Path, kh3450_pdf: Path) -> None:
    """Text pages are read, scans are OCR'd, also a scan with a signature stamp's text on
    it; a scan that carries the text of the page (an OCR layer) is read as text."""
    scan = tmp_path / "scan.pdf"
    make_scan(PLANS["kh08"], scan, pages=1)
    mixed = PdfWriter()
    mixed.append(str(kh3450_pdf), pages=[0, 1])
    mixed.append(str(scan))
    mixed.append(str(scan))
    mixed.append(str(scan))
    scan_size = (float(mixed.pages[2].mediabox.width), float(mixed.pages[2].mediabox.height))
    mixed.pages[3].merge_page(_stamp(scan_size))
    mixed.pages[4].merge_page(PdfReader(kh3450_pdf).pages[0])
    mixed.write(tmp_path / "mixed.pdf")
    methods = [page.method for page in triage(tmp_path / "mixed.pdf")]
    assert methods == ["text", "text", "ocr", "ocr", "text"]


def _row(page: int, cells: tuple[str, ...]) -> SourceLine:
    return SourceLine(page=page, line_no=1, text="\t".join(cells), cells=cells)


def test_a_row_cut_by_a_page_break_is_joined_again() -> None:
    header = ("STT", "Chỉ tiêu", "Năm 2026")
    first = PageResult(page_no=1, text_source=TextSource.DIGITAL, lines=(
        _row(1, header), _row(1, ("1", "Tỷ lệ phủ sóng", "≥ 70")),
        _row(1, ("2", "Tỷ lệ người dân có", ""))))
    second = PageResult(page_no=2, text_source=TextSource.DIGITAL, lines=(
        _row(2, header), _row(2, ("", "chữ ký số", "≥ 5")), _row(2, ("3", "Quy mô", "≥ 14,5"))))
    joined = [line.cells for line in join_page_tables([first, second])]
    assert joined == [header, ("1", "Tỷ lệ phủ sóng", "≥ 70"),
                      ("2", "Tỷ lệ người dân có chữ ký số", "≥ 5"), ("3", "Quy mô", "≥ 14,5")]


def _encrypted(source: Path, target: Path) -> None:
    writer = PdfWriter(clone_from=str(source))
    writer.encrypt("mật khẩu")
    writer.write(target)


def _truncated(source: Path, target: Path) -> None:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 3])


def _zero_pages(_source: Path, target: Path) -> None:
    PdfWriter().write(target)


def _not_a_pdf(_source: Path, target: Path) -> None:
    target.write_bytes(b"%PDF-1.7\nthis is not really a PDF\n")


def _empty(_source: Path, target: Path) -> None:
    target.write_bytes(b"")


@pytest.mark.parametrize(
    ("damage", "reason"),
    [(_encrypted, "mật khẩu"), (_truncated, "cắt cụt"), (_zero_pages, "không có trang"),
     (_not_a_pdf, "hỏng"), (_empty, "rỗng")],
)
def test_bad_pdfs_name_the_file_and_the_reason(tmp_path: Path, kh3450_pdf: Path, damage,
                                               reason: str) -> None:
    bad = tmp_path / "bad.pdf"
    damage(kh3450_pdf, bad)
    with pytest.raises(SourceError) as caught:
        _read(bad)
    assert str(caught.value).startswith(f"{bad}: ")
    assert reason in caught.value.reason
    assert len(str(caught.value).splitlines()) == 1


def test_an_encrypted_pdf_really_is_encrypted(tmp_path: Path, kh3450_pdf: Path) -> None:
    _encrypted(kh3450_pdf, tmp_path / "locked.pdf")
    assert PdfReader(tmp_path / "locked.pdf").is_encrypted
