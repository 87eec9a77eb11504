# ruff: noqa: E501 — the snippets keep the long lines plans are written in
"""Tasks in layouts the four seed plans lack, each rule with invented wordings: ministry
action programmes, letters (công văn) with "Kính gửi", decisions with their articles, news
summaries; tasks addressed to persons, subjects after a long clause, the lexicon's task words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from extractors import lexicon
from extractors.metadata import read_document
from extractors.tasks import extract_tasks
from schemas.records import SourceText, Task, TextSource
from tests.snippets import snippet_lines

GOVERNMENT_BODIES = ("Các bộ", "Cơ quan ngang bộ", "Cơ quan thuộc Chính phủ",
                     "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương")


def _tasks(text: str) -> list[Task]:
    lines = snippet_lines(text)
    source = SourceText(source_path=Path("snippet.txt"), sha256="0" * 64,
                        text_source=TextSource.DIGITAL, lines=(), page_count=1)
    document, _ = read_document(source, lines)
    return extract_tasks(document, lines)


def _leads_and_dues(text: str) -> list[tuple[int, tuple[str, ...], date | None, bool]]:
    return [(task.line, task.lead_agencies, task.due_date, task.recurring)
            for task in _tasks(text)]


# ---------------------------------------------------------------- addressed to persons

@pytest.mark.parametrize(("text", "expected"), [
    ("""Điều 3. Tổ chức thực hiện
Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương:
a) Rà soát thủ tục hành chính về đất đai, hoàn thành trước ngày 30/6/2026.
b) Cập nhật dữ liệu dân cư lên hệ thống hằng tháng.
""", [(3, GOVERNMENT_BODIES, date(2026, 6, 30), False),
      (4, GOVERNMENT_BODIES, None, True)]),
    ("""II. NHIỆM VỤ CỤ THỂ
Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương:
- Chỉ đạo công bố danh mục dữ liệu mở trong quý III/2026.
- Bố trí kinh phí cho nền tảng số dùng chung.
""", [(3, GOVERNMENT_BODIES, date(2026, 9, 30), False),
      (4, GOVERNMENT_BODIES, None, False)]),
    ("""Giám đốc Sở Tài chính chịu trách nhiệm bố trí vốn cho các dự án chuyển đổi số trước ngày 31/12/2026.
""", [(1, ("Sở Tài chính",), date(2026, 12, 31), False)]),
    ("""Chủ tịch Ủy ban nhân dân các xã, phường có trách nhiệm cập nhật dữ liệu hộ gia đình trong tháng 8/2026.
""", [(1, ("Ủy ban nhân dân các xã, phường",), date(2026, 8, 31), False)]),
], ids=["decision-persons-lead-in", "ministry-programme-persons-lead-in",
        "a-director-s-duty", "commune-chairs"])
def test_rule_tasks_addressed_to_the_heads_of_bodies(text: str, expected: list[tuple]) -> None:
    """The lead is the body a person heads, not the person: "Chủ tịch Ủy ban nhân dân các
    tỉnh" is the provincial committees, "Bộ trưởng" the ministries."""
    assert _leads_and_dues(text) == expected


# ---------------------------------------------------------------- letters

@pytest.mark.parametrize(("text", "expected"), [
    ("""BỘ KHOA HỌC VÀ CÔNG NGHỆ
Số: 1234/BKHCN-VP
V/v rà soát nền tảng số dùng chung
Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương.

Để bảo đảm tiến độ, Bộ Khoa học và Công nghệ đề nghị Quý Ủy ban chỉ đạo rà soát danh mục nền tảng số, gửi báo cáo về Bộ trước ngày 15/8/2026.
""", [(6, ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương",), date(2026, 8, 15),
       False)]),
    ("""UBND TỈNH HÒA BÌNH
SỞ KHOA HỌC VÀ CÔNG NGHỆ
Kính gửi:
- Các sở, ban, ngành;
- UBND các huyện, thành phố.

Sở Khoa học và Công nghệ đề nghị cập nhật số liệu chuyển đổi số quý II/2026 lên hệ thống, hoàn thành trước ngày 10/7/2026.
""", [(7, ("Các sở, ban, ngành", "Ủy ban nhân dân các huyện, thành phố"), date(2026, 7, 10),
       False)]),
    ("""Kính gửi: Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ

Văn phòng Chính phủ trân trọng đề nghị Quý cơ quan thực hiện các nội dung sau:
1. Kết nối hệ thống quản lý văn bản với trục liên thông trước ngày 30/9/2026.
2. Báo cáo tình hình thực hiện định kỳ hằng quý.
""", [(4, GOVERNMENT_BODIES[:3], date(2026, 9, 30), False),
      (5, GOVERNMENT_BODIES[:3], None, True)]),
    ("""Kính gửi Ủy ban nhân dân các tỉnh, thành phố
trực thuộc trung ương

Bộ Nội vụ đề nghị rà soát vị trí việc làm của cán bộ cấp xã, hoàn thành trong tháng 11/2026.
""", [(4, ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương",), date(2026, 11, 30),
       False)]),
], ids=["ministry-letter-to-provinces", "department-letter-bulleted-addressees",
        "letter-lead-in-to-items", "kinh-gui-without-a-colon-name-wrapped"])
