"""The outline of a document, built once: headings (level, number, title, horizon year), list
items, paragraphs (wrapped lines joined) and table rows, each placed under the headings and
the lead-in that govern it.

Text comes as a reader gives it: a PDF's wrapped lines, an OCR's, or text copied from a web
page (lines broken mid-sentence, a heading number on its own line, `|` and `-------` left
between the cells of a two-column letterhead, blank lines between paragraphs). The outline
reads them all alike, so the extractors see one structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from extractors import lexicon
from extractors.textblocks import fold, table_cells
from schemas.records import Line

MAX_HEADING_WORDS = 12  # a longer "numbered heading" is an item of a list
LETTER_LEVEL = 50  # below any numbered heading

_ROMAN = re.compile(r"^(?P<label>[IVXL]+)[.)]?\s+(?P<title>\S.*)$")
_ROMAN_ONLY = re.compile(r"^[IVXL]+$")
_NUMBERED = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2})*)\.?\)?\s+(?P<title>\S.*)$")
# "c)"; an OCR may garble the letter ("¢)"), the outline then counts on from the last one.
_LETTERED = re.compile(r"^(?P<label>[a-zđ]|[^\w\s()\-–•+*])\)\s*(?P<title>\S.*)$")
_LETTERS = "abcdđefghiklmnopqrstuvxy"
_BULLET = re.compile(r"^[-–•+*]\s*(?=\S)")
_GARBLED_MARKER = re.compile(r"^\S{1,3}\)\s*(?P<title>\S.*)$")
_APPENDIX = re.compile(rf"^(?:{lexicon.alternation('sections', 'appendix')})\s+"
                       r"(?P<label>[ivxl]+|\d+)\b")
_TERMINAL = (".", ";", ":", "!", "?", "…")
# A heading number alone on its line, as web pages give them ("I.", "2.1.", "a)").
_LONE_MARKER = re.compile(r"^(?:[IVXL]+\.?|\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\))$")
# A rule between the cells of a letterhead, or any line of only rule characters.
_RULE = re.compile(r"^[\s\-–—_=*~.|]*$")
_CELL_EDGES = " \t|"
# What a web page leaves of a picture or an empty link ("![](/Images/a.jpg)", "![]() |"),
# or a picture's file name on a line of its own ("anh-hoi-nghi-1-2.png").
_WEB_DEBRIS = re.compile(r"^[\s|]*(?:!?\[[^\]]*\]\([^)]*\)|[\w./-]+\.(?:png|jpe?g|gif|webp|svg))"
                         r"[\s|]*$|"
                         r"^.*\b(?:view count|views|lượt xem)\s*:?\s*[\d.,]+[\s|]*$",
                         re.IGNORECASE)  # "… 11:09 | View count: 646": a page's date and counter

_HORIZON_YEAR = re.compile(rf"(?:{lexicon.alternation('horizon', 'lead')})\D{{0,12}}?"
                           r"((?:19|20)\d{2})(?:\s*[-–]\s*((?:19|20)\d{2}))?")
# A term of office after an elected body is an election's, no horizon ("bầu cử đại biểu Quốc
# hội và HĐND các cấp nhiệm kỳ 2026–2031").
ELECTED_TERM = (rf"\b(?:{lexicon.alternation('horizon', 'elected_bodies')})\s+nhiem ky\s+"
                r"(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}")
_ELECTED_TERM = re.compile(ELECTED_TERM)
_OBJECTIVES = re.compile(rf"\b(?:{lexicon.alternation('sections', 'objectives')})\b")
_TASKS = re.compile(rf"\b(?:{lexicon.alternation('sections', 'tasks')})\b")
_SPECIFIC_OBJECTIVES = re.compile(
    rf"\b(?:{lexicon.alternation('sections', 'specific_objectives')})\b")


# A date names a day, not a horizon ("Nghị quyết … ngày 22 tháng 12 năm 2024").
_DATE = re.compile(r"ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}|\d{1,2}/\d{1,2}/\d{4}")


def horizon_year(folded_text: str) -> int | None:
    """The year a heading, lead-in or title looks to: "đến năm 2025" → 2025, "giai đoạn
    2021-2025" → 2025 (the end of a period); a date is no horizon."""
    text = _ELECTED_TERM.sub(" ", _DATE.sub(" ", folded_text))
    if match := _HORIZON_YEAR.search(text):
        return int(match.group(2) or match.group(1))
    return None


def names_objectives(folded_text: str) -> bool:
    """Whether a heading or lead-in speaks of objectives or targets ("mục tiêu", "chỉ tiêu")."""
    return bool(_OBJECTIVES.search(folded_text))


# ---------------------------------------------------------------- blocks of lines


