"""The consistency report: Vietnamese, self-contained, escaped, findings linked to lines."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.check.consistency import check_warehouse
from pipeline.present.chart import Chart, Point, build_chart, nice_ceiling
from pipeline.present.report import report_summary, write_report
from pipeline.present.vietnamese import vietnamese_key
from pipeline.present.view import anchor_id
from pipeline.store.warehouse import Warehouse
from tests.consistency_samples import (
    AS_OF,
    HOSTILE_TEXT,
    amending_plan,
    build_sample_warehouse,
)

VOID_TAGS = {"meta", "br", "hr", "img", "input", "link", "circle", "line", "polyline", "path",
             "rect"}


class _TagChecker(HTMLParser):
    """Collects ids, links and tag balance (self-closing SVG tags count as closed)."""

    def __init__(self) -> None:
        super().__init__()
        self.open_tags: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.tags: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if attributes.get("href"):
            self.links.append(attributes["href"])
        if tag not in VOID_TAGS:
            self.open_tags.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        if not self.open_tags or self.open_tags[-1] != tag:
            self.errors.append(f"unexpected </{tag}> after {self.open_tags[-3:]}")
            return
        self.open_tags.pop()


@pytest.fixture
def report_dir(db_path: Path, tmp_path: Path) -> Path:
    build_sample_warehouse(db_path)
    with Warehouse.open(db_path, read_only=True) as warehouse:
        written = write_report(warehouse, tmp_path / "out", as_of=AS_OF)
    assert [path.name for path in written] == ["report.html", "report.md", "tasks.html",
                                               "tasks.md"]
    return tmp_path / "out"


def parsed(html: str) -> _TagChecker:
    checker = _TagChecker()
    checker.feed(html)
    checker.close()
    return checker


def test_html_is_well_formed_self_contained_and_every_link_lands(report_dir: Path) -> None:
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    checker = parsed(html)

    assert checker.errors == [] and checker.open_tags == []
    assert "script" not in checker.tags
    assert not {"link", "img", "iframe", "object"} & set(checker.tags)
    assert not re.search(r"\b(?:src|href)\s*=\s*[\"'](?!#|tasks\.html)", html), "nothing external"
    assert "url(" not in html and "@import" not in html
    assert all(link.startswith("#") or link == "tasks.html" for link in checker.links)
    missing = {link[1:] for link in checker.links if link.startswith("#")} - checker.ids
    assert not missing, f"links without a target: {missing}"
    # the first page links each open high or medium finding to its card
    cards = {found for found in checker.ids if found.startswith("ct-")}
    linked = {link[1:] for link in checker.links if link.startswith("#ct-")}
    assert len(cards) == 2 and linked == cards


@pytest.mark.parametrize("name", ["report.html", "tasks.html"])
def test_each_page_forbids_scripts_and_everything_else_outside(report_dir: Path, name: str
                                                               ) -> None:
    html = (report_dir / name).read_text(encoding="utf-8")
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert policy, "the page carries its policy"
    rules = dict(rule.strip().split(" ", 1) for rule in unescape(policy.group(1)).split(";"))
    assert rules["default-src"] == "'none'" and "script-src" not in rules
    assert rules["base-uri"] == rules["form-action"] == "'none'"
    assert rules["style-src"] == "'unsafe-inline'" and rules["img-src"] == "data:"


def test_document_text_is_shown_as_text_never_as_markup(report_dir: Path) -> None:
    assert HOSTILE_TEXT not in (report_dir / "report.html").read_text(encoding="utf-8")
    html = (report_dir / "tasks.html").read_text(encoding="utf-8")  # the task quotes it
    assert HOSTILE_TEXT not in html
    # markupsafe writes a double quote as &#34;
    assert ("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;đậm&lt;/b&gt; | "
            "[bấm](javascript:alert(1))") in html
    assert 'href="javascript' not in html
    markdown = (report_dir / "tasks.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "<b>" not in markdown
    # in a Markdown table the pipe would open a cell and the brackets a link
    assert "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; &lt;b&gt;đậm&lt;/b&gt; \\| " in markdown
    assert "\\[bấm\\](javascript:alert(1))" in markdown


def test_findings_speak_vietnamese_and_cite_both_sources(report_dir: Path) -> None:
    html = (report_dir / "report.html").read_text(encoding="utf-8")
    assert ("Năm 2027, Kế hoạch 11-KH/TU đặt ≥ 85 % nhưng Kế hoạch 700/KH-UBND đặt ≥ 75 % "
            "cho cùng chỉ tiêu") in html
    assert "Kế hoạch 700/KH-UBND, trang 1, dòng 40" in html
    assert "Ban hành trước: Kế hoạch 11-KH/TU (Ban Thường vụ Tỉnh ủy, 05/01/2027)" in html
    # the card quotes the stored line, not just the extracted fragment
    assert "- Tỷ lệ hộ gia đình dùng cáp quang ≥ 85%." in html
    # one chart per indicator with findings; the findings' targets are ringed
    assert html.count("<svg") == 2
    assert html.count('stroke="#D00000" stroke-width="2"/>') >= 4


def test_tasks_have_their_own_file_one_row_per_task(report_dir: Path) -> None:
    report = (report_dir / "report.html").read_text(encoding="utf-8")
    assert '<a href="tasks.html">tasks.html</a>' in report
    assert '<table class="tasks"' not in report
    html = (report_dir / "tasks.html").read_text(encoding="utf-8")
    checker = parsed(html)
    assert checker.errors == [] and "script" not in checker.tags
    assert {link[1:] for link in checker.links if link.startswith("#")} <= checker.ids
    rows = re.findall(r'<tr id="task-[^"]+">.*?</tr>', html, re.S)
    assert len(rows) == 3
    # the alias "Sở KH&CN" is filed under the catalog name; a partner that also leads is once
    data_list = next(row for row in rows if "Ban hành danh mục dữ liệu mở" in row)
    assert "<td>Sở Khoa học và Công nghệ</td><td>Sở Tư pháp</td>" in data_list
    assert "Còn 184 ngày" in data_list
    # a deadline passed: the plan's date is past, nothing says the task is late or done
    portal = next(row for row in rows if "cổng dữ liệu mở" in row)
    assert '<td class="past">Hạn ghi trong kế hoạch đã qua</td>' in portal
    assert "Quá hạn" not in html
    assert "&lt;script&gt;alert" in portal and HOSTILE_TEXT not in html
    index = html[html.index('id="co-quan"'):html.index('id="doc-1"')]
    science = re.search(r"<tr><td>Sở Khoa học và Công nghệ</td><td>(.*?)</td><td>(.*?)</td>", index)
    assert science and science.group(1).count("<a ") == 2 and science.group(2) == ""
    assert "Thường xuyên" in next(row for row in rows if "quy chế dữ liệu" in row)
    markdown = (report_dir / "tasks.md").read_text(encoding="utf-8")
    assert "Hạn ghi trong kế hoạch đã qua" in markdown and "<script>" not in markdown


def test_vietnamese_order_puts_each_letter_where_a_dictionary_does() -> None:
    names = ["Văn phòng Tỉnh ủy", "Ủy ban nhân dân tỉnh", "Đảng ủy", "Dân vận", "Sở Tư pháp",
             "Sở Tài chính", "Ban Tổ chức", "Bộ Chỉ huy", "Báo và Phát thanh", "Cơ quan",
             "Công an tỉnh", "Ăn uống", "An ninh"]
    assert sorted(names) != sorted(names, key=vietnamese_key)
    assert sorted(names, key=vietnamese_key) == [
        "An ninh", "Ăn uống", "Ban Tổ chức", "Báo và Phát thanh", "Bộ Chỉ huy", "Công an tỉnh",
        "Cơ quan", "Dân vận", "Đảng ủy", "Sở Tài chính", "Sở Tư pháp", "Ủy ban nhân dân tỉnh",
        "Văn phòng Tỉnh ủy"]


def test_changes_since_the_previous_check_are_reported(db_path: Path, tmp_path: Path) -> None:
    build_sample_warehouse(db_path)
    with Warehouse.open(db_path) as warehouse:
        warehouse.replace_conflicts([])
        _conflicts, changes = check_warehouse(warehouse)
        write_report(warehouse, tmp_path, as_of=AS_OF, changes=changes)
        markdown, rows = report_summary(warehouse, changes)
    assert len(changes.new) == 2 and changes.resolved == []
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count("<li>Mới: ") == 2
    assert "## Thay đổi so với lần kiểm tra trước" in markdown
    # the artifact is a summary: findings with their places, no task lists or quotes
    assert "### Sở Tư pháp" not in markdown
    assert "Tỷ lệ hộ gia đình dùng cáp quang ≥ 85%." not in markdown  # no quotes
    assert "B: ≥ 75 % — Kế hoạch 700/KH-UBND, trang 1, dòng 40" in markdown
    assert "(#src-" not in markdown and "3 nhiệm vụ, " in markdown
    assert "    > \\- Tỷ lệ hộ gia đình dùng cáp quang ≥ 85%." in (
        tmp_path / "report.md").read_text(encoding="utf-8")
    assert sorted(row["Loại"] for row in rows) == ["Khác nhau giữa hai văn bản",
                                                   "Năm sau thấp hơn năm trước"]
    assert {row["Trạng thái"] for row in rows} == {"Chưa xử lý"}


def test_an_empty_warehouse_still_gives_a_readable_report(db_path: Path, tmp_path: Path) -> None:
    with Warehouse.open(db_path) as warehouse:
        write_report(warehouse, tmp_path, as_of=AS_OF)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    tasks = (tmp_path / "tasks.html").read_text(encoding="utf-8")
    assert "Không phát hiện mâu thuẫn nào" in html and "Chưa có nhiệm vụ nào." in tasks
    assert parsed(html).errors == [] and parsed(tasks).errors == []


@pytest.mark.parametrize(("value", "axis_end"), [(0.7, 1), (8.4, 10), (84, 100), (105, 200),
                                                 (1.2, 2), (2.2, 2.5), (3000, 5000)])
def test_chart_axes_end_on_round_numbers(value: float, axis_end: float) -> None:
    assert nice_ceiling(value) == pytest.approx(axis_end)


def test_anchor_ids_are_safe_and_keep_names_apart() -> None:
    plain, marked = anchor_id("ag", "Sở Tài chính"), anchor_id("ag", "Sở Tai chinh")
    assert plain != marked
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", found) for found in (plain, marked))
    assert anchor_id("src", "3450-KH-UBND-115") == "src-3450-KH-UBND-115"
    assert re.fullmatch(r"src-_script_-[0-9a-f]{8}", anchor_id("src", '"script"'))


def test_a_superseded_finding_quotes_the_sentence_that_amends(db_path: Path, tmp_path: Path
                                                              ) -> None:
    """A third plan amends 11-KH/TU and sets the fibre figure anew: the superseded findings
    quote its sentence, escaped, in both the HTML and the Markdown report."""
    build_sample_warehouse(db_path)
    sentence = ("Để thống nhất với Kế hoạch số 700/KH-UBND, sửa đổi Kế hoạch số 11-KH/TU "
                + HOSTILE_TEXT)
    amending = amending_plan(sentence)
    with Warehouse.open(db_path) as warehouse:
        warehouse.load(amending)
        check_warehouse(warehouse)
        write_report(warehouse, tmp_path, as_of=AS_OF)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    findings = re.findall(r'<div class="finding [a-z]+ superseded".*?Ghi quyết định', html, re.S)
    assert findings and all("Căn cứ sửa đổi (Kế hoạch 12-KH/TU, dòng 7)" in finding
                            and "Để thống nhất với Kế hoạch số 700/KH-UBND" in finding
                            for finding in findings)
    assert HOSTILE_TEXT not in html
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert markdown.count("Căn cứ sửa đổi (Kế hoạch 12-KH/TU, dòng 7)") == len(findings)
    assert "<script>" not in markdown


def test_the_report_says_which_metadata_a_document_lacks(db_path: Path, tmp_path: Path) -> None:
    build_sample_warehouse(db_path)
    excerpt = amending_plan("Sở Khoa học và Công nghệ chủ trì theo dõi.")
    bare = excerpt.document.model_copy(update={"number": None, "kind": None, "issuer": None,
                                               "issued_on": None, "doc_id": "trich-doan"})
    with Warehouse.open(db_path) as warehouse:
        warehouse.load(excerpt.model_copy(update={"document": bare, "refs": (), "targets": (),
                                                  "lines": ()}))
        write_report(warehouse, tmp_path, as_of=AS_OF)
    note = ("văn bản không ghi số văn bản, loại văn bản, cơ quan ban hành, ngày ban hành "
            "(mã lấy theo tên tệp)")
    assert note in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert note in (tmp_path / "report.md").read_text(encoding="utf-8")


def _overlaps(chart: Chart) -> list[tuple[str, str]]:
    boxes = [(text.text, text.box()) for text in chart.texts()]
    return [(first, second) for index, (first, box) in enumerate(boxes)
            for second, other in boxes[index + 1:] if box.overlaps(other)]


def test_chart_years_are_proportional_and_no_label_overlaps_another() -> None:
    """Crowded on purpose: two documents, years one apart, equal and near values."""
    points = [Point(year, value, series, f"≥{value:g}", "", ringed=series == 0)
              for series, values in enumerate(((60, 70, 100, 100), (62, 70, 100, 95)))
              for year, value in zip((2025, 2026, 2030, 2045), values, strict=True)]
    chart = build_chart("thử", points, [("Kế hoạch A", "#0072B2"), ("Kế hoạch B", "#E69F00")],
                        [(points[1], points[5])])
    x = {int(text.text): text.x for text in chart.years}
    assert x[2030] - x[2026] == pytest.approx(4 * (x[2026] - x[2025]))
    assert x[2045] - x[2030] == pytest.approx(15 * (x[2026] - x[2025]))
    assert _overlaps(chart) == []
    assert {text.y for text in chart.years} != {chart.years[0].y}, "close years take two rows"
    assert len(chart.labels) >= 5  # most figures keep a label
    area = chart.plot
    assert all(area.left <= text.box().left and text.box().right <= area.right
               for text in chart.labels)
