"""Two wordings are one indicator only when what distinguishes a measure agrees: fixed or
mobile network, what a share counts, administrative level, per year or not. Alike wordings a
qualifier apart are listed for review, never merged. The plans are invented, in two layouts
(a district plan in prose, a department's table)."""

from __future__ import annotations

import pytest

from extractors.targets import extract_targets
from pipeline.link.indicators import link_indicators, qualifiers, review_links
from schemas.records import Target
from tests.snippets import snippet_document, snippet_lines

DISTRICT_PLAN = """\
II. MỤC TIÊU
1. Mục tiêu đến năm 2027
- Tỷ lệ thôn, tổ dân phố được phủ sóng băng rộng di động đạt 100%.
- Tỷ lệ hộ gia đình có kết nối Internet cáp quang đạt 80%.
- Số doanh nghiệp khởi nghiệp sáng tạo được thành lập mỗi năm ≥ 5 doanh nghiệp.
2. Mục tiêu đến năm 2030
- Tỷ lệ thôn, tổ dân phố được phủ sóng băng rộng cố định đạt 100%.
"""
HEADER = "TT\tTên chỉ tiêu\tĐơn vị tính\tNăm 2027\tNăm 2030\tĐơn vị chủ trì"
DEPARTMENT_TABLE = f"""\
Phụ lục: CHỈ TIÊU
{HEADER}
1\tTỷ lệ thôn được phủ sóng băng rộng cố định\t%\t≥ 85\t100\tSở Khoa học và Công nghệ
2\tTỷ lệ thôn có kết nối Internet cáp quang\t%\t≥ 95\t100\tSở Khoa học và Công nghệ
3\tSố doanh nghiệp khởi nghiệp sáng tạo được thành lập\tDoanh nghiệp\t≥ 20\t≥ 40\tSở Tài chính
"""


def plan(text: str, doc_id: str) -> list[Target]:
    return extract_targets(snippet_document(doc_id=doc_id), snippet_lines(text))


@pytest.fixture(scope="module")
def targets() -> list[Target]:
    return plan(DISTRICT_PLAN, "15-KH-UBND") + plan(DEPARTMENT_TABLE, "120-KH-SKHCN")


def find(targets: list[Target], doc_id: str, words: str, year: int) -> Target:
    return next(t for t in targets if t.doc_id == doc_id and words in t.indicator_text
                and t.target_year == year)


def test_the_qualifiers_a_wording_names() -> None:
    assert qualifiers("Tỷ lệ thôn, tổ dân phố được phủ sóng băng rộng di động", False) == {
        "network": {"di động"}, "counted": {"thôn"}, "per_year": {"lũy kế"}}
    assert qualifiers("Tỷ lệ hộ gia đình có kết nối Internet cáp quang", False)["counted"] == {
        "hộ gia đình"}
    assert qualifiers("cán bộ, công chức cấp xã được bồi dưỡng", True)["level"] == {"xã"}
    # "xã" opens the wording only as a word: "xã hội hóa" names no commune.
    assert "counted" not in qualifiers("Tỷ lệ xã hội hóa đầu tư hạ tầng", False)


def test_fixed_and_mobile_broadband_are_two_indicators(targets: list[Target]) -> None:
    _, links = link_indicators(targets, None)
    mobile = find(targets, "15-KH-UBND", "di động", 2027)
    fixed_district = find(targets, "15-KH-UBND", "cố định", 2030)
    fixed_department = find(targets, "120-KH-SKHCN", "cố định", 2027)
    assert links[mobile.target_id] != links[fixed_district.target_id]
    assert links[mobile.target_id] != links[fixed_department.target_id]
    assert links[fixed_district.target_id] == links[fixed_department.target_id]


def test_what_a_share_counts_and_a_per_year_rate_keep_measures_apart(targets: list[Target]
                                                                      ) -> None:
    _, links = link_indicators(targets, None)
    households = find(targets, "15-KH-UBND", "hộ gia đình", 2027)
    villages = find(targets, "120-KH-SKHCN", "cáp quang", 2027)
    per_year = find(targets, "15-KH-UBND", "khởi nghiệp", 2027)
    stock = find(targets, "120-KH-SKHCN", "khởi nghiệp", 2027)
    assert per_year.per_year and not stock.per_year
    assert links[households.target_id] != links[villages.target_id]
    assert links[per_year.target_id] != links[stock.target_id]


def test_alike_wordings_a_qualifier_apart_are_listed_for_review(targets: list[Target]) -> None:
    indicators, links = link_indicators(targets, None)
    review = review_links(targets, indicators, links)
    split = [link for link in review.doubtful if not link.linked and "tách vì" in link.reason]
    pairs = {frozenset((link.text_a, link.text_b)): link.reason for link in split}
    mobile_fixed = frozenset(("Tỷ lệ thôn, tổ dân phố được phủ sóng băng rộng di động",
                              "Tỷ lệ thôn, tổ dân phố được phủ sóng băng rộng cố định"))
    assert "cố định / di động" in pairs[mobile_fixed]
    assert any("đối tượng" in reason for reason in pairs.values())
    doubts = [link.doubt for link in review.doubtful]
    assert doubts == sorted(doubts, reverse=True)
