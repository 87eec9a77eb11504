"""The indicator catalog: which targets, across all documents, measure the same thing.

Wordings differ between plans ("Tỷ lệ phủ sóng 5G trên địa bàn" ↔ "Tỷ lệ phủ sóng mạng băng
rộng di động (5G)", "tỷ trọng kinh tế số trong GRDP" ↔ "kinh tế số chiếm … GRDP"), so targets
are grouped by fuzzy similarity (rapidfuzz) of their wording with the words that carry no
meaning for the measure removed and abbreviations written out (lexicon [measure_wording]),
under hard constraints that keep
different measures apart: the kind of unit (%, %GRDP, index, per 10,000 people, a count of
something, yes/no), the counted noun, distinctive tokens (5G ≠ 6G, VNeID, SOC, LGSP) and the
qualifiers of the lexicon's [measure_qualifiers] (cấp xã ≠ cấp tỉnh, cố định ≠ di động,
mức độ 4 ≠ toàn trình, nông thôn ≠ đô thị, "tỷ lệ hộ gia đình" ≠ "tỷ lệ thôn", USD ≠ đồng)
and per year or not. Years never matter: 2025 and 2030
targets of one measure share one indicator.

Ids are slugs of the canonical wording plus the unit kind, so they do not depend on the order
documents were loaded in; a measure keeps the id its targets already carry from the last
linking, so loading a new plan never renames it. A reviewer pins or splits links in a small CSV file
(pipeline/link/indicator_overrides.csv); `review_links` lists what deserves a look.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from extractors import lexicon
from extractors.targets import head_noun
from extractors.textblocks import content_id, fold
from schemas.errors import ChitieuError
from schemas.records import Indicator, LinkDecision, Target
from schemas.units import unit_kind

LINK_SCORE = 82.0  # wordings at least this similar (0..100) are one measure
SURE_SCORE = 92.0  # links below this are listed for review
DOUBT_SCORE = 70.0  # unlinked pairs above this are listed for review
SAME_SCORE = 95.0  # all but the same wording
MAX_SLUG = 60

# Folded words and phrases that say nothing about what is measured.
_FILLER_PHRASES = (
    "ty le", "so luong", "tong so", "tren dia ban tinh", "tren dia ban", "toan tinh",
    "moi nam", "hang nam", "cua tinh", "trong tinh", "dat", "tro len",
)
_FILLER_WORDS = frozenset({
    "co", "cac", "cua", "duoc", "va", "trong", "voi", "cho", "tai", "den", "tu", "la",
    "nhung", "mot", "tren", "o", "thuoc", "theo", "ve", "do", "hoac", "tinh",
})
# Function words an id can do without ("có" is left alone: it folds like the "cơ" of "cơ quan").
_SLUG_FILLER = frozenset({"cua", "va", "cac", "duoc", "tren", "trong", "cho", "voi", "tai",
                          "den"})
# Kinds of qualifier (see `qualifiers`), in the order a reviewer is told of them.
_QUALIFIER_LABELS = {"level": "khác cấp hành chính",
                     "network": "khác mạng (cố định / di động)",
                     "service_level": "khác mức độ dịch vụ trực tuyến",
                     "area": "khác địa bàn (nông thôn / đô thị)",
                     "ranked": "khác lĩnh vực xếp hạng",
                     "action": "khác việc được tính (số hóa / xử lý / ký số …)",
                     "counted": "khác đối tượng tính tỷ lệ",
                     "currency": "khác đơn vị tiền tệ",
                     "per_year": "khác loại (mỗi năm / lũy kế)"}
_SHARE_OF_ECONOMY = frozenset({"pct_grdp", "pct_gdp"})
_DISTINCTIVE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]+$|^[A-Za-z]*[A-Z][A-Za-z]*[A-Z]"
                          r"[A-Za-z]*$")
_GENERATION = re.compile(r"^\d+[a-z]+$")  # 4g, 5g, 6g: a different number is another thing
_OVERRIDE_COLUMNS = ("action", "doc_id", "line", "indicator_text", "indicator_id", "note")


class OverrideError(ChitieuError, ValueError):
    """The reviewer's override file cannot be used; the message says where and why."""


# ---------------------------------------------------------------- what a wording measures


