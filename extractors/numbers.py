"""Vietnamese numbers and comparators.

`1.200` is one thousand two hundred, `0,65` is a decimal, `01` is one. A threshold is a
number with what the text says about it: a symbol (`≥`), a word before it (`từ`, `ít nhất`,
`tối thiểu`, `đạt`, `trên`, `dưới`, `không quá`, `tối đa` …), a word after it (`trở lên`), or a
range (`15 - 20`, `50 đến 60`). Dates and deadlines live in their own functions elsewhere in
this module's family; these functions only read quantities.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import cast

from extractors import lexicon
from extractors.textblocks import fold
from schemas.records import Comparator
from schemas.units import PERSONS_PER_10K

# Thousands groups with dots (1.200, 12.000.000) or a plain integer, then an optional decimal
# comma (0,65). A dot followed by one or two digits is read as a decimal point too (14.5).
# Thousands grouped by dots ("1.200"), or by spaces before a counted word ("250 000 trẻ em",
# as web pages write them; never "80 100" of a table row, which a number ends).
_NUMBER = (r"[1-9]\d{0,2}(?: \d{3})+(?= [^\W\d_])"
           r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[,.]\d{1,2}(?!\d))?(?:,\d+)?")

# Words before and after a number and the comparator they make (extractors/lexicon.toml).
COMPARATOR_WORDS = cast(dict[str, Comparator], lexicon.mapping("comparators", "before"))
AFTER_WORDS = cast(dict[str, Comparator], lexicon.mapping("comparators", "after"))

_WORDS = "|".join(re.escape(word) for word in sorted(COMPARATOR_WORDS, key=len, reverse=True))
# "5-8-2022" is a date, no range: a range's end is followed by no "-digit".
# A run of comparator characters: OCR and restoration leave "=>", "=≥", "> =".
_SYMBOLS = r"[≥≤⩾⩽<>=](?:\s?[≥≤⩾⩽<>=])*"
_RISE_TO = lexicon.alternation("comparators", "rise_to", fold_words=False)
_PER_10K_DENOMINATOR = r"/\s?(?:10\.000|01 vạn|1 vạn|một vạn|vạn)\s(?:dân|người)"
# "0,7/1.000 dân": per so many people (the unit says what is counted per how many).
_PER_PEOPLE_DENOMINATOR = r"/\s?(?:100|\d{1,3}(?:\.\d{3})+)\s(?:dân|người)"
# %, % GRDP, % GDP, "% trong GDP"; "10/10.000 người" is per 10,000 people.
_PERCENT = (r"(?:\s?%(?:\s?(?:(?:trong|của)\s)?G(?:R)?DP)?"
            rf"|{_PER_10K_DENOMINATOR}|{_PER_PEOPLE_DENOMINATOR})?")
# Not glued to anything on the left but a space, a bracket or a comparator (s6, x4, c¢6 are
# OCR debris), nor followed by a letter (5G), a date slash (01/4) or a document-number dash
# (02-CTr).
_LEFT = r"(?:(?<=^)|(?<=[\s(≥≤<>=:~+\-–]))(?<!\d:)"  # not the minutes of 08:15
_RIGHT = (rf"(?!\w|/(?!{_PER_10K_DENOMINATOR[1:]}|{_PER_PEOPLE_DENOMINATOR[1:]})|[.,:]\d|"
          r"-[^\W\d_])")
# "tối thiểu đạt 20%": a bound said before the verb that reaches the value.
_BOUND_BEFORE_REACH = "|".join(re.escape(word) for word in sorted(
    (word for word in lexicon.words("comparators", "bounds") if word[0].isalpha()),
    key=len, reverse=True))
_THRESHOLD = re.compile(
    rf"(?:(?P<bound>{_BOUND_BEFORE_REACH})\s+(?:phấn đấu\s+)?đạt\s+"
    rf"|(?P<reach>đạt|phấn đấu đạt)\s+)?"
    rf"(?:(?P<word>{_WORDS})(?!\w)['’`?]?\s*|(?P<symbol>{_SYMBOLS})\s*)?"
    rf"{_LEFT}(?<!\d[-–])(?P<value>{_NUMBER}){_RIGHT}(?P<unit>{_PERCENT})"
    rf"(?:\s*(?:-|–|—|đến|tới)\s*{_LEFT}(?P<value_max>{_NUMBER}){_RIGHT}(?![-–]\d)"
    rf"(?P<unit_max>{_PERCENT})"
    rf"|\s+(?:{_RISE_TO})\s+(?:mức\s+)?{_LEFT}(?P<value_to>{_NUMBER}){_RIGHT}"
    rf"(?P<unit_to>{_PERCENT}))?"
    rf"(?:(?:\s*/\s*năm)?\s+(?P<after>{'|'.join(AFTER_WORDS)}|trở\s+\S{{0,2}}[eêệ]n)(?!\w))?",
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
    symbol: str | None = None  # the comparator symbols as written ("≥", "=>"), if any


_NUMBER_WORDS = {fold(word): value
                 for word, value in lexicon.mapping("comparators", "number_words").items()}
_BOUND_WORDS = "|".join(re.escape(word) for word in sorted(
    (fold(word) for word in lexicon.words("comparators", "bounds") if word[0].isalpha()),
    key=len, reverse=True))
_BOUNDED_NUMBER_WORD = re.compile(
    rf"\b(?:{_BOUND_WORDS})\s+(?P<word>{'|'.join(_NUMBER_WORDS)})\b(?!\s*[\d/.,-])")


def with_number_words_as_digits(text: str) -> str:
    """ "ít nhất ba trung tâm" → "ít nhất 3  trung tâm": a number word after a bound becomes
    its digits, padded so that every offset into `text` still holds."""
    for match in reversed(list(_BOUNDED_NUMBER_WORD.finditer(fold(text)))):
        digits = str(_NUMBER_WORDS[match["word"]]).ljust(len(match["word"]))
        text = text[:match.start("word")] + digits + text[match.end("word"):]
    return text


def parse_number(text: str) -> float | None:
    """`1.200` → 1200.0, `0,65` → 0.65, `01` → 1.0, `14.5` → 14.5; None when not a number."""
    text = text.strip()
    if re.fullmatch(r"[1-9]\d{0,2}(?: \d{3})+", text):
        return float(text.replace(" ", ""))
    if not re.fullmatch(_NUMBER, text):
        return None
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "")
    return float(text.replace(",", "."))


def _unit_of(match_unit: str) -> str | None:
    compact = match_unit.replace(" ", "").upper()
    if not compact:
        return None
    if compact.startswith("/"):
        per = " ".join(match_unit.split())
        return PERSONS_PER_10K if re.search(_PER_10K_DENOMINATOR, per) else per.replace("/ ", "/")
    if compact.endswith("GRDP"):
        return "%GRDP"
    return "%GDP" if compact.endswith("GDP") else "%"


def symbol_comparator(symbols: str) -> Comparator:
    """The comparator a run of symbols means: "≥", ">=", "=>", "=≥" → ">="; "=" → "="."""
    chars = set(symbols.replace(" ", ""))
    if chars & {"≥", "⩾"} or {">", "="} <= chars:
        return ">="
    if chars & {"≤", "⩽"} or {"<", "="} <= chars:
        return "<="
    if ">" in chars:
        return ">"
    return "<" if "<" in chars else "="


def _comparator_of(match: re.Match[str]) -> tuple[Comparator, bool]:
    if match.group("value_to"):
        return "=", True
    if match.group("value_max"):
        return "between", True
    if match.group("symbol"):
        return symbol_comparator(match.group("symbol")), True
    word = (match.group("word") or match.group("bound") or "").lower()
    after = (match.group("after") or "").lower()
    if word and word != "đạt":
        return COMPARATOR_WORDS[word], True
    if after:
        return AFTER_WORDS.get(after, ">="), True  # "trở [ện": an OCR-damaged "trở lên"
    if word or match.group("reach"):
        return "=", True
    return "=", False


# Comparator words of several syllables are recognised with a mark wrong ("đạt tối thiếu
# 10%"): the text's words are written as the lexicon writes them before reading.
_SPELLED = {fold(word): word for word in COMPARATOR_WORDS if " " in word}
_MISSPELLED = re.compile(
    rf"\b(?:{'|'.join(re.escape(word) for word in sorted(_SPELLED, key=len, reverse=True))})\b")


def _comparators_spelled(text: str) -> str:
    """`text` with each comparator word of several syllables as the lexicon spells it (same
    length, so offsets hold)."""
    for match in _MISSPELLED.finditer(fold(text)):
        spelled = _SPELLED[match.group()]
        if len(spelled) == match.end() - match.start():
            text = text[:match.start()] + spelled + text[match.end():]
    return text


_DOUBLE_DIGITS = re.compile(
    rf"\b(?:(?:{_WORDS})\s+)?(?:{lexicon.alternation('comparators', 'double_digits', False)})"
    r"(?!\w)", re.IGNORECASE)
DOUBLE_DIGITS_FLOOR = 10.0


def find_thresholds(text: str) -> list[Threshold]:
    """Every number in `text` with its comparator, left to right; "tăng trưởng hai con số" is
    a floor of 10%."""
    doubles = [Threshold(">=", DOUBLE_DIGITS_FLOOR, None, "%", match.start(), match.end(),
                         explicit=True) for match in _DOUBLE_DIGITS.finditer(text)]
    thresholds = list(doubles)
    for match in _THRESHOLD.finditer(_comparators_spelled(text)):
        if any(double.start <= match.start("value") < double.end for double in doubles):
            continue
        comparator, explicit = _comparator_of(match)
        # "tăng từ 60% lên 80%": the target is where it goes, not where it starts
        value = parse_number(match.group("value_to") or match.group("value"))
        value_max = parse_number(match.group("value_max")) if match.group("value_max") else None
        if value is not None and value_max is not None and value_max < value:
            continue  # "Sáng 24-9": a day and a month, no range
        units = [_unit_of(match.group(name) or "") for name in ("unit_to", "unit", "unit_max")]
        # "từ 20% đến 25% GRDP": a share of GRDP, said once for the range
        unit = next((unit for unit in units if unit and unit != "%"), None) or next(
            (unit for unit in units if unit), None)
        thresholds.append(Threshold(comparator, value, value_max, unit,
                                    match.start(), match.end(), explicit, match.group("symbol")))
    return sorted(thresholds, key=lambda threshold: threshold.start)


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


# ---------------------------------------------------------------- dates and deadlines
# (tasks and metadata engineer) Patterns run on folded text (extractors.textblocks.fold):
# "ngày" -> "ngay", "Quý" -> "quy", so clean and diacritic-stripped text read alike.

_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_WRITTEN_DATE = re.compile(
    r"ngay\s+(?P<day>\d{1,2})\s+thang\s+(?P<month>\d{1,2})\s+nam\s+(?P<year>\d{4})")
_NUMERIC_DATE = re.compile(r"(?<![\d/])(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*"
                           r"(?P<year>(?:19|20)\d{2})(?!\d)")
_QUARTER = re.compile(r"quy\s+(?P<quarter>iv|iii|ii|i|[1-4])\s*(?:/|nam)\s*(?P<year>\d{4})")
# "6 tháng đầu năm 2026" ends in June, "4 tháng cuối năm 2025" with the year
_PART_YEAR = re.compile(
    r"(?P<months>\d{1,2})\s+thang\s+(?P<part>dau|cuoi)\s+nam\s+(?P<year>\d{4})")
_MONTH = re.compile(r"(?:thang\s+)?(?<![\d/])(?P<month>\d{1,2})\s*(?:/|nam|\.(?=\d{4}))\s*"
                    r"(?P<year>\d{4})(?![\d/])")  # "6/2026", "tháng 6 năm 2026", "tháng 9.2025"
_YEAR = re.compile(r"(?:nam|den)\s+(?P<year>(?:19|20)\d{2})(?!\s*[-–]\s*\d)")
_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*[-–]\s*(?P<year>(?:19|20)\d{2})")
_PROSE_RECURRING = re.compile(rf"\b(?:{lexicon.alternation('recurrence', 'task_prose')})\b")
_NAMES_HOLDING_RECURRENCE = re.compile(
    rf"\b(?:{lexicon.alternation('recurrence', 'names_holding_them')})\b")
_BARE_YEAR = re.compile(r"(?:19|20)\d{2}")
_RECURRING = re.compile(rf"^(?:{lexicon.alternation('recurrence', 'task_cell')})\b")
_OTHERS_DEADLINE = re.compile(r"\bco (?:thoi han|thoi gian)\s*$")
# "trước ngày 30/4/2026", "đến tháng 6/2026", "hoàn thành năm 2026", "hoàn thành vào quý
# III/2026", "trước 31-12-2026", "chậm nhất trong tháng 8/2026", "Thời gian: Quý II/2026"
_PROSE_DEADLINE = re.compile(
    r"(?:truoc|(?:cham nhat|han chot)(?:\s+la)?(?:\s+(?:trong|vao))?|"
    r"hoan thanh(?:\s+(?:trong|truoc|vao))?|trong|den het|den(?=\s+(?:ngay|thang|quy)\b)|"
    r"thoi (?:gian|han)(?:\s+(?:hoan thanh|thuc hien))?\s*:)\s+"
    r"(?:ngay\s+)?(?P<when>\d{1,2}\s*[.-]\s*\d{1,2}\s*[.-]\s*\d{4}|"
    r"(?:\d{1,2}\s*[/.-]\s*)?\d{1,2}\s*/\s*\d{4}|"
    r"\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}|"
    r"quy\s+(?:iv|iii|ii|i|[1-4])\s*(?:/|nam)\s*\d{4}|\d{1,2}\s+thang\s+(?:dau|cuoi)\s+nam\s+\d{4}|"
    r"thang\s+\d{1,2}\s*(?:/|nam|\.)\s*\d{4}|nam\s+\d{4})")


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date | None:
    if not 1 <= month <= 12:
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_date(text: str) -> date | None:
    """The first full date in `text`: "ngày 29 tháng 8 năm 2025", "29/8/2025", "29-08-2025"."""
    folded = fold(text)
    found = [match for pattern in (_WRITTEN_DATE, _NUMERIC_DATE)
             if (match := pattern.search(folded))]
    for match in sorted(found, key=lambda match: match.start()):
        parsed = _valid_date(int(match["year"]), int(match["month"]), int(match["day"]))
        if parsed:
            return parsed
    return None


@dataclass(frozen=True)
class Deadline:
    text: str  # the words that state it, as written
    due_date: date | None  # the last day the wording allows; None when it names no date
    recurring: bool = False


# "… theo Nghị định 45/2020/NĐ-CP ngày 08/4/2020": the date a cited document was issued, no
# deadline.
_CITED_DATE = re.compile(
    r"(?<=\d)/(?:\d{4}/)?[a-z][a-z0-9-]*(?:/[a-z0-9-]+)*\s*,?\s*(?P<date>ngay\s+\d{1,2}"
    r"(?:\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\s+thang\s+\d{1,2}\s+nam\s+\d{4}))")


def _without_cited_dates(folded: str) -> str:
    for match in reversed(list(_CITED_DATE.finditer(folded))):
        start, end = match.span("date")
        folded = folded[:start] + " " * (end - start) + folded[end:]
    return folded


def _period_end(folded: str) -> date | None:
    """The last day of the day, month, quarter, half-year or year that `folded` names (not
    the date of a document it cites)."""
    folded = _without_cited_dates(folded)
    if match := _WRITTEN_DATE.search(folded) or _NUMERIC_DATE.search(folded):
        return _valid_date(int(match["year"]), int(match["month"]), int(match["day"]))
    if match := _QUARTER.search(folded):
        quarter = _ROMAN_QUARTERS.get(match["quarter"]) or int(match["quarter"])
        return _month_end(int(match["year"]), quarter * 3)
    if match := _PART_YEAR.search(folded):
        return _month_end(int(match["year"]),
                          int(match["months"]) if match["part"] == "dau" else 12)
    if match := _MONTH.search(folded):
        return _month_end(int(match["year"]), int(match["month"]))
    if match := _YEAR_RANGE.search(folded) or _YEAR.search(folded):
        return date(int(match["year"]), 12, 31)
    return None


def parse_deadline(text: str) -> Deadline | None:
    """A deadline cell or phrase: "6/2026", "Quý IV/2026", "Năm 2026", "trước ngày 31/3/2026".

    "Thường xuyên" (and "hằng năm", "định kỳ") is recurring with no due date; a wording that
    names no time ("Theo lộ trình được phê duyệt") keeps its text with no due date. Empty
    text gives None.
    """
    cleaned = " ".join(text.split()).strip(" .;,")
    if not cleaned:
        return None
    folded = fold(cleaned)
    if _RECURRING.match(folded):
        return Deadline(text=cleaned, due_date=None, recurring=True)
    if _BARE_YEAR.fullmatch(folded):  # a deadline cell holding only "2026": within that year
        return Deadline(text=cleaned, due_date=date(int(folded), 12, 31))
    return Deadline(text=cleaned, due_date=_period_end(folded))


def find_prose_deadline(text: str) -> Deadline | None:
    """A deadline stated inside a sentence ("… hoàn thành trước ngày 31/3/2026"), or that the
    work recurs ("… báo cáo trước ngày 15/12 hằng năm", "định kỳ"), if either."""
    folded = fold(text)
    # "… các nhiệm vụ … có thời hạn hoàn thành trong năm 2025": the deadline of what is named
    match = next((found for found in _PROSE_DEADLINE.finditer(folded)
                  if not _OTHERS_DEADLINE.search(folded[:found.start()])), None)
    due_date = _period_end(match["when"]) if match else None
    if match and due_date is not None:
        return Deadline(text=text[match.start():match.end()], due_date=due_date)
    named = _NAMES_HOLDING_RECURRENCE.sub(lambda match: " " * len(match.group()), folded)
    if recurs := _PROSE_RECURRING.search(named):
        return Deadline(text=text[recurs.start():recurs.end()], due_date=None, recurring=True)
    return None
