"""The product's commands: a thin layer over the library.

Queries and unchanged re-runs never import Prefect (its import and ephemeral server cost
seconds); only commands that run a flow load pipeline.run.flows.
"""


from __future__ import annotations

import logging
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import click

from extractors.tasks import agency_role, select_tasks
from pipeline import settings
from pipeline.check.consistency import CheckChanges, check_warehouse
from pipeline.cli import dev, review
from pipeline.cli.console import (
    ChitieuGroup,
    configure_logging,
    report_failures,
    write_log,
    writing_outputs,
)
from pipeline.cli.options import (
    DateParam,
    db_option,
    format_option,
    out_option,
    print_listing,
    require_warehouse,
    shorten,
    warehouse_corpus,
    with_dask_options,
)
from pipeline.present.export import FORMATS as EXPORT_FORMATS
from pipeline.present.export import export_tables
from pipeline.present.publish import publish
from pipeline.present.report import change_lines, check_text
from pipeline.present.table import Column, wrapped
from pipeline.present.view import load_report_data, vn_date
from pipeline.run.inputs import (
    InputError,
    InputFile,
    catalog_is_stale,
    outputs_exist,
    pending_inputs,
)
from pipeline.run.server import start_temporary_server
from pipeline.store.warehouse import Warehouse
from schemas.errors import EXIT_CODE_MEANINGS, OpenConflicts
from schemas.records import Target, Task

log = logging.getLogger("chitieu.cli")
EXIT_CODES_EPILOG = "\b\nTrạng thái thoát:\n" + "\n".join(
    f"  {int(code):>2}  {meaning}" for code, meaning in EXIT_CODE_MEANINGS.items())

if TYPE_CHECKING:
    from pipeline.run.stages import DocumentFailure


@click.group(cls=ChitieuGroup, epilog=EXIT_CODES_EPILOG,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="Nói nhiều hơn (chi tiết gỡ lỗi).")
@click.option("-q", "--quiet", is_flag=True, help="Chỉ báo lỗi và cảnh báo, không báo tiến độ.")
def main(verbose: int, quiet: bool) -> None:
    """chitieu: đọc các kế hoạch thành chỉ tiêu, nhiệm vụ và mâu thuẫn đã kiểm tra.

    Thường dùng: `chitieu run raw/` nạp mọi kế hoạch trong raw/, đối chiếu chúng với nhau
    rồi ghi báo cáo và các tệp xuất vào warehouse/.
    """
    configure_logging(-1 if quiet else verbose)


def _pending(paths: tuple[Path, ...], db_path: Path, outputs: tuple[Path, ...] = ()
             ) -> list[InputFile]:
    """New or changed files; says how many were skipped. Never imports Prefect."""
    todo, unchanged = pending_inputs(list(paths), db_path, outputs)
    if unchanged:
        log.info("%d tệp không đổi, bỏ qua.", unchanged)
    return todo


def _flows(db_path: Path) -> ModuleType:
    """The flows module, once the warehouse opens for writing (a --db that cannot be one —
    under a file, damaged, another program's — is one line before Prefect starts, not one
    per document), with Prefect's server started first: it comes up while the flows and
    everything they use are imported."""
    with Warehouse.open(db_path):
        pass
    settings.configure_prefect(db_path.parent / ".prefect",
                               console_logs=log.isEnabledFor(logging.DEBUG))
    log.info("Khởi động Prefect (máy chủ tạm thời, vài giây)…")
    server = start_temporary_server()
    from pipeline.run import flows

    if server is not None:
        server.wait_ready()
    return flows


def _notes(set_aside: list[str]) -> None:
    """Files read and not loaded because another file is their document: not errors."""
    for line in set_aside:
        click.echo(f"ghi chú: {line}", err=True)


