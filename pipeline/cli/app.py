"""The product's commands: a thin layer over the library.

Queries and unchanged re-runs never import Prefect (its import and ephemeral server cost
seconds); only commands that run a flow load pipeline.run.flows.
"""


from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import click

from extractors.tasks import select_tasks
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
    TARGET_TEXT_WIDTH,
    db_option,
    out_option,
    require_warehouse,
    shorten,
    warehouse_corpus,
    with_dask_options,
)
from pipeline.present.export import FORMATS as EXPORT_FORMATS
from pipeline.present.export import export_tables
from pipeline.present.publish import publish
from pipeline.present.report import change_lines, check_text
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
    """chitieu: reads Vietnamese plans into checked targets, tasks and conflicts.

    Typical use: `chitieu run raw/` loads every plan in raw/, checks them against each
    other and writes the report and exports to warehouse/.
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
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@with_dask_options
def ingest(paths: tuple[Path, ...], db_path: Path, dask_address: str | None,
           dask_workers: int | None) -> None:
    """Load plans (files or folders) into the warehouse. Same file again: nothing happens."""
    todo = _pending(paths, db_path)
    if not todo and not catalog_is_stale(db_path):
        click.echo("Không có gì mới để nạp.")
        return
    summary = _flows(db_path).run_ingest(todo, db_path, dask_address, dask_workers)
    click.echo(f"Đã nạp {len(summary.loaded)} văn bản vào {db_path}.")
    _notes(summary.set_aside)
    _finish(summary.failures, db_path)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@out_option
@db_option
@with_dask_options
def run(paths: tuple[Path, ...], out_dir: Path, db_path: Path, dask_address: str | None,
        dask_workers: int | None) -> None:
    """Ingest PATHS (default raw/), check them against each other, write report and exports."""
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
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--interval", "interval_seconds", type=int, default=300, show_default=True,
              help="Seconds between two looks at the folder.")
@out_option
@db_option
def serve(folder: Path, interval_seconds: int, out_dir: Path, db_path: Path) -> None:
    """Serve a Prefect deployment that ingests and checks new plans dropped into FOLDER.

    Needs a Prefect server (`prefect server start`, then PREFECT_API_URL); see README.
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


@main.command()
@click.argument("document")
@click.option("--dry-run", is_flag=True, help="Chỉ cho biết sẽ xoá gì, không xoá.")
@db_option
def remove(document: str, dry_run: bool, db_path: Path) -> None:
    """Xoá một văn bản (mã hoặc số hiệu, như `chitieu docs` in) khỏi kho, cùng chỉ tiêu,
    nhiệm vụ, các phiên bản và phát hiện của nó; lần `chitieu run` sau cập nhật báo cáo."""
    require_warehouse(db_path)
    with Warehouse.open(db_path, read_only=dry_run) as warehouse:
        found = warehouse.find_document(document)
        if found is None:
            raise InputError(f"{db_path}: không có văn bản «{document}»; xem mã và số hiệu "
                             "bằng `chitieu docs`")
        counts = warehouse.document_rows(found.doc_id) if dry_run else warehouse.remove(
            found.doc_id)
    what = (f"{found.doc_id} ({found.number or 'không số hiệu'}, {found.source_path}): "
            f"{counts['targets']} chỉ tiêu, {counts['tasks']} nhiệm vụ, {counts['lines']} dòng, "
            f"{counts['document_versions']} phiên bản, {counts['conflicts']} phát hiện")
    if dry_run:
        click.echo(f"Sẽ xoá {what}. Chưa xoá gì (--dry-run).")
        return
    click.echo(f"Đã xoá {what}. Báo cáo và tệp xuất được cập nhật ở lần `chitieu run` sau.")


@main.command()
@db_option
def docs(db_path: Path) -> None:
    """List the loaded documents."""
    with Warehouse.open(db_path, read_only=True) as warehouse:
        frame = warehouse.frame("documents")
    if frame.empty:
        click.echo("Chưa có văn bản nào. Nạp bằng `chitieu ingest PATH`.")
        return
    shown = frame[["doc_id", "number", "kind", "issuer", "issued_on", "text_source"]]
    click.echo(shown.fillna("—").to_string(index=False))


@main.command()
@click.option("--fail-on", "fail_on", type=click.Choice(["open"]), default=None,
              help="Exit with status 1 when open conflicts remain (for CI).")
@db_option
def check(fail_on: str | None, db_path: Path) -> None:
    """Check targets against each other; print conflicts and what changed since the last check."""
    require_warehouse(db_path)
    with Warehouse.open(db_path) as warehouse:
        conflicts, changes = check_warehouse(warehouse)
        reviews = warehouse.reviews()
    click.echo(check_text(conflicts, changes, reviews))
    open_count = sum(conflict.status == "open" for conflict in conflicts)
    if fail_on == "open" and open_count:
        raise OpenConflicts(f"{db_path}: còn {open_count} mâu thuẫn chưa xử lý — xem báo cáo, "
                            "sửa văn bản hoặc ghi nhận cách xử lý rồi kiểm tra lại")


@main.command(name="export")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("warehouse/exports"), show_default=True,
              help="Folder for the exported tables and their JSON Schemas.")
@click.option("--format", "formats", type=click.Choice(EXPORT_FORMATS), multiple=True,
              help="csv, parquet, jsonl hoặc xlsx (một sổ Excel); lặp lại để chọn nhiều "
                   "(mặc định: tất cả).")
