"""The conflict rules: one class per kind of finding, all listed in RULES.

Each rule says what it is called, which targets it compares (one indicator, or one measure
whether counted or shared), how sure a reader should be that it matters (severity), and the
sentence that explains a finding. The check, the report's labels and the exports' schema
iterate RULES, so a new rule is one class here and one member of `ConflictKind`.

- cross_doc: two documents give the same indicator, year and unit class different thresholds.
  The same threshold written two ways is not a conflict: `≥ 70`, `70% trở lên` and `> 70`
  (OCR often reads `≥` as `>`) are all the floor 70; a bare `80%` (`=`) is the floor 80 too.
- within_doc: one document gives two different thresholds for the same indicator and year.
- regression: a later year's target is looser than an earlier year's comparable target
  (floors: lower bound falls; ceilings: upper bound rises). Within a document, each year
  against the document's nearest earlier year; across documents, against the nearest earlier
  year the other documents give, and only where no other finding explains it: when the two
  documents already disagree on the measure (a cross_doc finding), the fall is that finding
  again and is folded into it. No other figure either document gives for those two years may
  close the gap (a document listing one measure twice for a year is a within_doc finding, not
  a path that falls). Per-year targets ("mỗi năm") are compared only with per-year targets.
- unit_mismatch: one measure is a share (%) in one document and a count in another. The
  linker keeps the two apart (ids differ only in their unit-kind suffix), so this rule groups
  by the id without that suffix. Inside one document both are usually meant.

Jurisdiction: plans of two provinces (or of a ministry and a province) never conflict — each
holds in its own jurisdiction (`Document.jurisdiction`, read from the issuer and the
letterhead); a document whose jurisdiction is unknown is checked within itself only (the
report lists it among the documents whose metadata is missing). Between levels, the cascade
rules apply (below_assigned, source_not_found).

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
years and the two documents (never of lines or figures), so two checks can be compared: a
figure edited in a new version of a plan is one finding whose values changed, not one
resolved and one new.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import ClassVar

from pipeline.check.amendments import Amendments, document_label
from pipeline.check.thresholds import (
    CEILING_COMPARATORS,
    Threshold,
    is_unit_mismatch,
    measure_stem,
    render_threshold,
    same_plan,
    threshold_of,
    units_comparable,
)
from schemas.records import (
    Conflict,
    ConflictKind,
    ConflictStatus,
    Document,
    Lineage,
    Severity,
    Target,
)

_INDICATOR_TEXT_CHARS = 90


@dataclass(frozen=True)
class Candidate:
    """A target the rules can compare: it has an indicator, a year and a usable threshold."""

    target: Target
    threshold: Threshold


@dataclass(frozen=True)
class Context:
    documents: dict[str, Document]
    amendments: Amendments
    # (doc_id, indicator_id, year) -> doc_id of a loaded amending document that sets it anew
    replaced: dict[tuple[str, str, int], str] = field(default_factory=dict)
    lineage: tuple[Lineage, ...] = ()  # each target's stated source, linked to loaded parents
    targets: dict[str, Target] = field(default_factory=dict)  # by target_id

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

    def scope(self, target: Target) -> str:
        """Where a target can conflict with others: its document's jurisdiction. Plans of two
        provinces (or a ministry and a province) never conflict: each holds in its own. A
        document whose jurisdiction nothing in it says (a news excerpt) is its own scope:
        measured on 60 real texts from other issuers, comparing it with every other made 50
        findings, nearly all a national decision quoted in the news against some province's
        plan."""
        document = self.documents.get(target.doc_id)
        if document is not None and document.jurisdiction:
            return f"jurisdiction:{document.jurisdiction}"
        return f"document:{target.doc_id}"

    def issued_on(self, doc_id: str) -> date:
        document = self.documents.get(doc_id)
        return document.issued_on if document and document.issued_on else date.max

    def order(self, first: Target, second: Target) -> tuple[Target, Target]:
        """(earlier, later): earlier year, else the earlier-issued document."""
        def key(target: Target) -> tuple:
            return (target.target_year or 0, self.issued_on(target.doc_id), target.doc_id,
                    target.line, target.target_id)

        return (first, second) if key(first) <= key(second) else (second, first)


# Findings by what they are about: the kind and the two targets (either order).
Found = dict[tuple[str, ...], Conflict]


def pair_key(conflict: Conflict) -> tuple[str, ...]:
    return (conflict.kind.value, *sorted((conflict.target_id_a, conflict.target_id_b)))


def hash_of(*ids: object) -> str:
    return hashlib.sha256("|".join(map(str, ids)).encode()).hexdigest()[:16]


def conflict_id(kind: ConflictKind, first: Target, second: Target) -> str:
    """What the finding is about: its kind, indicator, year(s) and the two documents, never
    the figures, so a figure edited in a new version leaves the finding's id as it was."""
    return hash_of(kind.value, first.indicator_id or "", first.target_year or 0,
                   second.target_year or 0, first.doc_id, second.doc_id)


