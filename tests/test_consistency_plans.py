"""The check on the four real plans: the conflicts of tests/data/conflicts_dev.csv are found,
reported with both sources, and an amending plan turns its pairs superseded."""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.check.consistency import check_warehouse, threshold_of
from pipeline.present.report import write_report
from pipeline.present.vietnamese import vietnamese_key
from pipeline.present.view import build_report_view, load_report_data
from pipeline.store.warehouse import Warehouse
from schemas.records import Conflict, ConflictKind, ConflictStatus, Severity, Target
from tests.conftest import DATA, PLANS
from tests.consistency_samples import load_plans
from tests.test_report_chromium import chromium, console_messages

pytestmark = pytest.mark.slow

# An invented plan that amends KH 22 and restates its 5G target; the figure is made up.
AMENDING_PLAN = """TỈNH ỦY LÂM ĐỒNG

Số 45-KH/TU

Lâm Đồng, ngày 02 tháng 4 năm 2026

KẾ HOẠCH
Sửa đổi, bổ sung một số nội dung tại Kế hoạch số 22-KH/TU, ngày 14/01/2026 của Ban Thường vụ
Tỉnh ủy về triển khai thực hiện Nghị quyết số 57-NQ/TW năm 2026

I. NỘI DUNG SỬA ĐỔI, BỔ SUNG

2. Mục tiêu cụ thể

a) Phát triển hạ tầng

- Tỷ lệ phủ sóng 5G trên địa bàn ≥ 75%.
"""


@dataclass(frozen=True)
class KeySide:
    file_name: str
    comparator: str
    value: float
    year: int


def key_sides(row: dict[str, str]) -> set[KeySide]:
    """Both sides of a key row: ">=33 (2025)" or ">=80" with the row's year."""
    sides = set()
    for side in ("a", "b"):
        match = re.fullmatch(r"(>=|<=|>|<|=)\s*([\d.]+)(?:\s*\((\d{4})\))?", row[f"value_{side}"])
        assert match, row
        year = int(match.group(3) or row["year"])
        sides.add(KeySide(row[f"doc_{side}"], match.group(1), float(match.group(2)), year))
    return sides


def found_sides(conflict: Conflict, targets: dict[str, Target], files: dict[str, str]
                ) -> set[KeySide]:
    return {KeySide(files[target.doc_id], target.comparator, target.value, target.target_year)
            for target in (targets[conflict.target_id_a], targets[conflict.target_id_b])}


@pytest.fixture(scope="module")
def plans_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("plans")
    db_path = root / "chitieu.duckdb"
    load_plans(db_path, list(PLANS.values()), root / "models")
    with Warehouse.open(db_path) as warehouse:
        check_warehouse(warehouse)
    return db_path


def read_back(db_path: Path) -> tuple[list[Conflict], dict[str, Target], dict[str, str]]:
    with Warehouse.open(db_path, read_only=True) as warehouse:
        files = {document.doc_id: Path(document.source_path).name
                 for document in warehouse.documents()}
        targets = {target.target_id: target for target in warehouse.targets()}
        return warehouse.conflicts(), targets, files


def test_every_conflict_of_the_dev_key_is_found(plans_db: Path) -> None:
    conflicts, targets, files = read_back(plans_db)
    with (DATA / "conflicts_dev.csv").open(encoding="utf-8") as stream:
        key = list(csv.DictReader(stream))

    for row in key:
        wanted = key_sides(row)
        matches = [conflict for conflict in conflicts if conflict.kind == row["kind"]
                   and found_sides(conflict, targets, files) == wanted]
        assert matches, f"not found: {row}"
        assert all(conflict.status == ConflictStatus.OPEN for conflict in matches)
        expected = Severity.MEDIUM if row["kind"] == ConflictKind.REGRESSION else Severity.HIGH
        assert all(conflict.severity == expected for conflict in matches)


def test_findings_are_between_different_comparable_thresholds(plans_db: Path) -> None:
    """Precision guards that hold for every finding, whatever the extraction finds."""
    conflicts, targets, _files = read_back(plans_db)
    assert conflicts
    for conflict in conflicts:
        first, second = targets[conflict.target_id_a], targets[conflict.target_id_b]
        if conflict.kind == ConflictKind.UNIT_MISMATCH:
            assert first.doc_id != second.doc_id
            continue
        assert first.indicator_id == second.indicator_id == conflict.indicator_id
        assert threshold_of(first) != threshold_of(second)
        assert first.per_year == second.per_year
        if conflict.kind == ConflictKind.REGRESSION:
            assert first.target_year < second.target_year
        else:
            assert first.target_year == second.target_year
            assert (first.doc_id == second.doc_id) == (conflict.kind == ConflictKind.WITHIN_DOC)