def test_rule_a_letter_gives_its_tasks_to_its_addressees(text: str,
                                                         expected: list[tuple]) -> None:
    assert _leads_and_dues(text) == expected


def test_rule_a_request_without_a_letter_names_no_addressee() -> None:
    """"Quý Ủy ban" means the addressees only where "Kính gửi" names them."""
    assert _tasks("Bộ đề nghị Quý Ủy ban rà soát danh mục nền tảng số trước ngày 15/8/2026.") == []


# ---------------------------------------------------------------- where the subject stands

@pytest.mark.parametrize(("text", "expected"), [
    ("Với vai trò là cơ quan thường trực của Ban Chỉ đạo về phát triển khoa học, công nghệ và "
     "chuyển đổi số, Sở Khoa học và Công nghệ chủ trì hướng dẫn các cơ quan triển khai kế hoạch "
     "trong quý III/2026.", [(1, ("Sở Khoa học và Công nghệ",), date(2026, 9, 30), False)]),
    ("Là cơ quan được giao quản lý nền tảng dữ liệu, kho dữ liệu của tỉnh, Trung tâm Chuyển đổi "
     "số tỉnh bảo đảm kết nối các hệ thống trước ngày 31/10/2026.",
     [(1, ("Trung tâm Chuyển đổi số tỉnh",), date(2026, 10, 31), False)]),
    ("Trên cơ sở kết quả rà soát của các sở, ngành, Sở Nội vụ có trách nhiệm trình phương án "
     "sắp xếp trong tháng 11/2026.", [(1, ("Sở Nội vụ",), date(2026, 11, 30), False)]),
    ("Đề nghị các sở, ngành, địa phương tổ chức quán triệt Kế hoạch trong tháng 7/2026.",
     [(1, ("Các sở, ngành", "Địa phương"), date(2026, 7, 31), False)]),
], ids=["role-clause-with-commas", "la-co-quan-clause", "ground-clause-with-commas",
        "request-opening-the-sentence"])
def test_rule_the_subject_after_a_long_clause(text: str, expected: list[tuple]) -> None:
    assert _leads_and_dues(text) == expected


@pytest.mark.parametrize("text", [
    "Công an tỉnh Các sẽ, ban, ngành;",  # "sẽ" with no verb after it obliges to nothing
    "Để thực hiện tốt các nhiệm vụ, giải pháp, cần có sự vào cuộc của cả hệ thống chính trị.",
], ids=["modal-without-a-verb", "lead-in-without-a-body"])
def test_rule_sentences_that_still_assign_nothing(text: str) -> None:
    assert _tasks(text) == []


# ---------------------------------------------------------------- other layouts

def test_ministry_action_programme_sections() -> None:
    """A ministry's programme: its own units under "Tổ chức thực hiện", numbered with the
    unit's name and a colon, bullets under it."""
    text = """CHƯƠNG TRÌNH HÀNH ĐỘNG CỦA BỘ XÂY DỰNG
IV. TỔ CHỨC THỰC HIỆN
1. Cục Kinh tế - Quản lý đầu tư xây dựng:
- Chủ trì xây dựng cơ sở dữ liệu giá vật liệu, hoàn thành trong quý IV/2026.
- Tổng hợp, báo cáo Bộ trưởng kết quả thực hiện hằng năm.
2. Văn phòng Bộ: Theo dõi, đôn đốc các đơn vị thực hiện Chương trình.
"""
    assert _leads_and_dues(text) == [
        (4, ("Cục Kinh tế - Quản lý đầu tư xây dựng",), date(2026, 12, 31), False),
        (5, ("Cục Kinh tế - Quản lý đầu tư xây dựng",), None, True),
        (6, ("Văn phòng Bộ",), None, False)]


