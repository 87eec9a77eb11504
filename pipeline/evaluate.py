"""Scoring the product against the answer keys in tests/data/.

Restoration: syllable accuracy after alignment = 1 − (syllable edit distance / gold
syllables). Tone-mark placement (hoá = hóa) and letter case do not count; punctuation-only
tokens are ignored. Alignment is global, so texts that wrap lines differently score fairly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from normalizers.restore import PairedDocument, Restorer, load_or_build
from normalizers.unicode import normalize_text, strip_marks
from pipeline.settings import REPO_ROOT

DATA_DIR = REPO_ROOT / "tests" / "data"
CLEAN_PLANS = (
    "kh-08-KH-TU-2025-08-29",
    "kh-3450-KH-UBND-2026-03-17",
    "ctr-01-CTr-BCD-2026-03-20",
)
KH22_OCR = REPO_ROOT / "raw" / "kh-22-KH-TU-2026-01-14.ocr.txt"
KH22_DEV_GOLD = DATA_DIR / "kh22_gold_dev.txt"
KH22_DEV_FIRST_LINE = 218  # kh22_gold_dev.txt line 1 is this line of the OCR text

_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")


def scoring_syllables(lines: Iterable[str]) -> list[str]:
    """Whitespace tokens without edge punctuation, tone convention normalised, case folded."""
    syllables = []
    for line in lines:
        for token in normalize_text(line).split():
            core = _EDGE_PUNCTUATION.sub("", token)
            if core:
                syllables.append(core.casefold())
    return syllables


def syllable_accuracy(hypothesis: Iterable[str], gold: Iterable[str]) -> float:
    """1 − syllable edit distance / gold syllables, over the whole texts aligned globally."""
    gold_syllables = scoring_syllables(gold)
    if not gold_syllables:
        return 1.0
    distance = Levenshtein.distance(scoring_syllables(hypothesis), gold_syllables)
    return max(0.0, 1.0 - distance / len(gold_syllables))


def clean_plan_lines(name: str) -> list[str]:
    """A clean plan's lines as the flow stores them: markup stripped, normalised."""
    from normalizers.markup import strip_markup

    text = (REPO_ROOT / "raw" / f"{name}.txt").read_text(encoding="utf-8")
    return [normalize_text(strip_markup(line)) for line in text.splitlines()]


def engocr_lines(name: str) -> list[str]:
    return (DATA_DIR / "engocr" / f"{name}.eng-ocr.txt").read_text(encoding="utf-8").splitlines()


def kh22_dev_pair() -> tuple[list[str], list[str]]:
    """(OCR lines, gold lines) of the KH 22 development part, line-aligned."""
    gold = KH22_DEV_GOLD.read_text(encoding="utf-8").splitlines()
    ocr = KH22_OCR.read_text(encoding="utf-8").splitlines()
    start = KH22_DEV_FIRST_LINE - 1
    return ocr[start : start + len(gold)], gold


@dataclass(frozen=True)
class LeaveOneOutScore:
    plan: str
    raw_stripped: float  # the marks-stripped plan before restoration
    stripped: float  # restored from the marks-stripped plan
    raw_noisy: float  # the English-OCR text before restoration
    noisy: float  # restored from the English-OCR text


def leave_one_out(plans: Sequence[str] = CLEAN_PLANS) -> list[LeaveOneOutScore]:
    """Score each plan with a model that never saw it (neither its text nor its OCR)."""
    clean = {name: clean_plan_lines(name) for name in plans}
    scores = []
    for held_out in plans:
        others = [name for name in plans if name != held_out]
        restorer = Restorer.build(
            [line for name in others for line in clean[name]],
            paired_documents=[
                PairedDocument(tuple(clean[name]), tuple(engocr_lines(name))) for name in others
            ],
        )
        gold = clean[held_out]
        stripped = [strip_marks(line) for line in gold]
        noisy = engocr_lines(held_out)
        scores.append(LeaveOneOutScore(
            plan=held_out,
            raw_stripped=syllable_accuracy(stripped, gold),
            stripped=syllable_accuracy(_restored(restorer, stripped), gold),
            raw_noisy=syllable_accuracy(noisy, gold),
            noisy=syllable_accuracy(_restored(restorer, noisy), gold),
        ))
    return scores


def _restored(restorer: Restorer, lines: list[str]) -> list[str]:
    return [repaired.text for repaired in restorer.restore_lines(lines)]


def kh22_dev_score(restorer: Restorer) -> tuple[float, float]:
    """(raw OCR score, restored score) on the KH 22 development lines."""
    ocr, gold = kh22_dev_pair()
    return syllable_accuracy(ocr, gold), syllable_accuracy(_restored(restorer, ocr), gold)


def dev_restorer(cache_dir: Path) -> Restorer:
    """The product's model for KH 22: all clean plans, all shipped OCR pairs."""
    corpus = [line for name in CLEAN_PLANS for line in clean_plan_lines(name)]
    return load_or_build(corpus, cache_dir)
