"""Who issued a plan, when, under which number, and which documents it cites.

All matching runs on folded text (extractors.textblocks.fold), so clean, stripped-OCR and
partly restored text are read by the same rules; what is stored is sliced from the original
text (numbers keep "Đ") or comes from a fixed vocabulary with correct diacritics (kinds,
issuers). Whatever cannot be read for sure is None: a garbled header number ("sé Jg -KH/TU")
is no number, and the file name is consulted only as a last resort and only when it is
spelled like a document number ("kh-22-KH-TU-2026-01-14").
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from extractors import lexicon
from extractors.agencies import closest_name, known_agency
from extractors.jurisdiction import read_jurisdiction
from extractors.numbers import parse_date
from extractors.textblocks import (
    Paragraph,
    fold,
    follows_gap,
    paragraphs,
    plain,
    table_cells,
)
from normalizers.documents import document_kinds, issuer_names
from schemas.records import Document, DocumentRef, Line, Relation, SourceText

# Document kinds and the bodies that issue plans (normalizers/documents.toml, shared with the
# restorer's document-number grammar and names), folded words -> how they are written; the
# text's own spelling of an issuer is matched to these by folded similarity so that OCR damage
# ("Ban Thuong vu Tinh Gy") still resolves.
DOCUMENT_KINDS: dict[str, str] = {fold(kind): kind for kind in document_kinds()}
KIND_QUALIFIERS: dict[str, str] = {fold(word): word
                                   for word in lexicon.words("documents", "kind_qualifiers")}
KNOWN_ISSUERS: tuple[str, ...] = issuer_names()
_ORG_HEAD = re.compile(r"^(?:ban|uy ban|ubnd|hoi dong|hdnd|so|bo|tinh uy|thuong truc|chinh phu|"
                       r"thu tuong|van phong|dang uy|cong an)\b")

_KIND_ALTERNATION = "|".join(sorted(DOCUMENT_KINDS, key=len, reverse=True))
_QUALIFIER_ALTERNATION = "|".join(KIND_QUALIFIERS)
# "57-NQ/TW", "3450 /KH-UBND", "01 -CTr/BCĐ", "04/2025/NQ-CP", "06 - TB/CQTTBCĐ"
_NUMBER = (r"\d{1,5}(?:/(?:19|20)\d{2})?\s*[-/]\s*[a-z][a-z0-9]*"
           r"(?:[-/][a-z][a-z0-9]*)*")
_REF_DATE = (r"(?:\s*,?\s*(?:ng\S{1,2}\s+)?(?:\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|"
             r"\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}))?")
_SO = r"(?:s[o06e]\s*:?\s*|5[o0]\s+)"  # "số", and what an English OCR makes of it
_REFERENCE = re.compile(
    rf"\b(?P<kind>{_KIND_ALTERNATION})(?:\s+(?P<qualifier>{_QUALIFIER_ALTERNATION}))?"
    rf"\s+{_SO}?(?P<number>{_NUMBER})(?P<date>{_REF_DATE})")
_HEADER_NUMBER = re.compile(rf"(?:^|\s)(?P<so>{_SO})(?P<number>{_NUMBER})")
# Opening its line, or in brackets: "… 53 dịch vụ công ban hành kèm theo Đề án 06/CP" cites.
_ANNEX_SELF = re.compile(
    rf"(?:^|\()\s*ban hanh kem theo\s+(?P<kind>{_KIND_ALTERNATION})"
    rf"(?:\s+(?:{_QUALIFIER_ALTERNATION}))?"
    rf"\s+{_SO}?(?P<number>{_NUMBER})(?P<date>{_REF_DATE})(?:\s+cua\s+(?P<issuer>[^)]+))?")
_ROMAN_HEADING = re.compile(r"^[ivx]+\.\s")
_DATE_LINE = re.compile(r"ngay\s+\S+\s+thang\s+\S+\s+nam\s+\d{4}")
# "sửa đổi, bổ sung một số nội dung tại" right before a citation: at most 8 words between.
_AMENDING = re.compile(r"(?:s\S{0,2}a d\S{0,2}i|thay the)\b(?:\W+\w+){0,8}\W*$")
# What may stand between a citation and the amending verb when the cited document is the
# verb's subject: "Kế hoạch số 44-KH/TU, ngày 13/3/2026 của Ban Thường vụ Tỉnh ủy (về việc)
# sửa đổi …" — its issuer and date, no break of the sentence.
_CITED_SUBJECT_TAIL = re.compile(r"^[^,.;:()]*$")
# A sentence break inside a clause: the subject of what follows starts after it.
_SUBJECT_BREAK = re.compile(r"[,.:()]")
# Words before the amending verb that are no subject ("đã sửa đổi", "để sửa đổi").
_VERB_LEAD = re.compile(
    r"(?:(?:^|\s+)(?:da|de|nham|viec|ve|va|dong thoi|ban hanh|tiep tuc|thong nhat))+\s*$")
# The document's own kind as the subject: "KẾ HOẠCH (này) Sửa đổi, bổ sung …" (a title).
_OWN_KIND = re.compile(
    rf"(?:^|\s)(?:{_KIND_ALTERNATION})(?:\s+(?:{_QUALIFIER_ALTERNATION}))?(?:\s+nay)?$")
_ISSUES = re.compile(r"\bban hanh\b")
_CITING_OPENER = re.compile(r"^[-–•+*\s]*(?:can c\S{0,2}|th\S{0,2}[ce] hien|trien khai|xet|"
                            r"theo)\b")
_MOTTO = re.compile(r"(?:cong hoa )?xa hoi chu nghia viet nam|(?:dang )?cong san viet nam")
_LONE_SO = re.compile(r"s[o06e]\s*:?")
# A legal portal's fields block (folded label -> what it gives).
PORTAL_FIELDS: dict[str, str] = {
    "so hieu": "number", "loai van ban": "kind", "noi ban hanh": "issuer",
    "ngay ban hanh": "issued_on",
}
_PORTAL_FIELD = re.compile(rf"^(?P<label>{'|'.join(PORTAL_FIELDS)})\s*:\s*")
_FILE_NUMBER = re.compile(
    r"^[a-z]+-(?P<serial>\d{1,5})-(?P<kind>[A-Za-z]+)-(?P<body>[A-Za-z]+)"
    r"(?:-(?P<date>\d{4}-\d{2}-\d{2}))?(?:\.|$)")
# Party bodies number "08-KH/TU"; state bodies number "3450/KH-UBND" (Nghị định 30/2020/NĐ-CP
# and Hướng dẫn 36-HD/VPTW): the issuing body's code tells which.
_PARTY_BODY = re.compile(r"^(?:T[UW]|[HĐD]U|BCD.*|BCĐ.*|.*TW|.*TU)$", re.IGNORECASE)

# Opening verbs (folded; OCR spellings "can ci?", "thyc hien" included) and what they make of
# the citation they govern.
RELATION_VERBS: tuple[tuple[re.Pattern[str], Relation], ...] = (
    (re.compile(r"can c\S{0,2}(?=\s)"), Relation.BASIS),
    (re.compile(r"(?:trien khai\s+)?th\S{0,2}[ce] hien"), Relation.IMPLEMENTS),
    (re.compile(r"trien khai"), Relation.IMPLEMENTS),
)
HEADER_LINES = 40  # the letterhead, number, date, kind and title sit in these lines


# ---------------------------------------------------------------- numbers


def normalize_number(raw: str) -> str:
    """ "3450 /KH-UBND" -> "3450/KH-UBND", "01 -CTr/BCĐ" -> "01-CTr/BCĐ"."""
    return re.sub(r"\s+", "", raw).replace("–", "-")


def number_slug(number: str) -> str:
    """ "08-KH/TU" -> "08-KH-TU", "01-CTr/BCĐ" -> "01-CTr-BCD": an id safe in paths and URLs."""
    ascii_number = number.replace("Đ", "D").replace("đ", "d")
    return re.sub(r"[^0-9A-Za-z]+", "-", ascii_number).strip("-")


def _is_number(raw: str) -> bool:
    """A document number has an upper-case code ("KH", "NQ"), not just lower-case words."""
    return any(char.isupper() for char in raw)


@dataclass(frozen=True)
class FileNameFacts:
    number: str
    issued_on: date | None


def facts_from_file_name(path: Path) -> FileNameFacts | None:
    """ "kh-22-KH-TU-2026-01-14.ocr.txt" -> 22-KH/TU, 2026-01-14; None for other names."""
    match = _FILE_NUMBER.match(path.name)
    if not match:
        return None
    serial, kind, body = match["serial"], match["kind"], match["body"]
    party = _PARTY_BODY.match(body)
    number = f"{serial}-{kind}/{body}" if party else f"{serial}/{kind}-{body}"
    issued_on = date.fromisoformat(match["date"]) if match["date"] else None
    return FileNameFacts(number=number, issued_on=issued_on)


# ---------------------------------------------------------------- header


def _header_lines(lines: list[Line]) -> list[Line]:
    """The lines before the first Roman-numbered section ("I. MỤC ĐÍCH…"), at most HEADER_LINES."""
    header: list[Line] = []
    for line in lines[:HEADER_LINES]:
        if _ROMAN_HEADING.match(fold(plain(line.text))):
            break
        header.append(line)
    return header


def _kind_heading(header: list[Line]) -> tuple[int, str] | None:
    """Index in `header` and written form of the line that is only a kind ("KẾ HOẠCH HÀNH ĐỘNG")."""
    for index, line in enumerate(header):
        words = fold(plain(line.text)).strip(" .:")
        if index and _PORTAL_FIELD.match(fold(plain(header[index - 1].text))):
            continue  # "Loại văn bản:" / "Nghị quyết": a portal's field, not the heading
        for folded_kind, written in DOCUMENT_KINDS.items():
            if words == folded_kind:
                return index, written
            qualifier = words.removeprefix(folded_kind).strip()
            if words.startswith(folded_kind + " ") and qualifier in KIND_QUALIFIERS:
                return index, f"{written} {KIND_QUALIFIERS[qualifier]}"
    return None


# A page that runs a decision into one line ("… GIAI ĐOẠN 2025-2030 Căn cứ Luật …"): the
# title stops where the grounds or the articles begin.
_PREAMBLE_OPENING = re.compile(r"\s(?:Căn cứ|Xét đề nghị|Theo đề nghị|QUYẾT ĐỊNH:|Điều 1\.)\s")


def _title(header: list[Line], kind_index: int) -> tuple[str | None, bool]:
    """The lines after the kind heading up to the next blank line or rule, and whether
    restoration changed any of them."""
    title_lines: list[Line] = []
    previous: Line | None = None
    for line in header[kind_index + 1:]:
        text = plain(line.text)
        if title_lines and (set(text) <= set("-_= ") or follows_gap(previous, line)):
            break
        if not set(text) <= set("-_= "):
            title_lines.append(line)
            previous = line
    title = _PREAMBLE_OPENING.split(" ".join(plain(line.text) for line in title_lines),
                                    maxsplit=1)[0].strip() or None
    return title, any(line.repaired for line in title_lines)


CAPITAL_TITLE_MIN_WORDS = 4


def _capital_title(header: list[Line]) -> tuple[str, str, bool] | None:
    """A kind and its title on one line in capitals ("CHIẾN LƯỢC PHÁT TRIỂN … GIAI ĐOẠN
    2021 – 2030"), when no line holds the kind alone: (kind, title, restored)."""
    for line in header:
        text = plain(line.text).strip()
        words = text.split()
        if len(words) < CAPITAL_TITLE_MIN_WORDS or text != text.upper():
            continue
        folded = fold(text)
        for folded_kind, written in DOCUMENT_KINDS.items():
            if folded.startswith(folded_kind + " "):
                return written, " ".join(words[len(folded_kind.split()):]), line.repaired
    return None


def _is_separator(text: str) -> bool:
    """A line a web page's letterhead leaves between cells: "|", "-------", nothing."""
    return set(text) <= set("|-_= ")


def _with_broken_number(header: list[Line]) -> list[str]:
    """The header's texts, a lone "Số:" joined to the next line that is not a separator (a
    letterhead cell broken over lines: "Số:" / "|" / "146/QĐ-TTg")."""
    texts = [plain(line.text) for line in header]
    for index, text in enumerate(texts):
        if _LONE_SO.fullmatch(fold(text)):
            following = next((other for other in texts[index + 1:] if not _is_separator(other)),
                             "")
            texts[index] = f"{text} {following}"
    return texts


def _header_number(header: list[Line], kind_index: int | None) -> str | None:
    """ "Số 08-KH/TU" opening a line; above the kind heading also "Số: …" inside a line (a
    two-column letterhead read as one line), never a lower-case "số" that cites a document."""
    for index, text in enumerate(_with_broken_number(header)):
        above_kind = kind_index is None or index < kind_index
        for match in _HEADER_NUMBER.finditer(fold(text)):
            at_start = not text[:match.start()].strip()
            if not (at_start or (above_kind and text[match.start("so")] == "S")):
                continue
            if _is_number(raw := text[match.start("number"):match.end("number")]):
                return normalize_number(raw)
    return None


def _portal_fields(header: list[Line]) -> dict[str, str]:
    """A legal portal's fields block ("Số hiệu:", "Loại văn bản:", "Nơi ban hành:", "Ngày ban
    hành:"), each value after its colon or on the next line, by field name."""
    texts = [plain(line.text) for line in header]
    fields: dict[str, str] = {}
    for index, text in enumerate(texts):
        match = _PORTAL_FIELD.match(fold(text))
        if not match:
            continue
        value = text[match.end():].strip() or (texts[index + 1] if index + 1 < len(texts)
                                                 else "")
        if not _PORTAL_FIELD.match(fold(value)):
            fields.setdefault(PORTAL_FIELDS[match["label"]], value.strip())
    return fields


def _written_kind(text: str) -> str | None:
    folded = fold(text).strip(" .:")
    return next((written for kind, written in DOCUMENT_KINDS.items() if folded == kind), None)


def _letter_kind(header: list[Line]) -> str | None:
    """An official letter has no kind heading but a subject line "V/v …" under its number."""
    if any(fold(plain(line.text)).startswith("v/v ") for line in header):
        return DOCUMENT_KINDS["cong van"]
    return None


def _header_date(header: list[Line]) -> date | None:
    for line in header:
        folded = fold(plain(line.text))
        if _DATE_LINE.search(folded):
            return parse_date(plain(line.text))
    return None


@dataclass(frozen=True)
class AnnexSelfReference:
    number: str
    issued_on: date | None
    issuer_text: str | None


def _annex_self_references(lines: list[Line]) -> list[AnnexSelfReference]:
    """ "(Ban hành kèm theo Kế hoạch số 3450/KH-UBND ngày 17 tháng 3 năm 2026 của …)"."""
    found = []
    for line in lines:
        text = plain(line.text)
        match = _ANNEX_SELF.search(fold(text))
        if not match or not _is_number(text[match.start("number"):match.end("number")]):
            continue
        issuer = text[match.start("issuer"):match.end("issuer")] if match["issuer"] else None
        found.append(AnnexSelfReference(
            number=normalize_number(text[match.start("number"):match.end("number")]),
            issued_on=parse_date(text[match.start("date"):match.end("date")]),
            issuer_text=issuer.strip(" .;") if issuer else None,
        ))
    return found


def _most_frequent(values: list[str]) -> str | None:
    """The most frequent value; the first one seen among equally frequent ones."""
    if not values:
        return None
    counts = Counter(values)
    return max(values, key=lambda value: counts[value])  # max keeps the first of equals


# ---------------------------------------------------------------- issuer


def known_issuer(phrase: str) -> str | None:
    """The known issuing body `phrase` names, matched on folded text (tolerates OCR slips and
    abbreviations); the province's name may follow ("UBND TỈNH LÂM ĐỒNG"), and a longer
    phrase that starts with a known body names it too."""
    folded = fold(plain(phrase))
    prefixed = [name for name in KNOWN_ISSUERS if folded.startswith(fold(name) + " ")]
    province = re.search(r"\btinh\b", folded)  # "UBND TỈNH LÂM ĐỒNG" -> "UBND TỈNH"
    for spelling in (phrase, plain(phrase)[:province.end()] if province else phrase):
        found = closest_name(spelling, KNOWN_ISSUERS) or known_agency(spelling)
        if found in KNOWN_ISSUERS:
            return found
    return max(prefixed, key=len) if prefixed else None


def _issuing_phrase(sentence: str) -> str | None:
    """The body before "ban hành" in "…, Ban Thường vụ Tỉnh ủy ban hành Kế hoạch …"."""
    folded = fold(sentence)
    match = _ISSUES.search(folded)
    if not match:
        return None
    before = sentence[:match.start()]
    alias = re.search(r"\((?:sau đây )?(?:gọi|viết) tắt (?:là )?([^)]+)\)\s*$", before)
    if alias:
        return alias.group(1)
    phrase = re.split(r"[;,]", before)[-1].strip()
    # "Căn cứ Nghị quyết số 52/NQ-CP của Chính phủ ban hành …" names who issued what is cited
    return None if _CITING_OPENER.match(fold(phrase)) else phrase


def _issuer(preamble: list[Paragraph], header: list[Line],
            annex: list[AnnexSelfReference]) -> str | None:
    """Body text "X ban hành …" first, then the annex heading "… của X", then the letterhead."""
    for paragraph in preamble:
        phrase = _issuing_phrase(paragraph.text)
        if phrase and (issuer := known_issuer(phrase) or _plausible_body(phrase)):
            return issuer
    for reference in annex:
        if reference.issuer_text and (issuer := known_issuer(reference.issuer_text)):
            return issuer
    if issuer := _letterhead_column_issuer(header):
        return issuer
    parts = [part for line in header for part in re.split(r"\s{2,}|\t", line.text)]  # columns
    named = [issuer for part in parts if (issuer := known_issuer(part))]
    if not named:  # a body's name broken over two lines: "ỦY BAN NHÂN DÂN" / "TỈNH KHÁNH HÒA"
        named = [issuer for first, second in itertools.pairwise(line.text for line in header)
                 if (issuer := known_issuer(f"{first} {second}"))]
    return named[-1] if named else None


def _letterhead_column_issuer(header: list[Line]) -> str | None:
    """The body in a letterhead's left column: the cells above the national or party motto
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), however a web page broke them over lines ("THỦ" /
    "TƯỚNG CHÍNH PHỦ" / "-------" / "|" / "CỘNG" / "HÒA XÃ HỘI …")."""
    cells: list[str] = []
    for line in header:
        for cell in plain(line.text).split("|"):
            cell = cell.strip()
            if _MOTTO.search(fold(cell)):
                if cells and len(cells[-1].split()) == 1 and not _MOTTO.match(fold(cell)):
                    cells.pop()  # "CỘNG" / "HÒA XÃ HỘI …": the motto's first word
                # "TỈNH ỦY LÂM ĐỒNG" / "BAN CHỈ ĐẠO TỈNH": the body under its parent issues
                named = [issuer for cell in cells if (issuer := known_issuer(cell))]
                return named[-1] if named else None
            if cells and len(cells[-1].split()) == 1:
                cells[-1] = f"{cells[-1]} {cell}"  # a word the page broke off: "THỦ" / "TƯỚNG …"
            elif not _is_separator(cell):
                cells.append(cell)
    return None


def _plausible_body(phrase: str) -> str | None:
    """An unknown issuer is kept only when it reads like a body ("Sở …", "Ban …"), short."""
    words = plain(phrase).split()
    if 1 < len(words) <= 12 and _ORG_HEAD.match(fold(" ".join(words))) and not re.search(
            r"\d", phrase):
        return " ".join(words)
    return None


# ---------------------------------------------------------------- references


def _units(lines: list[Line]) -> list[tuple[Paragraph, bool]]:
    """The stretches refs are read from: paragraphs, and table rows (flagged True)."""
    units = [(paragraph, False) for paragraph in paragraphs(lines)]
    for line in lines:
        cells = table_cells(line)
        if cells:
            row = " ; ".join(plain(cell) for cell in cells)
            units.append((Paragraph(text=row, lines=(line,), starts=(0,)), True))
    return units


def _leading_relation(folded_text: str) -> Relation:
    opening = folded_text.lstrip("-–•+* ")
    for verb, relation in RELATION_VERBS:
        if verb.match(opening):
            return relation
    return Relation.MENTIONS


def _opens_clause(folded_gap: str) -> bool:
    """Whether only a governing verb, a bullet or "và" precede a citation in its clause."""
    words = re.sub(r"[^a-z ]", " ", folded_gap)
    for verb, _ in RELATION_VERBS:
        words = verb.sub(" ", words)
    return all(word == "va" for word in words.split())


def _clauses(folded_text: str) -> list[tuple[int, int]]:
    """(start, end) of the parts of a sentence between semicolons."""
    bounds, start = [], 0
    for match in re.finditer(";", folded_text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(folded_text)))
    return bounds


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    number: str
    kind: str
    ref_date: date | None