def short_indicator(text: str) -> str:
    text = " ".join(text.split()).strip(" .;:-–")
    if len(text) <= _INDICATOR_TEXT_CHARS:
        return text
    return text[: _INDICATOR_TEXT_CHARS].rsplit(" ", 1)[0] + "…"


def _with_year(target: Target) -> str:
    return f"{render_threshold(target)} ({target.target_year})"


class Rule:
    """One kind of finding. `find_all` adds its findings to `found`: by default, group by
    group of comparable targets (`find`)."""

    kind: ClassVar[ConflictKind]
    label: ClassVar[str]  # what a reader calls it
    settle: ClassVar[str]  # what would settle a finding, as the report suggests
    by_measure: ClassVar[bool] = False  # groups a count and a share of one measure together

    def find_all(self, by_indicator: dict[str, list[Candidate]], context: Context,
                 found: Found) -> None:
        """Groups of one measure in one scope (jurisdiction): work grows with the plans of one
        province, not with the square of all of them."""
        groups: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
        for indicator_id, candidates in by_indicator.items():
            measure = measure_stem(indicator_id) if self.by_measure else indicator_id
            for candidate in candidates:
                groups[(measure, context.scope(candidate.target))].append(candidate)
        for key in sorted(groups):
            self.find(groups[key], context, found)

    def find(self, candidates: list[Candidate], context: Context, found: Found) -> None:
        raise NotImplementedError

    def explain(self, first: Target, second: Target, context: Context) -> str:
        raise NotImplementedError

    def severity(self, first: Target, second: Target) -> Severity:
        if "exists" in (first.comparator, second.comparator):
            return Severity.MEDIUM
        return Severity.HIGH

    def conflict(self, first: Target, second: Target, context: Context) -> Conflict:
        """One finding; `first` is the earlier side (earlier year, else earlier document)."""
        settled = context.governing(first, second)
        status = ConflictStatus.OPEN if settled is None else ConflictStatus.SUPERSEDED
        years_differ = first.target_year != second.target_year
        render = _with_year if years_differ else render_threshold
        explanation = self.explain(first, second, context)
        if settled is not None:
            governing, amended = settled
            explanation += (f"; {context.label(governing)} sửa đổi {context.label(amended)} "
                            "nên văn bản sửa đổi được áp dụng")
        return Conflict(
            conflict_id=conflict_id(self.kind, first, second),
            kind=self.kind,
            indicator_id=first.indicator_id or "",
            target_year=second.target_year,
            target_id_a=first.target_id,
            target_id_b=second.target_id,
            doc_id_a=first.doc_id,
            doc_id_b=second.doc_id,
            value_a=render(first),
            value_b=render(second),
            severity=(Severity.LOW if status == ConflictStatus.SUPERSEDED
                      else self.severity(first, second)),
            status=status,
            explanation=explanation + ".",
        )

    def add(self, found: Found, first: Target, second: Target, context: Context) -> None:
        conflict = self.conflict(first, second, context)
        found.setdefault(pair_key(conflict), conflict)


