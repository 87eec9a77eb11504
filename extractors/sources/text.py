"""Text files (.txt, .md): exports of plans or text an earlier OCR produced.

A line keeps the file's own 1-based number; a form feed starts a new page; a tab-separated
line is a table row.
"""

from __future__ import annotations

from pathlib import Path

from extractors.sources.base import SourceError, decode_text
from normalizers.markup import strip_markup
from schemas.records import PageContext, PageResult, SourceLine, TextSource

# A plan exported as text is hundreds of kB; a file this large is not one (it is read whole).
MAX_TEXT_BYTES = 64 * 2**20


def triage(path: Path) -> list[PageContext]:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise SourceError(path, f"tệp văn bản {size / 2**20:,.0f} MB, quá giới hạn "
                                f"{MAX_TEXT_BYTES / 2**20:,.0f} MB cho một văn bản — hãy tách tệp")
    return [PageContext(source_path=path, page_no=1, page_count=1, method="text_file")]


def _source_line(page_no: int, line_no: int, raw: str) -> SourceLine | None:
    raw = raw.rstrip("\r")
    if "\t" in raw:
        cells = tuple(strip_markup(cell).strip() for cell in raw.split("\t"))
        if not any(cells):
            return None
        return SourceLine(page=page_no, line_no=line_no, text="\t".join(cells), cells=cells)
    text = strip_markup(raw).strip()
    return SourceLine(page=page_no, line_no=line_no, text=text) if text else None


def read_page(context: PageContext) -> PageResult:
    """The whole file; pages are split on form feeds but line numbers stay the file's."""
    text = decode_text(context.source_path, context.source_path.read_bytes())
    lines: list[SourceLine] = []
    page_no = 1
    for line_no, raw in enumerate(text.split("\n"), start=1):
        page_no += raw.count("\f")
        if line := _source_line(page_no, line_no, raw.replace("\f", "")):
            lines.append(line)
    return PageResult(page_no=1, text_source=TextSource.DIGITAL, lines=tuple(lines))
