"""Decisions people make, kept in the warehouse with who and when: a status on a finding
(`chitieu review`), a pin or split of an indicator link (`chitieu review-link`, instead of
editing the overrides CSV inside the source tree), a task done (`chitieu task-done`), a
restored document read and confirmed (`chitieu restore-confirm`: restoration learns from it). They
outlive re-runs and new versions of a plan; the report in --out is rewritten at once so it
shows them.
"""

from __future__ import annotations

import getpass
from datetime import date, datetime
from pathlib import Path

import click

from extractors.textblocks import fold
from pipeline import settings
from pipeline.check.consistency import CheckChanges, check_warehouse
from pipeline.cli.options import db_option, out_option, require_warehouse
from pipeline.present.outputs import publish_outputs
from pipeline.present.report import change_lines
from pipeline.present.view import REVIEW_LABELS, review_text
from pipeline.store.warehouse import Warehouse
from schemas.records import (
    FindingReview,
    LinkAction,
    LinkDecision,
    RestoreConfirmation,
    ReviewStatus,
    Target,
    Task,
    TaskCompletion,
)

# "đã xem", "da xem" and "seen" all name one status.
_STATUSES = {spelling: status for status, label in REVIEW_LABELS.items()
             for spelling in (label, fold(label), status.value)}
STATUS_HELP = " | ".join(REVIEW_LABELS.values())
MIN_PREFIX = 6


def _status(value: str) -> ReviewStatus:
    found = _STATUSES.get(" ".join(fold(value).split())) or _STATUSES.get(value)
    if found is None:
        raise click.BadParameter(f"“{value}” không phải trạng thái; chọn một trong: {STATUS_HELP}",
                                 param_hint="--status")
    return found


def _who(name: str | None) -> str:
    return name.strip() if name and name.strip() else getpass.getuser()


def _finding_id(warehouse: Warehouse, finding: str) -> str:
    """The finding's id from its id or a prefix of at least MIN_PREFIX characters, as the
    report and `chitieu check` print them."""
    ids = [conflict.conflict_id for conflict in warehouse.conflicts()]
    if finding in ids:
        return finding
    matches = [found for found in ids if len(finding) >= MIN_PREFIX and found.startswith(finding)]
    if len(matches) != 1:
        raise click.BadParameter(
            f"{finding}: không có phát hiện nào mang mã này"
            + (f" (đầu mã khớp {len(matches)} phát hiện)" if matches else "")
            + " — xem mã trong báo cáo hoặc `chitieu check`", param_hint="MÃ_PHÁT_HIỆN")
    return matches[0]


def rewrite_outputs(warehouse: Warehouse, out_dir: Path) -> None:
    """The report and the exports in `out_dir` again, as a set, when a run wrote them there."""
    if not (out_dir / "report.html").exists():
        return
    publish_outputs(warehouse, out_dir)
    click.echo(f"Đã cập nhật báo cáo và tệp xuất: {out_dir / 'report.html'}")


@click.command(name="review")
@click.argument("finding", metavar="MÃ_PHÁT_HIỆN")
@click.option("--status", "status_text", required=True, metavar="TRẠNG_THÁI",
              help=f"Quyết định: {STATUS_HELP}.")
@click.option("--note", default=None, metavar="GHI_CHÚ", help="Lý do, căn cứ, nơi đã báo cáo.")
@click.option("--by", "reviewed_by", default=None, metavar="TÊN",
              help="Người quyết định (mặc định: tên đăng nhập).")
@out_option
@db_option
def review(finding: str, status_text: str, note: str | None, reviewed_by: str | None,
           out_dir: Path, db_path: Path) -> None:
    """Ghi quyết định về một phát hiện (giữ qua các lần chạy và phiên bản mới của văn bản)."""
    status = _status(status_text)
    require_warehouse(db_path)
    with Warehouse.open(db_path) as warehouse:
        conflict_id = _finding_id(warehouse, finding)
        decision = FindingReview(conflict_id=conflict_id, status=status, note=note or None,
                                 reviewed_by=_who(reviewed_by), reviewed_at=datetime.now())
        warehouse.add_review(decision)
        click.echo(f"Đã ghi quyết định cho {conflict_id}: {review_text(decision)}")
        rewrite_outputs(warehouse, out_dir)


