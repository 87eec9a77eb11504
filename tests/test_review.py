"""Decisions that persist: `chitieu review` on a finding, `chitieu review-link` on an
indicator link, `chitieu task-done` on a task and `chitieu restore-confirm` on a restored
document are stored in the warehouse with who and
when, survive re-runs and new versions of a plan, and show in the report and in what the check
says changed."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.check.consistency import check_warehouse
from pipeline.cli import main
from pipeline.present.report import write_report
from pipeline.store.warehouse import Warehouse
from schemas.records import (
    ConflictKind,
    Document,
    ExtractedDocument,
    Line,
    ReviewStatus,
    TextSource,
)
from tests.conftest import PLANS
from tests.consistency_samples import AS_OF, build_sample_warehouse, government_plan


def chitieu(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def cross_doc_id(db_path: Path) -> str:
    with Warehouse.open(db_path, read_only=True) as warehouse:
        return next(conflict.conflict_id for conflict in warehouse.conflicts()
                    if conflict.kind == ConflictKind.CROSS_DOC)


def edited_government_plan(new_value: float) -> ExtractedDocument:
    """A new version of the government plan: another file content, the fibre figure edited."""
    plan = government_plan()
    targets = tuple(target.model_copy(update={"value": new_value})
                    if (target.indicator_id, target.target_year) == ("fibre_pct", 2027) else target
                    for target in plan.targets)
    document = plan.document.model_copy(update={
        "sha256": hashlib.sha256(f"v2 {new_value}".encode()).hexdigest()})
    return plan.model_copy(update={"document": document, "targets": targets})


def test_a_review_is_stored_with_who_and_when_and_shown_in_the_report(
        db_path: Path, tmp_path: Path) -> None:
    build_sample_warehouse(db_path)
    out = tmp_path / "out"
    with Warehouse.open(db_path, read_only=True) as warehouse:
        write_report(warehouse, out, as_of=AS_OF)
    finding = cross_doc_id(db_path)

    result = chitieu("review", finding[:8], "--status", "chấp nhận", "--note",
                     "Đã thống nhất <b>mức 85 %</b>", "--by", "Lan", "--db", str(db_path),
                     "--out", str(out))

    assert result.exit_code == 0, result.output
    assert f"Đã ghi quyết định cho {finding}: chấp nhận — Lan" in result.output
    with Warehouse.open(db_path, read_only=True) as warehouse:
        review = warehouse.reviews()[finding]
    assert (review.status, review.reviewed_by) == (ReviewStatus.ACCEPTED, "Lan")
    html = (out / "report.html").read_text(encoding="utf-8")
    first_page = html[html.index('id="can-giai-quyet"'):html.index('id="tong-quan"')]
    # accepted: it leaves the list to settle, and is named among the decided ones
    rows = re.findall(r'<tr class="(?:high|medium)">.*?</tr>', first_page, re.S)
    assert len(rows) == 1 and not any(finding in row for row in rows)
    assert "Đã có quyết định (1)" in first_page and f'href="#ct-{finding}"' in first_page
    card = html[html.index(f'id="ct-{finding}"'):]
    assert "Quyết định: chấp nhận — Lan, " in card[:card.index("Ghi quyết định")]
    assert "Đã thống nhất &lt;b&gt;mức 85 %&lt;/b&gt;" in card
    assert "<b>mức" not in html
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "Quyết định: chấp nhận — Lan" in markdown and "<b>" not in markdown


def test_a_review_survives_a_rerun_and_a_new_version_of_a_plan(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # check folds its lines at the terminal's width
    build_sample_warehouse(db_path)
    finding = cross_doc_id(db_path)
    assert chitieu("review", finding, "--status", "đã báo cáo", "--note", "Gửi Văn phòng",
                   "--db", str(db_path)).exit_code == 0

    rerun = chitieu("check", "--db", str(db_path))
    assert "quyết định: đã báo cáo — " in rerun.output
    assert "1 đã có quyết định." in rerun.output

    with Warehouse.open(db_path) as warehouse:
        warehouse.load(edited_government_plan(78))
        conflicts, changes = check_warehouse(warehouse)
        reviews = warehouse.reviews()
    assert finding in {conflict.conflict_id for conflict in conflicts}
    assert reviews[finding].status == ReviewStatus.REPORTED and reviews[finding].note == (
        "Gửi Văn phòng")
    assert [now.conflict_id for _before, now in changes.changed] == [finding]

    # the check says the figure moved under a decision, to be looked at again
    with Warehouse.open(db_path) as warehouse:
        warehouse.load(edited_government_plan(80))
    after = chitieu("check", "--db", str(db_path))
    assert re.search(r"- Thay đổi \(≥ 78 % → ≥ 80 %\): .*\n    quyết định trước đó: đã báo cáo — .*"
                     r"Gửi Văn phòng — cần xem lại", after.output), after.output


def test_a_review_names_a_status_and_a_finding_that_exist(db_path: Path) -> None:
    build_sample_warehouse(db_path)
    finding = cross_doc_id(db_path)
    wrong_status = chitieu("review", finding, "--status", "xong", "--db", str(db_path))
    assert wrong_status.exit_code != 0
    assert "chọn một trong: đã xem | chấp nhận | bỏ qua | đã báo cáo" in wrong_status.output
    unknown = chitieu("review", "ffffffff", "--status", "da xem", "--db", str(db_path))
    assert unknown.exit_code != 0 and "không có phát hiện nào mang mã này" in unknown.output
    with Warehouse.open(db_path, read_only=True) as warehouse:
        assert warehouse.reviews() == {}


def test_a_completed_task_no_longer_reads_as_past_its_deadline(db_path: Path,
                                                               tmp_path: Path) -> None:
    build_sample_warehouse(db_path)
    done = chitieu("task-done", "11-KH-TU:30", "--on", "15/03/2027", "--note",
                   "Báo cáo số 12/BC", "--by", "Lan", "--db", str(db_path))
    assert done.exit_code == 0, done.output
    missing = chitieu("task-done", "11-KH-TU:31", "--db", str(db_path))
    assert missing.exit_code != 0 and "không có nhiệm vụ nào" in missing.output
    with Warehouse.open(db_path) as warehouse:
        check_warehouse(warehouse)  # a re-run leaves it
        write_report(warehouse, tmp_path, as_of=AS_OF)
    html = (tmp_path / "tasks.html").read_text(encoding="utf-8")
    portal = next(row for row in re.findall(r'<tr id="task-[^"]+">.*?</tr>', html, re.S)
                  if "cổng dữ liệu mở" in row)
    assert "Đã hoàn thành ngày 15/03/2027 (ghi nhận: Lan; Báo cáo số 12/BC)" in portal
    assert "Hạn ghi trong kế hoạch đã qua" not in portal
    assert "3 nhiệm vụ, 0 có hạn ghi trong kế hoạch đã qua" in html


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_reviews_and_link_decisions_survive_runs_and_a_new_version(tmp_path: Path) -> None:
    """The real plans through `chitieu run`: a reviewed finding and a split link hold after
    a run with nothing new and after a new version of KH 3450 (a preamble moves every line)."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    for key in ("kh08", "kh3450"):
        shutil.copy(PLANS[key], raw / PLANS[key].name)
    db = str(out / "chitieu.duckdb")
    assert chitieu("run", str(raw), "--out", str(out), "--db", db).exit_code == 0
    with Warehouse.open(Path(db), read_only=True) as warehouse:
        conflicts = warehouse.conflicts()
        targets = {target.target_id: target for target in warehouse.targets()}
    finding = next(conflict for conflict in conflicts if conflict.kind == ConflictKind.CROSS_DOC)
    other = next(conflict for conflict in conflicts if conflict.kind == ConflictKind.CROSS_DOC
                 and conflict.indicator_id != finding.indicator_id)
    side = targets[other.target_id_b]
    assert chitieu("review", finding.conflict_id, "--status", "đã xem", "--by", "Lan",
                   "--db", db, "--out", str(out)).exit_code == 0
    with Warehouse.open(Path(db), read_only=True) as warehouse:
        task = next(task for task in warehouse.tasks() if task.doc_id == "3450-KH-UBND")
    assert chitieu("task-done", f"{task.doc_id}:{task.line}", "--text", task.title[:40],
                   "--on", "01/04/2026", "--db", db, "--out", str(out)).exit_code == 0
    split = chitieu("review-link", f"{side.doc_id}:{side.line}", "--text", side.indicator_text,
                    "--split", "--note", "khác phạm vi", "--db", db, "--out", str(out))
    assert split.exit_code == 0, split.output
    assert "- Đã hết:" in split.output

    def state() -> tuple[set[str], dict[str, str], set[str], set[str | None]]:
        with Warehouse.open(Path(db), read_only=True) as warehouse:
            tasks = {found.task_id for found in warehouse.tasks()}
            return ({conflict.conflict_id for conflict in warehouse.conflicts()},
                    {key: review.reviewed_by for key, review in warehouse.reviews().items()},
                    set(warehouse.completions()) & tasks,
                    {target.indicator_id for target in warehouse.targets()  # the split one's
                     if (target.doc_id, target.indicator_text) == (side.doc_id,
                                                                   side.indicator_text)})

    listed = chitieu("indicators", "--review", "--db", db)
    assert f"{side.doc_id}: «{side.indicator_text[:60]}» tách riêng — " in listed.output
    assert ": khác phạm vi" in listed.output
    after_split = state()
    assert other.conflict_id not in after_split[0] and finding.conflict_id in after_split[0]
    assert len(after_split[3]) == 1 and side.indicator_id not in after_split[3]
    assert chitieu("run", str(raw), "--out", str(out), "--db", db).exit_code == 0
    assert chitieu("check", "--db", db).exit_code == 0
    assert state() == after_split

    plan = raw / PLANS["kh3450"].name
    plan.write_text("Bản sao từ cổng thông tin điện tử tỉnh.\n\n"
                    + plan.read_text(encoding="utf-8"), encoding="utf-8")
    rerun = chitieu("run", str(raw), "--out", str(out), "--db", db)
    assert rerun.exit_code == 0, rerun.output
    assert state() == after_split, "the review and the split hold on the new version"
    assert state()[2] == {task.task_id}, "the task done is the same task in the new version"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Quyết định: đã xem — Lan" in html
    assert "Đã hoàn thành ngày 01/04/2026" in (out / "tasks.html").read_text(encoding="utf-8")


