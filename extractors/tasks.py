"""Tasks: what must be done, by whom, with whom, producing what, by when.

Three layouts are read, each by its structure rather than its wording:

- task tables (Phụ lục II of KH 3450): a header row names the columns ("Tên nhiệm vụ",
  "Cơ quan chủ trì", "Thời gian hoàn thành" …) and every numbered row under it is a task;
- numbered items with labelled lines (CTr 01 section III): "- Chủ trì: Đồng chí …" and
  "- Thời gian: Năm 2026." under an item make the item a task;
- the responsibilities section ("TỔ CHỨC THỰC HIỆN"): each numbered or lettered heading that
  names a body ("Trách nhiệm của Ban Chỉ đạo tỉnh", "Sở Khoa học và Công nghệ") owns the
  paragraphs under it, and "- Văn phòng Tỉnh ủy: …" names its own owner.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from extractors import lexicon
from extractors.agencies import (
    canonical_agency_name,
    head_post,
    is_agency_name,
    known_agency,
    split_agencies,
)
from extractors.numbers import Deadline, find_prose_deadline, parse_deadline
from extractors.textblocks import Paragraph, content_id, fold, paragraphs, plain, table_cells
from schemas.records import Document, Line, Task

# Header words (folded) -> the Task field the column fills; the first matching role wins.
COLUMN_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("number", ("stt", "tt")),
    ("responsible", ("nguoi dung dau", "chiu trach nhiem")),
    ("lead", ("chu tri",)),
    ("partner", ("phoi hop",)),
    ("product", ("san pham", "ket qua")),
    ("deadline", ("thoi gian", "thoi han", "tien do")),
    ("title", ("ten nhiem vu", "nhiem vu", "noi dung")),
)
_NUMBER_HEADER = re.compile(r"(?:so\s+)?s?tt")  # folded: "STT", "TT", "Số TT"
_NUMBERED = re.compile(r"^(?P<number>\d+)\.\s+(?P<rest>.*)$")
# "a) ", and what OCR and restoration make of it: "¢) ", "bộ) ".
_LETTERED = re.compile(r"^(?P<letter>[^\s()]{1,3})\)\s+(?P<rest>.*)$")
_BULLET = re.compile(r"^[-–•+]\s+")
_ROMAN = re.compile(r"^[IVX]+\.\s")
# Labelled lines under an item, folded: "- Chủ trì: …", "- Cơ quan chủ trì: …", "Đơn vị phối
# hợp: …", "Thời gian hoàn thành: …", "Sản phẩm đầu ra: …", several in one line after ";"
# ("Cơ quan chủ trì: Sở Nội vụ; phối hợp: …"). OCR reads "Chủ trì" as "Chi tri" too.
_LABEL_WORDS = (r"(?:(?:co quan|don vi|cap|bo phan)\s+)?"
                r"(?P<key>ch\S{1,2} tri|phoi hop|thoi gian|thoi han|tien do|san pham|ket qua)"
                r"(?:\s+[^\s:;()]+){0,3}?\s*:\s*")
_LABEL = re.compile(rf"(?:^|;\s*){_LABEL_WORDS}")
# Labels after an item's wording on its own line: "1. Xây dựng … (cơ quan chủ trì: Sở A;
# thời gian hoàn thành: quý II/2026)", "… . Cơ quan chủ trì: …", "… - Chủ trì: …"
_INLINE_LABELS = re.compile(rf"(?:\(\s*|[.;]\s+|\s[-–]\s+)(?={_LABEL_WORDS})")
# An item that labelled lines may follow: "1. ", "1.1. ", "1.1 ", "a) "
_TASK_ITEM = re.compile(r"^(?:\d+\.|\d+(?:\.\d+)+\.?|[a-zđ]\))\s+(?P<rest>\S.*)$")
_LABEL_KEYS = {"thoi han": "thoi gian", "tien do": "thoi gian", "ket qua": "san pham"}
_IMPLEMENTATION = re.compile(r"to chuc th\S{0,3} hien")  # "TỔ CHỨC THỰC HIỆN", OCR "THU'C"
_SECTION_END = re.compile(r"^(?:noi nhan|tren day la)")
_HEADING_MARKER = re.compile(  # folded: "4. ", "b) ", "phan iii. ", "dieu 2. "
    r"^(?:phan\s+)?(?:[ivx]+|\d+|[a-z])[.)]\s+|^(?:phan|dieu)\s+[ivx\d]+\s*[.:]?\s*")
_ARTICLE = re.compile(r"^dieu\s+\d+\s*[.:]")  # "Điều 3. …" of a decision
_RESPONSIBILITY_PREFIX = re.compile(r"^trach nhiem\s+(?:c\S{0,3}a\s+)?")
_PERSON = re.compile(rf"^(?:{lexicon.alternation('tasks', 'person_titles')})\s")  # folded
# Verbs (folded) that open the work after the bodies of a task: "Sở A [chủ trì], phối hợp
# với Sở B và UBND các huyện | rà soát …". Where a list of bodies ends. Verbs that also stand
# inside names count where the word before shows no name ("Ban Chỉ đạo", "các tổ chức").
_WORK_VERB = re.compile(
    rf"\s+(?:{lexicon.alternation('tasks', 'work_verbs')})\b"
    rf"|\s+(?:{lexicon.alternation('tasks', 'modal_verbs')})(?=\s+\w)"
    rf"|(?<!\bban)(?<!\bcac)(?<!\bva)(?<!,)\s+(?:{lexicon.alternation('tasks', 'name_verbs')})\b")
# Verbs that make a sentence anywhere in the plan a task of its subject (outside the
# responsibilities section, where any body-subject sentence is one): "Sở A chủ trì, …",
# "Sở A có trách nhiệm …"; or that open it and assign: "Giao Sở A …", "Đề nghị Sở A …".
_ASSIGNED_VERB = re.compile(
    rf"\s+(?:{lexicon.alternation('tasks', 'assigned_verbs')})\b(?!\s+duoc\b)")
# folded; opening the sentence, after a lead-in ("Để bảo đảm tiến độ, giao Sở A …") or
# after who assigns ("Thủ tướng … giao Bộ A …", "Ban Chỉ đạo yêu cầu các bộ …")
# ("UBND tỉnh đã giao cho …" tells what was, it assigns nothing; "giáo dục" folds alike)
_ASSIGNING = re.compile(
    rf"(?:^|\s)(?<!da )(?:{lexicon.alternation('tasks', 'assigning_verbs')})\s+(?!duc\b)")
_ASSIGNED_LIST_JOIN = re.compile(
    rf";\s+|\s+và\s+(?:{lexicon.alternation('tasks', 'assigning_verbs', fold_words=False)})\s+",
    re.IGNORECASE)
# "Sở A được [Ủy ban nhân dân tỉnh] giao …", "Bộ A được yêu cầu …", "… được đề nghị …"
_PASSIVE_ASSIGNING = re.compile(
    rf"(?:\s+\S+){{0,8}}?\s+(?:{lexicon.alternation('tasks', 'assigning_verbs')})\b")
# "Chương trình … sẽ được Bộ A trình …": the body after a future passive does the work
_FUTURE_PASSIVE = re.compile(r"(?:^|\s)se duoc\s+")
# "Các đồng chí Lãnh đạo Bộ …": the persons a subject opens with, before whom they are
_LEADERS = re.compile(
    rf"^(?:các\s+)?(?:{lexicon.alternation('tasks', 'person_titles', fold_words=False)})\s+(?=\S)",
    re.IGNORECASE)
_LEADERSHIP = re.compile(r"^lãnh đạo\s+", re.IGNORECASE)
# "Bộ sẽ …": a kind said alone, then a verb (as written: "bộ" inside a sentence is no subject)
_SHORT_REFERENCE = re.compile(
    rf"^(?P<kind>{lexicon.alternation('tasks', 'short_references', fold_words=False)})"
    rf"(?=\s+(?:{lexicon.alternation('tasks', 'modal_verbs', fold_words=False)}|"
    rf"{lexicon.alternation('tasks', 'work_verbs', fold_words=False)})\b)")
# "các Bộ: Tài chính, Tư pháp và Nội vụ", "các bộ Công an, Y tế": one kind for a list of names
_KIND_LIST = re.compile(
    rf"\b[Cc]ác\s+(?P<kind>{lexicon.alternation('tasks', 'short_references', fold_words=False)}"
    rf"|{lexicon.alternation('tasks', 'short_references', fold_words=False).lower()})\s*:?\s+")
_NAME_SEPARATOR = re.compile(r"\s*,\s*|\s+và\s+")
# "Tỉnh Bình An sẽ …", "TPHCM sẽ …": a province or city, as written, subject of what it will do
_PLACE = re.compile(
    rf"^(?:(?i:{lexicon.alternation('tasks', 'place_kinds', fold_words=False)})\s*"
    rf"(?:[A-ZĐ][^\s,.;:]*\s*){{1,4}}"
    rf"|(?:{lexicon.alternation('tasks', 'place_names', fold_words=False)}))$")
_PLACE_KIND_START = re.compile(
    rf"^(?:{lexicon.alternation('tasks', 'place_kinds', fold_words=False)})\s", re.IGNORECASE)
_MODAL = re.compile(rf"(?:{lexicon.alternation('tasks', 'modal_verbs')})")
# "Phó Chủ tịch UBND tỉnh A, để đạt …, tỉnh A sẽ …": a clause after a comma ends any name
_CLAUSE_IN_NAME = re.compile(rf",\s+(?:{lexicon.alternation('tasks', 'clause_openers')})\s")
_COMMITMENT = re.compile(rf"(?:{lexicon.alternation('tasks', 'commitment_verbs')})")
_PAST_END = re.compile(rf"\s(?:{lexicon.alternation('tasks', 'past_adverbs', fold_words=False)})$",
                       re.IGNORECASE)
# "… các nhiệm vụ trọng tâm như: A; B; C" (folded, before the colon)
_LIST_COLON = re.compile(rf"\b(?:{lexicon.alternation('tasks', 'list_colon_ends')})\s*:\s+")
NAME_MAX_WORDS = 10  # words after a kind that may still be the name ("Bộ Nông nghiệp và …")
_NEED = re.compile(  # "cần" obliging, as written, before the work and not before what is needed
    rf"\bcần\s+(?!(?:{lexicon.alternation('tasks', 'need_objects', fold_words=False)})\b)",
    re.IGNORECASE)
_MODAL_END = re.compile(rf"\s(?:{lexicon.alternation('tasks', 'modal_verbs')})$")
_REPORTING = re.compile(rf"\b(?:{lexicon.alternation('tasks', 'reporting_verbs')})\b")
# Adverbs between a subject and its verb, as written: "Các cơ quan, đơn vị nhà nước cũng cần …"
_ADVERB_END = re.compile(rf"\s+(?:{lexicon.alternation('tasks', 'adverbs', fold_words=False)})$",
                         re.IGNORECASE)
# "… phối hợp với Sở Nội vụ tham mưu …": the partners, up to the next verb or punctuation
_PARTNERS = re.compile(
    rf"\bphoi hop(?:\s+chat che)?\s+voi\s+(?:cac\s+(?=co quan|don vi|so|ban|nganh))?(?P<who>.+?)"
    rf"(?={_WORK_VERB.pattern}|\s+(?:to chuc|kiem tra|de|trong|nham|truoc)\b|[.;:(]|"
    rf",\s+(?!thanh pho|thi xa|huyen|xa|phuong|thi tran)|$)")  # "UBND các huyện, thành phố"
# Connectives before the subject: "Đồng thời, Ban Chỉ đạo …", "Theo đó, …" (folded) and a
# clause of purpose, ground or role: "Để triển khai …, Bộ A phải …", "Với vai trò là cơ quan
# thường trực của …, Sở A chủ trì …" — the subject follows one of the clause's commas.
# ("để" folds like the "đề" of "Đề nghị Sở A …" and "Đề án …", which open no clause.)
_LEAD_IN = re.compile(rf"^(?!de (?:nghi|an)\b)(?:{lexicon.alternation('tasks', 'connectives')}|"
                      rf"(?:{lexicon.alternation('tasks', 'clause_openers')})\s)")
_LIST_LEAD_IN_END = re.compile(rf"\b(?:{lexicon.alternation('tasks', 'list_lead_in_ends')})\s*$")
ADDRESSEE_MAX_LINES = 8  # the lines of a "Kính gửi:" list
LEAD_IN_MAX_CHARS = 300  # how far into a sentence its subject may stand after a lead-in
# "Kính gửi: Ủy ban nhân dân các tỉnh …" of a letter, and "Quý Ủy ban" naming them after
_ADDRESSEES = re.compile(rf"(?:^|\s)(?:{lexicon.alternation('tasks', 'addressee_label')})\s*:?\s*")
_ADDRESSEE_REFERENCE = re.compile(
    rf"^(?:{lexicon.alternation('tasks', 'addressee_reference')})\b")
# "… cùng thời hạn hoàn thành": the deadline of the task before
_DIRECTED = re.compile(r"^chi dao\s+")  # "Chỉ đạo Sở A …", an item addressed to its head
_SAME_DEADLINE = re.compile(rf"\b(?:{lexicon.alternation('tasks', 'same_deadline')})\b")
_DEADLINE_SENTENCE = re.compile(rf"^(?:{lexicon.alternation('tasks', 'deadline_openers')})\b")
_JOINS = lexicon.alternation("tasks", "contrast_joins", fold_words=False)
_SENTENCE_BREAK = re.compile(r"[.;]\s+(?=\S)|\s(?=\(\d{1,2}\)\s)"  # "…: (1) Các bộ …"
                             rf"|,\s+(?:{_JOINS})\s+(?=[A-ZĐ])")  # "…, trong khi Sở A chủ trì …"
_JOIN_END = re.compile(rf",\s+(?:{_JOINS})\s*$")
_CLAUSE_BREAK = re.compile(r";\s+")
# "trước ngày 15/9", "chậm nhất ngày 10/12": a day and month, no year after (folded)
_DAY_MONTH_DEADLINE = re.compile(
    r"\b(?:truoc|cham nhat|han chot|den)\s+(?:ngay\s+)?(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})"
    r"(?!\s*/?\s*\d)")
_FULL_DATE = re.compile(r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?P<year>(?:19|20)\d{2})\b|"
                        r"\bngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+(?P<written>(?:19|20)\d{2})\b")
_ITEM_MARKER = re.compile(
    r"^(?:[-–•+]\s+|[^\s()]{1,3}\)\s+|\(\d{1,2}\)\s+|\d+(?:\.\d+)*\.\s+)")
BODY_HEADING_MAX_WORDS = 60  # a heading that names bodies, not a sentence
AGENCY_MAX_WORDS = 14  # "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh" has 11
SUB_HEADING_MAX_WORDS = 10  # "a) Văn phòng Tỉnh ủy" heads the paragraphs under it


def task_id(doc_id: str, title: str, seen: Counter[str]) -> str:
    """The document and the folded wording (the n-th task worded alike gets n), not the line:
    a re-exported or amended version keeps the ids of tasks it did not reword."""
    key = content_id("task", doc_id, title)
    seen[key] += 1
    return content_id(key, seen[key])


@dataclass
class _Draft:
    """A task being assembled; `finish` turns it into a Task."""

    title: str
    first: Line
    responsible: str | None = None
    lead_agencies: tuple[str, ...] = ()
    partner_agencies: tuple[str, ...] = ()
    product: str | None = None
    deadline: Deadline | None = None
    labels: dict[str, str] = field(default_factory=dict)

    def finish(self, doc_id: str, seen: Counter[str]) -> Task:
        deadline = self.deadline
        return Task(
            task_id=task_id(doc_id, self.title, seen),
            doc_id=doc_id,
            title=self.title,
            responsible=self.responsible or None,
            lead_agencies=self.lead_agencies,
            partner_agencies=self.partner_agencies,
            product=self.product or None,
            deadline_text=deadline.text if deadline else None,
            due_date=deadline.due_date if deadline else None,
            recurring=deadline.recurring if deadline else False,
            page=self.first.page,
            line=self.first.line_no,
        )


# ---------------------------------------------------------------- task tables


def _column_roles(header: tuple[str, ...]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for index, cell in enumerate(header):
        folded = fold(plain(cell))
        for role, words in COLUMN_ROLES:
            if role not in roles and any(re.search(rf"\b{word}\b", folded) for word in words):
                roles[role] = index
                break
    return roles


def _is_header_row(cells: tuple[str, ...], roles: dict[str, int]) -> bool:
    """A header row: opened by the number column ("STT", "TT", "Số TT"), or, in a table
    without one, naming the work, its lead and its deadline ("Nhiệm vụ | Chủ trì | Thời hạn")."""
    if "number" in roles:
        return bool(_NUMBER_HEADER.fullmatch(fold(plain(cells[0]))))
    return {"title", "lead", "deadline"} <= roles.keys()


def _is_task_header(roles: dict[str, int]) -> bool:
    return "title" in roles and (
        ("number" in roles and ("lead" in roles or "deadline" in roles))
        or {"lead", "deadline"} <= roles.keys())


def _cell(cells: tuple[str, ...], roles: dict[str, int], role: str) -> str:
    index = roles.get(role)
    return plain(cells[index]) if index is not None and index < len(cells) else ""


@dataclass
class _Row:
    """A task-table row; a row a page break cut in two arrives as two, the second without a
    number, and is joined back cell by cell."""

    first: Line
    cells: dict[str, str]

    def join(self, cells: dict[str, str]) -> None:
        for role, text in cells.items():
            if text:
                self.cells[role] = f"{self.cells.get(role, '')} {text}".strip()

    def draft(self) -> _Draft:
        return _Draft(
            title=self.cells.get("title", ""),
            first=self.first,
            responsible=self.cells.get("responsible"),
            lead_agencies=split_agencies(self.cells.get("lead")),
            partner_agencies=split_agencies(self.cells.get("partner")),
            product=self.cells.get("product"),
            deadline=parse_deadline(self.cells.get("deadline", "")),
        )


def table_tasks(lines: list[Line]) -> Iterator[_Draft]:
    """Every numbered row under a task-table header."""
    roles: dict[str, int] = {}
    rows: list[_Row] = []
    continues = False  # whether an unnumbered row goes on the last task row
    for line in lines:
        cells = table_cells(line)
        if not cells:
            continue
        row_roles = _column_roles(cells)
        if _is_header_row(cells, row_roles):
            roles = row_roles if _is_task_header(row_roles) else {}
            continue
        if not roles:
            continue
        by_role = {role: _cell(cells, roles, role) for role in roles}
        number = by_role.pop("number", None)
        if number is None:  # a table without numbers: every row naming work and its lead
            if by_role.get("title") and by_role.get("lead"):
                rows.append(_Row(first=line, cells=by_role))
        elif re.fullmatch(r"\d+\.?", number):
            rows.append(_Row(first=line, cells=by_role))
            continues = True
        elif not number and continues and any(by_role.values()):
            rows[-1].join(by_role)
        else:  # a section row ("II", "VIII Công tác chỉ đạo, điều hành")
            continues = False
    return (row.draft() for row in rows)


# ---------------------------------------------------------------- items with labelled lines


def agencies_of_roles(person_and_roles: str, issuer: str | None) -> tuple[str, ...]:
    """The bodies a person heads: "Đồng chí X, Ủy viên …, Giám đốc Sở Tài chính" -> Sở Tài chính.

    Deputy posts count only when the person heads nothing; posts in the issuing body itself
    ("Phó Trưởng Ban Chỉ đạo" in a Ban Chỉ đạo programme) say nothing about who does the task.
    """
    heads: list[str] = []
    deputies: list[str] = []
    for role in person_and_roles.split(",")[1:] if _is_person(person_and_roles) else []:
        post = head_post(role.strip(" ."))
        if post is None or (issuer and fold(issuer).startswith(fold(post[0]))):
            continue
        (deputies if post[1] else heads).append(post[0])
    return split_agencies(";".join(heads or deputies))


def _item_number(paragraph: Paragraph) -> re.Match[str] | None:
    return _NUMBERED.match(paragraph.text)


def _is_person(text: str) -> bool:
    return bool(_PERSON.match(fold(text)))


def _labels(text: str) -> list[tuple[str, str]]:
    """(label, value) of each label the text opens with or adds after ";"."""
    text = _BULLET.sub("", text)
    matches = list(_LABEL.finditer(fold(text)))
    if not matches or matches[0].start() != 0:
        return []
    ends = [match.start() for match in matches[1:]] + [len(text)]
    return [
        (_key(match["key"]), text[match.end():end].strip(" .;()"))
        for match, end in zip(matches, ends, strict=True)
    ]


def _item_draft(paragraph: Paragraph) -> _Draft | None:
    """The task an item may be, with the labels on its own line: "1. Xây dựng … (cơ quan chủ
    trì: Sở A; thời gian: quý II/2026)"."""
    item = _TASK_ITEM.match(paragraph.text)
    if item is None:
        return None
    rest = item["rest"]
    inline = _INLINE_LABELS.search(fold(rest))
    draft = _Draft(title=rest[:inline.start()].strip() if inline else rest,
                   first=paragraph.first)
    for label, value in _labels(rest[inline.end():]) if inline else ():
        draft.labels.setdefault(label, value)
    return draft