def _references_in(text: str, folded: str, start: int, end: int) -> list[_Found]:
    found = []
    for match in _REFERENCE.finditer(folded, start, end):
        raw = text[match.start("number"):match.end("number")]
        if not _is_number(raw):
            continue
        kind = DOCUMENT_KINDS[match["kind"]]
        if match["qualifier"]:
            kind = f"{kind} {KIND_QUALIFIERS[match['qualifier']]}"
        ref_date = parse_date(match["date"]) if match["date"] else None
        found.append(_Found(start=match.start(), end=match.end(), number=normalize_number(raw),
                            kind=kind, ref_date=ref_date))
    return found


@dataclass(frozen=True)
class _Amender:
    """Who the amending verb before a citation names as its subject."""

    number: str | None = None  # a document cited just before the verb; None: the citing one


def _amender(folded: str, start: int, previous: _Found | None, verb_start: int,
             issuer: str | None) -> _Amender | None:
    """The subject of "sửa đổi" at `verb_start`: the citation just before it when only its
    issuer and date stand between ("Kế hoạch số 44 … của Ban Thường vụ Tỉnh ủy sửa đổi …");
    else the words after the last break of the sentence: none, a document kind ("Kế hoạch
    này"), or the document's own issuing body (any body when the issuer is unknown) is this
    document ("Để thống nhất với Kế hoạch
    số X, Ban Thường vụ Tỉnh ủy sửa đổi … Kế hoạch số Y": this document amends Y, X amends
    nothing); another body or a phrase names no document we can tell (None)."""
    before = folded[previous.end if previous else start:verb_start]
    if previous is not None and _CITED_SUBJECT_TAIL.match(before):
        return _Amender(number=previous.number)
    breaks = list(_SUBJECT_BREAK.finditer(before))
    subject = _VERB_LEAD.sub("", before[breaks[-1].end() if breaks else 0:]).strip(" -–")
    if not subject or _OWN_KIND.search(subject):
        return _Amender()
    if issuer is None:
        return _Amender() if known_issuer(subject) or _plausible_body(subject) else None
    body = known_issuer(subject)
    # "Ban Thường vụ Tỉnh ủy" speaks for a plan under the "Tỉnh ủy" letterhead
    if body and (fold(body).endswith(fold(issuer)) or fold(issuer).endswith(fold(body))):
        return _Amender()
    return None


