"""Whose jurisdiction a document belongs to, read from its issuer, its number and its
letterhead: the whole country, a ministry (for its sector), a province or city, a district.

In this order: a ministry issuer ("Bộ Y tế"); a central body or a number only central
bodies use (57-NQ/TW, 749/QĐ-TTg); a district named in the letterhead ("HUYỆN ỦY …",
"UBND HUYỆN …"); the province the letterhead, title or place-and-date line names
("TỈNH ỦY LÂM ĐỒNG", "… trên địa bàn tỉnh Lâm Đồng", "Lâm Đồng, ngày …"); else the province
the text names most often ("tỉnh X", "thành phố X", else the bare name written with
capitals: "Đà Nẵng", "TP.HCM"). None when nothing says.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from extractors.textblocks import fold, plain
from normalizers.places import (
    Province,
    capital,
    central_bodies,
    central_codes,
    ministry_prefix,
    province_aliases,
    provinces,
)
from schemas.records import Jurisdiction

NATIONAL = "Trung ương"
_PROVINCE_LEAD = r"(?:tinh uy|thanh uy|tinh|thanh pho|tp\.?)\s+"
_DISTRICT = re.compile(r"\b(?:huyen uy|ubnd huyen|uy ban nhan dan huyen|huyen)\s+"
                       r"(?P<name>[a-z]+(?:\s[a-z]+){0,2})\s*$")


@dataclass(frozen=True)
class _Patterns:
    named: re.Pattern[str]  # "tỉnh X", "Tỉnh ủy X", "thành phố X"
    place_and_date: re.Pattern[str]  # "X, ngày …"
    bare: re.Pattern[str]  # "X" or an alias, to be checked for capitals
    by_folded: dict[str, Province]


@cache
def _patterns() -> _Patterns:
    by_folded = {fold(province.name): province for province in provinces()}
    by_folded |= {fold(alias): province for alias, province in province_aliases().items()}
    names = "|".join(re.escape(name).replace(r"\ ", r"\s*") for name in
                     sorted(by_folded, key=len, reverse=True))
    return _Patterns(
        named=re.compile(rf"\b{_PROVINCE_LEAD}(?P<name>{names})\b"),
        place_and_date=re.compile(rf"^(?:{_PROVINCE_LEAD})?(?P<name>{names}),?\s+ngay\b"),
        bare=re.compile(rf"(?<!\w)(?P<name>{names})(?!\w)"),
        by_folded=by_folded,
    )


def _province(folded_name: str) -> Province:
    by_folded = _patterns().by_folded
    return by_folded.get(folded_name) or by_folded[" ".join(folded_name.split())]


def _named_provinces(texts: Iterable[str], bare: bool = False) -> list[Province]:
    """Provinces the texts name, in order: "tỉnh X" and the like, a place-and-date line;
    with `bare`, also a name alone when every word of it is capitalised as written ("Long
    An", never "lòng an toàn"). The capital's place line or bare name is not counted."""
    patterns = _patterns()
    found = []
    for text in texts:
        original = plain(text)
        folded = fold(original)
        found.extend(_province(match["name"]) for match in patterns.named.finditer(folded))
        loose = [match for match in patterns.bare.finditer(folded) if bare
                 and _capitalised(original[match.start():match.end()])]
        if match := patterns.place_and_date.match(folded):
            loose.append(match)
        found.extend(province for match in loose
                     if (province := _province(match["name"])).name != capital())
    return found


def _capitalised(written: str) -> bool:
    return all(word[0].isupper() for word in re.findall(r"\w+", written))


def _is_central(issuer: str | None, number: str | None) -> bool:
    if issuer and any(fold(issuer).startswith(fold(body)) for body in central_bodies()):
        return True
    codes = re.split(r"[-/]", number.split("/", 1)[1]) if number and "/" in number else []
    return bool(set(codes) & central_codes())


def _is_ministry(issuer: str | None) -> bool:
    prefix = ministry_prefix()
    return bool(issuer and issuer.startswith(prefix)
                and not any(fold(issuer).startswith(fold(body)) for body in central_bodies()))


def _district(header: list[str], province: Province | None) -> Jurisdiction | None:
    for text in map(plain, header):
        if match := _DISTRICT.search(fold(text)):
            name = "huyện " + text[match.start("name"):match.end("name")].title()
            where = f"{name} ({province.label})" if province else name
            return Jurisdiction(level="district", name=where)
    return None


def read_jurisdiction(header: list[str], body: list[str], issuer: str | None,
                      number: str | None) -> Jurisdiction | None:
    """`header`: the letterhead and title lines; `body`: every line of the text."""
    if _is_ministry(issuer):
        return Jurisdiction(level="ministry", name=issuer)
    if _is_central(issuer, number):
        return Jurisdiction(level="national", name=NATIONAL)
    in_header = _named_provinces(header)
    province = in_header[0] if in_header else None
    for bare in (False, True):
        if province is None:
            counted = Counter(_named_provinces(body, bare))
            province = counted.most_common(1)[0][0] if counted else None
    if district := _district(header, province):
        return district
    return Jurisdiction(level="province", name=province.label) if province else None
