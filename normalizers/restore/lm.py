"""Syllable trigram language model, interpolated Kneser-Ney, flattened into lookup tables.

Training keeps the textbook recursion (absolute discounting of the highest order, continuation
counts below it, interpolation down to a unigram with an add-½ floor for unseen words). The
result is stored as log-probabilities of every seen n-gram plus the log interpolation weight
of every seen context, so scoring an n-gram at decode time is a few dict look-ups.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

Bigram = tuple[str, str]
Trigram = tuple[str, str, str]
Context = str | Bigram
Scorer = Callable[[str, str, str], float]  # (before, context, word) -> log-probability


def _discount(count_of_counts: Counter[int]) -> float:
    """Ney's estimate D = n1 / (n1 + 2 n2), kept inside (0.1, 0.9)."""
    n1, n2 = count_of_counts[1], count_of_counts[2]
    if n1 == 0:
        return 0.5
    return min(0.9, max(0.1, n1 / (n1 + 2 * n2)))


class KneserNeyLM:
    def __init__(self, unigram: dict[str, float], unseen_unigram: float,
                 bigram: dict[Bigram, float], bigram_backoff: dict[str, float],
                 trigram: dict[Trigram, float], trigram_backoff: dict[Bigram, float]) -> None:
        self.unigram = unigram
        self.unseen_unigram = unseen_unigram
        self.bigram = bigram
        self.bigram_backoff = bigram_backoff
        self.trigram = trigram
        self.trigram_backoff = trigram_backoff

    @classmethod
    def from_counts(cls, trigram_counts: Counter[Trigram], vocabulary_size: int) -> KneserNeyLM:
        """The model of these trigram counts (sequences padded with BOUNDARY, BOUNDARY … END)."""
        # Continuation counts: how many distinct left words each lower-order n-gram follows.
        bigram_continuation: Counter[Bigram] = Counter((v, w) for (_, v, w) in trigram_counts)
        unigram_continuation: Counter[str] = Counter(w for (_, w) in bigram_continuation)
        unigram_total = sum(unigram_continuation.values())
        floor_mass = 0.5
        unigram_denominator = unigram_total + floor_mass * max(vocabulary_size, 1)
        unigram = {
            word: math.log((count + floor_mass) / unigram_denominator)
            for word, count in unigram_continuation.items()
        }
        unseen_unigram = math.log(floor_mass / unigram_denominator)

        bigram, bigram_backoff = cls._interpolate(
            bigram_continuation, lambda _context, word: unigram.get(word, unseen_unigram)
        )
        model = cls(unigram, unseen_unigram, bigram, bigram_backoff, {}, {})  # type: ignore[arg-type]
        trigram_by_context = Counter(
            {((u, v), w): count for (u, v, w), count in trigram_counts.items()}
        )
        trigram_table, model.trigram_backoff = cls._interpolate(
            trigram_by_context, lambda context, word: model.bigram_logprob(context[1], word)
        )
        model.trigram = {(u, v, w): value for ((u, v), w), value in trigram_table.items()}
        return model

    @staticmethod
    def _interpolate(
        counts: Counter[tuple[Context, str]], lower: Callable[[Context, str], float]
    ) -> tuple[dict[tuple[Context, str], float], dict[Context, float]]:
        """Absolute discounting of `counts`, interpolated with the `lower` order."""
        grouped: dict[Context, dict[str, int]] = defaultdict(dict)
        for (context, word), count in counts.items():
            grouped[context][word] = count
        discount = _discount(Counter(counts.values()))
        table: dict[tuple[Context, str], float] = {}
        backoff: dict[Context, float] = {}
        for context, followers in grouped.items():
            total = sum(followers.values())
            gamma = discount * len(followers) / total
            backoff[context] = math.log(gamma)
            for word, count in followers.items():
                probability = max(count - discount, 0) / total + gamma * math.exp(
                    lower(context, word)
                )
                table[(context, word)] = math.log(probability)
        return table, backoff

    def raise_bigrams(self, pairs: Iterable[Bigram], floor: float) -> None:
        """Give syllable pairs that form a dictionary word at least `floor` as bigram
        log-probability: a lexicon prior for pairs the training text is too small to hold
        ("chú trọng", "tạm thời"). The result is a log-linear score, no longer normalised."""
        for pair in pairs:
            if self.bigram.get(pair, -math.inf) < floor:
                self.bigram[pair] = floor

    def bigram_logprob(self, context: str, word: str) -> float:
        found = self.bigram.get((context, word))
        if found is not None:
            return found
        return self.bigram_backoff.get(context, 0.0) + self.unigram.get(word, self.unseen_unigram)

    def scorer(self) -> Scorer:
        """log P(word | before context) as a closure over the tables: the decoder calls it
        hundreds of thousands of times, and local look-ups are cheaper than attribute ones."""
        trigram, trigram_backoff = self.trigram, self.trigram_backoff
        bigram, bigram_backoff = self.bigram, self.bigram_backoff
        unigram, unseen = self.unigram, self.unseen_unigram

        def logprob(before: str, context: str, word: str) -> float:
            found = trigram.get((before, context, word))
            if found is not None:
                return found
            lower = bigram.get((context, word))
            if lower is None:
                lower = bigram_backoff.get(context, 0.0) + unigram.get(word, unseen)
            return trigram_backoff.get((before, context), 0.0) + lower

        return logprob