def _finish(failures: list[DocumentFailure], db_path: Path) -> None:
    """One line per file that did not load; the exit status of the most serious (a fault of
    chitieu's own outranks a missing Tesseract, which outranks a bad file), so a run that went
    on past a bug never looks like a run with only bad files."""
    report_failures(failure.line() for failure in failures)
    internal = "".join(f"--- {datetime.now().isoformat(timespec='seconds')} {failure.path} "
                       f"({failure.stage})\n{failure.details}\n"
                       for failure in failures if failure.internal)
    if internal:
        log_path = write_log(internal, db_path)
        click.echo(f"Chi tiết lỗi nội bộ đã ghi vào {log_path}; hãy gửi tệp đó cho người hỗ "
                   "trợ.", err=True)
    if failures:
        click.get_current_context().exit(max(failure.exit_code for failure in failures))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="ĐƯỜNG_DẪN...")
@db_option
@with_dask_options
def ingest(paths: tuple[Path, ...], db_path: Path, dask_address: str | None,
           dask_workers: int | None) -> None:
    """Nạp kế hoạch (tệp hoặc thư mục) vào kho. Tệp đã nạp, không đổi: bỏ qua."""
    todo = _pending(paths, db_path)
    if not todo and not catalog_is_stale(db_path):
        click.echo("Không có gì mới để nạp.")
        return
    summary = _flows(db_path).run_ingest(todo, db_path, dask_address, dask_workers)
    click.echo(f"Đã nạp {len(summary.loaded)} văn bản vào {db_path}.")
    _notes(summary.set_aside)
    _finish(summary.failures, db_path)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[ĐƯỜNG_DẪN]...")
@out_option
@db_option
@with_dask_options
def run(paths: tuple[Path, ...], out_dir: Path, db_path: Path, dask_address: str | None,
        dask_workers: int | None) -> None:
    """Nạp ĐƯỜNG_DẪN (mặc định raw/), đối chiếu các văn bản, ghi báo cáo và tệp xuất."""
    paths = paths or (Path("raw"),)
    failures: list[DocumentFailure] = []
    changes: CheckChanges | None = None
    if _pending(paths, db_path, (out_dir,)) or not outputs_exist(out_dir, db_path):
        with writing_outputs(out_dir):
            summary = _flows(db_path).run_all(list(paths), db_path, out_dir, dask_address,
                                              dask_workers)
        failures, changes = summary.ingest.failures, summary.changes
        _notes(summary.ingest.set_aside)
    _print_where(db_path, out_dir, changes)
    _finish(failures, db_path)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True),
                metavar="THƯ_MỤC")
@click.option("--interval", "interval_seconds", type=int, default=300, show_default=True,
              metavar="GIÂY", help="Số giây giữa hai lần xem thư mục.")
@out_option
@db_option
def serve(folder: Path, interval_seconds: int, out_dir: Path, db_path: Path) -> None:
    """Chạy một triển khai Prefect nạp và đối chiếu các kế hoạch mới thả vào THƯ_MỤC.

    Cần một máy chủ Prefect (`prefect server start`, rồi đặt PREFECT_API_URL); xem README.
    """
    _flows(db_path).serve_folder(folder.resolve(), db_path.resolve(), out_dir.resolve(),
                                 interval_seconds)


def _print_where(db_path: Path, out_dir: Path, changes: CheckChanges | None) -> None:
    """The counts, what this run's check changed (if it had one to compare to), the outputs."""
    with Warehouse.open(db_path, read_only=True) as warehouse:
        documents = warehouse.documents()
        conflicts = warehouse.conflicts()
        reviews = warehouse.reviews()
    open_count = sum(conflict.status == "open" for conflict in conflicts)
    click.echo(f"Văn bản: {len(documents)}; mâu thuẫn: {len(conflicts)} ({open_count} chưa xử lý)")
    if changes is not None:
        click.echo("\n".join(change_lines(changes, reviews)))
    click.echo(f"Kho dữ liệu: {db_path}")
    click.echo(f"Báo cáo:     {out_dir / 'report.html'} (và report.md; nhiệm vụ: tasks.html)")
    click.echo(f"Xuất dữ liệu: {out_dir / 'exports'}/")


