"""Benchmarks that print figures: restoration (model load time, syllables per second), OCR
(against Tesseract alone on the same page images, peak memory, CER), a whole `chitieu run`
(cold and unchanged, against their limits) and scale."""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from normalizers.places import Province, provinces
from normalizers.restore import Restorer, load_or_build
from normalizers.unicode import normalize_text, strip_marks
from pipeline.dev.documents import SCAN_DPI, make_scan
from pipeline.dev.evaluate import (
    CLEAN_PLANS,
    KH22_OCR,
    PLANS_DIR,
    clean_plan_lines,
    scoring_syllables,
)
from pipeline.settings import page_workers
from schemas.records import SourceText

T = TypeVar("T")

OCR_BENCH_PLAN = PLANS_DIR / f"{CLEAN_PLANS[0]}.txt"
OCR_TARGET_RATIO = 0.9  # of Tesseract alone's speed on the same page images


@dataclass(frozen=True)
class RestoreBench:
    syllables: int
    # one figure per run, each on a freshly loaded model
    load_seconds: tuple[float, ...]  # loading the cached model
    cold_seconds: tuple[float, ...]  # CPU s, first pass: every distinct token meets the channel
    warm_seconds: tuple[float, ...]  # CPU s, second pass over the same text: candidates cached
    build_seconds: float  # CPU s, a model built from nothing of all the clean plans
    learn_seconds: float  # CPU s, the last clean plan added to the model of the others
    learned_lines: int  # … of how many lines

    @property
    def cold_rates(self) -> list[float]:
        return sorted(self.syllables / seconds for seconds in self.cold_seconds)

    @property
    def warm_rates(self) -> list[float]:
        return sorted(self.syllables / seconds for seconds in self.warm_seconds)


def bench_restore(cache_dir: Path, text_path: Path = KH22_OCR,
                  runs: int = 5) -> RestoreBench:
    """Time the product's restorer on a damaged text (default: the whole KH 22 OCR text),
    `runs` times on a freshly loaded model: a shared machine's noise shows as the spread."""
    corpus = [clean_plan_lines(name) for name in CLEAN_PLANS]
    load_or_build(corpus, cache_dir)  # builds once; the timings below are loads from the cache
    lines = text_path.read_text(encoding="utf-8").splitlines()
    loads, colds, warms = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        restorer: Restorer = load_or_build(corpus, cache_dir)
        loads.append(time.perf_counter() - started)
        for passes in (colds, warms):
            started = time.process_time()
            restorer.restore_lines(lines)
            passes.append(time.process_time() - started)
    build_seconds, learn_seconds = _build_and_learn(corpus)
    return RestoreBench(len(scoring_syllables(lines)), tuple(loads), tuple(colds), tuple(warms),
                        build_seconds, learn_seconds, len(corpus[-1]))


def _build_and_learn(documents: list[list[str]]) -> tuple[float, float]:
    """CPU seconds of a full build of the documents' model, and of adding the last document
    to the model of the others (what loading a clean plan costs a warehouse)."""
    started = time.process_time()
    Restorer.build([line for lines in documents for line in lines])
    build_seconds = time.process_time() - started
    restorer = Restorer.build([line for lines in documents[:-1] for line in lines])
    started = time.process_time()
    restorer.learn(documents[-1:])
    return build_seconds, time.process_time() - started


