"""Vietnamese numbers and the comparators the plans write around them."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.numbers import (
    find_prose_deadline,
    find_thresholds,
    parse_deadline,
    parse_number,
    parse_threshold_cell,
)


@pytest.mark.parametrize(("text", "value"), [
    ("1.200", 1200.0), ("12.000.000", 12_000_000.0), ("0,65", 0.65), ("01", 1.0),
    ("3,4", 3.4), ("14.5", 14.5), ("2.000", 2000.0), ("100", 100.0),
])
def test_parse_number_reads_vietnamese_notation(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "5G"])
def test_parse_number_rejects_what_is_not_a_number(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "comparator", "value", "unit"), [
    ("Tỷ lệ phủ sóng ≥ 60%", ">=", 60, "%"),
    ("Chỉ số ≤ 0,5", "<=", 0.5, None),
    ("Có từ 06 người", ">=", 6, None),
    ("bố trí ít nhất 3,4% ngân sách", ">=", 3.4, "%"),
    ("tối thiểu 03 bài toán", ">=", 3, None),
    ("80% trở lên cơ quan", ">=", 80, "%"),
    ("Quy mô kinh tế số đạt 30% GRDP", "=", 30, "%GRDP"),
    ("tăng trên 15%", ">", 15, "%"),
    ("giảm dưới 5%", "<", 5, "%"),
    ("không quá 5 ngày", "<=", 5, None),
    ("tối đa 80% thôn", "<=", 80, "%"),
    ("không dưới 70%", ">=", 70, "%"),
    ("Chỉ số ≥ 0,75 trở lên", ">=", 0.75, None),
    ("100% cán bộ", "=", 100, "%"),
    ("Có ≥ 1.200 cán bộ", ">=", 1200, None),
    ("Có => 250 doanh nghiệp", ">=", 250, None),  # what an English OCR makes of ≥
    ("Có =≥ 18 vườn ươm", ">=", 18, None),
    ("Có > = 5 đơn", ">=", 5, None),
    ("Có từ’ 54 người", ">=", 54, None),
    ("60% trở [ện cơ quan", ">=", 60, "%"),  # "trở lên" as a restored OCR left it
    ("60% trở [lên cơ quan", ">=", 60, "%"),
])
def test_comparators_from_symbols_and_words(text: str, comparator: str, value: float,
                                            unit: str | None) -> None:
    first = find_thresholds(text)[0]
    assert (first.comparator, first.value, first.unit) == (comparator, value, unit)


@pytest.mark.parametrize(("text", "low", "high", "unit"), [
    ("Có 15 - 20 trung tâm", 15, 20, None),
    ("Mỗi năm có 50 đến 60 dự án", 50, 60, None),
    ("80% - 90% dân số", 80, 90, "%"),
    ("từ 07 – 10 trung tâm", 7, 10, None),
])
def test_ranges_are_between(text: str, low: float, high: float, unit: str | None) -> None:
    (threshold,) = find_thresholds(text)
    assert (threshold.comparator, threshold.value, threshold.value_max, threshold.unit) == (
        "between", low, high, unit)


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("tăng từ 60% lên 80%", 80, "%"),
    ("giảm từ 10% xuống còn 5%", 5, "%"),
    ("tăng từ 20 lên mức 35 doanh nghiệp", 35, None),
])
def test_a_change_from_one_value_to_another_targets_the_second(text: str, value: float,
                                                               unit: str | None) -> None:
    (threshold,) = find_thresholds(text)
    assert (threshold.comparator, threshold.value, threshold.value_max, threshold.unit) == (
        "=", value, None, unit)


def test_a_bare_number_is_not_explicit_but_a_symbol_is() -> None:
    bare, symbol = find_thresholds("100% cán bộ và ≥ 5 đơn vị")
    assert not bare.explicit
    assert symbol.explicit


@pytest.mark.parametrize("text", [
    "ngày 22/12/2024", "Nghị quyết số 57-NQ/TW", "Chương trình 02-CTr/BCĐTW", "mạng 5G",
    "Mỗi năm c¢6 là OCR", "x4 hội",
])
def test_dates_document_numbers_and_ocr_debris_are_not_quantities(text: str) -> None:
    assert find_thresholds(text) == []


def test_threshold_span_covers_the_comparator_words() -> None:
    text = "Có ít nhất 50% cơ quan"
    (threshold,) = find_thresholds(text)
    assert text[threshold.start:threshold.end] == "ít nhất 50%"


@pytest.mark.parametrize(("cell", "comparator", "value", "unit"), [
    ("≥ 70", ">=", 70, None), ("100", "=", 100, None), ("05", "=", 5, None),
    ("Có", "exists", None, None), ("Đạt 2% GRDP", "=", 2, "%GRDP"), ("≥ 0,65", ">=", 0.65, None),
    ("≥ 14,5", ">=", 14.5, None),
])
def test_table_cells(cell: str, comparator: str, value: float | None, unit: str | None) -> None:
    threshold = parse_threshold_cell(cell)
    assert threshold is not None
    assert (threshold.comparator, threshold.value, threshold.unit) == (comparator, value, unit)
    assert threshold.explicit


@pytest.mark.parametrize("cell", ["-", "", "  ", "–", "Không"])
def test_empty_cells_hold_no_target(cell: str) -> None:
    assert parse_threshold_cell(cell) is None


def test_the_date_of_a_cited_decree_is_no_deadline() -> None:
    """A deadline cell "Trong năm 2024 … theo Nghị định 45/2020/NĐ-CP ngày 08/4/2020" is due at
    the end of 2024, not on the day the decree was issued."""
    deadline = parse_deadline("Thực hiện theo lộ trình trong năm 2024; số hóa hồ sơ theo Nghị "
                              "định 45/2020/NĐ-CP ngày 08/4/2020")
    assert deadline is not None and deadline.due_date == date(2024, 12, 31)


def test_continuing_education_is_a_name_not_a_recurrence() -> None:
    """ "giáo dục thường xuyên" (continuing education) says nothing of when the work is due."""
    assert find_prose_deadline("Sở chủ trì hướng dẫn các trung tâm giáo dục thường xuyên.") is None
    deadline = find_prose_deadline("Sở chủ trì kiểm tra thường xuyên việc triển khai.")
    assert deadline is not None and deadline.recurring