def _folded_phrases(name: str) -> tuple[str, ...]:
    """A [measure_wording] list folded like a reduced wording, longest first."""
    return tuple(sorted((" ".join(re.sub(r"[^\w%]+", " ", fold(phrase)).split())
                         for phrase in lexicon.words("measure_wording", name)),
                        key=len, reverse=True))


_SAME_AS = sorted(((" ".join(re.sub(r"[^\w%]+", " ", fold(word)).split()), fold(meaning))
                   for word, meaning in lexicon.mapping("measure_wording", "same_as").items()),
                  key=lambda pair: len(pair[0]), reverse=True)
_FRAMING = _folded_phrases("framing")
_OPENING = _folded_phrases("opening")
_SHARE_BASE = _folded_phrases("share_base")
_REGIONAL_GDP = _folded_phrases("regional_gdp")


def _spaced(text: str) -> str:
    return " ".join(re.sub(r"[^\w%]+", " ", fold(text)).lower().split())


def _without(folded: str, phrases: Iterable[str]) -> str:
    """`folded` (spaced at both ends) without each whole-word phrase."""
    for phrase in phrases:
        while f" {phrase} " in folded:
            folded = folded.replace(f" {phrase} ", " ")
    return folded


def reduced_wording(text: str, kind: str | None = None) -> str:
    """Folded wording without what says nothing of the measure: "Tỷ lệ phủ sóng 5G trên địa
    bàn" → "phu song 5g"; abbreviations written out (lexicon [measure_wording] same_as),
    framing words dropped ("tỷ trọng kinh tế số trong GRDP", "kinh tế số chiếm … GRDP" →
    "kinh te so" for a share of GRDP, whose unit names the GRDP already). "số" is filler only
    where it opens the wording ("số doanh nghiệp"): after a noun it means digital."""
    folded = " " + re.sub(r"[^\w%]+", " ", fold(text)).lower() + " "
    for word, meaning in _SAME_AS:
        folded = folded.replace(f" {word} ", f" {meaning} ")
    opened = True
    while opened:
        opened = False
        for phrase in _OPENING:
            if folded.startswith(f" {phrase} "):
                folded, opened = folded[len(phrase) + 1:], True
    folded = _without(folded, _FILLER_PHRASES)
    folded = _without(folded, _FRAMING)
    if kind in _SHARE_OF_ECONOMY:
        folded = _without(folded, _SHARE_BASE)
    words = [word for word in folded.split() if word not in _FILLER_WORDS]
    while words[:1] == ["so"] and words[1:2] != ["hoa"]:  # "số hóa" is no count: digitising
        words = words[1:]
    return " ".join(words)


def _folded_mapping(name: str) -> dict[str, str]:
    return {fold(word): value for word, value in lexicon.mapping("measure_qualifiers",
                                                                 name).items()}


_ANYWHERE_QUALIFIERS = {name: _folded_mapping(name)
                        for name in ("level", "network", "service_level", "area", "action")}
_CURRENCY = _folded_mapping("currency")
_RANKED = _folded_mapping("ranked")
_OVERLAPPING = frozenset({"ranked", "action"})  # kinds apart only when they name nothing in common
_COUNTED = _folded_mapping("counted")
_NOT_COUNTED = lexicon.folded("measure_qualifiers", "not_counted")
_COUNTED_LEAD = re.compile(
    rf"^(?:(?:{lexicon.alternation('measure_qualifiers', 'counted_lead')})\s+)*")


def _opens_with(text: str, words: Iterable[str]) -> bool:
    return any(re.match(rf"{re.escape(word)}(?!\w)", text) for word in words)


def _words_in(text: str, words: Iterable[str]) -> set[str]:
    """The words found in `text`, longest first: a word inside a longer one found is not
    counted ("mức độ 3 và 4" names no "mức độ 3" of its own)."""
    found = set()
    for word in sorted(words, key=len, reverse=True):
        pattern = rf"(?<!\w){re.escape(word)}(?!\w)"
        if re.search(pattern, text):
            found.add(word)
            text = re.sub(pattern, " ", text)
    return found