# ---------------------------------------------------------------- OCR


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Edits per reference character, after NFC and with every run of whitespace one space."""
    from rapidfuzz.distance import Levenshtein

    def flat(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).split())

    expected = flat(reference)
    return Levenshtein.distance(expected, flat(hypothesis)) / max(len(expected), 1)


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # user + system seconds of this process and of its children (tesseract)


@dataclass(frozen=True)
class OcrRun:
    """One round, both measured back to back on the same page images."""

    limit: Timing  # `pdfimages -j`, then one single-threaded tesseract per core: the floor
    chitieu: Timing  # triage, the pages on the flow's page workers, assembly

    @property
    def wall_ratio(self) -> float:
        return self.limit.wall / self.chitieu.wall

    @property
    def cpu_ratio(self) -> float:
        return self.limit.cpu / self.chitieu.cpu


@dataclass(frozen=True)
class OcrBench:
    """Wall-clock ratios are what a user sees; CPU ratios are what the shared machine's other
    jobs disturb least."""

    pages: int
    cores: int
    runs: tuple[OcrRun, ...]
    ocrmypdf: Timing | None  # None when ocrmypdf is not installed
    peak_self_mb: float
    peak_child_mb: float
    cer: float

    @property
    def wall_ratios(self) -> list[float]:
        return sorted(run.wall_ratio for run in self.runs)

    @property
    def cpu_ratios(self) -> list[float]:
        return sorted(run.cpu_ratio for run in self.runs)


def _timed(work: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def _cpu_seconds() -> float:
    return sum(usage.ru_utime + usage.ru_stime for usage in (
        resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


def _measured(work: Callable[[], T]) -> tuple[Timing, T]:
    cpu_before = _cpu_seconds()
    wall, result = _timed(work)
    return Timing(wall, _cpu_seconds() - cpu_before), result


def _tesseract_alone(scan: Path, images_dir: Path, cores: int, dpi: int) -> None:
    """The physical limit: the stored page images taken out as they are (`pdfimages -j`) and
    one single-threaded `tesseract -l vie` per core, asked for the same TSV at the same DPI."""
    from concurrent.futures import ThreadPoolExecutor

    shutil.rmtree(images_dir, ignore_errors=True)
    images_dir.mkdir()
    subprocess.run(["pdfimages", "-j", str(scan), str(images_dir / "page")], check=True)
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def tesseract(image: Path) -> None:
        subprocess.run(["tesseract", str(image), "stdout", "-l", "vie", "--dpi", str(dpi),
                        "tsv"], env=environment, check=True, capture_output=True)

    with ThreadPoolExecutor(max_workers=cores) as pool:
        list(pool.map(tesseract, sorted(images_dir.iterdir())))


def _chitieu_ocr(scan: Path) -> SourceText:
    """What the ingest flow does with a scan: triage, pages on the page workers, assembly."""
    from concurrent.futures import ThreadPoolExecutor

    from extractors.sources import assemble, read_page, triage

    with ThreadPoolExecutor(max_workers=page_workers()) as pool:
        return assemble(scan, list(pool.map(read_page, triage(scan))))


def _ocrmypdf(pdf_path: Path, cores: int) -> Timing | None:
    """OCRmyPDF on the same scan, without PDF/A conversion or optimisation (OCR only)."""
    command = shutil.which("ocrmypdf")
    if command is None:
        return None
    out_path = pdf_path.with_name("ocrmypdf-out.pdf")
    timing, _ = _measured(lambda: subprocess.run(
        [command, "--jobs", str(cores), "-l", "vie", "--output-type", "pdf", "--optimize", "0",
         "--quiet", str(pdf_path), str(out_path)], check=True, capture_output=True))
    return timing


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def bench_ocr(pages: int, work_dir: Path, runs: int = 3,
              plan_path: Path = OCR_BENCH_PLAN) -> OcrBench:
    """OCR a generated `pages`-page scan of a clean plan (turned, noisy, JPEG) with chitieu
    and with Tesseract alone, `runs` rounds side by side; who goes first alternates, so
    neither always meets the other helpers' load."""
    scan = work_dir / "bench-scan.pdf"
    shown = make_scan(plan_path, scan, pages=pages)
    cores = os.cpu_count() or 1
    limit = partial(_tesseract_alone, scan, work_dir / "images", cores, SCAN_DPI)
    limit()  # warm-up: Tesseract's language model into the page cache
    rounds = []
    for number in range(runs):
        if number % 2:
            chitieu, source = _measured(partial(_chitieu_ocr, scan))
            limit_timing, _ = _measured(limit)
        else:
            limit_timing, _ = _measured(limit)
            chitieu, source = _measured(partial(_chitieu_ocr, scan))
        rounds.append(OcrRun(limit_timing, chitieu))
    peak_self, peak_child = _peak_mb(resource.RUSAGE_SELF), _peak_mb(resource.RUSAGE_CHILDREN)
    cer = character_error_rate(shown, "\n".join(line.text for line in source.lines))
    return OcrBench(pages, cores, tuple(rounds), _ocrmypdf(scan, cores), peak_self, peak_child,
                    cer)


