"""Vietnam's provinces (current and former names) and the marks of central bodies, from
places.toml (package data)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from normalizers.unicode import normalize_text


@cache
def _data() -> dict[str, Any]:
    text = resources.files("normalizers").joinpath("places.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class Province:
    name: str  # as written today ("Lâm Đồng")
    kind: str  # "tỉnh" or "thành phố"
    merged_into: str | None = None  # a former province: the one it is part of since 2025

    @property
    def label(self) -> str:
        """"tỉnh Lâm Đồng", "thành phố Hồ Chí Minh" — how a document names it."""
        return f"{self.kind} {self.name}"


@cache
def provinces() -> tuple[Province, ...]:
    """The 34 current provinces and cities, then the former ones (with what they joined)."""
    table = _data()["provinces"]
    current = [Province(normalize_text(name), normalize_text(facts["kind"]))
               for name, facts in table.items()]
    former = [Province(normalize_text(old), "tỉnh", normalize_text(name))
              for name, facts in table.items() for old in facts["former"]]
    return (*current, *former)


@cache
def province_aliases() -> dict[str, Province]:
    """Short forms as texts write them ("TP.HCM") -> the province."""
    by_name = {province.name: province for province in provinces()}
    return {normalize_text(alias): by_name[normalize_text(name)]
            for name, facts in _data()["provinces"].items()
            for alias in facts.get("aliases", [])}


def central_bodies() -> tuple[str, ...]:
    return tuple(normalize_text(body) for body in _data()["central"]["bodies"])


def ministry_prefix() -> str:
    return normalize_text(_data()["central"]["ministry_prefix"])


def central_codes() -> frozenset[str]:
    return frozenset(normalize_text(code) for code in _data()["central"]["codes"])


def capital() -> str:
    return normalize_text(_data()["central"]["capital"])