def _key(label: str) -> str:
    return "chu tri" if label.endswith(" tri") else _LABEL_KEYS.get(label, label)


def labelled_item_tasks(document: Document, blocks: list[Paragraph]) -> Iterator[_Draft]:
    """Numbered or lettered items followed by "- Chủ trì: …" (and "- Thời gian: …") lines,
    or with those labels on their own line."""
    current: _Draft | None = None
    for paragraph in blocks:
        if _ROMAN.match(paragraph.text) or _TASK_ITEM.match(paragraph.text):
            if current and "chu tri" in current.labels:
                yield _labelled(current, document.issuer)
            current = None if _ROMAN.match(paragraph.text) else _item_draft(paragraph)
            continue
        if current:
            for label, value in _labels(paragraph.text):
                current.labels.setdefault(label, value)
    if current and "chu tri" in current.labels:
        yield _labelled(current, document.issuer)


def _labelled(draft: _Draft, issuer: str | None) -> _Draft:
    lead = draft.labels["chu tri"]
    person = _is_person(lead)
    draft.responsible = lead if person else None
    draft.lead_agencies = agencies_of_roles(lead, issuer) if person else split_agencies(lead)
    draft.partner_agencies = split_agencies(draft.labels.get("phoi hop"))
    draft.product = draft.labels.get("san pham")
    draft.deadline = parse_deadline(draft.labels.get("thoi gian") or "")
    return draft


