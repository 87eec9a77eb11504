"""The `chitieu` command: a thin layer over the library.

Queries and unchanged re-runs never import Prefect (its import and ephemeral server cost
seconds); only commands that run a flow load pipeline.flows.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from pathlib import Path
from types import ModuleType
from typing import Any

import click

from extractors.indicators import OverrideError
from extractors.tasks import select_tasks
from pipeline import settings
from pipeline.consistency import CheckChanges, check_warehouse
from pipeline.export import FORMATS as EXPORT_FORMATS
from pipeline.export import export_tables
from pipeline.inputs import (
    InputError,
    InputFile,
    catalog_is_stale,
    outputs_exist,
    pending_inputs,
)
from pipeline.report import change_lines, check_text
from pipeline.warehouse import DEFAULT_DB, Warehouse, WarehouseError

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_DB,
    show_default=True,
    help="The DuckDB warehouse file.",
)
dask_options = [
    click.option("--dask-address", default=None, metavar="HOST:PORT",
                 help="Run page OCR and extraction on an existing Dask scheduler."),
    click.option("--dask-workers", type=int, default=None, metavar="N",
                 help="Start a local Dask cluster with N worker processes."),
]


def with_dask_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(dask_options):
        command = option(command)
    return command


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors a user can act on into one line and exit code 1, no traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (InputError, WarehouseError, OverrideError) as error:
            raise click.ClickException(str(error)) from error

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """chitieu: reads Vietnamese plans into checked targets, tasks and conflicts.

    Typical use: `chitieu run raw/` loads every plan in raw/, checks them against each
    other and writes the report and exports to warehouse/.
    """


def _print_failures(failures: list[str]) -> None:
    for failure in failures:
        click.echo(f"lỗi: {failure}", err=True)


def _pending(paths: tuple[Path, ...], db_path: Path, outputs: tuple[Path, ...] = ()
             ) -> list[InputFile]:
    """New or changed files; says how many were skipped. Never imports Prefect."""
    todo, unchanged = pending_inputs(list(paths), db_path, outputs)
    if unchanged:
        click.echo(f"{unchanged} tệp không đổi, bỏ qua.", err=True)
    return todo


def _flows(db_path: Path) -> ModuleType:
    settings.configure_prefect(db_path.parent / ".prefect")
    from pipeline import flows

    return flows


def _finish(failed: list[str]) -> None:
    for failure in failed:
        click.echo(f"lỗi: {failure}", err=True)
    if failed:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@with_dask_options
@user_errors
def ingest(paths: tuple[Path, ...], db_path: Path, dask_address: str | None,
           dask_workers: int | None) -> None:
    """Load plans (files or folders) into the warehouse. Same file again: nothing happens."""
    todo = _pending(paths, db_path)
    if not todo and not catalog_is_stale(db_path):
        click.echo("Không có gì mới để nạp.")
        return
    summary = _flows(db_path).run_ingest(todo, db_path, dask_address, dask_workers)
    click.echo(f"Đã nạp {len(summary.loaded)} văn bản vào {db_path}.")
    _finish(summary.failed)


out_option = click.option(
    "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
    default=Path("warehouse"), show_default=True, help="Where the report and the exports go.")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@out_option
@db_option
@with_dask_options
@user_errors
def run(paths: tuple[Path, ...], out_dir: Path, db_path: Path, dask_address: str | None,
        dask_workers: int | None) -> None:
    """Ingest PATHS (default raw/), check them against each other, write report and exports."""
    paths = paths or (Path("raw"),)
    failed: list[str] = []
    changes: CheckChanges | None = None
    if _pending(paths, db_path, (out_dir,)) or not outputs_exist(out_dir, db_path):
        summary = _flows(db_path).run_all(list(paths), db_path, out_dir, dask_address,
                                          dask_workers)
        failed, changes = summary.ingest.failed, summary.changes
    _print_where(db_path, out_dir, changes)
    _finish(failed)


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
    open_count = sum(conflict.status == "open" for conflict in conflicts)
    click.echo(f"Văn bản: {len(documents)}; mâu thuẫn: {len(conflicts)} ({open_count} chưa xử lý)")
    if changes is not None:
        click.echo("\n".join(change_lines(changes)))
    click.echo(f"Kho dữ liệu: {db_path}")
    click.echo(f"Báo cáo:     {out_dir / 'report.html'} (và report.md)")
    click.echo(f"Xuất dữ liệu: {out_dir / 'exports'}/")


@main.command()
@db_option
@user_errors
def docs(db_path: Path) -> None:
    """List the loaded documents."""
    with Warehouse.open(db_path, read_only=True) as warehouse:
        frame = warehouse.frame("documents")
    if frame.empty:
        click.echo("Chưa có văn bản nào. Nạp bằng `chitieu ingest PATH`.")
        return
    shown = frame[["doc_id", "number", "kind", "issuer", "issued_on", "text_source"]]
    click.echo(shown.fillna("—").to_string(index=False))


def _require_warehouse(db_path: Path) -> None:
    if not db_path.exists():
        raise click.ClickException(f"{db_path}: chưa có kho dữ liệu; hãy nạp văn bản trước bằng "
                                   "`chitieu ingest PATH` hoặc `chitieu run`")


@main.command()
@click.option("--fail-on", "fail_on", type=click.Choice(["open"]), default=None,
              help="Exit with status 1 when open conflicts remain (for CI).")
@db_option
@user_errors
def check(fail_on: str | None, db_path: Path) -> None:
    """Check targets against each other; print conflicts and what changed since the last check."""
    _require_warehouse(db_path)
    with Warehouse.open(db_path) as warehouse:
        conflicts, changes = check_warehouse(warehouse)
    click.echo(check_text(conflicts, changes))
    open_count = sum(conflict.status == "open" for conflict in conflicts)
    if fail_on == "open" and open_count:
        click.echo(f"lỗi: còn {open_count} mâu thuẫn chưa xử lý.", err=True)
        sys.exit(1)


@main.command(name="export")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("warehouse/exports"), show_default=True,
              help="Folder for the exported tables and their JSON Schemas.")
@click.option("--format", "formats", type=click.Choice(EXPORT_FORMATS), multiple=True,
              help="csv, parquet, jsonl hoặc xlsx (một sổ Excel); lặp lại để chọn nhiều "
                   "(mặc định: tất cả).")
@db_option
@user_errors
def export(out_dir: Path, formats: tuple[str, ...], db_path: Path) -> None:
    """Xuất mọi bảng (CSV, Parquet, JSON Lines, sổ Excel) kèm JSON Schema."""
    with Warehouse.open(db_path, read_only=True) as warehouse:
        written = export_tables(warehouse, out_dir, list(formats or EXPORT_FORMATS))
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
@user_errors
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


@main.group(name="eval")
def evaluate() -> None:
    """Measure the product against the answer keys in tests/data/."""


@evaluate.command(name="tasks")
@click.option("--restore/--no-restore", default=False, show_default=True,
              help="Also score the OCR text after restoration (builds one model per plan).")
@click.option("--docs", "docs_dirs", multiple=True,
              type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="A folder of documents to read and score against --key (repeatable).")
@click.option("--key", "key_files", multiple=True,
              type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="tasks_key.csv: the hand-keyed tasks of the --docs documents (repeatable).")
@click.option("--sources", "sources_files", multiple=True,
              type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="sources.csv of the set: adds scores per layout and issuer_kind.")
@click.option("--details", is_flag=True, help="With --docs: list the mismatches.")
def eval_tasks(restore: bool, docs_dirs: tuple[Path, ...], key_files: tuple[Path, ...],
               sources_files: tuple[Path, ...], details: bool) -> None:
    """Tasks of folders against their hand keys (--docs, --key); without them, tasks of each
    plan's English-OCR rendering against those of the clean plan."""
    from pipeline.evaluate import ocr_task_scores, task_score_line

    if docs_dirs or key_files:
        if not (docs_dirs and key_files):
            raise click.UsageError("--docs và --key phải đi cùng nhau")
        _eval_tasks_against_key(list(docs_dirs), list(key_files), list(sources_files), details)
        return
    for score in ocr_task_scores(restore=restore):
        click.echo(task_score_line(f"{score.plan} (OCR thô)", score.raw))
        if score.restored:
            click.echo(task_score_line(f"{score.plan} (đã phục hồi)", score.restored))