def test_news_summary_of_assignments() -> None:
    text = """Chiều 12/3, Phó Thủ tướng chủ trì cuộc họp về dữ liệu quốc gia.
Kết luận cuộc họp, Phó Thủ tướng giao Bộ Công an chủ trì, phối hợp với Bộ Tư pháp hoàn thiện cơ sở dữ liệu hộ tịch, hoàn thành trong tháng 6/2026.
Các bộ, ngành phải kết nối dữ liệu chuyên ngành với Trung tâm dữ liệu quốc gia trước ngày 30/9/2026.
"""
    assert [(task.line, task.lead_agencies, task.partner_agencies, task.due_date)
            for task in _tasks(text)] == [
        (2, ("Bộ Công an",), ("Bộ Tư pháp",), date(2026, 6, 30)),
        (3, ("Các bộ, ngành",), (), date(2026, 9, 30))]


# ---------------------------------------------------------------- the lexicon's task words

@pytest.mark.parametrize("verb", lexicon.words("tasks", "assigned_verbs"))
def test_every_assigned_verb_makes_a_task_of_its_subject(verb: str) -> None:
    text = f"Sở Tài chính {verb} bố trí kinh phí cho nền tảng số."
    assert [task.lead_agencies for task in _tasks(text)] == [("Sở Tài chính",)]


@pytest.mark.parametrize("verb", lexicon.words("tasks", "assigning_verbs"))
def test_every_assigning_verb_gives_the_task_to_the_bodies_after_it(verb: str) -> None:
    text = f"{verb.capitalize()} Sở Nội vụ rà soát vị trí việc làm trong quý II/2026."
    assert [(task.lead_agencies, task.due_date) for task in _tasks(text)] == [
        (("Sở Nội vụ",), date(2026, 6, 30))]


@pytest.mark.parametrize(("sentence", "due_date"), [
    ("Sở Xây dựng chủ trì rà soát quy hoạch, hoàn thành năm 2026.", date(2026, 12, 31)),
    ("Sở Y tế chủ trì kết nối dữ liệu, hoàn thành vào quý III/2026.", date(2026, 9, 30)),
    ("Sở Nội vụ có trách nhiệm báo cáo trước ngày 31-12-2026.", date(2026, 12, 31)),
    ("Sở Tư pháp có trách nhiệm số hóa sổ hộ tịch trước ngày 15.10.2026.", date(2026, 10, 15)),
], ids=["hoan-thanh-year", "hoan-thanh-vao-quarter", "dashed-date", "dotted-date"])
def test_rule_deadline_wordings_in_a_task_sentence(sentence: str, due_date: date) -> None:
    assert [task.due_date for task in _tasks(sentence)] == [due_date]


# ---------------------------------------------------------------- items and tables

@pytest.mark.parametrize(("text", "expected"), [
    ("""II. NHIỆM VỤ
a) Xây dựng kho dữ liệu dùng chung của tỉnh.
- Cơ quan chủ trì: Sở Khoa học và Công nghệ.
- Thời gian hoàn thành: Quý II/2026.
b) Số hóa hồ sơ thủ tục hành chính.
- Đơn vị chủ trì: Văn phòng UBND tỉnh.
- Thời gian thực hiện: năm 2026.
""", [(2, ("Sở Khoa học và Công nghệ",), date(2026, 6, 30)),
      (5, ("Văn phòng Ủy ban nhân dân tỉnh",), date(2026, 12, 31))]),
    ("""2.1. Xây dựng nền tảng tích hợp, chia sẻ dữ liệu.
- Cơ quan chủ trì: Sở Khoa học và Công nghệ.
- Thời hạn: tháng 10/2026.
""", [(1, ("Sở Khoa học và Công nghệ",), date(2026, 10, 31))]),
    ("""1. Xây dựng kho dữ liệu dùng chung (cơ quan chủ trì: Sở Khoa học và Công nghệ; thời gian hoàn thành: quý II/2026).
2. Số hóa hồ sơ thủ tục hành chính. Cơ quan chủ trì: Văn phòng UBND tỉnh; thời gian: năm 2026.
""", [(1, ("Sở Khoa học và Công nghệ",), date(2026, 6, 30)),
      (2, ("Văn phòng Ủy ban nhân dân tỉnh",), date(2026, 12, 31))]),
], ids=["lettered-items", "two-level-numbers", "labels-on-the-item-line"])
def test_rule_items_with_labels(text: str, expected: list[tuple]) -> None:
    tasks = _tasks(text)
    assert [(task.line, task.lead_agencies, task.due_date) for task in tasks] == expected
    assert not any("chủ trì" in task.title for task in tasks)


