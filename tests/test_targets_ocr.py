"""Targets from OCR text: KH 08 rendered, read back by an English-model OCR and restored,
against the targets of the clean plan (the restorer never saw KH 08)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.targets import extract_targets
from normalizers.restore import load_or_build
from normalizers.unicode import normalize_text
from pipeline.dev.evaluate import WORDING_MATCH, wording_score
from schemas.records import Line, Target, TextSource
from tests.conftest import DATA, PLANS
from tests.snippets import read_with_product, snippet_document


def _same(a: Target, b: Target) -> bool:
    return ((a.target_year, a.comparator, a.value, a.value_max, a.unit)
            == (b.target_year, b.comparator, b.value, b.value_max, b.unit)
            and wording_score(a.indicator_text, b.indicator_text) >= WORDING_MATCH)


@pytest.mark.slow
def test_kh08_english_ocr_restored_gives_the_clean_plans_targets(tmp_path: Path) -> None:
    corpus = [line.text for name in ("kh3450", "ctr01")
              for line in read_with_product(PLANS[name])[1]]
    restorer = load_or_build([corpus], tmp_path / "models")
    ocr_text = (DATA / "engocr" / "kh-08-KH-TU-2025-08-29.eng-ocr.txt").read_text(
        encoding="utf-8").split("\n")
    lines = [Line(doc_id="", page=1, line_no=number, raw_text=repaired.raw_text,
                  text=normalize_text(repaired.text), repaired=repaired.changed,
                  uncertain_comparators=repaired.uncertain_comparators)
             for number, repaired in enumerate(restorer.restore_lines(ocr_text), start=1)]
    document = snippet_document(doc_id="08-KH-TU", title=None, issued_on=None)
    from_ocr = extract_targets(document.model_copy(update={"text_source": TextSource.OCR_TEXT}),
                               lines)
    clean = extract_targets(document, read_with_product(PLANS["kh08"])[1])
    unmatched = list(from_ocr)
    found = 0
    for target in clean:
        match = next((candidate for candidate in unmatched if _same(candidate, target)), None)
        if match is not None:
            unmatched.remove(match)
            found += 1
    assert found / len(clean) >= 0.9
    assert found / len(from_ocr) >= 0.9
    assert any(t.confidence_note and "≥" in t.confidence_note for t in from_ocr)
