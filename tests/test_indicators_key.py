"""The sample key (tests/data/targets_dev.csv): targets and indicator links, measured."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.metadata import read_document
from extractors.targets import extract_targets
from normalizers.restore import load_or_build
from pipeline.dev.evaluate import ExtractionScores, read_target_key, score_extraction
from pipeline.link.indicators import link_indicators
from schemas.records import Document, Line, Target
from tests.conftest import PLANS
from tests.snippets import read_with_product


def clean_plan(name: str) -> tuple[Document, list[Line], list[Target]]:
    source, lines = read_with_product(PLANS[name])
    document, _ = read_document(source, lines)
    return document, lines, extract_targets(document, lines)


def linked(targets: list[Target]) -> list[Target]:
    _, links = link_indicators(targets, None)
    return [t.model_copy(update={"indicator_id": links[t.target_id]}) for t in targets]


def scores(documents: list[Document], targets: list[Target]) -> ExtractionScores:
    return score_extraction(read_target_key(), linked(targets), documents)


@pytest.fixture(scope="module")
def clean_plans() -> list[tuple[Document, list[Line], list[Target]]]:
    return [clean_plan(name) for name in ("kh08", "kh3450", "ctr01")]


def test_targets_and_links_reach_the_bar_on_the_clean_plans(clean_plans: list) -> None:
    result = scores([plan[0] for plan in clean_plans],
                    [target for plan in clean_plans for target in plan[2]])
    assert result.targets.f1 >= 0.95, (result.missed, result.extra)
    assert result.links.f1 >= 0.95
    assert result.links.expected > 0


def test_scoring_counts_misses_and_wrong_values(clean_plans: list) -> None:
    documents = [plan[0] for plan in clean_plans]
    targets = [target for plan in clean_plans for target in plan[2]]
    wrong = [t.model_copy(update={"value": (t.value or 0) + 1}) if t.comparator != "exists"
             else t for t in targets]
    assert score_extraction(read_target_key(), linked(wrong), documents).targets.recall < 0.2
    unlinked = [t.model_copy(update={"indicator_id": t.target_id}) for t in targets]
    assert score_extraction(read_target_key(), unlinked, documents).links.recall == 0


@pytest.mark.slow
def test_kh22_restored_links_to_the_other_plans(clean_plans: list, tmp_path: Path) -> None:
    corpus = [line.text for plan in clean_plans for line in plan[1] if line.text.strip()]
    restorer = load_or_build([corpus], tmp_path / "models")
    raw = PLANS["kh22"].read_text(encoding="utf-8").split("\n")
    lines = [Line(doc_id="", page=1, line_no=number, raw_text=repaired.raw_text,
                  text=repaired.text, repaired=repaired.changed,
                  uncertain_comparators=repaired.uncertain_comparators)
             for number, repaired in enumerate(restorer.restore_lines(raw), start=1)]
    source, _ = read_with_product(PLANS["kh22"])
    document, _ = read_document(source, lines)
    kh22 = extract_targets(document, lines)
    sections = {t.section for t in kh22 if t.section and t.section.startswith("II.2")}
    assert {"II.2.a", "II.2.b", "II.2.c", "II.2.d", "II.2.e"} <= sections
    assert {t.target_year for t in kh22 if t.section in sections} == {2026}
    guessed = [t for t in kh22 if t.confidence_note and "≥" in t.confidence_note]
    assert guessed and all(t.confidence <= 0.5 for t in guessed)

    everything = linked([t for plan in clean_plans for t in plan[2]] + kh22)
    five_g = {t.doc_id: t.indicator_id for t in everything
              if "5G" in t.indicator_text and t.target_year == 2026}
    assert len(five_g) == 2 and len(set(five_g.values())) == 1  # KH 22 and KH 3450
    result = score_extraction(read_target_key(), everything,
                              [plan[0] for plan in clean_plans] + [document])
    assert result.targets.f1 >= 0.95 and result.links.f1 >= 0.95
