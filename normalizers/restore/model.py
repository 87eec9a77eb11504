"""The restorer: noisy-channel repair of stripped or OCR-garbled Vietnamese lines.

For every word of a line that needs repair the channel proposes syllables (with
log P(observed | syllable)); the trigram model scores whole runs of lines; beam Viterbi picks
the best reading. Document numbers, numbers, dates, URLs and acronyms pass through, except the
Đ an English OCR loses inside document numbers (QD -> QĐ). A `>` before a number becomes `≥`
when the clean documents overwhelmingly write `≥` there; the offset is kept as uncertain.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from normalizers.restore.align import aligned_pairs
from normalizers.restore.channel import CandidateGenerator, Channel
from normalizers.restore.decoder import Candidate, best_path, posteriors
from normalizers.restore.detect import needs_repair
from normalizers.restore.lm import KneserNeyLM
from normalizers.restore.syllables import (
    build_inventory,
    count_syllables,
    dictionary_words,
    general_text,
    resource_files,
    skeleton_index,
)
from normalizers.restore.tokens import (
    ACRONYM_CLASS,
    CODE_CLASS,
    FOREIGN_CLASS,
    NUMBER_CLASS,
    Token,
    lm_class,
    lm_sequence,
    tokenize,
    word_class,
)
from normalizers.unicode import is_syllable, normalize_text, strip_marks
from schemas.records import RepairedLine, TokenRepair

MODEL_VERSION = "restore-1"
DOMAIN_WEIGHT = 3  # clean plans count this many times against the packaged general text
CANDIDATES_PER_TOKEN = 6
KEEP_AS_IS = -7.0  # log-score of leaving a non-syllable word as written
UNIGRAM_PRUNE_WEIGHT = 0.5
COMPARATOR_EVIDENCE = 0.8  # share of ≥ (vs >) before numbers in clean text needed to restore ≥
# Đ-abbreviations of Vietnamese document numbers (Quyết định, Ban Chỉ đạo, Hội đồng nhân dân).
GENERIC_D_SEGMENTS = ("QĐ", "BCĐ", "HĐND", "ĐU")
_COMPARATOR_OF = {">": "≥", "<": "≤"}


@dataclass(frozen=True)
class PairedDocument:
    """A clean document and an OCR reading of it: what the channel learns from."""

    clean_lines: tuple[str, ...]
    ocr_lines: tuple[str, ...]


def shipped_pairs(repo_root: Path) -> list[PairedDocument]:
    """The English-OCR readings of the clean plans the repository ships, with their plans."""
    pairs = []
    for ocr_path in sorted((repo_root / "tests" / "data" / "engocr").glob("*.eng-ocr.txt")):
        clean_path = repo_root / "raw" / ocr_path.name.replace(".eng-ocr.txt", ".txt")
        if clean_path.exists():
            pairs.append(PairedDocument(
                tuple(clean_path.read_text(encoding="utf-8").splitlines()),
                tuple(ocr_path.read_text(encoding="utf-8").splitlines()),
            ))
    return pairs


def _comparator_shares(sequences: Iterable[list[str]]) -> dict[str, float]:
    """Share of the mathematical form (≥, ≤) among comparators written before a number."""
    counts: Counter[str] = Counter()
    for sequence in sequences:
        for token, following in zip(sequence, sequence[1:], strict=False):
            if following == NUMBER_CLASS and token in ("≥", ">", "≤", "<"):
                counts[token] += 1
    shares = {}
    for ascii_form, math_form in _COMPARATOR_OF.items():
        total = counts[ascii_form] + counts[math_form]
        shares[ascii_form] = counts[math_form] / total if total else 0.0
    return shares


def _code_segments(lines: Iterable[str]) -> dict[str, str]:
    """Mark-stripped segment of a document number -> its spelling with Đ (QD -> QĐ)."""
    segments = {segment: segment for segment in GENERIC_D_SEGMENTS}
    for line in lines:
        for token in tokenize(line):
            if token.kind == "code":
                for segment in re.split(r"[-/\s]+", token.text):
                    if "Đ" in segment:
                        segments[segment] = segment
    return {strip_marks(segment): segment for segment in segments.values()}


def _apply_case(syllable: str, observed: str, heading: bool) -> str:
    letters = [char for char in observed if char.isalpha()]
    if heading or (len(letters) > 1 and all(char.isupper() for char in letters)):
        return syllable.upper()
    if letters and observed[0].isupper() or (observed[:1].isdigit() and letters[:1] == ["S"]):
        return syllable[:1].upper() + syllable[1:]
    return syllable


@dataclass
class Restorer:
    lm: KneserNeyLM
    generator: CandidateGenerator
    comparator_shares: dict[str, float]
    code_segments: dict[str, str]
    _token_cache: dict[tuple[str, bool], list[Candidate]] = field(default_factory=dict)

    # ------------------------------------------------------------ building and caching
    @classmethod
    def build(cls, corpus: Iterable[str],
              paired_documents: Sequence[PairedDocument] | None = None) -> Restorer:
        """Learn the model from clean lines (+ packaged Vietnamese) and OCR/clean pairs."""
        from pipeline.settings import REPO_ROOT

        clean_lines = [normalize_text(line) for line in corpus if line.strip()]
        general_lines = list(general_text())
        domain_sequences = [lm_sequence(line) for line in clean_lines]
        general_sequences = [lm_sequence(normalize_text(line)) for line in general_lines]
        inventory = build_inventory(
            count_syllables(clean_lines + general_lines), dictionary_words()
        )
        lm = KneserNeyLM.train(
            domain_sequences * DOMAIN_WEIGHT + general_sequences, vocabulary_size=len(inventory)
        )
        if paired_documents is None:
            paired_documents = shipped_pairs(REPO_ROOT)
        pairs = [
            pair
            for document in paired_documents
            for pair in aligned_pairs(document.clean_lines, document.ocr_lines)
        ]
        generator = CandidateGenerator(Channel.learn(pairs), skeleton_index(inventory))
        return cls(lm, generator, _comparator_shares(domain_sequences),
                   _code_segments(clean_lines))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        state = (MODEL_VERSION, self.lm, self.generator, self.comparator_shares,
                 self.code_segments)
        temporary = path.with_suffix(path.suffix + ".tmp")
        with temporary.open("wb") as handle:
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> Restorer:
        with path.open("rb") as handle:
            version, lm, generator, comparator_shares, code_segments = pickle.load(handle)
        if version != MODEL_VERSION:
            raise ValueError(f"{path}: restorer model of version {version}, need {MODEL_VERSION}")
        return cls(lm, generator, comparator_shares, code_segments)

    # ------------------------------------------------------------ restoring
    def restore_line(self, text: str) -> RepairedLine:
        return self.restore_lines([text])[0]

    def restore_lines(self, lines: list[str]) -> list[RepairedLine]:
        """Line N of the result repairs line N of `lines`; runs of lines are decoded together."""
        results: list[RepairedLine | None] = [None] * len(lines)
        run: list[int] = []
        for index, line in enumerate(lines):
            if needs_repair(line):
                run.append(index)
                continue
            self._restore_run(lines, run, results)
            run = []
            results[index] = RepairedLine(raw_text=line, text=line, changed=False, confidence=1.0)
        self._restore_run(lines, run, results)
        return [result for result in results if result is not None]

    def _restore_run(self, lines: list[str], run: list[int],
                     results: list[RepairedLine | None]) -> None:
        if not run:
            return
        normalised = [normalize_text(lines[index]) for index in run]
        tokens_per_line = [tokenize(line) for line in normalised]
        lattice: list[list[Candidate]] = []
        for line, tokens in zip(normalised, tokens_per_line, strict=True):
            heading = line.upper() == line
            lattice.extend(self._candidates(token, heading) for token in tokens)
        choices = best_path(lattice, self.lm)
        confidences = posteriors(lattice, choices, self.lm)
        position = 0
        for index, line, tokens in zip(run, normalised, tokens_per_line, strict=True):
            chosen = [
                (lattice[position + offset][choices[position + offset]].surface,
                 confidences[position + offset])
                for offset in range(len(tokens))
            ]
            position += len(tokens)
            results[index] = self._assemble(lines[index], line, tokens, chosen)

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

    def _candidates(self, token: Token, heading: bool) -> list[Candidate]:
        key = (token.text if token.kind == "word" else token.kind + "\0" + token.text, heading)
        found = self._token_cache.get(key)
        if found is None:
            found = self._build_candidates(token, heading)
            self._token_cache[key] = found
        return found

    def _build_candidates(self, token: Token, heading: bool) -> list[Candidate]:
        if token.kind == "code":
            return [Candidate(self._fix_code(token.text), CODE_CLASS, 0.0)]
        if token.kind != "word":
            return [Candidate(token.text, lm_class(token), 0.0)]
        observed = token.text.lower()
        scored = self.generator.candidates(observed)
        if is_syllable(token.text) and all(syllable != observed for syllable, _ in scored):
            scored.append((observed, self.generator.channel.align(observed, observed)[0]))
        unigram = self.lm.unigram
        unseen = self.lm.unseen_unigram
        scored.sort(key=lambda item: -(item[1] + UNIGRAM_PRUNE_WEIGHT * unigram.get(item[0], unseen)))
        candidates = [
            Candidate(_apply_case(syllable, token.text, heading), syllable, score)
            for syllable, score in scored[:CANDIDATES_PER_TOKEN]
        ]
        own_class = word_class(token.text)
        if own_class in (ACRONYM_CLASS, FOREIGN_CLASS):
            candidates.append(Candidate(token.text, own_class, KEEP_AS_IS))
        return candidates

    def _fix_code(self, code: str) -> str:
        compact = re.sub(r"\s*[-–—]\s*", "-", code.replace(" /", "/").replace("/ ", "/"))
        return re.sub(
            r"[A-Za-zĐ]+",
            lambda match: self.code_segments.get(match.group(0), match.group(0)),
            compact,
        )


def corpus_key(corpus: Sequence[str]) -> str:
    """Hash of the corpus, the packaged resources and the model version."""
    digest = hashlib.sha256(MODEL_VERSION.encode())
    for line in corpus:
        digest.update(line.encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    for path in resource_files():
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{int(stat.st_mtime)}".encode())
    return digest.hexdigest()[:20]


def load_or_build(corpus: list[str], cache_dir: Path) -> Restorer:
    """The cached model for this corpus, built and saved on the first call."""
    path = cache_dir / f"restorer-{corpus_key(corpus)}.pkl"
    if path.exists():
        try:
            return Restorer.load(path)
        except (ValueError, pickle.UnpicklingError, EOFError, AttributeError):
            path.unlink()
    restorer = Restorer.build(corpus)
    restorer.save(path)
    return restorer
