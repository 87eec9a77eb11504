"""Sources → lines with provenance. One reader per input format, one entry point for all.

`triage` plans the pages of a file (and refuses what cannot be read), `read_page` reads one
page (pure and picklable, so a task runner can spread pages over cores or a Dask cluster),
`assemble` puts the pages of a file back together in order.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from extractors.sources.base import SourceError
from extractors.sources.formats import BY_METHOD, BY_SUFFIX, SUPPORTED_SUFFIXES
from extractors.sources.tables import join_page_tables
from schemas.records import PageContext, PageResult, SourceLine, SourceText, TextSource

__all__ = ["SUPPORTED_SUFFIXES", "SourceError", "assemble", "read_page", "read_source",
           "triage"]
# Weakest first: a document is as trustworthy as its weakest page.
_SOURCE_ORDER = (TextSource.OCR_TEXT, TextSource.OCR, TextSource.DIGITAL)


def triage(path: Path) -> list[PageContext]:
    if not path.is_file():
        raise SourceError(path, "không có tệp này — kiểm tra lại đường dẫn")
    if path.stat().st_size == 0:
        raise SourceError(path, "tệp rỗng (0 byte) — lấy lại tệp từ người gửi")
    found = BY_SUFFIX.get(path.suffix.lower())
    if found is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise SourceError(path, f"chưa đọc được loại tệp '{path.suffix}' (đọc được: {supported}) "
                                "— lưu thành PDF, DOCX hoặc .txt")
    return found.reader().triage(path)


def read_page(context: PageContext) -> PageResult:
    return BY_METHOD[context.method].reader().read_page(context)


def _numbered(lines: list[SourceLine]) -> tuple[SourceLine, ...]:
    """Line numbers through the whole document (pages number their lines from 1)."""
    return tuple(line.model_copy(update={"line_no": line_no})
                 for line_no, line in enumerate(lines, start=1))


def assemble(path: Path, pages: list[PageResult]) -> SourceText:
    """One page (a text file keeps its own line numbers) or pages joined: tables that run
    over a page break become one table again, lines are numbered through the document."""
    ordered = sorted(pages, key=lambda page: page.page_no)
    joined = join_page_tables(ordered)
    lines = _numbered(joined) if len(ordered) > 1 else tuple(joined)
    if not lines:
        raise SourceError(path, "không tìm thấy chữ nào trong tệp — nếu là bản quét, hãy quét "
                                "lại rõ hơn")
    sources = {page.text_source for page in pages}
    weakest = next(source for source in _SOURCE_ORDER if source in sources)
    return SourceText(
        source_path=path,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        text_source=weakest,
        lines=lines,
        page_count=max(len(ordered), max(line.page for line in lines)),
    )


def read_source(path: Path, workers: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> SourceText:
    """The whole file without a flow: pages on threads (OCR runs in Tesseract processes);
    `progress(pages_done, page_count)` after each page."""
    pages = triage(path)
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        futures = [pool.submit(read_page, page) for page in pages]
        results = []
        for done, future in enumerate(as_completed(futures), start=1):
            results.append(future.result())
            if progress is not None:
                progress(done, len(pages))
    return assemble(path, results)
