"""Two wordings are one indicator only when what distinguishes a measure agrees: fixed or
mobile network, what a share counts, administrative level, per year or not. Alike wordings a
qualifier apart are listed for review, never merged. The plans are invented, in two layouts
(a district plan in prose, a department's table)."""

from __future__ import annotations

import pytest

from extractors.targets import extract_targets
from pipeline.link.indicators import link_indicators, qualifiers, reduced_wording, review_links
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


# Two more plans from other issuers: a province's resolution in prose and a district's plan
# in one sentence. The same measures are worded as each issuer writes them.
PROVINCE_PLAN = """\
I. MỤC TIÊU ĐẾN NĂM 2027
- Kinh tế số chiếm 25% GRDP của tỉnh.
- Tỷ trọng công nghiệp chế biến, chế tạo trong GRDP đạt 38%.
- 100% thủ tục hành chính đủ điều kiện theo quy định của pháp luật được cung cấp dưới hình \
thức dịch vụ công trực tuyến toàn trình.
- Tỷ lệ thủ tục hành chính đủ điều kiện được cung cấp dịch vụ công trực tuyến mức độ 3 và 4 \
đạt 95%.
- Tỷ lệ người dân nông thôn được tập huấn kỹ năng số cơ bản đạt 60%.
- GRDP bình quân đầu người đạt 9.500 USD.
"""
PARTY_RESOLUTION = """\
Mục tiêu đến năm 2030
- Phấn đấu tỷ trọng kinh tế số trong GRDP đạt 35%.
- Tỷ lệ thủ tục hành chính đủ điều kiện được cung cấp trực tuyến toàn trình đạt 100%.
- Tỷ lệ thủ tục hành chính đủ điều kiện được cung cấp dịch vụ công trực tuyến mức độ 4 đạt 90%.
- Tỷ lệ người dân đô thị được tập huấn kỹ năng số cơ bản đạt 90%.
- GRDP bình quân đầu người đạt 240 triệu đồng.
"""
DISTRICT_SENTENCE = "Năm 2026, huyện phấn đấu kinh tế số đạt 18% GDP địa phương.\n"


@pytest.fixture(scope="module")
def issuers() -> list[Target]:
    return (plan(PROVINCE_PLAN, "21-KH-UBND") + plan(PARTY_RESOLUTION, "7-NQ-TU")
            + plan(DISTRICT_SENTENCE, "45-KH-UBND"))


def test_a_share_of_grdp_is_one_measure_however_it_is_framed(issuers: list[Target]) -> None:
    _, links = link_indicators(issuers, None)
    chiem = find(issuers, "21-KH-UBND", "Kinh tế số", 2027)
    ty_trong = find(issuers, "7-NQ-TU", "kinh tế số", 2030)
    local_gdp = find(issuers, "45-KH-UBND", "kinh tế số", 2026)  # "GDP địa phương" is GRDP
    assert links[chiem.target_id] == links[ty_trong.target_id] == links[local_gdp.target_id]
    assert links[chiem.target_id] != links[find(issuers, "21-KH-UBND", "chế biến",
                                                2027).target_id]


def test_the_wording_without_its_framing() -> None:
    assert reduced_wording("Tỷ trọng kinh tế số trong GRDP", "pct_grdp") == "kinh te so"
    assert reduced_wording("Phát triển kinh tế số chiếm", "pct_gdp") == "kinh te so"
    # "số" opening a wording counts; after a noun it means digital
    assert reduced_wording("Số doanh nghiệp công nghệ số") == "doanh nghiep cong nghe so"
    assert reduced_wording("doanh số bán lẻ TMĐT") == reduced_wording(
        "doanh số bán lẻ thương mại điện tử")


