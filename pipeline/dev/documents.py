"""Generators of the binary inputs tests need (never committed): digital PDFs, scans, DOCX.

Every generator reads a plan through the product's text reader, so a test can compare what a
backend reads from the generated file with what the text reader reads from the plan.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from extractors.sources import read_page, triage
from schemas.records import SourceLine

if TYPE_CHECKING:
    from reportlab.platypus import LongTable

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SCAN_DPI = 300
A4_INCHES = (8.27, 11.69)
CELL_FONT_SIZE = 8


@dataclass(frozen=True)
class Block:
    """A paragraph (one line of text) or a table (rows of cells, header first)."""

    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@cache
def _glyphs() -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFont

    return frozenset(TTFont("probe", str(FONT_DIR / "DejaVuSerif.ttf")).face.charToGlyph)


def _drawable(text: str) -> str:
    """The text less what DejaVu has no glyph for (emoji of the text export, such as ✍️)."""
    return "".join(char for char in text if ord(char) in _glyphs() or char == "\t").strip()


def plan_lines(plan_path: Path) -> list[SourceLine]:
    """The plan as the text reader gives it, only with characters the fonts can draw."""
    lines = [line for page in triage(plan_path) for line in read_page(page).lines]
    return [line.model_copy(update={
        "text": _drawable(line.text),
        "cells": tuple(_drawable(cell) for cell in line.cells) if line.cells else None,
    }) for line in lines]


def plan_blocks(plan_path: Path) -> list[Block]:
    """Paragraphs and tables; a row repeating its table's header (a page break of the
    original) is left out, the PDF repeats the header itself."""
    blocks: list[Block] = []
    rows: list[tuple[str, ...]] = []
    for line in plan_lines(plan_path):
        if line.cells is None:
            if rows:
                blocks.append(Block(rows=tuple(rows)))
                rows = []
            blocks.append(Block(text=line.text))
        elif not rows or line.cells[0] != rows[0][0] or len(line.cells) != len(rows[0]):
            rows.append(line.cells)
    if rows:
        blocks.append(Block(rows=tuple(rows)))
    return blocks


# ---------------------------------------------------------------- digital PDF


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name in ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSans", "DejaVuSans-Bold"):
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{name}.ttf")))


def _column_widths(rows: tuple[tuple[str, ...], ...], total_width: float) -> list[float]:
    """Shares by text length, but never narrower than the column's longest word (a word
    broken inside would not read back)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    columns = range(len(rows[0]))
    longest_word = [max(stringWidth(word, "DejaVuSans-Bold", CELL_FONT_SIZE) + 8
                        for row in rows for word in row[column].split() or [""])
                    for column in columns]
    weights = [min(max(len(row[column]) for row in rows), 80) + 4 for column in columns]
    spare = total_width - sum(longest_word)
    return [floor + spare * weight / sum(weights)
            for floor, weight in zip(longest_word, weights, strict=True)]


def _pdf_table(rows: tuple[tuple[str, ...], ...], width: float) -> LongTable:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import LongTable, Paragraph

    body = ParagraphStyle("cell", fontName="DejaVuSans", fontSize=CELL_FONT_SIZE,
                          leading=CELL_FONT_SIZE + 2)
    head = ParagraphStyle("head", parent=body, fontName="DejaVuSans-Bold")
    data = [[Paragraph(escape(cell), head if number == 0 else body) for cell in row]
            for number, row in enumerate(rows)]
    style: list[tuple] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                          ("VALIGN", (0, 0), (-1, -1), "TOP")]
    for number, row in enumerate(rows):
        filled = [column for column, cell in enumerate(row) if cell]
        if filled and filled[-1] < len(row) - 1:  # a section row: its text spans the rest
            style.append(("SPAN", (filled[-1], number), (-1, number)))
    return LongTable(data, colWidths=_column_widths(rows, width), repeatRows=1, style=style)