@pytest.mark.parametrize("text", [
    "Số TT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian thực hiện\n"
    "1 | Xây dựng kho học liệu số | Sở Giáo dục và Đào tạo | Sở Tài chính | Quý II/2026",
    "Nhiệm vụ | Chủ trì | Phối hợp | Thời hạn\n"
    "Xây dựng kho học liệu số | Sở Giáo dục và Đào tạo | Sở Tài chính | Quý II/2026\n"
    "| | |",
], ids=["so-tt-column", "no-number-column"])
def test_rule_task_tables_in_other_headings(text: str) -> None:
    assert [(task.title, task.lead_agencies, task.partner_agencies, task.due_date)
            for task in _tasks(text)] == [
        ("Xây dựng kho học liệu số", ("Sở Giáo dục và Đào tạo",), ("Sở Tài chính",),
         date(2026, 6, 30))]


@pytest.mark.parametrize(("text", "expected"), [
    ("Chủ tịch UBND tỉnh yêu cầu Giám đốc Sở Tài chính khẩn trương tham mưu bố trí kinh phí, "
     "hoàn thành trước ngày 30/6/2026.", [(1, ("Sở Tài chính",), date(2026, 6, 30), False)]),
    ("Theo kế hoạch, đến tháng 6/2026, Sở Khoa học và Công nghệ sẽ hoàn thành xây dựng kho dữ "
     "liệu dùng chung.", [(1, ("Sở Khoa học và Công nghệ",), date(2026, 6, 30), False)]),
    ("Nhiệm vụ này giao cho Sở Nội vụ chủ trì thực hiện trong năm 2026.",
     [(1, ("Sở Nội vụ",), date(2026, 12, 31), False)]),
    ("UBND tỉnh giao Sở Tài chính, Sở Nội vụ và Công an tỉnh phối hợp rà soát, hoàn thành trong "
     "tháng 9/2026.", [(1, ("Sở Tài chính", "Sở Nội vụ", "Công an tỉnh"), date(2026, 9, 30),
                       False)]),
    ("Ông Nguyễn Văn An, Giám đốc Sở Khoa học và Công nghệ cho biết, Sở sẽ hoàn thành nền tảng "
     "trước ngày 31/12/2026.", []),
], ids=["request-to-a-director", "deadline-in-the-lead-in", "giao-cho-in-the-middle",
        "several-bodies-assigned", "reported-speech-names-no-lead"])
def test_rule_news_wordings(text: str, expected: list[tuple]) -> None:
    assert _leads_and_dues(text) == expected


def test_rule_unmarked_paragraphs_after_a_request_that_addresses_bodies() -> None:
    """ "UBND tỉnh yêu cầu các đơn vị, địa phương:" and paragraphs without markers that open
    with the work, as a news page gives them; the list ends at one that does not."""
    text = """Theo đó, Ủy ban nhân dân tỉnh yêu cầu các sở, ngành, địa phương:

Tiến hành rà soát danh mục dịch vụ công trực tuyến, hoàn thành trước ngày 30/9/2026.

Cập nhật dữ liệu lên cổng dịch vụ công hằng tháng.

Kế hoạch được gửi tới các đơn vị trong tuần.
"""
    assert _leads_and_dues(text) == [
        (3, ("Các sở, ngành", "Địa phương"), date(2026, 9, 30), False),
        (5, ("Các sở, ngành", "Địa phương"), None, True)]


# ---------------------------------------------------------------- conclusions of a meeting

@pytest.mark.parametrize(("text", "expected"), [
    ("Sở Y tế được yêu cầu khẩn trương rà soát danh mục thiết bị y tế, hoàn thành trong tháng "
     "5/2026.", [(1, ("Sở Y tế",), date(2026, 5, 31), False)]),
    ("Các trường đại học được đề nghị chủ động cập nhật học liệu số trước ngày 30/8/2026.",
     [(1, ("Các trường đại học",), date(2026, 8, 30), False)]),
    ("Đề án hỗ trợ doanh nghiệp nhỏ chuyển đổi số sẽ được Sở Công Thương trình Ủy ban nhân dân "
     "tỉnh trong quý III/2026.", [(1, ("Sở Công Thương",), date(2026, 9, 30), False)]),
    ("Kế hoạch này được Ủy ban nhân dân tỉnh ban hành ngày 5/3/2026.", []),
], ids=["requested-in-the-passive", "asked-in-the-passive", "future-passive-names-who-does-it",
        "a-past-passive-reports"])
def test_rule_passive_assignments(text: str, expected: list[tuple]) -> None:
    """ "X được yêu cầu / được đề nghị …" assigns to X as "giao X" does; "… sẽ được X trình"
    says X will do it; "… được X ban hành ngày …" only tells what was."""
    assert _leads_and_dues(text) == expected