@dataclass
class Block:
    """One heading, list item or paragraph (wrapped lines joined), or one table row."""

    kind: str  # "heading", "item", "paragraph", "row", "appendix", "section" (a section row)
    lines: list[Line]
    text: str = ""
    starts: list[int] = field(default_factory=list)  # where each line begins in `text`
    label: str | None = None  # heading number: "II", "2.1", "c"
    title: str = ""  # heading text without its number
    # The text's first paragraph with words (after a dateline "08:15 12/05/2027"): a title,
    # which no next line continues.
    headline: bool = False

    def add(self, line: Line) -> None:
        stripped = line.text.strip(_CELL_EDGES)
        if self.text:
            self.text += " "
        self.starts.append(len(self.text))
        self.text += stripped
        self.lines.append(line)

    def uncertain_offsets(self) -> list[int]:
        """Offsets in `text` of comparators the OCR repair guessed."""
        offsets = []
        for start, line in zip(self.starts, self.lines, strict=True):
            lead = len(line.text) - len(line.text.lstrip(_CELL_EDGES))
            offsets += [start + offset - lead for offset in line.uncertain_comparators]
        return offsets

    @property
    def cells(self) -> tuple[str, ...]:
        return table_cells(self.lines[0]) or () if self.lines else ()


def _marker(line: Line) -> tuple[str, str | None, int] | None:
    """(kind, label, length of the marker) when the line opens a heading or a list item.

    A restorer may garble a list letter ("b)" → "bộ)"); the letter then comes from the raw
    OCR line.
    """
    text = line.text.strip(_CELL_EDGES)
    for pattern in (_ROMAN, _NUMBERED, _LETTERED):
        if match := pattern.match(text):
            return "heading", match["label"], match.start("title")
    if match := _BULLET.match(text):
        return "item", None, match.end()
    raw = _LETTERED.match(line.raw_text.strip())
    garbled = _GARBLED_MARKER.match(text)
    if line.repaired and raw and garbled:
        return "heading", raw["label"], garbled.start("title")
    return None


def _continues(block: Block, line: Line, after_gap: bool) -> bool:
    """Wrapped lines go on their block: a lower-case start, or an unfinished bullet/paragraph
    when no blank line or rule stands between them (web pages put one between paragraphs)."""
    text = line.text.strip(_CELL_EDGES)
    if block.kind in ("row", "appendix") or _marker(line) or _APPENDIX.match(fold(text)):
        return False
    if text[:1].islower():
        return True
    if block.headline:
        return False  # an article's headline: the text after it begins with a capital
    return (not after_gap and block.kind in ("item", "paragraph")
            and not block.text.endswith(_TERMINAL)
            and not block.lines[-1].text.rstrip().endswith("|"))  # a web page's cell ends


def blocks(lines: list[Line]) -> list[Block]:
    """The document as headings, items, paragraphs and table rows, in order."""
    found: list[Block] = []
    marker_lengths: list[int] = []
    after_gap = False
    lone_marker: Line | None = None
    previous: Line | None = None
    for line in lines:
        text = line.text.strip(_CELL_EDGES)
        if _RULE.match(line.text) or _WEB_DEBRIS.match(line.text):
            after_gap = True
            continue
        after_gap = after_gap or (previous is not None and line.line_no > previous.line_no + 1)
        previous = line
        if lone_marker is not None:  # "I." / "MỤC TIÊU": the number's heading is this line
            label = lone_marker.text.strip(_CELL_EDGES).rstrip(".)")
            found.append(Block("heading", [], label=label))
            marker_lengths.append(len(lone_marker.text.strip(_CELL_EDGES)) + 1)
            found[-1].add(lone_marker)
            lone_marker = None
        elif _LONE_MARKER.match(text) and table_cells(line) is None:
            lone_marker = line
            continue
        elif table_cells(line) is not None:
            found.append(Block("row", []))
            marker_lengths.append(0)
        elif appendix := _APPENDIX.match(fold(text)):
            found.append(Block("appendix", [], label=appendix["label"]))
            marker_lengths.append(0)
        elif not (found and _continues(found[-1], line, after_gap)):
            kind, label, length = _marker(line) or ("paragraph", None, 0)
            found.append(Block(kind, [], label=label,
                               headline=kind == "paragraph" and not any(
                                   char.isalpha() for block in found for char in block.text)))
            marker_lengths.append(length)
        found[-1].add(line)
        after_gap = False
    for block, length in zip(found, marker_lengths, strict=True):
        block.title = block.text[length:].strip()
    return found


# ---------------------------------------------------------------- where a block sits


def titled(title: str) -> bool:
    """Whether a numbered line's text is a heading's: short, no share and nothing after a
    colon. "1) Hạ tầng số: cáp quang phủ tới 100% hộ gia đình …", "2. Tỷ lệ … đạt 100%" are
    items of the list a lead-in opened; their year and lead-in hold."""
    return (len(title.split()) <= MAX_HEADING_WORDS and "%" not in title
            and ":" not in title.rstrip(" :"))



@dataclass(frozen=True)
class Heading:
    level: int  # 0 Roman, 1 "2", 2 "2.1", … LETTER_LEVEL "a)"
    label: str
    title: str

    @property
    def is_title(self) -> bool:
        """A real heading, not a numbered item of a list."""
        return titled(self.title)

    @property
    def horizon(self) -> int | None:
        return horizon_year(fold(self.title)) if self.is_title else None