# ---------------------------------------------------------------- responsibilities section


def _body_heading(text: str) -> tuple[str, ...]:
    """The bodies a heading names ("Trách nhiệm của Sở Tài chính" -> Sở Tài chính); () when
    the heading is a sentence or names a topic ("Kinh phí thực hiện")."""
    text = text.strip()
    if text.endswith(".") or len(text.split()) > BODY_HEADING_MAX_WORDS:
        return ()
    prefix = _RESPONSIBILITY_PREFIX.match(fold(text))
    named = text[prefix.end():] if prefix else text
    if not is_agency_name(named) or _subject_owner(named):
        return ()
    agencies = split_agencies(named)
    if any(len(agency.split()) > AGENCY_MAX_WORDS for agency in agencies):
        return ()
    return agencies


def _owner_prefix(text: str) -> tuple[tuple[str, ...], str] | None:
    """ "Văn phòng Tỉnh ủy: Thực hiện …" -> ((Văn phòng Tỉnh ủy,), "Thực hiện …")."""
    owner, colon, rest = text.partition(":")
    if not colon or len(owner.split()) > 12 or not is_agency_name(owner):
        return None
    return split_agencies(owner), rest.strip()


def _is_section_heading(paragraph: Paragraph) -> bool:
    """ "IV. TỔ CHỨC THỰC HIỆN", and in other layouts "4. Tổ chức thực hiện", "Tổ chức thực
    hiện:" or "Phần III. TỔ CHỨC THỰC HIỆN" standing alone."""
    folded = fold(paragraph.text)
    if _ROMAN.match(paragraph.text):
        return bool(_IMPLEMENTATION.search(folded))
    bare = _HEADING_MARKER.sub("", folded).strip(" .:")
    return bool(_IMPLEMENTATION.fullmatch(bare))