def test_rule_a_chain_of_assignments_each_with_its_deadline() -> None:
    """After "giao Sở A …", clauses after ";" with a deadline of their own are tasks of
    their own; unmarked paragraphs that open with the work go on with the same body, until
    one that does not; a day and month without a year take the year of the dates before."""
    text = """Ngày 2/3/2026, Văn phòng Ủy ban nhân dân tỉnh thông báo kết luận của Chủ tịch tại buổi làm việc.

Theo đó, giao Sở Nội vụ rà soát đề án vị trí việc làm trong tháng 4/2026; khẩn trương hướng dẫn các xã sắp xếp cán bộ, báo cáo trước ngày 20/5.

Khẩn trương tổng hợp nhu cầu đào tạo kỹ năng số cho cán bộ cấp xã.

Tập trung hoàn thiện quy chế làm việc của các phòng chuyên môn, hoàn thành trong quý III/2026.

Buổi làm việc kết thúc trong không khí cởi mở.

Rà soát lại toàn bộ thủ tục còn tồn đọng.
"""
    assert _leads_and_dues(text) == [
        (3, ("Sở Nội vụ",), date(2026, 4, 30), False),
        (3, ("Sở Nội vụ",), date(2026, 5, 20), False),
        (5, ("Sở Nội vụ",), None, False),
        (7, ("Sở Nội vụ",), date(2026, 9, 30), False)]


def test_rule_clauses_without_a_deadline_of_their_own_stay_one_task() -> None:
    text = "Giao Sở Tài chính rà soát các khoản chi thường xuyên; chỉ đạo các phòng tiết kiệm chi."
    assert len(_tasks(text)) == 1


def test_rule_a_numbered_item_after_an_assignment_is_no_continuation() -> None:
    text = """1. Giao Sở Xây dựng rà soát quy hoạch đô thị trong quý II/2026.
2. Rà soát các dự án chậm tiến độ.
"""
    assert _leads_and_dues(text) == [(1, ("Sở Xây dựng",), date(2026, 6, 30), False)]


def test_rule_bodies_named_before_a_colon_across_a_semicolon() -> None:
    """ "Bộ trưởng, Thủ trưởng …; Chủ tịch …:" names all of them for the paragraphs after it
    that open with the work ("Nêu gương …", "Hoàn thành xây dựng …" is work, no deadline)."""
    text = """Thủ tướng Chính phủ thống nhất các nhiệm vụ trọng tâm như sau:
Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ; Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương:
Nêu gương trong việc sử dụng nền tảng họp trực tuyến. Đẩy mạnh số hóa hồ sơ lưu trữ.
Khẩn trương ban hành quy chế chia sẻ dữ liệu trong tháng 7 năm 2026; Hoàn thành xây dựng kho dữ liệu dùng chung.
"""
    assert _leads_and_dues(text) == [
        (3, GOVERNMENT_BODIES, None, False),
        (3, GOVERNMENT_BODIES, None, False),
        (4, GOVERNMENT_BODIES, date(2026, 7, 31), False),
        (4, GOVERNMENT_BODIES, None, False)]


def test_rule_the_articles_of_a_decision_bind_the_bodies_they_open_with() -> None:
    """ "Điều 2. Các đồng chí Lãnh đạo Sở …" and "Điều 3. … chịu trách nhiệm thi hành":
    an article's sentence with a body as its subject is a task, no verb that assigns needed;
    the leaders of a body stay its leaders; an article naming no body, or a body that only
    suffers the verb ("được … thẩm định"), is none."""
    text = """QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số của Sở năm 2026.
Điều 2. Các đồng chí Lãnh đạo Sở Tài chính theo dõi, đôn đốc các phòng triển khai Kế hoạch; Văn phòng Sở tổng hợp kết quả trước ngày 15/12/2026.
Điều 3. Chánh Văn phòng Sở, Thủ trưởng các đơn vị thuộc Sở chịu trách nhiệm thi hành Quyết định này.
Điều 4. Quyết định này có hiệu lực kể từ ngày ký.
Điều 5. Các dự án được Sở Tài chính thẩm định theo quy định.
"""
    assert _leads_and_dues(text) == [
        (3, ("Lãnh đạo Sở Tài chính",), None, False),
        (3, ("Văn phòng Sở",), date(2026, 12, 15), False),
        (4, ("Văn phòng Sở", "Các đơn vị thuộc Sở"), None, False)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Tuy nhiên, trước yêu cầu mới, các sở, ngành, địa phương, doanh nghiệp cần đẩy nhanh việc "
     "ứng dụng nền tảng số.", [(1, ("Các sở, ngành", "Địa phương", "Doanh nghiệp"), None, False)]),
    ("Các sở, ngành cần được hỗ trợ kinh phí để thuê dịch vụ số.", []),
    ("Tuy nhiên, các doanh nghiệp cần thêm thời gian để thích ứng với quy định mới.", []),
    ("Các địa phương cần có cơ chế riêng cho hạ tầng số.", []),
], ids=["bodies-and-firms-urged", "a-need-done-to-them", "a-need-for-more", "a-need-to-have"])
def test_rule_an_exhortation_to_bodies(text: str, expected: list[tuple]) -> None:
    """ "… các bộ, ngành, địa phương, doanh nghiệp cần …" in a government conclusion asks them
    to act, as "phải" does ("doanh nghiệp" is one of the bodies); "cần được …" is done to them,
    "cần thêm thời gian", "cần có …" tell what they need."""
    assert _leads_and_dues(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("""Sáng 6/5, Bộ Y tế công bố kế hoạch chuyển đổi số của ngành.
Theo Thứ trưởng, năm nay Bộ tập trung vào hồ sơ sức khỏe điện tử. Bộ sẽ hoàn thành kết nối dữ liệu tiêm chủng trong quý IV/2026.
""", [(2, ("Bộ Y tế",), date(2026, 12, 31), False)]),
    ("Bộ sẽ hoàn thành kết nối dữ liệu tiêm chủng trong quý IV/2026.", []),
], ids=["the-ministry-named-before", "no-ministry-named"])
def test_rule_a_body_said_by_its_kind_alone(text: str, expected: list[tuple]) -> None:
    """ "Bộ sẽ …" opening a sentence is the last ministry the text named in full; without
    one it names no one."""
    assert _leads_and_dues(text) == expected