def _full_stops(text: str) -> list[int]:
    """Offsets just after each ". " that a capital letter follows (a sentence ends there)."""
    return [match.end() for match in re.finditer(r"\.\s+(?=\S)", text)
            if text[match.end()].isupper()]


def _sentence(text: str, start: int, end: int, found: _Found) -> str:
    """The sentence of the clause [start, end) of `text` that holds `found`."""
    before = _full_stops(text[start:found.start])
    after = _full_stops(text[found.end:end])
    head = start + (before[-1] if before else 0)
    stop = found.end + after[0] if after else end
    return " ".join(text[head:stop].split()).strip(" ;")


def _relate(unit: Paragraph, in_table: bool, doc_id: str, issuer: str | None
            ) -> list[DocumentRef]:
    """Each citation of `unit` with its relation and the sentence that states it.

    The verb that opens the paragraph ("Căn cứ", "Thực hiện") governs the first citation of
    each semicolon-separated part; later citations in a part are mentions, except one that
    follows "sửa đổi, bổ sung": its amender is the subject of that verb (`_amender`).
    """
    folded = fold(unit.text)
    opening = Relation.MENTIONS if in_table else _leading_relation(folded)
    refs = []
    for start, end in _clauses(folded):
        previous: _Found | None = None
        for found in _references_in(unit.text, folded, start, end):
            gap_start = previous.end if previous else start
            gap = folded[gap_start:found.start]
            relation, subject = Relation.MENTIONS, None
            if verb := _AMENDING.search(gap):
                amender = _amender(folded, start, previous, gap_start + verb.start(), issuer)
                if amender is not None:
                    relation, subject = Relation.AMENDS, amender.number
            elif previous is None and _opens_clause(gap):
                relation = opening
            refs.append(DocumentRef(
                doc_id=doc_id, ref_number=found.number, ref_kind=found.kind,
                ref_date=found.ref_date, relation=relation, subject_number=subject,
                line=unit.line_at(found.start).line_no,
                source_text=_sentence(unit.text, start, end, found)))
            previous = found
    return refs


