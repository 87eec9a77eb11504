"""What a restoration model is derived from, as counts a document adds to.

Everything the restorer learns from clean text is a count: the syllable trigrams (the language
model is re-derived from them by Kneser-Ney in a second), the syllables (the inventory the
channel proposes from), how often each syllable is capitalised inside a sentence, the
comparators written before numbers, the document numbers' segments, the acronyms and the
proper names. The packaged Vietnamese (news sentences, dictionary words, gazetteer) is counted
once into the base; a clean or confirmed document's counts are then added to a cached model's
(`Counts.add`), so a warehouse that gains a document updates its model instead of rebuilding it.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from normalizers.restore.codes import code_segments, segment_key
from normalizers.restore.lm import Bigram, Trigram
from normalizers.restore.names import corpus_names
from normalizers.restore.syllables import count_syllables
from normalizers.restore.tokens import (
    ACRONYM_CLASS,
    BOUNDARY,
    END,
    Token,
    lm_sequence,
    tokenize,
    word_class,
)
from normalizers.unicode import is_syllable, normalize_text, strip_marks

UNSEEN_CASE = ""
COMPARATORS = ("≥", ">", "≤", "<")
_SENTENCE_OPENERS = frozenset(".:;!?(-–—•*+\"“'\t")


def document_digest(lines: Sequence[str]) -> str:
    """What identifies a document's text among the counted ones."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return digest.hexdigest()[:20]


def trigrams(sequences: Iterable[list[str]]) -> Counter[Trigram]:
    counts: Counter[Trigram] = Counter()
    for sequence in sequences:
        padded = [BOUNDARY, BOUNDARY, *sequence, END]
        counts.update(zip(padded, padded[1:], padded[2:], strict=False))
    return counts


def mid_sentence_case(tokens: list[Token]) -> list[bool | None]:
    """Per token: is it a capitalised word inside a sentence (True), a lower-case one (False),
    or is its case no evidence (None: first word of the line or of a table cell, after
    . : ; ( or a bullet, not a word)?"""
    shapes: list[bool | None] = []
    previous: Token | None = None
    for token in tokens:
        opens = previous is None or previous.text in _SENTENCE_OPENERS
        if token.kind != "word" or opens or not token.text[:1].isalpha():
            shapes.append(None)
        else:
            shapes.append(token.text[:1].isupper())
        previous = token
    return shapes


@dataclass
class Counts:
    trigrams: Counter[Trigram] = field(default_factory=Counter)
    syllables: Counter[str] = field(default_factory=Counter)  # the inventory
    capital: Counter[str] = field(default_factory=Counter)  # capitalised inside a sentence
    lower: Counter[str] = field(default_factory=Counter)
    comparators: Counter[str] = field(default_factory=Counter)  # before a number
    code_pairs: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, issuer)
    code_segments: Counter[str] = field(default_factory=Counter)  # segments with Đ
    acronyms: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)  # the clean text's proper names
    documents: set[str] = field(default_factory=set)  # digests of the documents counted
    # the packaged parts, counted once into the base: syllable pairs of dictionary words (a
    # floor under their bigrams) and the gazetteer's shipped names
    lexicon: frozenset[Bigram] = frozenset()
    fixed_names: tuple[str, ...] = ()

    def add(self, lines: Sequence[str]) -> bool:
        """Count one document's clean lines in; False when it was counted already."""
        digest = document_digest(lines)
        if digest in self.documents:
            return False
        self.documents.add(digest)
        clean = [normalize_text(line) for line in lines if line.strip()]
        self.trigrams.update(trigrams(lm_sequence(line) for line in clean))
        self.syllables.update(count_syllables(clean))
        self.names.update(corpus_names(clean))
        for line in clean:
            tokens = tokenize(line)
            self._count_line(tokens)
            self._count_case(line, tokens)
        return True

    def add_names_and_case(self, lines: Sequence[str]) -> None:
        """Count only the proper names and the capitalisation of running text (the packaged
        news: it names many more people and places than plans do)."""
        clean = [normalize_text(line) for line in lines if line.strip()]
        self.names.update(corpus_names(clean))
        for line in clean:
            self._count_case(line, tokenize(line))

    def _count_case(self, line: str, tokens: list[Token]) -> None:
        if line.upper() != line:
            for token, shape in zip(tokens, mid_sentence_case(tokens), strict=True):
                if shape is not None and is_syllable(token.text):
                    (self.capital if shape else self.lower)[token.text.lower()] += 1

    def _count_line(self, tokens: list[Token]) -> None:
        for token, following in itertools.pairwise(tokens):
            if following.kind == "number" and token.text in COMPARATORS:
                self.comparators[token.text] += 1
        for token in tokens:
            if token.kind == "word" and word_class(token.text) == ACRONYM_CLASS:
                self.acronyms[token.text] += 1
            elif token.kind == "code":
                self._count_code(token.text)

    def _count_code(self, code: str) -> None:
        parts = code_segments(code)
        self.code_segments.update(part for part in parts if "Đ" in part)
        if len(parts) >= 2:
            self.code_pairs[(segment_key(parts[0]), segment_key(parts[1]))] += 1

    # ------------------------------------------------------------ what the model reads
    def comparator_shares(self) -> dict[str, float]:
        """Share of the mathematical form (≥, ≤) among comparators written before a number,
        smoothed: with no evidence it is ½, below the bar for restoring."""
        shares = {}
        for ascii_form, math_form in ((">", "≥"), ("<", "≤")):
            total = self.comparators[ascii_form] + self.comparators[math_form]
            shares[ascii_form] = (self.comparators[math_form] + 1) / (total + 2)  # never certain
        return shares

    def acronym_spellings(self) -> dict[str, str]:
        """Acronyms of the clean text by their mark-stripped spelling (DMST -> ĐMST), the most
        frequent spelling of each."""
        best: dict[str, tuple[int, str]] = {}
        for spelling, count in self.acronyms.items():
            key = strip_marks(spelling)
            if (count, spelling) > best.get(key, (0, "")):
                best[key] = (count, spelling)
        return {key: spelling for key, (_, spelling) in best.items()}

    def capital_logprobs(self) -> dict[str, tuple[float, float]]:
        """How often each syllable is capitalised inside a sentence ("Sở Tài chính", "số 5")."""
        capitals, lowers = sum(self.capital.values()), sum(self.lower.values())
        overall = (capitals + 1) / (capitals + lowers + 2)
        rates = {UNSEEN_CASE: (math.log(overall), math.log(1 - overall))}
        for syllable in self.capital.keys() | self.lower.keys():
            total = self.capital[syllable] + self.lower[syllable] + 1.0
            share = (self.capital[syllable] + overall) / total  # shrunk towards the overall rate
            rates[syllable] = (math.log(share), math.log(1 - share))
        return rates


def lexicon_pairs(words: Iterable[str]) -> frozenset[Bigram]:
    """Adjacent syllables inside dictionary words."""
    pairs: set[Bigram] = set()
    for word in words:
        syllables = normalize_text(word).lower().split()
        if len(syllables) >= 2 and all(is_syllable(syllable) for syllable in syllables):
            pairs.update(itertools.pairwise(syllables))
    return frozenset(pairs)