def test_rule_a_ministry_decision_s_execution_article() -> None:
    """ "Điều 3. Chánh Văn phòng Bộ, Vụ trưởng Vụ …, Cục trưởng Cục … và Thủ trưởng các đơn vị
    thuộc Bộ chịu trách nhiệm thi hành …": each post is the body it heads, a "Vụ" among them."""
    text = ("Điều 3. Chánh Văn phòng Bộ, Vụ trưởng Vụ Pháp chế, Cục trưởng Cục Chuyển đổi số "
            "quốc gia và Thủ trưởng các đơn vị thuộc Bộ chịu trách nhiệm thi hành Quyết định này.")
    assert _leads_and_dues(text) == [
        (1, ("Văn phòng Bộ", "Vụ Pháp chế", "Cục Chuyển đổi số quốc gia", "Các đơn vị thuộc Bộ"),
         None, False)]


def test_rule_partners_after_phoi_hop_chat_che_voi() -> None:
    text = "Giao Sở Tư pháp phối hợp chặt chẽ với Sở Nội vụ rà soát thủ tục chứng thực trong quý I/2027."
    assert [(task.lead_agencies, task.partner_agencies, task.due_date) for task in _tasks(text)] == [
        (("Sở Tư pháp",), ("Sở Nội vụ",), date(2027, 3, 31))]


def test_rule_a_day_and_month_take_the_latest_year_written_before() -> None:
    """The documents a notice cites are older than it: "ngày 22/12/2024" after "Ngày 2/3/2026"
    does not make "trước ngày 20/5" a date of 2024."""
    text = """Ngày 2/3/2026, Văn phòng Ủy ban nhân dân tỉnh thông báo kết luận về việc thực hiện Nghị quyết ngày 22/12/2024 của Tỉnh ủy.
Giao Sở Khoa học và Công nghệ hoàn thiện dự thảo đề án, báo cáo trước ngày 20/5.
"""
    assert _leads_and_dues(text) == [(2, ("Sở Khoa học và Công nghệ",), date(2026, 5, 20), False)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Giao các Bộ: Tài chính, Tư pháp và Nội vụ rà soát quy định về phí trong quý II/2026.",
     [(1, ("Bộ Tài chính", "Bộ Tư pháp", "Bộ Nội vụ"), date(2026, 6, 30), False)]),
    ("Yêu cầu các bộ Văn hóa, Thể thao và Du lịch, Công Thương hoàn thành đề án trong tháng "
     "10/2026.", [(1, ("Bộ Văn hóa, Thể thao và Du lịch", "Bộ Công Thương"), date(2026, 10, 31),
                   False)]),
    ("Giao các Sở: Tài chính, Nội vụ rà soát biên chế trong quý II/2026.",
     [(1, ("Sở Tài chính", "Sở Nội vụ"), date(2026, 6, 30), False)]),
    ("Các bộ, ngành phải kết nối dữ liệu trước ngày 30/9/2026.",
     [(1, ("Các bộ, ngành",), date(2026, 9, 30), False)]),
], ids=["ministries-after-a-colon", "ministries-without-a-colon", "departments",
        "kinds-only-stay-a-kind"])