@dataclass(frozen=True)
class Place:
    """The headings above a block (deepest last) and the appendix it is in."""

    appendix: str | None = None
    headings: tuple[Heading, ...] = ()

    def section(self, *extra: str) -> str | None:
        """ "II.2.1.a", "PL1.I.3": the appendix, the Roman, the deepest number, the letter."""
        romans = [h.label for h in self.headings if h.level == 0]
        numbers = [h.label for h in self.headings if 0 < h.level < LETTER_LEVEL]
        letters = [h.label for h in self.headings if h.level == LETTER_LEVEL]
        parts = [part for part in (self.appendix, *romans[-1:], *numbers[-1:], *letters[-1:],
                                   *extra) if part]
        return ".".join(parts) or None

    def _titles(self) -> list[str]:
        return [fold(h.title) for h in self.headings if h.is_title]

    def horizon_year(self) -> int | None:
        """The year the deepest heading that names one looks to."""
        return next((h.horizon for h in reversed(self.headings) if h.horizon), None)

    def in_objectives(self) -> bool:
        """Under a heading that names objectives, or one that looks to a year ("Định hướng đến
        năm 2030") and names no tasks: what it holds is a list of targets."""
        titles = self._titles()
        return (any(names_objectives(title) for title in titles)
                or (self.horizon_year() is not None
                    and not any(_TASKS.search(title) for title in titles)))

    def in_tasks(self) -> bool:
        """Under a heading that names tasks or solutions ("III. NHIỆM VỤ VÀ GIẢI PHÁP")."""
        return any(_TASKS.search(title) for title in self._titles())

    def in_specific_objectives(self) -> bool:
        return any(_SPECIFIC_OBJECTIVES.search(title) for title in self._titles())


@dataclass(frozen=True)
class Placed:
    block: Block
    place: Place
    lead: Block | None = None  # the lead-in ("Mục tiêu đến năm 2025 là:") governing it

    @property
    def is_lead_in(self) -> bool:
        return self.block.kind in ("paragraph", "item") and self.block.text.rstrip().endswith(":")


def _level(label: str) -> int:
    if _ROMAN_ONLY.match(label):
        return 0
    if label[0].isdigit():
        return label.count(".") + 1
    return LETTER_LEVEL


def arabic(label: str) -> int:
    """ "IV" → 4, "12" → 12."""
    if label.isdigit():
        return int(label)
    values = {"i": 1, "v": 5, "x": 10, "l": 50}
    total = 0
    for char, following in zip(label.lower(), [*label.lower()[1:], ""], strict=True):
        value = values[char]
        total += -value if following and values[following] > value else value
    return total


def _row_section(cells: tuple[str, ...]) -> tuple[str, str] | None:
    """("II", "Phát triển nguồn lực") for a section row: a Roman number and a title only."""
    filled = [cell.strip() for cell in cells if cell.strip()]
    if not filled:
        return None
    first = filled[0].split(maxsplit=1)
    if not _ROMAN_ONLY.match(first[0]):
        return None
    title = " ".join(first[1:] + filled[1:2])
    return (first[0], title) if len(filled) <= 2 else None


@dataclass
class _Walk:
    """The headings above the current block while the outline is walked."""

    appendix: str | None = None
    stack: list[Heading] = field(default_factory=list)

    def enter_appendix(self, label: str) -> None:
        self.appendix = f"PL{arabic(label)}"
        self.stack = []

    def enter(self, label: str, title: str) -> None:
        level = _level(label)
        if level == LETTER_LEVEL and label not in _LETTERS:
            label = self._next_letter()
        self.stack = [heading for heading in self.stack if heading.level < level]
        self.stack.append(Heading(level, label, title))

    def _next_letter(self) -> str:
        previous = [h.label for h in self.stack if h.level == LETTER_LEVEL]
        if not previous:
            return _LETTERS[0]
        return _LETTERS[min(_LETTERS.index(previous[-1]) + 1, len(_LETTERS) - 1)]

    def place(self) -> Place:
        return Place(self.appendix, tuple(self.stack))


def is_title(block: Block) -> bool:
    """A heading block that is one (see `titled`)."""
    return block.kind == "heading" and titled(block.title)


def outline(lines: list[Line]) -> Iterator[Placed]:
    """Every block in reading order with its place; a heading is placed under itself, a table
    row that only names a section ("II | Phát triển nguồn lực") enters that section."""
    walk = _Walk()
    lead: Block | None = None
    for block in blocks(lines):
        if block.kind == "appendix" and block.label:
            walk.enter_appendix(block.label)
        elif block.kind == "heading" and block.label:
            walk.enter(block.label, block.title)
        elif block.kind == "row" and (section := _row_section(block.cells)):
            walk.enter(*section)
            block.kind = "section"
        if block.kind in ("appendix", "section") or is_title(block):
            lead = None
        placed = Placed(block, walk.place(), lead)
        yield placed
        if placed.is_lead_in:
            lead = block