def _document(doc_id: str, sha: str, source: TextSource, lines: list[tuple[str, str]]
              ) -> ExtractedDocument:
    """A document of (raw line, line as loaded) pairs; a line is repaired when they differ."""
    return ExtractedDocument(
        document=Document(doc_id=doc_id, source_path=f"{doc_id}.txt", sha256=sha,
                          text_source=source),
        lines=tuple(Line(doc_id=doc_id, page=1, line_no=number, raw_text=raw, text=text,
                         repaired=raw != text)
                    for number, (raw, text) in enumerate(lines, start=1)))


def test_a_confirmed_restoration_is_learned_from(db_path: Path) -> None:
    """Restoration learns from clean documents and from the restored ones a user confirmed,
    for the version confirmed; removing the document forgets the confirmation."""
    clean = _document("sach", "c" * 64, TextSource.DIGITAL, [("Kế hoạch số 1.", "Kế hoạch số 1.")])
    restored = _document("quet", "d" * 64, TextSource.OCR_TEXT, [
        ("Giao so Tai chinh", "Giao Sở Tài chính"), ("2025", "2025")])
    with Warehouse.open(db_path) as warehouse:
        warehouse.load(clean)
        warehouse.load(restored)
        assert warehouse.corpus_documents() == [["Kế hoạch số 1."]]
    refused = chitieu("restore-confirm", "sach", "--db", str(db_path))
    assert refused.exit_code != 0 and "không có dòng nào được phục hồi" in refused.output
    unknown = chitieu("restore-confirm", "khong-co", "--db", str(db_path))
    assert unknown.exit_code != 0 and "không có văn bản nào" in unknown.output
    confirmed = chitieu("restore-confirm", "quet", "--by", "Lan", "--db", str(db_path))
    assert confirmed.exit_code == 0, confirmed.output
    assert "Đã xác nhận chữ phục hồi của quet (1 dòng đã phục hồi)" in confirmed.output
    with Warehouse.open(db_path) as warehouse:
        assert warehouse.corpus_documents() == [["Giao Sở Tài chính", "2025"],
                                                ["Kế hoạch số 1."]]
        newer = restored.model_copy(update={
            "document": restored.document.model_copy(update={"sha256": "e" * 64})})
        warehouse.load(newer)  # another version: not what was confirmed
        assert warehouse.corpus_documents() == [["Kế hoạch số 1."]]
        warehouse.load(restored)
        assert len(warehouse.corpus_documents()) == 2
        warehouse.remove("quet")
        warehouse.load(restored)
        assert warehouse.corpus_documents() == [["Kế hoạch số 1."]]