def test_rule_one_kind_before_a_list_of_names(text: str, expected: list[tuple]) -> None:
    """ "các Bộ: Tài chính, Tư pháp và Nội vụ" is three ministries, each a known body; "các bộ,
    ngành" names no list."""
    assert _leads_and_dues(text) == expected


def test_rule_a_notice_s_items_name_their_body_before_a_colon() -> None:
    """ "1. Bộ Công an: Hoàn thành …" anywhere in a text is Bộ Công an's task when the work
    follows the colon; "3. Kinh phí: …" and a body followed by a report ("đã hoàn thành") are
    none."""
    text = """Thông báo kết luận của Phó Thủ tướng như sau:

1. Bộ Công an: Hoàn thành kết nối cơ sở dữ liệu dân cư với các bộ trong tháng 11/2026.

2. Bộ Tư pháp: rà soát quy định về chứng thực điện tử, báo cáo trước ngày 30/11/2026.

3. Kinh phí: 20 tỷ đồng từ ngân sách trung ương.

4. Bộ Y tế: đã hoàn thành kết nối dữ liệu tiêm chủng.
"""
    assert _leads_and_dues(text) == [
        (3, ("Bộ Công an",), date(2026, 11, 30), False),
        (5, ("Bộ Tư pháp",), date(2026, 11, 30), False)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Tỉnh Bình An sẽ mở rộng mạng 5G tới các xã vùng sâu trong quý III/2026.",
     [(1, ("Tỉnh Bình An",), date(2026, 9, 30), False)]),
    ("Song song đó, thành phố Hòa Lạc cũng sẽ số hóa hồ sơ đất đai trước ngày 31/12/2026.",
     [(1, ("thành phố Hòa Lạc",), date(2026, 12, 31), False)]),
    ("Thứ hai, về hạ tầng, TPHCM sẽ nâng cấp trung tâm dữ liệu. Ban hành quy chế khai thác dữ liệu dùng chung.",
     [(1, ("TPHCM",), None, False), (1, ("TPHCM",), None, False)]),
    ("Tỉnh Bình An đã mở rộng mạng 5G tới 120 xã trong năm 2025.", []),
    ("Năm 2025, tỉnh Bình An có 120 xã được phủ sóng 5G.", []),
    ("Người dân tỉnh sẽ được hỗ trợ cài đặt ứng dụng.", []),
], ids=["province-will", "city-after-a-connective", "bare-name-and-a-sentence-going-on",
        "province-did-no-task", "province-has-no-task", "kind-alone-no-task"])
def test_rule_a_province_or_city_as_the_subject_of_what_it_will_do(
        text: str, expected: list[tuple]) -> None:
    """ "Tỉnh Bình An sẽ …", "thành phố Hòa Lạc cũng sẽ …", "TPHCM sẽ …": a province or city
    named as written is the lead of what it will (must, needs to) do; what it did or has is
    none, and "tỉnh" alone names no one."""
    assert _leads_and_dues(text) == expected


def test_rule_a_subject_after_the_speaker_and_a_clause_of_purpose() -> None:
    """ "Theo ông A, Phó Chủ tịch UBND tỉnh B, để đạt …, tỉnh B sẽ …": the speaker's post is no
    subject; the body after the clause of purpose is."""
    text = ("Theo bà Lê Thu, Giám đốc Sở Tài chính tỉnh Bình An, để đạt các mục tiêu đã đề ra, "
            "tỉnh Bình An sẽ ban hành bộ chỉ số đánh giá chuyển đổi số trong tháng 10/2026.")
    assert _leads_and_dues(text) == [(1, ("tỉnh Bình An",), date(2026, 10, 31), False)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Tỉnh Bình An sẽ triển khai các giải pháp trọng tâm như: khảo sát mức độ số hóa của doanh nghiệp; "
     "tập huấn kỹ năng số cho hộ kinh doanh; mở sàn giao dịch nông sản trực tuyến.",
     ["khảo sát mức độ số hóa của doanh nghiệp", "tập huấn kỹ năng số cho hộ kinh doanh",
      "mở sàn giao dịch nông sản trực tuyến"]),
    ("Sở Công Thương chủ trì các việc gồm: rà soát danh mục chợ; lập kế hoạch chuyển đổi số chợ truyền thống.",
     ["rà soát danh mục chợ", "lập kế hoạch chuyển đổi số chợ truyền thống"]),
    ("Sở Công Thương chủ trì rà soát các chỉ tiêu như: số chợ, số siêu thị, số cửa hàng tiện lợi.",
     ["Sở Công Thương chủ trì rà soát các chỉ tiêu như: số chợ, số siêu thị, số cửa hàng tiện lợi."]),
], ids=["items-after-nhu", "items-after-gom", "a-list-of-nouns-after-a-comma-is-one-task"])
def test_rule_the_items_after_a_colon_that_lists_the_work(text: str, expected: list[str]) -> None:
    """ "… các nhiệm vụ trọng tâm như: A; B; C" gives a task per item after ";"; a list cut by
    commas only names what one task covers."""
    assert [task.title for task in _tasks(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Theo đó, Hội Nông dân tỉnh tập trung vào việc đưa sàn thương mại điện tử đến từng chi hội.",
     [(1, ("Hội Nông dân tỉnh",), None, False)]),
    ("Đồng thời, Hội Liên hiệp Phụ nữ tỉnh tập trung xây dựng câu lạc bộ kỹ năng số trước tháng 9/2027.",
     [(1, ("Hội Liên hiệp Phụ nữ tỉnh",), date(2027, 9, 30), False)]),
    ("Năm qua, Hội Nông dân tỉnh đã tập trung hỗ trợ hội viên bán nông sản trực tuyến.", []),
    ("Hội Nông dân tỉnh đang tập trung hướng dẫn hội viên mở gian hàng trực tuyến.", []),
], ids=["organisation-focuses-on", "women-s-union-with-a-deadline", "did-focus-reports",
        "is-focusing-reports"])