def test_the_report_opens_with_the_5g_conflict_and_what_would_settle_it(
        plans_db: Path, tmp_path: Path) -> None:
    with Warehouse.open(plans_db, read_only=True) as warehouse:
        write_report(warehouse, tmp_path)
        five_g = next(conflict for conflict in warehouse.conflicts()
                      if conflict.indicator_id == "phu_song_5g_pct"
                      and conflict.kind == ConflictKind.CROSS_DOC)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    first_page = html[html.index('<section id="can-giai-quyet">'):html.index('id="tong-quan"')]
    rows = re.findall(r"<tr class=\"(?:high|medium)\">.*?</tr>", first_page, re.S)
    five_g_rows = [number for number, row in enumerate(rows, start=1)
                   if "Tỷ lệ phủ sóng 5G trên địa bàn" in row]
    assert five_g_rows and five_g_rows[0] <= 8, "the 5G conflict is among the first items"
    row = rows[five_g_rows[0] - 1]
    assert f'href="#ct-{five_g.conflict_id}"' in row
    assert "Kế hoạch 22-KH/TU ≥ 80 % ↔ Kế hoạch 3450/KH-UBND ≥ 70 %" in row
    # since when, who follows it, and the amending plan cited but not loaded
    assert '17/03/2026<br><span class="small muted">ban hành Kế hoạch 3450/KH-UBND' in row
    assert "<td>Sở Khoa học và Công nghệ</td>" in row
    assert "Nạp 44-KH/TU, văn bản sửa đổi Kế hoạch 22-KH/TU (chưa có trong kho)" in row
    assert "OCR: “≥” đọc từ “&gt;”" in row

    card = html[html.index(f'id="ct-{five_g.conflict_id}"'):]
    card = card[:card.index("Ghi quyết định")]
    # both lines quoted where they stand; the appendix row under its column headings
    assert "Kế hoạch 22-KH/TU, trang 1, dòng 101" in card
    assert "Kế hoạch 3450/KH-UBND, trang 1, dòng 115" in card
    assert "<tr><th>Kết quả đạt được năm 2026</th><td>≥ 70</td></tr>" in card
    assert "<tr><th>Phấn đấu đến năm 2030</th><td>100</td></tr>" in card
    # KH 22 is an OCR text: the card says the ≥ was read from '>' and shows the scan's text
    assert "Lưu ý OCR: “≥ 80 %” (Kế hoạch 22-KH/TU): dấu “≥” được đọc từ ký tự “&gt;”" in card
    assert "Chữ OCR trước khi phục hồi: - Ty 1€ pht séng 5G trén dia ban &gt; 80%." in card
    assert "Đối chiếu Chương trình 02-CTr/BCĐTW" in card  # the row's own source document
    assert "Nạp văn bản 44-KH/TU (sửa đổi, bổ sung Kế hoạch 22-KH/TU; theo Chương trình " \
           "01-CTr/BCĐ, dòng 32" in card
    assert "Sở Khoa học và Công nghệ (theo Kế hoạch 3450/KH-UBND)" in card
    # the amendment KH 22 has is known from CTr 01, though 44-KH/TU itself is not loaded
    assert "được sửa đổi, bổ sung bởi 44-KH/TU" in html
    assert "phu_song_5g_pct" not in html, "plain names, never internal ids"


