"""The conflict check compares targets only within one indicator (and one measure stem for unit
mismatches): its work grows with the corpus, not with the square of unrelated targets.

Counted in comparisons, not seconds (the machine is shared): `chitieu bench corpus` prints the
timings.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from pipeline.check import consistency, rules
from pipeline.dev.bench import plan_variant, variant_name
from schemas.records import Document, Target, TextSource
from tests.conftest import PLANS


def _corpus(indicators: int) -> tuple[list[Document], list[Target]]:
    """Two plans that each set every one of `indicators` unrelated indicators, differently."""
    documents = [Document(doc_id=doc_id, source_path=f"{doc_id}.txt", sha256=doc_id * 8,
                          text_source=TextSource.DIGITAL, issued_on=date(2026, month, 1),
                          jurisdiction="tỉnh Gia Lai", jurisdiction_level="province")
                 for month, doc_id in ((1, "kh-a"), (3, "kh-b"))]
    targets = [
        Target(target_id=f"{doc_id}-{number}", doc_id=doc_id,
               indicator_id=f"chi-so-{number}__pct", indicator_text=f"chỉ số {number}",
               target_year=2030, comparator=">=", value=value, unit="%", page=1, line=number,
               source_text=f"chỉ số {number} ≥ {value}%", confidence=0.9)
        for number in range(indicators) for doc_id, value in (("kh-a", 80.0), ("kh-b", 70.0))
    ]
    return documents, targets


def _comparisons(indicators: int, monkeypatch: pytest.MonkeyPatch) -> tuple[Counter[str], int]:
    calls: Counter[str] = Counter()
    for name in ("same_plan", "is_unit_mismatch"):
        original = getattr(rules, name)

        def counted(*args: object, _name: str = name, _original=original) -> object:
            calls[_name] += 1
            return _original(*args)

        monkeypatch.setattr(rules, name, counted)
    documents, targets = _corpus(indicators)
    conflicts = consistency.find_conflicts(documents, [], targets)
    monkeypatch.undo()
    return calls, len(conflicts)


def test_conflict_check_work_is_linear_in_unrelated_indicators(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    small_calls, small_conflicts = _comparisons(50, monkeypatch)
    large_calls, large_conflicts = _comparisons(400, monkeypatch)
    assert small_conflicts == 50 and large_conflicts == 400  # one cross_doc finding each
    for name in ("same_plan", "is_unit_mismatch"):
        assert small_calls[name] > 0 and large_calls[name] == 8 * small_calls[name], (
            small_calls, large_calls)


def test_corpus_copies_are_renumbered_consistently_and_perturbed() -> None:
    text = PLANS["kh3450"].read_text(encoding="utf-8")
    copy = plan_variant(text, 7)
    assert "3450007/KH-UBND" in copy and "3450/KH-UBND" not in copy
    assert "08007-KH/TU" in copy and "08-KH/TU" not in copy  # the plan it implements, too
    assert "57-NQ/TW" in copy  # the resolution is the same for every copy
    assert copy != text and len(copy.splitlines()) == len(text.splitlines())
    assert variant_name("kh-3450-KH-UBND-2026-03-17.txt", 7) == \
        "kh-3450007-KH-UBND-2026-03-17.txt"
