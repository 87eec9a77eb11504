"""The indicator catalog: one id per measure across plans, never merging different ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.targets import extract_targets
from pipeline.link.indicators import OverrideError, link_indicators, read_overrides, review_links
from schemas.records import Target
from tests.snippets import snippet_document, snippet_lines

PROSE_PLAN = """\
2. Mục tiêu cụ thể
2.1. Đến hết năm 2025
- Tỷ lệ phủ sóng 5G trên địa bàn ≥ 60%.
- Tỷ lệ phủ sóng 6G trên địa bàn ≥ 10%.
- Có ≥ 10% doanh nghiệp sử dụng kết quả nghiên cứu từ viện, trường.
- Có ≥ 12 doanh nghiệp khoa học và công nghệ trên địa bàn.
- Có ≥ 80% cán bộ, công chức cấp xã được bồi dưỡng kỹ năng số căn bản.
- 100% cán bộ, công chức cấp tỉnh được bồi dưỡng kỹ năng số căn bản.
- Duy trì Trung tâm giám sát an ninh mạng (SOC), giám sát, ứng cứu sự cố.
2.2. Đến hết năm 2030
- Tỷ lệ phủ sóng 5G trên địa bàn đạt 100%.
- Có ≥ 70 doanh nghiệp khoa học và công nghệ.
"""
HEADER = "STT\tChỉ tiêu\tĐơn vị tính\tNăm 2026\tNăm 2030\tCơ quan chủ trì theo dõi"
TABLE_PLAN = f"""\
Phụ lục I: DANH MỤC CHỈ TIÊU
{HEADER}
I\tPhát triển hạ tầng\t\t\t\t
1\tTỷ lệ phủ sóng mạng băng rộng di động (5G)\t%\t≥ 70\t100\tSở Khoa học và Công nghệ
2\tTrung tâm giám sát an ninh mạng (SOC), giám sát, ứng cứu sự cố\t-\tCó\tCó\tCông an tỉnh
3\tSố doanh nghiệp khoa học và công nghệ trên địa bàn tỉnh\tDoanh nghiệp\t≥ 12\t≥ 70\tSở KH&CN
4\tTỷ lệ doanh nghiệp sử dụng kết quả nghiên cứu từ viện, trường\t%\t≥ 15\t≥ 25\tSở KH&CN
5\tTỷ lệ hồ sơ công việc được xử lý trên môi trường điện tử\t%\t100\t100\tSở KH&CN
6\tTỷ lệ văn bản, hồ sơ công việc xử lý toàn trình trên môi trường điện tử\t%\t≥ 70\t100\tSở
"""


def plan(text: str, doc_id: str) -> list[Target]:
    return extract_targets(snippet_document(doc_id=doc_id), snippet_lines(text))


@pytest.fixture(scope="module")
def targets() -> list[Target]:
    return plan(PROSE_PLAN, "08-KH-TU") + plan(TABLE_PLAN, "3450-KH-UBND")


def find(targets: list[Target], doc_id: str, text: str, year: int | None = None) -> Target:
    return next(t for t in targets if t.doc_id == doc_id and text in t.indicator_text
                and (year is None or t.target_year == year))


def same(links: dict[str, str], a: Target, b: Target) -> bool:
    return links[a.target_id] == links[b.target_id]


def test_the_same_measure_worded_differently_links_across_plans(targets: list[Target]) -> None:
    _, links = link_indicators(targets, None)
    prose_5g = find(targets, "08-KH-TU", "5G", 2025)
    assert same(links, prose_5g, find(targets, "3450-KH-UBND", "(5G)", 2026))
    assert same(links, prose_5g, find(targets, "08-KH-TU", "5G", 2030))  # years do not matter
    assert same(links, find(targets, "08-KH-TU", "Duy trì Trung tâm"),
                find(targets, "3450-KH-UBND", "Trung tâm giám sát"))
    assert same(links, find(targets, "08-KH-TU", "doanh nghiệp khoa học", 2025),
                find(targets, "3450-KH-UBND", "Số doanh nghiệp khoa học", 2026))
    assert same(links, find(targets, "08-KH-TU", "doanh nghiệp sử dụng"),
                find(targets, "3450-KH-UBND", "Tỷ lệ doanh nghiệp sử dụng"))


def test_different_measures_stay_apart(targets: list[Target]) -> None:
    _, links = link_indicators(targets, None)
    five_g = find(targets, "08-KH-TU", "5G")
    assert not same(links, five_g, find(targets, "08-KH-TU", "6G"))
    # a share of enterprises is not a number of enterprises
    assert not same(links, find(targets, "08-KH-TU", "doanh nghiệp sử dụng"),
                    find(targets, "08-KH-TU", "doanh nghiệp khoa học", 2025))
    # commune and province officials are two measures
    assert not same(links, find(targets, "08-KH-TU", "cấp xã"),
                    find(targets, "08-KH-TU", "cấp tỉnh"))
    # two rows of one table are two indicators, however alike
    assert not same(links, find(targets, "3450-KH-UBND", "Tỷ lệ hồ sơ công việc"),
                    find(targets, "3450-KH-UBND", "Tỷ lệ văn bản, hồ sơ"))


def test_catalog_lists_every_linked_indicator_once(targets: list[Target]) -> None:
    indicators, links = link_indicators(targets, None)
    assert set(links) == {t.target_id for t in targets}
    ids = [indicator.indicator_id for indicator in indicators]
    assert len(ids) == len(set(ids)) and set(ids) == set(links.values())
    five_g = next(i for i in indicators if i.indicator_id == links[
        find(targets, "08-KH-TU", "5G").target_id])
    assert five_g.unit == "%"
    assert {five_g.name, *five_g.aliases} == {
        "Tỷ lệ phủ sóng 5G trên địa bàn", "Tỷ lệ phủ sóng mạng băng rộng di động (5G)"}


def test_ids_do_not_depend_on_load_order_or_on_an_unrelated_new_plan(
        targets: list[Target]) -> None:
    _, links = link_indicators(targets, None)
    _, reversed_links = link_indicators(list(reversed(targets)), None)
    assert links == reversed_links
    other = plan("2. Mục tiêu cụ thể\n- Có ≥ 5 khu công nghệ thông tin tập trung.", "9-KH-X")
    _, grown = link_indicators(targets + other, None)
    assert {key: grown[key] for key in links} == links
    assert grown[other[0].target_id] not in links.values()


def test_a_newly_loaded_plan_links_to_the_existing_catalog(targets: list[Target]) -> None:
    _, links = link_indicators(targets, None)
    new = plan("2. Mục tiêu cụ thể\n- Tỷ lệ phủ sóng mạng 5G toàn tỉnh ≥ 90%.", "44-KH-TU")
    _, relinked = link_indicators(targets + new, None)
    assert relinked[new[0].target_id] == links[find(targets, "08-KH-TU", "5G").target_id]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reviewer_pins_and_unpins(targets: list[Target], tmp_path: Path) -> None:
    _, links = link_indicators(targets, None)
    six_g = find(targets, "08-KH-TU", "6G")
    table_5g = find(targets, "3450-KH-UBND", "(5G)")
    overrides = write(tmp_path / "overrides.csv", (
        "action,doc_id,line,indicator_text,indicator_id,note\n"
        f"pin,08-KH-TU,{six_g.line},,mobile_coverage_pct,reviewer: one coverage measure\n"
        f"pin,3450-KH-UBND,{table_5g.line},5G,mobile_coverage_pct,\n"
        f"unpin,08-KH-TU,{find(targets, '08-KH-TU', '5G', 2030).line},,,\n"))
    indicators, pinned = link_indicators(targets, overrides)
    assert pinned[six_g.target_id] == pinned[table_5g.target_id] == "mobile_coverage_pct"
    assert "mobile_coverage_pct" in {indicator.indicator_id for indicator in indicators}
    prose_5g_2030 = find(targets, "08-KH-TU", "5G", 2030)
    assert pinned[prose_5g_2030.target_id] != links[find(targets, "08-KH-TU", "5G", 2025)
                                                    .target_id]
    assert set(pinned.values()) == {indicator.indicator_id for indicator in indicators}


def test_shipped_override_file_is_empty_and_well_formed() -> None:
    shipped = Path(__file__).resolve().parents[1] / "pipeline/link/indicator_overrides.csv"
    assert read_overrides(shipped) == []


@pytest.mark.parametrize("content", [
    "what,ever\npin,1\n",
    "action,doc_id,line,indicator_text,indicator_id,note\nmerge,08-KH-TU,3,,x,\n",
    "action,doc_id,line,indicator_text,indicator_id,note\npin,08-KH-TU,three,,x,\n",
    "action,doc_id,line,indicator_text,indicator_id,note\npin,08-KH-TU,3,,,\n",
])
def test_a_bad_override_file_is_one_clear_error(tmp_path: Path, content: str) -> None:
    path = write(tmp_path / "bad.csv", content)
    with pytest.raises(OverrideError, match=r"bad\.csv"):
        read_overrides(path)


def test_review_lists_near_misses_and_single_plan_measures(targets: list[Target]) -> None:
    indicators, links = link_indicators(targets, None)
    review = review_links(targets, indicators, links)
    reasons = {(link.text_a, link.text_b): link for link in review.doubtful}
    five_six = next(link for pair, link in reasons.items()
                    if {"Tỷ lệ phủ sóng 5G trên địa bàn", "Tỷ lệ phủ sóng 6G trên địa bàn"}
                    == set(pair))
    assert not five_six.linked and "ký hiệu" in five_six.reason
    assert all(0 <= link.score <= 100 for link in review.doubtful)
    single = {indicator.indicator_id for indicator in review.single_document}
    assert links[find(targets, "08-KH-TU", "6G").target_id] in single
    assert links[find(targets, "08-KH-TU", "5G").target_id] not in single


def test_ids_from_the_last_linking_survive_a_new_plan(targets: list[Target]) -> None:
    _, links = link_indicators(targets, None)
    stored = [t.model_copy(update={"indicator_id": links[t.target_id]}) for t in targets]
    # A new table names 5G coverage in a way that would win the naming on its own.
    new_table = plan(f"{HEADER}\n1\tTỷ lệ dân số phủ sóng 5G\t%\t≥ 90\t100\tSở KH&CN", "50-KH-UBND")
    _, relinked = link_indicators(stored + new_table, None)
    _, fresh = link_indicators(targets + new_table, None)
    five_g = find(targets, "08-KH-TU", "5G").target_id
    assert relinked[new_table[0].target_id] == relinked[five_g] == links[five_g]
    assert fresh[five_g] != links[five_g]  # without the stored ids the name would change
