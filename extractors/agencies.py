"""Agencies: one canonical name per body, however a plan spells it.

"Sở Khoa học và Công nghệ", "Sở KH&CN" and "SKHCN" are one agency. A name is matched in
this order: a known name or alias (agency_aliases.csv, general knowledge of Vietnamese
provincial bodies) compared on folded words; then, when the name holds an abbreviation, the
initials of the words ("Sở KH&CN" -> s-k-h-c-n = "Sở Khoa học và Công nghệ" without "và");
otherwise the name as written, tidied. Lists of agencies are split at ";" and, where the
pieces are agencies themselves, at "," and "và" — never inside a known name such as
"Sở Văn hóa, Thể thao và Du lịch".

Plain rules beat a statistical tagger here: the names form a small closed set with regular
abbreviations, and the lists follow the punctuation above.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from extractors import lexicon
from extractors.textblocks import fold, plain
from schemas.records import Agency

ALIASES_FILE = Path(__file__).with_name("agency_aliases.csv")
# rapidfuzz ratio (0..100) of folded names above which a damaged spelling ("Hoi dong nhin din
# tinh") is taken for a known name; "Sở Nội vụ" and "Sở Ngoại vụ" score 80 and stay apart.
NAME_SIMILARITY = 88

# Words that open an agency's name (folded), so a list piece starting with one is a new
# agency and a piece without one continues the previous name ("…, Thể thao và Du lịch").
# One-syllable heads ("Sở", "Ban") need a word after them: "các sở, ban, ngành" lists kinds;
# "Ban hành", "Bảo đảm", "Báo cáo" are verbs.
_AGENCY_HEAD = re.compile(
    r"^(?:cac\s+(?:to chuc|co so|doanh nghiep|hoi|so|ban|bo)\b|"
    r"(?:cac\s+)?(?:(?:so|ban|bo|hoi|cuc|vu|vien|dai|bao)\s+(?!hanh\b|dam\b|cao\b)\S|"
    r"uy ban|ubnd|hdnd|hoi dong|"
    r"van phong|cong an|trung tam|truong|thong ke|dang uy|chi cuc|mat tran|tinh uy|benh vien|"
    r"thuong truc|co quan|cap uy|dia phuong|don vi|thanh vien|ngan hang|kho bac|"
    r"thanh doan|lien doan|doanh nghiep|"
    rf"(?:pho\s+)?(?:{lexicon.alternation('tasks', 'head_posts')})\b))")
# A post that heads a body, before the body's name (folded): "Giám đốc Sở Tài chính",
# "Phó Chủ tịch Ủy ban nhân dân tỉnh", "Thủ trưởng cơ quan ngang bộ".
_HEAD_POST = re.compile(
    rf"^(?P<deputy>pho\s+)?(?:{lexicon.alternation('tasks', 'head_posts')})\s+(?P<body>\S.*)$")
# A post said without its body, that names the bodies by itself ("Bộ trưởng" → the ministries).
_POSTS_FOR_BODIES = {lexicon.fold_word(post): body
                     for post, body in lexicon.mapping("tasks", "posts_for_bodies").items()}
_ABBREVIATIONS = lexicon.mapping("tasks", "name_abbreviations")
_SPELLED_OUT = re.compile(rf"\b(?:{'|'.join(map(re.escape, _ABBREVIATIONS))})\b")
# "UBND các tỉnh" is many committees, never "UBND tỉnh" (folded, words only)
_PLURAL = re.compile(rf"\bcac (?:{lexicon.alternation('tasks', 'plural_units')})\b")
_ABBREVIATION = re.compile(r"\b[A-ZĐ]{2,}")
_LIST_SEPARATOR = re.compile(r"(,\s*|\s+v[àa]\s+)")  # "và", or "va" in stripped text


def _key(name: str) -> str:
    """Folded words only: punctuation, "&" and spacing do not matter."""
    folded = fold(plain(name)).replace("&", " va ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def _initials(name: str) -> str:
    """ "Sở Khoa học và Công nghệ" and "Sở KH&CN" -> "skhcn"."""
    letters = []
    for word in re.split(r"[\s,&\-/]+", plain(name)):
        if not word or fold(word) == "va":
            continue
        if _ABBREVIATION.fullmatch(word):
            letters.append(fold(word))
        else:
            letters.append(fold(word)[0])
    return "".join(letters)


def tidy_name(name: str) -> str:
    """Spacing, markup and edge punctuation removed; first letter upper case."""
    cleaned = plain(name).strip(" .;,:-–")
    return cleaned[:1].upper() + cleaned[1:]


@lru_cache(maxsize=1)
def _known() -> tuple[dict[str, str], dict[str, list[str]], dict[str, tuple[str, ...]]]:
    """(key -> canonical name, initials -> canonical names, canonical -> aliases)."""
    by_key: dict[str, str] = {}
    by_initials: dict[str, list[str]] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    with ALIASES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["name"]
            spellings = [alias for alias in row["aliases"].split("|") if alias.strip()]
            aliases[name] = tuple(spellings)
            for spelling in (name, *spellings):
                by_key[_key(spelling)] = name
            by_initials.setdefault(_initials(name), []).append(name)
    return by_key, by_initials, aliases


def closest_name(text: str, names: Iterable[str]) -> str | None:
    """The name in `names` that `text` spells, allowing OCR slips; None below NAME_SIMILARITY."""
    key = _key(text)
    scored = [(fuzz.ratio(key, _key(name)), name) for name in names]
    best = max(scored, default=(0.0, None), key=lambda pair: pair[0])
    return best[1] if best[0] >= NAME_SIMILARITY else None


def known_agency(name: str) -> str | None:
    """The canonical name of a known agency `name` spells, else None."""
    by_key, by_initials, _ = _known()
    if found := by_key.get(_key(name)):
        return found
    if _ABBREVIATION.search(plain(name)):
        # the kind of body spelled out ("Bộ TC", "Sở GD-ĐT"): initials alone ("BTC" is Ban Tổ
        # chức as often as Bộ Tài chính) name a body only as a listed alias
        first = plain(name).split(maxsplit=1)[0] if plain(name).split() else ""
        candidates = [] if _ABBREVIATION.match(first) else by_initials.get(_initials(name), [])
        return candidates[0] if len(candidates) == 1 else None
    key = _key(name)
    kind = (_kind(key), bool(_PLURAL.search(key)))
    # an OCR slip, never another kind of body ("Bộ Khoa học và Công nghệ" is no "Sở …", "Các
    # sở, ngành" no "Các bộ, ngành") nor one body for many ("Ủy ban nhân dân các tỉnh" is no
    # "Ủy ban nhân dân tỉnh")
    if found := closest_name(name, [known for known in by_key
                                    if (_kind(known), bool(_PLURAL.search(known))) == kind]):
        return by_key[_key(found)]
    return None


def _kind(key: str) -> str:
    """The word that says what kind of body a folded name is: "so", "bo", "uy" …"""
    words = key.split()
    return words[1] if len(words) > 1 and words[0] == "cac" else (words or [""])[0]


def head_post(name: str) -> tuple[str, bool] | None:
    """The body a post heads and whether the post is a deputy's: "Giám đốc Sở Tài chính" ->
    ("Sở Tài chính", False), "Phó Chủ tịch UBND tỉnh" -> ("UBND tỉnh", True), "Bộ trưởng" ->
    ("Các bộ", False); None when `name` is no post over a body."""
    folded = fold(plain(name)).strip(" .;,:")
    if body := _POSTS_FOR_BODIES.get(folded):
        return body, False
    match = _HEAD_POST.match(folded)
    if match is None:
        return None
    body = plain(name).strip(" .;,:")[match.start("body"):]
    if known_agency(name) or not is_agency_name(body):
        return None  # "Trường Chính trị tỉnh" is a school, no post
    return body, bool(match["deputy"])


def canonical_agency_name(name: str) -> str:
    """ "Sở KH&CN" -> "Sở Khoa học và Công nghệ"; an unknown name comes back tidied. A known
    name followed by a role in apposition ("Văn phòng Tỉnh ủy - Cơ quan Thường trực Ban Chỉ
    đạo") is that known name; the post that heads a body ("Giám đốc Sở Tài chính") is the
    body; "UBND" and "HĐND" are spelled out in a name no list knows."""
    head = re.split(r"\s+[-–]\s+", plain(name), maxsplit=1)[0]
    if found := known_agency(name) or known_agency(head):
        return found
    post = head_post(name)  # "Chủ tịch Ủy ban nhân dân tỉnh" -> the committee
    if post:
        return canonical_agency_name(post[0])
    return _SPELLED_OUT.sub(lambda match: _ABBREVIATIONS[match[0]], tidy_name(name))


def agency_id(name: str) -> str:
    """ "Sở Khoa học và Công nghệ" -> "so-khoa-hoc-va-cong-nghe"."""
    return _key(canonical_agency_name(name)).replace(" ", "-")


def is_agency_name(text: str) -> bool:
    """Whether `text` reads like the name of a body (known, or opened by a body word)."""
    return known_agency(text) is not None or bool(_AGENCY_HEAD.match(_key(text)))


def _split_piece(piece: str) -> list[str]:
    """Split one ";"-free piece at "," and "và" where the parts are agencies themselves."""
    parts = _LIST_SEPARATOR.split(piece)
    words, separators = parts[0::2], parts[1::2]  # separators[i] sits before words[i + 1]

    def joined(start: int, end: int) -> str:
        return words[start] + "".join(separators[index - 1] + words[index]
                                      for index in range(start + 1, end))

    names: list[str] = []
    index = 0
    while index < len(words):
        end = next((end for end in range(len(words), index, -1)
                    if known_agency(joined(index, end))), None)
        if end is not None:
            names.append(joined(index, end))
            index = end
            continue
        if names and not _AGENCY_HEAD.match(_key(words[index])):
            names[-1] += separators[index - 1] + words[index]
        else:
            names.append(words[index])
        index += 1
    return names


def agency_spellings(text: str | None) -> list[str]:
    """The agencies of a list as written: "Các sở, ban, ngành; UBND cấp xã" -> both pieces."""
    spellings: list[str] = []
    for piece in plain(text or "").split(";"):
        if not piece.strip(" .,"):
            continue
        spellings.extend([piece] if known_agency(piece) else _split_piece(piece.strip()))
    return [spelling for spelling in spellings if tidy_name(spelling)]


def split_agencies(text: str | None) -> tuple[str, ...]:
    """ "Các sở, ban, ngành; UBND cấp xã" -> ("Các sở, ban, ngành", "Ủy ban nhân dân cấp xã")."""
    return tuple(dict.fromkeys(canonical_agency_name(spelling)
                               for spelling in agency_spellings(text)))


def build_agency_catalog(names: Iterable[str]) -> list[Agency]:
    """One Agency per canonical name among `names` (lists are split), with every spelling
    seen and known."""
    _, _, known_aliases = _known()
    spellings: dict[str, set[str]] = {}
    for spelling in (piece for name in names for piece in agency_spellings(name)):
        canonical = canonical_agency_name(spelling)
        seen = spellings.setdefault(canonical, set(known_aliases.get(canonical, ())))
        seen.add(tidy_name(spelling))
    return sorted(
        (Agency(agency_id=agency_id(canonical), name=canonical,
                aliases=tuple(sorted(seen - {canonical})))
         for canonical, seen in spellings.items()),
        key=lambda agency: agency.agency_id,
    )
