"""Tasks from the three layouts of the real plans, and deadline wordings.

Expected counts are taken from the text's own structure (rows, labelled lines, bullets), so
the tests say "every row", not "139"."""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path

import pytest

from extractors.metadata import read_document
from extractors.numbers import find_prose_deadline, parse_deadline
from extractors.tasks import extract_tasks, is_overdue
from schemas.records import Line, SourceText, Task, TextSource
from tests.conftest import PLANS
from tests.snippets import read_with_product


def _tasks(plan: str) -> tuple[list[Line], list[Task]]:
    source, lines = read_with_product(PLANS[plan])
    document, _ = read_document(source, lines)
    return lines, extract_tasks(document, lines)


def _snippet_tasks(text: str) -> list[Task]:
    lines = [Line(doc_id="", page=1, line_no=number, raw_text=row, text=row)
             for number, row in enumerate(text.strip("\n").split("\n"), start=1)]
    source = SourceText(source_path=Path("snippet.txt"), sha256="0" * 64,
                        text_source=TextSource.DIGITAL, lines=(), page_count=1)
    document, _ = read_document(source, lines)
    return extract_tasks(document, lines)


def _task_rows(lines: list[Line]) -> list[Line]:
    """Rows of the tables whose header has "Tên nhiệm vụ", with a number in the STT cell."""
    rows, in_task_table = [], False
    for line in lines:
        if not line.cells:
            continue
        if line.cells[0] == "STT":
            in_task_table = "Tên nhiệm vụ" in line.cells
        elif in_task_table and line.cells[0].isdigit():
            rows.append(line)
    return rows


def test_every_task_table_row_is_a_task_with_its_columns() -> None:
    lines, tasks = _tasks("kh3450")
    rows = _task_rows(lines)
    by_line = {task.line: task for task in tasks}
    assert rows and all(row.line_no in by_line for row in rows)
    for row in rows:
        task = by_line[row.line_no]
        assert task.title == row.cells[1]
        assert task.responsible == row.cells[3]
        assert task.lead_agencies, f"line {row.line_no} has no lead agency"
        assert task.deadline_text == (row.cells[7] or None)


def test_table_deadlines_become_due_dates() -> None:
    lines, tasks = _tasks("kh3450")
    by_line = {task.line: task for task in tasks}
    wordings = set()
    for row in _task_rows(lines):
        task, deadline = by_line[row.line_no], row.cells[7]
        if month_year := re.fullmatch(r"(\d{1,2})/(\d{4})", deadline):
            month, year = int(month_year[1]), int(month_year[2])
            assert task.due_date == date(year, month, calendar.monthrange(year, month)[1])
            wordings.add("month")
        elif deadline == "Thường xuyên":
            assert task.recurring and task.due_date is None
            wordings.add("recurring")
        elif deadline == "Quý IV/2026":
            assert task.due_date == date(2026, 12, 31)
            wordings.add("quarter")
        elif deadline.startswith("Theo lộ trình"):
            assert task.due_date is None and not task.recurring
            wordings.add("no date")
    assert wordings == {"month", "recurring", "quarter", "no date"}


def test_agency_names_with_commas_stay_whole_in_table_cells() -> None:
    _, tasks = _tasks("kh3450")
    leads = {agency for task in tasks for agency in task.lead_agencies}
    assert "Sở Văn hóa, Thể thao và Du lịch" in leads
    assert "Báo và Phát thanh, Truyền hình tỉnh" in leads
    assert "Thể thao và Du lịch" not in leads
    assert not any(agency.startswith("UBND") for task in tasks
                   for agency in task.lead_agencies + task.partner_agencies)


