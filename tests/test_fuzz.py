"""Fuzzing: the parsers document text goes through never raise, whatever the text.

Text is drawn three ways: any Unicode, Vietnamese-looking text with digits and comparator
symbols, and sequences of fragments real plans use (so the regexes get past their first
character). Examples are bounded so CI stays fast.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.numbers import (
    find_prose_deadline,
    find_thresholds,
    parse_date,
    parse_deadline,
    parse_number,
    parse_threshold_cell,
)
from extractors.targets import extract_targets, prose_drafts
from extractors.tasks import extract_tasks
from normalizers.markup import strip_markup
from normalizers.restore import needs_repair
from normalizers.unicode import normalize_text
from schemas.records import Document, Line, TextSource

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

VIETNAMESE_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
    "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)
SYMBOLS = "0123456789 .,;:%/-–—()≥≤⩾⩽<>=+*#_$\\{}[]|\t'’`?\u0301\u0309"
FRAGMENTS = [
    "đến năm", "năm 2030", "2026", "≥", "≤", "> =", "=>", "80%", "80 %", "1.200", "0,65", "14.5",
    "tỷ đồng", "triệu đồng", "doanh nghiệp", "ít nhất", "tối thiểu", "không quá", "trở lên",
    "từ", "đạt", "phấn đấu đạt", "15 - 20", "50 đến 60", "Quý IV/2026", "quý 3 năm 2027",
    "tháng 6/2026", "ngày 30/6/2026", "31/12/2025", "hằng năm", "Thường xuyên", "Trước",
    "Sở Khoa học và Công nghệ", "chủ trì", "phối hợp", "I.", "1.", "a)", "-", "*", "**",
    "<i>", "</i>", "$\\geq 60\\%$", "# ", "Mục tiêu", "Chỉ tiêu", "GRDP", "5G", "trở [ện",
    "mỗi năm", "giai đoạn 2026-2030", "\n", "\t", " ", "\u00a0", "2", "=",
]
any_text = st.text(max_size=200)
vietnamese_text = st.text(alphabet=VIETNAMESE_LETTERS + SYMBOLS, max_size=200)
plan_like_text = st.lists(st.sampled_from(FRAGMENTS), max_size=25).map(" ".join)
texts = st.one_of(any_text, vietnamese_text, plan_like_text)


@FUZZ
@given(texts)
def test_number_and_threshold_parsing_never_raise(text: str) -> None:
    number = parse_number(text)
    assert number is None or isinstance(number, float)
    for threshold in find_thresholds(text):
        assert threshold.comparator in {">=", ">", "<=", "<", "=", "between", "exists"}
    parse_threshold_cell(text)


@FUZZ
@given(texts)
def test_date_and_deadline_parsing_never_raise(text: str) -> None:
    found = parse_date(text)
    assert found is None or isinstance(found, date)
    parse_deadline(text)
    find_prose_deadline(text)


@FUZZ
@given(texts, st.booleans(), st.booleans())
def test_line_level_target_extractor_never_raises(text: str, strong_only: bool,
                                                  ocr_text: bool) -> None:
    for draft in prose_drafts(text, strong_only=strong_only, ocr_text=ocr_text):
        if draft.span is not None:
            assert 0 <= draft.span[0] <= draft.span[1] <= len(text) + 1


def _lines(rows: list[str | list[str]]) -> list[Line]:
    lines = []
    for line_no, row in enumerate(rows, start=1):
        cells = tuple(row) if isinstance(row, list) else None
        text = "\t".join(row) if isinstance(row, list) else row
        lines.append(Line(doc_id="fuzz", page=1, line_no=line_no, raw_text=text, text=text,
                          cells=cells))
    return lines


@FUZZ
@given(st.lists(st.one_of(texts, st.lists(texts, min_size=1, max_size=6)), max_size=12),
       st.sampled_from(list(TextSource)))
def test_document_extractors_never_raise(rows: list[str | list[str]],
                                         text_source: TextSource) -> None:
    """Whole documents of fuzzed lines and ragged table rows through both extractors."""
    document = Document(doc_id="fuzz", source_path="fuzz.txt", sha256="0" * 64,
                        text_source=text_source, issued_on=date(2026, 1, 1))
    lines = _lines(rows)
    for target in extract_targets(document, lines):
        assert target.doc_id == "fuzz"
    for task in extract_tasks(document, lines):
        assert task.doc_id == "fuzz"


@FUZZ
@given(texts)
def test_normalisers_never_raise(text: str) -> None:
    stripped = strip_markup(text)
    assert isinstance(stripped, str)
    normalised = normalize_text(text)
    assert normalize_text(normalised) == normalised  # idempotent, as its contract says
    assert needs_repair(text) in (True, False)