# ---------------------------------------------------------------- corpus (scale)

CORPUS_BASE_TIMES = 10  # the ratio compares a run at `times` copies with one at this many
_PLAN_NUMBER = re.compile(r"(?<![\w.])(?P<serial>\d{2,4})(?P<rest>\s*[-/]\s*(?:KH|CTr)\b)")
_PERCENT_VALUE = re.compile(r"(?<![\w.,])(?P<value>\d{1,2})(?P<unit>\s?%)")
_FILE_SERIAL = re.compile(r"^(?P<kind>[a-z]+)-(?P<serial>\d+)-")
# The plans' province as written, with marks or as an OCR text without them ("Lam Pong").
_HOME_PROVINCE = re.compile(r"\bL\w{1,2}m\s+[ĐDPđ]\w{1,3}ng\b", re.IGNORECASE)


@dataclass(frozen=True)
class CorpusBench:
    times: int
    documents: int
    rows: int  # lines, targets, tasks and conflicts in the warehouse
    conflicts: int
    load_seconds: float
    check_seconds: float
    base_seconds: float  # load + check of the CORPUS_BASE_TIMES corpus
    peak_mb: float

    @property
    def seconds(self) -> float:
        return self.load_seconds + self.check_seconds

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds

    @property
    def ratio_to_base(self) -> float:
        return self.seconds / self.base_seconds


def copy_province(copy: int) -> Province:
    """The province copy number `copy` belongs to: one copy per province, current then
    former names, round again past the last."""
    return provinces()[(copy - 1) % len(provinces())]


def plan_variant(text: str, copy: int) -> str:
    """Copy number `copy` of a plan: every plan number renumbered (so references between the
    four plans still hold within a copy), percentages moved by up to ±3 points, and the
    province it is written for replaced by the copy's own."""
    def renumber(match: re.Match[str]) -> str:
        return f"{match['serial']}{copy:03d}{match['rest']}"

    def perturb(match: re.Match[str]) -> str:
        value = min(100, max(0, int(match["value"]) + copy % 7 - 3))
        return f"{value}{match['unit']}"

    def relocate(match: re.Match[str]) -> str:
        name = copy_province(copy).name
        written = match.group()
        if written.isupper():
            return name.upper()
        return name if written == normalize_text(written) and _has_marks(written) else (
            strip_marks(name))

    text = _HOME_PROVINCE.sub(relocate, text)
    return _PERCENT_VALUE.sub(perturb, _PLAN_NUMBER.sub(renumber, text))


def _has_marks(text: str) -> bool:
    return strip_marks(text) != text


def variant_name(plan_name: str, copy: int) -> str:
    return _FILE_SERIAL.sub(lambda match: f"{match['kind']}-{match['serial']}{copy:03d}-",
                            plan_name)