def test_a_row_cut_by_a_page_break_is_joined_back() -> None:
    """A PDF table row too tall for its page arrives as two rows, the second without STT,
    after the header repeated on the next page."""
    header = "STT\tTên nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành"
    tasks = _snippet_tasks("\n".join([
        header,
        "I\tHoàn thiện thể chế\t\t\t",
        "1\tXây dựng quy chế quản lý\tSở Tài chính\tSở Nội vụ;\t",
        header,
        "\tdữ liệu dùng chung\t\tCông an tỉnh\tQuý II/2026",
        "2\tTổ chức tập huấn\tSở KH&CN\t\tThường xuyên",
    ]))
    assert [(task.line, task.title, task.partner_agencies, task.due_date) for task in tasks] == [
        (3, "Xây dựng quy chế quản lý dữ liệu dùng chung", ("Sở Nội vụ", "Công an tỉnh"),
         date(2026, 6, 30)),
        (6, "Tổ chức tập huấn", (), None),
    ]
    assert tasks[1].lead_agencies == ("Sở Khoa học và Công nghệ",) and tasks[1].recurring


def _labelled_items(lines: list[Line]) -> list[tuple[Line, str, str]]:
    """(item line, "Chủ trì" value, "Thời gian" value) of section III of CTr 01."""
    items, current, chair = [], None, ""
    for line in lines:
        text = line.text.strip()
        if re.match(r"^\d+\.\s", text):
            current = line
        elif text.startswith("- Chủ trì:"):
            chair = text.removeprefix("- Chủ trì:").strip(" .")
        elif text.startswith("- Thời gian:") and current:
            items.append((current, chair, text.removeprefix("- Thời gian:").strip(" .")))
    return items


def test_every_programme_item_with_a_chair_is_a_task() -> None:
    lines, tasks = _tasks("ctr01")
    items = _labelled_items(lines)
    by_line = {task.line: task for task in tasks}
    assert items and len([task for task in tasks if task.responsible]) == len(items)
    for item_line, chair, when in items:
        task = by_line[item_line.line_no]
        assert task.responsible == chair
        assert task.deadline_text == when
        assert task.due_date == date(2026, 12, 31)  # every item says "Năm 2026"


def test_programme_lead_agency_is_the_body_the_chair_heads() -> None:
    _, tasks = _tasks("ctr01")
    by_chair = {task.responsible.split(",")[0]: task for task in tasks if task.responsible}
    assert by_chair["Đồng chí Hồ Văn Mười"].lead_agencies == ("Ủy ban nhân dân tỉnh",)
    assert by_chair["Đồng chí Tôn Thiện San"].lead_agencies == ("Sở Tài chính",)
    assert by_chair["Đồng chí Vương Tôn Kiên"].lead_agencies == ("Văn phòng Tỉnh ủy",)
    # "Trưởng Ban Chỉ đạo" is the issuing body itself, not an owner of the task
    assert by_chair["Đồng chí Y Thanh Hà Niê Kđăm"].lead_agencies == ()


def _responsibility_bullets(lines: list[Line]) -> dict[str, list[Line]]:
    """Bullets under each "N. Trách nhiệm của X" heading of section IV of KH 08."""
    bullets: dict[str, list[Line]] = {}
    body = None
    in_section = False
    for line in lines:
        text = line.text.strip()
        if re.match(r"^[IVX]+\.\s", text):
            in_section = text.endswith("TỔ CHỨC THỰC HIỆN")
        elif in_section and (heading := re.match(r"^\d+\.\s+(.*)$", text)):
            body = heading[1].removeprefix("Trách nhiệm của ") if "Trách nhiệm" in text else None
        elif in_section and body and text.startswith("- "):
            bullets.setdefault(body, []).append(line)
    return bullets


def test_responsibility_sections_give_the_body_each_bullet() -> None:
    lines, tasks = _tasks("kh08")
    by_line = {task.line: task for task in tasks}
    bullets = _responsibility_bullets(lines)
    assert bullets["Ban Chỉ đạo tỉnh"]
    for body, body_bullets in bullets.items():
        for bullet in body_bullets:
            task = by_line[bullet.line_no]
            owner = bullet.text.removeprefix("- ").split(":")[0].lower()
            assert any(agency.lower() in text or text in agency.lower()
                       for agency in task.lead_agencies for text in (body.lower(), owner))