DOCUMENT_COLUMNS = (
    Column("doc_id", "Mã văn bản"),
    Column("number", "Số hiệu"),
    Column("kind", "Loại", free_text=True),
    Column("issuer", "Cơ quan ban hành", free_text=True),
    Column("issued_on", "Ngày ban hành"),
    Column("text_source", "Nguồn chữ"),
)
def _day(day: date | None) -> str | None:
    return vn_date(day) if day else None


TEXT_SOURCES = {"digital": "văn bản số", "ocr": "OCR ảnh quét", "ocr_text": "chữ OCR có sẵn"}


@main.command()
@click.argument("document", metavar="VĂN_BẢN")
@click.option("--dry-run", is_flag=True, help="Chỉ cho biết sẽ xoá gì, không xoá.")
@out_option
@db_option
def remove(document: str, dry_run: bool, out_dir: Path, db_path: Path) -> None:
    """Xoá một văn bản (mã hoặc số hiệu, như `chitieu docs` in) khỏi kho, cùng chỉ tiêu,
    nhiệm vụ, các phiên bản và phát hiện của nó; liên kết, phát hiện, báo cáo và tệp xuất
    được làm lại ngay."""
    require_warehouse(db_path)
    with Warehouse.open(db_path, read_only=dry_run) as warehouse:
        found = warehouse.find_document(document)
        if found is None:
            raise InputError(f"{db_path}: không có văn bản «{document}»; xem mã và số hiệu "
                             "bằng `chitieu docs`")
        counts = warehouse.document_rows(found.doc_id) if dry_run else warehouse.remove(
            found.doc_id)
        what = (f"{found.doc_id} ({found.number or 'không số hiệu'}, {found.source_path}): "
                f"{counts['targets']} chỉ tiêu, {counts['tasks']} nhiệm vụ, {counts['lines']} "
                f"dòng, {counts['document_versions']} phiên bản, {counts['conflicts']} phát hiện")
        if dry_run:
            click.echo(f"Sẽ xoá {what}. Chưa xoá gì (--dry-run).")
            return
        click.echo(f"Đã xoá {what}.")
        review.relink_and_check(warehouse)
        review.rewrite_outputs(warehouse, out_dir)


@main.command()
@format_option
@db_option
def docs(output_format: str, db_path: Path) -> None:
    """Liệt kê các văn bản đã nạp."""
    with Warehouse.open(db_path, read_only=True) as warehouse:
        documents = warehouse.documents()
    rows = [{"doc_id": document.doc_id, "number": document.number, "kind": document.kind,
             "issuer": document.issuer, "issued_on": _day(document.issued_on)
             if output_format == "table" else document.issued_on,
             "text_source": TEXT_SOURCES.get(document.text_source, document.text_source)
             if output_format == "table" else document.text_source}
            for document in documents]
    print_listing(rows, DOCUMENT_COLUMNS, output_format, f"{len(rows)} văn bản.",
                  "Chưa có văn bản nào. Nạp bằng `chitieu ingest ĐƯỜNG_DẪN`.")


@main.command()
@click.option("--fail-on", "fail_on", type=click.Choice(["open"]), default=None,
              help="Thoát với trạng thái 3 khi còn mâu thuẫn chưa xử lý (cho CI).")
@format_option
@db_option
def check(fail_on: str | None, output_format: str, db_path: Path) -> None:
    """Đối chiếu các chỉ tiêu; in các mâu thuẫn và những gì đổi từ lần kiểm tra trước."""
    require_warehouse(db_path)
    with Warehouse.open(db_path) as warehouse:
        conflicts, changes = check_warehouse(warehouse)
        data = load_report_data(warehouse, changes=changes) if output_format == "table" else None
    if data is not None:
        click.echo(wrapped(check_text(data, changes)))
    else:
        print_listing([conflict.model_dump(mode="json") for conflict in conflicts],
                      CONFLICT_COLUMNS, output_format, "", "")
    open_count = sum(conflict.status == "open" for conflict in conflicts)
    if fail_on == "open" and open_count:
        raise OpenConflicts(f"{db_path}: còn {open_count} mâu thuẫn chưa xử lý — xem báo cáo, "
                            "sửa văn bản hoặc ghi nhận cách xử lý rồi kiểm tra lại")


