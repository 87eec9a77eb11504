"""Ruled tables on scanned pages: the grid found in the image, OCR words put in its cells, and
the appendix tables of a generated scan of KH 3450 read back as the text version's rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw
from rapidfuzz.distance import Levenshtein

from extractors.sources.ruled_tables import Word, find_grids, place_words
from extractors.targets import extract_targets
from pipeline.dev.documents import make_table_scan
from schemas.records import TextSource
from tests.conftest import PLANS
from tests.snippets import read_with_product, snippet_document

ROWS = (100, 200, 300, 400)  # horizontal rules
COLUMNS = (100, 300, 900)  # column rules; the middle one stops at the merged second row


def _ruled_page() -> np.ndarray:
    page = Image.new("L", (1200, 600), 255)
    draw = ImageDraw.Draw(page)
    for y in ROWS:
        draw.line([(COLUMNS[0], y), (COLUMNS[-1], y)], fill=0, width=3)
    for x in COLUMNS:
        bands = [(ROWS[0], ROWS[1]), (ROWS[2], ROWS[3])] if x == COLUMNS[1] else [
            (ROWS[0], ROWS[-1])]
        for top, bottom in bands:
            draw.line([(x, top), (x, bottom)], fill=0, width=3)
    draw.text((400, 500), "lll IIII text below the table", fill=0)  # strokes, no rules
    return np.asarray(page)


def word(text: str, left: int, top: int, line: int) -> Word:
    return Word(text, 0.9, left, top, 10 * len(text), 20, line)


def test_the_grid_of_a_ruled_table_and_its_merged_row() -> None:
    [grid] = find_grids(_ruled_page())
    assert all(abs(found - drawn) <= 2 for found, drawn in zip(grid.row_rules, ROWS, strict=True))
    assert len(grid.column_rules) == 3
    assert [len(crossing) for crossing in grid.crossings] == [3, 2, 3]
    assert grid.first_cell(1) is None  # merged with the next cell


def test_words_go_to_their_cells_and_rules_read_as_pipes_are_dropped() -> None:
    [grid] = find_grids(_ruled_page())
    words = [word("1", 150, 130, 0), word("Tỷ", 350, 130, 0), word("lệ", 390, 130, 0),
             word("|", 302, 130, 0),  # the column rule, read as a pipe
             word("|", 150, 230, 1), word("Phát", 200, 230, 1), word("triển", 420, 230, 1),
             word("hộ", 350, 360, 3), word("gia", 350, 330, 2), word("2", 150, 330, 2),
             word("Ngoài", 150, 450, 4)]
    rows, outside = place_words(grid, words)
    assert [row.cells for row in rows] == [("1", "Tỷ lệ"), ("I Phát triển", ""), ("2", "gia hộ")]
    assert [row.top for row in rows] == list(grid.row_rules[:3])
    assert [found.text for found in outside] == ["Ngoài"]


def test_a_number_read_again_stands_in_for_an_empty_or_misread_first_cell() -> None:
    [grid] = find_grids(_ruled_page())
    words = [word("ĩ", 150, 130, 0), word("Tỷ", 350, 130, 0), word("gia", 350, 330, 2)]
    rows, _ = place_words(grid, words, ordinals={0: word("1", 150, 130, 0),
                                                 2: word("2", 150, 330, 0)})
    assert [row.cells[0] for row in rows] == ["1", "2"]


@pytest.mark.slow
def test_appendix_tables_of_a_scan_are_the_text_versions_rows(tmp_path: Path) -> None:
    scan = make_table_scan(PLANS["kh3450"], tmp_path / "kh-3450-KH-UBND-2026-03-17.pdf")
    _, scan_lines = read_with_product(scan)
    _, text_lines = read_with_product(PLANS["kh3450"])
    numbered = [line.cells for line in text_lines if line.cells and line.cells[0].isdigit()]
    scanned = [line.cells for line in scan_lines if line.cells and line.cells[0].isdigit()]

    assert len(scanned) >= 12
    position = 0
    for cells in scanned:  # each scanned row is the next matching row of the text, cell by cell
        match = next(index for index in range(position, len(numbered))
                     if numbered[index][0] == cells[0]
                     and Levenshtein.normalized_distance(numbered[index][1], cells[1]) < 0.1)
        assert len(cells) == len(numbered[match])
        typed = " | ".join(numbered[match]).replace("≥", ">")  # vie reads ≥ as >
        assert Levenshtein.normalized_distance(typed, " | ".join(cells)) < 0.05, cells
        position = match + 1

    scanned_plan = snippet_document("3450-KH-UBND").model_copy(
        update={"text_source": TextSource.OCR})
    targets = extract_targets(scanned_plan, scan_lines)
    five_g = [(target.target_year, target.comparator, target.value) for target in targets
              if "5G" in target.indicator_text]
    assert five_g == [(2026, ">=", 70), (2030, "=", 100)]  # the scan's "> 70" is the ≥ printed
