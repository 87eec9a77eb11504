"""Targets of texts in the layouts other issuers' plans come in: a news article quoting a
plan, an excerpt starting mid-document, a plan copied from a web page (letterhead cells split
by `|` and `-------`, heading numbers on their own line, lines broken mid-sentence). All the
texts are invented for these tests."""

from __future__ import annotations

import pytest

from extractors.targets import NOTE_NO_YEAR, extract_targets
from schemas.records import Target
from tests.snippets import snippet_document, snippet_lines


def read(text: str, title: str | None = None) -> list[Target]:
    return extract_targets(snippet_document(title=title), snippet_lines(text))


def rows(targets: list[Target]) -> list[tuple]:
    return [(t.line, t.target_year, t.comparator, t.value, t.unit, t.indicator_text)
            for t in targets]


NEWS = "\n".join([
    "08:15 12/05/2027",
    "",
    "Hơn 80% hộ gia đình sẽ có cáp quang",
    "",
    "Kế hoạch đặt mục tiêu năm 2027, tỷ lệ người dân có điện thoại thông minh đạt 88%; "
    "Tỷ lệ hộ gia đình có cáp quang đạt trên 80%.",
    "",
    "Trong phát triển chính quyền số, tỷ lệ hồ sơ được xử lý trực tuyến đạt 60%; "
    "Tỷ lệ cơ quan cung cấp dữ liệu mở đạt 45%.",
    "",
    "Năm 2026, tỷ lệ hồ sơ được xử lý trực tuyến của tỉnh đã đạt 41%.",
])


def test_a_news_article_quoting_a_plan() -> None:
    """No heading at all: every sentence that states a value is read; the year the article
    gives one sentence carries to the next until another is named; the headline restating a
    target is that target; what was achieved ("đã đạt") is no target."""
    assert rows(read(NEWS)) == [
        (5, 2027, "=", 88, "%", "tỷ lệ người dân có điện thoại thông minh"),
        (5, 2027, ">", 80, "%", "Tỷ lệ hộ gia đình có cáp quang"),
        (7, 2027, "=", 60, "%", "tỷ lệ hồ sơ được xử lý trực tuyến"),
        (7, 2027, "=", 45, "%", "Tỷ lệ cơ quan cung cấp dữ liệu mở"),
    ]


def test_a_headline_without_a_blank_line_after_it_stands_alone() -> None:
    """A stored page may run the body on right under the headline: the headline's value keeps
    the headline's wording and the body's first sentence keeps its own."""
    text = ("07:40 03/03/2027\n"
            "Tỉnh phấn đấu kinh tế số chiếm trên 18% GRDP\n"
            "Kế hoạch được ban hành nhằm cụ thể hóa Nghị quyết 57. Đến năm 2027, tỷ lệ doanh "
            "nghiệp sử dụng hợp đồng điện tử đạt 90%.")
    assert [(t.line, t.comparator, t.value, t.unit, t.indicator_text) for t in read(text)] == [
        (2, ">", 18, "%GRDP", "kinh tế số"),
        (3, "=", 90, "%", "tỷ lệ doanh nghiệp sử dụng hợp đồng điện tử"),
    ]


LEAD_IN = """\
Mục tiêu mà ngành giáo dục đặt ra đến năm 2027 là:

100% cơ sở giáo dục kết nối Internet băng rộng

100% học sinh có hồ sơ học tập điện tử; 70% giáo viên được bồi dưỡng kỹ năng số.
"""


def test_a_lead_in_governs_the_paragraphs_after_it() -> None:
    assert rows(read(LEAD_IN)) == [
        (3, 2027, "=", 100, "%", "cơ sở giáo dục kết nối Internet băng rộng"),
        (5, 2027, "=", 100, "%", "học sinh có hồ sơ học tập điện tử"),
        (5, 2027, "=", 70, "%", "giáo viên được bồi dưỡng kỹ năng số"),
    ]


def test_a_lead_in_inside_the_sentence_governs_its_list() -> None:
    text = ("Mục tiêu đến hết năm 2026, đạt 100% xã có điểm phục vụ bưu chính; 100% thôn có "
            "sóng di động; thanh toán không dùng tiền mặt đạt trên 20%.")
    assert [(t.target_year, t.comparator, t.value) for t in read(text)] == [
        (2026, "=", 100), (2026, "=", 100), (2026, ">", 20)]


@pytest.mark.parametrize(("heading", "year"), [
    ("1.1. Mục tiêu cơ bản đến năm 2026", 2026),
    ("2. Định hướng đến năm 2031", 2031),
    ("a) Giai đoạn 2026 - 2029", 2029),
])
def test_the_enclosing_heading_governs_until_the_next_of_its_level(heading: str,
                                                                   year: int) -> None:
    text = f"{heading}\n- Tỷ lệ xã có điểm wifi công cộng đạt 50%.\n3. Nhiệm vụ\n- Có 20 điểm."
    first, *rest = read(text)
    assert first.target_year == year
    assert all(target.target_year != year for target in rest)


@pytest.mark.parametrize(("title", "year"), [
    ("Kế hoạch chuyển đổi số năm 2026", 2026),
    ("Kế hoạch chuyển đổi số giai đoạn 2026 - 2030", 2030),
    ("Chương trình chuyển đổi số đến năm 2028", 2028),
])
def test_the_title_settles_the_year_when_the_text_does_not(title: str, year: int) -> None:
    (target,) = read("2. Mục tiêu cụ thể\n- Tỷ lệ hồ sơ trực tuyến đạt 70%.", title=title)
    assert target.target_year == year


def test_no_year_anywhere_is_an_unknown_year_with_a_note_never_the_issue_date() -> None:
    (target,) = read("2. Mục tiêu cụ thể\n- Tỷ lệ hồ sơ trực tuyến đạt 70%.", title=None)
    assert target.target_year is None
    assert NOTE_NO_YEAR in (target.confidence_note or "")


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Tỷ lệ văn bản đi được ký số cấp tỉnh đạt 95%; cấp huyện đạt 85%; cấp xã đạt 70%.",
     [("Tỷ lệ văn bản đi được ký số cấp tỉnh", "=", 95),
      ("Tỷ lệ văn bản đi được ký số cấp huyện", "=", 85),
      ("Tỷ lệ văn bản đi được ký số cấp xã", "=", 70)]),
    ("100% trường học, 80% bệnh viện và 70% chợ truyền thống có thanh toán số.",
     [("trường học có thanh toán số", "=", 100), ("bệnh viện có thanh toán số", "=", 80),
      ("chợ truyền thống có thanh toán số", "=", 70)]),
    ("Hồ sơ thủ tục hành chính được số hóa đạt tỷ lệ tối thiểu 95%.",
     [("Hồ sơ thủ tục hành chính được số hóa", ">=", 95)]),
    ("Trên 90% doanh nghiệp nhỏ và vừa được tiếp cận nền tảng số.",
     [("doanh nghiệp nhỏ và vừa được tiếp cận nền tảng số", ">", 90)]),
    ("Tỷ trọng kinh tế số đạt từ 20% đến 25%.", [("Tỷ trọng kinh tế số", "between", 20)]),
    ("Kinh tế số đóng góp ≥ 14,5% GRDP của tỉnh.", [("Kinh tế số đóng góp", ">=", 14.5)]),
])
def test_several_targets_in_one_sentence_each_with_its_whole_indicator(
        sentence: str, expected: list[tuple]) -> None:
    found = read(f"2. Mục tiêu cụ thể đến năm 2027\n- {sentence}")
    assert [(t.indicator_text, t.comparator, t.value) for t in found] == expected


WEB_COPY = """\
ỦY BAN NHÂN DÂN
TỈNH BẮC SƠN
-------
| CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 15/KH-UBND | Bắc Sơn, ngày 10 tháng 02 năm 2026

KẾ HOẠCH
Chuyển đổi số tỉnh Bắc Sơn năm 2026

I.
MỤC TIÊU
1.
Mục tiêu cụ thể
- Tỷ lệ hồ sơ thủ tục hành chính được
giải quyết trực tuyến toàn trình đạt 60%.
- Có ít nhất 300 doanh nghiệp công nghệ
số đang hoạt động.
II.
NHIỆM VỤ
"""


def test_text_copied_from_a_web_page() -> None:
    found = read(WEB_COPY, title="Chuyển đổi số tỉnh Bắc Sơn năm 2026")
    assert rows(found) == [
        (16, 2026, "=", 60, "%",
         "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến toàn trình"),
        (18, 2026, ">=", 300, "doanh nghiệp", "doanh nghiệp công nghệ số đang hoạt động"),
    ]
    assert {target.section for target in found} == {"I.1"}


# ---------------------------------------------------------------- named rules, by wording
# Each rule of extractors/targets.py that reads other issuers' sentences, with the wordings
# it is for. A sentence is read as an article reads (no heading, no title year).

def article(text: str) -> list[tuple]:
    return [(t.target_year, t.comparator, t.value, t.value_max, t.unit, t.indicator_text)
            for t in read(text, title=None)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Đến năm 2028, chi cho nghiên cứu phát triển đạt 1,5% GDP.",
     (2028, "=", 1.5, None, "%GDP", "chi cho nghiên cứu phát triển")),
    ("Đến năm 2028, tỷ trọng kinh tế số đạt từ 22% đến 26% GRDP.",
     (2028, "between", 22, 26, "%GRDP", "tỷ trọng kinh tế số")),
    ("Đến năm 2028, kinh tế số đạt khoảng 25% GRDP.",
     (2028, "=", 25, None, "%GRDP", "kinh tế số")),
])
def test_rule_share_of_gdp(sentence: str, expected: tuple) -> None:
    """A share of GDP or GRDP, said after the number or once after a range."""
    assert article(sentence) == [expected]