def build_corpus(plans: list[Path], times: int, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for copy in range(1, times + 1):
        for plan in plans:
            variant = out_dir / variant_name(plan.name, copy)
            variant.write_text(plan_variant(plan.read_text(encoding="utf-8"), copy),
                               encoding="utf-8")
            written.append(variant)
    return written


def _warehouse_rows(db_path: Path) -> tuple[int, int, int]:
    """Documents, rows of the per-document tables and conflicts."""
    from pipeline.store.warehouse import Warehouse

    with Warehouse.open(db_path, read_only=True) as warehouse:
        count = {table: warehouse.connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                 for table in ("documents", "lines", "targets", "tasks", "conflicts")}
    return count["documents"], sum(count.values()) - count["documents"], count["conflicts"]


def _load_and_check(paths: list[Path], db_path: Path) -> tuple[float, float]:
    from pipeline.check.consistency import check_warehouse
    from pipeline.run import flows
    from pipeline.run.inputs import hash_inputs
    from pipeline.store.warehouse import Warehouse

    load_seconds, summary = _timed(lambda: flows.run_ingest(hash_inputs(paths), db_path))
    if summary.failed:
        raise RuntimeError("; ".join(map(str, summary.failed)))
    with Warehouse.open(db_path) as warehouse:
        check_seconds, _ = _timed(lambda: check_warehouse(warehouse))
    return load_seconds, check_seconds


def bench_corpus(times: int, work_dir: Path, plans: list[Path] | None = None) -> CorpusBench:
    """Load and check `times` copies of the four plans, and CORPUS_BASE_TIMES copies for the
    ratio; Prefect's server is started before anything is timed."""
    from pipeline import settings

    plans = plans or sorted(PLANS_DIR.glob("*.txt"))
    plans = [plan for plan in plans if plan.stem.upper() != "README"]
    settings.configure_prefect(work_dir / ".prefect")
    from pipeline.run import flows

    flows.run_ingest([], work_dir / "warm-up.duckdb")
    base_times = min(CORPUS_BASE_TIMES, times)
    base_load, base_check = _load_and_check(
        build_corpus(plans, base_times, work_dir / "base"), work_dir / "base.duckdb")
    db_path = work_dir / "corpus.duckdb"
    load_seconds, check_seconds = _load_and_check(
        build_corpus(plans, times, work_dir / "corpus"), db_path)
    documents, rows, conflicts = _warehouse_rows(db_path)
    return CorpusBench(times, documents, rows, conflicts, load_seconds, check_seconds,
                       base_load + base_check, _peak_mb(resource.RUSAGE_SELF))


# ---------------------------------------------------------------- a whole run

RUN_COLD_LIMIT_SECONDS = 15.0  # `chitieu run` of the four plans into a new warehouse
RUN_UNCHANGED_LIMIT_SECONDS = 2.0  # the same again, nothing changed: no flow starts
RUN_MEMORY_LIMIT_MB = 1024


@dataclass(frozen=True)
class RunBench:
    first: Timing  # nothing cached yet: Prefect's home made, the restorer built
    cold: tuple[Timing, ...]  # each into a new warehouse and output folder
    unchanged: tuple[Timing, ...]  # each again on the last cold run's warehouse
    peak_mb: float  # the largest chitieu process of all these runs


def _chitieu_run(plans: Path, folder: Path, environment: dict[str, str]) -> Timing:
    """`chitieu run` as a user starts it, in its own process: imports and Prefect's
    temporary server included."""
    command = [sys.executable, "-m", "pipeline.cli", "run", str(plans),
               "--db", str(folder / "chitieu.duckdb"), "--out", str(folder / "out")]
    timing, _ = _measured(partial(subprocess.run, command, env=environment, check=True,
                                  capture_output=True))
    return timing


def bench_run(work_dir: Path, runs: int = 5, plans: Path = PLANS_DIR) -> RunBench:
    """The four plans into a new warehouse `runs` times, and `runs` unchanged re-runs. Prefect's
    home and the user cache are the bench's own: the first run fills them, as a user's first
    run does, and the cold runs after it find them."""
    environment = {**os.environ, "PREFECT_HOME": str(work_dir / "prefect"),
                   "XDG_CACHE_HOME": str(work_dir / "cache")}
    first = _chitieu_run(plans, work_dir / "first", environment)
    cold = tuple(_chitieu_run(plans, work_dir / f"cold-{number}", environment)
                 for number in range(runs))
    unchanged = tuple(_chitieu_run(plans, work_dir / f"cold-{runs - 1}", environment)
                      for _ in range(runs))
    return RunBench(first, cold, unchanged, _peak_mb(resource.RUSAGE_CHILDREN))
