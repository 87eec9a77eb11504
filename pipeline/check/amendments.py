"""Documents as a reader cites them, and which documents amend which."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise

from normalizers.documents import number_key
from schemas.records import Document, DocumentRef, Relation


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


