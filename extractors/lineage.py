"""Where a target says it comes from: a clause of its own text that names the higher plan's
target it details ("Cụ thể hóa chỉ tiêu “…” tại Chương trình số 02-CTr/BCĐTW") or repeats
("Thống nhất với chỉ tiêu tại Quyết định số 11/QĐ-BCĐCP"). One lineage row per cited
document; the parent wording, when quoted, with its figure."""

from __future__ import annotations

import re
from itertools import pairwise

from extractors import lexicon
from extractors.metadata import cited_numbers
from extractors.targets import prose_drafts
from extractors.textblocks import fold
from schemas.records import Lineage, LineageRelation, Target

_VERB = re.compile(
    rf"\b(?:(?P<specifies>{lexicon.alternation('lineage', 'specifies')})|"
    rf"(?P<aligns>{lexicon.alternation('lineage', 'aligns')}))\s+(?:cac\s+|voi\s+)?chi tieu\b")
_CLAUSE_BREAK = re.compile(r"\(\d{1,2}\)|;")  # "(1) … (2) …", "…; …"
_QUOTE = re.compile(r"^\s*(?:so\s+\d+\s+)?[“\"](?P<quote>[^”\"]{3,})[”\"]")


def _clauses(text: str) -> list[tuple[int, int]]:
    breaks = [0, *(match.start() for match in _CLAUSE_BREAK.finditer(text)), len(text)]
    return [(start, end) for start, end in pairwise(breaks) if end > start]


def _lineage_of_clause(target: Target, text: str, start: int, end: int) -> list[Lineage]:
    folded = fold(text)
    verb = _VERB.search(folded, start, end)
    if verb is None:
        return []
    relation = LineageRelation.SPECIFIES if verb["specifies"] else LineageRelation.ALIGNS
    quoted = _QUOTE.match(text[verb.end():end])
    quote = quoted["quote"].strip() if quoted else None
    rest = text[verb.end() + (quoted.end() if quoted else 0):end]
    figure = next((draft for draft in prose_drafts(quote) if draft.value is not None), None) if (
        quote) else None
    return [Lineage(
        target_id=target.target_id, doc_id=target.doc_id, relation=relation,
        parent_number=number, parent_text=quote,
        parent_comparator=figure.comparator if figure else None,
        parent_value=figure.value if figure else None,
        parent_value_max=figure.value_max if figure else None,
        parent_unit=figure.unit if figure else None,
        line=target.line, source_text=text[start:end].strip(" ;.()"),
    ) for number in dict.fromkeys(cited_numbers(rest))]


def read_lineage(targets: list[Target]) -> list[Lineage]:
    """The stated source of each target, read from the target's own source text."""
    return [lineage for target in targets
            for start, end in _clauses(target.source_text)
            for lineage in _lineage_of_clause(target, target.source_text, start, end)]