CONFLICT_COLUMNS = tuple(Column(key, key, free_text=key == "explanation") for key in (
    "conflict_id", "kind", "severity", "status", "indicator_id", "target_year", "doc_id_a",
    "value_a", "doc_id_b", "value_b", "explanation"))


@main.command(name="export")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("warehouse/exports"), show_default=True, metavar="THƯ_MỤC",
              help="Thư mục cho các bảng xuất và JSON Schema của chúng.")
@click.option("--format", "formats", type=click.Choice(EXPORT_FORMATS), multiple=True,
              metavar="ĐỊNH_DẠNG",
              help="csv, parquet, jsonl hoặc xlsx (một sổ Excel); lặp lại để chọn nhiều "
                   "(mặc định: tất cả).")
@db_option
def export(out_dir: Path, formats: tuple[str, ...], db_path: Path) -> None:
    """Xuất mọi bảng (CSV, Parquet, JSON Lines, sổ Excel) kèm JSON Schema."""
    with Warehouse.open(db_path, read_only=True) as warehouse, writing_outputs(out_dir):
        written = publish(out_dir, lambda folder: export_tables(
            warehouse, folder, list(formats or EXPORT_FORMATS)))
    click.echo(f"Đã ghi {len(written)} tệp vào {out_dir}/")


WHERE_COLUMNS = (
    Column("where", "Văn bản:dòng", in_data=False),
    Column("doc_id", "Mã văn bản", in_table=False),
    Column("line", "Dòng", in_table=False),
)
TASK_COLUMNS = (
    *WHERE_COLUMNS,
    Column("due", "Hạn", in_data=False),
    Column("due_date", "Ngày hạn", in_table=False),
    Column("deadline_text", "Thời hạn ghi trong kế hoạch", free_text=True, in_table=False),
    Column("role", "Vai trò"),
    Column("lead_agencies", "Chủ trì", free_text=True),
    Column("partner_agencies", "Phối hợp", free_text=True, in_table=False),
    Column("responsible", "Người phụ trách", free_text=True, in_table=False),
    Column("title", "Nhiệm vụ", free_text=True, min_width=30),
)


def _where(record: Task | Target) -> dict[str, object]:
    return {"where": f"{record.doc_id}:{record.line}", "doc_id": record.doc_id,
            "line": record.line}


def _task_row(task: Task, agency: str | None, output_format: str) -> dict[str, object]:
    return {**_where(task), "due": _day(task.due_date) or task.deadline_text,
            "due_date": task.due_date, "deadline_text": task.deadline_text,
            "role": agency_role(task, agency) if agency else None,
            "lead_agencies": (list(task.lead_agencies) or task.responsible
                              if output_format == "table" else list(task.lead_agencies)),
            "partner_agencies": list(task.partner_agencies), "responsible": task.responsible,
            "title": task.title}


@main.command(name="tasks")
@click.option("--agency", default=None, metavar="CƠ_QUAN",
              help="Chỉ các nhiệm vụ cơ quan này chủ trì hoặc phối hợp (viết kiểu nào cũng "
                   "được: SKHCN, Sở KH&CN); cột Vai trò cho biết cơ quan chủ trì hay phối hợp.")
@click.option("--due-before", type=DateParam(), default=None, metavar="NGÀY",
              help="Chỉ các nhiệm vụ có hạn đến hết NGÀY (30/06/2026 hoặc 2026-06-30).")
@click.option("--overdue-on", type=DateParam(), default=None, metavar="NGÀY",
              help="Chỉ các nhiệm vụ đã qua hạn ghi trong kế hoạch tính đến NGÀY.")