@pytest.mark.parametrize(("sentence", "wording"), [
    ("Huyện Nam Sơn phấn đấu đến năm 2028, kinh tế số chiếm tối thiểu 25% GRDP.",
     "kinh tế số"),
    ("Theo đề án vừa thông qua, tỉnh đặt mục tiêu đến năm 2028, kinh tế số chiếm 25% GRDP.",
     "kinh tế số"),
    ("Năm 2028, thành phố phấn đấu kinh tế số chiếm 25% GRDP của thành phố.", "kinh tế số"),
    ("Thành phố đặt mục tiêu kinh tế số chiếm 25% GRDP vào năm 2028.", "kinh tế số"),
    ("Mục tiêu cụ thể là phát triển kinh tế số đạt 25% GRDP năm 2028.",
     "phát triển kinh tế số"),
    ("Cùng với đó, kinh tế số chiếm 25% GRDP vào năm 2028.", "kinh tế số"),
    ("Tỉnh có 30 chỉ tiêu, trong đó 4 chỉ tiêu cao hơn bình quân: kinh tế số đạt 25% GRDP "
     "năm 2028.", "kinh tế số"),
])
def test_rule_the_name_starts_after_who_sets_it_and_when(sentence: str, wording: str) -> None:
    """The measure's name starts after a horizon closed by a comma, a verb that sets a target
    ("phấn đấu", "đặt mục tiêu", "mục tiêu cụ thể là"), a connective ("Cùng với đó,") or a
    colon; a count of the plan's own indicators ("30 chỉ tiêu") is no target."""
    assert article(sentence) == [(2028, "=" if "tối thiểu" not in sentence else ">=", 25,
                                  None, "%GRDP", wording)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Đến năm 2028, kinh tế số đạt 25–30% GRDP (cả nước đặt mục tiêu 20%); 85% hồ sơ được "
     "giải quyết trực tuyến (yêu cầu 70%).",
     [(2028, "between", 25, 30, "%GRDP", "kinh tế số"),
      (2028, "=", 85, None, "%", "hồ sơ được giải quyết trực tuyến")]),
    ("Đến năm 2028, tỷ lệ xã có điểm bưu chính (không kể 12 xã đảo) đạt 100%.",
     [(2028, "=", 100, None, "%", "tỷ lệ xã có điểm bưu chính")]),
])
def test_rule_a_bracketed_aside_is_no_target(sentence: str, expected: list[tuple]) -> None:
    """Numbers in brackets compare or explain when the sentence states a value outside them."""
    assert article(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Đến năm 2028 có tối thiểu có 2 trung tâm dữ liệu đạt chuẩn quốc tế.",
     (2028, ">=", 2, None, "trung tâm", "trung tâm dữ liệu đạt chuẩn quốc tế")),
    ("Đến năm 2028, có thêm ít nhất 3 trung tâm đổi mới sáng tạo.",
     (2028, ">=", 3, None, "trung tâm", "trung tâm đổi mới sáng tạo")),
    ("Đến năm 2028, khu công nghệ cao thu hút 80% vốn, với ít nhất 30% vốn ngoài ngân sách.",
     (2028, ">=", 30, None, "%", "vốn ngoài ngân sách")),
])
def test_rule_a_bound_before_the_value_and_its_noun(sentence: str, expected: tuple) -> None:
    """A bound word among the words before a value that precedes its noun bounds it."""
    assert article(sentence)[-1] == expected


@pytest.mark.parametrize(("sentence", "wording"), [
    ("Đến năm 2028, khoa học góp phần phát triển con người, duy trì chỉ số phát triển con "
     "người (HDI) trên 0,75.", "duy trì chỉ số phát triển con người (HDI)"),
    ("Đến năm 2028, nâng cao chỉ số hài lòng của người dân trên 0,75.",
     "nâng cao chỉ số hài lòng của người dân"),
])
def test_rule_a_verb_before_an_index(sentence: str, wording: str) -> None:
    """A verb may open the name of an index; it is an index still (no unit)."""
    assert article(sentence) == [(2028, ">", 0.75, None, "index", wording)]


@pytest.mark.parametrize(("sentence", "years"), [
    ("Đến năm 2030 thuộc nhóm đầu khu vực, đến 2045 kinh tế số đạt tối thiểu 50% GDP.",
     [2045]),
    ("Phát triển kinh tế số đạt 20% GDP năm 2027; tỷ trọng thương mại điện tử đạt trên 10%. "
     "Sau đó đến năm 2030, kinh tế số đạt 30% GDP.", [2027, 2027, 2030]),
    ("Các xã tiếp nhận tối thiểu 60% hồ sơ trực tuyến, trong đó ít nhất 20% được thực hiện "
     "toàn trình, hoàn thành trước 31/8/2027.", [2027, 2027]),
    ("Phấn đấu năm 2027 tăng trưởng kinh tế số đạt 20%.", [2027]),
])
def test_rule_the_year_of_each_value_in_its_sentence(sentence: str, years: list[int]) -> None:
    """A year right after the value, else the last horizon before it in its sentence, else a
    deadline the sentence gives, else the year the sentence before set."""
    assert [found[0] for found in article(sentence)] == years


def test_rule_a_deadline_is_no_part_of_the_name() -> None:
    (*_, share) = article("Các xã tiếp nhận tối thiểu 60% hồ sơ trực tuyến, trong đó ít nhất "
                          "20% được thực hiện toàn trình, hoàn thành trước 31/8/2027.")
    assert share[-1] == "được thực hiện toàn trình"


def test_rule_an_objectives_sentence_sets_the_year_of_the_list_after_it() -> None:
    text = ("Đến nay, hội đã tập hợp hơn 2.000 hội viên. Tỉnh đề ra mục tiêu về khoa học, "
            "công nghệ đến năm 2029.\n\nTỷ lệ doanh nghiệp có đổi mới sáng tạo tối thiểu 45%.")
    assert article(text) == [(2029, ">=", 45, None, "%",
                              "Tỷ lệ doanh nghiệp có đổi mới sáng tạo")]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Đến năm 2028, hoàn thành chuyển đổi số tại 9 xã, phường.",
     (2028, "=", 9, None, "xã", "hoàn thành chuyển đổi số tại xã, phường")),
    ("Đến năm 2028, mỗi tài khoản số trung bình phát sinh 40 lượt giao dịch.",
     (2028, "=", 40, None, "lượt", "mỗi tài khoản số trung bình phát sinh lượt giao dịch")),
])
def test_rule_a_lone_count_after_a_verb(sentence: str, expected: tuple) -> None:
    """A sentence of a target list that states no other value: its count is the target."""
    assert article(sentence) == [expected]


def test_rule_a_value_after_a_colon_takes_its_measuring_unit() -> None:
    assert article("- Tốc độ truy cập di động trung bình: 45 Mb/s.") == [
        (None, "=", 45, None, "Mb/s", "Tốc độ truy cập di động trung bình")]


AREAS_ONLY = """\
1. Hạ tầng di động
- Tỷ lệ thôn có sóng 4G: 100%.
- Giảm số thuê bao chỉ dùng 2G xuống dưới 4%.
2. Hạ tầng cố định
- Tỷ lệ hộ gia đình có cáp quang: 85%.
"""


def test_rule_headings_that_only_name_areas_hold_targets() -> None:
    """An excerpt whose headings name neither objectives nor tasks is a list of targets."""
    assert [(t.comparator, t.value, t.indicator_text) for t in read(AREAS_ONLY, title=None)] == [
        ("=", 100, "Tỷ lệ thôn có sóng 4G"),
        ("<", 4, "Giảm số thuê bao chỉ dùng 2G"),
        ("=", 85, "Tỷ lệ hộ gia đình có cáp quang")]


WEB_ARTICLE = """\
![]() |
Nam Sơn: 100% hồ sơ được trả kết quả điện tử |
Người dân không còn phải đến trụ sở để nhận kết quả.
Đến năm 2028, tỉnh đặt ra 9 nhóm mục tiêu, bao gồm:
1) Hạ tầng số: cáp quang phủ tới 100% hộ gia đình; tỷ lệ dân số có điện thoại thông minh đạt 95%.
![](/anh/minh-hoa.jpg)
2) Dữ liệu số: 100% hồ sơ được trả kết quả điện tử.
"""


def test_rule_web_debris_and_numbered_items_under_a_lead_in() -> None:
    """A picture line is a gap and a cell's '|' ends a line's block; '1) Hạ tầng số: …' is an
    item of the lead-in's list (its year holds), not a heading; the headline restating a
    target without a year is that target."""
    assert article(WEB_ARTICLE) == [
        (2028, "=", 100, None, "%", "cáp quang phủ tới hộ gia đình"),
        (2028, "=", 95, None, "%", "tỷ lệ dân số có điện thoại thông minh"),
        (2028, "=", 100, None, "%", "hồ sơ được trả kết quả điện tử")]


def test_rule_a_lead_in_names_the_measure_and_items_give_years() -> None:
    text = ("Số xã hoàn thành chuyển đổi số theo từng năm, cụ thể như sau:\n"
            "- Năm 2026: 40 xã, phường.\n- Năm 2027: 65 xã, phường.")
    assert [(y, c, v, u) for y, c, v, _, u, _ in article(text)] == [
        (2026, "=", 40, "xã"), (2027, "=", 65, "xã")]


MARKDOWN_TABLE = """\
| STT | Chỉ tiêu | Đơn vị tính | Thực hiện năm 2025 | Mục tiêu năm 2027 |
|---|---|---|---|---|
| I | Hạ tầng | | | |
| 1 | Tỷ lệ thôn có cáp quang | % | 70 | ≥ 85 |
| 2 | Chỉ số chuyển đổi số cấp huyện (DTI) | điểm | 0,5 | ≥ 0,6 |
"""

