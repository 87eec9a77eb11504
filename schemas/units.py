"""Units a target's value can carry, and the kind of quantity each unit measures."""

from __future__ import annotations

from schemas.records import Target

PERSONS_PER_10K = "persons_per_10k"
INDEX_UNIT = "index"
RANK_UNIT = "hạng"  # a place in a ranking: "top 3", "thuộc nhóm 30 nước dẫn đầu"

# How a unit reads to a person; units not listed read as they are stored ("%", "doanh nghiệp").
UNIT_LABELS = {PERSONS_PER_10K: "người/vạn dân", INDEX_UNIT: ""}


def unit_label(unit: str | None) -> str | None:
    """How a person writes the unit: persons_per_10k → "người/vạn dân"; an index has none."""
    return UNIT_LABELS.get(unit, unit) if unit else unit


def unit_kind(target: Target) -> str:
    """The kind of quantity: pct, pct_grdp, pct_gdp, index, per_10k, rank, exists or count."""
    if target.comparator == "exists":
        return "exists"
    unit = target.unit or ""
    return {"%": "pct", "%GRDP": "pct_grdp", "%GDP": "pct_gdp", INDEX_UNIT: "index",
            PERSONS_PER_10K: "per_10k", RANK_UNIT: "rank"}.get(unit, "count")