def _responsibility_section(blocks: list[Paragraph]) -> list[Paragraph]:
    start = next((index for index, paragraph in enumerate(blocks)
                  if _is_section_heading(paragraph)), None)
    if start is None:
        return []
    section = []
    for paragraph in blocks[start + 1:]:
        if (_ROMAN.match(paragraph.text) or _SECTION_END.match(fold(paragraph.text))
                or _ARTICLE.match(fold(paragraph.text))):
            break
        section.append(paragraph)
    return section


ASSIGNED = "giao"  # what `_subject` gives as the verb of bodies that follow "giao", "đề nghị"


def _subject(text: str, letter: tuple[str, ...] = ()) -> tuple[tuple[str, ...], str]:
    """The bodies that open a sentence as its subject, up to the first work verb after a
    body's name, and that verb (folded): "Văn phòng Tỉnh ủy có trách nhiệm …", "Sở Xây dựng
    chủ trì …" (a name holding a verb); the bodies after a verb that assigns ("Giao Sở Tài
    chính …", "Ban Chỉ đạo yêu cầu các bộ …") with ASSIGNED — in a letter, `letter` (whom it
    is sent to) when the verb is followed by "Quý …" or by the work itself ("Bộ đề nghị Quý
    Ủy ban rà soát …"); ((), "") when no body opens it."""
    for assigning in _ASSIGNING.finditer(fold(text)):
        # "giao giám đốc các sở; thủ trưởng …; chủ tịch UBND quận, huyện và đề nghị Giám đốc
        # Ngân hàng … triển khai …": one list of the bodies assigned
        after = _ASSIGNED_LIST_JOIN.sub(", ", text[assigning.end():])
        if letter and (_ADDRESSEE_REFERENCE.match(fold(after))
                       or _WORK_VERB.match(f" {fold(after)}")):
            return letter, ASSIGNED
        owners, _verb = _bodies_before_verb(after)
        if owners:
            return owners, ASSIGNED
    found = _bodies_before_verb(text)
    if found[0]:
        return found
    for passive in _FUTURE_PASSIVE.finditer(fold(text)):  # "… sẽ được Bộ A trình …"
        owners, verb = _bodies_before_verb(text[passive.end():])
        if owners and not verb.startswith("duoc"):
            return owners, ASSIGNED
    return (), ""


