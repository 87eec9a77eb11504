"""Beam Viterbi over candidate lattices with a trigram language model."""

from __future__ import annotations

import math
from dataclasses import dataclass

from normalizers.restore.lm import KneserNeyLM
from normalizers.restore.tokens import BOUNDARY, END


@dataclass(frozen=True, slots=True)
class Candidate:
    surface: str  # the text written into the repaired line
    lm_token: str  # what the language model sees
    channel: float  # weighted log P(observed | candidate)


@dataclass(frozen=True, slots=True)
class _Path:
    choice: int
    parent: _Path | None


def best_path(lattice: list[list[Candidate]], lm: KneserNeyLM, beam: int = 12) -> list[int]:
    """Index of the chosen candidate at every position."""
    # state key (before, context) -> (score, path)
    states: dict[tuple[str, str], tuple[float, _Path | None]] = {(BOUNDARY, BOUNDARY): (0.0, None)}
    for candidates in lattice:
        following: dict[tuple[str, str], tuple[float, _Path | None]] = {}
        for (before, context), (score, path) in states.items():
            for index, candidate in enumerate(candidates):
                total = score + candidate.channel + lm.logprob(before, context, candidate.lm_token)
                key = (context, candidate.lm_token)
                kept = following.get(key)
                if kept is None or total > kept[0]:
                    following[key] = (total, _Path(index, path))
        if len(following) > beam:
            ranked = sorted(following.items(), key=lambda item: -item[1][0])[:beam]
            following = dict(ranked)
        states = following
    final_score, final_path = max(
        ((score + lm.logprob(before, context, END), path)
         for (before, context), (score, path) in states.items()),
        key=lambda item: item[0],
    )
    del final_score
    choices: list[int] = []
    while final_path is not None:
        choices.append(final_path.choice)
        final_path = final_path.parent
    return choices[::-1]


def posteriors(lattice: list[list[Candidate]], choices: list[int], lm: KneserNeyLM) -> list[float]:
    """Posterior of each chosen candidate with its neighbours held at the chosen ones."""
    chosen = [BOUNDARY, BOUNDARY] + [
        candidates[choice].lm_token for candidates, choice in zip(lattice, choices, strict=True)
    ] + [END, END]
    result: list[float] = []
    for position, candidates in enumerate(lattice):
        if len(candidates) == 1:
            result.append(1.0)
            continue
        at = position + 2
        before, context = chosen[at - 2], chosen[at - 1]
        next_token, after = chosen[at + 1], chosen[at + 2]
        scores = [
            candidate.channel
            + lm.logprob(before, context, candidate.lm_token)
            + lm.logprob(context, candidate.lm_token, next_token)
            + (lm.logprob(candidate.lm_token, next_token, after) if next_token != END else 0.0)
            for candidate in candidates
        ]
        peak = max(scores)
        weights = [math.exp(score - peak) for score in scores]
        result.append(weights[choices[position]] / sum(weights))
    return result
