"""Beam Viterbi over candidate lattices with a trigram language model.

A candidate may stand for several model tokens (an OCR token that merged two syllables);
the state is the last two model tokens, as a trigram needs.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from normalizers.restore.lm import KneserNeyLM, Scorer
from normalizers.restore.tokens import BOUNDARY, END


@dataclass(frozen=True, slots=True)
class Candidate:
    surface: str  # the text written into the repaired line
    lm_tokens: tuple[str, ...]  # what the language model sees (one per syllable)
    channel: float  # log P(observed | candidate)


@dataclass(frozen=True, slots=True)
class _Path:
    choice: int
    parent: _Path | None


State = tuple[str, str]


def _extend(logprob: Scorer, state: State, tokens: tuple[str, ...]) -> tuple[float, State]:
    before, context = state
    score = 0.0
    for token in tokens:
        score += logprob(before, context, token)
        before, context = context, token
    return score, (before, context)


def best_path(lattice: list[list[Candidate]], lm: KneserNeyLM, beam: int = 8,
              margin: float = math.inf) -> list[int]:
    """Index of the chosen candidate at every position; at most `beam` states survive a
    position, none more than `margin` below the best."""
    states: dict[State, tuple[float, _Path | None]] = {(BOUNDARY, BOUNDARY): (0.0, None)}
    trigram, trigram_backoff = lm.trigram, lm.trigram_backoff
    bigram, bigram_backoff = lm.bigram, lm.bigram_backoff
    unigram, unseen = lm.unigram, lm.unseen_unigram
    logprob = lm.scorer()
    for candidates in lattice:
        # state -> (score, parent path, candidate index); paths are built for survivors only
        following: dict[State, tuple[float, _Path | None, int]] = {}
        options = [(index, candidate.channel, candidate.lm_tokens[0]
                    if len(candidate.lm_tokens) == 1 else None, candidate.lm_tokens)
                   for index, candidate in enumerate(candidates)]
        for (before, context), (score, path) in states.items():
            backoff = trigram_backoff.get((before, context), 0.0)
            for index, channel, token, tokens in options:
                if token is not None:
                    gained = trigram.get((before, context, token))
                    key = (context, token)
                    if gained is None:  # the common case: back off to the bigram, inlined
                        lower = bigram.get(key)
                        if lower is None:
                            lower = bigram_backoff.get(context, 0.0) + unigram.get(token, unseen)
                        gained = backoff + lower
                else:
                    gained, key = _extend(logprob, (before, context), tokens)
                total = score + channel + gained
                kept = following.get(key)
                if kept is None or total > kept[0]:
                    following[key] = (total, path, index)
        survivors = following.items()
        if len(following) > 1:
            ranked = (heapq.nlargest(beam, survivors, key=lambda item: item[1][0])
                      if len(following) > beam else survivors)
            floor = max(total for total, _, _ in following.values()) - margin
            survivors = [item for item in ranked if item[1][0] >= floor]
        states = {key: (total, _Path(index, path)) for key, (total, path, index) in survivors}
    _, final_path = max(
        ((score + logprob(before, context, END), path)
         for (before, context), (score, path) in states.items()),
        key=lambda item: item[0],
    )
    choices: list[int] = []
    while final_path is not None:
        choices.append(final_path.choice)
        final_path = final_path.parent
    return choices[::-1]


def posteriors(lattice: list[list[Candidate]], choices: list[int], lm: KneserNeyLM,
               wanted: list[bool]) -> list[float]:
    """Posterior of each chosen candidate where `wanted` (1.0 elsewhere), its neighbours held
    at the chosen ones: the two tokens before it and the one after it (a second one after
    would add a third of the cost for a trigram the small corpus rarely has)."""
    chosen = [candidates[choice] for candidates, choice in zip(lattice, choices, strict=True)]
    result: list[float] = []
    history: State = (BOUNDARY, BOUNDARY)
    logprob = lm.scorer()
    for position, candidates in enumerate(lattice):
        if len(candidates) > 1 and wanted[position]:
            after = chosen[position + 1].lm_tokens[0] if position + 1 < len(chosen) else END
            scores = _window_scores(logprob, history, candidates, after)
            peak = max(scores)
            weights = [math.exp(score - peak) for score in scores]
            result.append(weights[choices[position]] / sum(weights))
        else:
            result.append(1.0)
        before, context = (*history, *chosen[position].lm_tokens)[-2:]
        history = (before, context)
    return result


def _window_scores(logprob: Scorer, history: State, candidates: list[Candidate],
                   after: str) -> list[float]:
    """channel + log P(candidate, then `after` | history) of each candidate; the common case,
    one syllable, is scored without joining sequences."""
    before, context = history
    scores = []
    for candidate in candidates:
        tokens = candidate.lm_tokens
        if len(tokens) == 1:
            token = tokens[0]
            gained = logprob(before, context, token) + logprob(context, token, after)
        else:
            gained = _extend(logprob, history, (*tokens, after))[0]
        scores.append(candidate.channel + gained)
    return scores