def make_digital_pdf(plan_path: Path, out_path: Path) -> Path:
    """A landscape text-layer PDF of a plan: paragraphs in DejaVu Serif, tables in DejaVu Sans
    with grid lines that break across pages with the header row repeated."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    _register_fonts()
    prose = ParagraphStyle("prose", fontName="DejaVuSerif", fontSize=11, leading=15,
                           spaceAfter=5)
    document = SimpleDocTemplate(str(out_path), pagesize=landscape(A4), leftMargin=2 * cm,
                                 rightMargin=1.5 * cm, topMargin=2 * cm, bottomMargin=2 * cm)
    story = []
    for block in plan_blocks(plan_path):
        if block.rows:
            story += [_pdf_table(block.rows, document.width), Spacer(1, 8)]
        else:
            story.append(Paragraph(escape(block.text), prose))
    document.build(story)
    return out_path


# ---------------------------------------------------------------- DOCX


def make_docx(plan_path: Path, out_path: Path) -> Path:
    """A Word document of a plan: paragraphs and tables in the plan's order."""
    import docx

    document = docx.Document()
    for block in plan_blocks(plan_path):
        if not block.rows:
            document.add_paragraph(block.text)
            continue
        table = document.add_table(rows=len(block.rows), cols=len(block.rows[0]))
        table.style = "Table Grid"
        for row, cells in zip(table.rows, block.rows, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    document.save(str(out_path))
    return out_path


# ---------------------------------------------------------------- scans


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> Iterator[str]:
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and font.getlength(candidate) > width:
            yield line
            line = word
        else:
            line = candidate
    if line:
        yield line


def _scan_lines(plan_path: Path, font: ImageFont.FreeTypeFont, width: int) -> Iterator[str]:
    """The plan's prose, wrapped to the page width (tables are left to the PDF tests)."""
    for block in plan_blocks(plan_path):
        yield from _wrap(block.text, font, width)


def _age(page: Image.Image, seed: int) -> Image.Image:
    """What a scanner does to a page: a slight rotation, speckle, blur and JPEG artefacts."""
    rng = random.Random(seed)
    page = page.rotate(rng.uniform(-0.8, 0.8), resample=Image.Resampling.BICUBIC,
                       fillcolor=255)
    pixels = page.load()
    for _ in range(page.width * page.height // 400):
        pixels[rng.randrange(page.width), rng.randrange(page.height)] = rng.choice((0, 160, 255))
    page = page.filter(ImageFilter.GaussianBlur(0.6))
    buffer = io.BytesIO()
    page.save(buffer, format="JPEG", quality=70)
    return Image.open(io.BytesIO(buffer.getvalue()))


def render_scan_pages(plan_path: Path, pages: int,
                      seed: int = 57) -> tuple[list[Image.Image], list[str]]:
    """`pages` A4 pages at 300 DPI in a 12 pt serif font, aged; and the text each shows."""
    size = (round(A4_INCHES[0] * SCAN_DPI), round(A4_INCHES[1] * SCAN_DPI))
    margin = SCAN_DPI  # one inch
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSerif.ttf"), size=round(12 / 72 * SCAN_DPI))
    line_height = round(font.size * 1.5)
    per_page = (size[1] - 2 * margin) // line_height
    lines = _scan_lines(plan_path, font, size[0] - 2 * margin)
    images: list[Image.Image] = []
    page_texts: list[str] = []
    for page_no in range(pages):
        page = Image.new("L", size, 255)
        draw = ImageDraw.Draw(page)
        shown = [text for _row, text in zip(range(per_page), lines, strict=False)]
        for row, text in enumerate(shown):
            draw.text((margin, margin + row * line_height), text, font=font, fill=0)
        images.append(_age(page, seed + page_no))
        page_texts.append("\n".join(shown))
    return images, page_texts


def make_scan(plan_path: Path, out_path: Path, pages: int = 2) -> str:
    """An image-only PDF (one JPEG per page) or, for a .png/.jpg/.tif path, an image of one
    page; returns the text the file shows, for measuring OCR."""
    images, page_texts = render_scan_pages(plan_path, pages)
    if out_path.suffix.lower() != ".pdf":
        images[0].save(out_path, dpi=(SCAN_DPI, SCAN_DPI))
        return page_texts[0]
    images[0].save(out_path, format="PDF", save_all=True, append_images=images[1:],
                   resolution=SCAN_DPI)
    return "\n".join(page_texts)


def make_table_scan(plan_path: Path, out_path: Path, pages: int = 3) -> Path:
    """An image-only PDF of the first `pages` pages of the plan's digital PDF that hold ruled
    tables, rendered at 300 DPI and aged like a scan."""
    import pypdfium2 as pdfium

    digital = make_digital_pdf(plan_path, out_path.with_suffix(".digital.pdf"))
    document = pdfium.PdfDocument(digital)
    images = []
    for index in range(len(document)):
        page = document[index]
        if "STT" in page.get_textpage().get_text_range() and len(images) < pages:
            bitmap = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
            images.append(_age(bitmap, index))
    document.close()
    images[0].save(out_path, format="PDF", save_all=True, append_images=images[1:],
                   resolution=SCAN_DPI)
    return out_path


def normalise_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
