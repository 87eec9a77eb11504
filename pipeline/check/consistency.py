"""Where plans disagree: conflicts between targets of the same indicator.

Rules (precision matters as much as recall):

- cross_doc: two documents give the same indicator, year and unit class different thresholds.
  The same threshold written two ways is not a conflict: `≥ 70`, `70% trở lên` and `> 70`
  (OCR often reads `≥` as `>`) are all the floor 70; a bare `80%` (`=`) is the floor 80 too.
- within_doc: one document gives two different thresholds for the same indicator and year.
- regression: a later year's target is looser than the nearest earlier year's comparable
  target (floors: lower bound falls; ceilings: upper bound rises), within or across documents,
  and no other figure either document gives for those two years closes the gap (a document
  listing one measure twice for a year is a within_doc finding, not a path that falls).
  Per-year targets ("mỗi năm") are compared only with per-year targets.
- unit_mismatch: one measure is a share (%) in one document and a count in another. The
  linker keeps the two apart (ids differ only in their unit-kind suffix), so this rule groups
  by the id without that suffix. Inside one document both are usually meant.

Work is grouped by indicator (or id stem) first, so comparisons stay inside one measure.

Status: a pair whose two documents are linked by an amendment (A amends B, directly or through
a chain, as recorded in the document references) is `superseded`; the amending text governs.
So is a pair with a third document C when A amends B and sets the same indicator for the same
year: B's figure is replaced, and what still disagrees is A against C.

Severity:
- high: open cross_doc or within_doc between two numeric thresholds of the same year (two
  texts in force that cannot both be followed);
- medium: open regression; open cross_doc/within_doc where one side only says the target
  exists ("Có");
- low: unit_mismatch (the figures cannot be compared, so nobody can tell which holds); every
  superseded finding (the amending text governs).
How sure the extraction is does not change severity; the report quotes each line, with the
OCR text before restoration, so a reader can check it.

Fields: side a is the earlier one (earlier year, else the earlier-issued document); for a
regression or a unit mismatch across years, target_year is side b's year and value_a/value_b
carry their year ("≥ 33 doanh nghiệp (2025)"). conflict_id is a hash of the kind, indicator,
years and the two documents (never of lines or figures), so two checks can be compared
(`diff_conflicts`): a figure edited in a new version of a plan is one finding whose values
changed, not one resolved and one new.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations, pairwise, product
from typing import Protocol

from schemas.records import (
    Conflict,
    ConflictKind,
    ConflictStatus,
    Document,
    DocumentRef,
    Relation,
    Severity,
    Target,
)
from schemas.units import unit_kind, unit_label

_INDICATOR_TEXT_CHARS = 90

_COMPARATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}
_FLOOR_COMPARATORS = frozenset({">=", ">", "="})
_CEILING_COMPARATORS = frozenset({"<=", "<"})
_SHARE_KINDS = frozenset({"pct", "pct_grdp"})
# Indicator ids end in the unit kind (pipeline.link.indicators): the same wording measured as a
# count and as a share gets two ids with one stem.
_UNIT_KIND_SUFFIX = re.compile(r"_(?:pct_grdp|pct|index|per_10k|exists|count)(?:_\d+)?$")


# ------------------------------------------------------------------ thresholds and units


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
    if target.comparator in _FLOOR_COMPARATORS:
        return Threshold("floor", (target.value,))
    if target.comparator in _CEILING_COMPARATORS:
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
    """pct, pct_grdp, index, per_10k or count; None when the target states no unit (an
    "exists" target, or a figure whose unit the extractor could not read)."""
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
    """"≥ 80 %", "= 100 %", "từ 10 đến 20 %", "có" — how a person would write it."""
    unit = _unit_suffix(target.unit)
    if target.comparator == "exists":
        return "có"
    if target.value is None:
        return target.comparator
    if target.comparator == "between":
        upper = format_number(target.value_max) if target.value_max is not None else "?"
        return f"từ {format_number(target.value)} đến {upper}{unit}"
    return f"{_COMPARATOR_SIGNS[target.comparator]} {format_number(target.value)}{unit}"


# ------------------------------------------------------------------ documents and amendments


def number_key(number: str) -> str:
    """A document number in a form that matches however it was typed: 01-CTr/BCĐ → 01-CTR-BCD."""
    decomposed = unicodedata.normalize("NFD", number.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return "-".join(re.findall(r"[A-Za-z0-9]+", plain)).upper()


def document_label(document: Document | None, doc_id: str) -> str:
    """"Kế hoạch 22-KH/TU": the kind and number, as a reader cites a document."""
    if document is None:
        return doc_id
    kind = document.kind or "Văn bản"
    return f"{kind} {document.number or document.doc_id}"


class Amendments:
    """Which documents amend which (transitively), from the reference rows of loaded ones."""

    def __init__(self, documents: list[Document], refs: list[DocumentRef]) -> None:
        self._key_by_doc_id = {doc.doc_id: number_key(doc.number or doc.doc_id)
                               for doc in documents}
        self._number_by_key: dict[str, str] = {}
        edges: dict[str, set[str]] = defaultdict(set)
        # (amender key, amended key) -> the reference whose sentence states it (first read)
        self._statements: dict[tuple[str, str], DocumentRef] = {}
        for amender, amended, ref in self._stated_amendments(documents, refs):
            for number in (amender, amended):
                self._number_by_key.setdefault(number_key(number), number)
            edges[number_key(amender)].add(number_key(amended))
            self._statements.setdefault((number_key(amender), number_key(amended)), ref)
        self._edges = edges
        self._amends = {key: self._reachable(key, edges) for key in edges}

    @staticmethod
    def _stated_amendments(documents: list[Document], refs: list[DocumentRef]
                           ) -> Iterable[tuple[str, str, DocumentRef]]:
        """(amender, amended, reference): "A sửa đổi B" read in A itself or cited elsewhere."""
        number_of = {doc.doc_id: doc.number or doc.doc_id for doc in documents}
        for ref in refs:
            if ref.relation != Relation.AMENDS:
                continue
            if ref.subject_number:  # the citing text says: subject_number amends ref_number
                yield ref.subject_number, ref.ref_number, ref
            elif ref.doc_id in number_of:  # the citing document itself amends ref_number
                yield number_of[ref.doc_id], ref.ref_number, ref

    @staticmethod
    def _reachable(start: str, edges: dict[str, set[str]]) -> set[str]:
        seen: set[str] = set()
        todo = list(edges.get(start, ()))
        while todo:
            key = todo.pop()
            if key not in seen:
                seen.add(key)
                todo.extend(edges.get(key, ()))
        return seen

    def _key_of(self, doc_id: str) -> str:
        return self._key_by_doc_id.get(doc_id) or number_key(doc_id)

    def governing(self, doc_id_a: str, doc_id_b: str) -> str | None:
        """The doc_id of the amending one when one of the two amends the other, else None."""
        key_a, key_b = self._key_of(doc_id_a), self._key_of(doc_id_b)
        if key_b in self._amends.get(key_a, set()):
            return doc_id_a
        if key_a in self._amends.get(key_b, set()):
            return doc_id_b
        return None

    def statements(self, amender_doc_id: str, amended_doc_id: str) -> list[DocumentRef]:
        """The references whose sentences make `amender_doc_id` amend `amended_doc_id`, one
        per link of the shortest chain; [] when it does not."""
        start, goal = self._key_of(amender_doc_id), self._key_of(amended_doc_id)
        came_from: dict[str, str] = {start: start}
        todo = [start]
        while todo and goal not in came_from:
            key = todo.pop(0)
            for following in sorted(self._edges.get(key, ())):
                if following not in came_from:
                    came_from[following] = key
                    todo.append(following)
        if goal == start or goal not in came_from:
            return []
        chain = [goal]
        while chain[-1] != start:
            chain.append(came_from[chain[-1]])
        chain.reverse()
        return [self._statements[link] for link in pairwise(chain)]

    def amends_any(self, doc_id: str) -> bool:
        return bool(self._amends.get(self._key_of(doc_id)))

    def amenders_of(self, doc_id: str) -> list[str]:
        """Numbers, as first written, of documents (loaded or not) that amend `doc_id`."""
        key = self._key_of(doc_id)
        return sorted(self._number_by_key[amender]
                      for amender, amended in self._amends.items() if key in amended)


# ------------------------------------------------------------------ building conflicts


@dataclass(frozen=True)
class _Context:
    documents: dict[str, Document]
    amendments: Amendments
    # (doc_id, indicator_id, year) -> doc_id of a loaded amending document that sets it anew
    replaced: dict[tuple[str, str, int], str] = field(default_factory=dict)

    def governing(self, first: Target, second: Target) -> tuple[str, str] | None:
        """(amending doc_id, amended doc_id) when an amendment settles the pair, else None."""
        if governing := self.amendments.governing(first.doc_id, second.doc_id):
            return governing, (second.doc_id if governing == first.doc_id else first.doc_id)
        for target in (first, second):
            key = (target.doc_id, target.indicator_id or "", target.target_year or 0)
            if key in self.replaced:
                return self.replaced[key], target.doc_id
        return None

    def label(self, doc_id: str) -> str:
        return document_label(self.documents.get(doc_id), doc_id)

    def issued_on(self, doc_id: str) -> date:
        document = self.documents.get(doc_id)
        return document.issued_on if document and document.issued_on else date.max


def conflict_id(kind: ConflictKind, first: Target, second: Target) -> str:
    """What the finding is about: its kind, indicator, year(s) and the two documents, never
    the figures, so a figure edited in a new version leaves the finding's id as it was."""
    return _hash_of(kind.value, first.indicator_id or "", first.target_year or 0,
                    second.target_year or 0, first.doc_id, second.doc_id)


