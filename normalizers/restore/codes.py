"""Document numbers (57-NQ/TW, 283/KH-UBND, 01-KH/BCĐ): a small grammar instead of the
language model.

A number is NUMBER, a separator, then letter segments joined by - or /: the first names the
kind (NQ, KH, QĐ …; an official letter names its issuer instead), the rest the issuer. An
English OCR loses the Đ (QD), breaks the separator ("57— Q/TW"), drops a letter of the kind
("57-Q/TW") and reads the "số" before the number as digits ("50 57-NQ/TW"). Segments are
compared without marks and case; an unknown first segment becomes the kind a letter away
that the words before the number name ("Nghị quyết số …" -> NQ), or else the one the clean
text writes most often before the same issuer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from normalizers.documents import document_kinds, issuer_codes
from normalizers.unicode import strip_marks

_SEGMENT = re.compile(r"[^\W\d_]+")
# What an English OCR writes for the "số" before a document number: digits only.
_NUMBER_WORD = re.compile(r"5[069oO]")
_KIND_EDITS = 1


def segment_key(segment: str) -> str:
    """A segment as compared: without marks, in capitals."""
    return strip_marks(segment).upper()


def code_segments(code: str) -> list[str]:
    """The letter segments of a document number (57-NQ/TW -> NQ, TW)."""
    return _SEGMENT.findall(code)


def _folded_words(text: str) -> str:
    return " ".join(strip_marks(text).lower().split())


@dataclass(frozen=True)
class CodeGrammar:
    segments: dict[str, str]  # folded segment -> its spelling (QD -> QĐ)
    kinds: dict[str, str]  # folded kind abbreviation -> its spelling
    kind_names: dict[str, str]  # folded kind name ("nghi quyet") -> its abbreviation
    kind_counts: Counter[tuple[str, str]]  # (kind, next segment), folded, in clean text
    joinable: tuple[str, ...]  # issuers' codes with Đ, longest first (BCĐ, HĐND)

    @classmethod
    def from_counts(cls, pairs: Counter[tuple[str, str]], marked: Iterable[str]
                    ) -> CodeGrammar:
        """The shipped kinds and issuers, the (kind, issuer) pairs the clean text's numbers
        hold and the segments with Đ they write."""
        spellings = [abbreviation for abbreviation in document_kinds().values() if abbreviation]
        spellings.extend(issuer_codes())
        spellings.extend(sorted(marked))
        kinds = {segment_key(spelling): spelling
                 for spelling in document_kinds().values() if spelling}
        return cls(
            segments={segment_key(spelling): spelling for spelling in spellings},
            kinds=kinds,
            kind_names={_folded_words(name): abbreviation
                        for name, abbreviation in document_kinds().items() if abbreviation},
            kind_counts=Counter(pairs),
            joinable=tuple(sorted(
                {code for code in issuer_codes() if "Đ" in code and len(code) > 2},
                key=len, reverse=True)),
        )

    def repair(self, code: str, before: str) -> str:
        """The document number `code` with its separators closed up and its segments
        spelled as known; `before` is the (restored) text in front of it on its line."""
        compact = re.sub(r"\s*/\s*", "/", re.sub(r"\s*[-–—]\s*", "-", code))
        parts = _SEGMENT.findall(compact)
        if not parts:
            return compact
        first = self._first_segment(parts[0], segment_key(parts[1]) if len(parts) > 1 else "",
                                    before)
        segments = iter([first, *parts[1:]])
        return _SEGMENT.sub(lambda match: self._spelled(next(segments)), compact)

    def _first_segment(self, segment: str, following: str, before: str) -> str:
        key = segment_key(segment)
        if key in self.segments:
            return segment
        near = [kind for kind in self.kinds
                if Levenshtein.distance(kind, key, score_cutoff=_KIND_EDITS) <= _KIND_EDITS]
        if not near:
            return segment
        named = self._named_kind(before)
        if named is not None and segment_key(named) in near:
            return named
        best = max(near, key=lambda kind: self.kind_counts[(kind, following)])
        if self.kind_counts[(best, following)] == 0:
            return segment
        return self.kinds[best]

    def _named_kind(self, before: str) -> str | None:
        """The kind the words just before a number name ("Nghị quyết số", "Kế hoạch")."""
        words = _folded_words(before).rstrip(" :").removesuffix(" so")
        for name, abbreviation in self.kind_names.items():
            if words.endswith(name):
                return abbreviation
        return None

    def _spelled(self, segment: str) -> str:
        known = self.segments.get(segment_key(segment))
        if known is None:
            return self._joined(segment)
        return known.upper() if segment.isupper() and len(segment) > 1 else known

    def _joined(self, segment: str) -> str:
        """A segment that joins an issuer with Đ to another (BCDCP: Ban Chỉ đạo Chính phủ)
        gets its Đ back inside: BCĐCP."""
        if not segment.isupper():
            return segment
        for spelling in self.joinable:
            segment = segment.replace(strip_marks(spelling), spelling)
        return segment


def is_number_word(text: str) -> bool:
    """Is `text` what an English OCR makes of the "số" before a document number ("50")?"""
    return _NUMBER_WORD.fullmatch(text) is not None