TAB_TABLE = """\
TT\tChỉ tiêu\tNăm 2027
1\tTỷ lệ hộ gia đình có ví điện tử (%)\t65
2\tSố xã có tổ công nghệ số hoạt động (xã)\t40
3\tChỉ số hài lòng (SIPAS)\t≥ 0,8
"""


def test_rule_a_markdown_table_and_units_said_in_the_name() -> None:
    """A web page's '| … |' rows are a table; with no unit column a unit in brackets closing
    the name is the unit (never an acronym); an index in points is an index."""
    table = [(t.target_year, t.comparator, t.value, t.unit, t.indicator_text)
             for t in read(MARKDOWN_TABLE, title=None) + read(TAB_TABLE, title=None)]
    assert table == [
        (2027, ">=", 85, "%", "Tỷ lệ thôn có cáp quang"),
        (2027, ">=", 0.6, "index", "Chỉ số chuyển đổi số cấp huyện (DTI)"),
        (2027, "=", 65, "%", "Tỷ lệ hộ gia đình có ví điện tử"),
        (2027, "=", 40, "xã", "Số xã có tổ công nghệ số hoạt động"),
        (2027, ">=", 0.8, "index", "Chỉ số hài lòng (SIPAS)")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Sáng 24-9, hội nghị thông qua mục tiêu đến năm 2030, tỷ lệ hồ sơ trực tuyến đạt 90%.",
     [(2030, "=", 90, None, "%", "tỷ lệ hồ sơ trực tuyến")]),
    ("Nhiệm kỳ 2025-2030, tỉnh hướng tới trở thành trung tâm đổi mới sáng tạo.\n\n"
     "Nổi bật là: tỷ trọng kinh tế số trong GRDP đạt 30%.",
     [(2030, "=", 30, None, "%GRDP", "tỷ trọng kinh tế số trong GRDP")]),
    ("Đề án 06 của Chính phủ được triển khai. Đường dây nóng 0912345678.", []),
    ("Đến năm 2028, tỉnh phấn đấu hỗ trợ 6 dự án khởi nghiệp, hỗ trợ và phát triển 4 doanh "
     "nghiệp khoa học, có 9 tổ chức nghiên cứu.",
     [(2028, "=", 6, None, "dự án", "hỗ trợ dự án khởi nghiệp"),
      (2028, "=", 4, None, "doanh nghiệp", "phát triển doanh nghiệp khoa học"),
      (2028, "=", 9, None, "tổ chức", "tổ chức nghiên cứu")]),
    ("Đến năm 2028, nhân lực nghiên cứu đạt 11/10.000 người.",
     [(2028, "=", 11, None, "persons_per_10k", "nhân lực nghiên cứu")]),
    ("Đến năm 2028, số dân được phục vụ bình quân trên 01 điểm bưu chính khoảng 3.500 người.",
     [(2028, "=", 3500, None, "người", "số dân được phục vụ bình quân trên 01 điểm bưu chính")]),
    ("Chiến lược đến năm 2030 đặt ra 5 mục tiêu, 9 nhiệm vụ và 6 giải pháp; kinh tế số "
     "chiếm 25% GDP.", [(2030, "=", 25, None, "%GDP", "kinh tế số")]),
    ("- Tỷ lệ thôn có sóng 5G đạt 60% nay sửa thành đạt 75% vào năm 2027.",
     [(2027, "=", 75, None, "%", "Tỷ lệ thôn có sóng 5G")]),
    ("Tỉnh giao chỉ tiêu cho các cấp, cụ thể các xã tiếp nhận tối thiểu 50% hồ sơ trực "
     "tuyến trong năm 2027.",
     [(2027, ">=", 50, None, "%", "các xã tiếp nhận hồ sơ trực tuyến")]),
    ("Đến năm 2028, khoa học góp phần để con người Nam Sơn duy trì chỉ số hạnh phúc trên "
     "0,7.", [(2028, ">", 0.7, None, "index", "duy trì chỉ số hạnh phúc")]),
    ("Đến năm 2028, cấp thẻ học sinh số cho 100% học sinh đủ điều kiện.",
     [(2028, "=", 100, None, "%", "cấp thẻ học sinh số cho học sinh đủ điều kiện")]),
    ("Hướng tới mục tiêu 100% trường học có kết nối cáp quang vào năm 2027.",
     [(2027, "=", 100, None, "%", "trường học có kết nối cáp quang")]),
    ("Đến năm 2027, kinh tế số đóng góp trên 18% trong GDP.",
     [(2027, ">", 18, None, "%GDP", "kinh tế số đóng góp")]),
    ("Đến năm 2045 thuộc nhóm dẫn đầu; chi cho R&D đạt 2% GDP vào 2030.",
     [(2030, "=", 2, None, "%GDP", "chi cho R&D")]),
])
def test_rule_more_wordings_of_articles(text: str, expected: list[tuple]) -> None:
    """A day-month is no range; "nhiệm kỳ 2025-2030" is a horizon a later paragraph keeps;
    a bare count in an article needs a year ("Đề án 06"); counts after short verbs in a list;
    per 10,000 people; "trên 01 …" is a denominator; the plan's own parts; an amended value;
    a connective inside a sentence; a verb opening an index; a preposition's noun; a
    target-setting verb before a value; "% trong GDP"; "vào 2030"."""
    assert article(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Kế hoạch đã đặt ra mục tiêu tỷ trọng kinh tế số trong GDP năm 2027 tối thiểu 22%, năm "
     "2030 tối thiểu 32%.",
     [(2027, ">=", 22, None, "%GDP", "tỷ trọng kinh tế số trong GDP"),
      (2030, ">=", 32, None, "%GDP", "tỷ trọng kinh tế số trong GDP")]),
    ("Chiến lược nhằm cụ thể hóa mục tiêu kinh tế số chiếm 22% GDP vào năm 2027, 32% GDP "
     "vào năm 2030 bằng 6 mục tiêu phát triển, 7 nhiệm vụ và 8 ngành, lĩnh vực trọng tâm.",
     [(2027, "=", 22, None, "%GDP", "kinh tế số"), (2030, "=", 32, None, "%GDP", "kinh tế số")]),
    ("Đến năm 2026 phủ sóng di động 5G 30% dân số vào năm 2027.",
     [(2027, "=", 30, None, "%", "phủ sóng di động 5G dân số")]),
    ("Trong năm nay, 85% dân số được phủ sóng 5G và khoảng 60% giao dịch không dùng tiền mặt "
     "vào năm 2026.",
     [(2026, "=", 85, None, "%", "dân số được phủ sóng 5G"),
      (2026, "=", 60, None, "%", "giao dịch không dùng tiền mặt")]),
    ("Đến năm 2027, thực hiện Nghị quyết 57 và Đề án 06, đường dây nóng 0912345678 hoạt "
     "động; 100% dịch vụ công trực tuyến mức độ 4 được tích hợp.",
     [(2027, "=", 100, None, "%", "dịch vụ công trực tuyến mức độ 4 được tích hợp")]),
])
def test_rule_years_before_values_and_numbers_that_name(text: str, expected: list[tuple]) -> None:
    """A year right before a value is its year; a clause naming only a year restates the
    measure before it; a year after a value and its noun; "khoảng" before a value and its
    noun; a document's number, a phone number, a level ("mức độ 4") and the plan's own parts
    said with "bằng" are no targets."""
    assert article(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Đến năm 2028, tỷ trọng kinh tế số trong GRDP đạt 30%; tỷ trọng kinh tế số trong GDP "
     "đạt 25%.", [(2028, "=", 30, None, "%GRDP", "tỷ trọng kinh tế số trong GRDP"),
                  (2028, "=", 25, None, "%GDP", "tỷ trọng kinh tế số trong GDP")]),
    ("Đến năm 2028, tiếp tục đào tạo, bồi dưỡng 1.500 lượt cán bộ, công chức về dữ liệu số.",
     [(2028, "=", 1500, None, "lượt", "bồi dưỡng lượt cán bộ, công chức về dữ liệu số")]),
])
def test_rule_shares_of_a_product(text: str, expected: list[tuple]) -> None:
    """A share named "… trong GRDP" is a share of GRDP; what the last count of a sentence
    counts runs past a comma of its noun list."""
    assert article(text) == expected


def test_rule_a_value_after_a_purpose_word_precedes_its_noun() -> None:
    """ "…, hoàn thành kết nối … để 100% tài khoản … được xác thực": the value opens its own
    name after "để" as after "và"."""
    assert article("Đến năm 2027, hoàn thành kết nối hệ thống để 100% tài khoản định danh "
                   "được xác thực trực tuyến.") == [
        (2027, "=", 100, None, "%", "tài khoản định danh được xác thực trực tuyến")]