def _eval_tasks_against_key(docs_dirs: list[Path], key_files: list[Path],
                            sources_files: list[Path], details: bool) -> None:
    from pipeline.evaluate import (
        combined_key_scores,
        due_agrees,
        folder_task_scores,
        key_score_line,
        key_scores_by,
        lead_agrees,
        read_sources,
    )

    scores, failed = folder_task_scores(docs_dirs, key_files)
    sources = read_sources(sources_files)
    _print_failures(failed)
    for doc, score in scores.items():
        click.echo(key_score_line(doc, score))
        if not details:
            continue
        for row, task in score.pairs:
            if not lead_agrees(row, task):
                click.echo(f"  chủ trì {row.line}→{task.line}: khóa "
                           f"«{'; '.join(row.lead_agencies)}» ≠ "
                           f"«{'; '.join(task.lead_agencies) or '—'}»")
            if not due_agrees(row, task):
                click.echo(f"  thời hạn {row.line}→{task.line}: khóa {row.due_date or '—'}"
                           f"{' (định kỳ)' if row.recurring else ''} «{row.deadline_text}» ≠ "
                           f"{task.due_date or '—'}{' (định kỳ)' if task.recurring else ''} "
                           f"«{task.deadline_text or ''}»")
        for row in score.missed:
            click.echo(f"  thiếu {row.line}: {'; '.join(row.lead_agencies)} — {row.title}")
        for task in score.extra:
            click.echo(f"  thừa {task.line}: {'; '.join(task.lead_agencies) or '—'} — "
                       f"{_shorten(task.title, 70)}")
    for fact, label in (("layout", "bố cục"), ("issuer_kind", "loại cơ quan ban hành")):
        if sources:
            click.echo(f"Theo {label} ({fact}):")
        for value, grouped in (key_scores_by(scores, sources, fact) if sources else {}).items():
            click.echo(key_score_line(f"  {value}", grouped))
    click.echo(key_score_line(f"Tổng ({len(scores)} văn bản)", combined_key_scores(
        scores.values())))


