"""The Vietnamese word lists of the extractors, loaded once from lexicon.toml (package data).

Each list is named for what its words mean (comparators, recurrence, horizon words, units,
column headings, document kinds); rules elsewhere build their patterns from these names, so
one wording is known in one place.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from normalizers.unicode import normalize_text, strip_marks


@cache
def _data() -> dict[str, Any]:
    text = resources.files("extractors").joinpath("lexicon.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def fold_word(word: str) -> str:
    """A word folded like the text rules match on (no marks, lower case, đ → d)."""
    return strip_marks(normalize_text(word)).lower()


def words(section: str, name: str) -> tuple[str, ...]:
    """A list as written (with diacritics, NFC)."""
    return tuple(normalize_text(word) for word in _data()[section][name])


def folded(section: str, name: str) -> tuple[str, ...]:
    """A list folded like the text rules match on (no marks, lower case, đ → d)."""
    return tuple(fold_word(word) for word in _data()[section][name])


def mapping(section: str, name: str) -> dict[str, str]:
    """A word → value table as written (comparators)."""
    return {normalize_text(word): value for word, value in _data()[section][name].items()}


def alternation(section: str, name: str, fold_words: bool = True) -> str:
    """A regex alternation of a list, longest first ("không quá" before "quá"); words are
    escaped, except the anchors ^ and $ a column heading may carry."""
    chosen = folded(section, name) if fold_words else words(section, name)
    escaped = [re.escape(word).replace(r"\^", "^").replace(r"\$", "$")
               for word in sorted(chosen, key=len, reverse=True)]
    return "|".join(escaped)