def test_rule_a_closing_tro_len_bounds_only_its_own_value() -> None:
    assert article("Đến năm 2027, kinh tế số chiếm 20% GRDP, tỷ trọng thương mại điện tử đạt "
                   "10% trở lên.") == [
        (2027, "=", 20, None, "%GRDP", "kinh tế số"),
        (2027, ">=", 10, None, "%", "tỷ trọng thương mại điện tử")]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Phấn đấu đến năm 2029, Việt Nam thuộc nhóm 4 nước dẫn đầu Đông Nam Á về dữ liệu mở.",
     [(2029, "<=", 4, None, "hạng", "Việt Nam nhóm nước dẫn đầu Đông Nam Á về dữ liệu mở")]),
    ("Đến năm 2029, Chỉ số dữ liệu mở (ODIN) của tỉnh duy trì trong top 12 cả nước.",
     [(2029, "<=", 12, None, "hạng", "Chỉ số dữ liệu mở (ODIN) của tỉnh cả nước")]),
    ("Năm 2027, huyện phấn đấu xếp thứ 6 toàn tỉnh về chỉ số hài lòng (SIPAS).",
     [(2027, "<=", 6, None, "hạng", "toàn tỉnh về chỉ số hài lòng (SIPAS)")]),
    ("Đến hết năm 2028, tỉnh đạt thứ hạng 12 về chỉ số chuyển đổi số, đứng thứ 3 khu vực.",
     [(2028, "<=", 12, None, "hạng", "tỉnh về chỉ số chuyển đổi số"),
      (2028, "<=", 3, None, "hạng", "tỉnh về chỉ số chuyển đổi số khu vực")]),
    ("Đến năm 2029, tỉnh là một trong 7 địa phương dẫn đầu về chỉ số năng lực cạnh tranh.",
     [(2029, "<=", 7, None, "hạng",
       "tỉnh một trong địa phương dẫn đầu về chỉ số năng lực cạnh tranh")]),
    ("Chỉ số dữ liệu mở của tỉnh năm 2026 nằm trong nhóm 15 địa phương dẫn đầu; đến năm 2029 "
     "trong top 8.", [(2026, "<=", 15, None, "hạng",
                       "Chỉ số dữ liệu mở của tỉnh nhóm địa phương dẫn đầu"),
                      (2029, "<=", 8, None, "hạng",
                       "Chỉ số dữ liệu mở của tỉnh nhóm địa phương dẫn đầu")]),
    ("Đến năm 2029, Việt Nam thuộc nhóm 5 nước dẫn đầu khu vực và nhóm 60 nước đứng đầu thế "
     "giới về an toàn thông tin mạng.",
     [(2029, "<=", 5, None, "hạng", "Việt Nam nhóm nước dẫn đầu khu vực"),
      (2029, "<=", 60, None, "hạng",
       "Việt Nam nhóm nước đứng đầu thế giới về an toàn thông tin mạng")]),
    ("Đến năm 2029, thành phố thuộc nhóm 8 tỉnh, thành phố dẫn đầu về ứng dụng, chuyển giao "
     "công nghệ và đổi mới sáng tạo, năm 2026, thành phố đã tổ chức hội nghị.",
     [(2029, "<=", 8, None, "hạng",
       "thành phố nhóm tỉnh, thành phố dẫn đầu về ứng dụng, chuyển giao công nghệ và đổi mới "
       "sáng tạo")]),
    # no rank: a group that leads nothing, a count of groups, a step up
    ("Đến năm 2029, hình thành 9 nhóm nghiên cứu mạnh; chỉ số PII tăng 3 bậc.", []),
    ("Đến năm 2029, thành lập nhóm 5 chuyên gia tư vấn.", []),
])
def test_rule_a_place_in_a_ranking_is_a_ceiling(sentence: str, expected: list[tuple]) -> None:
    """ "thuộc nhóm N … dẫn đầu", "top N", "thứ hạng N", "xếp/đứng thứ N", "một trong N …
    dẫn đầu": a place N or better, ≤ N with the unit "hạng"; the words that place the measure
    are no part of its name ("nằm trong", not "Nam" of "Việt Nam"); a rank that opens its piece
    is of the clause's first subject when it names its own measure ("về …"), else of the
    measure before it; a later clause naming only a year restates the measure."""
    assert article(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Đến năm 2029, xây dựng ít nhất ba trung tâm dữ liệu vùng.",
     [(2029, ">=", 3, None, "trung tâm", "xây dựng trung tâm dữ liệu vùng")]),
    ("Đến năm 2029, có tối thiểu hai sàn giao dịch công nghệ.",
     [(2029, ">=", 2, None, "sàn", "sàn giao dịch công nghệ")]),
    ("Đến năm 2029, hỗ trợ một số doanh nghiệp; năm 2029 có mười bốn nhóm.", []),
])
def test_rule_a_number_in_words_after_a_bound(sentence: str, expected: list[tuple]) -> None:
    """A number written as a word counts after a word that bounds it; "một số" (some) and a
    number word without a bound stay words."""
    assert article(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    # a comparator word with a wrong mark
    ("Đến năm 2029, tỷ trọng thương mại số đạt tối thiếu 12%.",
     [(2029, ">=", 12, None, "%", "tỷ trọng thương mại số")]),
    # "/năm" between the value and "trở lên"
    ("Đến năm 2029, tăng trưởng doanh thu phần mềm đạt 15%/năm trở lên.",
     [(2029, ">=", 15, None, "%", "tăng trưởng doanh thu phần mềm")]),
    # a date written with dashes is no range
    ("Ngày 7-9-2026, tỉnh ban hành kế hoạch; đến năm 2029, tỷ lệ kho số hóa đạt 60%.",
     [(2029, "=", 60, None, "%", "tỷ lệ kho số hóa")]),
    # a change before the value opens the wording after it
    ("Đến năm 2029, hoàn thiện kho dữ liệu dùng chung; tăng 25% dịch vụ dựa trên dữ liệu mở.",
     [(2029, "=", 25, None, "%", "dịch vụ dựa trên dữ liệu mở")]),
])
def test_rule_words_around_a_value(sentence: str, expected: list[tuple]) -> None:
    """Comparators of several syllables read through a slipped mark; "X%/năm trở lên" is a
    floor; "7-9-2026" is a date; "tăng 30% <noun>" names the noun."""
    assert article(sentence) == expected


def test_rule_an_ellipsis_ends_a_clause_and_its_year() -> None:
    """ "… 70% hồ sơ được số hóa… phấn đấu đến năm 2027, hoàn thành 100% …": the year after
    the ellipsis is of what follows it, not of the value before it."""
    text = ("Tỷ lệ hồ sơ được số hóa toàn trình đạt 70%… phấn đấu đến năm 2027, hoàn thành "
            "100% ký số kết quả giải quyết thủ tục.")
    assert [(year, value) for year, _, value, *_ in article(text)] == [(None, 70), (2027, 100)]


def test_rule_the_year_a_sentence_ends_on_is_its_clauses_year() -> None:
    """A sentence listing values and closing on its horizon gives them that year, not the
    year of an earlier sentence."""
    text = ("Chiến lược quốc gia đặt tầm nhìn đến năm 2031. Kế hoạch của tỉnh đặt ra 3 mục "
            "tiêu (tỷ lệ hộ có cáp quang đạt 85%; tỷ lệ người dân có chữ ký số đạt trên 40%) "
            "và 5 mục tiêu xã hội số đến năm 2027.")
    assert [(year, value) for year, _, value, *_ in article(text)] == [(2027, 85), (2027, 40)]


def test_rule_a_report_of_what_was_done_is_no_target() -> None:
    """ "… đã kích hoạt 1,8 triệu tài khoản": done, not set; "đã đặt ra" and "đã ban hành"
    set, and their values are targets."""
    assert article("Đến năm 2029, tỷ lệ hộ dùng ví điện tử đạt 70%. Tỉnh đã kích hoạt gần "
                   "1,8 triệu tài khoản định danh điện tử.") == [
        (2029, "=", 70, None, "%", "tỷ lệ hộ dùng ví điện tử")]
    assert article("Tỉnh đã ban hành kế hoạch với mục tiêu đến năm 2029, tỷ lệ hộ dùng ví "
                   "điện tử đạt 70%.") == [(2029, "=", 70, None, "%", "tỷ lệ hộ dùng ví điện tử")]


def test_rule_an_article_states_a_target_once_however_often_it_repeats_it() -> None:
    """The headline and the body give one target for one year: one row; two objects of one
    figure ("phủ 100% xã", "phủ 100% trường học") stay two."""
    text = ("Tỉnh phấn đấu quy mô kinh tế số đạt 28% GRDP vào năm 2029\n"
            "\n"
            "Kế hoạch nêu rõ đến năm 2029, quy mô kinh tế số đạt 28% GRDP.\n"
            "\n"
            "Đến năm 2029, hạ tầng cáp quang phủ 100% thôn. Đến năm 2029, hạ tầng cáp quang "
            "phủ 100% trạm y tế.")
    assert [(t.line, t.value, t.indicator_text) for t in read(text)] == [
        (1, 28, "quy mô kinh tế số"), (5, 100, "hạ tầng cáp quang phủ thôn"),
        (5, 100, "hạ tầng cáp quang phủ trạm y tế")]


