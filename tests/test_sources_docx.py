"""Word documents: paragraphs and table rows of KH 3450 in document order; bad files refused."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest

from extractors.sources import SourceError, assemble, read_page, triage
from pipeline.dev.documents import Block, make_docx, plan_blocks
from schemas.records import SourceText, TextSource
from tests.conftest import PLANS


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
    (b"PK\x03\x04 not really a zip", "không đọc được tài liệu word"),
    (b"", "rỗng"),
])
def test_bad_docx_names_the_file_and_the_reason(tmp_path: Path, content: bytes,
                                                reason: str) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(content)
    with pytest.raises(SourceError) as caught:
        _read(bad)
    assert str(caught.value).startswith(f"{bad}: ")
    assert reason in caught.value.reason.lower()


def _with_part(source: Path, target: Path, part: str, write) -> Path:
    """A copy of a Word file whose `part` is replaced by what `write` streams into it."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(
            target, "w", compression=zipfile.ZIP_DEFLATED) as copy:
        for member in original.infolist():
            if member.filename != part:
                copy.writestr(member, original.read(member))
        with copy.open(part, "w") as stream:
            write(stream)
    return target


def _small_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Kế hoạch số 12/KH-UBND")
    document.save(str(path))
    return path


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    def inflate(stream) -> None:  # 300 MB of paragraphs, a few hundred KB packed
        for _ in range(300):
            stream.write(b"<w:p/>" * (2**20 // 6))

    bomb = _with_part(_small_docx(tmp_path / "plan.docx"), tmp_path / "bomb.docx",
                      "word/document.xml", inflate)
    assert bomb.stat().st_size < 2 * 2**20
    with pytest.raises(SourceError) as caught:
        triage(bomb)
    assert "bom giải nén" in caught.value.reason


def test_a_damaged_document_part_is_refused(tmp_path: Path) -> None:
    broken = _with_part(_small_docx(tmp_path / "plan.docx"), tmp_path / "broken.docx",
                        "word/document.xml", lambda stream: stream.write(b"<w:document><w:bo"))
    with pytest.raises(SourceError) as caught:
        _read(broken)
    assert str(caught.value).startswith(f"{broken}: ")
    assert "không đọc được tài liệu Word" in caught.value.reason