def _place(where: str, listing: str) -> tuple[str, int]:
    doc_id, _, line = where.rpartition(":")
    if not doc_id or not line.isdigit():
        raise click.BadParameter(f"“{where}” phải có dạng VĂN_BẢN:DÒNG, như `chitieu {listing}` "
                                 "in (ví dụ 3450-KH-UBND:115)", param_hint="VĂN_BẢN:DÒNG")
    return doc_id, int(line)


def _wording(targets: list[Target], where: str, text: str | None) -> tuple[str, str]:
    """(doc_id, the one wording) of the targets at DOC_ID:LINE whose wording holds `text`."""
    doc_id, line = _place(where, "targets")
    wordings = sorted({target.indicator_text for target in targets
                       if (target.doc_id, target.line) == (doc_id, line)
                       and fold(text or "") in fold(target.indicator_text)})
    if len(wordings) != 1:
        found = "; ".join(f"“{wording}”" for wording in wordings) or "không có chỉ tiêu nào"
        raise click.BadParameter(f"{where}: cần đúng một chỉ tiêu, thấy {found} — thêm "
                                 "--text PHẦN_TÊN để chọn", param_hint="VĂN_BẢN:DÒNG")
    return doc_id, wordings[0]


def decision_lines(decisions: list[LinkDecision]) -> list[str]:
    """One line per pin or split, as `chitieu indicators --review` lists them."""
    return [f"  {decision.doc_id}: «{decision.indicator_text[:60]}» "
            + (f"gắn vào {decision.indicator_id}" if decision.action == LinkAction.PIN
               else "tách riêng")
            + f" — {decision.decided_by}, {decision.decided_at:%d/%m/%Y}"
            + (f": {decision.note}" if decision.note else "") for decision in decisions]


@click.command(name="review-link")
@click.argument("where", metavar="VĂN_BẢN:DÒNG")
@click.option("--pin", "indicator_id", default=None, metavar="MÃ_CHỈ_SỐ",
              help="Gắn chỉ tiêu vào chỉ số này (xem mã trong `chitieu indicators`).")
@click.option("--split", is_flag=True, help="Tách chỉ tiêu thành chỉ số riêng.")
@click.option("--text", default=None, metavar="PHẦN_TÊN",
              help="Một phần tên chỉ tiêu, khi dòng có nhiều chỉ tiêu.")
@click.option("--note", default=None, metavar="GHI_CHÚ", help="Lý do.")
@click.option("--by", "decided_by", default=None, metavar="TÊN",
              help="Người quyết định (mặc định: tên đăng nhập).")
@out_option
@db_option
def review_link(where: str, indicator_id: str | None, split: bool, text: str | None,
                note: str | None, decided_by: str | None, out_dir: Path, db_path: Path) -> None:
    """Gắn (--pin) hoặc tách (--split) liên kết chỉ số của một chỉ tiêu, rồi kiểm tra lại."""
    if (indicator_id is None) == (not split):
        raise click.UsageError("Chọn đúng một trong --pin MÃ_CHỈ_SỐ hoặc --split.")
    require_warehouse(db_path)
    with Warehouse.open(db_path) as warehouse:
        doc_id, wording = _wording(warehouse.targets(), where, text)
        if indicator_id and indicator_id not in {found.indicator_id
                                                 for found in warehouse.indicators()}:
            raise click.BadParameter(f"{indicator_id}: không có chỉ số này — xem "
                                     "`chitieu indicators`", param_hint="--pin")
        warehouse.add_link_decision(LinkDecision(
            action=LinkAction.PIN if indicator_id else LinkAction.SPLIT, doc_id=doc_id,
            indicator_text=wording, indicator_id=indicator_id, note=note or None,
            decided_by=_who(decided_by), decided_at=datetime.now()))
        changes = relink_and_check(warehouse)
        click.echo(f"Đã ghi: “{wording}” ({doc_id}) "
                   + (f"gắn vào {indicator_id}." if indicator_id else "tách riêng."))
        if changes is not None:
            click.echo("\n".join(change_lines(changes, warehouse.reviews())))
        rewrite_outputs(warehouse, out_dir)


