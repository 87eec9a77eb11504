"""The gazetteer: names restored whole, not syllable by syllable.

The provinces (the 34 since 2025 and the former ones, normalizers/places.toml), the central
bodies and those that issue plans (places.toml, documents.toml), more bodies, titles and people
(data/names.toml), and the proper names of the clean text a model is built from (runs of two
or more capitalised syllables inside a sentence: "Lâm Đồng") make the gazetteer. Where a
line's words can spell a name — each word reads as the name's word (among its readings, or
the channel scores the name's word above NAME_MATCH_FLOOR for it: "Dak" for "Đắk", which is
no regular syllable) in the name's case pattern outside an all-capital heading ("To Lam",
"Tong Bi thu") — each of those words gets the name's word with a bonus that the language
model then weighs like any channel score.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources

from normalizers.documents import issuer_names
from normalizers.places import central_bodies, provinces
from normalizers.restore.tokens import Token, tokenize
from normalizers.unicode import is_syllable, normalize_text, strip_marks

NAMES_FILE = "data/names.toml"
_SECTIONS = ("bodies", "titles", "people")
NAME_MATCH_FLOOR = -9.0  # log P(observed | the name's word) from which a word can spell it

Name = tuple[str, ...]  # the name's tokens as written ("Tổng", "Bí", "thư")
Readings = Callable[[str], frozenset[str]]  # observed word -> the syllables it may stand for
Emission = Callable[[str, str], float]  # (word, observed) -> log P(observed | word), lower case


def shipped_names() -> list[str]:
    """The provinces (also as "tỉnh Lâm Đồng"), the central bodies and those that issue plans,
    and data/names.toml."""
    text = resources.files("normalizers.restore").joinpath(NAMES_FILE).read_text(
        encoding="utf-8")
    data = tomllib.loads(text)
    places = [written for province in provinces() for written in (province.name, province.label)]
    return [*places, *central_bodies(), *issuer_names(),
            *(name for section in _SECTIONS for name in data[section])]


def corpus_names(lines: Iterable[str]) -> set[str]:
    """Runs of two or more capitalised syllables after a sentence's first word, in lines that
    are not all capitals: the clean text's proper names ("tỉnh Lâm Đồng" -> "Lâm Đồng")."""
    names: set[str] = set()
    for line in lines:
        if line.upper() == line:
            continue
        run: list[str] = []
        for position, token in enumerate(tokenize(line)):
            if position and token.kind == "word" and is_syllable(token.text) \
                    and token.text[:1].isupper():
                run.append(token.text)
                continue
            if len(run) >= 2:
                names.add(" ".join(run))
            run = []
        if len(run) >= 2:
            names.add(" ".join(run))
    return names


@dataclass(frozen=True)
class Gazetteer:
    # the first word's letters without marks, lower case -> the names that open with it,
    # longest first
    by_first: dict[str, tuple[Name, ...]]
    openings: dict[str, tuple[Name, ...]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, names: Iterable[str]) -> Gazetteer:
        grouped: dict[str, set[Name]] = {}
        for name in names:
            tokens = tuple(token.text for token in tokenize(normalize_text(name)))
            if sum(token.isalpha() for token in tokens) >= 2 and tokens[0].isalpha():
                grouped.setdefault(_letters(tokens[0]), set()).add(tokens)
        return cls({first: tuple(sorted(found, key=len, reverse=True))
                    for first, found in grouped.items()})

    def syllables(self) -> list[str]:
        """Every syllable of every name (so the inventory can propose the regular ones)."""
        return [token for names in self.by_first.values() for name in names for token in name
                if is_syllable(token)]

    def matches(self, tokens: list[Token], heading: bool, readings: Readings,
                emission: Emission) -> dict[int, str]:
        """Token index -> the syllable (in the name's spelling) of the name the line's words
        spell there; the longest name wins, names do not overlap."""
        found: dict[int, str] = {}
        position = 0
        while position < len(tokens):
            name = self._name_at(tokens, position, heading, readings, emission)
            if name is None:
                position += 1
                continue
            for offset, written in enumerate(name):
                if tokens[position + offset].kind == "word":
                    found[position + offset] = written
            position += len(name)
        return found

    def _name_at(self, tokens: list[Token], position: int, heading: bool,
                 readings: Readings, emission: Emission) -> Name | None:
        token = tokens[position]
        if token.kind != "word":
            return None
        for name in self._opening(token.text, readings):
            if _spells(name, tokens[position : position + len(name)], heading, readings,
                       emission):
                return name
        return None

    def _opening(self, observed: str, readings: Readings) -> tuple[Name, ...]:
        """The names whose first word the observed word may be, longest first (then in a fixed
        order, so a restoration never depends on a process's string hashing), looked up once
        per word."""
        found = self.openings.get(observed)
        if found is None:
            keys = {_letters(observed), *(strip_marks(word) for word in readings(observed))}
            found = tuple(sorted((name for key in keys for name in self.by_first.get(key, ())),
                                 key=lambda name: (-len(name), name)))
            self.openings[observed] = found
        return found


def _spells(name: Name, tokens: list[Token], heading: bool, readings: Readings,
            emission: Emission) -> bool:
    if len(tokens) < len(name):
        return False
    for offset, (written, token) in enumerate(zip(name, tokens, strict=False)):
        if not written.isalpha():
            if token.text != written:
                return False
            continue
        # a name that opens in lower case ("tỉnh Lâm Đồng") may open a sentence ("Tỉnh …")
        opens_sentence = offset == 0 and written[:1].islower()
        if token.kind != "word" or not (heading or opens_sentence or
                                        written[:1].isupper() == token.text[:1].isupper()):
            return False
        word, observed = written.lower(), token.text.lower()
        if word not in readings(token.text) and emission(word, observed) < NAME_MATCH_FLOOR:
            return False
    return True


def _letters(word: str) -> str:
    return "".join(char for char in strip_marks(word).lower() if char.isalpha())
