"""Splitting lines into tokens, and the classes the language model sees them as.

A token keeps its character span so a repaired line keeps the input's spacing. Kinds:
`url`, `code` (document numbers such as 57-NQ/TW), `date`, `number`, `word` (letters, and the
digits and symbols an English OCR writes for Vietnamese letters: s6, v0'1, d&; a mark it
writes for a hook or horn ends the word when another word follows: "di? liéu"), `punct`
(a tab too: a table's cell boundary, which the language model must see, or "Công nghệ\tSở"
reads as "công nghệ số").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from normalizers.unicode import is_syllable

# Symbols an English OCR emits in place of Vietnamese letters, alone too: "& cac co quan" (ở).
OCR_LETTER_SYMBOLS = "€&¥¢@£§©®°"
_WORD_CHAR = rf"[^\W_]|[{OCR_LETTER_SYMBOLS}]"
# "$" only after a letter ("Quy m$" for "Quy mô"): alone it is the currency sign.
_INNER_CHAR = rf"{_WORD_CHAR}|\$"
_TOKEN = re.compile(
    rf"""
    (?P<url>(?:https?://|www\.)\S+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:vn|com|org|net|gov)\b\S*)
    |(?P<code>\d+[a-z]?(?:/\d+)?\ ?[-–—/]\ ?[A-ZĐ][A-ZĐa-z]*(?:[-/][A-ZĐ][A-ZĐa-z]*)+)
    |(?P<date>\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b)
    |(?P<number>(?>\d+(?:[.,]\d+)*%?)(?![^\W\d_]|[{OCR_LETTER_SYMBOLS}'’]))
    |(?P<word>(?:{_WORD_CHAR})(?:{_INNER_CHAR})*
      (?:['’?](?:{_WORD_CHAR})+)*(?:['’?](?=\ +[^\W\d_]))?)
    |(?P<punct>[^\s]|\t)
    """,
    re.VERBOSE,
)

_NUMBERED_NAME = re.compile(r"\d+[A-Z]+")  # 5G, 4G, 3D

# An English OCR reads ≥ as >: the model sees both as one token so either fits its context.
_COMPARATOR_CLASS = {">": "≥", "<": "≤"}

BOUNDARY = "<s>"
END = "</s>"
NUMBER_CLASS = "<num>"
CODE_CLASS = "<code>"
ACRONYM_CLASS = "<acr>"
FOREIGN_CLASS = "<oov>"


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    kind: str
    start: int
    end: int


def tokenize(line: str) -> list[Token]:
    return [
        Token(match.group(0), match.lastgroup or "punct", match.start(), match.end())
        for match in _TOKEN.finditer(line)
    ]


@lru_cache(maxsize=200_000)
def word_class(word: str) -> str:
    """What the language model sees for a word of clean text."""
    if is_syllable(word):
        return word.lower()
    letters = [char for char in word if char.isalpha()]
    if sum(char.isupper() for char in letters) >= 2 or _NUMBERED_NAME.fullmatch(word):
        return ACRONYM_CLASS
    return FOREIGN_CLASS


def lm_class(token: Token) -> str:
    if token.kind == "word":
        return word_class(token.text)
    if token.kind in ("number", "date"):
        return NUMBER_CLASS
    if token.kind in ("code", "url"):
        return CODE_CLASS
    return _COMPARATOR_CLASS.get(token.text, token.text)


def lm_sequence(line: str) -> list[str]:
    """The model's view of one clean line."""
    return [lm_class(token) for token in tokenize(line)]