def relink_and_check(warehouse: Warehouse) -> CheckChanges | None:
    """Links and findings again after the warehouse changed outside a run."""
    from pipeline.run.stages import relink  # the readers it imports: only when linking

    relink(warehouse, settings.indicator_overrides_path())
    return check_warehouse(warehouse)[1]


def _task(tasks: list[Task], where: str, text: str | None) -> Task:
    doc_id, line = _place(where, "tasks")
    found = [task for task in tasks if (task.doc_id, task.line) == (doc_id, line)
             and fold(text or "") in fold(task.title)]
    if len(found) != 1:
        titles = "; ".join(f"“{task.title[:60]}”" for task in found) or "không có nhiệm vụ nào"
        raise click.BadParameter(f"{where}: cần đúng một nhiệm vụ, thấy {titles} — thêm "
                                 "--text PHẦN_TÊN để chọn", param_hint="VĂN_BẢN:DÒNG")
    return found[0]


@click.command(name="task-done")
@click.argument("where", metavar="VĂN_BẢN:DÒNG")
@click.option("--on", "done_on", type=click.DateTime(["%d/%m/%Y", "%Y-%m-%d"]), default=None,
              metavar="NGÀY", help="Ngày hoàn thành, dd/mm/yyyy (mặc định: hôm nay).")
@click.option("--text", default=None, metavar="PHẦN_TÊN",
              help="Một phần tên nhiệm vụ, khi dòng có nhiều nhiệm vụ.")
@click.option("--note", default=None, metavar="GHI_CHÚ", help="Căn cứ: báo cáo, văn bản.")
@click.option("--by", "recorded_by", default=None, metavar="TÊN",
              help="Người ghi nhận (mặc định: tên đăng nhập).")
@out_option
@db_option
def task_done(where: str, done_on: datetime | None, text: str | None, note: str | None,
              recorded_by: str | None, out_dir: Path, db_path: Path) -> None:
    """Ghi nhận một nhiệm vụ đã hoàn thành (báo cáo nhiệm vụ không còn ghi hạn đã qua)."""
    require_warehouse(db_path)
    with Warehouse.open(db_path) as warehouse:
        task = _task(warehouse.tasks(), where, text)
        warehouse.add_completion(TaskCompletion(
            task_id=task.task_id, done_on=done_on.date() if done_on else date.today(),
            note=note or None, recorded_by=_who(recorded_by), recorded_at=datetime.now()))
        click.echo(f"Đã ghi nhận hoàn thành: “{task.title[:80]}” ({where}).")
        rewrite_outputs(warehouse, out_dir)


@click.command(name="restore-confirm")
@click.argument("document", metavar="VĂN_BẢN")
@click.option("--by", "confirmed_by", default=None, metavar="TÊN",
              help="Người xác nhận (mặc định: tên đăng nhập).")
@db_option
def restore_confirm(document: str, confirmed_by: str | None, db_path: Path) -> None:
    """Xác nhận chữ đã phục hồi dấu của VĂN_BẢN (mã hoặc số văn bản) là đúng: từ lần chạy sau,
    bộ phục hồi học từ văn bản này như từ một văn bản sạch (mô hình được cập nhật thêm, không
    dựng lại)."""
    require_warehouse(db_path)
    with Warehouse.open(db_path) as warehouse:
        found = warehouse.find_document(document)
        if found is None:
            raise click.BadParameter(f"{document}: không có văn bản nào mang mã hoặc số này — "
                                     "xem `chitieu docs`", param_hint="VĂN_BẢN")
        restored = warehouse.restored_line_count(found.doc_id)
        if not restored:
            raise click.BadParameter(f"{found.doc_id}: văn bản không có dòng nào được phục hồi "
                                     "dấu — không có gì để xác nhận", param_hint="VĂN_BẢN")
        warehouse.confirm_restoration(RestoreConfirmation(
            doc_id=found.doc_id, sha256=found.sha256, confirmed_by=_who(confirmed_by),
            confirmed_at=datetime.now()))
    click.echo(f"Đã xác nhận chữ phục hồi của {found.doc_id} ({restored} dòng đã phục hồi): "
               "bộ phục hồi dấu sẽ học từ văn bản này.")
