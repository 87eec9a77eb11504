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
