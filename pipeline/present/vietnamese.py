"""Vietnamese alphabetical order: a ă â b c d đ e ê … ư v x y, tones only breaking ties.

Python's default order puts "Ủy ban" after "Văn phòng" and "Đảng ủy" after every Latin letter;
a reader looks agencies up in the order of a Vietnamese dictionary.
"""

from __future__ import annotations

import unicodedata

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# A letter's own mark (breve, circumflex, horn) makes another letter; the five tone marks do not.
_LETTER_MARKS = frozenset({"\u0306", "\u0302", "\u031b"})
_MARKED = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê",
           ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
# Dictionary order of the tones: level, grave, hook above, tilde, acute, dot below.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}


def _letters(text: str) -> tuple[list[tuple[int, str]], list[int]]:
    letters: list[tuple[int, str]] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in _LETTER_MARKS and letters:
            marked = _MARKED.get((letters[-1][1], char))
            if marked:
                letters[-1] = (_RANK[marked], marked)
        elif char in _TONES:
            if tones:
                tones[-1] = _TONES[char]
        elif not unicodedata.combining(char):
            rank = _RANK.get(char, len(_ALPHABET) + ord(char)) if char.isalpha() else -1
            letters.append((rank, char))
            tones.append(0)
    return letters, tones


def vietnamese_key(text: str) -> tuple[tuple[tuple[int, str], ...], tuple[int, ...], str]:
    """A sort key: letters in the Vietnamese alphabet first, then tones, then the text itself
    (so two spellings never compare equal)."""
    letters, tones = _letters(text)
    return tuple(letters), tuple(tones), text