def test_under_topic_headings_only_sentences_with_a_body_as_subject_are_tasks() -> None:
    """KH 08 IV.7 ("Hoạt động kiểm tra, giám sát; …") names no body: "Ban Chỉ đạo tổng hợp,
    báo cáo …" is a task of its subject, "Hàng năm, Ban Chỉ đạo xây dựng …" is not read;
    IV.8 ("Kinh phí thực hiện …") has no task at all."""
    lines, tasks = _tasks("kh08")
    start = next(line.line_no for line in lines if line.text.startswith("7. Hoạt động kiểm tra"))
    funding = next(line.line_no for line in lines if line.text.startswith("8. Kinh phí"))
    end = next(line.line_no for line in lines if line.text.startswith("Nơi nhận"))
    topic_tasks = [task for task in tasks if start < task.line < funding]
    by_opening = {" ".join(task.title.split()[:5]): task.lead_agencies for task in topic_tasks}
    assert by_opening["Ban Chỉ đạo tổng hợp,"] == ("Ban Chỉ đạo tỉnh",)
    assert all(by_opening.values())
    assert not any(opening.startswith("Hàng năm") for opening in by_opening)
    assert not [task for task in tasks if funding < task.line < end]


def test_owner_before_a_colon_and_prose_deadline() -> None:
    tasks = _snippet_tasks("""
IV. TỔ CHỨC THỰC HIỆN

1. Trách nhiệm của các cơ quan

- Sở Tài chính: Tham mưu bố trí kinh phí, hoàn thành trước ngày 31/3/2026.

- Sở KH&CN: Tổng hợp, báo cáo kết quả định kỳ.

Nơi nhận:
- Như trên.
""")
    assert [(task.lead_agencies, task.due_date) for task in tasks] == [
        (("Sở Tài chính",), date(2026, 3, 31)),
        (("Sở Khoa học và Công nghệ",), None),
    ]
    assert tasks[0].title.startswith("Tham mưu bố trí kinh phí")


def test_labels_in_other_wordings_and_several_on_one_line() -> None:
    """"Cơ quan chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm đầu ra", and
    "…; phối hợp: …" after the chair on the same line."""
    tasks = _snippet_tasks("""
II. NHIỆM VỤ
1. Xây dựng nền tảng dữ liệu dùng chung của tỉnh.
- Cơ quan chủ trì: Sở Khoa học và Công nghệ.
- Đơn vị phối hợp: Sở Tài chính; Công an tỉnh.
- Sản phẩm đầu ra: Nền tảng dữ liệu được đưa vào vận hành.
- Thời gian hoàn thành: Quý III/2026.
2. Tổ chức tập huấn kỹ năng số cho cán bộ cấp xã.
- Cơ quan chủ trì: Sở Nội vụ; phối hợp: UBND các xã, phường.
- Tiến độ: trước ngày 30/9/2026.
3. Ghi nhận ý kiến của người dân.
- Thời gian thực hiện: Thường xuyên.
""")
    assert [(task.line, task.lead_agencies, task.partner_agencies, task.due_date)
            for task in tasks] == [
        (2, ("Sở Khoa học và Công nghệ",), ("Sở Tài chính", "Công an tỉnh"), date(2026, 9, 30)),
        (7, ("Sở Nội vụ",), ("Ủy ban nhân dân các xã, phường",), date(2026, 9, 30)),
    ]
    assert tasks[0].product == "Nền tảng dữ liệu được đưa vào vận hành"
    assert tasks[0].title.startswith("Xây dựng nền tảng")


def test_assigned_bodies_partners_named_in_prose_and_recurring_work() -> None:
    tasks = _snippet_tasks("""
III. TỔ CHỨC THỰC HIỆN
1. Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ tham mưu bố trí kinh phí, hoàn thành trong quý II/2026.
2. Sở Khoa học và Công nghệ là cơ quan thường trực, tổng hợp, báo cáo UBND tỉnh trước ngày 15/12 hằng năm.
""")  # noqa: E501
    assert [(task.lead_agencies, task.partner_agencies, task.due_date, task.recurring)
            for task in tasks] == [
        (("Sở Tài chính",), ("Sở Nội vụ",), date(2026, 6, 30), False),
        (("Sở Khoa học và Công nghệ",), (), None, True),
    ]