@format_option
@db_option
def tasks_command(agency: str | None, due_before: date | None, overdue_on: date | None,
                  output_format: str, db_path: Path) -> None:
    """Liệt kê nhiệm vụ: văn bản và dòng, hạn, cơ quan chủ trì, nội dung."""
    with Warehouse.open(db_path, read_only=True) as warehouse:
        found = select_tasks(warehouse.tasks(), agency, due_before, overdue_on)
    columns = TASK_COLUMNS if agency else tuple(c for c in TASK_COLUMNS if c.key != "role")
    print_listing([_task_row(task, agency, output_format) for task in found], columns,
                  output_format, f"{len(found)} nhiệm vụ.",
                  "Không có nhiệm vụ nào khớp điều kiện lọc.")


TARGET_COLUMNS = (
    *WHERE_COLUMNS,
    Column("target_year", "Năm"),
    Column("indicator_text", "Chỉ tiêu", free_text=True, min_width=24),
    Column("threshold", "Ngưỡng"),
    Column("owner_agency", "Cơ quan theo dõi", free_text=True),
    Column("indicator_id", "Mã chỉ số", in_table=False),
    Column("confidence", "Tin cậy"),
    Column("confidence_note", "Cần xem lại", free_text=True),  # a yearless or OCR-doubtful one
)


def _target_row(target: Target, output_format: str) -> dict[str, object]:
    from pipeline.check.thresholds import render_threshold
    from schemas.units import unit_label

    threshold = render_threshold(target.model_copy(update={"unit": unit_label(target.unit)}))
    table = output_format == "table"
    return {**_where(target),
            "target_year": target.target_year or ("chưa rõ" if table else None),
            "indicator_text": target.indicator_text,
            "threshold": threshold + (" mỗi năm" if target.per_year else ""),
            "owner_agency": target.owner_agency, "indicator_id": target.indicator_id,
            "confidence": f"{target.confidence:.2f}" if table else target.confidence,
            "confidence_note": target.confidence_note}


@main.command(name="targets")
@click.option("--indicator", "indicator_text", default=None, metavar="CHỮ",
              help="Chỉ các chỉ tiêu có CHỮ trong lời văn hoặc tên chỉ số (dấu không bắt buộc).")
@click.option("--year", type=int, default=None, metavar="NĂM", help="Chỉ các chỉ tiêu của NĂM.")
@format_option
@db_option
def targets_command(indicator_text: str | None, year: int | None, output_format: str,
                    db_path: Path) -> None:
    """Liệt kê chỉ tiêu: văn bản và dòng, năm, chỉ tiêu, ngưỡng, cơ quan theo dõi, và điều cần
    xem lại (năm chưa rõ, chữ OCR đáng ngờ)."""
    from pipeline.link.indicators import select_targets

    require_warehouse(db_path)
    with Warehouse.open(db_path, read_only=True) as warehouse:
        found = select_targets(warehouse.targets(), warehouse.indicators(), indicator_text, year)
    print_listing([_target_row(target, output_format) for target in found], TARGET_COLUMNS,
                  output_format, f"{len(found)} chỉ tiêu.",
                  "Không có chỉ tiêu nào khớp điều kiện lọc.")


INDICATOR_COLUMNS = (
    Column("indicator_id", "Mã chỉ số", max_width=34),
    Column("unit", "Đơn vị"),
    Column("targets", "Chỉ tiêu"),
    Column("name", "Tên", free_text=True, min_width=24),
)


@main.command(name="indicators")
@click.option("--review", is_flag=True,
              help="In thêm các liên kết đáng ngờ và các chỉ số chỉ một văn bản dùng "
                   "(chỉ với --format table).")