def test_rule_a_headline_year_is_the_year_of_a_text_without_a_title() -> None:
    """An article or excerpt whose metadata holds no title: its first line's horizon is the
    year of the targets that name none ("… 5 năm 2026 - 2030" → 2030)."""
    text = ("Huyện đặt mục tiêu chuyển đổi số toàn diện năm 2027\n"
            "\n"
            "Về chính quyền số, huyện đặt mục tiêu 100% hồ sơ công việc được xử lý trên môi "
            "trường mạng.")
    assert [(t.target_year, t.value) for t in read(text, title=None)] == [(2027, 100)]
    plan = ("Nghị quyết về Kế hoạch phát triển kinh tế - xã hội 5 năm 2026 - 2030\n"
            "Các chỉ tiêu chủ yếu: tốc độ tăng GRDP bình quân từ 9% trở lên.")
    assert [(t.target_year, t.value) for t in read(plan, title=None)] == [(2030, 9)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Cơ cấu GRDP đến năm 2030: công nghiệp chiếm 45%, dịch vụ chiếm 41%.",
     [(2030, "=", 45, None, "%GRDP", "công nghiệp"), (2030, "=", 41, None, "%GRDP", "dịch vụ")]),
    ("Đến năm 2030, tỷ lệ vốn đầu tư so với GRDP đạt 31%; tốc độ tăng GRDP đạt 9%.",
     [(2030, "=", 31, None, "%GRDP", "tỷ lệ vốn đầu tư so với GRDP"),
      (2030, "=", 9, None, "%", "tốc độ tăng GRDP")]),
    ("Đến năm 2030, quy mô GRDP đạt trên 540 ngàn tỷ đồng; xuất khẩu đạt 12 tỷ USD.",
     [(2030, ">", 540, None, "nghìn tỷ đồng", "quy mô GRDP"),
      (2030, "=", 12, None, "tỷ USD", "xuất khẩu")]),
    ("Đến năm 2030, vốn đầu tư xã hội đạt hơn 310 nghìn tỷ đồng, tăng bình quân 9-10%/năm.",
     [(2030, ">", 310, None, "nghìn tỷ đồng", "vốn đầu tư xã hội"),
      (2030, "between", 9, 10, "%", "tăng bình quân")]),
])
def test_rule_shares_of_the_product_and_money(sentence: str, expected: list[tuple]) -> None:
    """A percentage is a share of GRDP when its name says of it ("so với GRDP") or a lead-in
    names the structure it divides ("Cơ cấu GRDP …: A chiếm x%"); the growth of GRDP is a
    plain percentage; money units as one unit, "ngàn" written "nghìn", and no part of the
    next value's wording; "/năm" after a value is no object."""
    assert article(sentence) == expected


def test_rule_a_percentage_with_two_decimals_in_an_article_is_a_result() -> None:
    """ "… đạt 97,86%": measured; the target beside it ("đạt 80%") stays."""
    text = ("Đến năm 2029, tỷ lệ hồ sơ giải quyết đúng hạn đạt 97,86%; tỷ lệ hồ sơ trực "
            "tuyến đạt 80%.")
    assert [value for _, _, value, *_ in article(text)] == [80]


@pytest.mark.parametrize(("text", "expected"), [
    # a horizon after "và" opens the next value's clause, not a year for the value before it
    ("Với mục tiêu đến năm 2026, kinh tế số phải đạt 22% GRDP và đến năm 2031, kinh tế số "
     "phải đạt 33% GRDP của huyện.",
     [(2026, 22, "%GRDP"), (2031, 33, "%GRDP")]),
    ("Đến năm 2026, huyện vào nhóm dẫn đầu về cải cách; kinh tế số chiếm tỷ trọng ít nhất 21% "
     "trong GRDP và đến năm 2031 chiếm khoảng 32%.",
     [(2026, 21, "%GRDP"), (2031, 32, "%GRDP")]),
    # "tầm nhìn 2045" names the year of what it says
    ("Mục tiêu đến năm 2030 kinh tế số chiếm 31% GDP; tầm nhìn 2045 hướng đến kinh tế số "
     "chiếm 52% GDP.",
     [(2030, 31, "%GDP"), (2045, 52, "%GDP")]),
])
def test_each_value_takes_the_horizon_of_its_own_clause(text: str, expected: list) -> None:
    assert [(t.target_year, t.value, t.unit) for t in read(text)] == expected


def test_a_headline_gives_the_year_of_its_plan_not_of_the_period_it_mentions() -> None:
    """The headline names the plan's year and the period it serves: the targets after it that
    name no year are the plan's year."""
    text = ("Kế hoạch chuyển đổi số của huyện năm 2027 đặt nền móng cho giai đoạn 2027–2031\n"
            "\n"
            "Theo kế hoạch, huyện phấn đấu 95% hồ sơ công việc được xử lý trên môi trường mạng.")
    assert [(t.target_year, t.value) for t in read(text)] == [(2027, 95)]


def test_the_measure_follows_its_value_after_a_framing_lead_in() -> None:
    """"Mục tiêu đến năm 2030 đạt 90% …", "… hướng tới 100% …": the words before the value
    only frame it; the measure is the noun after it."""
    text = ("Mục tiêu đến năm 2030 đạt 90% số người dân trong độ tuổi lao động biết sử dụng "
            "dịch vụ công trực tuyến.")
    assert [(t.value, t.indicator_text) for t in read(text)] == [
        (90, "số người dân trong độ tuổi lao động biết sử dụng dịch vụ công trực tuyến")]


@pytest.mark.parametrize("text", [
    "Hiện tại, Sở đang quản lý 1.250 hồ sơ tiêu chuẩn và 96 quy chuẩn kỹ thuật.",
    "Theo Cục Chuyển đổi số, hiện Bộ đang quản lý 812 thủ tục hành chính thuộc 19 lĩnh vực.",
    "vt-hoi-nghi-so-1-2031.png",
])
def test_what_is_no_target(text: str) -> None:
    """What a body manages now is a report, a picture's file name on its own line is left of
    the page's images."""
    assert read(text) == []


@pytest.mark.parametrize("text", [
    "Mục tiêu đến năm 2030, tăng trưởng GRDP đạt 2 con số.",
    "Đến năm 2030, Tập đoàn duy trì tốc độ tăng trưởng hai con số.",
])
def test_double_digit_growth_is_a_floor_of_ten_percent(text: str) -> None:
    """ "Tăng trưởng hai con số" says double digits: at least 10%, never a value of 2."""
    assert [(t.target_year, t.comparator, t.value, t.unit) for t in read(text)] == [
        (2030, ">=", 10, "%")]


def test_a_percentage_is_no_label_but_the_numbers_of_a_level_list_are() -> None:
    text = ("Đến năm 2030, huyện giải quyết ngay trong quý 85% kiến nghị phát sinh; thủ tục "
            "hành chính được cung cấp trực tuyến mức độ 3 và 4 đạt 75%.")
    assert [(t.value, t.unit) for t in read(text)] == [(85, "%"), (75, "%")]


def test_a_count_of_members_of_a_ranking_is_a_count_not_a_rank() -> None:
    text = "Đến năm 2030, tỉnh có ít nhất 12 doanh nghiệp nằm trong tốp 500 doanh nghiệp lớn nhất."
    assert [(t.comparator, t.value, t.unit) for t in read(text)] == [(">=", 12, "doanh nghiệp")]


def test_goals_said_to_have_been_set_are_targets() -> None:
    """"đã được đặt ra" says the goals were set, not reached."""
    text = ("Nhiều mục tiêu định lượng đã được đặt ra đến năm 2031, bao gồm đưa tỷ lệ người dân "
            "mua sắm trực tuyến đạt 65%.")
    assert [(t.target_year, t.value) for t in read(text)] == [(2031, 65)]


def test_precise_figures_of_a_paragraph_that_sets_goals_are_targets() -> None:
    """Two decimals report a result in an article, but not where the paragraph sets goals; a
    clause naming only another period restates the measure, whose name keeps no period."""
    text = ("Kế hoạch đề ra các mục tiêu cụ thể phấn đấu đến năm 2031 gồm: tốc độ tăng trưởng "
            "kinh tế của tỉnh đạt 8,76%/năm. Tốc độ tăng trưởng bình quân ngành dịch vụ giai "
            "đoạn 2021-2025 đạt 7,5-8%/năm; giai đoạn 2026-2031 đạt 9-9,5%/năm.")
    assert [(t.target_year, t.value, t.value_max, t.indicator_text) for t in read(text)] == [
        (2031, 8.76, None, "tốc độ tăng trưởng kinh tế của tỉnh"),
        (2025, 7.5, 8, "Tốc độ tăng trưởng bình quân ngành dịch vụ"),
        (2031, 9, 9.5, "Tốc độ tăng trưởng bình quân ngành dịch vụ"),
    ]


@pytest.mark.parametrize(("text", "growth"), [
    ("Đến năm 2031, doanh thu du lịch số tăng bình quân 12-14% mỗi năm, chiếm 12-14% tổng "
     "doanh thu du lịch của tỉnh.", "doanh thu du lịch số tăng bình quân mỗi năm"),
    ("Đến năm 2031, doanh thu du lịch số tăng trưởng 12-14% mỗi năm để chiếm 12-14% so với "
     "tổng doanh thu du lịch của tỉnh.", "doanh thu du lịch số tăng trưởng mỗi năm"),
])
def test_a_share_of_a_total_after_a_growth_rate_is_a_target_of_its_own(text: str,
                                                                        growth: str) -> None:
    """"…, chiếm 12-14% tổng …" after a growth rate: the share of the same subject, not a
    restatement of the growth."""
    assert [t.indicator_text for t in read(text)] == [
        growth, "doanh thu du lịch số chiếm tổng doanh thu du lịch của tỉnh"]


def test_a_report_goes_on_in_the_sentence_that_details_it() -> None:
    text = ("Hiện Sở đang quản lý 640 thủ tục hành chính. Trong đó, có 310 dịch vụ toàn trình và "
            "120 dịch vụ một phần.")
    assert read(text) == []


def test_a_generation_is_no_value_and_a_count_ends_before_its_purpose() -> None:
    text = ("Đến năm 2031, Bộ hoàn thành các nhiệm vụ của Chiến lược về cách mạng 4.0; rà soát, "
            "sửa đổi 14 thông tư chuyên ngành, đảm bảo tính thống nhất của hệ thống pháp luật.")
    assert [(t.value, t.indicator_text) for t in read(text)] == [
        (14, "sửa đổi thông tư chuyên ngành")]


