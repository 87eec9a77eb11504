"""Prefect flows. Each reads as its stages:

ingest: acquire pages (in parallel, cached by content hash) → normalise → load the clean
documents → build the restorer from the clean text → repair the damaged ones → extract →
load → re-link indicators and agencies.
check: conflicts → warehouse → report → exports → artifacts.

Prefect reads its settings when first imported: callers run settings.configure_prefect()
before importing this module (the CLI does, with a home next to the warehouse).

No `from __future__ import annotations` here: Prefect validates a flow's parameters against
its signature at run time (a served deployment's run does), which needs real types, not
strings it cannot resolve.
"""

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.futures import as_completed
from prefect.states import State
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from extractors import sources
from extractors.sources import assemble, read_page, triage
from normalizers.restore import Restorer, load_or_build
from pipeline import settings
from pipeline.check.consistency import CheckChanges, check_warehouse
from pipeline.present.outputs import publish_outputs
from pipeline.present.report import report_summary
from pipeline.run.identity import Holdings, SetAside, one_per_number
from pipeline.run.inputs import InputFile, catalog_is_stale, outputs_exist, pending_inputs
from pipeline.run.limits import within_memory
from pipeline.run.stages import (
    DocumentFailure,
    Stage,
    attempt,
    bounded,
    checked_lines,
    extract,
    is_damaged,
    marked_damaged,
    relink,
    repair,
)
from pipeline.store.warehouse import Warehouse
from schemas import records
from schemas.errors import ChitieuError
from schemas.records import (
    ExtractedDocument,
    Line,
    PageContext,
    PageResult,
    SourceText,
)


