"""Vietnamese numbers and comparators.

`1.200` is one thousand two hundred, `0,65` is a decimal, `01` is one. A threshold is a
number with what the text says about it: a symbol (`≥`), a word before it (`từ`, `ít nhất`,
`tối thiểu`, `đạt`, `trên`, `dưới`, `không quá`, `tối đa` …), a word after it (`trở lên`), or a
range (`15 - 20`, `50 đến 60`). Dates and deadlines live in their own functions elsewhere in
this module's family; these functions only read quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.records import Comparator

# Thousands groups with dots (1.200, 12.000.000) or a plain integer, then an optional decimal
# comma (0,65). A dot followed by one or two digits is read as a decimal point too (14.5).
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[,.]\d{1,2}(?!\d))?(?:,\d+)?"

# Longest first, so "không quá" wins over "quá" and "lớn hơn hoặc bằng" over "lớn hơn".
COMPARATOR_WORDS: dict[str, Comparator] = {
    "lớn hơn hoặc bằng": ">=",
    "nhỏ hơn hoặc bằng": "<=",
    "không vượt quá": "<=",
    "không thấp hơn": ">=",
    "không ít hơn": ">=",
    "không dưới": ">=",
    "không quá": "<=",
    "tối thiểu": ">=",
    "tối đa": "<=",
    "ít nhất": ">=",
    "nhiều nhất": "<=",
    "lớn hơn": ">",
    "cao hơn": ">",
    "nhỏ hơn": "<",
    "thấp hơn": "<",
    "ít hơn": "<",
    "trên": ">",
    "dưới": "<",
    "từ": ">=",
    "bằng": "=",
    "đạt": "=",
}
COMPARATOR_SYMBOLS: dict[str, Comparator] = {
    "≥": ">=", ">=": ">=", "=>": ">=", "⩾": ">=",
    "≤": "<=", "<=": "<=", "=<": "<=", "⩽": "<=",
    ">": ">", "<": "<", "=": "=",
}
AFTER_WORDS: dict[str, Comparator] = {"trở lên": ">=", "trở xuống": "<="}

_WORDS = "|".join(re.escape(word) for word in sorted(COMPARATOR_WORDS, key=len, reverse=True))
_SYMBOLS = "|".join(re.escape(sym) for sym in sorted(COMPARATOR_SYMBOLS, key=len, reverse=True))
_PERCENT = r"(?:\s?%(?:\s?GRDP)?)?"
# Not glued to a letter or digit on the left (s6, x4), nor followed by a letter (5G), a date
# slash (01/4) or a document-number dash (02-CTr).
_LEFT = r"(?<![\w.,/])"
_RIGHT = r"(?![\w/]|[.,]\d|-[^\W\d_])"
_THRESHOLD = re.compile(
    rf"(?:(?P<reach>đạt|phấn đấu đạt)\s+)?"
    rf"(?:(?P<word>{_WORDS})(?!\w)\s*|(?P<symbol>{_SYMBOLS})\s*)?"
    rf"{_LEFT}(?P<value>{_NUMBER}){_RIGHT}(?P<unit>{_PERCENT})"
    rf"(?:\s*(?:-|–|—|đến|tới)\s*{_LEFT}(?P<value_max>{_NUMBER}){_RIGHT}(?P<unit_max>{_PERCENT}))?"
    rf"(?:\s+(?P<after>{'|'.join(AFTER_WORDS)})(?!\w))?",
    re.IGNORECASE,
)
_YES = {"có", "đạt", "hoàn thành", "duy trì"}
_NOTHING = {"", "-", "–", "—", "không", "x", "/"}


@dataclass(frozen=True)
class Threshold:
    comparator: Comparator
    value: float | None
    value_max: float | None = None
    unit: str | None = None  # "%", "%GRDP" or None: what the number itself carries
    start: int = 0  # span in the text, comparator words included
    end: int = 0
    explicit: bool = False  # a comparator symbol or word said so (not a bare number)


def parse_number(text: str) -> float | None:
    """`1.200` → 1200.0, `0,65` → 0.65, `01` → 1.0, `14.5` → 14.5; None when not a number."""
    text = text.strip()
    if not re.fullmatch(_NUMBER, text):
        return None
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "")
    return float(text.replace(",", "."))


def _unit_of(match_unit: str) -> str | None:
    compact = match_unit.replace(" ", "").upper()
    if not compact:
        return None
    return "%GRDP" if compact.endswith("GRDP") else "%"


def _comparator_of(match: re.Match[str]) -> tuple[Comparator, bool]:
    if match.group("value_max"):
        return "between", True
    if match.group("symbol"):
        return COMPARATOR_SYMBOLS[match.group("symbol")], True
    word = (match.group("word") or "").lower()
    after = (match.group("after") or "").lower()
    if word and word != "đạt":
        return COMPARATOR_WORDS[word], True
    if after:
        return AFTER_WORDS[after], True
    if word or match.group("reach"):
        return "=", True
    return "=", False


def find_thresholds(text: str) -> list[Threshold]:
    """Every number in `text` with its comparator, left to right."""
    thresholds = []
    for match in _THRESHOLD.finditer(text):
        comparator, explicit = _comparator_of(match)
        value = parse_number(match.group("value"))
        value_max = parse_number(match.group("value_max")) if match.group("value_max") else None
        unit = _unit_of(match.group("unit")) or _unit_of(match.group("unit_max") or "")
        thresholds.append(Threshold(comparator, value, value_max, unit,
                                    match.start(), match.end(), explicit))
    return thresholds


def parse_threshold_cell(cell: str) -> Threshold | None:
    """A table cell that holds one target: `≥ 70`, `100`, `Có`, `Đạt 2% GRDP`; `-` → None."""
    text = cell.strip().rstrip(".")
    if text.lower() in _NOTHING:
        return None
    if text.lower() in _YES:
        return Threshold("exists", None, start=0, end=len(text), explicit=True)
    found = find_thresholds(text)
    if not found:
        return None
    first = found[0]
    if first.comparator == "=" and not first.explicit:
        # A bare number in a target column is the value to reach.
        return Threshold("=", first.value, first.value_max, first.unit, first.start, first.end,
                         explicit=True)
    return first