def test_tasks_name_the_person_and_list_agencies_once_in_vietnamese_order(
        plans_db: Path, tmp_path: Path) -> None:
    with Warehouse.open(plans_db, read_only=True) as warehouse:
        write_report(warehouse, tmp_path, as_of=date(2026, 6, 30))
        task_count = len(warehouse.tasks())
    html = (tmp_path / "tasks.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr id="task-[^"]+">(.*?)</tr>', html, re.S)
    assert len(rows) == task_count
    # CTr 01 names a leader for every task; its two most senior name no agency, only a person
    secretary = next(row for row in rows if "Đồng chí Y Thanh Hà Niê Kđăm" in row)
    assert "<td>Ban Chỉ đạo tỉnh (theo chức danh người phụ trách)</td>" in secretary
    people = [re.findall(r"<td[^>]*>(.*?)</td>", row)[4] for row in rows]
    assert sum(person.startswith("Đồng chí ") for person in people) == 18
    index = html[html.index('id="co-quan"'):html.index('id="doc-1"')]
    number = re.match(r'<td class="num">(\d+)<br>', secretary).group(1)
    steering = re.search(r"<tr><td>Ban Chỉ đạo tỉnh</td><td>(.*?)</td>", index).group(1)
    assert f">{number}</a>" in steering  # filed under its agency, not "Chưa rõ cơ quan"
    names = re.findall(r"<tr><td>(.*?)</td>", index)
    assert len(names) == len(set(names)) > 30
    assert names == sorted(names, key=lambda name: (name == "Chưa rõ cơ quan",
                                                   vietnamese_key(unescape(name))))
    assert names.index("Ủy ban nhân dân tỉnh") > names.index("Sở Xây dựng")
    assert "Quá hạn" not in html and "Hạn ghi trong kế hoạch đã qua" in html


def test_an_amending_plan_supersedes_the_pairs_it_governs(plans_db: Path, tmp_path: Path
                                                          ) -> None:
    db_path = tmp_path / "chitieu.duckdb"
    shutil.copy(plans_db, db_path)
    amending = tmp_path / "kh-45-KH-TU-2026-04-02.txt"
    amending.write_text(AMENDING_PLAN, encoding="utf-8")

    load_plans(db_path, [amending], tmp_path / "models")
    with Warehouse.open(db_path) as warehouse:
        conflicts, changes = check_warehouse(warehouse)
        documents = {document.doc_id: document for document in warehouse.documents()}

    assert documents["45-KH-TU"].number == "45-KH/TU"
    five_g = [conflict for conflict in conflicts if "45-KH-TU" in (conflict.doc_id_a,
                                                                   conflict.doc_id_b)]
    by_other = {({conflict.doc_id_a, conflict.doc_id_b} - {"45-KH-TU"}).pop(): conflict
                for conflict in five_g if conflict.kind == ConflictKind.CROSS_DOC}
    assert by_other["22-KH-TU"].status == ConflictStatus.SUPERSEDED
    assert "Kế hoạch 45-KH/TU sửa đổi Kế hoạch 22-KH/TU" in by_other["22-KH-TU"].explanation
    assert by_other["3450-KH-UBND"].status == ConflictStatus.OPEN
    assert {conflict.conflict_id for conflict in five_g} <= {
        conflict.conflict_id for conflict in changes.new}


def test_the_real_report_renders_cleanly_in_chromium(plans_db: Path, tmp_path: Path) -> None:
    with Warehouse.open(plans_db, read_only=True) as warehouse:
        write_report(warehouse, tmp_path)
    screenshot = tmp_path / "report.png"

    result = chromium(tmp_path / "report.html", tmp_path / "profile", "--window-size=1100,1400",
                      f"--screenshot={screenshot}")

    assert console_messages(result.stderr) == []
    assert screenshot.stat().st_size > 20_000


PRINTED_PAGE_LIMIT = 25  # A4 pages of the printed report of the four plans, tasks apart


def test_the_printed_report_fits_in_25_a4_pages_and_opens_with_the_5g_conflict(
        plans_db: Path, tmp_path: Path) -> None:
    with Warehouse.open(plans_db, read_only=True) as warehouse:
        write_report(warehouse, tmp_path)
    pages = {}
    for name in ("report", "tasks"):
        pdf = tmp_path / f"{name}.pdf"
        chromium(tmp_path / f"{name}.html", tmp_path / "profile", "--no-pdf-header-footer",
                 f"--print-to-pdf={pdf}")
        pages[name] = PdfReader(pdf).pages
    print(f"\nprinted A4 pages: report.html {len(pages['report'])} "
          f"(limit {PRINTED_PAGE_LIMIT}), tasks.html {len(pages['tasks'])}")
    first = pages["report"][0]
    assert (float(first.mediabox.width), float(first.mediabox.height)) == pytest.approx(
        (595, 842), abs=1), "A4"
    assert len(pages["report"]) < PRINTED_PAGE_LIMIT
    first_text = " ".join(first.extract_text().split())
    assert "Cần giải quyết" in first_text and "Tỷ lệ phủ sóng 5G trên địa bàn" in first_text


def test_no_chart_of_the_four_plans_has_overlapping_texts(plans_db: Path) -> None:
    with Warehouse.open(plans_db, read_only=True) as warehouse:
        view = build_report_view(load_report_data(warehouse))
    charts = [section.chart for section in view.indicators if section.chart]
    assert len(charts) == len(view.indicators) > 10
    for chart in charts:
        boxes = [text.box() for text in chart.texts()]
        assert not any(box.overlaps(other) for index, box in enumerate(boxes)
                       for other in boxes[index + 1:]), chart.title
    labelled = sum(len(chart.labels) for chart in charts)
    print(f"\nvalue labels drawn: {labelled} of {sum(len(c.markers) for c in charts)} points")