TARGET_TEXT_WIDTH = 60


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


@main.command(name="targets")
@click.option("--indicator", "indicator_text", default=None, metavar="TEXT",
              help="Only targets whose wording or indicator contains TEXT (dấu không bắt buộc).")
@click.option("--year", type=int, default=None, metavar="N", help="Only targets for year N.")
@db_option
@user_errors
def targets_command(indicator_text: str | None, year: int | None, db_path: Path) -> None:
    """List targets as a table: document, year, indicator, threshold, owner, line."""
    import pandas as pd

    from extractors.indicators import select_targets
    from pipeline.consistency import render_threshold
    from schemas.units import unit_label

    _require_warehouse(db_path)
    with Warehouse.open(db_path, read_only=True) as warehouse:
        found = select_targets(warehouse.targets(), warehouse.indicators(), indicator_text, year)
    if not found:
        click.echo("Không có chỉ tiêu nào khớp điều kiện lọc.")
        return
    rows = [{
        "Văn bản": f"{target.doc_id}:{target.line}",
        "Năm": target.target_year or "—",
        "Chỉ tiêu": _shorten(target.indicator_text, TARGET_TEXT_WIDTH),
        "Ngưỡng": render_threshold(target.model_copy(update={"unit": unit_label(target.unit)}))
        + (" mỗi năm" if target.per_year else ""),
        "Cơ quan theo dõi": _shorten(target.owner_agency or "—", 30),
        "Mã chỉ số": target.indicator_id or "—",
        "Tin cậy": f"{target.confidence:.2f}",
    } for target in found]
    click.echo(pd.DataFrame(rows).to_string(index=False))
    click.echo(f"{len(found)} chỉ tiêu.", err=True)


@main.command(name="indicators")
@click.option("--review", is_flag=True,
              help="Also list doubtful or missing links and indicators only one plan uses.")
@db_option
@user_errors
def indicators_command(review: bool, db_path: Path) -> None:
    """The indicator catalog: id, name, unit, how many targets; with --review what to check."""
    from extractors.indicators import review_links

    _require_warehouse(db_path)
    with Warehouse.open(db_path, read_only=True) as warehouse:
        targets = warehouse.targets()
        indicators = warehouse.indicators()
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
    click.echo("\nCần xem lại, đáng ngờ nhất trước (sửa trong extractors/indicator_overrides.csv;"
               " số: độ giống 0–100):")
    for link in found.doubtful:
        click.echo(f"  {link.score:5.1f}  {link.reason}: «{_shorten(link.text_a, 50)}» ↔ "
                   f"«{_shorten(link.text_b, 50)}»")
    click.echo(f"\n{len(found.single_document)} chỉ số chỉ có trong một văn bản.")


@evaluate.command(name="extract")
@click.option("--docs", "docs_dirs", multiple=True,
              type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="Read every document of DIR through the product's stages (no warehouse) "
                   "and score it against --key (repeatable).")
