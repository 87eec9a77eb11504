"""Every word of the lexicon's comparator and recurrence lists does what its list says."""

from __future__ import annotations

import pytest

from extractors import lexicon
from extractors.numbers import find_thresholds, parse_deadline
from extractors.targets import prose_drafts


@pytest.mark.parametrize(("word", "comparator"),
                         sorted(lexicon.mapping("comparators", "before").items()))
def test_a_comparator_word_before_a_number(word: str, comparator: str) -> None:
    (threshold,) = find_thresholds(f"Tỷ lệ hồ sơ {word} 45%")
    assert (threshold.comparator, threshold.value, threshold.unit) == (comparator, 45, "%")


@pytest.mark.parametrize(("word", "comparator"),
                         sorted(lexicon.mapping("comparators", "after").items()))
def test_a_comparator_word_after_a_number(word: str, comparator: str) -> None:
    (threshold,) = find_thresholds(f"45% {word}")
    assert threshold.comparator == comparator


@pytest.mark.parametrize("word", lexicon.words("recurrence", "per_year"))
def test_a_per_year_word_makes_a_yearly_target(word: str) -> None:
    (draft,) = prose_drafts(f"{word.capitalize()} có ít nhất 30 doanh nghiệp được hỗ trợ.")
    assert draft.per_year and (draft.comparator, draft.value) == (">=", 30)


@pytest.mark.parametrize("word", lexicon.words("recurrence", "task_cell"))
def test_a_recurring_deadline_cell(word: str) -> None:
    deadline = parse_deadline(word.capitalize())
    assert deadline is not None and deadline.recurring and deadline.due_date is None
