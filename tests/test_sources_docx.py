"""Word documents: paragraphs and table rows of KH 3450 in document order; bad files refused."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from extractors.sources import SourceError, assemble, read_page, triage
from schemas.records import SourceText, TextSource
from tests.conftest import PLANS
from tests.fixtures import Block, make_docx, plan_blocks


def _read(path: Path) -> SourceText:
    return assemble(path, [read_page(page) for page in triage(path)])


def _spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _as_lines(block: Block) -> list[tuple[str, tuple[str, ...] | None]]:
    if not block.rows:
        return [(_spaces(block.text), None)]
    rows = [tuple(_spaces(cell) for cell in row) for row in block.rows]
    return [("\t".join(row), row) for row in rows]


def test_paragraphs_and_rows_in_document_order(tmp_path: Path) -> None:
    source = _read(make_docx(PLANS["kh3450"], tmp_path / "kh3450.docx"))
    expected = [line for block in plan_blocks(PLANS["kh3450"]) for line in _as_lines(block)]
    assert sum(cells is not None for _text, cells in expected) > 90
    assert [(line.text, line.cells) for line in source.lines] == expected
    assert source.text_source == TextSource.DIGITAL
    assert [line.line_no for line in source.lines] == list(range(1, len(source.lines) + 1))


def test_a_merged_cell_is_read_once(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Phụ lục I")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "I Phát triển hạ tầng"
    for cell, text in zip(table.rows[1].cells, ("1", "Tỷ lệ phủ sóng 5G", "≥ 70"), strict=True):
        cell.text = text
    document.add_paragraph("Nơi nhận:")
    document.save(str(tmp_path / "merged.docx"))
    lines = _read(tmp_path / "merged.docx").lines
    assert [(line.text, line.cells) for line in lines] == [
        ("Phụ lục I", None),
        ("I Phát triển hạ tầng\t\t", ("I Phát triển hạ tầng", "", "")),
        ("1\tTỷ lệ phủ sóng 5G\t≥ 70", ("1", "Tỷ lệ phủ sóng 5G", "≥ 70")),
        ("Nơi nhận:", None),
    ]


@pytest.mark.parametrize(("content", "reason"), [
    (b"PK\x03\x04 not really a zip", "not a readable word document"),
    (b"", "empty"),
])
def test_bad_docx_names_the_file_and_the_reason(tmp_path: Path, content: bytes,
                                                reason: str) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(content)
    with pytest.raises(SourceError) as caught:
        _read(bad)
    assert str(caught.value).startswith(f"{bad}: ")
    assert reason in caught.value.reason.lower()