def _hash_of(*ids: object) -> str:
    return hashlib.sha256("|".join(map(str, ids)).encode()).hexdigest()[:16]


def _numbered(conflicts: Iterable[Conflict]) -> list[Conflict]:
    """Findings sharing an id (one document states a measure twice for a year) get a number,
    in the order of their target ids (content ids too, so the order survives a new version)."""
    seen: Counter[str] = Counter()
    numbered = []
    for conflict in sorted(conflicts, key=lambda found: (found.conflict_id, found.target_id_a,
                                                         found.target_id_b)):
        seen[conflict.conflict_id] += 1
        if seen[conflict.conflict_id] > 1:
            conflict = conflict.model_copy(update={
                "conflict_id": _hash_of(conflict.conflict_id, seen[conflict.conflict_id])})
        numbered.append(conflict)
    return numbered


def _short(text: str) -> str:
    text = " ".join(text.split()).strip(" .;:-–")
    if len(text) <= _INDICATOR_TEXT_CHARS:
        return text
    return text[: _INDICATOR_TEXT_CHARS].rsplit(" ", 1)[0] + "…"


def _severity(kind: ConflictKind, first: Target, second: Target, status: ConflictStatus
              ) -> Severity:
    if status == ConflictStatus.SUPERSEDED or kind == ConflictKind.UNIT_MISMATCH:
        return Severity.LOW
    if kind == ConflictKind.REGRESSION or "exists" in (first.comparator, second.comparator):
        return Severity.MEDIUM
    return Severity.HIGH


