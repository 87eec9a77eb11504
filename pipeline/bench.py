"""Benchmarks that print figures: restoration (model load time, syllables per second) and OCR
(pages per second against the ideal and OCRmyPDF, peak memory, CER)."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from normalizers.restore import Restorer, load_or_build
from pipeline.evaluate import CLEAN_PLANS, KH22_OCR, clean_plan_lines, scoring_syllables
from pipeline.settings import REPO_ROOT

OCR_BENCH_PLAN = REPO_ROOT / "raw" / f"{CLEAN_PLANS[0]}.txt"


@dataclass(frozen=True)
class RestoreBench:
    load_seconds: float  # loading the cached model
    syllables: int
    cold_seconds: float  # first pass: every distinct token meets the channel once
    warm_seconds: float  # second pass over the same text: token candidates cached

    @property
    def cold_rate(self) -> float:
        return self.syllables / self.cold_seconds

    @property
    def warm_rate(self) -> float:
        return self.syllables / self.warm_seconds


def bench_restore(cache_dir: Path, text_path: Path = KH22_OCR) -> RestoreBench:
    """Time the product's restorer on a damaged text (default: the whole KH 22 OCR text)."""
    corpus = [line for name in CLEAN_PLANS for line in clean_plan_lines(name)]
    load_or_build(corpus, cache_dir)  # builds once; the timing below is a load from the cache
    started = time.perf_counter()
    restorer: Restorer = load_or_build(corpus, cache_dir)
    load_seconds = time.perf_counter() - started
    lines = text_path.read_text(encoding="utf-8").splitlines()
    syllables = len(scoring_syllables(lines))
    started = time.perf_counter()
    restorer.restore_lines(lines)
    cold_seconds = time.perf_counter() - started
    started = time.perf_counter()
    restorer.restore_lines(lines)
    warm_seconds = time.perf_counter() - started
    return RestoreBench(load_seconds, syllables, cold_seconds, warm_seconds)


# ---------------------------------------------------------------- OCR


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Edits per reference character, after NFC and with every run of whitespace one space."""
    from rapidfuzz.distance import Levenshtein

    def flat(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).split())

    expected = flat(reference)
    return Levenshtein.distance(expected, flat(hypothesis)) / max(len(expected), 1)


@dataclass(frozen=True)
class OcrBench:
    pages: int
    cores: int
    pipeline_seconds: float  # pages in parallel, one single-threaded tesseract per core
    single_thread_seconds: float  # the same pages one after the other, single-threaded
    naive_seconds: float  # pytesseract loop over rendered pages, default threads
    ocrmypdf_seconds: float | None  # None when ocrmypdf is not installed
    peak_self_mb: float
    peak_child_mb: float
    cer: float

    def rate(self, seconds: float) -> float:
        return self.pages / seconds

    @property
    def ideal_rate(self) -> float:
        return self.cores * self.rate(self.single_thread_seconds)

    @property
    def ratio_to_ideal(self) -> float:
        return self.rate(self.pipeline_seconds) / self.ideal_rate


def _timed(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def _naive_ocr(pdf_path: Path) -> None:
    """What a first script does: render each page, pytesseract it, one page at a time."""
    import pypdfium2 as pdfium
    import pytesseract

    document = pdfium.PdfDocument(pdf_path)
    for page in document:
        pytesseract.image_to_string(page.render(scale=300 / 72).to_pil(), lang="vie")
    document.close()


def _ocrmypdf_seconds(pdf_path: Path, cores: int) -> float | None:
    command = shutil.which("ocrmypdf")
    if command is None:
        return None
    out_path = pdf_path.with_name("ocrmypdf-out.pdf")
    seconds, _ = _timed(lambda: subprocess.run(
        [command, "--jobs", str(cores), "-l", "vie", "--output-type", "pdf", "--optimize", "0",
         "--quiet", str(pdf_path), str(out_path)], check=True, capture_output=True))
    return seconds


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def bench_ocr(pages: int, work_dir: Path, plan_path: Path = OCR_BENCH_PLAN) -> OcrBench:
    """OCR a generated `pages`-page scan of a clean plan four ways and measure each."""
    from concurrent.futures import ThreadPoolExecutor

    from extractors.sources import assemble, read_page, triage
    from tests.fixtures import make_scan

    scan = work_dir / "bench-scan.pdf"
    shown = make_scan(plan_path, scan, pages=pages)
    contexts = triage(scan)
    cores = os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=cores) as pool:
        pipeline_seconds, results = _timed(lambda: list(pool.map(read_page, contexts)))
    peak_self, peak_child = _peak_mb(resource.RUSAGE_SELF), _peak_mb(resource.RUSAGE_CHILDREN)
    cer = character_error_rate(shown, "\n".join(
        line.text for line in assemble(scan, results).lines))
    single_seconds, _ = _timed(lambda: [read_page(context) for context in contexts])
    naive_seconds, _ = _timed(lambda: _naive_ocr(scan))
    return OcrBench(pages, cores, pipeline_seconds, single_seconds, naive_seconds,
                    _ocrmypdf_seconds(scan, cores), peak_self, peak_child, cer)