@db_option
def export(out_dir: Path, formats: tuple[str, ...], db_path: Path) -> None:
    """Xuất mọi bảng (CSV, Parquet, JSON Lines, sổ Excel) kèm JSON Schema."""
    with Warehouse.open(db_path, read_only=True) as warehouse, writing_outputs(out_dir):
        written = publish(out_dir, lambda folder: export_tables(
            warehouse, folder, list(formats or EXPORT_FORMATS)))
    click.echo(f"Đã ghi {len(written)} tệp vào {out_dir}/")


TASK_TITLE_WIDTH = 70


@main.command(name="tasks")
@click.option("--agency", default=None, metavar="TEXT",
              help="Only tasks this agency leads or partners in (any spelling: SKHCN, Sở KH&CN).")
@click.option("--due-before", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="DATE",
              help="Only tasks due on or before DATE (YYYY-MM-DD).")
@click.option("--overdue-on", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="DATE",
              help="Only tasks already past their due date on DATE (YYYY-MM-DD).")
@db_option
def tasks_command(agency: str | None, due_before: datetime | None, overdue_on: datetime | None,
                  db_path: Path) -> None:
    """List tasks: owner, deadline, where in which document."""
    with Warehouse.open(db_path, read_only=True) as warehouse:
        found = select_tasks(warehouse.tasks(), agency,
                             due_before.date() if due_before else None,
                             overdue_on.date() if overdue_on else None)
    if not found:
        click.echo("Không có nhiệm vụ nào khớp điều kiện lọc.")
        return
    for task in found:
        deadline = task.due_date.isoformat() if task.due_date else (task.deadline_text or "—")
        title = task.title if len(task.title) <= TASK_TITLE_WIDTH else (
            task.title[:TASK_TITLE_WIDTH - 1] + "…")
        click.echo(f"{task.doc_id}:{task.line}\t{deadline}\t"
                   f"{'; '.join(task.lead_agencies) or task.responsible or '—'}\t{title}")
    click.echo(f"{len(found)} nhiệm vụ.", err=True)


@main.command(name="targets")
@click.option("--indicator", "indicator_text", default=None, metavar="TEXT",
              help="Only targets whose wording or indicator contains TEXT (dấu không bắt buộc).")
@click.option("--year", type=int, default=None, metavar="N", help="Only targets for year N.")
@db_option
def targets_command(indicator_text: str | None, year: int | None, db_path: Path) -> None:
    """List targets as a table: document, year, indicator, threshold, owner, line."""
    import pandas as pd

    from pipeline.check.thresholds import render_threshold
    from pipeline.link.indicators import select_targets
    from schemas.units import unit_label

    require_warehouse(db_path)
    with Warehouse.open(db_path, read_only=True) as warehouse:
        found = select_targets(warehouse.targets(), warehouse.indicators(), indicator_text, year)
    if not found:
        click.echo("Không có chỉ tiêu nào khớp điều kiện lọc.")
        return
    rows = [{
        "Văn bản": f"{target.doc_id}:{target.line}",
        "Năm": target.target_year or "—",
        "Chỉ tiêu": shorten(target.indicator_text, TARGET_TEXT_WIDTH),
        "Ngưỡng": render_threshold(target.model_copy(update={"unit": unit_label(target.unit)}))
        + (" mỗi năm" if target.per_year else ""),
        "Cơ quan theo dõi": shorten(target.owner_agency or "—", 30),
        "Mã chỉ số": target.indicator_id or "—",
        "Tin cậy": f"{target.confidence:.2f}",
    } for target in found]
    click.echo(pd.DataFrame(rows).to_string(index=False))
    click.echo(f"{len(found)} chỉ tiêu.", err=True)


@main.command(name="indicators")
@click.option("--review", is_flag=True,
              help="Also list doubtful or missing links and indicators only one plan uses.")
@db_option
def indicators_command(review: bool, db_path: Path) -> None:
    """The indicator catalog: id, name, unit, how many targets; with --review what to check."""
    from pipeline.cli.review import decision_lines
    from pipeline.link.indicators import review_links

    require_warehouse(db_path)
    with Warehouse.open(db_path, read_only=True) as warehouse:
        targets = warehouse.targets()
        indicators = warehouse.indicators()
        decisions = warehouse.link_decisions()
    counts: dict[str, int] = {}
    for target in targets:
        if target.indicator_id:
            counts[target.indicator_id] = counts.get(target.indicator_id, 0) + 1
    for indicator in indicators:
        click.echo(f"{indicator.indicator_id}\t{indicator.unit or '—'}\t"
                   f"{counts.get(indicator.indicator_id, 0)} chỉ tiêu\t{indicator.name}")
    if not review:
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
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--corpus", "corpus_files", multiple=True,
              type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Clean Vietnamese text files to learn from (default: the warehouse's "
                   "clean documents).")
@click.option("--details", is_flag=True,
              help="Tab-separated with a header row: line, confidence, raw line, repaired line, "
                   "the doubtful words (raw→repaired (confidence); below DOUBT_BELOW).")
@db_option
def restore_file(file: Path, corpus_files: tuple[Path, ...], details: bool,
                 db_path: Path) -> None:
    """Restore diacritics and repair OCR slips in FILE; line N out is line N in."""
    from normalizers.restore import doubtful, load_or_build, read_text_lines

    lines = read_text_lines(file)
    corpus = [line for path in corpus_files for line in read_text_lines(path)]
    if not corpus_files:
        corpus = warehouse_corpus(db_path)
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
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def text_command(file: Path) -> None:
    """Print the text read from FILE (PDF, scan, DOCX, text), one line per line; table rows
    tab-separated; `--- trang N ---` where page N starts."""
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
main.add_command(dev.evaluate)
main.add_command(dev.bench)