def _deduplicated(refs: list[DocumentRef], own_number: str | None) -> list[DocumentRef]:
    """One row per (number, relation, subject); a mere mention of a document the plan also
    cites more strongly is dropped; the plan's own number is no reference."""
    strong = {ref.ref_number for ref in refs
              if ref.relation != Relation.MENTIONS and ref.subject_number is None}
    kept: dict[tuple[str, Relation, str | None], DocumentRef] = {}
    for ref in refs:
        if ref.ref_number == own_number:
            continue
        if ref.relation == Relation.MENTIONS and ref.ref_number in strong:
            continue
        kept.setdefault((ref.ref_number, ref.relation, ref.subject_number), ref)
    return sorted(kept.values(), key=lambda ref: ref.line)


def cited_numbers(text: str) -> list[str]:
    """The numbers of the documents a text cites by kind and number ("Chương trình số
    02-CTr/BCĐTW"), normalised, in order."""
    return [found.number for found in _references_in(text, fold(text), 0, len(text))]


def find_references(lines: list[Line], doc_id: str, own_number: str | None,
                    issuer: str | None = None) -> list[DocumentRef]:
    refs = [ref for unit, in_table in _units(lines)
            for ref in _relate(unit, in_table, doc_id, issuer)]
    return _deduplicated(refs, own_number)