@format_option
@db_option
def indicators_command(review: bool, output_format: str, db_path: Path) -> None:
    """Danh mục chỉ số: mã, đơn vị, số chỉ tiêu, tên; với --review, những gì cần xem lại."""
    from pipeline.cli.review import decision_lines
    from pipeline.link.indicators import review_links

    require_warehouse(db_path)
    with Warehouse.open(db_path, read_only=True) as warehouse:
        targets = warehouse.targets()
        indicators = warehouse.indicators()
        decisions = warehouse.link_decisions()
    counts = Counter(target.indicator_id for target in targets if target.indicator_id)
    rows = [{"indicator_id": indicator.indicator_id, "unit": indicator.unit,
             "targets": counts[indicator.indicator_id], "name": indicator.name}
            for indicator in indicators]
    print_listing(rows, INDICATOR_COLUMNS, output_format, f"{len(rows)} chỉ số.",
                  "Chưa có chỉ số nào.")
    if not review or output_format != "table":
        return
    links = {t.target_id: t.indicator_id for t in targets if t.indicator_id}
    found = review_links(targets, indicators, links)
    click.echo("\nCần xem lại, đáng ngờ nhất trước (sửa bằng `chitieu review-link VĂN_BẢN:DÒNG"
               " --pin MÃ_CHỈ_SỐ | --split`; số: độ giống 0–100):")
    for link in found.doubtful:
        click.echo(f"  {link.score:5.1f}  {link.reason}: «{shorten(link.text_a, 50)}» ↔ "
                   f"«{shorten(link.text_b, 50)}»")
    click.echo(f"\n{len(found.single_document)} chỉ số chỉ có trong một văn bản.")
    if decisions:
        click.echo(f"\nQuyết định liên kết đã ghi ({len(decisions)}, sau cùng thắng):")
        click.echo("\n".join(decision_lines(decisions)))


@main.command(name="restore")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True),
                metavar="TỆP")
@click.option("--corpus", "corpus_files", multiple=True, metavar="TỆP",
              type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Các tệp văn bản tiếng Việt sạch để học (mặc định: các văn bản sạch trong "
                   "kho).")
@click.option("--details", is_flag=True,
              help="Cách nhau bằng tab, có dòng tiêu đề: số dòng, độ tin cậy, dòng gốc, dòng "
                   "đã sửa, các từ đáng ngờ (gốc→sửa (độ tin cậy); dưới DOUBT_BELOW).")
@db_option
def restore_file(file: Path, corpus_files: tuple[Path, ...], details: bool,
                 db_path: Path) -> None:
    """Phục hồi dấu và sửa lỗi OCR trong TỆP; dòng N ra là dòng N vào."""
    from normalizers.restore import doubtful, load_or_build, read_text_lines

    lines = read_text_lines(file)
    corpus = [read_text_lines(path) for path in corpus_files]
    if not corpus_files:
        corpus = warehouse_corpus(db_path)
    log.info("Chuẩn bị bộ phục hồi dấu từ %d văn bản sạch (lần đầu: vài giây)…", len(corpus))
    restorer = load_or_build(corpus, settings.model_cache_dir())
    if details:
        click.echo("dòng\tđộ tin cậy\tdòng gốc\tdòng phục hồi\ttừ đáng ngờ")
    for number, repaired in enumerate(restorer.restore_lines(lines), start=1):
        if details:
            doubts = "; ".join(f"{token.raw}→{token.repaired} ({token.confidence:.2f})"
                               for token in doubtful(repaired.tokens))
            click.echo(f"{number}\t{repaired.confidence:.2f}\t{repaired.raw_text}\t"
                       f"{repaired.text}\t{doubts}")
        else:
            click.echo(repaired.text)


@main.command(name="text")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False), metavar="TỆP")
def text_command(file: Path) -> None:
    """In chữ đọc được từ TỆP (PDF, ảnh quét, DOCX, văn bản), mỗi dòng một dòng; hàng của
    bảng cách nhau bằng tab; `--- trang N ---` nơi trang N bắt đầu."""
    from extractors.sources import read_source

    def page_done(done: int, page_count: int) -> None:
        if page_count > 1:
            log.info("%s: trang %d/%d", file.name, done, page_count)

    source = read_source(file, progress=page_done)
    page = 1
    for line in source.lines:
        if line.page != page:
            page = line.page
            click.echo(f"--- trang {page} ---")
        click.echo(line.text)



main.add_command(review.review)
main.add_command(review.review_link)
main.add_command(review.task_done)
main.add_command(review.restore_confirm)
main.add_command(dev.evaluate)
main.add_command(dev.bench)