@pytest.mark.parametrize(("text", "expected"), [
    # a place out of how many
    ("Năm 2027, chỉ số năng lực cạnh tranh cấp tỉnh (PCI) xếp hạng 12/34 trên cả nước.",
     [("<=", 12, "hạng")]),
    # a group at the top said with "tốt" or a superlative far from its number
    ("Đến năm 2027, tỉnh thuộc nhóm 12 tỉnh, thành phố thực hiện chuyển đổi số tốt.",
     [("<=", 12, "hạng")]),
    ("Đến năm 2031, thành phố thuộc nhóm 90 thành phố có hệ sinh thái khởi nghiệp đổi mới "
     "sáng tạo năng động nhất toàn cầu.", [("<=", 90, "hạng")]),
    # per so many people, with the noun before or after the slash
    ("Đến năm 2027, huyện hướng tới đạt tỷ lệ trên 0,8 doanh nghiệp công nghệ số trên 1.000 dân.",
     [(">", 0.8, "doanh nghiệp/1.000 dân")]),
    ("Đến năm 2027, phấn đấu đạt tỷ lệ doanh nghiệp công nghệ số trên 0,8/1.000 dân.",
     [(">", 0.8, "doanh nghiệp/1.000 dân")]),
    # dates and ordinals are no values
    ("Chiều 24-11, Ban Chấp hành Đảng bộ tỉnh tổ chức hội nghị lần thứ 3 (mở rộng).", []),
    ("Ngày 4-10, Ủy ban nhân dân tỉnh ban hành kế hoạch.", []),
    # the parts of a plan
    ("Đến năm 2031, tỉnh xác định 4 trụ cột của chuyển đổi số.", []),
])
def test_values_in_more_wordings(text: str, expected: list) -> None:
    assert [(t.comparator, t.value, t.unit) for t in read(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "đặt chỉ tiêu" sets, like "đặt mục tiêu"
    ("Theo kế hoạch, đến cuối năm 2026, tỉnh đặt chỉ tiêu tỷ trọng kinh tế số đạt 16% GRDP.",
     "tỷ trọng kinh tế số"),
    # what a goal "là" follows it
    ("Một trong những mục tiêu quan trọng nhất của Kế hoạch là đảm bảo kết nối với 100% các cơ "
     "sở dữ liệu chuyên ngành đến năm 2027.", "kết nối với các cơ sở dữ liệu chuyên ngành"),
    # a setting verb inside the name, with only link words after it
    ("Đến năm 2031, đóng góp của năng suất nhân tố tổng hợp vào tăng trưởng phấn đấu ở mức từ 45% "
     "trở lên.", "đóng góp của năng suất nhân tố tổng hợp vào tăng trưởng"),
])
def test_what_a_sentence_sets_is_named_by_its_measure(text: str, expected: str) -> None:
    assert [t.indicator_text for t in read(text)][:1] == [expected]


def test_a_new_goal_after_a_value_is_not_part_of_its_name() -> None:
    text = ("Đến năm 2026, 85% dân số trưởng thành có định danh điện tử và 55% có chữ ký số cá "
            "nhân và phấn đấu đạt 20% doanh nghiệp dùng hợp đồng điện tử.")
    assert [t.indicator_text for t in read(text)] == [
        "dân số trưởng thành có định danh điện tử", "có chữ ký số cá nhân",
        "doanh nghiệp dùng hợp đồng điện tử"]


def test_a_count_takes_the_year_an_earlier_paragraph_set() -> None:
    text = ("Thành phố đặt mục tiêu đến năm 2031 trở thành trung tâm đổi mới sáng tạo.\n\n"
            "Tiềm lực khoa học của thành phố: hình thành 4.000 doanh nghiệp khởi nghiệp sáng tạo.")
    assert [(t.target_year, t.value, t.unit) for t in read(text)] == [
        (2031, 4000, "doanh nghiệp")]


def test_values_in_brackets_by_year_share_the_noun_after_the_last() -> None:
    """"Có tối thiểu 50% (năm 2026) và 80% (năm 2031) sản phẩm …": each value its own year,
    both of the noun after them and both bounded by "tối thiểu"; "Về X, năm 2026 chiếm 10%
    GRDP" names X."""
    text = ("Về kinh tế số, năm 2026 chiếm 11% GRDP, năm 2031 chiếm 16% đến 21% GRDP. Có tối "
            "thiểu 55% (năm 2026) và 85% (năm 2031) sản phẩm OCOP có mặt trên các sàn thương mại "
            "điện tử.")
    assert [(t.target_year, t.comparator, t.value, t.unit, t.indicator_text)
            for t in read(text)] == [
        (2026, "=", 11, "%GRDP", "kinh tế số"),
        (2031, "between", 16, "%GRDP", "kinh tế số"),
        (2026, ">=", 55, "%", "sản phẩm OCOP có mặt trên các sàn thương mại điện tử"),
        (2031, ">=", 85, "%", "sản phẩm OCOP có mặt trên các sàn thương mại điện tử"),
    ]


@pytest.mark.parametrize(("text", "expected"), [
    # a sentence ends before a number too
    ("Kế hoạch đặt mục tiêu năm 2026, 100% hồ sơ công việc tại cấp tỉnh, cấp huyện và cấp xã "
     "được xử lý trên môi trường mạng. 100% cơ sở dữ liệu của tỉnh được kết nối, chia sẻ.",
     ["hồ sơ công việc tại cấp tỉnh, cấp huyện và cấp xã được xử lý trên môi trường mạng",
      "cơ sở dữ liệu của tỉnh được kết nối, chia sẻ"]),
    # a share after verbs alone is of the noun after it; "từ 3 sao" rates, it counts nothing
    ("Năm 2026, tiếp tục rà soát thực hiện 100% chế độ báo cáo định kỳ trên hệ thống. Triển "
     "khai cung cấp 100% sản phẩm OCOP từ 3 sao trở lên lên sàn thương mại điện tử.",
     ["chế độ báo cáo định kỳ trên hệ thống",
      "sản phẩm OCOP từ 3 sao trở lên lên sàn thương mại điện tử"]),
    # "đã được" inside a measure's name reports nothing
    ("Năm 2026, nâng tỷ lệ tái sử dụng hồ sơ đã được số hóa đạt 55%.",
     ["nâng tỷ lệ tái sử dụng hồ sơ đã được số hóa"]),
])
def test_more_names_of_measures(text: str, expected: list) -> None:
    assert [t.indicator_text for t in read(text)] == expected


def test_a_group_a_measure_joins_for_a_field_is_a_rank() -> None:
    text = "Kế hoạch đề ra mục tiêu phấn đấu vào nhóm 12 địa phương về chuyển đổi số năm 2026."
    assert [(t.comparator, t.value, t.unit) for t in read(text)] == [("<=", 12, "hạng")]


def test_values_given_to_a_list_of_names_in_order() -> None:
    """"tương ứng là", "lần lượt là": one target per name, in order, each name with the
    measure of the first; a later clause of values alone is of the same names."""
    text = ("Đến năm 2031, cơ cấu kinh tế ở giai đoạn 2026-2031 dự kiến với các ngành Công "
            "nghiệp, Dịch vụ và Nông nghiệp lần lượt là (31-32%), (44-45%) và (18-19%); giai "
            "đoạn 2031-2035 lần lượt là (33-34%), (46-47%) và (15-16%). Tỷ trọng ngành thủy sản, "
            "lâm nghiệp tương ứng là 12,25%, 7,5%.")
    assert [(t.target_year, t.value, t.value_max, t.indicator_text) for t in read(text)] == [
        (2031, 31, 32, "cơ cấu kinh tế Công nghiệp"),
        (2031, 44, 45, "cơ cấu kinh tế Dịch vụ"),
        (2031, 18, 19, "cơ cấu kinh tế Nông nghiệp"),
        (2035, 33, 34, "cơ cấu kinh tế Công nghiệp"),
        (2035, 46, 47, "cơ cấu kinh tế Dịch vụ"),
        (2035, 15, 16, "cơ cấu kinh tế Nông nghiệp"),
        (2035, 12.25, None, "Tỷ trọng thủy sản"),
        (2035, 7.5, None, "Tỷ trọng lâm nghiệp"),
    ]


@pytest.mark.parametrize(("text", "unit"), [
    ("Đến năm 2031, hằng năm mỗi cơ sở Hội hỗ trợ ít nhất 12 hộ gia đình thoát nghèo.",
     "hộ gia đình"),
    ("Đến năm 2031, phấn đấu thành lập mới 8 hợp tác xã có phụ nữ tham gia quản lý.",
     "hợp tác xã"),
    ("Đến năm 2031, xây dựng ít nhất 2 khu đô thị thông minh.", "khu đô thị"),
])
def test_counted_nouns_of_three_syllables_are_read_whole(text: str, unit: str) -> None:
    assert [t.unit for t in read(text)] == [unit]


def test_a_page_counter_is_no_value() -> None:
    text = ("Ngày đăng 06/01/2027 | 11:09 | View count: 646\n\n"
            "26/12/2026 14:02 Số lượt xem: 29\n\n"
            "Đến năm 2031, phấn đấu 95% hội viên có tài khoản thanh toán điện tử.")
    assert [t.value for t in read(text)] == [95]


@pytest.mark.parametrize("text", [
    # what a body has, in an article: no goal
    "Hội Cựu chiến binh phường hiện nay có 610 hội viên sinh hoạt tại 12 chi hội.",
    "Mục tiêu này có cơ sở do toàn huyện có 92 trang trại, 430 gia trại, 8 hợp tác xã.",
    # a congress's term is no horizon it sets: what it did is a report
    "Đại hội nhiệm kỳ 2027-2032 đã bầu ra Ban Chấp hành gồm 11 đồng chí.",
    # a slogan's numbers and a campus number are no values
    "Mỗi chi hội giúp gia đình hội viên đạt tiêu chí 5 không.",
    "Chuẩn bị các điều kiện để phát triển cơ sở 2 ngoài thành phố.",
])
def test_what_an_organisation_reports_is_no_target(text: str) -> None:
    assert read(text) == []


