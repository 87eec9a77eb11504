"""Does a line need restoration? Stripped or garbled Vietnamese versus clean text.

Clean Vietnamese is dense in marked letters (ă ơ ư đ â ô, the hook and the dot below …); an
English OCR writes almost none of them, and leaves digits and symbols inside words (s6, d6i,
v0'1, 1€). A line needs repair when it has few such letters and looks like OCR.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from normalizers.restore.tokens import OCR_LETTER_SYMBOLS, Token, tokenize
from normalizers.unicode import VIETNAMESE_LETTERS, is_syllable, normalize_text

_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_FOREIGN_LATIN1 = {
    chr(code) for code in range(0xA0, 0x100) if chr(code) not in _VIETNAMESE_LATIN1
} - {"×", "÷"}
_OCR_SLIP = re.compile(rf"[^\W\d_][\d{OCR_LETTER_SYMBOLS}'’?]|[\d{OCR_LETTER_SYMBOLS}'’?][^\W\d_]")
_MIN_VIETNAMESE_SHARE = 0.2
_MAX_SLIP_SHARE = 0.25


def line_words(tokens: list[Token], heading: bool) -> list[str]:
    """Word tokens of a line that could be Vietnamese: acronyms in a mixed-case line (not an
    all-capital `heading`) are left out."""
    words = []
    for token in tokens:
        if token.kind != "word" or not any(char.isalpha() for char in token.text):
            continue
        if not heading and sum(char.isupper() for char in token.text) >= 2:
            continue
        words.append(token.text)
    return words


def _words(text: str) -> list[str]:
    normalised = normalize_text(text)
    return line_words(tokenize(normalised), normalised.upper() == normalised)


def _is_vietnamese_letter(char: str) -> bool:
    """A marked letter of the Vietnamese alphabet, except é: the one an English OCR writes
    for a score of different marked vowels (ế, ệ, ó, ố …)."""
    lower = char.lower()
    return not char.isascii() and lower != "é" and lower in VIETNAMESE_LETTERS


def repair_verdict(text: str) -> bool | None:
    """True: stripped or OCR-garbled Vietnamese. False: clean text, or nothing to repair.
    None: words without any evidence either way (a short unmarked line such as "doan moi.");
    the line's neighbours decide."""
    return _verdict(_words(text))


def _verdict(words: list[str]) -> bool | None:
    if not words:
        return False
    vietnamese_share = sum(
        any(_is_vietnamese_letter(char) for char in word) for word in words
    ) / len(words)
    slips = sum(
        bool(_OCR_SLIP.search(word)) or any(char in _FOREIGN_LATIN1 for char in word)
        for word in words
    )
    if vietnamese_share < _MIN_VIETNAMESE_SHARE and (len(words) >= 3 or slips):
        return True
    if slips / len(words) >= _MAX_SLIP_SHARE and vietnamese_share < 2 * _MIN_VIETNAMESE_SHARE:
        return True
    return None if vietnamese_share == 0 else False


def needs_repair(text: str) -> bool:
    """True for stripped or OCR-garbled Vietnamese; False for clean text and non-words."""
    return repair_verdict(text) is True


def repair_plan(lines: list[str]) -> list[bool]:
    """Which lines of a text to repair. A line without evidence follows the nearest line with
    words before it (at the start of the text: the nearest one after it)."""
    return plan_for_words([_words(line) for line in lines])


def plan_for_words(words_per_line: list[list[str]]) -> list[bool]:
    """`repair_plan` of lines given as their `line_words`."""
    verdicts = [_verdict(words) for words in words_per_line]
    evidence = [
        verdict if verdict is not None and words else None
        for words, verdict in zip(words_per_line, verdicts, strict=True)
    ]
    plan: list[bool] = []
    previous = next((verdict for verdict in evidence if verdict is not None), False)
    for verdict, seen in zip(verdicts, evidence, strict=True):
        if seen is not None:
            previous = seen
        plan.append(previous if verdict is None else verdict)
    return plan


_LETTER_RUN = re.compile(r"[^\W\d_]+")
# Vietnamese text, even stripped of its marks or garbled by an English OCR, spells more than
# half of its words as Vietnamese syllables; English, French or German text less than a third.
MIN_SYLLABLE_SHARE = 0.4
_MIN_WORDS_TO_JUDGE = 20


def vietnamese_syllable_share(texts: Iterable[str]) -> float | None:
    """Share of the words spelled like Vietnamese syllables; None when too few words to tell."""
    words = [word for text in texts for word in _LETTER_RUN.findall(normalize_text(text))]
    if len(words) < _MIN_WORDS_TO_JUDGE:
        return None
    return sum(is_syllable(word) for word in words) / len(words)
