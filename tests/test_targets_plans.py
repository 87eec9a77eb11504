"""Targets from the real plans. Expected counts come from the text's own structure (bullets,
table rows, horizon headings), never from the answer key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.metadata import read_document
from extractors.targets import extract_targets
from schemas.records import Target
from tests.conftest import PLANS
from tests.snippets import read_with_product

DIRECTION_ONLY = re.compile(r"^- (Tiếp tục|Thu hút)")


def plan_targets(path: Path) -> list[Target]:
    source, lines = read_with_product(path)
    document, _ = read_document(source, lines)
    return extract_targets(document, lines)


def raw_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def kh08() -> list[Target]:
    return plan_targets(PLANS["kh08"])


@pytest.fixture(scope="module")
def kh3450() -> list[Target]:
    return plan_targets(PLANS["kh3450"])


def kh08_specific_objectives() -> list[tuple[int, str]]:
    """(line number, text) of KH 08 section II.2, from "2. Mục tiêu cụ thể" to "III."."""
    lines = raw_lines(PLANS["kh08"])
    start = lines.index("2. Mục tiêu cụ thể")
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("III."))
    return [(number, lines[number - 1]) for number in range(start + 1, end + 1)]


def test_every_kh08_target_bullet_yields_its_targets(kh08: list[Target]) -> None:
    by_line: dict[int, list[Target]] = {}
    for target in kh08:
        by_line.setdefault(target.line, []).append(target)
    bullets = [(number, text) for number, text in kh08_specific_objectives()
               if text.startswith("- ")]
    assert len(bullets) > 150
    for number, text in bullets:
        found = by_line.get(number, [])
        if DIRECTION_ONLY.match(text):
            assert found == [], text
        elif re.search(r"\d", text):
            assert found, f"line {number}: {text}"
            assert all(t.comparator != "exists" for t in found), text
        else:
            assert [t.comparator for t in found] == ["exists"], text
        # Two thresholds joined by ";" or ", tỷ lệ …" are two targets.
        if re.search(r"[;,] tỷ lệ .*(≥|đạt) ?\$?\\?[\d]", text.replace("\\geq", "≥")):
            assert len(found) == 2, text


def test_kh08_years_and_sections_follow_the_headings(kh08: list[Target]) -> None:
    year = letter = horizon = None
    expected: dict[int, tuple[int, str]] = {}
    for number, text in kh08_specific_objectives():
        if match := re.match(r"2\.(\d)\. Đến hết năm (\d{4})", text):
            horizon, year = match.group(1), int(match.group(2))
        elif match := re.match(r"([a-e])\) ", text):
            letter = match.group(1)
        elif text.startswith("- ") and year:
            expected[number] = (year, f"II.2.{horizon}.{letter}")
    in_section = [t for t in kh08 if t.line in expected]
    assert {t.target_year for t in in_section} == {2025, 2030, 2035, 2040, 2045}
    for target in in_section:
        assert (target.target_year, target.section) == expected[target.line], target


def test_kh08_wordings_the_issue_names(kh08: list[Target]) -> None:
    def at(line: int) -> list[tuple[str, float | None, float | None, str | None, bool]]:
        return [(t.comparator, t.value, t.value_max, t.unit, t.per_year)
                for t in kh08 if t.line == line]

    lines = raw_lines(PLANS["kh08"])

    def line_of(prefix: str) -> int:
        return next(i for i, text in enumerate(lines, start=1) if text.startswith(prefix))

    assert at(line_of("- Có từ 06 người")) == [(">=", 6, None, "persons_per_10k", False)]
    assert at(line_of("- Có 15 - 20 trung tâm")) == [("between", 15, 20, "trung tâm", False)]
    assert at(line_of("- Mỗi năm có 50 đến 60 dự án")) == [("between", 50, 60, "dự án", True)]
    assert at(line_of("- 100% cán bộ, công chức cấp tỉnh")) == [("=", 100, None, "%", False)]
    assert at(line_of("- Chỉ số chuyển đổi số cấp tỉnh $\\geq 0,6$")) == [
        (">=", 0.6, None, "index", False)]
    assert at(line_of("- Mỗi năm có ≥ 20 công trình")) == [(">=", 20, None, "công trình", True)]
    assert at(line_of("- Có ≥ 1.200 cán bộ")) == [(">=", 1200, None, "cán bộ", False)]
    assert at(line_of("- Duy trì Trung tâm giám sát")) == [("exists", None, None, None, False)]
    budget_line = line_of("- Bỏ trí $\\geq 1,0\\%$")
    assert at(budget_line) == [(">=", 1.0, None, "%", False), ("=", 2, None, "%GRDP", False)]


def appendix_rows(path: Path, first: str, last: str) -> list[tuple[int, list[str]]]:
    lines = raw_lines(path)
    start = next(i for i, text in enumerate(lines) if text.startswith(first))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(last))
    return [(number, lines[number - 1].split("\t")) for number in range(start + 1, end + 1)
            if "\t" in lines[number - 1]]


def test_every_appendix_one_row_yields_one_target_per_filled_year(kh3450: list[Target]) -> None:
    rows = appendix_rows(PLANS["kh3450"], "Phụ lục I", "Phụ lục 2")
    roman = None
    data_rows = 0
    for number, cells in rows:
        first = cells[0].split()
        if first and re.fullmatch(r"[IVX]+", first[0]):
            roman = first[0]
            continue
        if not cells[0].strip().isdigit():
            continue  # the header, repeated on every page
        data_rows += 1
        found = [t for t in kh3450 if t.line == number]
        filled = [cell for cell in cells[3:5] if cell.strip() not in ("", "-")]
        assert len(found) == len(filled), cells
        assert [t.target_year for t in found] == [2026, 2030][:len(found)]
        for target in found:
            assert target.section == f"PL1.{roman}.{cells[0].strip()}"
            assert target.owner_agency == cells[5].strip()
            assert target.confidence >= 0.9
    assert data_rows > 50


def test_appendix_one_cell_wordings(kh3450: list[Target]) -> None:
    by_row = {}
    for target in kh3450:
        by_row.setdefault(target.section, []).append(target)
    soc = by_row["PL1.I.3"]
    assert [(t.comparator, t.unit) for t in soc] == [("exists", None), ("exists", None)]
    assert [(t.comparator, t.value, t.unit) for t in by_row["PL1.II.2"]] == [
        ("=", 2, "%GRDP"), ("=", 3, "%GRDP")]
    assert [(t.value, t.unit) for t in by_row["PL1.V.1"]] == [(0.65, "index"), (0.75, "index")]
    assert [(t.value, t.unit) for t in by_row["PL1.V.15"]] == [(14.5, "%GRDP"), (30, "%GRDP")]
    assert [(t.value, t.unit) for t in by_row["PL1.II.5"]] == [
        (7, "persons_per_10k"), (12, "persons_per_10k")]
    assert len(by_row["PL1.V.13"]) == 1  # 2030 is "-"


def test_thresholds_inside_task_rows(kh3450: list[Target]) -> None:
    lines = raw_lines(PLANS["kh3450"])
    number = next(i for i, text in enumerate(lines, start=1) if "ít nhất 3,4%" in text)
    (budget,) = [t for t in kh3450 if t.line == number]
    assert (budget.comparator, budget.value, budget.unit) == (">=", 3.4, "%")
    assert budget.indicator_text.startswith("ngân sách cho phát triển khoa học")
    assert budget.owner_agency == "Sở Tài chính"
    assert budget.section is not None and budget.section.startswith("PL2.")
    assert budget.confidence < 0.9 and budget.confidence_note


def test_a_plan_without_target_lists_gives_no_invented_targets() -> None:
    targets = plan_targets(PLANS["ctr01"])
    assert all(t.confidence_note for t in targets)  # only thresholds stated in task text
    assert all(not (1900 <= (t.value or 0) <= 2100) for t in targets)