# ---------------------------------------------------------------- the document


def _preamble(lines: list[Line], header: list[Line]) -> list[Paragraph]:
    """The paragraphs from the top to the first Roman-numbered section."""
    after_header = lines[len(header):]
    first_section = next((line for line in after_header
                          if _ROMAN_HEADING.match(fold(plain(line.text)))), None)
    end = lines.index(first_section) if first_section else len(lines)
    return paragraphs(lines[:end])


def read_document(source: SourceText, lines: list[Line]) -> tuple[Document, list[DocumentRef]]:
    """The document's own facts and its references to other documents."""
    header = _header_lines(lines)
    annex = _annex_self_references(lines)
    from_file = facts_from_file_name(source.source_path)
    kind_heading = _kind_heading(header)
    kind_index = kind_heading[0] if kind_heading else None
    portal = _portal_fields(header)
    portal_number = portal.get("number", "")
    number = ((normalize_number(portal_number) if _is_number(portal_number) else None)
              or _header_number(header, kind_index)
              or _most_frequent([ref.number for ref in annex])
              or (from_file.number if from_file else None))
    annex_dates = [ref.issued_on for ref in annex if ref.number == number and ref.issued_on]
    issued_on = (parse_date(portal.get("issued_on", "")) or _header_date(header)
                 or (annex_dates[0] if annex_dates else None)
                 or (from_file.issued_on if from_file else None))
    portal_issuer = portal.get("issuer", "")
    doc_id = number_slug(number) if number else number_slug(source.source_path.stem)
    issuer = (known_issuer(portal_issuer) or _plausible_body(portal_issuer)
              or _issuer(_preamble(lines, header), header, annex))
    jurisdiction = read_jurisdiction([line.text for line in header],
                                     [line.text for line in lines], issuer, number)
    title, title_restored = _title(header, kind_heading[0]) if kind_heading else (None, False)
    capital_title = None if kind_heading else _capital_title(header)
    if capital_title:
        title, title_restored = capital_title[1], capital_title[2]
    document = Document(
        doc_id=doc_id,
        number=number,
        issuer=issuer,
        issued_on=issued_on,
        title=title,
        title_restored=title_restored,
        kind=(_written_kind(portal.get("kind", ""))
              or (kind_heading[1] if kind_heading else None)
              or (capital_title[0] if capital_title else None) or _letter_kind(header)),
        source_path=str(source.source_path),
        sha256=source.sha256,
        text_source=source.text_source,
        page_count=source.page_count,
        jurisdiction=jurisdiction.name if jurisdiction else None,
        jurisdiction_level=jurisdiction.level if jurisdiction else None,
    )
    return document, find_references(lines, doc_id, number, document.issuer)