def _bodies_before_verb(text: str) -> tuple[tuple[str, ...], str]:
    folded = fold(text)
    for verb in _WORK_VERB.finditer(folded):
        subject = text[:verb.start()]
        if re.search(r"[.:;]", subject) or len(subject.split()) > 3 * AGENCY_MAX_WORDS:
            break
        if re.search(r"\d", subject):
            break  # "… định kỳ 3 tháng, 6 tháng …" is no name
        if _MODAL_END.search(fold(subject)):
            break  # "Sở sẽ hoàn thành …": the words before "sẽ" were the subject, and no body
        if _ASSIGNING.search(fold(subject)) or _REPORTING.search(fold(subject)):
            break  # "Bộ đề nghị Quý Ủy ban …", "Giám đốc Sở A cho biết, Sở …": no one name
        if _CLAUSE_IN_NAME.search(fold(subject)):
            break  # "Phó Chủ tịch UBND tỉnh A, để đạt …, tỉnh A sẽ …": the subject is after
        past = _PAST_END.search(subject) is not None
        subject = _ADVERB_END.sub("", subject)
        subject = subject[len(_LEADERS.match(subject)[0]):] if _LEADERS.match(subject) else subject
        if _is_place(subject) and _MODAL.fullmatch(folded[verb.start():verb.end()].strip()):
            return (subject.strip(),), folded[verb.start():verb.end()].strip()
        if is_agency_name(subject) or _is_leadership(subject):
            said = folded[verb.start():verb.end()].strip()
            if re.match(r"\s+duoc\s+(?!giao\b)", folded[verb.end():]):
                said = "duoc"  # "Các bộ … sẽ được xếp hạng …": done to them, not by them
            if _COMMITMENT.fullmatch(said) and past:
                said = f"da {said}"  # "Sở A đã tập trung chỉ đạo …" reports, commits to nothing
            if said == "duoc" and _PASSIVE_ASSIGNING.match(folded[verb.end():]):
                said = "duoc giao"  # "Sở A được Ủy ban nhân dân tỉnh giao …", "… được yêu cầu …"
            return split_agencies(subject), said
    return (), ""


def _is_place(text: str) -> bool:
    """ "tỉnh Bình An", "Thành phố Hòa Lạc", "TP. Hòa Lạc", "TPHCM": a province or city by
    name, as a subject ("tỉnh" alone, or a lower-case name, is none)."""
    text = text.strip()
    if not _PLACE.match(text):
        return False
    kind = _PLACE_KIND_START.match(text)
    return kind is None or len(text) > kind.end()


def _last_named(kind: str, text: str) -> str | None:
    """The last body of `kind` ("Bộ") that `text` names in full and that is known."""
    for match in reversed(list(re.finditer(rf"\b{kind}\s+", text))):
        words = text[match.end():].split()[:NAME_MAX_WORDS]
        for count in range(len(words), 0, -1):
            name = f"{kind} {' '.join(words[:count])}".rstrip(" ,.;:()")
            if found := known_agency(name):
                return found
    return None


def _kind_lists_spelled_out(sentence: str) -> str:
    """ "Giao các Bộ: Tài chính, Tư pháp và Nội vụ rà soát …" -> "Giao Bộ Tài chính, Bộ Tư pháp
    và Bộ Nội vụ rà soát …", where every name so made is a known body; as it is otherwise."""
    for found in _KIND_LIST.finditer(sentence):
        kind = found["kind"].capitalize()
        names: list[str] = []
        position = found.end()
        while True:
            name = _known_name_at(kind, sentence[position:])
            if name is None:
                break
            names.append(name[0])
            position += name[1]
            separator = _NAME_SEPARATOR.match(sentence, position)
            if separator is None or _known_name_at(kind, sentence[separator.end():]) is None:
                break
            position = separator.end()
        if names:
            listed = ", ".join(names[:-1]) + (" và " if len(names) > 1 else "") + names[-1]
            return sentence[:found.start()] + listed + sentence[position:]
    return sentence


def _known_name_at(kind: str, text: str) -> tuple[str, int] | None:
    """The known body `kind` + the longest run of words `text` opens with, and how many
    characters of `text` those words take."""
    words = list(re.finditer(r"\S+", text))[:NAME_MAX_WORDS]
    for count in range(len(words), 0, -1):
        written = text[:words[count - 1].end()].rstrip(" ,.;:")
        found = known_agency(f"{kind} {written}")
        if found and fold(found) == fold(f"{kind} {written}"):  # the name itself, not one near
            return found, len(written)
    return None


