"""Thresholds in a form where equal means "the same plan", the kinds of unit, and how a
person writes a threshold ("≥ 80 %", "từ 10 đến 20 %")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.records import Target
from schemas.units import unit_kind, unit_label

_COMPARATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}
FLOOR_COMPARATORS = frozenset({">=", ">", "="})
CEILING_COMPARATORS = frozenset({"<=", "<"})
_SHARE_KINDS = frozenset({"pct", "pct_grdp", "pct_gdp"})
# Indicator ids end in the unit kind (pipeline.link.indicators): the same wording measured as a
# count and as a share gets two ids with one stem.
_UNIT_KIND_SUFFIX = re.compile(
    r"_(?:pct_grdp|pct_gdp|pct|index|per_10k|rank|exists|count)(?:_\d+)?$")



@dataclass(frozen=True)
class Threshold:
    """A target's threshold in a form where equal means "the same plan"."""

    direction: str  # "floor", "ceiling", "range" or "exists"
    bounds: tuple[float, ...]

    @property
    def family(self) -> str:
        """Thresholds of one family can be ordered: floors with ranges, ceilings apart."""
        return "floor" if self.direction == "range" else self.direction

    @property
    def lower(self) -> float:
        return self.bounds[0]

    @property
    def upper(self) -> float:
        return self.bounds[-1]


def threshold_of(target: Target) -> Threshold | None:
    """None when the target carries no usable figure (a numeric comparator without value)."""
    if target.comparator == "exists":
        return Threshold("exists", ())
    if target.value is None:
        return None
    if target.comparator in FLOOR_COMPARATORS:
        return Threshold("floor", (target.value,))
    if target.comparator in CEILING_COMPARATORS:
        return Threshold("ceiling", (target.value,))
    if target.value_max is None:
        return None
    return Threshold("range", (target.value, target.value_max))


def same_plan(first: Threshold, second: Threshold) -> bool:
    """Equal thresholds, or a floor and a range starting at it ("≥ 80 %" and "80–90 %"):
    the range only adds a ceiling, both can be the plan."""
    if first == second:
        return True
    directions = {first.direction, second.direction}
    return directions == {"floor", "range"} and first.lower == second.lower


def unit_class(target: Target) -> str | None:
    """pct, pct_grdp, pct_gdp, index, per_10k, rank or count; None when the target states no
    unit (an "exists" target, or a figure whose unit the extractor could not read)."""
    if target.comparator == "exists" or not (target.unit or "").strip(" -"):
        return None
    return unit_kind(target)


def units_comparable(first: Target, second: Target) -> bool:
    """Same unit kind, or one side does not say."""
    first_class, second_class = unit_class(first), unit_class(second)
    return first_class is None or second_class is None or first_class == second_class


def is_unit_mismatch(first: Target, second: Target) -> bool:
    """One side a share (%, % GRDP), the other a count."""
    kinds = {unit_class(first), unit_class(second)}
    return "count" in kinds and bool(kinds & _SHARE_KINDS)


def measure_stem(indicator_id: str) -> str:
    """The indicator id without its unit kind: where a count and a share of one measure meet."""
    return _UNIT_KIND_SUFFIX.sub("", indicator_id)


def format_number(value: float) -> str:
    """Vietnamese style: decimal comma, no trailing zeros (1,5; 80; 0,65)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _unit_suffix(unit: str | None) -> str:
    if not unit or unit.strip() == "-":
        return ""
    unit = unit_label(unit.strip())
    if not unit:
        return ""
    if unit.startswith("%"):
        rest = unit[1:].strip()
        return " %" + (f" {rest}" if rest else "")
    if unit[1:].islower():  # a table header's "Doanh nghiệp" reads "doanh nghiệp" in a sentence
        unit = unit[0].lower() + unit[1:]
    return f" {unit}"


def render_threshold(target: Target) -> str:
    """"≥ 80 %", "= 100 %", "từ 10 đến 20 %", "hạng ≤ 30", "có" — how a person would write it."""
    unit = _unit_suffix(target.unit)
    if target.comparator == "exists":
        return "có"
    if target.value is None:
        return target.comparator
    if target.comparator == "between":
        upper = format_number(target.value_max) if target.value_max is not None else "?"
        return f"từ {format_number(target.value)} đến {upper}{unit}"
    if unit_kind(target) == "rank":  # "hạng ≤ 30": the 30th place or better
        return f"hạng {_COMPARATOR_SIGNS[target.comparator]} {format_number(target.value)}"
    return f"{_COMPARATOR_SIGNS[target.comparator]} {format_number(target.value)}{unit}"


