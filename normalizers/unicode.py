"""Unicode and tone-mark normalisation of Vietnamese text.

Every line goes through `normalize_text`: NFC, one tone-mark convention and a few look-alike
characters. The convention is the traditional one the Lâm Đồng plans use ("hóa", "thủy", "ủy"):
in an open syllable with a two-vowel nucleus the tone sits on the first vowel.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining tone marks: huyền, sắc, ngã, hỏi, nặng.
TONE_MARKS = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_VOWEL_MODIFIERS = ("\u0302", "\u0306", "\u031b")  # circumflex, breve, horn
VOWELS = set("aăâeêioôơuưy")
VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", base + tone)
    for base in "aăâeêioôơuưy"
    for tone in ("", *TONE_MARKS)
) | set("bcdđghklmnpqrstvx")
_MODIFIED_VOWELS = set("ăâêôơư")
_ONSET_SPELLINGS = "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x"
_RHYME_SPELLINGS = """
    a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
    e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
    i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
    o oc oi om on ong op ot oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn
    oăng oăt oe oen oet oeo oong ooc ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
    u uc ui um un ung up ut ua uân uâng uât uây uôc uôi uôm uôn uông uôt uê uêch uênh uơ
    uy uya uych uyên uyêt uyn uynh uyp uyt uyu
    ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
    y yêm yên yêng yêt yêu
    """
ONSETS = frozenset(_ONSET_SPELLINGS.split()) | {""}
RHYMES = frozenset(_RHYME_SPELLINGS.split())
_STOP_CODAS = ("c", "ch", "p", "t")
_LEVEL_OR_FALLING = ("", "\u0300", "\u0303", "\u0309")  # tones a stop coda cannot take

LOOK_ALIKES = str.maketrans({
    "\u00d0": "Đ",  # Latin capital eth, the OCR's and some fonts' Đ
    "\u0189": "Đ",  # African D
    "\u00f0": "đ",  # eth
    "\u00a0": " ",  # no-break space
    "\u2010": "-",
    "\u2011": "-",
})

_WORD = re.compile(r"[^\W\d_]+")


def strip_tone(letter_sequence: str) -> tuple[str, str]:
    """('hoá') -> ('hoa', '\u0301'): the word without its tone mark, and the mark ('' if none)."""
    decomposed = unicodedata.normalize("NFD", letter_sequence)
    tones = [char for char in decomposed if char in TONE_MARKS]
    bare = "".join(char for char in decomposed if char not in TONE_MARKS)
    return unicodedata.normalize("NFC", bare), (tones[-1] if tones else "")


_MARKS_OFF = dict.fromkeys(map(ord, TONE_MARKS + _VOWEL_MODIFIERS))


def strip_marks(text: str) -> str:
    """All diacritics off, đ -> d: the letters an English OCR would keep at best. (A table,
    not a loop over characters: folding for the extractors calls this 50,000 times a run.)"""
    bare = unicodedata.normalize("NFD", text).translate(_MARKS_OFF)
    return unicodedata.normalize("NFC", bare).replace("đ", "d").replace("Đ", "D")


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """Whether `word` (any case, any tone) is spelled like a Vietnamese syllable."""
    bare, tone = strip_tone(word.lower())
    if len(bare) > 7:
        return False
    for onset_length in range(min(3, len(bare)), -1, -1):
        onset, rhyme = bare[:onset_length], bare[onset_length:]
        if onset not in ONSETS:
            continue
        if onset == "gi" and rhyme == "":
            return True  # "gì"
        if (onset, rhyme[:1]) in (("gi", "i"), ("qu", "u")):
            continue  # "giin", "quu" are not words
        if rhyme in RHYMES and not (rhyme.endswith(_STOP_CODAS) and tone in _LEVEL_OR_FALLING):
            return True
    return False


def _nucleus_span(bare_lower: str) -> tuple[int, int] | None:
    """Start and end of the vowel nucleus, after the onsets 'qu' and 'gi'."""
    glide_onset = bare_lower.startswith("qu") or (
        bare_lower.startswith("gi") and len(bare_lower) > 2 and bare_lower[2] in VOWELS
    )
    start = 2 if glide_onset else 0
    while start < len(bare_lower) and bare_lower[start] not in VOWELS:
        start += 1
    if start == len(bare_lower):
        # "gì", "quỳ": the onset's own vowel carries the tone
        return (1, 2) if bare_lower[:2] in ("gi", "qu") else None
    end = start
    while end < len(bare_lower) and bare_lower[end] in VOWELS:
        end += 1
    return start, end


def tone_position(bare: str) -> int | None:
    """Index of the vowel that carries the tone in a toneless syllable (traditional style)."""
    lower = bare.lower()
    span = _nucleus_span(lower)
    if span is None:
        return None
    start, end = span
    nucleus = lower[start:end]
    for offset in range(len(nucleus) - 1, -1, -1):
        if nucleus[offset] in _MODIFIED_VOWELS:
            return start + offset  # "ươ" → the ơ
    has_coda = end < len(lower)
    if has_coda or len(nucleus) == 1:
        return end - 1 if has_coda else start
    if len(nucleus) == 3:
        return start + 1
    return start  # open two-vowel nucleus: hóa, thủy, múa


def place_tone(bare: str, tone: str) -> str:
    """Put a combining tone mark on the right vowel of `bare` and return NFC text."""
    if not tone:
        return bare
    position = tone_position(bare)
    if position is None:
        return bare
    marked = bare[: position + 1] + tone + bare[position + 1 :]
    return unicodedata.normalize("NFC", marked)


@lru_cache(maxsize=65536)
def normalize_word(word: str) -> str:
    """One Vietnamese syllable with its tone moved to the conventional vowel."""
    bare, tone = strip_tone(word)
    if not tone or not is_syllable(word):
        return word
    decomposed = unicodedata.normalize("NFD", word)
    if sum(char in TONE_MARKS for char in decomposed) != 1:
        return word
    return place_tone(bare, tone)


def normalize_text(text: str) -> str:
    """NFC, look-alikes, one tone convention. Idempotent; keeps the line's whitespace."""
    text = unicodedata.normalize("NFC", text).translate(LOOK_ALIKES)
    retoned = _WORD.sub(lambda match: normalize_word(match.group(0)), text)
    return unicodedata.normalize("NFC", retoned)  # a stray combining mark may compose now