@click.option("--key", "key_files", multiple=True,
              type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="A complete targets key (targets_key.csv) for the --docs documents "
                   "(repeatable).")
@click.option("--sources", "sources_files", multiple=True,
              type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="sources.csv of the set: adds scores per layout and issuer_kind.")
@click.option("--details", is_flag=True, help="List the key rows missed and the extra targets.")
@db_option
@user_errors
def eval_extract(docs_dirs: tuple[Path, ...], key_files: tuple[Path, ...],
                 sources_files: tuple[Path, ...], details: bool, db_path: Path) -> None:
    """Targets P/R/F1: of a folder of documents against its complete key (--docs, --key),
    or of the warehouse against tests/data/targets_dev.csv."""
    if docs_dirs or key_files:
        if not (docs_dirs and key_files):
            raise click.UsageError("--docs và --key phải đi cùng nhau")
        _eval_folder(list(docs_dirs), list(key_files), list(sources_files), details, db_path)
    else:
        _eval_warehouse(details, db_path)


def _prf_text(prf: Any) -> str:
    return (f"P {prf.precision:.3f}  R {prf.recall:.3f}  F1 {prf.f1:.3f}  "
            f"({prf.true_positives} đúng / {prf.predicted} dự đoán / {prf.expected} trong khóa)")


def _missed_and_extra(missed: Any, extra: Any) -> None:
    for row in missed:
        click.echo(f"    thiếu: {row.doc}:{row.line} {row.year} {row.comparator} {row.value} "
                   f"{row.unit or ''} {row.indicator_text}")
    for target in extra:
        click.echo(f"    thừa:  {target.doc_id}:{target.line} {target.target_year} "
                   f"{target.comparator} {target.value} {target.unit or ''} "
                   f"{target.indicator_text}")


def _eval_folder(docs_dirs: list[Path], key_files: list[Path], sources_files: list[Path],
                 details: bool, db_path: Path) -> None:
    from pipeline.evaluate import read_sources, read_target_key, score_complete_key, scores_by
    from pipeline.evaluate import summed as summed_prf
    from pipeline.inputs import discover
    from pipeline.stages import read_and_extract

    key = [row for path in key_files for row in read_target_key(path)]
    sources = read_sources(sources_files)
    paths = [path for path in discover(docs_dirs) if path.name in {row.doc for row in key}]
    missing = sorted({row.doc for row in key} - {path.name for path in paths})
    if missing:
        click.echo(f"Khóa có văn bản không tìm thấy trong thư mục: {', '.join(missing)}", err=True)
    corpus = []
    if db_path.exists():
        with Warehouse.open(db_path, read_only=True) as warehouse:
            corpus = warehouse.clean_corpus()
    extracted, failed = read_and_extract(paths, corpus, settings.model_cache_dir(db_path))
    for line in failed:
        click.echo(line, err=True)
    scores = score_complete_key(
        [row for row in key if row.doc not in missing],
        [target for found in extracted for target in found.targets],
        [found.document for found in extracted], sources)
    click.echo("Chỉ tiêu theo văn bản:")
    for score in scores:
        facts = "/".join(score.facts.get(name) or "?" for name in ("layout", "issuer_kind"))
        click.echo(f"  {score.doc} [{facts}]: {_prf_text(score.targets)}")
        if details:
            _missed_and_extra(score.missed, score.extra)
    if sources:
        for fact, label in (("layout", "bố cục"), ("issuer_kind", "loại cơ quan ban hành")):
            click.echo(f"Theo {label} ({fact}):")
            for value, prf in scores_by(scores, fact).items():
                click.echo(f"  {value}: {_prf_text(prf)}")
    click.echo(f"Tổng ({len(scores)} văn bản): "
               f"{_prf_text(summed_prf(score.targets for score in scores))}")