def _readers_digest() -> str:
    """Hash of the code that reads a page and of the records it returns: part of a cached page
    reading's key, so a reading cached by older code (without a field SourceLine has gained,
    or without the table cells a scan now gives) is read again."""
    digest = hashlib.sha256()
    for source in sorted(Path(sources.__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    digest.update(Path(records.__file__).read_bytes())
    return digest.hexdigest()[:12]


PAGE_READERS_DIGEST = _readers_digest()
log = logging.getLogger("chitieu.run")


@dataclass
class IngestSummary:
    loaded: list[str] = field(default_factory=list)  # doc_ids
    failures: list[DocumentFailure] = field(default_factory=list)  # one per file not loaded
    set_aside: list[str] = field(default_factory=list)  # one line per file another one won

    @property
    def failed(self) -> list[str]:
        return [failure.line() for failure in self.failures]


@dataclass
class RunSummary:
    ingest: IngestSummary
    changes: CheckChanges | None = None  # None: no check ran, or none ran before it


def _page_cache_key(_context: object, parameters: dict) -> str:
    page: PageContext = parameters["page"]
    return (f"page-v{PAGE_READERS_DIGEST}-{parameters['sha256']}-{page.page_no}-"
            f"{page.method}-{page.dpi}")


def _retry_unless_bad_input(_task: object, _task_run: object, state: State) -> bool:
    """A SourceError (a corrupt page, a decompression bomb) or a missing Tesseract fails the
    same way again; other errors, such as a killed Tesseract, may not."""
    return not isinstance(state.result(raise_on_failure=False), ChitieuError)


@task(
    name="read-page",
    retries=1,
    retry_delay_seconds=1,
    retry_condition_fn=_retry_unless_bad_input,
    cache_key_fn=_page_cache_key,
    persist_result=True,
)
def read_page_task(page: PageContext, sha256: str) -> PageResult:
    return within_memory(page.source_path, read_page, page)


def acquire(item: InputFile) -> SourceText:
    """Triage the file, read its pages in parallel on the flow's task runner, assemble."""
    pages = triage(item.path)
    futures = [read_page_task.submit(page, item.sha256) for page in pages]
    results: list[PageResult] = []
    for done, future in enumerate(as_completed(futures), start=1):
        results.append(future.result())
        if len(pages) > 1:
            log.info("%s: trang %d/%d", item.path.name, done, len(pages))
    return assemble(item.path, sorted(results, key=lambda result: result.page_no))


@task(name="load", retries=2, retry_delay_seconds=2)
def load(extracted: ExtractedDocument, db_path: Path) -> str:
    with Warehouse.open(db_path) as warehouse:
        warehouse.load(extracted)
    return extracted.document.doc_id


@task(name="link")
def link(db_path: Path, overrides_path: Path | None) -> None:
    """Rebuild the indicator and agency catalogs over everything the warehouse holds."""
    with Warehouse.open(db_path) as warehouse:
        relink(warehouse, overrides_path)


def _read_and_normalise(
    item: InputFile, failures: list[DocumentFailure]
) -> tuple[SourceText, list[Line]] | None:
    source = attempt(item.path, Stage.READ, failures, acquire, item)
    lines = checked_lines(item.path, source, failures) if source is not None else None
    return None if source is None or lines is None else (marked_damaged(source, lines), lines)


def _extract_all(read: list[tuple[SourceText, list[Line]]], taken: dict[str, str],
                 failures: list[DocumentFailure]) -> list[ExtractedDocument]:
    found = []
    for source, lines in read:
        extracted = attempt(source.source_path, Stage.EXTRACT, failures, extract, source, lines,
                            taken)
        if extracted is not None:
            found.append(extracted)
            taken.setdefault(extracted.document.doc_id, extracted.document.source_path)
    return found


def _record_set_aside(aside: SetAside, db_path: Path) -> bool:
    with Warehouse.open(db_path) as warehouse:
        warehouse.set_aside(aside.document.sha256, aside.document.doc_id,
                            aside.document.source_path, aside.line())
    return True


def _set_aside(aside: SetAside, db_path: Path, summary: IngestSummary, announce: bool) -> None:
    path = Path(aside.document.source_path)
    if attempt(path, Stage.IDENTIFY, summary.failures, _record_set_aside, aside,
               db_path) is not None and announce:
        summary.set_aside.append(aside.line())


def _load_one_per_number(found: list[ExtractedDocument], holdings: Holdings, db_path: Path,
                         summary: IngestSummary) -> None:
    """One file per document (see pipeline.run.identity), loaded; the others remembered."""
    decisions = one_per_number(found)
    summary.failures += decisions.failures
    for aside in decisions.set_aside:
        _set_aside(aside, db_path, summary, announce=True)
    for extracted in decisions.load:
        document = extracted.document
        load_it, aside, refusal = holdings.verdict(document)
        if refusal is not None:
            summary.failures.append(refusal)
        if load_it and not _load(extracted, db_path, holdings, summary):
            continue  # the version it was to replace stays, and is no file set aside
        if aside is not None:
            _set_aside(aside, db_path, summary, announce=refusal is None)


def _load(extracted: ExtractedDocument, db_path: Path, holdings: Holdings,
          summary: IngestSummary) -> bool:
    document = extracted.document
    # quote: Prefect would walk the whole document (every line, target, task) looking for
    # futures in it, twice, which cost more than loading it.
    if attempt(Path(document.source_path), Stage.LOAD, summary.failures, load, quote(extracted),
               db_path) is None:
        return False
    holdings.loaded(document)
    summary.loaded.append(document.doc_id)
    log.info("%s: nạp %d chỉ tiêu, %d nhiệm vụ", Path(document.source_path).name,
             len(extracted.targets), len(extracted.tasks))
    return True


def _restorer(db_path: Path) -> Restorer:
    with Warehouse.open(db_path) as warehouse:
        corpus = warehouse.corpus_documents()
    log.info("Chuẩn bị bộ phục hồi dấu từ %d văn bản sạch (lần đầu: vài giây)…", len(corpus))
    return load_or_build(corpus, settings.model_cache_dir())


def _repaired(damaged: list[tuple[SourceText, list[Line]]], db_path: Path,
              failures: list[DocumentFailure]) -> list[tuple[SourceText, list[Line]]]:
    """After the clean documents are loaded: the restorer learns from them."""
    restorer: Restorer | None = None
    repaired = []
    for source, lines in damaged:
        log.info("%s: phục hồi dấu tiếng Việt…", source.source_path.name)
        path = source.source_path
        restorer = restorer or attempt(path, Stage.REPAIR, failures, _restorer, db_path)
        fixed = (attempt(path, Stage.REPAIR, failures, bounded, path, repair, lines, restorer)
                 if restorer is not None else None)
        if fixed is not None:
            repaired.append((source, fixed))
    return repaired


def _holdings(db_path: Path) -> Holdings:
    if not db_path.exists():
        return Holdings({})
    with Warehouse.open(db_path, read_only=True) as warehouse:
        return Holdings({document.doc_id: document for document in warehouse.documents()})


@flow(name="ingest", log_prints=False)
def ingest_flow(items: list[InputFile], db_path: Path, overrides_path: Path | None = None
                ) -> IngestSummary:
    """Each document on its own: a failure in one is one line, the others go on."""
    summary = IngestSummary()
    read = [found for item in items if (found := _read_and_normalise(item, summary.failures))]
    holdings = _holdings(db_path)
    taken = holdings.taken()
    clean = [(source, lines) for source, lines in read if not is_damaged(lines)]
    damaged = [(source, lines) for source, lines in read if is_damaged(lines)]
    _load_one_per_number(_extract_all(clean, taken, summary.failures), holdings, db_path,
                         summary)
    if damaged:
        repaired = _repaired(damaged, db_path, summary.failures)
        _load_one_per_number(_extract_all(repaired, taken, summary.failures), holdings,
                             db_path, summary)
    if summary.loaded or catalog_is_stale(db_path):
        attempt(db_path, Stage.LINK, summary.failures, link, db_path, overrides_path)
    return summary


@flow(name="check", log_prints=False)
def check_flow(db_path: Path, out_dir: Path) -> CheckChanges | None:
    """Check, write the report and exports; what changed since the previous check, if any."""
    with Warehouse.open(db_path) as warehouse:
        _conflicts, changes = check_warehouse(warehouse)  # stores them; diff with the last check
        publish_outputs(warehouse, out_dir, changes)
        markdown, table = report_summary(warehouse, changes)
    create_markdown_artifact(markdown, key=artifact_key(db_path, "report"),
                             description=f"Báo cáo nhất quán — {db_path}")
    create_table_artifact(table, key=artifact_key(db_path, "conflicts"),
                          description=f"Các mâu thuẫn chỉ tiêu — {db_path}")
    return changes


def artifact_key(db_path: Path, name: str) -> str:
    """An artifact key of one warehouse: runs on different warehouses sharing a Prefect server
    keep their own latest report (a key allows only lowercase letters, digits and dashes)."""
    digest = hashlib.sha256(str(db_path.resolve()).encode()).hexdigest()[:10]
    return f"chitieu-{digest}-{name}"


@flow(name="run", log_prints=False)
def run_flow(paths: list[Path], db_path: Path, out_dir: Path) -> RunSummary:
    """Ingest what is new under `paths`, then check; a served deployment runs this on a timer."""
    todo, _unchanged = pending_inputs(paths, db_path, (out_dir,))
    summary = RunSummary(ingest_flow(todo, db_path, settings.indicator_overrides_path()))
    if summary.ingest.loaded or not outputs_exist(out_dir, db_path):
        summary.changes = check_flow(db_path, out_dir)
    return summary


def task_runner(dask_address: str | None, workers: int | None) -> TaskRunner:
    """Threads on this machine (OCR runs in Tesseract processes); Dask when asked."""
    if dask_address or workers:
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1})
    return ThreadPoolTaskRunner(max_workers=settings.page_workers())