def test_a_count_after_có_is_a_target_where_its_sentence_sets_a_goal() -> None:
    text = ("Đến năm 2031, toàn huyện có 20 hợp tác xã ứng dụng công nghệ số.\n\n"
            "Tỉnh phấn đấu giảm 3% số hội viên nghèo/năm - Ảnh 1")
    assert [(t.value, t.unit, t.indicator_text) for t in read(text)] == [
        (20, "hợp tác xã", "toàn huyện có hợp tác xã ứng dụng công nghệ số"),
        (3, "%", "số hội viên nghèo/năm")]


def test_per_year_belongs_to_the_value_it_follows() -> None:
    """"mỗi năm" right after a value is that value's; said at the head of the clause it is
    every value's — and a count set for every year needs no year of its own."""
    shares = read("Đến năm 2031, doanh thu du lịch số tăng bình quân 12-14% mỗi năm, chiếm 12-14% "
                  "tổng doanh thu du lịch.")
    assert [t.per_year for t in shares] == [True, False]
    counts = read("Hằng năm, đào tạo 450 lượt cán bộ về kỹ năng số.")
    assert [(t.target_year, t.value, t.unit, t.per_year) for t in counts] == [
        (None, 450, "lượt", True)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Đến năm 2031, tạo việc làm cho 6 triệu lao động.", [(6_000_000, "lao động")]),
    ("Đến năm 2031, có 1,5 triệu người dùng chữ ký số.", [(1_500_000, "người")]),
    # money keeps its unit
    ("Đến năm 2031, doanh thu đạt 14 tỷ đồng.", [(14, "tỷ đồng")]),
    ("Đến năm 2031, kim ngạch đạt 3,5 triệu USD.", [(3.5, "triệu USD")]),
    # a band of a ranking counts nothing
    ("Đến năm 2031, có từ 3 đến 5 nhóm ngành được xếp hạng trong tốp 200-400 thế giới.",
     [(3, "nhóm ngành")]),
])
def test_scale_words_and_ranking_bands(text: str, expected: list) -> None:
    assert [(t.value, t.unit) for t in read(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Đến năm 2031, vận hành thông suốt chính quyền địa phương 2 cấp.", []),
    ("Đến năm 2031, mở rộng hợp tác 3 bên giữa nhà nước, nhà trường và doanh nghiệp.", []),
    ("Đến năm 2031, 100% cấp xã có wifi công cộng.", [(100, "%")]),
])
def test_levels_and_parties_are_no_counts(text: str, expected: list) -> None:
    assert [(t.value, t.unit) for t in read(text)] == expected


def test_a_page_counter_of_zero_is_no_count() -> None:
    text = ("Thứ sáu - 27/05/2027 15:23 381 0\n"
            "Nhằm triển khai kịp thời Nghị quyết của Ban Thường vụ Tỉnh ủy, đến năm 2031 có 90% "
            "hồ sơ được xử lý trực tuyến.")
    assert [t.value for t in read(text)] == [90]


def test_a_name_that_says_đã_được_after_a_verb_is_a_target() -> None:
    text = "Năm 2027, nâng tỷ lệ tái sử dụng kết quả đã được số hóa đạt 60%."
    assert [(t.value, t.indicator_text) for t in read(text)] == [
        (60, "nâng tỷ lệ tái sử dụng kết quả đã được số hóa")]


@pytest.mark.parametrize(("text", "expected"), [
    # a bound said before the verb that reaches the value
    ("Đến năm 2030, tỷ trọng kinh tế số trong từng ngành, lĩnh vực tối thiểu đạt 20%.",
     [(">=", 20, "tỷ trọng kinh tế số trong từng ngành, lĩnh vực")]),
    # levels said after their values share the measure and its bound
    ("Đến năm 2026, tỷ lệ số hóa hồ sơ giải quyết thủ tục hành chính đạt tối thiểu 70% đối "
     "với cấp tỉnh, 60% đối với cấp huyện, 50% đối với cấp xã.",
     [(">=", 70, "tỷ lệ số hóa hồ sơ giải quyết thủ tục hành chính đối với cấp tỉnh"),
      (">=", 60, "tỷ lệ số hóa hồ sơ giải quyết thủ tục hành chính đối với cấp huyện"),
      (">=", 50, "tỷ lệ số hóa hồ sơ giải quyết thủ tục hành chính đối với cấp xã")]),
    # a verb before a value with its object is shared by a bare noun after the next value
    ("Đến năm 2027, mạng cáp quang phủ trên 85% hộ gia đình, 100% thôn bản.",
     [(">", 85, "mạng cáp quang phủ hộ gia đình"), ("=", 100, "mạng cáp quang phủ thôn bản")]),
    # what contributes to a measure is no part of its name
    ("Đến năm 2030, công nghệ góp phần nâng cao đời sống, đóng góp vào chỉ số hạnh phúc của "
     "người dân đạt 0,8.",
     [("=", 0.8, "chỉ số hạnh phúc của người dân")]),
    # a number inside quotation marks is part of a name
    ('Năm 2026, mỗi chi hội giúp thêm 3 hộ hội viên đạt tiêu chí "4 không, 2 sạch".',
     [("=", 3, 'mỗi chi hội giúp thêm hộ hội viên đạt tiêu chí "4 không, 2 sạch"')]),
    # a count after a verb phrase closed by a preposition; the next value names its own measure
    ("Đến năm 2030, tạo việc làm cho 2 triệu thanh niên và đóng góp 12% GRDP của tỉnh.",
     [("=", 2_000_000, "tạo việc làm cho thanh niên"), ("=", 12, "đóng góp")]),
    # a horizon closing the wording is no part of it; "tỷ lệ" after a year is no scale
    ("Phát triển thương mại điện tử đạt 25% tổng mức bán lẻ vào năm 2028.",
     [("=", 25, "Phát triển thương mại điện tử tổng mức bán lẻ")]),
])
def test_wordings_from_other_issuers(text: str, expected: list[tuple[str, float, str]]) -> None:
    """Wordings met in plans and articles of provinces, mass organisations and universities."""
    assert [(t.comparator, t.value, t.indicator_text) for t in read(text)] == expected


def test_a_school_year_ends_in_its_second_year_and_a_noun_after_a_preposition_is_counted(
        ) -> None:
    """"cơ sở" is a noun (not the function word "có" folded alike); "năm học 2025 - 2026"
    ends in 2026 and is no part of the wording."""
    (target,) = read("Triển khai Học bạ số tại 100% cơ sở giáo dục phổ thông từ học kỳ I năm "
                     "học 2025 - 2026.")
    assert (target.target_year, target.value, target.indicator_text) == (
        2026, 100, "Triển khai Học bạ số tại cơ sở giáo dục phổ thông")


def test_a_year_before_a_wrapped_line_is_never_a_scaled_value() -> None:
    """"… vào năm 2025" then "Tỷ lệ …" on the next line: "2025 tỷ" is no 2,025 billion."""
    targets = read("Phát triển kinh tế số đạt 20% GDP vào năm 2025\nTỷ lệ hồ sơ xử lý trực "
                   "tuyến đạt 80%.")
    assert all(t.value in (20, 80) for t in targets)


def test_a_contact_line_gives_no_target_and_no_headline() -> None:
    """A page's contact line (phone, e-mail) is neither a target nor the headline whose year
    the targets after it take."""
    text = ("ĐT: (84) 24.3869.2121; 6551 thuky@truong.edu.vn\n"
            "\n"
            "CHIẾN LƯỢC PHÁT TRIỂN TRƯỜNG GIAI ĐOẠN 2026 – 2035\n"
            "\n"
            "Tuyển sinh 500.000 lượt người học trực tuyến mỗi năm.")
    assert [(t.value, t.per_year) for t in read(text)] == [(500_000, True)]


@pytest.mark.parametrize(("text", "expected"), [
    # "tỉ" is "tỷ"; "tỉ suất" is no scale
    ("Năm 2026, doanh thu đạt 5.040 tỉ đồng, tỉ suất lợi nhuận đạt 11,3%.",
     [(5040, "tỷ đồng"), (11.3, "%")]),
    # thousands grouped by spaces before a counted word
    ("Đến năm 2030, hỗ trợ 250 000 trẻ em có hoàn cảnh khó khăn.", [(250_000, "trẻ em")]),
    # the product named after the value
    ("Đến năm 2025, kinh tế số chiếm khoảng 20% tổng sản phẩm trong tỉnh (GRDP).",
     [(20, "%GRDP")]),
    ("Đến năm 2030, kinh tế số chiếm 30% tổng sản phẩm (GRDP) trong tỉnh.", [(30, "%GRDP")]),
])
def test_values_and_units_as_other_issuers_write_them(
        text: str, expected: list[tuple[float, str]]) -> None:
    assert [(t.value, t.unit) for t in read(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a sentence that reports, then sets a goal: the values after the goal are targets
    ("Sau 80 năm, ngành đến nay đã có những bước phát triển vượt bậc và đặt mục tiêu tự động "
     "hóa 70–80% vào 2030.", [(2030, 70, "tự động hóa")]),
    # the clauses of a reporting sentence report too
    ("Hiện trường đang vận hành 139 ngành đào tạo; 141 ngành thạc sĩ và 99 ngành tiến sĩ.", []),
    # "6 tháng đầu năm" reports half a year's results; so do last year and the years past
    ("6 tháng đầu năm 2025, tốc độ tăng trưởng của Tổng công ty đạt 22%.", []),
    ("Tính đến cuối năm ngoái, trường có 3.677 giảng viên, khoảng 44% có trình độ tiến sĩ.",
     []),
    ("Trong 5 năm qua, tỉnh đạt 80% hồ sơ được xử lý trực tuyến.", []),
    # "đã được cụ thể hóa" sets; "thực hiện đạt" is no "hiện đạt"
    ("Nhiệm vụ này đã được cụ thể hóa bằng các chỉ tiêu đến năm 2030: tỷ trọng kinh tế số "
     "trong GRDP đạt 30%.", [(2030, 30, "tỷ trọng kinh tế số trong GRDP")]),
    ("Năm 2026, tỉnh phấn đấu thực hiện đạt các chỉ tiêu: tổng thu ngân sách đạt 32.362 tỷ "
     "đồng.", [(2026, 32_362, "tổng thu ngân sách")]),
    # what a phrase is for names the measure
    ("Lộ trình 2 giai đoạn để thành phố tăng tốc, giúp kinh tế số đạt 40% GRDP vào năm 2030.",
     [(2030, 40, "kinh tế số")]),
])
def test_reports_and_goals_in_one_sentence(text: str, expected: list[tuple]) -> None:
    assert [(t.target_year, t.value, t.indicator_text) for t in read(text)] == expected