def test_numbered_sentence_with_a_body_as_subject() -> None:
    tasks = _snippet_tasks("""
IV. TỔ CHỨC THỰC HIỆN

1. Văn phòng Tỉnh ủy có trách nhiệm theo dõi, tổng hợp tình hình thực hiện.

2. Kinh phí thực hiện

- Kinh phí được bố trí từ ngân sách.
""")
    assert [(task.lead_agencies, task.line) for task in tasks] == [(("Văn phòng Tỉnh ủy",), 3)]


def test_lettered_items_as_restoration_may_leave_them() -> None:
    """"b)" restored as "bộ)" still opens an item; a subject with figures is no body."""
    tasks = _snippet_tasks("""
IV. TỔ CHỨC THỰC HIỆN
1. Trách nhiệm của Ban Chỉ đạo tỉnh
a) Lãnh đạo, điều hành thống nhất các cơ quan triển khai Kế hoạch.
bộ) Kịp thời đề xuất chính sách, giải pháp khi có khó khăn.
2. Cơ chế thông tin, báo cáo
Các cơ quan, đơn vị định kỳ 3 tháng, 6 tháng báo cáo kết quả thực hiện.
""")
    assert [(task.line, task.lead_agencies) for task in tasks] == [
        (3, ("Ban Chỉ đạo tỉnh",)), (4, ("Ban Chỉ đạo tỉnh",))]
    assert tasks[1].title.startswith("Kịp thời")


def test_stripped_ocr_text_still_yields_owned_tasks() -> None:
    """KH 22 as OCR gave it: "a) Van phong Tinh uy" heads paragraphs; "Hoi dong nhin din
    tinh" is read as Hội đồng nhân dân tỉnh."""
    _, tasks = _tasks("kh22")
    leads = {agency for task in tasks for agency in task.lead_agencies}
    assert {"Văn phòng Tỉnh ủy", "Hội đồng nhân dân tỉnh", "Ban Chỉ đạo tỉnh"} <= leads
    assert all(task.lead_agencies for task in tasks)


def test_task_ids_are_unique_and_stable() -> None:
    _, tasks = _tasks("kh3450")
    assert len({task.task_id for task in tasks}) == len(tasks)
    _, again = _tasks("kh3450")
    assert [task.task_id for task in again] == [task.task_id for task in tasks]


@pytest.mark.parametrize(("wording", "due_date", "recurring"), [
    ("6/2026", date(2026, 6, 30), False),
    ("03/2026", date(2026, 3, 31), False),
    ("Quý IV/2026", date(2026, 12, 31), False),
    ("Quý I/2027", date(2027, 3, 31), False),
    ("quý 2 năm 2026", date(2026, 6, 30), False),
    ("Năm 2026.", date(2026, 12, 31), False),
    ("2026", date(2026, 12, 31), False),
    ("Trong năm 2026", date(2026, 12, 31), False),
    ("Trước ngày 15 tháng 7 năm 2026", date(2026, 7, 15), False),
    ("tháng 9 năm 2026", date(2026, 9, 30), False),
    ("6 tháng đầu năm 2026", date(2026, 6, 30), False),
    ("31/3/2026", date(2026, 3, 31), False),
    ("Giai đoạn 2026 - 2030", date(2030, 12, 31), False),
    ("Thường xuyên", None, True),
    ("Hằng năm", None, True),
    ("Thuong xuyen", None, True),
    ("Theo lộ trình được phê duyệt", None, False),
    ("13/2026", None, False),
])
def test_deadline_wordings(wording: str, due_date: date | None, recurring: bool) -> None:
    deadline = parse_deadline(wording)
    assert (deadline.due_date, deadline.recurring) == (due_date, recurring)


