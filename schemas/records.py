"""Typed records of chitieu: what every stage reads and writes.

Nothing here does work; extractors, normalizers and the pipeline speak in these types.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TextSource(StrEnum):
    DIGITAL = "digital"  # text layer of a PDF, DOCX or a clean text export
    OCR = "ocr"  # we ran Tesseract on an image
    OCR_TEXT = "ocr_text"  # text that an earlier OCR produced (may need repair)


class Relation(StrEnum):
    BASIS = "basis"  # "Căn cứ …"
    AMENDS = "amends"  # "… sửa đổi, bổ sung … Kế hoạch số X"
    IMPLEMENTS = "implements"  # "Thực hiện …", "triển khai …"
    MENTIONS = "mentions"


Comparator = Literal[">=", ">", "<=", "<", "=", "between", "exists"]


class ConflictKind(StrEnum):
    CROSS_DOC = "cross_doc"
    WITHIN_DOC = "within_doc"
    REGRESSION = "regression"
    UNIT_MISMATCH = "unit_mismatch"
    BELOW_ASSIGNED = "below_assigned"  # a local floor under the target it implements
    SOURCE_NOT_FOUND = "source_not_found"  # the loaded parent has no such target


class LineageRelation(StrEnum):
    SPECIFIES = "specifies"  # "Cụ thể hóa chỉ tiêu …": the local target details the parent's
    ALIGNS = "aligns"  # "Thống nhất với chỉ tiêu …": the local target is the parent's


class ConflictStatus(StrEnum):
    OPEN = "open"
    SUPERSEDED = "superseded"  # an amending document governs


class ReviewStatus(StrEnum):
    """A reader's decision on a finding (Vietnamese labels in pipeline/present/view.py)."""

    SEEN = "seen"  # đã xem: looked at, still to settle
    ACCEPTED = "accepted"  # chấp nhận: the difference is intended or settled outside the plans
    DISMISSED = "dismissed"  # bỏ qua: not a real conflict (a misreading, another measure)
    REPORTED = "reported"  # đã báo cáo: sent to whoever settles it


class LinkAction(StrEnum):
    PIN = "pin"  # the targets belong to indicator_id
    SPLIT = "unpin"  # the targets stand alone (the overrides CSV calls it unpin)


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


# ---------------------------------------------------------------- text acquisition


class PageContext(Record):
    """One page to read: which file, which page, and how (text layer or OCR)."""

    source_path: Path
    page_no: int  # 1-based
    page_count: int
    method: Literal["text", "ocr", "text_file", "docx"]
    dpi: int = 300


class SourceLine(Record):
    """A line as the source gave it, before normalisation."""

    page: int  # 1-based
    line_no: int  # 1-based within the document (text files: the file's own line number)
    text: str
    cells: tuple[str, ...] | None = None  # a table row, cell by cell
    confidence: float | None = None  # OCR mean word confidence 0..1; None for digital text
    # OCR only, 0..1, one per whitespace-separated word of `text`; None for digital text.
    word_confidences: tuple[float, ...] | None = None


class PageResult(Record):
    page_no: int
    text_source: TextSource
    lines: tuple[SourceLine, ...]
    seconds: float = 0.0


class SourceText(Record):
    """Everything read from one input file."""

    source_path: Path
    sha256: str
    text_source: TextSource  # the weakest source among its pages
    lines: tuple[SourceLine, ...]
    page_count: int


# ---------------------------------------------------------------- normalisation


class TokenRepair(Record):
    start: int  # character offsets in the repaired text
    end: int
    raw: str
    repaired: str
    confidence: float  # 0..1, posterior of the chosen syllable


class RepairedLine(Record):
    raw_text: str
    text: str
    changed: bool
    confidence: float  # min token confidence; 1.0 for an untouched line
    tokens: tuple[TokenRepair, ...] = ()
    uncertain_comparators: tuple[int, ...] = ()  # char offsets in `text` of ≥/> guessed from '>'


# ---------------------------------------------------------------- warehouse rows


JurisdictionLevel = Literal["national", "ministry", "province", "district"]


class Jurisdiction(Record):
    """Where a document holds: the whole country ("Trung ương"), a ministry for its sector,
    a province or city ("tỉnh Lâm Đồng"), a district."""

    level: JurisdictionLevel
    name: str


class Document(Record):
    doc_id: str
    number: str | None = None  # "08-KH/TU", "3450/KH-UBND"; None when unknown
    issuer: str | None = None
    issued_on: date | None = None
    title: str | None = None
    kind: str | None = None  # "Kế hoạch", "Chương trình", "Quyết định" …
    source_path: str
    sha256: str
    text_source: TextSource
    page_count: int = 1
    jurisdiction: str | None = None  # Jurisdiction.name; None when nothing in the text says
    jurisdiction_level: JurisdictionLevel | None = None
    title_restored: bool = False  # the title's words were restored from stripped or OCR text


class DocumentRef(Record):
    doc_id: str
    ref_number: str  # as normalised: "22-KH/TU"
    ref_kind: str | None = None
    ref_date: date | None = None
    relation: Relation
    line: int
    source_text: str
    # Who performs the relation: None = the citing document `doc_id` itself. A plan that
    # reports "Kế hoạch 44-KH/TU sửa đổi, bổ sung Kế hoạch 22-KH/TU" gives a row with
    # ref_number "22-KH/TU", relation "amends", subject_number "44-KH/TU".
    subject_number: str | None = None