def qualifiers(text: str, per_year: bool, unit: str | None = None, rank: bool = False
               ) -> dict[str, frozenset[str]]:
    """What distinguishes a measure, by kind (lexicon [measure_qualifiers]): the administrative
    level, fixed or mobile, how far a service runs online, rural or urban, what a share counts
    (the noun it opens with), the currency of a sum (read from its unit), what a rank ranks,
    per year or not."""
    folded = " ".join(re.sub(r"[^\w%]+", " ", fold(text)).split())
    found = {name: frozenset(words[word] for word in _words_in(folded, words))
             for name, words in _ANYWHERE_QUALIFIERS.items()}
    head = folded[_COUNTED_LEAD.match(folded).end():]
    opening = None if _opens_with(head, _NOT_COUNTED) else max(
        (word for word in _COUNTED if _opens_with(head, (word,))), key=len, default=None)
    found["counted"] = frozenset({_COUNTED[opening]} if opening else ())
    folded_unit = " ".join(re.sub(r"[^\w%]+", " ", fold(unit or "")).split())
    found["currency"] = frozenset(_CURRENCY[word] for word in _words_in(folded_unit, _CURRENCY))
    if rank:
        found["ranked"] = frozenset(_RANKED[word] for word in _words_in(folded, _RANKED))
    found["per_year"] = frozenset({"mỗi năm" if per_year else "lũy kế"})
    return {name: values for name, values in found.items() if values}


def differing_qualifier(a: dict[str, frozenset[str]], b: dict[str, frozenset[str]]
                        ) -> str | None:
    """The first kind of qualifier both name with different values (for what a rank ranks:
    with no value in common), or None."""
    return next((name for name in _QUALIFIER_LABELS
                 if name in a and name in b and (not a[name] & b[name] if name in _OVERLAPPING
                                                 else a[name] != b[name])), None)


def distinctive_tokens(text: str) -> frozenset[str]:
    """Tokens that name one thing: 5G, 6G, VNeID, SOC, LGSP, GRDP, IOC."""
    return frozenset(token.lower() for token in re.findall(r"[A-Za-z0-9]+", text)
                     if _DISTINCTIVE.match(token) and not token.isdigit())


MeasureKey = tuple[str, str, str | None, bool, str]  # kind, wording, counted, per year, currency


@dataclass(frozen=True)
class Measure:
    """One distinct wording with the cues that decide whether two wordings can be one."""

    kind: str
    wording: str  # reduced
    text: str  # as written (the first seen for this reduced wording)
    distinctive: frozenset[str]
    qualifiers: tuple[tuple[str, frozenset[str]], ...]  # see `qualifiers`
    counted: str | None  # the counted noun, for counts
    per_year: bool

    @classmethod
    def of(cls, target: Target) -> Measure:
        kind = unit_kind(target)
        text = target.indicator_text
        if kind == "pct_gdp" and _words_in(_spaced(target.source_text), _REGIONAL_GDP):
            kind = "pct_grdp"  # "15% GDP địa phương" is a share of the province's GRDP
        counted = None
        if kind == "count":
            counted = fold(head_noun(text) or target.unit or "") or None
        return cls(kind, reduced_wording(text, kind), text, distinctive_tokens(text),
                   tuple(sorted(qualifiers(text, target.per_year, target.unit,
                                                kind == "rank").items())),
                   counted,
                   target.per_year)

    @property
    def key(self) -> MeasureKey:
        currency = ",".join(sorted(dict(self.qualifiers).get("currency", ())))
        return (self.kind, self.wording, self.counted, self.per_year, currency)


def similarity(a: Measure, b: Measure) -> float:
    """0..100: how alike two wordings are (token-set similarity, damped for short subsets)."""
    if not a.wording or not b.wording:
        return 0.0
    token_set = fuzz.token_set_ratio(a.wording, b.wording)
    token_sort = fuzz.token_sort_ratio(a.wording, b.wording)
    shorter = min(len(a.wording.split()), len(b.wording.split()))
    # A two-word wording is a subset of many others; trust the set ratio less then.
    weight = 0.75 if shorter >= 3 else 0.4
    score = weight * token_set + (1 - weight) * token_sort
    if _tokens_overlap(a.distinctive, b.distinctive):
        score = max(score, 0.5 * token_set + 50)
    return score