def _explanation(kind: ConflictKind, first: Target, second: Target, context: _Context) -> str:
    label_a, label_b = context.label(first.doc_id), context.label(second.doc_id)
    value_a, value_b = render_threshold(first), render_threshold(second)
    indicator = f"“{_short(first.indicator_text)}”"
    if kind == ConflictKind.CROSS_DOC:
        return (f"Năm {first.target_year}, {label_a} đặt {value_a} nhưng {label_b} đặt "
                f"{value_b} cho cùng chỉ tiêu {indicator}")
    if kind == ConflictKind.WITHIN_DOC:
        return (f"Năm {first.target_year}, {label_a} nêu chỉ tiêu {indicator} hai lần với hai "
                f"mức khác nhau: {value_a} (dòng {first.line}) và {value_b} (dòng {second.line})")
    if kind == ConflictKind.REGRESSION:
        direction = "cao hơn mức trần" if second.comparator in _CEILING_COMPARATORS else (
            "thấp hơn mức")
        return (f"{label_b} đặt {value_b} cho năm {second.target_year}, {direction} "
                f"{value_a} của năm {first.target_year} trong {label_a} đối với chỉ tiêu "
                f"{indicator}")
    return (f"Chỉ tiêu {indicator} được {label_a} ghi là {value_a} (năm {first.target_year}) "
            f"nhưng {label_b} ghi là {value_b} (năm {second.target_year}), một bên là tỷ lệ, "
            f"một bên là số lượng")