class Line(Record):
    doc_id: str
    page: int
    line_no: int
    raw_text: str
    text: str  # normalised (and repaired where needed)
    cells: tuple[str, ...] | None = None
    confidence: float | None = None
    # OCR only, 0..1, one per whitespace-separated word of `raw_text` (restoration keeps
    # the raw words, so they still match); None for digital text.
    word_confidences: tuple[float, ...] | None = None
    repaired: bool = False
    repairs: tuple[TokenRepair, ...] = ()  # what restoration changed, token by token
    uncertain_comparators: tuple[int, ...] = ()  # see RepairedLine


class Indicator(Record):
    indicator_id: str
    name: str
    unit: str | None = None
    aliases: tuple[str, ...] = ()


class Agency(Record):
    agency_id: str
    name: str
    aliases: tuple[str, ...] = ()


class Target(Record):
    target_id: str
    doc_id: str
    indicator_id: str | None = None
    indicator_text: str
    target_year: int | None = None  # None: the text does not settle it (a review note says so)
    comparator: Comparator
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    per_year: bool = False
    owner_agency: str | None = None
    section: str | None = None
    page: int
    line: int
    source_text: str
    confidence: float = Field(ge=0.0, le=1.0)
    confidence_note: str | None = None


class Task(Record):
    task_id: str
    doc_id: str
    title: str
    responsible: str | None = None  # person and/or role
    lead_agencies: tuple[str, ...] = ()
    partner_agencies: tuple[str, ...] = ()
    product: str | None = None
    deadline_text: str | None = None
    due_date: date | None = None
    recurring: bool = False
    page: int
    line: int


class ConflictPair(Record):
    """What names a finding and the two targets and documents it is about."""

    conflict_id: str
    kind: ConflictKind
    indicator_id: str
    target_year: int | None
    target_id_a: str
    target_id_b: str
    doc_id_a: str
    doc_id_b: str


class Conflict(ConflictPair):
    value_a: str  # rendered threshold, e.g. "≥ 80 %"
    value_b: str
    severity: Severity
    status: ConflictStatus
    explanation: str  # one sentence, Vietnamese


class FindingReview(Record):
    """One decision on a finding; the latest per finding holds. Kept apart from the findings,
    which every check replaces: a finding's id follows its content, so the decision meets the
    same finding after a re-run or a new version of a plan."""

    conflict_id: str
    status: ReviewStatus
    note: str | None = None
    reviewed_by: str
    reviewed_at: datetime


class TaskCompletion(Record):
    """Someone recorded that a task was done (the plans themselves never say so); the latest
    per task holds. A task's id follows its document and wording, so it outlives re-runs."""

    task_id: str
    done_on: date
    note: str | None = None
    recorded_by: str
    recorded_at: datetime


class RestoreConfirmation(Record):
    """Someone read a restored document and confirmed its text: restoration learns from it."""

    doc_id: str
    sha256: str
    confirmed_by: str
    confirmed_at: datetime


class LinkDecision(Record):
    """A reviewer's pin or split of the targets of one document with one wording, kept across
    re-runs and new versions (no line number: a new version may move the line)."""

    action: LinkAction
    doc_id: str
    indicator_text: str
    indicator_id: str | None = None  # pin only
    note: str | None = None
    decided_by: str
    decided_at: datetime


class ConflictExport(ConflictPair):
    """A conflict as the exports carry it: both thresholds as numbers and their parts, taken
    from the two targets (null when a target left the warehouse since the last check)."""

    comparator_a: Comparator | None
    value_a: float | None
    value_max_a: float | None
    unit_a: str | None
    year_a: int | None
    comparator_b: Comparator | None
    value_b: float | None
    value_max_b: float | None
    unit_b: str | None
    year_b: int | None
    severity: Severity
    status: ConflictStatus
    explanation: str


class DocumentVersion(Record):
    """One loaded version of a document: the file, when it was loaded, what it said."""

    doc_id: str
    sha256: str
    number: str | None = None
    source_path: str
    loaded_at: datetime
    targets: tuple[Target, ...] = ()


class Lineage(Record):
    """Where a target says it comes from: a higher plan's target it details or repeats, as its
    own text cites it ("Cụ thể hóa chỉ tiêu “… đạt tối thiểu 80%” tại Chương trình số
    02-CTr/BCĐTW"); the parent's fields are filled when that plan is loaded."""

    target_id: str
    doc_id: str
    relation: LineageRelation
    parent_number: str  # the cited document's number, normalised ("02-CTr/BCĐTW")
    parent_text: str | None = None  # the parent target as quoted
    parent_comparator: Comparator | None = None  # the quoted figure, when it has one
    parent_value: float | None = None
    parent_value_max: float | None = None
    parent_unit: str | None = None
    parent_doc_id: str | None = None  # the cited document, when it is loaded
    parent_target_id: str | None = None  # its target this one implements, when found
    line: int
    source_text: str  # the words that state the lineage


class ExtractedDocument(Record):
    """One document ready to load: everything the warehouse stores about it."""

    document: Document
    refs: tuple[DocumentRef, ...] = ()
    lines: tuple[Line, ...] = ()
    targets: tuple[Target, ...] = ()
    tasks: tuple[Task, ...] = ()
    lineage: tuple[Lineage, ...] = ()
