"""Text inputs: markup stripped, the file's line numbers kept, tables as rows, bad bytes refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.sources import SourceError, assemble, read_page, triage
from normalizers.markup import strip_markup
from schemas.records import SourceText
from tests.conftest import PLANS


def _read(path: Path) -> SourceText:
    return assemble(path, [read_page(page) for page in triage(path)])


@pytest.mark.parametrize(
    ("exported", "clean"),
    [
        (r"- Tỷ lệ phủ sóng 5G $\geq 60\%$.", "- Tỷ lệ phủ sóng 5G ≥ 60%."),
        (r"Chỉ số chuyển đổi số cấp tỉnh $\geq 0,6$", "Chỉ số chuyển đổi số cấp tỉnh ≥ 0,6"),
        ("Số đơn (<i>sáng chế</i>) mỗi năm", "Số đơn (sáng chế) mỗi năm"),
        ("## **I. QUAN ĐIỂM CHỈ ĐẠO**", "I. QUAN ĐIỂM CHỈ ĐẠO"),
        ("(*qua Sở Khoa học và Công nghệ*) **trước ngày 31/3/2026**.",
         "(qua Sở Khoa học và Công nghệ) trước ngày 31/3/2026."),
        ("-----", ""),
        ("- Có 15 - 20 trung tâm", "- Có 15 - 20 trung tâm"),
    ],
)
def test_strip_markup(exported: str, clean: str) -> None:
    assert strip_markup(exported) == clean


def test_text_plan_keeps_file_line_numbers_and_table_rows() -> None:
    source = _read(PLANS["kh3450"])
    by_number = {line.line_no: line for line in source.lines}
    file_lines = PLANS["kh3450"].read_text(encoding="utf-8").split("\n")
    row_115 = file_lines[114].split("\t")
    assert by_number[115].cells is not None
    assert by_number[115].cells[:4] == tuple(cell.strip() for cell in row_115[:4])
    assert by_number[157].cells[3] == "≥ 0,65"  # LaTeX inside a cell
    assert all(file_lines[line.line_no - 1].strip() for line in source.lines)


def test_every_nonblank_line_of_a_plan_is_read() -> None:
    source = _read(PLANS["kh08"])
    file_lines = PLANS["kh08"].read_text(encoding="utf-8").split("\n")
    meaningful = [n for n, text in enumerate(file_lines, 1) if strip_markup(text).strip()]
    assert [line.line_no for line in source.lines] == meaningful


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "rỗng"),
        ("blank.txt", b"\n\n  \n", "rỗng"),
        ("junk.txt", bytes(range(256)) * 4, "nhị phân"),
        ("latin1.txt", "Kế hoạch".encode("cp1258", errors="replace") + b"\xe2\x28", "utf-8"),
        ("plan.xyz", b"hello", "chưa đọc được loại tệp"),
    ],
)
def test_bad_text_inputs_name_the_file_and_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError) as caught:
        _read(path)
    assert str(caught.value).startswith(str(path))
    assert reason in str(caught.value).lower()


def test_a_utf16_export_reads_like_its_utf8_original(tmp_path: Path) -> None:
    """Windows Notepad saves "Unicode" text as UTF-16 with a byte-order mark."""
    utf16 = tmp_path / "kh3450-utf16.txt"
    utf16.write_bytes(PLANS["kh3450"].read_text(encoding="utf-8").encode("utf-16"))
    assert _read(utf16).lines == _read(PLANS["kh3450"]).lines


@pytest.mark.parametrize(
    ("exported", "clean"),
    [
        ("&lt;script&gt;alert(1)&lt;/script&gt; Kế hoạch", "alert(1) Kế hoạch"),
        ("&amp;lt;script&amp;gt;x&amp;lt;/script&amp;gt;", "x"),
        ("&#60;img src=x onerror=alert(1)&#62;ảnh", "ảnh"),
        ("Ảnh <svg/onload=alert(1)> minh hoạ", "Ảnh  minh hoạ"),
        ("<svg/onload=alert(1)//", "svg/onload=alert(1)//"),
        ("Ghi chú <!-- ẩn --> hết", "Ghi chú  hết"),
        ("tỷ lệ &lt; 5% và <80% và &gt;= 60%", "tỷ lệ < 5% và <80% và >= 60%"),
        ("Sở KH&amp;CN", "Sở KH&CN"),
    ],
)
def test_markup_hidden_behind_entities_or_odd_tags_becomes_text(exported: str,
                                                                clean: str) -> None:
    assert strip_markup(exported) == clean


def test_a_text_file_over_the_size_limit_is_refused_before_it_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extractors.sources import text, triage

    monkeypatch.setattr(text, "MAX_TEXT_BYTES", 2**20)
    large = tmp_path / "lon.txt"
    large.write_text("Kế hoạch số 12/KH-UBND\n" * 60_000, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        triage(large)
    assert "quá giới hạn 1 MB" in caught.value.reason
    small = tmp_path / "nho.txt"
    small.write_text("Kế hoạch số 12/KH-UBND\n", encoding="utf-8")
    assert len(triage(small)) == 1


def test_one_registry_of_formats_reads_every_page_method_and_imports_readers_lazily() -> None:
    """Each page method the model allows is read by exactly one format, every format's
    module is a reader, and discovering files imports no PDF or image library."""
    import subprocess
    import sys
    from typing import get_args

    from extractors.sources.formats import BY_METHOD, FORMATS
    from schemas.records import PageContext

    methods = get_args(PageContext.model_fields["method"].annotation)
    assert sorted(BY_METHOD) == sorted(methods)
    assert sum(len(found.methods) for found in FORMATS) == len(methods)
    for found in FORMATS:
        reader = found.reader()
        assert callable(reader.triage) and callable(reader.read_page)
    probe = ("import sys, pipeline.run.inputs; "
             "print([m for m in ('pdfplumber', 'PIL', 'pypdfium2') if m in sys.modules])")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "[]"
