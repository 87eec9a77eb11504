"""Benchmarks that print figures. Restoration part: model load time and syllables per second."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from normalizers.restore import Restorer, load_or_build
from pipeline.evaluate import CLEAN_PLANS, KH22_OCR, clean_plan_lines, scoring_syllables


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