def _supersession_clause(first: Target, second: Target, context: _Context) -> str:
    settled = context.governing(first, second)
    if settled is None:
        return ""
    governing, amended = settled
    return (f"; {context.label(governing)} sửa đổi {context.label(amended)} nên văn bản sửa đổi "
            "được áp dụng")


def _with_years(target: Target) -> str:
    return f"{render_threshold(target)} ({target.target_year})"


def make_conflict(kind: ConflictKind, first: Target, second: Target, context: _Context
                  ) -> Conflict:
    """One finding; `first` is the earlier side (earlier year, else earlier document)."""
    settled = context.governing(first, second)
    status = ConflictStatus.OPEN if settled is None else ConflictStatus.SUPERSEDED
    years_differ = first.target_year != second.target_year
    explanation = (_explanation(kind, first, second, context)
                   + _supersession_clause(first, second, context) + ".")
    return Conflict(
        conflict_id=conflict_id(kind, first, second),
        kind=kind,
        indicator_id=first.indicator_id or "",
        target_year=second.target_year,
        target_id_a=first.target_id,
        target_id_b=second.target_id,
        doc_id_a=first.doc_id,
        doc_id_b=second.doc_id,
        value_a=_with_years(first) if years_differ else render_threshold(first),
        value_b=_with_years(second) if years_differ else render_threshold(second),
        severity=_severity(kind, first, second, status),
        status=status,
        explanation=explanation,
    )


# ------------------------------------------------------------------ the rules


@dataclass(frozen=True)
class _Candidate:
    target: Target
    threshold: Threshold


def _order(first: Target, second: Target, context: _Context) -> tuple[Target, Target]:
    def key(target: Target) -> tuple:
        return (target.target_year or 0, context.issued_on(target.doc_id), target.doc_id,
                target.line, target.target_id)

    return (first, second) if key(first) <= key(second) else (second, first)


def _distinct(candidates: list[_Candidate]) -> list[_Candidate]:
    """One target per document, year, threshold and unit class: repeats add no finding."""
    seen: dict[tuple, _Candidate] = {}
    for candidate in sorted(candidates, key=lambda found: (found.target.doc_id,
                                                           found.target.line,
                                                           found.target.target_id)):
        target = candidate.target
        key = (target.doc_id, target.target_year, target.per_year, candidate.threshold,
               unit_class(target))
        seen.setdefault(key, candidate)
    return list(seen.values())


