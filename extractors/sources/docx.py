"""Word documents (.docx): paragraphs and tables in document order, one page.

A cell merged across columns appears once, the columns it covers as empty cells (as in a PDF).
"""

from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from extractors.sources.base import BOMB, SourceError
from extractors.sources.tables import row_line
from schemas.records import PageContext, PageResult, SourceLine, TextSource

_SPACES = re.compile(r"\s+")
log = logging.getLogger("chitieu.sources")
# A Word plan of a thousand pages with its pictures unpacks to tens of MB.
MAX_UNPACKED_BYTES = 256 * 2**20
# Its text and markup, which python-docx parses into a tree of ~35 times that size (a 200 MB
# document.xml reached 7 GB): a plan's is a few MB.
MAX_DOCUMENT_XML_BYTES = 32 * 2**20
DOCUMENT_XML = "word/document.xml"


def _unreadable(path: Path, error: Exception) -> SourceError:
    log.debug("%s: %r", path, error)  # the parser's own words, for -v
    return SourceError(path, "không đọc được tài liệu Word: tệp bị hỏng hoặc không phải .docx "
                             "— lưu lại dưới dạng .docx rồi nạp lại")


def _check_unpacked_size(path: Path) -> None:
    """Refuse a zip bomb before python-docx inflates it (the sizes the archive declares
    bound what zipfile will inflate)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            body = next((member.file_size for member in archive.infolist()
                         if member.filename == DOCUMENT_XML), 0)
    except zipfile.BadZipFile as error:
        raise _unreadable(path, error) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise SourceError(path, f"tài liệu Word giải nén ra {unpacked / 2**20:,.0f} MB (giới hạn "
                                f"{MAX_UNPACKED_BYTES / 2**20:,.0f} MB, {BOMB}) — xin người gửi "
                                "bản PDF")
    if body > MAX_DOCUMENT_XML_BYTES:
        raise SourceError(path, f"phần chữ của tài liệu Word giải nén ra {body / 2**20:,.0f} MB, "
                                f"quá giới hạn {MAX_DOCUMENT_XML_BYTES / 2**20:,.0f} MB (đọc nó "
                                "cần hàng GB bộ nhớ) — hãy xin bản PDF hoặc tách tài liệu")


def _open(path: Path) -> WordDocument:
    _check_unpacked_size(path)
    try:
        return docx.Document(str(path))
    # Its parts are untrusted: zipfile, python-docx and lxml (whose XMLSyntaxError is a
    # SyntaxError) each fail their own way.
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            SyntaxError) as error:
        raise _unreadable(path, error) from error


def triage(path: Path) -> list[PageContext]:
    _open(path)
    return [PageContext(source_path=path, page_no=1, page_count=1, method="docx")]


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _table_rows(table: Table) -> list[tuple[str, ...]]:
    rows = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:  # a merged cell comes once per grid column it covers
            cells.append("" if id(cell._tc) in seen else _clean(cell.text))
            seen.add(id(cell._tc))
        if any(cells):
            rows.append(tuple(cells))
    return rows


def document_lines(document: WordDocument) -> list[SourceLine]:
    lines: list[SourceLine] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph) and (text := _clean(block.text)):
            lines.append(SourceLine(page=1, line_no=len(lines) + 1, text=text))
        elif isinstance(block, Table):
            lines += [row_line(1, len(lines) + 1 + offset, cells)
                      for offset, cells in enumerate(_table_rows(block))]
    return lines


def read_page(context: PageContext) -> PageResult:
    lines = document_lines(_open(context.source_path))
    return PageResult(page_no=1, text_source=TextSource.DIGITAL, lines=tuple(lines))
