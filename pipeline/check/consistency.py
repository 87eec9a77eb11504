"""Where plans disagree: the rules of `pipeline.check.rules` run over the targets, one
indicator (or one measure) at a time, so comparisons stay inside one measure; and what
changed between two checks."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import product
from typing import Protocol

from normalizers.documents import number_key
from pipeline.check.amendments import Amendments
from pipeline.check.rules import RULES, Candidate, Context, Found, hash_of
from pipeline.check.thresholds import threshold_of, unit_class
from schemas.records import Conflict, Document, DocumentRef, Lineage, Relation, Target


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
                "conflict_id": hash_of(conflict.conflict_id, seen[conflict.conflict_id])})
        numbered.append(conflict)
    return numbered


def _distinct(candidates: list[Candidate]) -> list[Candidate]:
    """One target per document, year, threshold and unit class: repeats add no finding."""
    seen: dict[tuple, Candidate] = {}
    for candidate in sorted(candidates, key=lambda found: (found.target.doc_id,
                                                           found.target.line,
                                                           found.target.target_id)):
        target = candidate.target
        key = (target.doc_id, target.target_year, target.per_year, candidate.threshold,
               unit_class(target))
        seen.setdefault(key, candidate)
    return list(seen.values())


def _candidates_by_indicator(targets: list[Target]) -> dict[str, list[Candidate]]:
    grouped: dict[str, list[Candidate]] = defaultdict(list)
    for target in targets:
        threshold = threshold_of(target)
        if target.indicator_id and target.target_year is not None and threshold is not None:
            grouped[target.indicator_id].append(Candidate(target, threshold))
    return grouped


def _replaced_targets(grouped: dict[str, list[Candidate]], amendments: Amendments
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


_BINDING = frozenset({Relation.BASIS, Relation.IMPLEMENTS, Relation.AMENDS})
_LOCAL_LEVELS = frozenset({"province", "district"})


def _placed(documents: list[Document], refs: list[DocumentRef]) -> list[Document]:
    """A document nothing in it places (a scan whose letterhead did not read) takes the
    jurisdiction of the local plans it builds on, implements or amends, or that build on it,
    when they all hold in one: KH 3450 "căn cứ" KH 22, so KH 22 is Lâm Đồng's too."""
    by_key = {number_key(document.number): document for document in documents
              if document.number}
    neighbours: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for ref in refs:
        cited = by_key.get(number_key(ref.ref_number))
        citing = next((document for document in documents if document.doc_id == ref.doc_id),
                      None)
        if ref.relation not in _BINDING or cited is None or citing is None:
            continue
        for one, other in ((citing, cited), (cited, citing)):
            if other.jurisdiction and other.jurisdiction_level in _LOCAL_LEVELS:
                neighbours[one.doc_id].add((other.jurisdiction, other.jurisdiction_level))
    placed = []
    for document in documents:
        places = neighbours[document.doc_id]
        if document.jurisdiction is None and len(places) == 1:
            jurisdiction, level = next(iter(places))
            document = document.model_copy(update={"jurisdiction": jurisdiction,
                                                   "jurisdiction_level": level})
        placed.append(document)
    return placed


def find_conflicts(documents: list[Document], refs: list[DocumentRef], targets: list[Target],
                   lineage: Iterable[Lineage] = ()) -> list[Conflict]:
    """Every conflict between the targets, rule by rule in RULES order, in a stable order."""
    documents = _placed(documents, refs)
    amendments = Amendments(documents, refs)
    by_indicator = _candidates_by_indicator(targets)
    context = Context({doc.doc_id: doc for doc in documents}, amendments,
                      _replaced_targets(by_indicator, amendments), tuple(lineage),
                      {target.target_id: target for target in targets})
    distinct = {indicator_id: _distinct(candidates)
                for indicator_id, candidates in by_indicator.items()}
    found: Found = {}
    for rule in RULES:
        rule.find_all(distinct, context, found)
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
    def lineage(self) -> list[Lineage]: ...
    def conflicts(self) -> list[Conflict]: ...
    def has_been_checked(self) -> bool: ...
    def replace_conflicts(self, conflicts: list[Conflict]) -> None: ...


def check_warehouse(warehouse: ConflictStore) -> tuple[list[Conflict], CheckChanges | None]:
    """Re-run the check, store the result, and say what changed since the stored one (None
    when there was no check before this one)."""
    checked_before = warehouse.has_been_checked()
    before = warehouse.conflicts()
    now = find_conflicts(warehouse.documents(), warehouse.refs(), warehouse.targets(),
                         warehouse.lineage())
    warehouse.replace_conflicts(now)
    return now, diff_conflicts(before, now) if checked_before else None