def run_ingest(items: list[InputFile], db_path: Path, dask_address: str | None = None,
               workers: int | None = None) -> IngestSummary:
    runner = task_runner(dask_address, workers)
    return ingest_flow.with_options(task_runner=runner)(
        items, db_path, settings.indicator_overrides_path()
    )


def run_all(paths: list[Path], db_path: Path, out_dir: Path, dask_address: str | None = None,
            workers: int | None = None) -> RunSummary:
    runner = task_runner(dask_address, workers)
    return run_flow.with_options(task_runner=runner)(paths, db_path, out_dir)


def serve_folder(folder: Path, db_path: Path, out_dir: Path, interval_seconds: int) -> None:
    """A deployment that looks at `folder` every interval; unchanged files cost nothing. One
    run at a time: runs on one warehouse take turns anyway, and a backlog of late runs (after
    a pause) must not pile up."""
    log.info("Đang phục vụ triển khai run/chitieu-watch: xem %s mỗi %d giây; Ctrl-C để dừng.",
             folder, interval_seconds)
    run_flow.serve(
        name="chitieu-watch",
        interval=interval_seconds,
        parameters={"paths": [folder], "db_path": db_path, "out_dir": out_dir},
        pause_on_shutdown=False,
        print_starting_message=False,
        limit=1,
    )