def test_an_item_under_a_lead_in_sets_no_year_for_its_siblings() -> None:
    """ "Trồng 1 triệu cây xanh hướng tới NetZero năm 2050" names its own year, not the year
    of the items after it."""
    text = ("Các chỉ tiêu nổi bật bao gồm:\n"
            "- Trồng 1 triệu cây xanh hướng tới mục tiêu NetZero năm 2050.\n"
            "- Tổ chức 250 hội thảo, tọa đàm về cải cách hành chính.")
    assert [(t.value, t.target_year) for t in read(text)] == [(1_000_000, 2050), (250, None)]


def test_an_elected_bodys_term_and_a_captions_number_set_nothing() -> None:
    """ "HĐND các cấp nhiệm kỳ 2026–2031" is an election's term, no horizon of the counts after
    it; "ảnh 1" numbers a photograph."""
    text = ("Tuổi trẻ hướng tới bầu cử đại biểu Quốc hội và HĐND các cấp nhiệm kỳ 2026–2031\n"
            "\n"
            "Các chương trình được tổ chức tại 241 cơ sở Đoàn trực thuộc.\n"
            "Triển khai chương trình chuyển đổi số của ngành giáo dục ảnh 1")
    assert read(text) == []


def test_a_goal_set_as_a_chi_tieu_after_what_is_now() -> None:
    """ "Hiện nay, … có hơn 3.500 trường, Sở đặt chỉ tiêu đến hết năm 2030 sẽ có 1.000 trường
    học số. Trong đó, 100% …": the goal and its parts are targets, the present is not."""
    text = ("Hiện nay, thành phố có hơn 3.500 trường, Sở đặt chỉ tiêu đến hết năm 2030 sẽ có "
            "1.000 trường học số. Trong đó, 100% học sinh được học tập trong môi trường số.")
    assert [(t.target_year, t.value, t.unit) for t in read(text)] == [
        (2030, 1000, "trường học"), (2030, 100, "%")]


@pytest.mark.parametrize(("text", "expected"), [
    # "Sở" is a department, not "số" (the number of): its verb's object names the measure
    ("Năm 2026, Sở Giáo dục và Đào tạo khuyến khích 100% trường trung học dùng học bạ số.",
     "Sở Giáo dục và Đào tạo khuyến khích trường trung học dùng học bạ số"),
    # "các" opens the object, not a function word that ends it; "ở mức độ 3, 4" names levels
    ("Năm 2026, bảo đảm cung cấp 100% các dịch vụ công trực tuyến của Sở ở mức độ 3, 4.",
     "các dịch vụ công trực tuyến của Sở ở mức độ 3, 4"),
])
def test_a_verbs_object_after_the_value(text: str, expected: str) -> None:
    assert [t.indicator_text for t in read(text)] == [expected]


def test_a_group_of_fields_is_counted_not_a_part_of_the_plan() -> None:
    """ "10 nhóm ngành" counts fields of study; "9 nhiệm vụ, 8 giải pháp" counts the plan's
    own parts."""
    assert [(t.value, t.unit) for t in read(
        "Đến năm 2027, có 10 nhóm ngành đạt chuẩn kiểm định quốc tế.")] == [(10, "nhóm ngành")]
    assert read("Đến năm 2027, kế hoạch gồm 9 nhiệm vụ, 8 giải pháp.") == []


@pytest.mark.parametrize(("text", "expected"), [
    # a place an article reports, with no word that sets a goal
    ("Theo Ban Chỉ đạo, năm 2021, tỉnh xếp thứ 55/63 tỉnh, thành phố về chuyển đổi số.", []),
    # the product said after the last value of one measure holds for the values before it
    ("Mục tiêu cụ thể: tỷ trọng kinh tế số năm 2025 đạt 15-20%, năm 2030 đạt 25-30% GDP.",
     [(2025, 15, "%GDP"), (2030, 25, "%GDP")]),
    # per 100 people
    ("Đến năm 2026, đạt 85 thuê bao băng rộng di động/100 dân.", [(2026, 85, "thuê bao")]),
    # a year led in with a colon governs the clauses after one that names its own
    ("Phấn đấu đến năm 2025: đạt 70% công nhân được tuyên truyền, năm 2030, đạt 90%; đạt 50% "
     "công nhân tham gia học tập.", [(2025, 70, "%"), (2030, 90, "%"), (2025, 50, "%")]),
    # a plan named with its year sets the year of the targets after it
    ("Theo Kế hoạch chuyển đổi số của tỉnh năm 2027 đề ra mục tiêu cụ thể, gồm: chính quyền "
     "số.\n\nCụ thể, phấn đấu 96% văn bản trao đổi dưới dạng điện tử.", [(2027, 96, "%")]),
])
def test_years_places_and_products_in_articles(text: str, expected: list[tuple]) -> None:
    assert [(t.target_year, t.value, t.unit) for t in read(text)] == expected


def test_a_lead_paragraph_with_targets_passes_on_their_year() -> None:
    """The first paragraph names the plan's period and its first targets' year: the targets
    after it take the year it stated, not the period's end."""
    text = ("Tỉnh vừa ban hành Kế hoạch cải cách hành chính giai đoạn 2021-2030. Mục tiêu đến "
            "năm 2025, 80% hệ thống thông tin được kết nối\n"
            "90% hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng.")
    assert [(t.target_year, t.value) for t in read(text)] == [(2025, 80), (2025, 90)]


def test_an_amount_after_the_word_for_target_and_a_change_of_it() -> None:
    """ "Lợi nhuận … mục tiêu 5.040 tỉ đồng, tăng 5%": the amount is a target, and the change
    is a percentage, not an amount in tỷ đồng."""
    text = ("Năm 2026, doanh thu đạt 45.018 tỉ đồng, giảm 1,5%. Lợi nhuận trước thuế mục tiêu "
            "5.040 tỉ đồng, tăng 5%.")
    assert [(t.value, t.unit) for t in read(text)] == [
        (45_018, "tỷ đồng"), (1.5, "%"), (5040, "tỷ đồng"), (5, "%")]


def test_a_goal_the_text_serves_is_not_its_own_target() -> None:
    """ "… đóng góp thiết thực vào mục tiêu tăng trưởng kinh tế hai con số": the double-digit
    growth is the national goal the plan serves, set elsewhere."""
    assert read("Năm 2026, bảo đảm khoa học và công nghệ đóng góp thiết thực vào mục tiêu tăng "
                "trưởng kinh tế hai con số thông qua nâng cao năng suất lao động.") == []


def test_with_names_the_measure_and_the_work_of_a_year_sets_it() -> None:
    """"…, với kinh tế số chiếm tối thiểu 30% GDP": the measure is after "với"; "thực hiện
    Tháng Thanh niên năm 2023" sets the year of the counts after it."""
    assert [t.indicator_text for t in read(
        "Đến năm 2030 đưa Việt Nam trở thành quốc gia số, với kinh tế số chiếm tối thiểu 30% "
        "GDP.")] == ["kinh tế số"]
    text = ("Anh Duy cho biết, thực hiện Tháng Thanh niên năm 2027 gắn với các công trình.\n\n"
            "Cụ thể, 8.000 lượt đoàn viên được tham gia hoạt động tình nguyện.")
    assert [(t.target_year, t.value) for t in read(text)] == [(2027, 8000)]
    # a congress that reviews one year and resolves on the next looks to the next
    text = ("Tuổi trẻ thành phố ra quân tình nguyện\n\n"
            "Hội nghị tổng kết tình hình thực hiện nhiệm vụ năm 2026 và đề ra Nghị quyết về "
            "nhiệm vụ năm 2027.\n\nCụ thể, 9.000 lượt đoàn viên được tham gia hoạt động.")
    assert [(t.target_year, t.value) for t in read(text)] == [(2027, 9000)]


def test_a_yearly_fall_names_what_falls_and_a_list_of_what_there_is_reports() -> None:
    """ "phấn đấu mỗi năm giảm 0,3% số gia đình … nghèo": the measure follows the value; "toàn
    huyện có 85 trang trại, …; 866 hội viên đạt …" says what there is, over the semicolon."""
    text = ("Đại hội xác định mục tiêu phấn đấu mỗi năm giảm 0,3% số gia đình hội viên nghèo. "
            "Mục tiêu này có cơ sở do toàn huyện có 85 trang trại, 540 gia trại; 866 hội viên "
            "đạt danh hiệu sản xuất, kinh doanh giỏi.")
    assert [(t.value, t.per_year, t.indicator_text) for t in read(text)] == [
        (0.3, True, "số gia đình hội viên nghèo")]
