"""Each lineage row to the loaded parent document and, in it, the target the local one
implements: the parent's target of the same indicator (the same year first), else the one
whose wording is closest to the quoted parent wording (or to the local wording when nothing is
quoted). A parent that is not loaded leaves the row as read."""

from __future__ import annotations

from collections import defaultdict

from rapidfuzz import fuzz

from extractors.textblocks import fold
from normalizers.documents import number_key
from schemas.records import Document, Lineage, Target

WORDING_LINK_SCORE = 70.0  # token-set ratio of folded wordings that name one measure


def _wording_score(a: str, b: str) -> float:
    return fuzz.token_set_ratio(fold(a), fold(b))


def parent_target(row: Lineage, local: Target, candidates: list[Target]) -> Target | None:
    same_measure = [target for target in candidates
                    if local.indicator_id and target.indicator_id == local.indicator_id]
    wording = row.parent_text or local.indicator_text
    alike = [target for target in candidates
             if _wording_score(wording, target.indicator_text) >= WORDING_LINK_SCORE]
    found = same_measure or alike
    return min(found, key=lambda target: (target.target_year != local.target_year,
                                         -_wording_score(wording, target.indicator_text),
                                         target.line), default=None)


def link_lineage(lineage: list[Lineage], documents: list[Document], targets: list[Target]
                 ) -> list[Lineage]:
    by_number = {number_key(document.number): document for document in documents
                 if document.number}
    by_id = {target.target_id: target for target in targets}
    by_document: dict[str, list[Target]] = defaultdict(list)
    for target in targets:
        by_document[target.doc_id].append(target)
    linked = []
    for row in lineage:
        parent = by_number.get(number_key(row.parent_number))
        local = by_id.get(row.target_id)
        if parent is None or local is None or parent.doc_id == row.doc_id:
            linked.append(row.model_copy(update={"parent_doc_id": None,
                                                 "parent_target_id": None}))
            continue
        found = parent_target(row, local, by_document[parent.doc_id])
        linked.append(row.model_copy(update={
            "parent_doc_id": parent.doc_id,
            "parent_target_id": found.target_id if found else None}))
    return linked