def test_rule_a_body_that_focuses_on_its_work(text: str, expected: list[tuple]) -> None:
    """ "Hội A tập trung (vào việc) …" commits a mass organisation, a school or a firm to the
    work, as congress resolutions and their news write it; "đã/đang tập trung …" reports."""
    assert _leads_and_dues(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Sở Tài chính được giao lập dự toán kinh phí cho trung tâm. Văn bản hướng dẫn sẽ được gửi các huyện. "
     "Sở Nội vụ bố trí biên chế cho trung tâm, trong khi Sở Xây dựng chủ trì cải tạo trụ sở.",
     [("Sở Tài chính",), ("Sở Nội vụ",), ("Sở Xây dựng",)]),
    ("Sở Tư pháp chủ trì lập hồ sơ đăng ký, còn Sở Nội vụ chủ trì thẩm định hồ sơ.",
     [("Sở Tư pháp",), ("Sở Nội vụ",)]),
    ("Sở Tài chính được giao lập dự toán kinh phí. Sở Nội vụ đã bố trí biên chế cho trung tâm.",
     [("Sở Tài chính",)]),
    ("Trung tâm mới khai trương tuần trước. Sở Nội vụ bố trí biên chế cho trung tâm.", []),
], ids=["shares-after-work-given-out", "two-bodies-joined-by-con", "what-was-done-is-no-share",
        "no-share-without-work-given-out"])
def test_rule_each_body_s_share_of_work_given_out(text: str, expected: list[tuple]) -> None:
    """After "Sở A được giao …", a sentence of the same paragraph opening with another body and
    its work is that body's share; ", trong khi Sở B chủ trì …", ", còn Sở B …" opens a
    sentence of its own."""
    tasks = _tasks(text)
    assert [task.lead_agencies for task in tasks] == expected
    assert not any(task.title.endswith(("trong khi", "còn")) for task in tasks)


def test_the_bodies_a_ministry_requires_to_act_lead_the_items_after_it() -> None:
    """ "Bộ Y tế yêu cầu các bệnh viện phải:" gives the items to the hospitals, not to "Bộ Y tế
    yêu cầu các bệnh viện phải"."""
    text = ("Bộ Y tế yêu cầu các bệnh viện phải:\n"
            "- Rà soát hiện trạng hệ thống thông tin, hoàn thành trước ngày 30/9/2026.\n"
            "- Xây dựng lộ trình triển khai bệnh án điện tử trong năm 2026.")
    assert [(lead, due) for _, lead, due, _ in _leads_and_dues(text)] == [
        (("Các bệnh viện",), date(2026, 9, 30)), (("Các bệnh viện",), date(2026, 12, 31))]



def test_bodies_assigned_in_one_list_across_semicolons_and_a_second_request() -> None:
    """ "giao giám đốc các sở; chủ tịch UBND quận, huyện và đề nghị Giám đốc Kho bạc …
    triển khai …": every body of the list leads, not only the last one asked."""
    text = ("Chủ tịch UBND thành phố giao giám đốc các sở; chủ tịch UBND quận, huyện và đề nghị "
            "Giám đốc Kho bạc Nhà nước thành phố triển khai thực hiện Nghị quyết, hoàn thành "
            "trong năm 2026.")
    (task,) = _tasks(text)
    assert len(task.lead_agencies) == 3 and task.lead_agencies[0] == "Các sở"
