"""The restorer: noisy-channel repair of stripped or OCR-garbled Vietnamese lines.

For every word of a line that needs repair the channel proposes syllables (with
log P(observed | syllable)); the trigram model scores whole runs of lines; beam Viterbi picks
the best reading. Document numbers, numbers, dates, URLs and acronyms pass through, except the
Đ an English OCR loses inside document numbers (QD -> QĐ). A `>` before a number becomes `≥`
when the clean documents overwhelmingly write `≥` there; the offset is kept as uncertain.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import math
import os
import pickle
import re
import tempfile
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from normalizers.restore.align import aligned_pairs
from normalizers.restore.channel import (
    CandidateGenerator,
    Channel,
    stripped_letters,
    token_memory,
)
from normalizers.restore.codes import CodeGrammar, is_number_word
from normalizers.restore.counts import (
    UNSEEN_CASE,
    Counts,
    document_digest,
    lexicon_pairs,
    mid_sentence_case,
    trigrams,
)
from normalizers.restore.decoder import Candidate, best_path, posteriors
from normalizers.restore.detect import line_words, plan_for_words
from normalizers.restore.lm import KneserNeyLM
from normalizers.restore.names import Gazetteer, shipped_names
from normalizers.restore.syllables import (
    count_syllables,
    dictionary_words,
    district_names,
    interface_messages,
    news_sentences,
    resource_files,
    shipped_vocabulary,
    skeleton_index,
)
from normalizers.restore.tokens import (
    ACRONYM_CLASS,
    CODE_CLASS,
    FOREIGN_CLASS,
    OCR_LETTER_SYMBOLS,
    Token,
    lm_class,
    lm_sequence,
    tokenize,
    word_class,
)
from normalizers.unicode import is_syllable, normalize_text, strip_marks
from schemas.errors import ChitieuError
from schemas.records import RepairedLine, TokenRepair

PAIRS_TABLE = "data/ocr_pairs.tsv"  # package data, written by pipeline/dev/restore_data.py

MODEL_VERSION = "restore-5"
KEPT_MODELS = 8  # models of this many corpora stay in a cache (see _forget_old_models)
LEXICON_BIGRAM_FLOOR = -7.0  # log P(w | v) at least this when "v w" is a dictionary word
CHANNEL_WEIGHT = 0.7  # scale of log P(observed | syllable) against the language model
CANDIDATES_PER_TOKEN = 10
CANDIDATE_MARGIN = 7.0  # drop candidates this far (log) below the best by channel + unigram
DECODER_BEAM = 8  # trigram states kept per position
STATE_MARGIN = 8.0  # … and only those this close to the best
KEEP_AS_IS = -9.0  # log-score of leaving a non-syllable word as written
KEEP_PER_EXTRA_CHAR = -1.5
SYLLABLE_LENGTH = 5  # typical longest syllable spelling; longer unknown words pay per letter
KEEP_ACRONYM = -2.0  # … an unknown acronym-shaped word (two or more capitals)
SPLIT_BELOW = -8.0  # try cutting a token in pieces when its best syllable scores below this
MIN_SPLIT_PIECE = 2
MAX_SPLIT_LENGTH = 16
SPLIT_PIECE_OPTIONS = 3  # readings kept per piece of a split token
UNIGRAM_PRUNE_WEIGHT = 1.0
PREDICTION_FLOOR = math.log(0.05)  # log P(w | v) from which v predicts w
PREDICTING_CANDIDATES = 2  # readings of the previous word whose predictions are tried
PREDICTED_EDIT = -10.0  # log P(observed | predicted syllable) per letter edit
COMPARATOR_EVIDENCE = 0.8  # share of ≥ (vs >) before numbers in clean text needed to restore ≥
_COMPARATOR_OF = {">": "≥", "<": "≤"}
_MARKER_LOOK_ALIKES = {"¢": "c", "€": "e"}
CASE_WEIGHT = 0.5  # weight of the capitalisation evidence inside a sentence
# A repaired word below this posterior is doubtful: on 22 unseen texts (marks stripped) 48 % of
# such words were wrong, against 2.4 % of those above 0.9.
DOUBT_BELOW = 0.8
NAME_READINGS = CANDIDATES_PER_TOKEN  # readings of a word the gazetteer matches names on
NAME_BONUS = 4.0  # log-bonus of a name's syllable where the line's words spell the name
STRIPPED_RUN_SHARE = 0.97  # of a run's words spelling syllables, for it to read as stripped
STRIPPED_LETTER_CHANGE = -6.0  # … where a reading that changes a word's letters pays this
STALE_EDITS = 2  # a new syllable may change the readings of words this many edits from it


@dataclass(frozen=True)
class PairedDocument:
    """A clean document and an OCR reading of it: what the channel learns from."""

    clean_lines: tuple[str, ...]
    ocr_lines: tuple[str, ...]


def shipped_ocr_pairs(excluding: Collection[str] = ()) -> list[tuple[str, str]]:
    """(clean syllable, OCR token) pairs, repeated by their count, of the English-OCR readings
    the package ships (data/ocr_pairs.tsv), but those of the documents in `excluding`."""
    pairs: list[tuple[str, str]] = []
    for row in _pair_table_text().splitlines()[1:]:
        document, syllable, observed, count = row.split("\t")
        if document not in excluding:
            pairs.extend([(syllable, observed)] * int(count))
    return pairs


def _pair_table_text() -> str:
    return resources.files("normalizers.restore").joinpath(PAIRS_TABLE).read_text(
        encoding="utf-8")


def ocr_pair_table(documents: Mapping[str, PairedDocument]) -> str:
    """The text of data/ocr_pairs.tsv for these documents: each document's aligned (clean
    syllable, OCR token) pairs with their count, tab-separated, sorted."""
    rows = sorted(
        (name, syllable, observed, count)
        for name, document in documents.items()
        for (syllable, observed), count in Counter(
            aligned_pairs(document.clean_lines, document.ocr_lines)).items()
    )
    lines = ["document\tsyllable\tobserved\tcount"]
    lines.extend("\t".join(map(str, row)) for row in rows)
    return "\n".join(lines) + "\n"


def _predictions(lm: KneserNeyLM) -> dict[str, tuple[tuple[str, str], ...]]:
    """Syllable -> (syllable, mark-stripped spelling) of those the language model expects
    after it with at least PREDICTION_FLOOR log-probability."""
    predicted: dict[str, list[tuple[str, str]]] = {}
    for (context, word), logprob in lm.bigram.items():
        if logprob >= PREDICTION_FLOOR and is_syllable(word) and is_syllable(context):
            predicted.setdefault(context, []).append((word, strip_marks(word)))
    return {context: tuple(words) for context, words in predicted.items()}


_LIST_ITEM = re.compile(rf"\s*([^\W\d_]|[{OCR_LETTER_SYMBOLS}])\)")  # "a)", "d)", the OCR's "¢)"


def list_letters(lines: Iterable[str]) -> list[str | None]:
    """The list letter each line opens with ("a)", "¢)" -> "c"), or None. Vietnamese lists
    run a, b, c, d, đ, e …; an English OCR writes "đ)" as "d)", which shows as a second "d)"
    in a row."""
    letters: list[str | None] = []
    previous: str | None = None
    for line in lines:
        opening = _LIST_ITEM.match(line)
        if opening is None:
            letters.append(None)
            continue
        letter = _MARKER_LOOK_ALIKES.get(opening.group(1), opening.group(1))
        if letter.lower() == "d" and previous == "d":
            letter = "Đ" if letter.isupper() else "đ"
        letters.append(letter)
        previous = letter.lower()
    return letters


def _apply_case(syllable: str, observed: str, heading: bool) -> str:
    """The syllable in the observed token's case pattern, token by token: a word of two or
    more letters in capitals stays in capitals (in a heading, and inside a sentence too: "KE
    HOACH thuc hien" -> "KẾ HOẠCH thực hiện"); a capital first letter stays one ("So Khoa
    hoc" -> "Sở Khoa học"); a lower-case word stays lower case."""
    if heading or _all_capitals(observed):
        return syllable.upper()
    if observed[:1].isupper():
        return syllable[:1].upper() + syllable[1:]
    return syllable


def _is_heading(line: str, tokens: list[Token]) -> bool:
    """A line in capitals: no lower-case letter, and a word of two or more letters to show it
    ("S6: 11/2015/QD-UBND", a letterhead's number line, is no heading: its one word keeps its
    own case)."""
    return line.upper() == line and any(
        token.kind == "word" and sum(char.isalpha() for char in token.text) >= 2
        for token in tokens)


def _all_capitals(observed: str) -> bool:
    letters = [char for char in observed if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


@dataclass(frozen=True)
class _Texts:
    """The lines being restored, read once: as given, normalised, tokenized, list letters."""

    raw: list[str]
    normalised: list[str]
    tokens: list[list[Token]]
    markers: list[str | None]


@dataclass
class Restorer:
    lm: KneserNeyLM
    generator: CandidateGenerator
    comparator_shares: dict[str, float]
    codes: CodeGrammar  # the document-number grammar
    acronyms: dict[str, str]  # mark-stripped acronym of the clean text -> its spelling (ĐMST)
    capital_logprobs: dict[str, tuple[float, float]]  # syllable -> log P(Capital), log P(lower)
    gazetteer: Gazetteer
    # lower-case observed form -> (syllable, channel, channel + unigram), best first: built at
    # training for every mark-stripped syllable and every OCR token of the pairs (a new text
    # then mostly looks its words up), grown as text is restored
    readings: dict[str, list[tuple[str, float, float]]] = field(default_factory=dict,
                                                                 repr=False)
    # syllable -> (syllable, its mark-stripped spelling) of those that follow it with a high
    # probability ("thu" -> ("hút", "hut"))
    predictions: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict,
                                                                repr=False)
    counts: Counts | None = field(default=None, repr=False)  # what it is derived from
    _token_cache: dict[tuple[str, bool, bool | None], list[Candidate]] = field(
        default_factory=dict, repr=False)
    _reading_sets: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _emissions: dict[tuple[str, str], float] = field(default_factory=dict, repr=False)
    _predicted_cache: dict[tuple[tuple[str, ...], str, bool, bool | None], list[Candidate]] = (
        field(default_factory=dict, repr=False))

    # ------------------------------------------------------------ building and learning
    @classmethod
    def build(cls, corpus: Iterable[str],
              ocr_pairs: Sequence[tuple[str, str]] | None = None) -> Restorer:
        """Learn the model from clean lines (+ packaged Vietnamese) and (clean syllable, OCR
        token) pairs (default: the shipped ones)."""
        restorer = cls.base(ocr_pairs)
        restorer.learn([list(corpus)])
        return restorer

    @classmethod
    def base(cls, ocr_pairs: Sequence[tuple[str, str]] | None = None) -> Restorer:
        """The model of no document: the packaged Vietnamese, the gazetteer and the letter
        channel of the OCR pairs, with the readings of every syllable's mark-stripped
        spelling and of every OCR token of the pairs worked out."""
        news_lines = [normalize_text(line) for line in news_sentences()]
        phrases, acronyms = shipped_vocabulary()
        words = [*dictionary_words(), *phrases]
        fixed_names = (*shipped_names(), *district_names())
        counts = Counts(lexicon=lexicon_pairs(words), fixed_names=fixed_names)
        counts.trigrams.update(trigrams(lm_sequence(line) for line in [*news_lines, *phrases]))
        counts.add_names_and_case(news_lines)
        counts.acronyms.update(acronyms)
        counts.code_segments.update(acronym for acronym in acronyms if "Đ" in acronym)
        counts.syllables.update(count_syllables([*news_lines, *interface_messages(), *words,
                                                 *fixed_names]))
        pairs = shipped_ocr_pairs() if ocr_pairs is None else list(ocr_pairs)
        generator = CandidateGenerator(
            Channel.learn(pairs), skeleton_index(counts.syllables), token_memory(pairs)
        )
        restorer = cls._derived(counts, generator)
        for observed in {*generator.skeletons, *(ocr for _, ocr in pairs)}:
            restorer._ranked_syllables(observed)
        return restorer

    @classmethod
    def _derived(cls, counts: Counts, generator: CandidateGenerator) -> Restorer:
        lm = KneserNeyLM.from_counts(counts.trigrams, vocabulary_size=len(counts.syllables))
        lm.raise_bigrams(counts.lexicon, LEXICON_BIGRAM_FLOOR)
        return cls(lm, generator, counts.comparator_shares(),
                   CodeGrammar.from_counts(counts.code_pairs, counts.code_segments),
                   counts.acronym_spellings(), counts.capital_logprobs(),
                   Gazetteer.build([*counts.fixed_names, *counts.names]),
                   predictions=_predictions(lm), counts=counts)

    def learn(self, documents: Iterable[Sequence[str]]) -> int:
        """Add the clean lines of each document to what the model counts and re-derive it
        from the counts (seconds, where a build takes tens of them): the channel is kept, the
        readings of the words are re-ranked by the new unigrams, and those a syllable new to
        the inventory may change are worked out again. Returns how many documents were new."""
        counts = self._counts()
        known = set(counts.syllables)
        added = sum(counts.add(lines) for lines in documents)
        if not added:
            return 0
        new_syllables = [syllable for syllable in counts.syllables if syllable not in known]
        new_skeletons = self.generator.add_syllables(new_syllables)
        derived = self._derived(counts, self.generator)
        for name in ("lm", "comparator_shares", "codes", "acronyms", "capital_logprobs",
                     "gazetteer", "predictions"):
            setattr(self, name, getattr(derived, name))
        self._token_cache.clear()
        self._reading_sets.clear()
        self._predicted_cache.clear()
        self._rerank_readings({strip_marks(syllable) for syllable in new_syllables},
                              new_skeletons)
        return added

    def _counts(self) -> Counts:
        if self.counts is None:
            raise ValueError("this model was loaded without its counts: it cannot learn")
        return self.counts

    def _rerank_readings(self, changed: set[str], new_skeletons: list[str]) -> None:
        """Readings by the new unigrams; those of words whose letters are within
        STALE_EDITS of a changed skeleton again from the channel, as their candidates may
        now include a new syllable."""
        by_letters: dict[str, list[str]] = {}
        for observed in self.readings:
            by_letters.setdefault(stripped_letters(observed), []).append(observed)
        letters = list(by_letters)
        stale = {observed for skeleton in changed
                 for _, _, index in process.extract(skeleton, letters,
                                                    scorer=Levenshtein.distance,
                                                    score_cutoff=STALE_EDITS, limit=None)
                 for observed in by_letters[letters[index]]}
        unigram, unseen = self.lm.unigram, self.lm.unseen_unigram
        readings = {}
        for observed, ranked in self.readings.items():
            if observed in stale:
                continue
            readings[observed] = sorted(
                ((syllable, channel, channel + UNIGRAM_PRUNE_WEIGHT * unigram.get(syllable,
                                                                                  unseen))
                 for syllable, channel, _ in ranked), key=lambda item: -item[2])
        self.readings = readings
        for observed in (*stale, *new_skeletons):
            self._ranked_syllables(observed)

    def save(self, path: Path, counts_path: Path | None = None) -> None:
        """The model (what restoring reads); its counts (what learning reads) beside it."""
        state = (MODEL_VERSION, self.lm, self.generator, self.comparator_shares,
                 self.codes, self.acronyms, self.capital_logprobs, self.gazetteer, self.readings,
                 self.predictions)
        _write_pickle(path, state)
        if counts_path is not None:
            _write_pickle(counts_path, (MODEL_VERSION, self._counts()))

    @classmethod
    def load(cls, path: Path, counts_path: Path | None = None) -> Restorer:
        version, *parts = _read_pickle(path)
        if version != MODEL_VERSION:
            raise ValueError(f"{path}: restorer model of version {version}, need {MODEL_VERSION}")
        restorer = cls(*parts)
        if counts_path is not None:
            version, restorer.counts = _read_pickle(counts_path)
            if version != MODEL_VERSION:
                raise ValueError(f"{counts_path}: counts of version {version}")
        return restorer

    # ------------------------------------------------------------ restoring
    def restore_line(self, text: str) -> RepairedLine:
        return self.restore_lines([text])[0]

    def restore_lines(self, lines: list[str]) -> list[RepairedLine]:
        """Line N of the result repairs line N of `lines`; runs of lines are decoded together."""
        normalised = [normalize_text(line) for line in lines]
        tokens_per_line = [tokenize(line) for line in normalised]
        plan = plan_for_words([line_words(tokens, _is_heading(line, tokens))
                               for line, tokens in zip(normalised, tokens_per_line, strict=True)])
        texts = _Texts(lines, normalised, tokens_per_line, list_letters(lines))
        results: list[RepairedLine | None] = [None] * len(lines)
        run: list[int] = []
        for index, (line, repair) in enumerate(zip(lines, plan, strict=True)):
            if repair:
                run.append(index)
                continue
            self._restore_run(texts, run, results)
            run = []
            results[index] = RepairedLine(raw_text=line, text=line, changed=False, confidence=1.0)
        self._restore_run(texts, run, results)
        return [result for result in results if result is not None]

    def _restore_run(self, texts: _Texts, run: list[int],
                     results: list[RepairedLine | None]) -> None:
        if not run:
            return
        normalised = [texts.normalised[index] for index in run]
        tokens_per_line = [texts.tokens[index] for index in run]
        lattice: list[list[Candidate]] = []
        stripped = self._stripped_run(tokens_per_line)
        for index, line, tokens in zip(run, normalised, tokens_per_line, strict=True):
            heading = _is_heading(line, tokens)
            shapes = [None] * len(tokens) if heading else mid_sentence_case(tokens)
            marker = texts.markers[index]
            names = self.gazetteer.matches(tokens, heading, self._reading_set, self._emission)
            for number, (token, shape) in enumerate(zip(tokens, shapes, strict=True)):
                if number == 0 and marker:
                    lattice.append([Candidate(marker, (marker.lower(),), 0.0)])
                    continue
                candidates = self._candidates(token, heading, shape)
                if lattice and token.kind == "word":
                    candidates = self._with_predicted(candidates, lattice[-1], token, heading,
                                                      shape)
                if stripped:
                    candidates = self._faithful(candidates, token)
                if number in names:
                    candidates = self._with_name(candidates, token, names[number], heading)
                lattice.append(candidates)
        choices = best_path(lattice, self.lm, DECODER_BEAM, STATE_MARGIN)
        flat_tokens = [token for tokens in tokens_per_line for token in tokens]
        changed = [
            candidates[choice].surface != token.text
            for candidates, choice, token in zip(lattice, choices, flat_tokens, strict=True)
        ]
        confidences = posteriors(lattice, choices, self.lm, changed)
        position = 0
        for index, line, tokens in zip(run, normalised, tokens_per_line, strict=True):
            chosen = [
                (lattice[position + offset][choices[position + offset]].surface,
                 confidences[position + offset])
                for offset in range(len(tokens))
            ]
            position += len(tokens)
            results[index] = self._assemble(texts.raw[index], line, tokens, chosen)

    def _assemble(self, raw: str, line: str, tokens: list[Token],
                  chosen: list[tuple[str, float]]) -> RepairedLine:
        pieces: list[str] = []
        repairs: list[TokenRepair] = []
        uncertain: list[int] = []
        cursor = 0
        length = 0
        for number, (token, (surface, confidence)) in enumerate(zip(tokens, chosen, strict=True)):
            gap = line[cursor : token.start]
            pieces.append(gap)
            length += len(gap)
            if token.kind == "code":
                surface = self.codes.repair(token.text, "".join(pieces))
            elif _precedes_code(tokens, number) and is_number_word(token.text):
                surface = _apply_case("số", token.text, _is_heading(line, tokens))
            if token.text in _COMPARATOR_OF and self._comparator_restorable(tokens, number):
                surface = _COMPARATOR_OF[token.text]
                uncertain.append(length)
                confidence = self.comparator_shares[token.text]
            if surface != token.text:
                repairs.append(TokenRepair(start=length, end=length + len(surface),
                                           raw=token.text, repaired=surface,
                                           confidence=round(confidence, 4)))
            pieces.append(surface)
            length += len(surface)
            cursor = token.end
        pieces.append(line[cursor:])
        text = "".join(pieces)
        confidence = min((repair.confidence for repair in repairs), default=1.0)
        return RepairedLine(raw_text=raw, text=text, changed=text != raw,
                            confidence=confidence, tokens=tuple(repairs),
                            uncertain_comparators=tuple(uncertain))

    def _comparator_restorable(self, tokens: list[Token], number: int) -> bool:
        following = tokens[number + 1] if number + 1 < len(tokens) else None
        return (
            following is not None
            and following.kind == "number"
            and self.comparator_shares.get(tokens[number].text, 0.0) >= COMPARATOR_EVIDENCE
        )

    def _stripped_run(self, tokens_per_line: list[list[Token]]) -> bool:
        """Do the run's words read as text whose marks were stripped (plain letters spelling
        known syllables, nearly all of them), not as an OCR's slips?"""
        skeletons = self.generator.skeletons
        # acronyms (UBND, GRDP) spell no syllable, stripped or not: they are no evidence
        words = [token.text.lower() for tokens in tokens_per_line for token in tokens
                 if token.kind == "word" and (token.text.lower() in skeletons
                                              or word_class(token.text) != ACRONYM_CLASS)]
        spelled = sum(word.isascii() and word in self.generator.skeletons for word in words)
        return bool(words) and spelled >= STRIPPED_RUN_SHARE * len(words)

    def _faithful(self, candidates: list[Candidate], token: Token) -> list[Candidate]:
        """In a stripped run, a word that spells a syllable without marks stands for one of
        that spelling: the readings that change its letters ("ty" -> "tự", a confusion only an
        OCR makes) pay STRIPPED_LETTER_CHANGE."""
        observed = token.text.lower()
        if token.kind != "word":
            return candidates
        if observed not in self.generator.skeletons:
            if not (observed.isascii() and observed.isalpha()):
                return candidates
            # stripping marks leaves a syllable's spelling: plain letters that spell none
            # ("date", "online") are a foreign word or an acronym, kept as written (an
            # acronym as the clean text spells it: HDND -> HĐND)
            kept = self.acronyms.get(strip_marks(token.text), token.text)
            return [Candidate(kept, (word_class(token.text),), 0.0),
                    *(Candidate(candidate.surface, candidate.lm_tokens,
                                candidate.channel + STRIPPED_LETTER_CHANGE)
                      for candidate in candidates if candidate.surface != kept)]
        return [candidate if len(candidate.lm_tokens) == 1 and strip_marks(
                    candidate.surface).lower() == observed
                else Candidate(candidate.surface, candidate.lm_tokens,
                               candidate.channel + STRIPPED_LETTER_CHANGE)
                for candidate in candidates]

    def _candidates(self, token: Token, heading: bool, capital: bool | None) -> list[Candidate]:
        key = (token.text if token.kind == "word" else token.kind + "\0" + token.text, heading,
               capital)
        found = self._token_cache.get(key)
        if found is None:
            found = self._build_candidates(token, heading, capital)
            self._token_cache[key] = found
        return found

    def _with_predicted(self, candidates: list[Candidate], previous: list[Candidate],
                        token: Token, heading: bool, capital: bool | None) -> list[Candidate]:
        """`candidates` plus the syllables the previous word's likeliest readings strongly
        predict ("thu" -> "hút") that are an edit away from the token: what an OCR misread
        beyond the letter channel ("thu hat", "Mặt trén") the context can still restore."""
        contexts = tuple(candidate.lm_tokens[-1] for candidate in previous[:PREDICTING_CANDIDATES])
        predicted = [word for context in contexts for word in self.predictions.get(context, ())]
        if not predicted:
            return candidates
        key = (contexts, token.text, heading, capital)
        found = self._predicted_cache.get(key)
        if found is None:
            found = candidates + self._predicted(predicted, candidates, token, heading, capital)
            self._predicted_cache[key] = found
        return found

    def _predicted(self, predicted: list[tuple[str, str]], candidates: list[Candidate],
                   token: Token, heading: bool, capital: bool | None) -> list[Candidate]:
        letters = stripped_letters(token.text.lower())
        near = [(word, distance) for word, spelling in predicted
                if (distance := Levenshtein.distance(spelling, letters, score_cutoff=1)) <= 1]
        if not near:
            return []
        present = {candidate.lm_tokens for candidate in candidates}
        extra: list[Candidate] = []
        for word, distance in near:
            if (word,) in present:
                continue
            channel = distance * PREDICTED_EDIT if distance else next(
                (channel for syllable, channel, _ in self._ranked_syllables(token.text.lower())
                 if syllable == word), None)
            if channel is None:
                continue
            present.add((word,))
            extra.append(Candidate(_apply_case(word, token.text, heading), (word,),
                                   CHANNEL_WEIGHT * channel + self._case_score(word, capital)))
        return extra

    def _reading_set(self, observed: str) -> frozenset[str]:
        """The syllables a word may stand for, as the gazetteer matches names on them."""
        found = self._reading_sets.get(observed)
        if found is None:
            found = frozenset(syllable for syllable, _, _ in
                              self._ranked_syllables(observed.lower())[:NAME_READINGS])
            self._reading_sets[observed] = found
        return found

    def _with_name(self, candidates: list[Candidate], token: Token, written: str,
                   heading: bool) -> list[Candidate]:
        """`candidates` with the word of the name the line spells here, scored by the letter
        channel and raised by NAME_BONUS (a non-syllable such as "Đắk" is a foreign word to
        the language model)."""
        word = written.lower()
        lm_token = word_class(word)
        named = Candidate(_apply_case(word, token.text, heading), (lm_token,),
                          CHANNEL_WEIGHT * self._emission(word, token.text.lower()) + NAME_BONUS)
        return [named, *(candidate for candidate in candidates
                         if candidate.lm_tokens != (lm_token,))]

    def _emission(self, word: str, observed: str) -> float:
        """log P(observed | word) by the letter channel, for a name's word."""
        found = self._emissions.get((word, observed))
        if found is None:
            found = self.generator.channel.align(word, observed)[0]
            self._emissions[(word, observed)] = found
        return found

    def _case_score(self, syllable: str, capital: bool | None) -> float:
        if capital is None:
            return 0.0
        rates = self.capital_logprobs.get(syllable) or self.capital_logprobs[UNSEEN_CASE]
        return CASE_WEIGHT * (rates[0] if capital else rates[1])

    def _build_candidates(self, token: Token, heading: bool,
                          capital: bool | None) -> list[Candidate]:
        if token.kind == "code":
            return [Candidate(token.text, (CODE_CLASS,), 0.0)]
        if token.kind != "word":
            return [Candidate(token.text, (lm_class(token),), 0.0)]
        if capital and len(token.text) == 1:  # a label inside a sentence: "nhóm A", "Phụ lục B"
            return [Candidate(token.text, (ACRONYM_CLASS,), 0.0)]
        ranked = self._ranked_syllables(token.text.lower())
        floor = ranked[0][2] - CANDIDATE_MARGIN if ranked else 0.0
        candidates = [
            Candidate(_apply_case(syllable, token.text, heading), (syllable,),
                      CHANNEL_WEIGHT * channel + self._case_score(syllable, capital))
            for syllable, channel, prior in ranked[:CANDIDATES_PER_TOKEN]
            if prior >= floor
        ]
        best_single = max((channel for _, channel, _ in ranked), default=-math.inf)
        if best_single < SPLIT_BELOW and len(token.text) >= 2 * MIN_SPLIT_PIECE:
            candidates.extend(self._split_candidates(token.text, heading))
        own_class = word_class(token.text)
        if own_class in (ACRONYM_CLASS, FOREIGN_CLASS) or not candidates:
            candidates.append(Candidate(
                self.acronyms.get(strip_marks(token.text), token.text),
                (own_class,),
                self._keep_score(token.text, own_class, heading),
            ))
        return candidates

    def _ranked_syllables(self, observed: str) -> list[tuple[str, float, float]]:
        """(syllable, channel, channel + unigram) for a lower-case observed piece, best
        first by the latter."""
        found = self.readings.get(observed)
        if found is not None:
            return found
        scored = self.generator.candidates(observed)
        if is_syllable(observed) and all(syllable != observed for syllable, _ in scored):
            scored.append((observed, self.generator.channel.align(observed, observed)[0]))
        unigram, unseen = self.lm.unigram, self.lm.unseen_unigram
        ranked = sorted(
            ((syllable, channel, channel + UNIGRAM_PRUNE_WEIGHT * unigram.get(syllable, unseen))
             for syllable, channel in scored),
            key=lambda item: -item[2],
        )
        self.readings[observed] = ranked
        return ranked

    def _piece_score(self, observed: str) -> float:
        ranked = self._ranked_syllables(observed)
        return ranked[0][2] if ranked else -math.inf

    def _split_candidates(self, text: str, heading: bool) -> list[Candidate]:
        """Readings of a token the OCR merged from two or three syllables ("vanban")."""
        observed = text.lower()
        best_cuts: tuple[int, ...] = ()
        best_score = -math.inf
        for cuts in _cut_points(len(observed)):
            bounds = (0, *cuts, len(observed))
            score = sum(
                self._piece_score(observed[start:end])
                for start, end in itertools.pairwise(bounds)
            )
            if score > best_score:
                best_cuts, best_score = cuts, score
        if not best_cuts:
            return []
        bounds = (0, *best_cuts, len(observed))
        options = [
            [(_apply_case(syllable, text[start:end], heading), syllable, channel)
             for syllable, channel, _ in
             self._ranked_syllables(observed[start:end])[:SPLIT_PIECE_OPTIONS]]
            for start, end in itertools.pairwise(bounds)
        ]
        return [
            Candidate(
                " ".join(surface for surface, _, _ in combination),
                tuple(syllable for _, syllable, _ in combination),
                CHANNEL_WEIGHT * sum(channel for _, _, channel in combination),
            )
            for combination in itertools.product(*options)
        ]

    def _keep_score(self, text: str, own_class: str, heading: bool) -> float:
        """Log-score of leaving a word as written: known acronyms are free, other acronym-
        shaped words (outside all-capital headings) cheap, anything else dear, and the dearer
        the longer: a long unknown word is more likely syllables the OCR ran together."""
        if strip_marks(text) in self.acronyms:
            return 0.0
        if own_class == ACRONYM_CLASS and not heading:
            return KEEP_ACRONYM
        return KEEP_AS_IS + KEEP_PER_EXTRA_CHAR * max(0, len(text) - SYLLABLE_LENGTH)


def doubtful(repairs: Iterable[TokenRepair]) -> list[TokenRepair]:
    """The repairs restoration is not sure of (confidence below DOUBT_BELOW): what a reader
    should check against the original."""
    return [repair for repair in repairs if repair.confidence < DOUBT_BELOW]


def _precedes_code(tokens: list[Token], number: int) -> bool:
    return number + 1 < len(tokens) and tokens[number + 1].kind == "code"


def _cut_points(length: int) -> list[tuple[int, ...]]:
    """Where a token of `length` characters may be cut into 2 or 3 pieces."""
    positions = range(MIN_SPLIT_PIECE, length - MIN_SPLIT_PIECE + 1)
    two = [(cut,) for cut in positions]
    three = [
        (first, second) for first in positions for second in positions
        if second - first >= MIN_SPLIT_PIECE
    ]
    return two + (three if length <= MAX_SPLIT_LENGTH else [])


class RestoreInputError(ChitieuError, ValueError):
    """A file to restore or learn from that cannot be read as text."""


def read_text_lines(path: Path) -> list[str]:
    """The lines of a UTF-8 text file; one clear error naming the file otherwise."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RestoreInputError(f"{path}: không đọc được tệp ({error.strerror}).") from error
    if b"\x00" in data:
        raise RestoreInputError(f"{path}: không phải tệp văn bản (có byte NUL); "
                                "hãy đưa vào tệp .txt mã UTF-8.")
    try:
        return data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        raise RestoreInputError(
            f"{path}: không phải văn bản UTF-8 (byte lỗi ở vị trí {error.start}); "
            "hãy lưu lại tệp với mã UTF-8."
        ) from error


def _model_sources() -> list[Path]:
    """The code and the data that shape a built model (the gazetteer's names, the places, the
    document kinds and issuers): a change to them invalidates cached models."""
    package = Path(__file__).resolve().parent
    return [*sorted(package.glob("*.py")), *sorted(package.glob("data/*.toml")),
            package.parent / "unicode.py", package.parent / "places.toml",
            package.parent / "documents.toml"]


def code_key() -> str:
    """Hash of the model's code, the packaged resources and the shipped OCR pairs the channel
    learns from: what every cached model of this chitieu shares."""
    digest = hashlib.sha256(MODEL_VERSION.encode())
    for source in _model_sources():
        digest.update(source.read_bytes())
    for path in resource_files():
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{int(stat.st_mtime)}".encode())
    digest.update(_pair_table_text().encode("utf-8"))
    return digest.hexdigest()[:20]


def _model_key(code: str, documents: Collection[str]) -> str:
    digest = hashlib.sha256(code.encode())
    for document in sorted(documents):
        digest.update(document.encode())
    return digest.hexdigest()[:20]


def _write_pickle(path: Path, state: object) -> None:
    """Written to a file of its own, then renamed into place: processes that build the same
    model at once each rename a whole file, none removes another's half-written one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read_pickle(path: Path) -> tuple:
    """The pickled state, without the collections its millions of new objects would trigger
    along the way (the collector is paused for this call only, then as it was)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    finally:
        if enabled:
            gc.enable()


_UNREADABLE_MODEL = (ValueError, pickle.UnpicklingError, EOFError, AttributeError, OSError,
                     TypeError)


def load_or_build(documents: Iterable[Sequence[str]], cache_dir: Path) -> Restorer:
    """The cached model of these documents (each a list of clean lines). A model not cached
    yet is the cached model of the most of them plus the others' counts (`Restorer.learn`),
    or else the model of no document (built once per chitieu version) plus all of them."""
    documents = [list(lines) for lines in documents]
    code = code_key()
    digests = {document_digest(lines) for lines in documents}
    path = cache_dir / f"restorer-{_model_key(code, digests)}.pkl"
    restorer = None
    if path.exists():
        try:
            restorer = Restorer.load(path)
            os.utime(path)  # recently used: kept by _forget_old_models
        except _UNREADABLE_MODEL:
            path.unlink(missing_ok=True)
    if restorer is None:
        restorer = _nearest_model(cache_dir, code, digests) or _base_model(cache_dir, code)
        restorer.learn(documents)
        restorer.save(path, _counts_path(path))
        _sidecar(path).write_text(json.dumps({"code": code, "documents": sorted(digests)}),
                                  encoding="utf-8")
        _forget_old_models(cache_dir)
    _settle_for_the_collector()
    return restorer


def _counts_path(model: Path) -> Path:
    return model.with_suffix(".counts")


def _sidecar(model: Path) -> Path:
    return model.with_suffix(".json")


def _nearest_model(cache_dir: Path, code: str, wanted: set[str]) -> Restorer | None:
    """The cached model (with its counts) of the largest part of the wanted documents."""
    found: list[tuple[int, Path]] = []
    for sidecar in cache_dir.glob("restorer-*.json"):
        try:
            described = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        held = set(described.get("documents", ()))
        if described.get("code") == code and held <= wanted:
            found.append((len(held), sidecar.with_suffix(".pkl")))
    for _, model in sorted(found, reverse=True):
        try:
            return Restorer.load(model, _counts_path(model))
        except _UNREADABLE_MODEL:
            continue
    return None


def _base_model(cache_dir: Path, code: str) -> Restorer:
    """The model of no document, from the cache or built (tens of seconds) and cached."""
    path = cache_dir / f"base-{code}.pkl"
    try:
        return Restorer.load(path, _counts_path(path))
    except _UNREADABLE_MODEL:
        pass
    restorer = Restorer.base()
    restorer.save(path, _counts_path(path))
    for stale in cache_dir.glob("base-*.pkl"):
        if stale != path:
            stale.unlink(missing_ok=True)
            _counts_path(stale).unlink(missing_ok=True)
    return restorer


def _forget_old_models(cache_dir: Path) -> None:
    """A cache shared by every warehouse gains a model (8 MB) each time a corpus changes: only
    the KEPT_MODELS used last stay."""
    models = sorted(cache_dir.glob("restorer-*.pkl"), key=_last_used, reverse=True)
    for stale in models[KEPT_MODELS:]:
        for path in (stale, _counts_path(stale), _sidecar(stale)):
            path.unlink(missing_ok=True)


def _last_used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # another chitieu forgot it meanwhile
        return 0.0


def _settle_for_the_collector() -> None:
    """The model lives as long as the process; a full cyclic collection in the middle of a
    restore would rescan its tables (~50-80 ms, a sixth of a first pass). One collection now,
    which stops tracking the tables of strings and numbers for good (a tuple of atomic values
    is untracked once a collection has seen it): later collections skip them. Nothing of the
    collector's settings changes (no freeze, no threshold): the process is left as it was."""
    gc.collect()
