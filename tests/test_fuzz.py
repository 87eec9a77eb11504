"""Fuzzing: the parsers document text goes through never raise, whatever the text.

Text is drawn three ways: any Unicode, Vietnamese-looking text with digits and comparator
symbols, and sequences of fragments real plans use (so the regexes get past their first
character). Examples are bounded so CI stays fast. Last, whole generated plans go through
`chitieu run`: extract, load, link, check, report and exports.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from extractors import targets as targets_module
from extractors.numbers import (
    find_prose_deadline,
    find_thresholds,
    parse_date,
    parse_deadline,
    parse_number,
    parse_threshold_cell,
)
from extractors.targets import (
    RESTATEMENT_WINDOW,
    SAME_TARGET_SCORE,
    _restatements_dropped,
    extract_targets,
    prose_drafts,
)
from extractors.tasks import extract_tasks
from extractors.textblocks import fold
from normalizers.markup import strip_markup
from normalizers.restore import needs_repair
from normalizers.unicode import normalize_text
from pipeline.check.amendments import document_label
from pipeline.cli import main
from pipeline.present.report import md
from pipeline.store.warehouse import Warehouse
from schemas.records import Document, Line, Target, TextSource

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

VIETNAMESE_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
    "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)
SYMBOLS = "0123456789 .,;:%/-–—()≥≤⩾⩽<>=+*#_$\\{}[]|\t'’`?\u0301\u0309"
FRAGMENTS = [
    "&lt;", "&gt;", "&amp;", "&#60;", "<svg/onload=alert(1)>", "<script>", "</", "<!--", "-->",
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
    assert not re.search(r"<[A-Za-z/!?]", stripped)  # no tag, whatever the entities hid
    normalised = normalize_text(text)
    assert normalize_text(normalised) == normalised  # idempotent, as its contract says
    assert needs_repair(text) in (True, False)


# ---------------------------------------------------------------- the whole path

ISSUERS = ["ỦY BAN NHÂN DÂN\nTỈNH BÌNH AN", "TỈNH ỦY LÂM ĐỒNG", "BỘ KHOA HỌC VÀ CÔNG NGHỆ",
           "SỞ THÔNG TIN VÀ TRUYỀN THÔNG\nTỈNH AN GIANG"]
NUMBERS = ["12/KH-UBND", "08-KH/TU", "45/KH-BKHCN", "7/CTr-UBND"]
INDICATORS = ["hồ sơ thủ tục hành chính được xử lý trực tuyến", "doanh nghiệp dùng hợp đồng "
              "điện tử", "kinh tế số trong GRDP", "thôn có cáp quang", "người dân có danh tính số",
              "cơ quan nhà nước dùng chữ ký số", "xã có điểm phục vụ bưu chính"]
AGENCIES = ["Sở Khoa học và Công nghệ", "Sở Nội vụ", "UBND các huyện", "Văn phòng UBND tỉnh",
            "Công an tỉnh"]
years = st.integers(2024, 2035)
values = st.one_of(st.integers(0, 100).map(str), st.decimals(0, 500, places=1).map(str))


@st.composite
def target_clause(draw: st.DrawFn) -> str:
    indicator = draw(st.sampled_from(INDICATORS))
    value = draw(values)
    unit = draw(st.sampled_from(["%", " doanh nghiệp", " tỷ đồng", ""]))
    comparator = draw(st.sampled_from(["đạt", "đạt trên", "tối thiểu", "ít nhất", "không quá",
                                       "phấn đấu đạt", "≥"]))
    year = draw(st.sampled_from(["", f" vào năm {draw(years)}", f" đến năm {draw(years)}",
                                 " hằng năm"]))
    if draw(st.booleans()):
        return f"- {value}{unit} {indicator}{year}."
    return f"- Tỷ lệ {indicator} {comparator} {value}{unit}{year}."


@st.composite
def task_clause(draw: st.DrawFn) -> str:
    lead, partner = draw(st.lists(st.sampled_from(AGENCIES), min_size=2, max_size=2,
                                  unique=True))
    due = draw(st.sampled_from([f"trước ngày {draw(st.integers(1, 28))}/"
                                f"{draw(st.integers(1, 12))}/{draw(years)}",
                                f"trong Quý {draw(st.sampled_from(['I', 'II', 'III', 'IV']))}/"
                                f"{draw(years)}", "thường xuyên", ""]))
    return f"{lead} chủ trì, phối hợp với {partner} triển khai nền tảng số, hoàn thành {due}."


@st.composite
def plan_text(draw: st.DrawFn, number: str | None) -> str:
    lines = [draw(st.sampled_from(ISSUERS))] if draw(st.booleans()) else []
    if number:
        lines.append(f"Số: {number}")
    if draw(st.booleans()):
        lines.append(f"Bình An, ngày {draw(st.integers(1, 28))} tháng "
                     f"{draw(st.integers(1, 12))} năm {draw(years)}")
    horizon = draw(st.sampled_from(["", " năm 2026", " giai đoạn 2026-2030"]))
    lines += ["KẾ HOẠCH", f"Chuyển đổi số{horizon}"]
    lines.append("I. MỤC TIÊU")
    if draw(st.booleans()):
        lines.append(f"1. Mục tiêu đến năm {draw(years)}")
    lines += draw(st.lists(st.one_of(target_clause(), texts), max_size=6))
    if draw(st.booleans()):
        lines.append("STT\tChỉ tiêu\tNăm 2025\tNăm 2030")
        lines += [f"{row}\t{draw(st.sampled_from(INDICATORS))}\t{draw(values)}%\t{draw(values)}%"
                  for row in range(1, draw(st.integers(1, 4)) + 1)]
    lines.append("II. NHIỆM VỤ")
    lines += [f"{n}. {clause}" for n, clause in
              enumerate(draw(st.lists(task_clause(), max_size=4)), start=1)]
    return "\n".join(lines)


@st.composite
def plan_folders(draw: st.DrawFn) -> dict[str, str]:
    """One to three plans; two may share a number (a draft beside the final) or both lack
    one, and two folders may hold one file name."""
    numbers = draw(st.lists(st.sampled_from([*NUMBERS, None]), min_size=1, max_size=3))
    return {f"{draw(st.sampled_from(['a', 'b']))}/van-ban-{index % 2}.txt": draw(plan_text(number))
            for index, number in enumerate(numbers)}


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.mark.slow
@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(plan_folders())
def test_generated_plans_go_through_extract_load_link_check_and_report(
        prefect_harness: None, plans: dict[str, str]) -> None:
    """Whatever the generated plans hold: no internal error, every document reported and
    exported, every command that reads the warehouse answers."""
    with tempfile.TemporaryDirectory() as root:
        folder, db_path, out = Path(root) / "in", Path(root) / "w.duckdb", Path(root) / "out"
        for name, text in plans.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        result = _invoke("run", str(folder), "--db", str(db_path), "--out", str(out))
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output and "lỗi nội bộ" not in result.output
        with Warehouse.open(db_path, read_only=True) as warehouse:
            documents = warehouse.documents()
            target_count = len(warehouse.targets())
        report = (out / "report.md").read_text(encoding="utf-8")
        assert (out / "report.html").is_file()
        assert all(md(document_label(document, document.doc_id)) in report
                   for document in documents)
        exported = pd.read_csv(out / "exports" / "documents.csv")
        assert sorted(exported["doc_id"]) == sorted(document.doc_id for document in documents)
        assert len(pd.read_csv(out / "exports" / "targets.csv")) == target_count
        for command in ("docs", "targets", "tasks", "indicators", "check"):
            answer = _invoke(command, "--db", str(db_path))
            assert answer.exit_code == 0, (command, answer.output)
        again = _invoke("run", str(folder), "--db", str(db_path), "--out", str(out))
        assert again.exit_code == result.exit_code, again.output
        with Warehouse.open(db_path, read_only=True) as warehouse:  # re-runs settle
            assert warehouse.documents() == documents


# ---------------------------------------------------------------- restatements, linearly


def _restatements_dropped_by_pairs(targets: list[Target]) -> list[Target]:
    """The definition, comparing every pair (what the product did before it was linear)."""
    def same(a: Target, b: Target) -> bool:
        return ((a.comparator, a.value, a.value_max, a.unit)
                == (b.comparator, b.value, b.value_max, b.unit)
                and None in (a.target_year, b.target_year)
                and fuzz.token_set_ratio(fold(a.indicator_text), fold(b.indicator_text))
                >= SAME_TARGET_SCORE)

    kept: list[Target] = []
    for target in targets:
        found = next((index for index, earlier in enumerate(kept)
                      if earlier.comparator != "exists" and same(earlier, target)), None)
        if found is None:
            kept.append(target)
        elif kept[found].target_year is None and target.target_year is not None:
            del kept[found]
            kept.append(target)
    return kept


def _target(number: int, wording: str, year: int | None, comparator: str, value: float
            ) -> Target:
    return Target(target_id=f"t{number}", doc_id="d", indicator_text=wording, target_year=year,
                  comparator=comparator, value=None if comparator == "exists" else value,
                  unit="%", page=1, line=number, source_text=wording, confidence=0.9)


restatement_lists = st.lists(
    st.tuples(st.sampled_from(["tỷ lệ hồ sơ trực tuyến", "Tỷ lệ hồ sơ trực tuyến cấp xã",
                               "doanh nghiệp số", "tỷ lệ doanh nghiệp số", "cáp quang"]),
              st.sampled_from([None, None, 2025, 2030]), st.sampled_from([">=", "=", "exists"]),
              st.sampled_from([80.0, 90.0])),
    max_size=30)


@FUZZ
@given(restatement_lists)
def test_restatements_are_dropped_as_comparing_every_pair_would(
        rows: list[tuple[str, int | None, str, float]]) -> None:
    targets = [_target(number, *row) for number, row in enumerate(rows)]
    assert _restatements_dropped(targets) == _restatements_dropped_by_pairs(targets)


def test_dropping_restatements_compares_each_target_with_a_bounded_number_of_others(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A 5 MB line of clauses is ~100 000 targets: every pair would be 5·10⁹ comparisons."""
    calls = {"n": 0}
    ratio = fuzz.token_set_ratio

    def counted(a: str, b: str) -> float:
        calls["n"] += 1
        return ratio(a, b)

    monkeypatch.setattr(targets_module.fuzz, "token_set_ratio", counted)
    count = 3000
    wordings = [hashlib.sha256(str(number).encode()).hexdigest()[:12] for number in range(count)]
    targets = [_target(number, wording, None, ">=", 80.0)
               for number, wording in enumerate(wordings)]
    assert len(_restatements_dropped(targets)) == count
    assert calls["n"] <= count * RESTATEMENT_WINDOW < count * (count - 1) // 2