def test_empty_deadline_is_none_and_prose_deadlines_need_a_date() -> None:
    assert parse_deadline("  ") is None
    assert find_prose_deadline("Báo cáo trước ngày 15/12/2026 về Sở.").due_date == date(
        2026, 12, 15)
    assert find_prose_deadline("hoàn thành trong quý III/2026").due_date == date(2026, 9, 30)
    assert find_prose_deadline("Báo cáo trước Ban Thường vụ Tỉnh ủy.") is None


def test_overdue_only_with_a_due_date() -> None:
    _, tasks = _tasks("kh3450")
    on = date(2026, 7, 1)
    overdue = [task for task in tasks if is_overdue(task, on)]
    assert overdue and all(task.due_date < on for task in overdue)
    assert not any(is_overdue(task, on) for task in tasks if task.recurring)


# Tasks written as one sentence, in layouts of other issuers: lead, partners and deadline
# all come from that sentence, wherever it stands in the plan.
@pytest.mark.parametrize(("text", "expected"), [
    ("""TỈNH ỦY NINH THUẬN
Số 52-KH/TU
KẾ HOẠCH
Sửa đổi, bổ sung Kế hoạch số 17-KH/TU

Văn phòng Tỉnh ủy chủ trì, phối hợp với Sở Khoa học và Công nghệ tham mưu cập nhật danh mục
nhiệm vụ chuyển đổi số của các cơ quan đảng, hoàn thành trước ngày 30/4/2026.
""", [(6, ("Văn phòng Tỉnh ủy",), ("Sở Khoa học và Công nghệ",), date(2026, 4, 30), False)]),
    ("""II. NHIỆM VỤ TRỌNG TÂM
1. Hạ tầng số
Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Tài chính và UBND các huyện, thành phố rà
soát hạ tầng trạm phát sóng, hoàn thành trong Quý II/2026.
""", [(3, ("Sở Khoa học và Công nghệ",), ("Sở Tài chính", "Ủy ban nhân dân các huyện, thành phố"),
       date(2026, 6, 30), False)]),
    ("""3. Nền tảng số
- Giao Sở Nội vụ hướng dẫn việc số hóa hồ sơ cán bộ trong tháng 6/2026.
- Sở Y tế có trách nhiệm triển khai hồ sơ sức khỏe điện tử, báo cáo kết quả trước ngày
15/12/2026.
- Công an tỉnh thường xuyên kiểm tra an ninh mạng.
""", [(2, ("Sở Nội vụ",), (), date(2026, 6, 30), False),
      (3, ("Sở Y tế",), (), date(2026, 12, 15), False)]),
    ("""Để bảo đảm tiến độ, giao Sở Xây dựng chủ trì rà soát quy hoạch hạ tầng số trong năm 2026.
Sở Giáo dục và Đào tạo chủ trì tổ chức tập huấn kỹ năng số hằng năm.
""", [(1, ("Sở Xây dựng",), (), date(2026, 12, 31), False),
      (2, ("Sở Giáo dục và Đào tạo",), (), None, True)]),
    ("""Theo văn bản, Thủ tướng giao Cục Thống kê chủ trì xây dựng cơ sở dữ liệu về giá. Hoàn
thành trong tháng 10 năm 2026.
Các trường đại học phải công bố dữ liệu tuyển sinh trước ngày 1/7/2026.
""", [(1, ("Cục Thống kê",), (), date(2026, 10, 31), False),
      (3, ("Các trường đại học",), (), date(2026, 7, 1), False)]),
    ("""Hội nghị nêu 3 nhóm việc: (1) Các bộ, ngành, địa phương hoàn thiện dữ liệu đất đai chậm
nhất trong quý III/2026; (2) Rà soát thủ tục hành chính.
Ban Chỉ đạo yêu cầu các sở, ngành ưu tiên nguồn lực trong 4 tháng cuối năm 2026.
""", [(1, ("Các bộ, ngành", "Địa phương"), (), date(2026, 9, 30), False),
      (3, ("Các sở, ngành",), (), date(2026, 12, 31), False)]),
    ("""Đồng thời, Ban Chỉ đạo tỉnh xây dựng bộ chỉ số đánh giá trong quý I/2027. Bộ Y tế chỉ
đạo các bệnh viện kết nối dữ liệu khám chữa bệnh trước ngày 31/3/2027.
""", [(1, ("Ban Chỉ đạo tỉnh",), (), date(2027, 3, 31), False),
      (1, ("Bộ Y tế",), (), date(2027, 3, 31), False)]),
], ids=["amending-party-plan", "province-quarter", "bulleted-giao-and-trach-nhiem",
        "name-holding-a-verb", "news-giao-and-obligation", "news-enumeration-and-request",
        "connective-and-verb-inside-a-name"])
