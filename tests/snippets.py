"""Plans as the extractors receive them: invented snippets (one Line per text line) and the
real plans read by the product's own reader."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from normalizers.unicode import normalize_text
from pipeline.run.stages import read_normalised
from schemas.records import Document, Line, SourceText, TextSource


def snippet_lines(text: str, first_line: int = 1) -> list[Line]:
    """Lines of `text`; tab-separated lines become table rows, as the text-file reader does."""
    lines = []
    for number, raw in enumerate(text.strip("\n").split("\n"), start=first_line):
        normalized = normalize_text(raw)
        cells = tuple(cell.strip() for cell in normalized.split("\t")) if "\t" in raw else None
        lines.append(Line(doc_id="", page=1, line_no=number, raw_text=raw, text=normalized,
                          cells=cells))
    return lines


def snippet_document(doc_id: str = "99-KH-TU", title: str | None = "Kế hoạch năm 2026",
                     issued_on: date | None = date(2026, 1, 5)) -> Document:
    return Document(doc_id=doc_id, number=None, issued_on=issued_on, title=title,
                    source_path=f"{doc_id}.txt", sha256="0" * 64,
                    text_source=TextSource.DIGITAL)


def read_with_product(path: Path) -> tuple[SourceText, list[Line]]:
    """A plan file through the product's own read and normalise stages, as the flow runs
    them (markup stripped, Unicode and tones normalised, a damaged text marked OCR)."""
    return read_normalised(path)
