"""The OCR channel: how a Vietnamese syllable comes out of an English-model OCR.

P(observed | syllable) factorises over the syllable's letters: each true letter (with its
marks) is written as zero, one or two observed characters ("ư" -> "u'", "ố" -> "6",
"ữ" -> "it"). The letter-level table is learned from aligned (clean syllable, OCR token)
pairs by hard-EM alignment, smoothed towards a prior of generic confusions.

Candidates for an observed token come from a beam search that reads the token left to right
and proposes the mark-stripped letters each piece could stand for, pruned by the prefixes of
known syllable skeletons; each surviving skeleton's syllables are then scored exactly.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from normalizers.unicode import strip_marks

Emission = str  # what the OCR wrote for one true letter: "", one or two characters
MAX_EMISSION = 2

# Generic look-alikes of an English OCR (true letter's base form -> what it writes).
GENERIC_CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("l", "1"), ("i", "1"), ("o", "0"), ("o", "6"), ("s", "5"), ("e", "€"), ("m", "rn"),
    ("u", "y"), ("a", "4"), ("e", "&"), ("u", "ti"), ("i", "l"), ("l", "i"), ("o", "d"),
    ("o", "b"), ("o", "9"), ("o", "q"), ("u", "w"), ("o", "$"), ("s", "$"),
)
_IDENTITY = 0.55
_SAME_BASE = 0.25
_LOOKS_ALIKE = 0.05
_DROPPED = 0.01
_ANY_OTHER_CHAR = 0.01 / 80
_ANY_OTHER_PAIR = 0.001 / 4000
_SMOOTHING = 8.0
# Text typed or exported without marks writes every letter as its base letter; the channel is a
# mixture of that and the learned OCR confusions, so such text scores fairly too.
STRIPPED_SHARE = 0.3
# Marks an English OCR writes next to a letter for its diacritic: "thu'c", "chi?c", "v0'1".
_STRAY_MARKS = ("'", "’", "?")
_STRAY_MARK_SHARE = 0.2
FAMILY_SHARE = 0.5  # weight of the letter family's pooled confusions in a letter's prior
MEMORY_MIN_COUNT = 2
# "in"/"ưn" read as one "m" (or "im"), seen before a final g/h: "trmh" (trình), "timg" (từng)
_MERGED_M = re.compile(r"(?P<merged>i?m)[gh]$")
_UNMERGED = {"m": ("in", "ưn", "n"), "im": ("ưn", "in")}
MERGED_PENALTY = math.log(0.05)
# Tokens the letter channel scores below this also get syllables a plain edit or two away.
FALLBACK_BELOW = -12.0
EDIT_LOGPROB = math.log(0.01)
NEAR_MAX_EDITS = 2
NEAR_MIN_LENGTH = 3
SHORT_TOKEN = 4  # tokens this long or shorter get syllables one edit away only
NEAR_MAX_LENGTH = 7
NEAR_LIMIT = 12
SKELETON_BEAM = 24  # partial skeletons kept per observed position
SKELETONS_SCORED = 8  # best skeletons whose syllables are scored


class Channel:
    """Letter-level emission log-probabilities with a smoothed prior."""

    def __init__(self, counts: dict[str, Counter[Emission]]) -> None:
        self.counts = counts
        self.totals = {letter: sum(emitted.values()) for letter, emitted in counts.items()}
        self.family_rates = _family_rates(counts)
        self._cache: dict[tuple[str, Emission], float] = {}

    @staticmethod
    def prior(letter: str, emitted: Emission) -> float:
        base = strip_marks(letter)
        if emitted == letter:
            return _IDENTITY
        if emitted == base:
            return _SAME_BASE
        if len(emitted) == 1 and strip_marks(emitted).lower() == base:
            return _LOOKS_ALIKE
        if (base, emitted) in GENERIC_CONFUSION_SET:
            return _LOOKS_ALIKE
        if not emitted:
            return _DROPPED
        if len(emitted) == 2 and (emitted[0] in _STRAY_MARKS or emitted[1] in _STRAY_MARKS):
            letter_part = emitted.strip("".join(_STRAY_MARKS))
            if letter_part and letter_part != emitted:
                return _STRAY_MARK_SHARE * Channel.prior(letter, letter_part)
        return _ANY_OTHER_CHAR if len(emitted) == 1 else _ANY_OTHER_PAIR

    def logprob(self, letter: str, emitted: Emission) -> float:
        key = (letter, emitted)
        found = self._cache.get(key)
        if found is None:
            seen = self.counts.get(letter)
            count = seen[emitted] if seen else 0
            total = self.totals.get(letter, 0)
            family_rate = self.family_rates.get(strip_marks(letter), {}).get(emitted, 0.0)
            prior = (1 - FAMILY_SHARE) * self.prior(letter, emitted) + FAMILY_SHARE * family_rate
            probability = (count + _SMOOTHING * prior) / (total + _SMOOTHING)
            if emitted == strip_marks(letter):
                probability = (1 - STRIPPED_SHARE) * probability + STRIPPED_SHARE
            else:
                probability *= 1 - STRIPPED_SHARE
            found = math.log(probability)
            self._cache[key] = found
        return found

    def align(self, syllable: str, observed: str) -> tuple[float, list[Emission]]:
        """Best segmentation of `observed` into one emission per letter of `syllable`."""
        rows, cols = len(syllable), len(observed)
        best = [[-math.inf] * (cols + 1) for _ in range(rows + 1)]
        back = [[0] * (cols + 1) for _ in range(rows + 1)]
        best[0][0] = 0.0
        for row in range(1, rows + 1):
            letter = syllable[row - 1]
            for col in range(cols + 1):
                for width in range(min(MAX_EMISSION, col) + 1):
                    previous = best[row - 1][col - width]
                    if previous == -math.inf:
                        continue
                    score = previous + self.logprob(letter, observed[col - width : col])
                    if score > best[row][col]:
                        best[row][col], back[row][col] = score, width
        emissions: list[Emission] = []
        col = cols
        for row in range(rows, 0, -1):
            width = back[row][col]
            emissions.append(observed[col - width : col])
            col -= width
        return best[rows][cols], emissions[::-1]

    @classmethod
    def learn(cls, pairs: Iterable[tuple[str, str]], iterations: int = 2) -> Channel:
        """Hard-EM over (true syllable, observed token) pairs, both lower case."""
        pair_counts = Counter(pairs)
        channel = cls({})
        for _ in range(iterations):
            counts: dict[str, Counter[Emission]] = defaultdict(Counter)
            for (syllable, observed), times in pair_counts.items():
                score, emissions = channel.align(syllable, observed)
                if score == -math.inf:
                    continue
                for letter, emitted in zip(syllable, emissions, strict=True):
                    counts[letter][emitted] += times
            channel = cls(dict(counts))
        return channel


GENERIC_CONFUSION_SET = frozenset(GENERIC_CONFUSIONS)


def _family_rates(counts: dict[str, Counter[Emission]]) -> dict[str, dict[Emission, float]]:
    """Base letter -> how often its family (a, á, â, ẫ …) is written as each unmarked
    emission. An OCR that writes "d" for "â" and "á" writes it for a rare "ã" too, though the
    pairs may hold too few "ã" to show it."""
    pooled: dict[str, Counter[Emission]] = defaultdict(Counter)
    for letter, emitted in counts.items():
        base = strip_marks(letter)
        for emission, times in emitted.items():
            if emission == strip_marks(emission) or strip_marks(emission) != base:
                pooled[base][emission] += times
    return {
        base: {emission: times / sum(emitted.values()) for emission, times in emitted.items()}
        for base, emitted in pooled.items()
    }


class CandidateGenerator:
    """Syllables an observed token may stand for, with log P(observed | syllable)."""

    def __init__(self, channel: Channel, skeletons: dict[str, list[str]],
                 memory: dict[str, dict[str, float]] | None = None,
                 beam: int = SKELETON_BEAM, limit: int = 60) -> None:
        self.channel = channel
        self.memory = memory or {}
        self.skeletons = skeletons
        self.prefixes = {
            skeleton[:end] for skeleton in skeletons for end in range(len(skeleton) + 1)
        }
        self.beam = beam
        self.limit = limit
        self.skeleton_keys = sorted(skeletons)
        self.readings = self._reverse_table()
        self.dropped = self._dropped_letters()

    def add_syllables(self, syllables: Iterable[str]) -> list[str]:
        """Syllables new to the inventory (a document's names, rare words); returns the
        skeletons that are new."""
        letters = self._letters()
        fresh: list[str] = []
        for syllable in syllables:
            skeleton = strip_marks(syllable)
            if skeleton not in self.skeletons:
                self.skeletons[skeleton] = []
                fresh.append(skeleton)
                self.prefixes.update(skeleton[:end] for end in range(len(skeleton) + 1))
            self.skeletons[skeleton].append(syllable)
        if fresh:
            self.skeleton_keys = sorted(self.skeletons)
        if not self._letters() <= letters:
            self.readings = self._reverse_table()
            self.dropped = self._dropped_letters()
        return fresh

    def _letters(self) -> set[str]:
        return {letter for syllables in self.skeletons.values() for s in syllables for letter in s}

    def _reverse_table(self) -> dict[Emission, list[tuple[str, float]]]:
        """Emission -> the base letters it can stand for, best first (max over marks)."""
        emissions: set[Emission] = set()
        for emitted in self.channel.counts.values():
            emissions.update(e for e in emitted if e)
        letters = self._letters()
        emissions.update(letters)
        emissions.update(strip_marks(letter) for letter in letters)
        emissions.update(emitted for _, emitted in GENERIC_CONFUSIONS)
        singles = [emitted for emitted in emissions if len(emitted) == 1]
        emissions.update(
            joined for emitted in singles for mark in _STRAY_MARKS
            for joined in (emitted + mark, mark + emitted)
        )
        table: dict[Emission, list[tuple[str, float]]] = {}
        for emitted in emissions:
            best: dict[str, float] = {}
            for letter in letters:
                score = self.channel.logprob(letter, emitted)
                base = strip_marks(letter)
                if score > best.get(base, -math.inf):
                    best[base] = score
            ranked = sorted(best.items(), key=lambda item: -item[1])
            table[emitted] = [(base, score) for base, score in ranked[:4] if score > -9.0]
        return table

    def _dropped_letters(self) -> list[tuple[str, float]]:
        best: dict[str, float] = {}
        for letter in self._letters():
            base = strip_marks(letter)
            best[base] = max(best.get(base, -math.inf), self.channel.logprob(letter, ""))
        return sorted(best.items(), key=lambda item: -item[1])[:4]

    def _skeleton_paths(self, observed: str) -> dict[str, tuple[float, tuple[Emission, ...]]]:
        """Beam search: skeletons the observed characters may spell, each with its best
        rough score and the emission (observed piece) of each of its letters."""
        # frontier[consumed] = {(skeleton prefix, drops used): (score, emissions)}
        frontier: list[dict[tuple[str, int], tuple[float, tuple[Emission, ...]]]] = [
            {} for _ in range(len(observed) + 1)
        ]
        frontier[0][("", 0)] = (0.0, ())
        found: dict[str, tuple[float, tuple[Emission, ...]]] = {}
        dropped = [(base, piece_score, "") for base, piece_score in self.dropped]
        for consumed, states in enumerate(frontier):
            for (prefix, drops), (score, emissions) in list(states.items()):
                if drops == 0:
                    self._extend_states(states, prefix, 1, score, emissions, dropped)
            # what each width of observed text from here may stand for, looked up once
            steps = [
                (consumed + width, [(base, piece_score, piece)
                                    for base, piece_score in self.readings.get(piece, ())])
                for width in range(1, MAX_EMISSION + 1) if consumed + width <= len(observed)
                for piece in (observed[consumed : consumed + width],)
            ]
            ranked = sorted(states.items(), key=lambda item: -item[1][0])[: self.beam]
            for (prefix, drops), (score, emissions) in ranked:
                if consumed == len(observed) and prefix in self.skeletons and (
                    prefix not in found or score > found[prefix][0]
                ):
                    found[prefix] = (score, emissions)
                for reached, extensions in steps:
                    self._extend_states(frontier[reached], prefix, drops, score, emissions,
                                        extensions)
        return found

    def _extend_states(self, states: dict[tuple[str, int], tuple[float, tuple[Emission, ...]]],
                       prefix: str, drops: int, score: float, emissions: tuple[Emission, ...],
                       extensions: list[tuple[str, float, Emission]]) -> None:
        """Add prefix + base for each (base letter, its score, its emission) that starts
        some skeleton, keeping the best score per (prefix, drops)."""
        prefixes = self.prefixes
        for base, piece_score, piece in extensions:
            extended = prefix + base
            if extended not in prefixes:
                continue
            key = (extended, drops)
            total = score + piece_score
            kept = states.get(key)
            if kept is None or total > kept[0]:
                states[key] = (total, (*emissions, piece))

    def candidates(self, observed: str) -> list[tuple[str, float]]:
        """Up to `limit` (syllable, log P(observed | syllable)), best first. Each syllable is
        scored letter by letter along its skeleton's best segmentation of `observed`; a token
        no Vietnamese syllable can spell because an "m" stands before a final "g" or "h" is
        also read with the "in"/"ưn" the OCR merged into that "m" ("trmh", "timg")."""
        best: dict[str, float] = {}
        for form, penalty in [(observed, 0.0), *_unmerged_forms(observed)]:
            for syllable, score in self._scored(form):
                best[syllable] = max(best.get(syllable, -math.inf), score + penalty)
        for syllable, remembered in self.memory.get(observed, {}).items():
            best[syllable] = max(best.get(syllable, -math.inf), remembered)
        if max(best.values(), default=-math.inf) < FALLBACK_BELOW:
            for syllable, score in self._near(observed):
                best[syllable] = max(best.get(syllable, -math.inf), score)
        scored = sorted(best.items(), key=lambda item: -item[1])
        return scored[: self.limit]

    def _near(self, observed: str) -> Iterable[tuple[str, float]]:
        """Syllables whose mark-stripped spelling is an edit or two from the token's: what the
        letter channel cannot reach ("lyuc" for "lực", "nghzep" for "nghiệp")."""
        key = stripped_letters(observed)
        stray = len(observed) - len(key)  # digits and symbols inside a word ("l1am") are edits
        if not NEAR_MIN_LENGTH <= len(key) <= NEAR_MAX_LENGTH or stray > 1:
            return
        most = (1 if len(key) <= SHORT_TOKEN else NEAR_MAX_EDITS) - stray  # short: many near
        for skeleton, distance, _ in process.extract(
                key, self.skeleton_keys, scorer=Levenshtein.distance, limit=NEAR_LIMIT,
                score_cutoff=most):
            for syllable in self.skeletons[skeleton]:
                yield syllable, (distance + stray) * EDIT_LOGPROB

    def _scored(self, observed: str) -> Iterable[tuple[str, float]]:
        paths = self._skeleton_paths(observed)
        ranked_skeletons = sorted(paths, key=lambda skeleton: -paths[skeleton][0])[
            :SKELETONS_SCORED
        ]
        logprob = self.channel.logprob
        for skeleton in ranked_skeletons:
            for syllable in self.skeletons[skeleton]:
                yield syllable, sum(map(logprob, syllable, paths[skeleton][1]))


@lru_cache(maxsize=65536)
def stripped_letters(observed: str) -> str:
    """The letters of a token without their marks (digits and symbols dropped): what its
    spelling is compared on with a syllable's."""
    return "".join(char for char in strip_marks(observed) if char.isalpha())


def _unmerged_forms(observed: str) -> list[tuple[str, float]]:
    """(form, log-penalty) for each way to undo an OCR's merging of "in"/"ưn" (and their
    marked kin) into "m" before a final "g" or "h": "mg", "mh" end no Vietnamese syllable."""
    match = _MERGED_M.search(observed)
    if match is None:
        return []
    start, end = match.span("merged")
    return [(observed[:start] + letters + observed[end:], MERGED_PENALTY)
            for letters in _UNMERGED.get(match["merged"], ())]


def token_memory(pairs: Iterable[tuple[str, str]],
                 min_count: int = MEMORY_MIN_COUNT) -> dict[str, dict[str, float]]:
    """Whole-token confusions seen often enough: observed -> {syllable: log P(observed |
    syllable)}. Catches what letter-by-letter emission cannot ("ty" for "ủy", "cia" for
    "của")."""
    pair_counts = Counter(pairs)
    syllable_counts: Counter[str] = Counter()
    for (syllable, _), times in pair_counts.items():
        syllable_counts[syllable] += times
    memory: dict[str, dict[str, float]] = defaultdict(dict)
    for (syllable, observed), times in pair_counts.items():
        if times >= min_count:
            memory[observed][syllable] = math.log(times / syllable_counts[syllable])
    return dict(memory)
