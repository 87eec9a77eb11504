"""Aligning an OCR text with the clean text it was read from, syllable by syllable.

The two are not line-aligned (the OCR wraps lines, adds page furniture), so the whole
documents are aligned at once: Levenshtein edit operations over mark-stripped tokens.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import Indel, Levenshtein

from normalizers.restore.tokens import tokenize
from normalizers.unicode import is_syllable, normalize_text, strip_marks


def document_tokens(lines: Iterable[str]) -> list[str]:
    """Lower-case word, number and code tokens of a document, in order."""
    return [
        token.text.lower()
        for line in lines
        for token in tokenize(normalize_text(line))
        if token.kind != "punct"
    ]


def aligned_pairs(clean_lines: Iterable[str], ocr_lines: Iterable[str],
                  min_similarity: float = 0.3) -> list[tuple[str, str]]:
    """(clean syllable, OCR token) pairs that stand for each other, matches included."""
    clean = document_tokens(clean_lines)
    ocr = document_tokens(ocr_lines)
    clean_keys = [strip_marks(token) for token in clean]
    ocr_keys = [strip_marks(token) for token in ocr]
    pairs: list[tuple[str, str]] = []
    for operation in Levenshtein.opcodes(clean_keys, ocr_keys):
        if operation.tag not in ("equal", "replace"):
            continue
        clean_span = clean[operation.src_start : operation.src_end]
        ocr_span = ocr[operation.dest_start : operation.dest_end]
        if len(clean_span) != len(ocr_span):
            continue
        for syllable, observed in zip(clean_span, ocr_span, strict=True):
            if not is_syllable(syllable):
                continue
            if Indel.normalized_similarity(strip_marks(syllable), strip_marks(observed)) >= (
                min_similarity
            ):
                pairs.append((syllable, observed))
    return pairs