def _eval_warehouse(details: bool, db_path: Path) -> None:
    from pipeline.evaluate import (
        combined_task_scores,
        ocr_task_scores,
        read_target_key,
        score_extraction,
        task_score_line,
    )

    _require_warehouse(db_path)
    key = read_target_key()
    with Warehouse.open(db_path, read_only=True) as warehouse:
        documents = warehouse.documents()
        targets = warehouse.targets()
    loaded = {Path(document.source_path).name for document in documents}
    missing = sorted({row.doc for row in key} - loaded)
    if missing:
        raise click.ClickException(f"kho dữ liệu chưa có {', '.join(missing)}; hãy chạy "
                                   "`chitieu run raw/` trước")
    scores = score_extraction(key, targets, documents)
    for label, prf in (("Chỉ tiêu", scores.targets), ("Liên kết chỉ số (theo cặp)", scores.links)):
        click.echo(f"{label}: precision {prf.precision:.3f}  recall {prf.recall:.3f}  "
                   f"F1 {prf.f1:.3f}  ({prf.true_positives} đúng / {prf.predicted} dự đoán / "
                   f"{prf.expected} trong khóa)")
    overall = combined_task_scores(score.raw for score in ocr_task_scores())
    click.echo(task_score_line("Nhiệm vụ (OCR tiếng Anh so với bản sạch)", overall))
    if details:
        _missed_and_extra(scores.missed, scores.extra)


@main.group()
def bench() -> None:
    """Benchmarks that print figures (speed, memory)."""


@main.command(name="restore")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--corpus", "corpus_files", multiple=True,
              type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Clean Vietnamese text files to learn from (default: the warehouse's "
                   "clean documents).")
@click.option("--details", is_flag=True,
              help="Tab-separated: line, confidence, raw line, repaired line.")
@db_option
@user_errors
def restore_file(file: Path, corpus_files: tuple[Path, ...], details: bool,
                 db_path: Path) -> None:
    """Restore diacritics and repair OCR slips in FILE; line N out is line N in."""
    from normalizers.restore import RestoreInputError, load_or_build, read_text_lines

    try:
        lines = read_text_lines(file)
        corpus = [line for path in corpus_files for line in read_text_lines(path)]
    except RestoreInputError as error:
        raise click.ClickException(str(error)) from error
    if not corpus_files:
        corpus = _warehouse_corpus(db_path)
    restorer = load_or_build(corpus, settings.model_cache_dir(db_path))
    for number, repaired in enumerate(restorer.restore_lines(lines), start=1):
        if details:
            click.echo(f"{number}\t{repaired.confidence:.2f}\t{repaired.raw_text}\t{repaired.text}")
        else:
            click.echo(repaired.text)


def _warehouse_corpus(db_path: Path) -> list[str]:
    if db_path.exists():
        with Warehouse.open(db_path, read_only=True) as warehouse:
            corpus = warehouse.clean_corpus()
        if corpus:
            return corpus
    raise click.ClickException(
        f"Chưa có văn bản sạch nào trong {db_path} để học. Nạp các kế hoạch trước "
        "(`chitieu ingest raw/`) hoặc chỉ ra tệp văn bản sạch bằng --corpus TỆP."
    )


@evaluate.command(name="restore")
@click.option("--loo/--no-loo", default=True, show_default=True,
              help="Also run leave-one-out on the clean plans (builds one model per plan).")
@db_option
def eval_restore(loo: bool, db_path: Path) -> None:
    """Syllable accuracy: KH 22 development lines, leave-one-out on the clean plans."""
    from pipeline.evaluate import dev_restorer, kh22_dev_score, leave_one_out

    raw, restored = kh22_dev_score(dev_restorer(settings.model_cache_dir(db_path)))
    click.echo(f"KH 22 (dev): thô {raw:.3f} → phục hồi {restored:.3f}")
    if not loo:
        return
    for score in leave_one_out():
        click.echo(f"{score.plan} (leave-one-out): bỏ dấu {score.raw_stripped:.3f} → "
                   f"{score.stripped:.3f}; OCR tiếng Anh {score.raw_noisy:.3f} → "
                   f"{score.noisy:.3f}")


@bench.command(name="restore")
@db_option
@click.option("--runs", default=5, show_default=True, type=click.IntRange(1, 20),
              help="Times to load the model and restore the text (median and range shown).")
def bench_restore_command(db_path: Path, runs: int) -> None:
    """Model load time and restoration speed (syllables/s) on the whole KH 22 OCR text."""
    from statistics import median

    from pipeline.bench import bench_restore

    result = bench_restore(settings.model_cache_dir(db_path), runs=runs)

    def spread(rates: list[float]) -> str:
        return f"{median(rates):,.0f} âm tiết/s ({rates[0]:,.0f}–{rates[-1]:,.0f})"

    click.echo(f"Nạp mô hình: {median(result.load_seconds):.2f} s "
               f"(trung vị của {runs} lần)")
    click.echo(f"Phục hồi {result.syllables} âm tiết, thời gian CPU, trung vị (thấp nhất–cao "
               f"nhất) của {runs} lần:")
    click.echo(f"  lần đầu trên văn bản: {spread(result.cold_rates)}")
    click.echo(f"  lần sau: {spread(result.warm_rates)}")