class SameYear(Rule):
    """cross_doc and within_doc: two thresholds for one indicator and year."""

    def find(self, candidates: list[Candidate], context: Context, found: Found) -> None:
        for one, other in self._pairs(candidates):
            first, second = context.order(one.target, other.target)
            if (first.doc_id == second.doc_id) == (self.kind == ConflictKind.WITHIN_DOC):
                self.add(found, first, second, context)

    @staticmethod
    def _pairs(candidates: list[Candidate]) -> list[tuple[Candidate, Candidate]]:
        by_year: dict[tuple[int | None, bool], list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            by_year[(candidate.target.target_year, candidate.target.per_year)].append(candidate)
        return [(one, other) for year_candidates in by_year.values()
                for one, other in combinations(year_candidates, 2)
                if not same_plan(one.threshold, other.threshold)
                and units_comparable(one.target, other.target)]


class CrossDocument(SameYear):
    kind = ConflictKind.CROSS_DOC
    label = "Khác nhau giữa hai văn bản"
    settle = ("Hai cơ quan ban hành thống nhất một mức (văn bản sửa đổi hoặc văn bản "
              "chỉ đạo).")

    def explain(self, first: Target, second: Target, context: Context) -> str:
        return (f"Năm {first.target_year}, {context.label(first.doc_id)} đặt "
                f"{render_threshold(first)} nhưng {context.label(second.doc_id)} đặt "
                f"{render_threshold(second)} cho cùng chỉ tiêu "
                f"“{short_indicator(first.indicator_text)}”")


class WithinDocument(SameYear):
    kind = ConflictKind.WITHIN_DOC
    label = "Mâu thuẫn trong cùng văn bản"
    settle = "Cơ quan ban hành đính chính một trong hai mức của văn bản."

    def explain(self, first: Target, second: Target, context: Context) -> str:
        return (f"Năm {first.target_year}, {context.label(first.doc_id)} nêu chỉ tiêu "
                f"“{short_indicator(first.indicator_text)}” hai lần với hai mức khác nhau: "
                f"{render_threshold(first)} (dòng {first.line}) và {render_threshold(second)} "
                f"(dòng {second.line})")


def _looser(later: Threshold, earlier: Threshold) -> bool:
    """Both of one family: a ceiling that rises or a floor that falls."""
    if later.family == "ceiling":
        return later.upper > earlier.upper
    return later.lower < earlier.lower


def _comparable_path(one: Candidate, other: Candidate) -> bool:
    """Two targets that can sit on one path over the years."""
    return (one.target.per_year == other.target.per_year
            and one.threshold.family == other.threshold.family != "exists"
            and units_comparable(one.target, other.target))


class Regression(Rule):
    kind = ConflictKind.REGRESSION
    label = "Năm sau thấp hơn năm trước"
    settle = "Xác nhận mức năm sau thấp hơn là chủ ý, hoặc sửa mức đó."

    def severity(self, first: Target, second: Target) -> Severity:
        return Severity.MEDIUM

    def explain(self, first: Target, second: Target, context: Context) -> str:
        direction = ("cao hơn mức trần" if second.comparator in CEILING_COMPARATORS
                     else "thấp hơn mức")
        return (f"{context.label(second.doc_id)} đặt {render_threshold(second)} cho năm "
                f"{second.target_year}, {direction} {render_threshold(first)} của năm "
                f"{first.target_year} trong {context.label(first.doc_id)} đối với chỉ tiêu "
                f"“{short_indicator(first.indicator_text)}”")

    def find(self, candidates: list[Candidate], context: Context, found: Found) -> None:
        statements = self._statements(candidates)
        indicator_id = candidates[0].target.indicator_id if candidates else None
        disagreeing = {frozenset((conflict.doc_id_a, conflict.doc_id_b)): key
                       for key, conflict in found.items()
                       if conflict.kind == ConflictKind.CROSS_DOC
                       and conflict.indicator_id == indicator_id}
        for later in candidates:
            for same_document in (True, False):
                for earlier in self._nearest_earlier(later, candidates, same_document):
                    if not self._regresses(later, earlier, statements):
                        continue
                    pair = frozenset((earlier.target.doc_id, later.target.doc_id))
                    if not same_document and pair in disagreeing:
                        self._fold(found, disagreeing[pair], earlier.target, later.target,
                                   context)
                    else:
                        self.add(found, earlier.target, later.target, context)

    def _fold(self, found: Found, key: tuple[str, ...], earlier: Target, later: Target,
              context: Context) -> None:
        """The two documents already disagree on the measure: the fall is said in that
        finding's sentence, not as a finding of its own."""
        disagreement = found[key]
        clause = (f" {context.label(later.doc_id)} cũng đặt {_with_year(later)}, thấp hơn "
                  f"{_with_year(earlier)} của {context.label(earlier.doc_id)}.")
        if clause not in disagreement.explanation:
            found[key] = disagreement.model_copy(
                update={"explanation": disagreement.explanation + clause})

    @staticmethod
    def _nearest_earlier(later: Candidate, candidates: list[Candidate], same_document: bool
                         ) -> list[Candidate]:
        """The comparable targets of the nearest earlier year, in the later target's own
        document or in the others."""
        earlier_ones = [found for found in candidates
                        if found.target.target_year < later.target.target_year
                        and (found.target.doc_id == later.target.doc_id) == same_document
                        and _comparable_path(found, later)]
        if not earlier_ones:
            return []
        nearest_year = max(found.target.target_year for found in earlier_ones)
        return [found for found in earlier_ones if found.target.target_year == nearest_year]

    @staticmethod
    def _statements(candidates: list[Candidate]
                    ) -> dict[tuple[str, int | None, bool], list[Candidate]]:
        """Candidates by what one document says for one year (per-year figures apart)."""
        grouped: dict[tuple[str, int | None, bool], list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            target = candidate.target
            grouped[(target.doc_id, target.target_year, target.per_year)].append(candidate)
        return grouped

    @staticmethod
    def _regresses(later: Candidate, earlier: Candidate,
                   statements: dict[tuple[str, int | None, bool], list[Candidate]]) -> bool:
        """Looser, and no other figure either document gives for those years closes the gap.

        A document that gives two figures for one year (a within_doc finding) makes its path
        ambiguous: 500 then 400 is no regression when the later year also says 800.
        """
        def stated_with(candidate: Candidate) -> list[Candidate]:
            target = candidate.target
            return [found for found in statements[(target.doc_id, target.target_year,
                                                   target.per_year)]
                    if _comparable_path(found, candidate)]

        return _looser(later.threshold, earlier.threshold) and all(
            _looser(later_figure.threshold, earlier_figure.threshold)
            for later_figure in stated_with(later) for earlier_figure in stated_with(earlier))


class UnitMismatch(Rule):
    """Between two documents, one finding per pair: the share/count pair closest in years.

    Inside one document a count and a share of the same thing are usually meant ("≥ 250
    doanh nghiệp, trong đó 10 % …"), so only pairs across documents are reported.
    """

    kind = ConflictKind.UNIT_MISMATCH
    label = "Khác đơn vị tính"
    settle = "Thống nhất một đơn vị tính cho chỉ tiêu."
    by_measure = True

    def severity(self, first: Target, second: Target) -> Severity:
        return Severity.LOW

    def explain(self, first: Target, second: Target, context: Context) -> str:
        return (f"Chỉ tiêu “{short_indicator(first.indicator_text)}” được "
                f"{context.label(first.doc_id)} ghi là {render_threshold(first)} (năm "
                f"{first.target_year}) nhưng {context.label(second.doc_id)} ghi là "
                f"{render_threshold(second)} (năm {second.target_year}), một bên là tỷ lệ, "
                "một bên là số lượng")

    def find(self, candidates: list[Candidate], context: Context, found: Found) -> None:
        closest: dict[tuple[str, ...], tuple[int, Target, Target]] = {}
        for one, other in combinations(candidates, 2):
            if (one.target.doc_id == other.target.doc_id
                    or not is_unit_mismatch(one.target, other.target)):
                continue
            first, second = context.order(one.target, other.target)
            gap = abs(first.target_year - second.target_year)
            pair = tuple(sorted((first.doc_id, second.doc_id)))
            if pair not in closest or gap < closest[pair][0]:
                closest[pair] = (gap, first, second)
        for _gap, first, second in closest.values():
            self.add(found, first, second, context)


def _stated_sources(context: Context) -> list[tuple[Lineage, Target]]:
    """Lineage rows with their local target, one per source a row of the plan states (a row
    with a 2026 and a 2030 column cites its source once: the earlier year speaks for it)."""
    chosen: dict[tuple[str, int, str, str | None], tuple[Lineage, Target]] = {}
    for row in sorted(context.lineage, key=lambda row: row.target_id):
        local = context.targets.get(row.target_id)
        if local is None:
            continue
        key = (row.doc_id, row.line, row.parent_number, row.parent_target_id)
        if key not in chosen or (local.target_year or 0) < (chosen[key][1].target_year or 0):
            chosen[key] = (row, local)
    return list(chosen.values())


class BelowAssigned(Rule):
    """A local floor under the floor of the higher plan's target it says it implements
    ("Cụ thể hóa chỉ tiêu … tại Chương trình số 02-CTr/BCĐTW", that plan loaded): the local
    plan assigns itself less than it was assigned. Compared only from the parent's year on: a
    local figure for an earlier year may be a step on the way."""

    kind = ConflictKind.BELOW_ASSIGNED
    label = "Thấp hơn chỉ tiêu được giao"
    settle = ("Nâng chỉ tiêu lên ít nhất mức được giao, hoặc ghi rõ lý do được cấp "
              "trên chấp thuận.")

    def explain(self, first: Target, second: Target, context: Context) -> str:
        return (f"{context.label(second.doc_id)} đặt {render_threshold(second)} cho năm "
                f"{second.target_year} đối với chỉ tiêu "
                f"“{short_indicator(second.indicator_text)}”, thấp hơn mức "
                f"{render_threshold(first)} (năm {first.target_year}) mà "
                f"{context.label(first.doc_id)} giao và chính văn bản dẫn làm nguồn")

    def find_all(self, by_indicator: dict[str, list[Candidate]], context: Context,
                 found: Found) -> None:
        for row in context.lineage:
            local = context.targets.get(row.target_id)
            parent = context.targets.get(row.parent_target_id or "")
            if local is None or parent is None:
                continue
            if self._below(parent, local):
                self.add(found, parent, local, context)

    @staticmethod
    def _below(parent: Target, local: Target) -> bool:
        parent_floor, local_floor = threshold_of(parent), threshold_of(local)
        if (parent_floor is None or local_floor is None or parent_floor.family != "floor"
                or local_floor.family != "floor" or not units_comparable(parent, local)):
            return False
        if None not in (parent.target_year, local.target_year) and (
                local.target_year < parent.target_year):
            return False
        return local_floor.lower < parent_floor.lower


class SourceNotFound(Rule):
    """A target cites the higher plan's target it implements, that plan is loaded, and no
    target of it is that one: the citation, the parent or the extraction is wrong."""

    kind = ConflictKind.SOURCE_NOT_FOUND
    label = "Không thấy chỉ tiêu nguồn"
    settle = ("Kiểm tra văn bản nguồn được dẫn: sửa lời dẫn, nạp đúng văn bản cấp "
              "trên, hoặc báo lại nếu chỉ tiêu nguồn bị đọc sai.")

    def severity(self, first: Target, second: Target) -> Severity:
        return Severity.MEDIUM

    def _explained(self, row: Lineage, local: Target, context: Context) -> str:
        cited = f"“{short_indicator(row.parent_text)}”" if row.parent_text else "một chỉ tiêu"
        parent = context.label(row.parent_doc_id or "")
        return (f"{context.label(local.doc_id)} dẫn chỉ tiêu “"
                f"{short_indicator(local.indicator_text)}” về {cited} của {parent}, nhưng "
                f"{parent} đã nạp không có chỉ tiêu nào như vậy.")

    def find_all(self, by_indicator: dict[str, list[Candidate]], context: Context,
                 found: Found) -> None:
        for row, local in _stated_sources(context):
            if row.parent_doc_id is None or row.parent_target_id is not None:
                continue
            conflict = Conflict(
                conflict_id=hash_of(self.kind.value, local.indicator_id or "",
                                    local.target_year or 0, row.parent_doc_id, local.doc_id,
                                    row.parent_number),
                kind=self.kind, indicator_id=local.indicator_id or "",
                target_year=local.target_year, target_id_a=local.target_id,
                target_id_b=local.target_id, doc_id_a=row.parent_doc_id,
                doc_id_b=local.doc_id, value_a=row.parent_text or "—",
                value_b=render_threshold(local), severity=Severity.MEDIUM,
                status=ConflictStatus.OPEN, explanation=self._explained(row, local, context))
            found.setdefault((*pair_key(conflict), row.parent_doc_id), conflict)


# In this order: a regression looks at the cross_doc findings of its group.
RULES: tuple[Rule, ...] = (CrossDocument(), WithinDocument(), Regression(), UnitMismatch(),
                           BelowAssigned(), SourceNotFound())
KIND_LABELS = {rule.kind: rule.label for rule in RULES}
SETTLE_ACTIONS = {rule.kind: rule.settle for rule in RULES}