def _tokens_overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sets of distinctive tokens share one, allowing an OCR slip (VNelID)."""
    return any(x == y or (min(len(x), len(y)) >= 4 and fuzz.ratio(x, y) >= 80)
               for x in a for y in b)


Placements = dict[MeasureKey, set[tuple[str, int | None]]]


def incompatibility(a: Measure, b: Measure, placements: Placements | None = None) -> str | None:
    """Why two wordings cannot be one measure, or None.

    `placements` holds the (document, year) pairs each wording is used in: one plan does not
    give one measure two different wordings for the same year (two rows of one table are
    two indicators), unless the wordings are all but equal letter for letter (one row's
    wording inside the other's is still another row).
    """
    if a.kind != b.kind:
        return "khác loại đơn vị"
    if a.counted and b.counted and a.counted != b.counted:
        return "khác đối tượng đếm"
    generations_a = {token for token in a.distinctive if _GENERATION.match(token)}
    generations_b = {token for token in b.distinctive if _GENERATION.match(token)}
    if generations_a and generations_b and not generations_a & generations_b:
        return "khác ký hiệu riêng"
    if qualifier := differing_qualifier(dict(a.qualifiers), dict(b.qualifiers)):
        return _QUALIFIER_LABELS[qualifier]
    if placements and placements[a.key] & placements[b.key] and fuzz.ratio(
            a.wording, b.wording) < SAME_SCORE:
        return "cùng văn bản, cùng năm"
    return None


# ---------------------------------------------------------------- grouping


def _group(measures: list[Measure], placements: Placements) -> list[list[Measure]]:
    """Greedy agglomeration: the most similar compatible pairs first; a group never holds
    two wordings that are incompatible with each other."""
    group_of = list(range(len(measures)))
    members: dict[int, list[int]] = {index: [index] for index in range(len(measures))}
    pairs = []
    for i, a in enumerate(measures):
        for j in range(i + 1, len(measures)):
            b = measures[j]
            if a.kind == b.kind and (score := similarity(a, b)) >= LINK_SCORE:
                pairs.append((-score, a.key, b.key, i, j))
    for _, _, _, i, j in sorted(pairs):
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        if any(incompatibility(measures[x], measures[y], placements)
               for x in members[gi] for y in members[gj]):
            continue
        for index in members[gj]:
            group_of[index] = gi
        members[gi] += members.pop(gj)
    return [[measures[index] for index in sorted(group)] for group in members.values()]


def _slug(text: str) -> str:
    """A readable id part: folded words without the ones that add nothing."""
    words = re.sub(r"[^\w]+", " ", fold(text)).replace("tren dia ban", " ").split()
    if words[:2] in (["ty", "le"], ["so", "luong"]):
        words = words[2:]
    elif words[:1] == ["so"]:
        words = words[1:]
    kept = [word for word in words if word not in _SLUG_FILLER]
    slug = "_".join(kept)
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG + 1].rsplit("_", 1)[0]
    return slug or "chi_tieu"


def _canonical(members: list[Target]) -> str:
    """The wording to name an indicator by: a named form ("Tỷ lệ …", "Số …", "Chỉ số …")
    first, then the most trusted (clean text before OCR-restored), the most used, the
    shortest; ties alphabetically."""
    texts = Counter(target.indicator_text for target in members)
    trust: dict[str, float] = {}
    for target in members:
        trust[target.indicator_text] = max(trust.get(target.indicator_text, 0.0),
                                           round(target.confidence, 1))

    def rank(text: str) -> tuple[bool, float, int, int, str]:
        named = bool(re.match(r"(?:ty le|so|chi so|quy mo)\b", fold(text)))
        return (not named, -trust[text], -texts[text], len(text), text)

    return min(texts, key=rank)


def _previous_id(members: list[Target], kind: str) -> str | None:
    """The id most of a group's targets had from the last linking (targets read back from the
    warehouse carry it), so that a new plan does not rename a measure; reviewer splits
    ("…__doc_line") are not inherited."""
    counts = Counter(target.indicator_id for target in members
                     if target.indicator_id and target.indicator_id.endswith(f"_{kind}")
                     and "__" not in target.indicator_id)
    return min(counts, key=lambda found: (-counts[found], found)) if counts else None


def _new_id(name: str, kind: str, taken: set[str]) -> str:
    base = f"{_slug(name)}_{kind}"
    indicator_id, suffix = base, 2
    while indicator_id in taken:
        indicator_id, suffix = f"{base}_{suffix}", suffix + 1
    return indicator_id


def _indicator(members: list[Target], indicator_id: str) -> Indicator:
    texts = Counter(target.indicator_text for target in members)
    units = Counter(target.unit for target in members if target.unit)
    name = _canonical(members)
    unit = min(units, key=lambda unit: (-units[unit], unit)) if units else None
    return Indicator(indicator_id=indicator_id, name=name, unit=unit,
                     aliases=tuple(sorted(text for text in texts if text != name)))


# ---------------------------------------------------------------- overrides


@dataclass(frozen=True)
class Override:
    action: str  # "pin": the target belongs to indicator_id; "unpin": it stands alone
    doc_id: str
    line: int | None  # None: any line (a decision stored in the warehouse outlives line moves)
    indicator_text: str  # a part of the target's wording, to pick one target on the line
    indicator_id: str

    def matches(self, target: Target) -> bool:
        return (target.doc_id == self.doc_id and self.line in (None, target.line)
                and fold(self.indicator_text) in fold(target.indicator_text))

    @classmethod
    def of(cls, decision: LinkDecision) -> Override:
        return cls(decision.action.value, decision.doc_id, None, decision.indicator_text,
                   decision.indicator_id or "")


def read_overrides(path: Path | None) -> list[Override]:
    """The reviewer's pins and splits: CSV with columns action, doc_id, line, indicator_text,
    indicator_id, note."""
    if path is None or not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(_OVERRIDE_COLUMNS[:-1]) - set(reader.fieldnames or ())
        if missing:
            raise OverrideError(f"{path}: thiếu cột {', '.join(sorted(missing))}; "
                                f"dòng đầu phải là: {','.join(_OVERRIDE_COLUMNS)}")
        overrides = []
        for row_no, row in enumerate(reader, start=2):
            action = (row["action"] or "").strip().lower()
            line = (row["line"] or "").strip()
            if action not in ("pin", "unpin") or not line.isdigit():
                raise OverrideError(f"{path}, dòng {row_no}: action phải là pin hoặc unpin và "
                                    f"line là số dòng (đang là {action!r}, {line!r})")
            indicator_id = (row["indicator_id"] or "").strip()
            if action == "pin" and not indicator_id:
                raise OverrideError(f"{path}, dòng {row_no}: pin cần indicator_id")
            overrides.append(Override(action, row["doc_id"].strip(), int(line),
                                      (row["indicator_text"] or "").strip(), indicator_id))
    return overrides


def _split_suffix(override: Override, target: Target) -> str:
    """What keeps a split target's own indicator apart: its line for a CSV row (as before), its
    wording for a stored decision, so the id (and the findings' ids) outlive a line move."""
    if override.line is not None:
        return str(target.line)
    return content_id(fold(target.indicator_text))[:8]


def _apply_overrides(targets: list[Target], links: dict[str, str], overrides: list[Override],
                     catalog: dict[str, Indicator]) -> None:
    for override in overrides:
        for target in targets:
            if not override.matches(target):
                continue
            if override.action == "pin":
                indicator_id = override.indicator_id
            else:
                indicator_id = f"{links[target.target_id]}__{_slug(fold(target.doc_id))}_" \
                               f"{_split_suffix(override, target)}"
            links[target.target_id] = indicator_id
            if indicator_id not in catalog:
                catalog[indicator_id] = Indicator(indicator_id=indicator_id,
                                                  name=target.indicator_text, unit=target.unit)


# ---------------------------------------------------------------- the catalog


def _measures(targets: list[Target]) -> tuple[
        dict[MeasureKey, Measure], dict[MeasureKey, list[Target]], Placements]:
    """Distinct wordings, the targets of each, and the (document, year) pairs each is used in."""
    measures: dict[MeasureKey, Measure] = {}
    by_key: dict[MeasureKey, list[Target]] = defaultdict(list)
    placements: Placements = defaultdict(set)
    for target in sorted(targets, key=lambda t: (t.doc_id, t.line, t.target_id)):
        measure = Measure.of(target)
        measures.setdefault(measure.key, measure)
        by_key[measure.key].append(target)
        placements[measure.key].add((target.doc_id, target.target_year))
    return measures, by_key, placements


def link_indicators(targets: list[Target], overrides_path: Path | None,
                    decisions: Iterable[LinkDecision] = ()
                    ) -> tuple[list[Indicator], dict[str, str]]:
    """The catalog over all targets and target_id → indicator_id (targets read back from the
    warehouse carry their last indicator_id, which the catalog keeps where it can)."""
    measures, by_key, placements = _measures(targets)
    ordered = [measures[key]
               for key in sorted(measures, key=lambda k: (k[0], k[1], k[2] or "", k[3], k[4]))]
    catalog: dict[str, Indicator] = {}
    links: dict[str, str] = {}
    taken: set[str] = set()
    groups = sorted(_group(ordered, placements), key=lambda group: min(m.key for m in group))
    grouped = [[target for measure in group for target in by_key[measure.key]]
               for group in groups]
    ids: list[str | None] = []
    for group, members in zip(groups, grouped, strict=True):
        previous = _previous_id(members, group[0].kind)
        ids.append(previous if previous and previous not in taken else None)
        taken.add(ids[-1] or "")
    for group, members, kept in zip(groups, grouped, ids, strict=True):
        indicator_id = kept or _new_id(_canonical(members), group[0].kind, taken)
        taken.add(indicator_id)
        catalog[indicator_id] = _indicator(members, indicator_id)
        for target in members:
            links[target.target_id] = indicator_id
    overrides = read_overrides(overrides_path) + [Override.of(found) for found in decisions]
    _apply_overrides(targets, links, overrides, catalog)
    used = set(links.values())
    return [catalog[key] for key in sorted(catalog) if key in used], links


# ---------------------------------------------------------------- review


@dataclass(frozen=True)
class DoubtfulLink:
    text_a: str
    text_b: str
    score: float
    linked: bool  # whether the catalog put them together
    reason: str  # Vietnamese, for the reviewer

    @property
    def doubt(self) -> float:
        """How much the decision is in doubt: a weak link the more the less alike, a split the
        more the more alike (two wordings one qualifier apart rank high)."""
        return 100 - (self.score - LINK_SCORE) if self.linked else self.score


@dataclass
class LinkReview:
    doubtful: list[DoubtfulLink] = field(default_factory=list)
    single_document: list[Indicator] = field(default_factory=list)  # seen in one plan only


def review_links(targets: list[Target], indicators: Iterable[Indicator],
                 links: dict[str, str]) -> LinkReview:
    """Links a reviewer should check: weak links, near misses, and measures no other plan
    shares."""
    by_measure, by_key, placements = _measures(targets)
    measures = list(by_measure.values())
    indicator_of = {key: links.get(members[0].target_id) for key, members in by_key.items()}
    review = LinkReview()
    for i, a in enumerate(measures):
        for b in measures[i + 1:]:
            if a.kind != b.kind:
                continue
            score = similarity(a, b)
            linked = indicator_of[a.key] is not None and indicator_of[a.key] == indicator_of[b.key]
            blocked = incompatibility(a, b, placements)
            if linked and score < SURE_SCORE:
                reason = "liên kết với độ giống thấp"
            elif not linked and blocked and score >= (
                    DOUBT_SCORE if blocked in _QUALIFIER_LABELS.values() else LINK_SCORE):
                reason = f"giống nhau nhưng tách vì {blocked}"
            elif not linked and DOUBT_SCORE <= score < LINK_SCORE and not blocked:
                reason = "gần giống nhưng chưa liên kết"
            else:
                continue
            review.doubtful.append(DoubtfulLink(a.text, b.text, round(score, 1), linked, reason))
    review.doubtful.sort(key=lambda link: (-link.doubt, link.text_a, link.text_b))
    documents: dict[str, set[str]] = defaultdict(set)
    for target in targets:
        if target.target_id in links:
            documents[links[target.target_id]].add(target.doc_id)
    review.single_document = [indicator for indicator in indicators
                              if len(documents.get(indicator.indicator_id, ())) == 1]
    return review


# ---------------------------------------------------------------- queries


def select_targets(targets: Iterable[Target], indicators: Iterable[Indicator],
                   text: str | None = None, year: int | None = None) -> list[Target]:
    """Targets whose wording, indicator name, alias or id contains `text` (case and diacritics
    ignored) for `year`, grouped by indicator, then by year and document."""
    names: dict[str, list[str]] = {
        indicator.indicator_id: [indicator.indicator_id, indicator.name, *indicator.aliases]
        for indicator in indicators}
    wanted = fold(text.strip()) if text else ""

    def matches(target: Target) -> bool:
        wordings = [target.indicator_text, *names.get(target.indicator_id or "", [])]
        return any(wanted in fold(wording) for wording in wordings)

    chosen = [target for target in targets
              if (year is None or target.target_year == year) and (not wanted or matches(target))]
    return sorted(chosen, key=lambda t: (t.indicator_id or "", t.target_year or 0, t.doc_id,
                                         t.line, t.target_id))
