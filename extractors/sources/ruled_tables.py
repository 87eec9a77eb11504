"""Ruled tables on a scanned page: the grid of rules, and the OCR words placed in its cells.

Tesseract reads a table row by row across the columns, so a cell's words come out mixed with
its neighbours'. Plans print their appendix tables with rules, and the rules are easy to see:
a horizontal rule is a long dark run in a pixel row; a column rule crosses the whole height of
a row band (text never does, cells are padded). A band that some column rule does not cross
holds a merged cell (a section row "I Phát triển hạ tầng"): its text goes to the first column
the merge covers.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

RULE_DARK = 160  # grey below this is ink (rules are thin and the scan blurs them)
MIN_RULE_SHARE = 0.15  # a horizontal rule is at least this share of the page width
RULE_GAP = 0.03  # share of a window a rule may miss (speckle, JPEG)
SAME_RULE_PX = 4  # dark rows or columns this close are one rule
EDGE_TOLERANCE_PX = 25  # rules of one table start and end this close to each other
MAX_BAND_SHARE = 0.4  # a row band higher than this share of the page is no table row
BAND_PADDING_PX = 3  # a band's interior starts this far from its rules
CROSSING_SHARE = 0.85  # a column rule is dark over this share of a band's interior
NEAR_RULE_PX = 12  # a "|" this close to a column rule is the rule itself
ORDINAL = re.compile(r"\d{1,3}\.?|[IVX]{1,5}\.?")  # what a first column ("STT") holds


@dataclass(frozen=True)
class Grid:
    """One ruled table: its horizontal rules (y, top to bottom), its column rules (x, left to
    right), and for each band between two horizontal rules the column rules that cross it."""

    row_rules: tuple[int, ...]
    column_rules: tuple[int, ...]
    crossings: tuple[tuple[int, ...], ...]

    def first_cell(self, band: int) -> tuple[int, int, int, int] | None:
        """(left, top, right, bottom) of the band's first cell, None when it is merged with
        the next one (a section row)."""
        if self.column_rules[1] not in self.crossings[band]:
            return None
        return (self.column_rules[0], self.row_rules[band], self.column_rules[1],
                self.row_rules[band + 1])

    def cell_of(self, x: float, y: float) -> tuple[int, int] | None:
        """(band, column) of a point inside the table, or None."""
        if not (self.row_rules[0] < y < self.row_rules[-1]
                and self.column_rules[0] < x < self.column_rules[-1]):
            return None
        band = int(np.searchsorted(self.row_rules, y)) - 1
        crossing = self.crossings[band]
        opened = max((rule for rule in crossing if rule < x), default=crossing[0])
        return band, self.column_rules.index(opened)


@dataclass(frozen=True)
class Word:
    """An OCR word with its box and the Tesseract line it belongs to (reading order)."""

    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int
    line_order: int

    @property
    def centre(self) -> tuple[float, float]:
        return self.left + self.width / 2, self.top + self.height / 2


@dataclass(frozen=True)
class TableRow:
    top: int  # y of the rule above the row
    cells: tuple[str, ...]
    confidences: tuple[float, ...]  # one per word, in the order the cells give the words


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True, end exclusive."""
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _horizontal_rules(ink: np.ndarray) -> list[tuple[int, int, int]]:
    """(y, left, right) of each horizontal rule: pixel rows where a window of MIN_RULE_SHARE
    of the width is (almost) all ink. Only rows with that much ink at all are looked at."""
    window = max(int(ink.shape[1] * MIN_RULE_SHARE), 1)
    needed = window * (1 - RULE_GAP)
    candidates = np.flatnonzero(ink.sum(axis=1) >= needed)
    if candidates.size == 0:
        return []
    sums = np.cumsum(ink[candidates], axis=1, dtype=np.uint16)  # a page is < 65536 px wide
    long_runs = (sums[:, window:] - sums[:, :-window]) >= needed
    is_rule = np.zeros(ink.shape[0], dtype=bool)
    is_rule[candidates[long_runs.any(axis=1)]] = True
    row_of = {int(row): index for index, row in enumerate(candidates)}
    rules = []
    for start, end in _runs(is_rule):
        xs = np.flatnonzero(long_runs[[row_of[row] for row in range(start, end)]].any(axis=0))
        rules.append(((start + end - 1) // 2, int(xs[0]), int(xs[-1]) + window))
    return rules


def _tables(rules: list[tuple[int, int, int]], page_height: int) -> list[list[int]]:
    """Horizontal rules grouped into tables: same left and right ends, bands not too high."""
    tables: list[list[tuple[int, int, int]]] = []
    for rule in rules:
        current = tables[-1] if tables else None
        if (current and abs(rule[1] - current[-1][1]) <= EDGE_TOLERANCE_PX
                and abs(rule[2] - current[-1][2]) <= EDGE_TOLERANCE_PX
                and rule[0] - current[-1][0] <= page_height * MAX_BAND_SHARE):
            current.append(rule)
        else:
            tables.append([rule])
    return [[y for y, _, _ in table] for table in tables if len(table) >= 2]


def _crossing_columns(ink: np.ndarray, top: int, bottom: int, left: int, right: int
                      ) -> list[int]:
    """x of the column rules that cross the band between two horizontal rules."""
    interior = ink[top + BAND_PADDING_PX: bottom - BAND_PADDING_PX + 1,
                   max(left - EDGE_TOLERANCE_PX, 0): right + EDGE_TOLERANCE_PX]
    if interior.shape[0] < 2:
        return []
    share = interior.mean(axis=0)
    share = np.maximum.reduce([share, np.roll(share, 1), np.roll(share, -1)])  # slight skew
    offset = max(left - EDGE_TOLERANCE_PX, 0)
    return [offset + (start + end - 1) // 2 for start, end in _runs(share >= CROSSING_SHARE)]


def _merge_positions(positions: Iterable[int]) -> list[int]:
    merged: list[list[int]] = []
    for position in sorted(positions):
        if merged and position - merged[-1][-1] <= SAME_RULE_PX * 2:
            merged[-1].append(position)
        else:
            merged.append([position])
    return [round(sum(group) / len(group)) for group in merged]


def _snap(position: int, rules: Sequence[int]) -> int:
    return min(rules, key=lambda rule: abs(rule - position))


def find_grids(gray: np.ndarray) -> list[Grid]:
    """The ruled tables of a page image (8-bit grey, text upright)."""
    ink = gray < RULE_DARK
    horizontal = _horizontal_rules(ink)
    grids = []
    for row_rules in _tables(horizontal, gray.shape[0]):
        left = min(left for y, left, _ in horizontal if y in row_rules)
        right = max(right for y, _, right in horizontal if y in row_rules)
        bands = [_crossing_columns(ink, top, bottom, left, right)
                 for top, bottom in itertools.pairwise(row_rules)]
        if not bands or any(len(crossing) < 2 for crossing in bands):
            continue  # no table without its left and right rules in every row
        columns = _merge_positions(x for crossing in bands for x in crossing)
        crossings = tuple(tuple(sorted({_snap(x, columns) for x in crossing}))
                          for crossing in bands)
        grids.append(Grid(tuple(row_rules), tuple(columns), crossings))
    return grids


def _without_rule(grid: Grid, word: Word) -> Word | None:
    """The word without a rule the OCR read as "|" beside it; a lone "|" away from the rules
    is a Roman "I" ("I Phát triển hạ tầng")."""
    text = word.text.strip("|")
    if not text:
        near_rule = any(abs(rule - edge) <= NEAR_RULE_PX for rule in grid.column_rules
                        for edge in (word.left, word.left + word.width))
        if near_rule:
            return None
        text = "I"
    return Word(text, word.confidence, word.left, word.top, word.width, word.height,
                word.line_order)


def place_words(grid: Grid, words: Sequence[Word], ordinals: dict[int, Word] | None = None
                ) -> tuple[list[TableRow], list[Word]]:
    """The grid's rows with the words in their cells, and the words outside the grid. A rule
    read as a "|" is dropped. `ordinals` (band -> the number read again in the first cell)
    stands in where the page's OCR left that cell empty or misread it ("ĩ" for 1)."""
    cells: dict[tuple[int, int], list[Word]] = {}
    outside = []
    for word in words:
        place = grid.cell_of(*word.centre)
        if place is None:
            outside.append(word)
        elif cleaned := _without_rule(grid, word):
            cells.setdefault(place, []).append(cleaned)
    for band, ordinal in (ordinals or {}).items():
        found = cells.get((band, 0), [])
        if not any(ORDINAL.fullmatch(word.text) for word in found) and len(
                "".join(word.text for word in found)) <= 2:
            cells[(band, 0)] = [ordinal]
    rows = []
    for band in range(len(grid.row_rules) - 1):
        texts, confidences = [], []
        for column in range(len(grid.column_rules) - 1):
            found = sorted(cells.get((band, column), ()),
                           key=lambda word: (word.line_order, word.left))
            texts.append(" ".join(word.text for word in found))
            confidences.extend(word.confidence for word in found)
        if any(texts):
            rows.append(TableRow(grid.row_rules[band], tuple(texts), tuple(confidences)))
    return rows, outside
