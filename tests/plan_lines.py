"""Read a plan into the records the extractors take, for tests."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from normalizers.unicode import normalize_text
from schemas.records import Line, SourceLine, SourceText, TextSource

_MARKUP = re.compile(r"\*+|^#+\s*|</?i>|\$")


def _strip(text: str) -> str:
    return _MARKUP.sub("", text).replace("\\geq", "≥").replace("\\%", "%")


def read_plan(path: Path) -> tuple[SourceText, list[Line]]:
    raw_lines = path.read_text(encoding="utf-8").split("\n")
    source_lines = []
    for number, raw in enumerate(raw_lines, start=1):
        cells = tuple(_strip(cell).strip() for cell in raw.split("\t")) if "\t" in raw else None
        source_lines.append(SourceLine(page=1, line_no=number, text=_strip(raw).rstrip(),
                                       cells=cells))
    source = SourceText(source_path=path, sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                        text_source=TextSource.DIGITAL, lines=tuple(source_lines), page_count=1)
    lines = [Line(doc_id="", page=line.page, line_no=line.line_no, raw_text=line.text,
                  text=normalize_text(line.text),
                  cells=tuple(normalize_text(cell) for cell in line.cells) if line.cells else None)
             for line in source_lines]
    return source, lines