def test_how_far_a_service_runs_online_the_area_and_the_currency_keep_measures_apart(
        issuers: list[Target]) -> None:
    _, links = link_indicators(issuers, None)

    def same(words_a: str, year_a: int, words_b: str, year_b: int) -> bool:
        return (links[find(issuers, "21-KH-UBND", words_a, year_a).target_id]
                == links[find(issuers, "7-NQ-TU", words_b, year_b).target_id])

    assert same("toàn trình", 2027, "toàn trình", 2030)  # framing words aside, one measure
    assert not same("mức độ 3 và 4", 2027, "mức độ 4", 2030)
    assert not same("toàn trình", 2027, "mức độ 4", 2030)
    assert not same("nông thôn", 2027, "đô thị", 2030)
    assert not same("bình quân đầu người", 2027, "bình quân đầu người", 2030)  # USD, đồng
    assert qualifiers("dịch vụ công trực tuyến mức độ 3 và 4", False)["service_level"] == {
        "mức độ 3 và 4"}
    assert qualifiers("GRDP bình quân đầu người", False, "triệu đồng")["currency"] == {"đồng"}


def test_one_row_worded_inside_another_of_the_same_table_stays_apart() -> None:
    # all of row 1's words are in row 2: alike as sets, but a table's two rows are two measures
    table = ("Phụ lục: CHỈ TIÊU\n" + HEADER + "\n"
             "1\tTỷ lệ hồ sơ công việc tại cơ quan nhà nước được xử lý trên môi trường mạng"
             "\t%\t100\t100\tSở Nội vụ\n"
             "2\tTỷ lệ văn bản, hồ sơ công việc tại cơ quan nhà nước được xử lý toàn trình trên "
             "môi trường mạng\t%\t≥ 70\t100\tSở Nội vụ\n")
    targets = plan(table, "88-KH-SNV")
    _, links = link_indicators(targets, None)
    assert len({links[target.target_id] for target in targets}) == 2


def test_what_a_rank_ranks_keeps_ranks_apart_and_an_abbreviation_is_its_words() -> None:
    resolution = plan("Mục tiêu đến năm 2030\n- Tỉnh thuộc nhóm 10 tỉnh, thành phố dẫn đầu cả "
                      "nước về chuyển đổi số.\n", "30-NQ-TU")
    province = plan("Mục tiêu đến năm 2027\n- Thuộc nhóm 15 tỉnh, thành phố dẫn đầu cả nước về "
                    "CĐS và về an toàn thông tin.\n", "12-KH-UBND")
    department = plan("Mục tiêu đến năm 2030\n- Chính quyền số của tỉnh thuộc nhóm 10 tỉnh, "
                      "thành phố dẫn đầu cả nước.\n", "5-KH-SKHCN")
    _, links = link_indicators(resolution + province + department, None)
    (transformation,), (abbreviated,), (government,) = resolution, province, department
    assert links[transformation.target_id] == links[abbreviated.target_id]
    assert links[transformation.target_id] != links[government.target_id]
    assert qualifiers(abbreviated.indicator_text, False, rank=True)["ranked"] == {
        "chuyển đổi số", "an ninh mạng"}


def test_what_is_done_to_the_records_keeps_measures_apart() -> None:
    department = plan("Mục tiêu đến năm 2026\n- Tỷ lệ số hóa hồ sơ thủ tục hành chính đạt 95%.\n",
                      "9-KH-STP")
    district = plan("Mục tiêu đến năm 2026\n- 90% hồ sơ thủ tục hành chính được xử lý hoàn toàn "
                    "trực tuyến.\n", "31-KH-UBND")
    commune = plan("Mục tiêu đến năm 2027\n- Tỷ lệ hồ sơ thủ tục hành chính được số hóa và lưu "
                   "trữ đạt 100%.\n", "4-KH-UBND")
    _, links = link_indicators(department + district + commune, None)
    (digitised,), (online,), (kept,) = department, district, commune
    assert links[digitised.target_id] != links[online.target_id]
    assert links[digitised.target_id] == links[kept.target_id]  # both count digitised files
    # "số" opening "số hóa" is no count: the word stays
    assert reduced_wording("Tỷ lệ số hóa hồ sơ") == "so hoa ho so"


def test_alike_wordings_a_new_qualifier_apart_are_listed_for_review(issuers: list[Target]
                                                                     ) -> None:
    indicators, links = link_indicators(issuers, None)
    reasons = {link.reason for link in review_links(issuers, indicators, links).doubtful
               if not link.linked}
    assert {"giống nhau nhưng tách vì khác mức độ dịch vụ trực tuyến",
            "giống nhau nhưng tách vì khác địa bàn (nông thôn / đô thị)",
            "giống nhau nhưng tách vì khác đơn vị tiền tệ"} <= reasons