def test_tasks_written_as_a_sentence(text: str, expected: list[tuple]) -> None:
    assert [(task.line, task.lead_agencies, task.partner_agencies, task.due_date,
             task.recurring) for task in _snippet_tasks(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("""4. Tổ chức thực hiện
Sở Thông tin và Truyền thông: Chủ trì hướng dẫn triển khai Kế hoạch; thời gian: Quý III/2026.
Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh tuyên truyền, vận động nhân dân tham gia.
UBND các huyện, thành phố xây dựng kế hoạch cụ thể, gửi trước ngày 15/5/2026.
""", [(2, ("Sở Thông tin và Truyền thông",), date(2026, 9, 30)),
      (3, ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",), None),
      (4, ("Ủy ban nhân dân các huyện, thành phố",), date(2026, 5, 15))]),
    ("""Điều 2. Tổ chức thực hiện
a) Sở Tài chính bố trí kinh phí thực hiện trong 6 tháng đầu năm 2026.
b) Các sở, ngành báo cáo kết quả định kỳ.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký.
""", [(2, ("Sở Tài chính",), date(2026, 6, 30)), (3, ("Các sở, ngành",), None)]),
], ids=["numbered-section", "decision-articles"])
def test_implementation_sections_in_other_layouts(text: str, expected: list[tuple]) -> None:
    assert [(task.line, task.lead_agencies, task.due_date)
            for task in _snippet_tasks(text)] == expected


def test_a_sentence_about_a_body_that_assigns_nothing_is_no_task() -> None:
    assert _snippet_tasks("""
I. KẾT QUẢ ĐẠT ĐƯỢC
Năm 2025, Sở Khoa học và Công nghệ đã xây dựng nền tảng dữ liệu dùng chung.
Ủy ban nhân dân tỉnh ban hành Kế hoạch này để triển khai Nghị quyết.
""") == []


# ---------------------------------------------------------------- named rules, by wording
# Each rule of extractors/tasks.py that reads other issuers' sentences, with invented wordings.

@pytest.mark.parametrize(("text", "expected"), [
    ("Sở Công Thương được Ủy ban nhân dân tỉnh giao chủ trì xây dựng sàn thương mại điện tử "
     "trước ngày 30/9/2026.", [(1, ("Sở Công Thương",), date(2026, 9, 30), False)]),
    ("Các cơ quan, đơn vị nhà nước cũng cần hoàn thành số hóa hồ sơ trong năm 2026.",
     [(1, ("Các cơ quan", "Đơn vị nhà nước"), date(2026, 12, 31), False)]),
    ("Đảng ủy Khối lãnh đạo các cơ quan hoàn thành kết nối dữ liệu trong quý IV/2026.",
     [(1, ("Đảng ủy Khối",), date(2026, 12, 31), False)]),
    ("Các sở, ngành báo cáo tiến độ về Sở Khoa học và Công nghệ hằng tháng.",
     [(1, ("Các sở, ngành",), None, True)]),
    ("Để triển khai kế hoạch xếp hạng từ năm 2027, Sở Nội vụ phải xây dựng bộ tiêu chí trong "
     "năm 2026.", [(1, ("Sở Nội vụ",), date(2026, 12, 31), False)]),
    ("Thực hiện Nghị quyết của Chính phủ, Sở Tài chính phải bố trí kinh phí trước ngày "
     "31/10/2026.", [(1, ("Sở Tài chính",), date(2026, 10, 31), False)]),
], ids=["passive-assignment", "adverb-before-the-verb", "lanh-dao-after-a-name",
        "a-recurring-report", "purpose-clause-first", "ground-clause-first"])
def test_rule_the_subject_of_a_task_sentence(text: str, expected: list[tuple]) -> None:
    assert [(task.line, task.lead_agencies, task.due_date, task.recurring)
            for task in _snippet_tasks(text)] == expected


@pytest.mark.parametrize("text", [
    "Các xã và các phường sẽ được xếp hạng chuyển đổi số hằng năm.",
    "Bộ Khoa học và Công nghệ đề nghị Ủy ban nhân dân các tỉnh thực hiện một số nội dung sau:",
    "Báo cáo nêu rõ Ủy ban nhân dân tỉnh đã giao cho các huyện nhiều nhiệm vụ trong năm 2025.",
], ids=["passive-future", "lead-in-to-a-list", "what-was-assigned"])
def test_rule_sentences_that_assign_nothing(text: str) -> None:
    assert _snippet_tasks(text) == []


def test_rule_sentences_after_an_assignment_keep_its_subject() -> None:
    """ "Yêu cầu Sở A …. Rà soát …" is Sở A's second task; "Hoàn thành trong …" is the first
    one's deadline; "cùng thời hạn" is the deadline of the task before; "có thời hạn hoàn
    thành trong năm 2025" is the deadline of the tasks it names, not of this one."""
    text = ("Yêu cầu Sở Khoa học và Công nghệ chủ trì rà soát hạ tầng số. Hoàn thành trong "
            "tháng 8/2026. Rà soát lại các nhiệm vụ có thời hạn hoàn thành trong năm 2025.\n"
            "Sở Y tế phải kết nối dữ liệu khám chữa bệnh trước ngày 30/6/2026.\n"
            "Sở Giáo dục và Đào tạo phải kết nối dữ liệu học bạ, cùng thời hạn hoàn thành.")
    assert [(task.line, task.lead_agencies, task.due_date) for task in _snippet_tasks(text)] == [
        (1, ("Sở Khoa học và Công nghệ",), date(2026, 8, 31)),
        (1, ("Sở Khoa học và Công nghệ",), None),
        (2, ("Sở Y tế",), date(2026, 6, 30)),
        (3, ("Sở Giáo dục và Đào tạo",), date(2026, 6, 30))]


def test_rule_a_task_table_with_bars_between_cells() -> None:
    text = ("STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành\n"
            "1 | Xây dựng kho học liệu số | Sở Giáo dục và Đào tạo | Sở Tài chính | Quý II/2026")
    assert [(task.lead_agencies, task.partner_agencies, task.due_date)
            for task in _snippet_tasks(text)] == [
        (("Sở Giáo dục và Đào tạo",), ("Sở Tài chính",), date(2026, 6, 30))]


def test_rule_the_items_after_a_lead_in_that_asks() -> None:
    """ "Ủy ban nhân dân tỉnh đề nghị các sở, ngành thực hiện các nội dung sau:" makes each item
    opening with the work a task of the bodies asked, and "Chỉ đạo Sở B …" one of Sở B; the
    list ends with the first paragraph that is no item."""
    text = ("Ủy ban nhân dân tỉnh đề nghị các sở, ngành thực hiện các nội dung sau:\n"
            "1. Chỉ đạo Sở Nội vụ chủ trì rà soát vị trí việc làm trước ngày 30/11/2026.\n"
            "2. Cập nhật số liệu lên hệ thống theo dõi hằng tháng.\n"
            "Trong quá trình thực hiện, nếu có vướng mắc, liên hệ Văn phòng Bộ.\n"
            "- Cập nhật danh mục dữ liệu mở trong năm 2026.")
    assert [(task.line, task.lead_agencies, task.due_date, task.recurring)
            for task in _snippet_tasks(text)] == [
        (2, ("Sở Nội vụ",), date(2026, 11, 30), False),
        (3, ("Các sở, ngành",), None, True)]