def _spelled_out(sentence: str, before: list[str]) -> str:
    """The sentence with a subject said by its kind alone ("Bộ sẽ tiến hành …") named as the
    text named it last ("Bộ Nông nghiệp và Môi trường sẽ tiến hành …"); as it is otherwise."""
    short = _SHORT_REFERENCE.match(sentence)
    if short is None or (named := _last_named(short["kind"], " ".join(before))) is None:
        return sentence
    return named + sentence[short.end():]


def _shared_out(sentence: str) -> tuple[str, ...]:
    """ "Sở A được giao … . Công an tỉnh bảo đảm …": after work given out, a sentence of the
    same paragraph opening with another body and its work (not what it did, not what is done
    to it) is that body's share."""
    owners, verb = _subject(sentence)
    if not owners or verb == ASSIGNED or verb.startswith(("duoc", "da ")):
        return ()
    subject_end = fold(sentence).find(f" {verb}")
    if subject_end < 0 or _PAST_END.search(sentence[:subject_end]):
        return ()
    return owners


def _named_owner(sentence: str) -> tuple[str, ...]:
    """ "Bộ Công an: Hoàn thành kết nối …" (an item of a notice, anywhere in the text): the
    bodies before the colon, when the work follows it."""
    owners = _owner_prefix(sentence)
    if owners is None or not _WORK_VERB.match(f" {fold(owners[1])}"):
        return ()
    return owners[0]


def _article_owner(sentence: str) -> tuple[str, ...]:
    """Whom an article of a decision makes do something: its sentence opens with them ("Điều
    2. Các đồng chí Lãnh đạo Bộ tập trung chỉ đạo …", "Điều 3. Thủ trưởng các đơn vị … bám
    sát …"); an article binds, it needs no verb that assigns."""
    owners, verb = _subject(re.sub(r"^điều\s+\d+\s*[.:]\s*", "", sentence, flags=re.IGNORECASE))
    return owners if not verb.startswith("duoc") else ()


def _is_leadership(text: str) -> bool:
    """ "Lãnh đạo Bộ Y tế", "Lãnh đạo các sở": the leaders of a body, who answer for it."""
    match = _LEADERSHIP.match(text)
    return match is not None and is_agency_name(text[match.end():])


def _subject_owner(text: str) -> tuple[str, ...]:
    return _subject(text)[0]


def _after_lead_in(text: str) -> Iterator[str]:
    """Where a sentence's subject may start: at its beginning, or after a lead-in clause
    ("Đồng thời, …", "Để …, …", "Với vai trò là …, …") at each comma of the clause."""
    if not _LEAD_IN.match(fold(text)):
        yield text
        return
    for comma in re.finditer(r",\s+", text[:LEAD_IN_MAX_CHARS]):
        yield text[comma.end():]