@main.command(name="text")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def text_command(file: Path) -> None:
    """Print the text read from FILE (PDF, scan, DOCX, text), one line per line; table rows
    tab-separated; `--- trang N ---` where page N starts."""
    from extractors.sources import SourceError, read_source

    def page_done(done: int, page_count: int) -> None:
        if page_count > 1:
            click.echo(f"{file.name}: trang {done}/{page_count}", err=True)

    try:
        source = read_source(file, progress=page_done)
    except SourceError as error:
        raise click.ClickException(str(error)) from error
    page = 1
    for line in source.lines:
        if line.page != page:
            page = line.page
            click.echo(f"--- trang {page} ---")
        click.echo(line.text)


@bench.command(name="ocr")
@click.option("--pages", type=click.IntRange(min=1), default=6, show_default=True,
              help="Pages of the generated scan.")
def bench_ocr_command(pages: int) -> None:
    """OCR speed on a generated scan: our pipeline, a naive loop, the ideal, OCRmyPDF."""
    import tempfile

    from pipeline.bench import Timing, bench_ocr
    from pipeline.settings import page_workers

    with tempfile.TemporaryDirectory(prefix="chitieu-bench-") as work_dir:
        result = bench_ocr(pages, Path(work_dir))
    click.echo(f"{result.pages} trang, {result.cores} lõi (tốc độ theo đồng hồ; trong ngoặc: "
               "giây CPU mỗi trang, không phụ thuộc tải của máy)")

    def figures(timing: Timing) -> str:
        return (f"{result.rate(timing):.2f} trang/s ({result.cpu_per_page(timing):.1f} s "
                f"CPU/trang, trung bình {result.cores_used(timing):.2f} lõi bận)")

    click.echo(f"chitieu ({page_workers()} trang cùng lúc, tesseract 1 luồng mỗi trang): "
               f"{figures(result.pipeline)}")
    click.echo(f"một luồng, tuần tự: {figures(result.single_thread)}")
    click.echo(f"vòng lặp pytesseract tuần tự (luồng mặc định): {figures(result.naive)}")
    click.echo(f"lý tưởng ({result.cores} × {result.rate(result.single_thread):.2f} trang/s): "
               f"{result.ideal_rate:.2f} trang/s; chitieu đạt {result.ratio_to_ideal:.0%}")
    if result.ocrmypdf is None:
        click.echo("OCRmyPDF: chưa cài, bỏ qua")
    else:
        click.echo(f"OCRmyPDF --jobs {result.cores}: {figures(result.ocrmypdf)}")
    click.echo(f"bộ nhớ đỉnh: {result.peak_self_mb:.0f} MB (tiến trình), "
               f"{result.peak_child_mb:.0f} MB (tesseract)")
    click.echo(f"CER: {result.cer:.2%}")


@bench.command(name="corpus")
@click.option("--times", type=click.IntRange(min=1), default=50, show_default=True,
              help="Copies of the four plans (renumbered, percentages perturbed).")
def bench_corpus_command(times: int) -> None:
    """Load + check time, rows/s and peak memory on N copies of the plans; ratio to 10 copies."""
    import tempfile

    from pipeline.bench import CORPUS_BASE_TIMES, bench_corpus

    with tempfile.TemporaryDirectory(prefix="chitieu-corpus-") as work_dir:
        result = bench_corpus(times, Path(work_dir))
    click.echo(f"{result.times} bản × 4 kế hoạch: {result.documents} văn bản, {result.rows:,} dòng "
               f"(trong đó {result.conflicts:,} mâu thuẫn)")
    click.echo(f"nạp {result.load_seconds:.1f} s + kiểm tra {result.check_seconds:.1f} s = "
               f"{result.seconds:.1f} s; {result.rows_per_second:,.0f} dòng/s")
    click.echo(f"bộ nhớ đỉnh: {result.peak_mb:.0f} MB")
    click.echo(f"tỉ lệ thời gian {result.times}× / {min(CORPUS_BASE_TIMES, times)}×: "
               f"{result.ratio_to_base:.2f} (tuyến tính: "
               f"{result.times / min(CORPUS_BASE_TIMES, times):.1f})")


if __name__ == "__main__":
    main()
