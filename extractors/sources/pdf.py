"""PDFs: pages with a text layer are read with pdfplumber, pages without one go to OCR.

Text comes in reading order (top to bottom) with each table row in its place as one line with
its cells; text inside a table's box is read only as part of that table.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.page import Page
from pdfplumber.table import Table
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from extractors.sources.base import ASK_SENDER, PDFIUM_LOCK, SourceError
from extractors.sources.tables import row_line
from schemas.records import PageContext, PageResult, SourceLine, TextSource

_SPACES = re.compile(r"\s+")
# An embedded image must cover this share of the page to be the page.
WHOLE_PAGE_SHARE = 0.9
# A scan whose text layer is shorter carries a stamp on the image (a digital signature's
# "Ký bởi … Thời gian ký …", a page number), not the text of the page: it is OCR'd.
MIN_SCAN_TEXT_CHARACTERS = 200
_ENCRYPTED = (PDFPasswordIncorrect, PDFEncryptionError)
# pdfminer logs each oddity of a damaged file as a warning on stderr; what matters reaches
# the user as one SourceError line instead.
logging.getLogger("pdfminer").setLevel(logging.ERROR)
log = logging.getLogger("chitieu.sources")


def _corrupt(path: Path, error: Exception) -> SourceError:
    log.debug("%s: %r", path, error)  # the parser's own words, for -v
    return SourceError(path, f"tệp PDF bị hỏng hoặc bị cắt cụt — {ASK_SENDER}")


@contextmanager
def open_pdf(path: Path) -> Iterator[pdfplumber.PDF]:
    """The opened PDF; encrypted, truncated or corrupt files raise SourceError."""
    try:
        with pdfplumber.open(path) as pdf:
            yield pdf
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, _ENCRYPTED):
            raise SourceError(path, "tệp PDF có mật khẩu (bị mã hoá) — lưu một bản không đặt "
                                    "mật khẩu rồi nạp lại") from error
        raise _corrupt(path, cause) from error
    except MalformedPDFException as error:
        raise _corrupt(path, error) from error


@contextmanager
def open_pdfium(path: Path) -> Iterator[pdfium.PdfDocument]:
    """The PDF opened by pdfium under its lock (pdfium is not thread-safe); a file pdfium
    cannot parse raises SourceError."""
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as error:
            raise _corrupt(path, error) from error
        try:
            yield document
        except pdfium.PdfiumError as error:  # a page that does not load
            raise _corrupt(path, error) from error
        finally:
            document.close()


def whole_page_image(page: pdfium.PdfPage) -> pdfium.PdfImage | None:
    """The page's one image when it covers the page: the page is a scan."""
    images = list(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=1))
    if len(images) != 1:
        return None
    left, bottom, right, top = images[0].get_bounds()
    width, height = page.get_size()
    covered = (right - left) * (top - bottom) / (width * height)
    return images[0] if covered >= WHOLE_PAGE_SHARE else None


def _has_text_layer(page: pdfium.PdfPage) -> bool:
    """Text that is the page's own: any text on a page that is not a scan; on a scan, more
    than a stamp (pdfium counts characters without pdfplumber's layout analysis)."""
    characters = len("".join(page.get_textpage().get_text_range().split()))
    if characters >= MIN_SCAN_TEXT_CHARACTERS:
        return True
    return characters > 0 and whole_page_image(page) is None


def text_layer_pages(path: Path) -> list[bool]:
    """Per page: does it carry its own text, or must it be OCR'd?"""
    with open_pdfium(path) as document:
        return [_has_text_layer(page) for page in document]


def triage(path: Path) -> list[PageContext]:
    with open_pdf(path) as pdf:  # pdfminer's checks: encrypted, truncated, corrupt
        page_count = len(pdf.pages)
    if not page_count:
        raise SourceError(path, f"tệp PDF không có trang nào — {ASK_SENDER}")
    has_text = text_layer_pages(path)
    if len(has_text) != page_count:  # damaged page tree: the two parsers disagree
        raise _corrupt(path, ValueError(f"{page_count} or {len(has_text)} pages"))
    return [
        PageContext(source_path=path, page_no=page_no, page_count=len(has_text),
                    method="text" if text else "ocr")
        for page_no, text in enumerate(has_text, start=1)
    ]


def _cell_text(cell: str | None) -> str:
    return _SPACES.sub(" ", cell or "").strip()


def _table_rows(table: Table) -> Iterator[tuple[float, tuple[str, ...]]]:
    for row, cells in zip(table.rows, table.extract(), strict=True):
        texts = tuple(_cell_text(cell) for cell in cells)
        if any(texts):
            yield row.bbox[1], texts


def _outside(tables: list[Table]) -> Callable[[dict[str, Any]], bool]:
    """A filter for pdfplumber objects: true for those whose middle is in no table."""

    def keep(obj: dict[str, Any]) -> bool:
        middle_x = (obj["x0"] + obj["x1"]) / 2
        middle_y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= middle_x <= x1 and top <= middle_y <= bottom
                       for x0, top, x1, bottom in (table.bbox for table in tables))

    return keep


def page_lines(page: Page, page_no: int) -> list[SourceLine]:
    """Text lines and table rows of one page, top to bottom, numbered from 1."""
    tables = page.find_tables()
    placed: list[tuple[float, str | tuple[str, ...]]] = list(
        row for table in tables for row in _table_rows(table))
    prose = page.filter(_outside(tables)) if tables else page
    placed += [(line["top"], _cell_text(line["text"])) for line in prose.extract_text_lines()
               if line["text"].strip()]
    lines = []
    for line_no, (_top, content) in enumerate(sorted(placed, key=lambda item: item[0]), 1):
        if isinstance(content, tuple):
            lines.append(row_line(page_no, line_no, content))
        else:
            lines.append(SourceLine(page=page_no, line_no=line_no, text=content))
    return lines


def read_page(context: PageContext) -> PageResult:
    with open_pdf(context.source_path) as pdf:
        try:
            lines = page_lines(pdf.pages[context.page_no - 1], context.page_no)
        # The page's content is untrusted: pdfminer fails on damaged content streams in
        # many ways (MalformedPDFException, ValueError, KeyError …); each means the same.
        except Exception as error:
            log.debug("%s: %r", context.source_path, error)
            raise SourceError(context.source_path, f"trang {context.page_no} bị hỏng — "
                                                   f"{ASK_SENDER}") from error
    return PageResult(page_no=context.page_no, text_source=TextSource.DIGITAL,
                      lines=tuple(lines))
