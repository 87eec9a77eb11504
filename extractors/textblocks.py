"""Helpers the record extractors share: folded text for matching, paragraphs from lines.

Matching runs on *folded* text (no diacritics, lower case, đ → d) so that the same rule finds
"Kế hoạch" in a clean plan, "Ke hoach" in a stripped OCR text and "Kê hoach" in a partly
restored one. Folding keeps the length of the text, so a match in the folded text slices the
original text at the same offsets and what we store keeps its diacritics.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from normalizers.unicode import strip_marks
from schemas.records import Line

_MARKUP_RESIDUE = re.compile(r"[*#]+|</?i>")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_SENTENCE_END = (".", ";", ":", "!", "?")
# "1. ", "a) ", "IV. ", and a decision's "Điều 3. ", "Phần II. ", "Chương I. "
_HEADING_MARKER = re.compile(
    r"^\s*(?:[^\s()]{1,3}\)|\d+(?:\.\d+)*\.|[IVX]+\.|(?:Điều|Phần|Chương)\s+[\dIVX]+\.)\s+")
HEADING_MAX_WORDS = 10
_ITEM_MARKER = re.compile(r"^\s*(?:[-–•+]\s+|[^\s()]{1,3}\)\s+|\d+(?:\.\d+)*\.\s+|[IVX]+\.\s+)")


def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d; same length as `text`."""
    folded = strip_marks(text).lower()
    if len(folded) == len(text):
        return folded
    return "".join(strip_marks(char).lower()[:1] or char for char in text)


def content_id(*parts: object) -> str:
    """A 16-hex-digit id of a record's content (document, folded wording, year …), never of
    its line: a re-exported or amended version of a document gives an unchanged figure the
    id it had. Wordings fold (case, diacritics, punctuation) so that restoring the marks of
    an OCR text again does not rename what it states."""
    key = "|".join(" ".join(re.findall(r"\w+", fold(str(part)))) for part in parts)
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def plain(text: str) -> str:
    """The text without Markdown emphasis/heading marks an export may have left, trimmed."""
    return " ".join(_MARKUP_RESIDUE.sub("", text).split())


@dataclass(frozen=True)
class Paragraph:
    text: str  # the lines joined, markup residue removed
    lines: tuple[Line, ...]
    starts: tuple[int, ...]  # where each line's text begins in `text`

    @property
    def first(self) -> Line:
        return self.lines[0]

    def line_at(self, offset: int) -> Line:
        """The line that holds character `offset` of `text`."""
        index = max(index for index, start in enumerate(self.starts) if start <= offset)
        return self.lines[index]


def join_lines(lines: list[Line] | tuple[Line, ...]) -> Paragraph:
    """One paragraph of `lines`: a space between lines, none after a line ending in "-" or "/"
    (a number or code the wrap cut: "5039/KH-" + "UBND")."""
    text, starts = "", []
    for line in lines:
        part = plain(line.text)
        if text and not text.endswith(("-", "/")):
            text += " "
        starts.append(len(text))
        text += part
    return Paragraph(text=text, lines=tuple(lines), starts=tuple(starts))


MARKDOWN_ROW_CELLS = 3  # "| a | b | c |"; unbordered "a | b | c | d" (a letterhead has 2)


def table_cells(line: Line) -> tuple[str, ...] | None:
    """The row's cells: the reader's, the text split at tabs (a tab-separated export), or at
    the bars of a Markdown table row ("| 1 | Tỷ lệ … | % | ≥ 60 |", also without the outer
    bars)."""
    if line.cells:
        return line.cells
    if "\t" in line.text:
        return tuple(cell.strip() for cell in line.text.split("\t"))
    text = line.text.strip()
    bordered = text.startswith("|") and text.endswith("|")
    cells = text.strip("|").split("|") if bordered or " | " in text else []
    if len(cells) >= MARKDOWN_ROW_CELLS + (0 if bordered else 1):
        return tuple(cell.strip() for cell in cells)
    return None


def is_table_row(line: Line) -> bool:
    return table_cells(line) is not None


def follows_gap(previous: Line | None, line: Line) -> bool:
    """Whether blank lines stood between two lines (readers may drop blank lines but keep
    the file's line numbers)."""
    return previous is not None and line.line_no > previous.line_no + 1


def starts_item(text: str) -> bool:
    """Whether a line opens a list item: "- ", "a) ", "2. ", "2.1. ", "IV. "."""
    return bool(_ITEM_MARKER.match(text))


def _is_heading_line(text: str) -> bool:
    """A short numbered line without a full stop ("1. Hạ tầng số", "4. Tổ chức thực
    hiện"): a heading, so a capitalised line after it starts a paragraph of its own."""
    return (bool(_HEADING_MARKER.match(text)) and len(text.split()) <= HEADING_MAX_WORDS
            and not text.rstrip().endswith(_SENTENCE_END))


def _continues(previous: str, current: str, after_blank: bool) -> bool:
    """Whether `current` goes on the paragraph whose last line is `previous`.

    Wrapped text (OCR, PDF) breaks paragraphs into lines, sometimes with blank lines or page
    numbers in between; a line continues the paragraph unless it opens an item or the
    previous line ended a sentence and this one starts a new one.
    """
    if starts_item(current) or (_is_heading_line(previous) and current[:1].isupper()):
        return False
    ended = previous.rstrip().endswith(_SENTENCE_END)
    starts_lower = current[:1].islower() or current[:1] in "(,;"
    if after_blank:
        return not ended and starts_lower
    return not (ended and current[:1].isupper())


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Group lines into paragraphs (table rows and page-number lines are left out)."""
    found: list[list[Line]] = []
    previous: Line | None = None
    after_blank = True
    for line in lines:
        text = plain(line.text)
        if not text or is_table_row(line) or _PAGE_NUMBER.match(text):
            after_blank = True
            continue
        after_blank = after_blank or follows_gap(previous, line)
        if found and _continues(plain(found[-1][-1].text), text, after_blank):
            found[-1].append(line)
        else:
            found.append([line])
        previous, after_blank = line, False
    return [join_lines(group) for group in found]
