"""Which file is which document. A document is its number; without one, its content (the
file name's id, or that id and a piece of the content hash when another file holds it).
Never a path as typed: paths are resolved before they get here.

Two files of one number are one document, and one of them is its source: the one with a
text layer over an OCR, else the later issue date. Between two new files of a run that
nothing tells apart, none is loaded and the error names both. A new file of a number the
warehouse already holds from another file replaces it when it ranks at least as high (a new
version arrives), else it is set aside. Whatever is set aside or replaced is remembered, so
the next run decides nothing again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipeline.run.stages import DocumentFailure, Stage
from schemas.records import Document, ExtractedDocument, TextSource


def rank(document: Document) -> tuple[bool, date]:
    return document.text_source == TextSource.DIGITAL, document.issued_on or date.min


def _why(kept: Document, dropped: Document) -> str:
    if rank(kept)[0] != rank(dropped)[0]:
        return "giữ bản có lớp chữ, không qua OCR"
    if rank(kept) != rank(dropped):
        return f"giữ bản ban hành mới hơn ({kept.issued_on:%d/%m/%Y})"
    return "giữ bản nạp sau (cùng nguồn chữ, cùng ngày ban hành)"


@dataclass(frozen=True)
class SetAside:
    """A file read and not loaded, because `kept` is the document's source."""

    document: Document
    kept: Document
    reason: str

    def line(self) -> str:
        return (f"{self.document.source_path}: cùng số hiệu {self.document.number} với "
                f"{self.kept.source_path}; {self.reason}, bỏ qua tệp này")


@dataclass
class Decisions:
    load: list[ExtractedDocument]
    set_aside: list[SetAside]
    failures: list[DocumentFailure]


def _refusal(document: Document, others: Iterable[Document]) -> DocumentFailure:
    names = ", ".join(other.source_path for other in others)
    return DocumentFailure(
        Path(document.source_path), Stage.IDENTIFY,
        f"cùng số hiệu {document.number} với {names}, cùng nguồn chữ và cùng ngày ban hành: "
        "không rõ tệp nào là văn bản; hãy để lại một tệp (hoặc `chitieu remove "
        f"{document.doc_id}` rồi nạp lại tệp đúng)")


def one_per_number(found: list[ExtractedDocument]) -> Decisions:
    """Among the documents read in one run, one per id, by the rule above."""
    groups: dict[str, list[ExtractedDocument]] = {}
    for extracted in found:
        groups.setdefault(extracted.document.doc_id, []).append(extracted)
    decisions = Decisions([], [], [])
    for group in groups.values():
        ranked = sorted(group, key=lambda extracted: rank(extracted.document), reverse=True)
        best = ranked[0].document
        if len(ranked) > 1 and rank(best) == rank(ranked[1].document):
            decisions.failures += [
                _refusal(member.document,
                         [other.document for other in group if other is not member])
                for member in group]
            continue
        decisions.load.append(ranked[0])
        decisions.set_aside += [SetAside(other.document, best, _why(best, other.document))
                                for other in ranked[1:]]
    return decisions


@dataclass
class Holdings:
    """The version of each document the warehouse holds, as a run changes it."""

    held: dict[str, Document]
    this_run: set[str] = field(default_factory=set)

    def taken(self) -> dict[str, str]:
        """Each held id and the file it came from (see stages.extract)."""
        return {doc_id: document.source_path for doc_id, document in self.held.items()}

    def verdict(self, new: Document) -> tuple[bool, SetAside | None, DocumentFailure | None]:
        return against_held(new, self.held.get(new.doc_id), new.doc_id in self.this_run)

    def loaded(self, document: Document) -> None:
        """The load replaced whatever had its id or its file."""
        self.held = {doc_id: held for doc_id, held in self.held.items()
                     if held.source_path != document.source_path}
        self.held[document.doc_id] = document
        self.this_run.add(document.doc_id)


def against_held(new: Document, held: Document | None, held_this_run: bool
                 ) -> tuple[bool, SetAside | None, DocumentFailure | None]:
    """(load `new`?, the file set aside if any, a refusal if any) given the version the
    warehouse holds. A held version of the same file is replaced: that file was edited."""
    if held is None or held.source_path == new.source_path:
        return True, None, None
    if rank(new) < rank(held):
        return False, SetAside(new, held, _why(held, new)), None
    if rank(new) == rank(held) and held_this_run:  # remembered too: the next run settles
        return False, SetAside(new, held, "giữ bản đã nạp trước"), _refusal(new, [held])
    return True, SetAside(held, new, _why(new, held)), None