def _same_year(candidates: list[_Candidate], context: _Context) -> list[Conflict]:
    by_year: dict[tuple[int | None, bool], list[_Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_year[(candidate.target.target_year, candidate.target.per_year)].append(candidate)
    conflicts = []
    for year_candidates in by_year.values():
        for one, other in combinations(year_candidates, 2):
            if (same_plan(one.threshold, other.threshold)
                    or not units_comparable(one.target, other.target)):
                continue
            first, second = _order(one.target, other.target, context)
            kind = (ConflictKind.WITHIN_DOC if first.doc_id == second.doc_id
                    else ConflictKind.CROSS_DOC)
            conflicts.append(make_conflict(kind, first, second, context))
    return conflicts


def _looser(later: Threshold, earlier: Threshold) -> bool:
    """Both of one family: a ceiling that rises or a floor that falls."""
    if later.family == "ceiling":
        return later.upper > earlier.upper
    return later.lower < earlier.lower


def _comparable_path(one: _Candidate, other: _Candidate) -> bool:
    """Two targets that can sit on one path over the years."""
    return (one.target.per_year == other.target.per_year
            and one.threshold.family == other.threshold.family != "exists"
            and units_comparable(one.target, other.target))


_Statements = dict[tuple[str, int | None, bool], list[_Candidate]]


def _statements(candidates: list[_Candidate]) -> _Statements:
    """Candidates by what one document says for one year (per-year figures apart)."""
    grouped: _Statements = defaultdict(list)
    for candidate in candidates:
        target = candidate.target
        grouped[(target.doc_id, target.target_year, target.per_year)].append(candidate)
    return grouped


def _regresses(later: _Candidate, earlier: _Candidate, statements: _Statements) -> bool:
    """Looser, and no other figure either document gives for those years closes the gap.

    A document that gives two figures for one year (a within_doc finding) makes its path
    ambiguous: 500 then 400 is no regression when the later year also says 800.
    """
    def stated_with(candidate: _Candidate) -> list[_Candidate]:
        target = candidate.target
        return [found for found in statements[(target.doc_id, target.target_year,
                                               target.per_year)]
                if _comparable_path(found, candidate)]

    return _looser(later.threshold, earlier.threshold) and all(
        _looser(later_figure.threshold, earlier_figure.threshold)
        for later_figure in stated_with(later) for earlier_figure in stated_with(earlier))


def _regressions(candidates: list[_Candidate], context: _Context) -> list[Conflict]:
    """Each later target against the comparable targets of the nearest earlier year."""
    statements = _statements(candidates)
    conflicts = []
    for later in candidates:
        earlier_ones = [found for found in candidates
                        if found.target.target_year < later.target.target_year
                        and _comparable_path(found, later)]
        if not earlier_ones:
            continue
        nearest_year = max(found.target.target_year for found in earlier_ones)
        conflicts.extend(
            make_conflict(ConflictKind.REGRESSION, earlier.target, later.target, context)
            for earlier in earlier_ones
            if earlier.target.target_year == nearest_year
            and _regresses(later, earlier, statements)
        )
    return conflicts


def _unit_mismatches(candidates: list[_Candidate], context: _Context) -> list[Conflict]:
    """Between two documents, one finding per pair: the share/count pair closest in years.

    Inside one document a count and a share of the same thing are usually meant ("≥ 250
    doanh nghiệp, trong đó 10 % …"), so only pairs across documents are reported.
    """
    closest: dict[tuple[str, ...], tuple[int, Target, Target]] = {}
    for one, other in combinations(candidates, 2):
        if one.target.doc_id == other.target.doc_id or not is_unit_mismatch(one.target,
                                                                             other.target):
            continue
        first, second = _order(one.target, other.target, context)
        gap = abs(first.target_year - second.target_year)
        pair = tuple(sorted((first.doc_id, second.doc_id)))
        if pair not in closest or gap < closest[pair][0]:
            closest[pair] = (gap, first, second)
    return [make_conflict(ConflictKind.UNIT_MISMATCH, first, second, context)
            for _gap, first, second in closest.values()]


def _candidates_by_indicator(targets: list[Target]) -> dict[str, list[_Candidate]]:
    grouped: dict[str, list[_Candidate]] = defaultdict(list)
    for target in targets:
        threshold = threshold_of(target)
        if target.indicator_id and target.target_year is not None and threshold is not None:
            grouped[target.indicator_id].append(_Candidate(target, threshold))
    return grouped


def _replaced_targets(grouped: dict[str, list[_Candidate]], amendments: Amendments
                      ) -> dict[tuple[str, str, int], str]:
    """(doc_id, indicator_id, year) that a loaded amending document sets anew -> its doc_id."""
    replaced: dict[tuple[str, str, int], str] = {}
    for indicator_id, candidates in grouped.items():
        docs_by_year: dict[int, set[str]] = defaultdict(set)
        for candidate in candidates:
            docs_by_year[candidate.target.target_year or 0].add(candidate.target.doc_id)
        for year, doc_ids in docs_by_year.items():
            amenders = sorted(doc_id for doc_id in doc_ids if amendments.amends_any(doc_id))
            for amended, amending in product(sorted(doc_ids), amenders):
                if amendments.governing(amended, amending) == amending:
                    replaced.setdefault((amended, indicator_id, year), amending)
    return replaced


def _pair_key(conflict: Conflict) -> tuple[str, ...]:
    return (conflict.kind.value, *sorted((conflict.target_id_a, conflict.target_id_b)))


def find_conflicts(documents: list[Document], refs: list[DocumentRef], targets: list[Target]
                   ) -> list[Conflict]:
    """Every conflict between the targets, grouped by indicator, in a stable order."""
    amendments = Amendments(documents, refs)
    grouped = _candidates_by_indicator(targets)
    context = _Context({doc.doc_id: doc for doc in documents}, amendments,
                       _replaced_targets(grouped, amendments))
    found: dict[tuple[str, ...], Conflict] = {}
    for indicator_id in sorted(grouped):
        candidates = _distinct(grouped[indicator_id])
        for conflict in (*_same_year(candidates, context), *_regressions(candidates, context)):
            found.setdefault(_pair_key(conflict), conflict)
    by_stem: dict[str, list[_Candidate]] = defaultdict(list)
    for indicator_id, candidates in grouped.items():
        by_stem[measure_stem(indicator_id)].extend(_distinct(candidates))
    for stem in sorted(by_stem):
        for conflict in _unit_mismatches(by_stem[stem], context):
            found.setdefault(_pair_key(conflict), conflict)
    return sorted(_numbered(found.values()), key=lambda conflict: (
        conflict.kind.value, conflict.indicator_id, conflict.target_year or 0,
        conflict.conflict_id))


# ------------------------------------------------------------------ what changed between checks


@dataclass(frozen=True)
class CheckChanges:
    new: list[Conflict]
    resolved: list[Conflict]
    changed: list[tuple[Conflict, Conflict]]  # (before, now): other figures or another status


def _differs(before: Conflict, now: Conflict) -> bool:
    return (before.value_a, before.value_b, before.status) != (now.value_a, now.value_b,
                                                               now.status)


def diff_conflicts(before: list[Conflict], now: list[Conflict]) -> CheckChanges:
    before_by_id = {conflict.conflict_id: conflict for conflict in before}
    now_by_id = {conflict.conflict_id: conflict for conflict in now}
    return CheckChanges(
        new=[conflict for key, conflict in now_by_id.items() if key not in before_by_id],
        resolved=[conflict for key, conflict in before_by_id.items() if key not in now_by_id],
        changed=[(before_by_id[key], conflict) for key, conflict in now_by_id.items()
                 if key in before_by_id and _differs(before_by_id[key], conflict)],
    )


class ConflictStore(Protocol):
    def documents(self) -> list[Document]: ...
    def refs(self) -> list[DocumentRef]: ...
    def targets(self) -> list[Target]: ...
    def conflicts(self) -> list[Conflict]: ...
    def has_been_checked(self) -> bool: ...
    def replace_conflicts(self, conflicts: list[Conflict]) -> None: ...


def check_warehouse(warehouse: ConflictStore) -> tuple[list[Conflict], CheckChanges | None]:
    """Re-run the check, store the result, and say what changed since the stored one (None
    when there was no check before this one)."""
    checked_before = warehouse.has_been_checked()
    before = warehouse.conflicts()
    now = find_conflicts(warehouse.documents(), warehouse.refs(), warehouse.targets())
    warehouse.replace_conflicts(now)
    return now, diff_conflicts(before, now) if checked_before else None