def _assigned_owner(text: str, letter: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The bodies a sentence anywhere in the plan assigns work to: "Giao Sở A …", "Đề nghị
    Sở A …", "Sở A chủ trì, …", "Sở A có trách nhiệm …", or a body as its subject with a
    deadline ("Ban Chỉ đạo xây dựng chương trình trong quý IV/2025"); () for one that merely
    has a body as its subject ("Sở A đã xây dựng …" describes)."""
    return _assignment(text, letter)[0]


def _assignment(text: str, letter: tuple[str, ...] = ()) -> tuple[tuple[str, ...], bool]:
    """`_assigned_owner`, and whether a verb that assigns gave them ("Giao Sở A …")."""
    if text.rstrip().endswith(":"):
        return (), False  # a lead-in to the list of what they are to do
    owners, verb = next((found for rest in _after_lead_in(text)
                         if (found := _subject(rest, letter))[0]), ((), ""))
    if verb == "duoc":
        return (), False  # done to the bodies
    deadline = find_prose_deadline(text)
    due = deadline is not None and (deadline.due_date is not None or not fold(
        deadline.text).startswith("thuong xuyen"))  # "… báo cáo tiến độ hằng tháng" is due too
    if verb == "can" and not _NEED.search(text):
        verb = ""  # "cần" only as written (stripped or scanned "can" is "cán", "cân" too),
        # and before work: "cần thêm thời gian" is a need
    if owners and (verb == ASSIGNED or _ASSIGNED_VERB.fullmatch(f" {verb}")
                   or _COMMITMENT.fullmatch(verb) or due):
        return owners, verb in (ASSIGNED, "duoc giao")
    return (), False


def _named_before_colon(text: str, max_words: int) -> tuple[str, ...]:
    """The bodies a paragraph names before a colon and nothing else, those it addresses what
    follows: "Sở Tài chính:", "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, …, Chủ tịch Ủy ban nhân
    dân các tỉnh, thành phố trực thuộc trung ương:"; after a verb that assigns, the bodies it
    assigns to, and a modal closing the names is none of them ("Bộ Y tế yêu cầu các bệnh viện
    phải:")."""
    named, colon, rest = text.partition(":")
    named = named[:match.start()] if (match := _MODAL_END.search(fold(named))) else named
    if assigning := list(_ASSIGNING.finditer(fold(named))):
        named = named[assigning[-1].end():]  # "… yêu cầu các đơn vị, địa phương:"
    if not colon or rest.strip() or len(named.split()) > max_words or not is_agency_name(named):
        return ()
    if _WORK_VERB.search(fold(named)) and (len(named.split()) > AGENCY_MAX_WORDS
                                           or _LIST_LEAD_IN_END.search(fold(named))):
        return ()  # "Sở A chủ trì thực hiện các nhiệm vụ sau:" leads in, names no one
    return split_agencies(named)


def _list_addressees(text: str, letter: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The bodies a lead-in asks to do the items after it: "Bộ A đề nghị Ủy ban nhân dân các
    tỉnh … thực hiện một số nội dung sau:", or names them ("Bộ trưởng, …, Chủ tịch …:")."""
    if not text.rstrip().endswith(":"):
        return ()
    owners, verb = _subject(text, letter)
    if verb == ASSIGNED:
        return owners
    return _named_before_colon(text, BODY_HEADING_MAX_WORDS)


def letter_addressees(lines: list[Line]) -> tuple[str, ...]:
    """Whom a letter is sent to: the bodies after "Kính gửi:" on its line and the lines that
    go on with them ("- Các bộ, cơ quan ngang bộ;" / "- Ủy ban nhân dân các tỉnh …", or a name
    wrapped onto the next line), up to a stop or any other line; () when the text has no such
    line."""
    for index, line in enumerate(lines):
        label = _ADDRESSEES.search(fold(line.text))
        if label is None:
            continue
        named = [line.text[label.end():].strip()]
        for following in lines[index + 1:index + 1 + ADDRESSEE_MAX_LINES]:
            text = following.text.strip()
            if named[-1].endswith(".") or not (_BULLET.match(text) or text[:1].islower()):
                break  # a bullet ("- Các sở, ban, ngành;") or a wrapped name goes on the list
            if _BULLET.match(text):
                named.append(_BULLET.sub("", text))
            else:
                named[-1] = f"{named[-1]} {text}"
        return tuple(agency for agency in split_agencies(";".join(named))
                     if is_agency_name(agency))
    return ()


def _item_owner(text: str, addressees: tuple[str, ...]) -> tuple[str, ...]:
    """Who does an item of a list a lead-in addressed: the body after "Chỉ đạo" ("1. Chỉ đạo
    Sở A chủ trì …"), else the addressees when the item opens with the work ("2. Rà soát …")."""
    if not addressees:
        return ()
    if directed := _DIRECTED.match(fold(text)):
        owners, _verb = _bodies_before_verb(text[directed.end():])
        if owners:
            return owners
    return addressees if _WORK_VERB.match(f" {fold(text)}") else ()


def _due_date(text: str) -> date | None:
    deadline = find_prose_deadline(text)
    return deadline.due_date if deadline else None


def _sentences(paragraph: Paragraph) -> Iterator[tuple[str, Line, bool]]:
    """Each sentence of a paragraph (a stop or ";" before a capital) and the line it starts
    on, without the item marker; and whether it went on from the sentence before (no item
    marker opened it)."""
    text = paragraph.text
    starts = [0] + [match.end() for match in _SENTENCE_BREAK.finditer(text)
                    if text[match.end()].isupper() or text[match.end()] == "("]
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        marker = _ITEM_MARKER.match(text[start:end].lstrip())
        sentence = _JOIN_END.sub("", _ITEM_MARKER.sub("", text[start:end]).strip())
        if sentence:
            yield sentence, paragraph.line_at(start), start > 0 and marker is None


def _only_deadline(sentence: str) -> bool:
    """ "Hoàn thành trong quý II/2026", "Thời gian: …" give a deadline; "Hoàn thành xây dựng
    …" is work."""
    return bool(_DEADLINE_SENTENCE.match(fold(sentence))
                and not _WORK_VERB.match(_DEADLINE_SENTENCE.sub("", fold(sentence), count=1)))


def _clauses(sentence: str) -> list[str]:
    """A sentence cut where, after ";", it goes on with more work for the same bodies and a
    deadline of that work's own ("giao Bộ A hoàn thiện …; khẩn trương trình …, trước ngày
    15/9"): each clause is a task of its own."""
    listed = _LIST_COLON.search(fold(sentence))
    if listed and ";" in sentence[listed.end():]:  # "… các nhiệm vụ trọng tâm như: A; B; C"
        items = [item.strip(" ;.…") for item in sentence[listed.end():].split(";")]
        if all(_WORK_VERB.match(f" {fold(item)}") or item[:1].islower() for item in items):
            return [item for item in items if item]
    breaks = [match.end() for match in _CLAUSE_BREAK.finditer(sentence)
              if _WORK_VERB.match(f" {fold(sentence[match.end():])}")]
    cuts = [cut for cut, end in zip(breaks, [*breaks[1:], len(sentence)][:len(breaks)],
                                    strict=True)
            if find_prose_deadline(sentence[cut:end]) or _DAY_MONTH_DEADLINE.search(
                fold(sentence[cut:end]))]  # "…; chỉ đạo quyết liệt …" without one goes on
    if not cuts:
        return [sentence]
    return [sentence[begin:end].strip(" ;") for begin, end
            in zip([0, *cuts], [*cuts, len(sentence)], strict=True)]


def _dated_year(text: str) -> int | None:
    """The latest year of the full dates a text writes ("ngày 19/6/2025", "22/12/2024"): the
    documents a text cites are older than it."""
    years = [int(match["year"] or match["written"]) for match in _FULL_DATE.finditer(fold(text))]
    return max(years) if years else None


def _day_month_deadline(text: str, year: int | None) -> Deadline | None:
    """ "… trước ngày 15/9": a day and month without a year, in `year` (the document's, or the
    latest of the dates written before)."""
    match = _DAY_MONTH_DEADLINE.search(fold(text))
    if match is None or year is None:
        return None
    try:
        due = date(year, int(match["month"]), int(match["day"]))
    except ValueError:
        return None
    return Deadline(text=text[match.start():match.end()], due_date=due)


def assigned_tasks(blocks: list[Paragraph], section: list[Paragraph],
                   letter: tuple[str, ...] = (), issued_on: date | None = None
                   ) -> Iterator[_Draft]:
    """Sentences outside the responsibilities section that assign work to a body by name (or,
    in a letter, to those it is sent to), with the partners and deadline the same sentence
    gives; unmarked paragraphs that go on with the work after an assignment ("Giao Bộ A …" /
    "Khẩn trương lựa chọn …") are the same bodies' tasks."""
    inside = {id(paragraph) for paragraph in section}
    previous: Deadline | None = None
    addressees: tuple[str, ...] = ()  # whom a lead-in asked to do the items after it
    assigned: tuple[str, ...] = ()  # whom the paragraph before gave work by a verb that assigns
    year = issued_on.year if issued_on else None
    seen: list[str] = []  # the paragraphs before, for a body said by its kind alone
    for paragraph in blocks:
        if id(paragraph) in inside or table_cells(paragraph.first):
            continue
        text = paragraph.text.strip()
        if named := _named_before_colon(text, BODY_HEADING_MAX_WORDS):
            addressees, assigned = named, ()  # "Bộ trưởng, …; Chủ tịch …:" names them all
            continue
        sentences = list(_sentences(paragraph))
        # an item, or a paragraph opening with the work, goes on a list a lead-in addressed
        opens_work = bool(_WORK_VERB.match(f" {fold(text)}"))
        marked = _ITEM_MARKER.match(text) is not None
        item = marked or bool(addressees and opens_work)
        addressees = addressees if item else ()
        carried = assigned if opens_work and not marked else ()
        article = _ARTICLE.match(fold(text)) is not None  # "Điều 2. Sở A …" of a decision
        assigned = ()
        subject: tuple[str, ...] = ()
        given = False  # a sentence of this paragraph gave work by a verb that assigns
        for index, (sentence, line, goes_on) in enumerate(sentences):
            if _LABEL.match(fold(sentence)):
                continue  # "Cơ quan chủ trì: …" belongs to its item
            addressees = _list_addressees(sentence, letter) or addressees
            before = [*seen, paragraph.text[:max(paragraph.text.find(sentence), 0)]]
            owners, assigning = _assignment(
                _kind_lists_spelled_out(_spelled_out(sentence, before)), letter)
            owners = owners or (
                subject if goes_on and _WORK_VERB.match(f" {fold(sentence)}")
                and not _only_deadline(sentence) else ()) or (
                _item_owner(sentence, addressees) if item and index == 0 else ()) or (
                carried if index == 0 else ()) or (
                _article_owner(sentence) if article and index <= 1 else ()) or (
                _named_owner(sentence) if index == 0 else ()) or (
                _shared_out(sentence) if given else ())
            given = given or assigning
            subject = owners or subject  # "Yêu cầu Sở A … . Rà soát, báo cáo …": still Sở A
            if assigning or (owners and owners == carried):
                assigned = owners
            if owners:
                clauses = _clauses(sentence)
                for number, clause in enumerate(clauses):
                    offset = paragraph.text.find(clause)
                    draft = _prose_task(clause, paragraph.line_at(offset) if offset >= 0
                                        else line, owners)
                    draft.deadline = draft.deadline or _day_month_deadline(clause, year)
                    following = (clauses[number + 1] if number + 1 < len(clauses) else
                                 sentences[index + 1][0] if index + 1 < len(sentences) else "")
                    if draft.deadline is None and _DEADLINE_SENTENCE.match(fold(following)):
                        draft.deadline = find_prose_deadline(following)  # "… Hoàn thành trong …"
                    if draft.deadline is None and _SAME_DEADLINE.search(fold(clause)):
                        draft.deadline = previous  # "… cùng thời hạn hoàn thành"
                    previous = draft.deadline
                    yield draft
            if issued_on is None and (dated := _dated_year(sentence)):
                year = max(dated, year or dated)
        seen.append(paragraph.text)


def responsibility_tasks(section: list[Paragraph]) -> Iterator[_Draft]:
    """Paragraphs under a body heading belong to it; "X: …" and a sentence whose subject is
    a body ("Các thành viên Ban Chỉ đạo căn cứ …") name their own owner."""
    body: tuple[str, ...] = ()
    sub_body: tuple[str, ...] = ()
    for paragraph in section:
        text = paragraph.text
        if number := _item_number(paragraph):
            text = number["rest"]
            body = _body_heading(text) or _named_before_colon(text, BODY_HEADING_MAX_WORDS)
            sub_body = ()
            if body:
                continue
        elif letter := _LETTERED.match(text):
            text = letter["rest"]
            if len(text.split()) <= SUB_HEADING_MAX_WORDS and (named := _body_heading(text)):
                sub_body = named
                continue
        text = _BULLET.sub("", text)
        if named := _named_before_colon(text, BODY_HEADING_MAX_WORDS):
            sub_body = named  # "Bộ trưởng, …, Chủ tịch …:" addresses the items after it
            continue
        if owners := _owner_prefix(text):
            yield _prose_task(owners[1], paragraph.first, owners[0])
        elif owner := sub_body or body or _subject_owner(text):
            yield _prose_task(text, paragraph.first, owner)


def _prose_task(text: str, first: Line, owners: tuple[str, ...]) -> _Draft:
    return _Draft(title=text, first=first, lead_agencies=owners,
                  partner_agencies=_prose_partners(text), deadline=find_prose_deadline(text))


def _prose_partners(text: str) -> tuple[str, ...]:
    match = _PARTNERS.search(fold(text))
    if match is None:
        return ()
    named = text[match.start("who"):match.end("who")]
    return tuple(agency for agency in split_agencies(named) if is_agency_name(agency))


# ---------------------------------------------------------------- all together


def extract_tasks(document: Document, lines: list[Line]) -> list[Task]:
    """Every task the plan assigns, in the order of the text."""
    blocks = paragraphs(lines)
    section = _responsibility_section(blocks)
    drafts = [*table_tasks(lines), *labelled_item_tasks(document, blocks),
              *responsibility_tasks(section),
              *assigned_tasks(blocks, section, letter_addressees(lines),
                             document.issued_on)]
    drafts.sort(key=lambda draft: draft.first.line_no)
    seen: Counter[str] = Counter()
    return [draft.finish(document.doc_id, seen) for draft in drafts]


# ---------------------------------------------------------------- queries


def is_overdue(task: Task, on: date) -> bool:
    """Due before `on` (recurring tasks and tasks without a date never are)."""
    return task.due_date is not None and task.due_date < on


def _names_agency(names: tuple[str, ...], agency: str) -> bool:
    """Whether one of `names` is `agency`: any spelling of a known body ("SKHCN"), or words
    of its name ("công an")."""
    wanted = fold(canonical_agency_name(agency))
    words = fold(agency.strip())
    return any(fold(name) == wanted or words in fold(name) for name in names)


def involves_agency(task: Task, agency: str) -> bool:
    """Whether `agency` leads or partners."""
    return agency_role(task, agency) is not None


def agency_role(task: Task, agency: str) -> str | None:
    """What `agency` does in the task, as the plans say it: it leads (chủ trì) or partners
    (phối hợp); None when it is neither."""
    if _names_agency(task.lead_agencies, agency):
        return "chủ trì"
    if _names_agency(task.partner_agencies, agency):
        return "phối hợp"
    return None


def select_tasks(tasks: list[Task], agency: str | None = None, due_before: date | None = None,
                 overdue_on: date | None = None) -> list[Task]:
    """The tasks that pass every filter given (agency, due on or before a date, overdue),
    soonest due first, then by document and line; tasks without a date last."""
    selected = [
        task for task in tasks
        if (agency is None or involves_agency(task, agency))
        and (due_before is None or (task.due_date is not None and task.due_date <= due_before))
        and (overdue_on is None or is_overdue(task, overdue_on))
    ]
    return sorted(selected, key=lambda task: (task.due_date or date.max, task.doc_id, task.line))
