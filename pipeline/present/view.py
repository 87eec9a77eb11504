"""What the report shows, as plain records built from the warehouse: one view model that the
HTML and Markdown templates both render, so the two never disagree.

Everything here is data (strings, numbers, dates); no markup. The templates escape it.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from normalizers.documents import number_key
from pipeline.check.amendments import Amendments, document_label
from pipeline.check.consistency import CheckChanges
from pipeline.check.rules import KIND_LABELS, SETTLE_ACTIONS
from pipeline.check.thresholds import format_number, render_threshold
from pipeline.present.chart import Chart, Point, build_chart, document_colour
from pipeline.present.vietnamese import vietnamese_key
from schemas.records import (
    Conflict,
    ConflictStatus,
    Document,
    DocumentRef,
    FindingReview,
    Line,
    Lineage,
    Relation,
    ReviewStatus,
    Severity,
    Target,
    Task,
    TaskCompletion,
)

SEVERITY_LABELS = {Severity.HIGH: "Cao", Severity.MEDIUM: "Trung bình", Severity.LOW: "Thấp"}
STATUS_LABELS = {ConflictStatus.OPEN: "Chưa xử lý",
                 ConflictStatus.SUPERSEDED: "Đã có văn bản sửa đổi"}
REVIEW_LABELS = {ReviewStatus.SEEN: "đã xem", ReviewStatus.ACCEPTED: "chấp nhận",
                 ReviewStatus.DISMISSED: "bỏ qua", ReviewStatus.REPORTED: "đã báo cáo"}
# A finding so decided leaves the first page's list: someone has settled what to do with it.
DECIDED = frozenset({ReviewStatus.ACCEPTED, ReviewStatus.DISMISSED, ReviewStatus.REPORTED})


def review_text(review: FindingReview) -> str:
    """"chấp nhận — Lan, 02/12/2026: đã thống nhất tại cuộc họp"."""
    text = (f"{REVIEW_LABELS[review.status]} — {review.reviewed_by}, "
            f"{review.reviewed_at.strftime('%d/%m/%Y %H:%M')}")
    return f"{text}: {review.note}" if review.note else text
TEXT_SOURCE_LABELS = {"digital": "văn bản số", "ocr": "ảnh quét (OCR)",
                      "ocr_text": "văn bản OCR (đã phục hồi dấu)"}
NO_AGENCY = "Chưa rõ cơ quan"
# What a reader is told is missing when a text gives no letterhead (an excerpt, a news item).
METADATA_LABELS = {"number": "số văn bản", "kind": "loại văn bản", "issuer": "cơ quan ban hành",
                   "issued_on": "ngày ban hành",
                   "jurisdiction": "phạm vi (tỉnh, bộ…; chỉ so với chính nó)"}


def vn_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "không rõ ngày"


def anchor_id(prefix: str, key: str) -> str:
    """An HTML id of safe characters only, whatever the key holds; keys that needed changing
    get a hash so two names differing only in diacritics stay apart."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", key)
    if safe == key:
        return f"{prefix}-{key}"
    return f"{prefix}-{safe}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def cited_target_ids(conflicts: Iterable[Conflict]) -> set[str]:
    return {target_id for conflict in conflicts
            for target_id in (conflict.target_id_a, conflict.target_id_b)}


# ------------------------------------------------------------------ the warehouse's records


@dataclass
class ReportData:
    documents: dict[str, Document]
    targets: dict[str, Target]
    conflicts: list[Conflict]
    indicator_names: dict[str, str]
    tasks: list[Task]
    agency_names: dict[str, str]  # any name or alias → the catalog name
    lines: dict[tuple[str, int], Line]
    amendments: Amendments
    as_of: date
    changes: CheckChanges | None = None
    refs: list[DocumentRef] = field(default_factory=list)
    reviews: dict[str, FindingReview] = field(default_factory=dict)  # the latest per finding
    completions: dict[str, TaskCompletion] = field(default_factory=dict)  # the latest per task
    doc_series: dict[str, int] = field(default_factory=dict)  # doc_id → its chart colour
    lineage: list[Lineage] = field(default_factory=list)

    def label(self, doc_id: str) -> str:
        return document_label(self.documents.get(doc_id), doc_id)

    def indicator_name(self, indicator_id: str) -> str:
        return self.indicator_names.get(indicator_id) or indicator_id

    def yearless_targets(self) -> list[Target]:
        """Targets whose year the text does not settle: kept, listed for a reader to check."""
        return sorted((target for target in self.targets.values() if target.target_year is None),
                      key=lambda target: (target.doc_id, target.line))

    def agency(self, name: str) -> str:
        return self.agency_names.get(name, name)

    def is_loaded(self, number: str) -> bool:
        key = number_key(number)
        return any(number_key(document.number or doc_id) == key
                   for doc_id, document in self.documents.items())


def load_report_data(warehouse: Any, as_of: date | None = None,
                     changes: CheckChanges | None = None) -> ReportData:
    documents = warehouse.documents()
    refs = warehouse.refs()
    conflicts = warehouse.conflicts()
    targets = {target.target_id: target for target in warehouse.targets()}
    cited_docs = {targets[target_id].doc_id for target_id in cited_target_ids(conflicts)
                  if target_id in targets}
    lines = {(line.doc_id, line.line_no): line for doc_id in sorted(cited_docs)
             for line in warehouse.lines(doc_id)}
    agency_names = {}
    for agency in warehouse.agencies():
        for name in (agency.name, *agency.aliases):
            agency_names[name] = agency.name
    return ReportData(
        documents={document.doc_id: document for document in documents},
        targets=targets,
        conflicts=conflicts,
        indicator_names={found.indicator_id: found.name for found in warehouse.indicators()},
        tasks=warehouse.tasks(),
        agency_names=agency_names,
        lines=lines,
        amendments=Amendments(documents, refs),
        as_of=as_of or date.today(),
        changes=changes,
        refs=refs,
        reviews=warehouse.reviews(),
        completions=warehouse.completions(),
        doc_series={document.doc_id: index for index, document in enumerate(documents)},
        lineage=warehouse.lineage(),
    )


# ------------------------------------------------------------------ facts about findings


def missing_metadata(document: Document) -> list[str]:
    return [label for field_name, label in METADATA_LABELS.items()
            if getattr(document, field_name) is None]


def document_note(data: ReportData, document: Document) -> str:
    """Which documents amend this one, as the loaded texts say, and what the text does not
    say about itself."""
    amenders = data.amendments.amenders_of(document.doc_id)
    notes = [f"được sửa đổi, bổ sung bởi {', '.join(amenders)}"] if amenders else []
    if missing := missing_metadata(document):
        notes.append(f"văn bản không ghi {', '.join(missing)} (mã lấy theo tên tệp)"
                     if document.number is None else f"văn bản không ghi {', '.join(missing)}")
    return "; ".join(notes)


def amendment_statements(data: ReportData, conflict: Conflict) -> list[DocumentRef]:
    """Why a superseded finding is superseded, as the texts say it: the references whose
    sentences state that one of its documents amends the other, or that a loaded document
    setting one side's figure anew amends that side."""
    if conflict.status != ConflictStatus.SUPERSEDED:
        return []
    first, second = conflict.doc_id_a, conflict.doc_id_b
    if governing := data.amendments.governing(first, second):
        return data.amendments.statements(governing, second if governing == first else first)
    found: list[DocumentRef] = []
    for target_id in (conflict.target_id_a, conflict.target_id_b):
        side = data.targets.get(target_id)
        amenders = {other.doc_id for other in data.targets.values() if side
                    and (other.indicator_id, other.target_year) == (side.indicator_id,
                                                                    side.target_year)
                    and data.amendments.governing(other.doc_id, side.doc_id) == other.doc_id}
        for amender in sorted(amenders):
            found += data.amendments.statements(amender, side.doc_id)
    return list(dict.fromkeys(found))


def statement_where(data: ReportData, ref: DocumentRef) -> str:
    return f"{data.label(ref.doc_id)}, dòng {ref.line}"


def order_note(data: ReportData, conflict: Conflict) -> str:
    """Issuer and date of both sides, so a reader can judge which text governs."""
    if conflict.doc_id_a == conflict.doc_id_b:
        return ""
    sides = []
    for doc_id in (conflict.doc_id_a, conflict.doc_id_b):
        document = data.documents.get(doc_id)
        issuer = document.issuer if document and document.issuer else "không rõ cơ quan"
        issued_on = document.issued_on if document else None
        sides.append((issued_on, doc_id, f"{data.label(doc_id)} ({issuer}, {vn_date(issued_on)})"))
    first, second = sorted(sides, key=lambda side: (side[0] or date.max, side[1]))
    return f"Ban hành trước: {first[2]}; ban hành sau: {second[2]}."


PAST_DUE = "Hạn ghi trong kế hoạch đã qua"


def task_status(task: Task, as_of: date, done: TaskCompletion | None = None
                ) -> tuple[str, bool]:
    """A Vietnamese status and whether the plan's deadline has passed on `as_of` with no
    completion recorded. The plans never say a task is done, so without a recorded completion
    a passed deadline says only that, never "overdue"."""
    if done is not None:
        return (f"Đã hoàn thành ngày {vn_date(done.done_on)} (ghi nhận: {done.recorded_by}"
                + (f"; {done.note}" if done.note else "") + ")"), False
    if task.recurring:
        return "Thường xuyên", False
    if task.due_date is None:
        return "Chưa rõ thời hạn", False
    days = (task.due_date - as_of).days
    if days < 0:
        return PAST_DUE, True
    return ("Đến hạn hôm nay" if days == 0 else f"Còn {days} ngày"), False


# ------------------------------------------------------------------ the view model


@dataclass(frozen=True)
class Cell:
    heading: str
    value: str


@dataclass(frozen=True)
class Quote:
    """A cited line as stored (normalised, restored): a table row cell by cell under its
    column headings, and notes on how sure its text is."""

    where: str  # "Kế hoạch 22-KH/TU, trang 1, dòng 101"
    text: str
    cells: tuple[Cell, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Side:
    value: str
    document: str
    year: str
    quote: Quote | None  # None when the target left the warehouse since the check
    ocr_caveat: str  # "" unless a comparator was read from an OCR '>'


@dataclass(frozen=True)
class AmendmentQuote:
    where: str
    text: str


@dataclass(frozen=True)
class Since:
    day: str
    why: str  # "ban hành Kế hoạch 3450/KH-UBND"


@dataclass(frozen=True)
class Owner:
    agency: str
    document: str  # the plan that names it


@dataclass(frozen=True)
class Action:
    """What would settle a finding: a short form for the first page, the full one on the
    card."""

    short: str
    full: str


@dataclass(frozen=True)
class FindingCard:
    anchor: str
    conflict_id: str
    indicator: str  # the plain name
    year: str
    severity: str  # the enum value, for styling
    status: str
    severity_label: str
    kind_label: str
    status_label: str
    explanation: str
    sides: tuple[Side, Side]
    since: Since
    owners: tuple[Owner, ...]  # who follows the indicator, as the plans name them
    settle: tuple[Action, ...]  # what would settle it, the most telling first
    order_note: str
    amendments: tuple[AmendmentQuote, ...]
    review: str  # the decision that holds, "" when none

    @property
    def caveats(self) -> tuple[str, ...]:
        return tuple(side.ocr_caveat for side in self.sides if side.ocr_caveat)


@dataclass(frozen=True)
class TargetRow:
    year: int | None
    document: str
    threshold: str
    line: int


@dataclass(frozen=True)
class IndicatorSection:
    anchor: str
    name: str
    chart: Chart | None
    targets: tuple[TargetRow, ...]
    cards: tuple[FindingCard, ...]


@dataclass(frozen=True)
class KindCount:
    label: str
    open: int
    superseded: int


@dataclass(frozen=True)
class Change:
    marker: str  # "Mới", "Đã hết", "Thay đổi (≥ 70 % → ≥ 75 %)"
    explanation: str
    review: str  # a decision taken before the change, to look at again; "" when none


@dataclass(frozen=True)
class DocumentRow:
    label: str
    issuer: str
    issued_on: str
    text_source: str
    note: str


@dataclass(frozen=True)
class YearlessRow:
    document: str
    line: int
    indicator: str
    threshold: str


@dataclass(frozen=True)
class CascadeRow:
    """One target's chain from the highest plan it cites down to the agency that follows it:
    "Chương trình 02-CTr/BCĐTW: ≥ 80 % → Kế hoạch 3450/KH-UBND: ≥ 80 % (2026) → Văn phòng
    Ủy ban nhân dân tỉnh"."""

    indicator: str
    links: tuple[str, ...]  # highest first
    owner: str
    note: str  # "văn bản cấp trên đã nạp không có chỉ tiêu này" …


@dataclass(frozen=True)
class PendingSources:
    """The targets of one document whose cited sources are none of them loaded: no chain
    can be followed yet, so they are named in one paragraph (with a quoted figure)."""

    document: str
    sources: str  # "Chương trình 02-CTr/BCĐTW · Quyết định 11/QĐ-BCĐCP"
    targets: tuple[str, ...]  # "Tỷ lệ … ≥ 70 % (2026; trích dẫn ≥ 80 %)"


@dataclass(frozen=True)
class ReportView:
    made_on: str
    as_of: str
    facts: str
    to_settle: tuple[FindingCard, ...]  # open high findings, then medium: the first page
    decided: tuple[FindingCard, ...]  # open ones a reader accepted, dismissed or reported
    kind_counts: tuple[KindCount, ...]
    changes: tuple[Change, ...] | None  # None: no check before this one
    documents: tuple[DocumentRow, ...]
    indicators: tuple[IndicatorSection, ...]
    yearless: tuple[YearlessRow, ...]
    cascade: tuple[CascadeRow, ...]  # targets with a loaded source
    cascade_pending: tuple[PendingSources, ...]  # targets whose sources are not loaded
    task_count: int
    past_due_count: int


def what_changed(before: Conflict, now: Conflict) -> str:
    """"≥ 70 % → ≥ 75 %; Chưa xử lý → Đã có văn bản sửa đổi": what one finding changed."""
    parts = [f"{old} → {new}" for old, new in ((before.value_a, now.value_a),
                                               (before.value_b, now.value_b)) if old != new]
    if before.status != now.status:
        parts.append(f"{STATUS_LABELS[before.status]} → {STATUS_LABELS[now.status]}")
    return "; ".join(parts)


def conflicts_by_indicator(conflicts: list[Conflict]) -> dict[str, list[Conflict]]:
    grouped: dict[str, list[Conflict]] = defaultdict(list)
    for conflict in conflicts:
        grouped[conflict.indicator_id].append(conflict)
    return dict(sorted(grouped.items()))


def _facts(data: ReportData) -> str:
    severity = Counter(conflict.severity for conflict in data.conflicts
                       if conflict.status == ConflictStatus.OPEN)
    return (f"{len(data.documents)} văn bản, {len(data.targets)} chỉ tiêu, {len(data.tasks)} "
            f"nhiệm vụ; {len(data.conflicts)} phát hiện, trong đó "
            f"{sum(severity.values())} chưa xử lý (mức cao: {severity[Severity.HIGH]}, "
            f"trung bình: {severity[Severity.MEDIUM]}, thấp: {severity[Severity.LOW]}).")


def _kind_counts(data: ReportData) -> tuple[KindCount, ...]:
    counts = Counter((conflict.kind, conflict.status) for conflict in data.conflicts)
    return tuple(KindCount(label, counts[(kind, ConflictStatus.OPEN)],
                           counts[(kind, ConflictStatus.SUPERSEDED)])
                 for kind, label in KIND_LABELS.items())


def change_groups(changes: CheckChanges, reviews: Mapping[str, FindingReview]
                  ) -> tuple[tuple[Change, ...], tuple[Change, ...], tuple[Change, ...]]:
    """The findings new, resolved and changed since the previous check, as every rendering
    (HTML, Markdown, the terminal) says them; a resolved or changed finding someone had
    decided on carries that decision, to be looked at again."""

    def decided(conflict: Conflict) -> str:
        review = reviews.get(conflict.conflict_id)
        return review_text(review) if review else ""

    return (tuple(Change("Mới", conflict.explanation, "") for conflict in changes.new),
            tuple(Change("Đã hết", conflict.explanation, decided(conflict))
                  for conflict in changes.resolved),
            tuple(Change(f"Thay đổi ({what_changed(before, now)})", now.explanation,
                         decided(now)) for before, now in changes.changed))


def _changes(data: ReportData) -> tuple[Change, ...] | None:
    if data.changes is None:
        return None
    return tuple(change for group in change_groups(data.changes, data.reviews)
                 for change in group)


def _documents(data: ReportData) -> tuple[DocumentRow, ...]:
    return tuple(DocumentRow(data.label(document.doc_id), document.issuer or "không rõ",
                             vn_date(document.issued_on),
                             TEXT_SOURCE_LABELS.get(document.text_source, document.text_source),
                             document_note(data, document))
                 for document in data.documents.values())


def _headings(data: ReportData, line: Line) -> tuple[str, ...]:
    """The column headings of a table row: the nearest row above with as many cells, all of
    them filled and the first not a number (the data rows open with their STT)."""
    for line_no in range(line.line_no - 1, 0, -1):
        above = data.lines.get((line.doc_id, line_no))
        if above is None or not above.cells or len(above.cells) != len(line.cells or ()):
            continue
        if all(cell.strip() for cell in above.cells) and not above.cells[0].strip()[:1].isdigit():
            return above.cells
    return ()


def _quote(data: ReportData, target: Target) -> Quote:
    where = f"{data.label(target.doc_id)}, trang {target.page}, dòng {target.line}"
    line = data.lines.get((target.doc_id, target.line))
    if line is None:
        return Quote(where, target.source_text, (), ())
    notes = []
    if line.repaired and line.raw_text != line.text:
        notes.append(f"Chữ OCR trước khi phục hồi: {line.raw_text}")
    cells: tuple[Cell, ...] = ()
    if line.cells and (headings := _headings(data, line)):
        cells = tuple(Cell(heading, value) for heading, value in zip(headings, line.cells,
                                                                     strict=True) if value.strip())
    return Quote(where, line.text, cells, tuple(notes))


def _ocr_caveat(data: ReportData, target: Target) -> str:
    line = data.lines.get((target.doc_id, target.line))
    if line is None or not line.uncertain_comparators:
        return ""
    return (f"“{render_threshold(target)}” ({data.label(target.doc_id)}): dấu “≥” được đọc từ "
            "ký tự “>” của bản quét OCR, có thể là “>”; cần đối chiếu bản gốc.")


def _side(data: ReportData, value: str, target_id: str) -> Side:
    target = data.targets.get(target_id)
    if target is None:
        return Side(value, target_id, "", None, "")
    return Side(value, data.label(target.doc_id), str(target.target_year or "chưa rõ năm"),
                _quote(data, target), _ocr_caveat(data, target))


def _since(data: ReportData, conflict: Conflict) -> Since:
    """Since the later of the two documents was issued: before it, nothing disagreed."""
    dated = [(document.issued_on, doc_id) for doc_id in {conflict.doc_id_a, conflict.doc_id_b}
             if (document := data.documents.get(doc_id)) and document.issued_on]
    if not dated:
        return Since("không rõ", "văn bản không ghi ngày ban hành")
    issued_on, doc_id = max(dated)
    return Since(vn_date(issued_on), f"ban hành {data.label(doc_id)}")


def _owners(data: ReportData, conflict: Conflict) -> tuple[Owner, ...]:
    """The agencies the plans name to follow the indicator: the finding's two targets first,
    then any other target of the indicator."""
    sides = [data.targets.get(target_id) for target_id in (conflict.target_id_a,
                                                           conflict.target_id_b)]
    others = sorted((target for target in data.targets.values()
                     if target.indicator_id == conflict.indicator_id),
                    key=lambda target: (target.doc_id, target.line))
    firsts: dict[str, str] = {}
    for target in [*sides, *others]:
        if target and target.owner_agency:
            firsts.setdefault(data.agency(target.owner_agency), data.label(target.doc_id))
    return tuple(Owner(agency, document) for agency, document in firsts.items())


def _amending_not_loaded(data: ReportData, conflict: Conflict) -> list[Action]:
    actions = []
    for doc_id in dict.fromkeys((conflict.doc_id_a, conflict.doc_id_b)):
        for amender in data.amendments.amenders_of(doc_id):
            if data.is_loaded(amender):
                continue
            said = [statement_where(data, ref)
                    for ref in data.amendments.statements(amender, doc_id)]
            actions.append(Action(
                f"Nạp {amender}, văn bản sửa đổi {data.label(doc_id)} (chưa có trong kho).",
                f"Nạp văn bản {amender} (sửa đổi, bổ sung {data.label(doc_id)}"
                + (f"; theo {', '.join(said)}" if said else "")
                + "), chưa có trong kho: nó có thể đã đặt lại mức này."))
    return actions


def _sources_not_loaded(data: ReportData, conflict: Conflict) -> list[Action]:
    """Documents a side's own line cites as its source (a plan's 'Văn bản nguồn' column)."""
    actions = []
    for target_id in dict.fromkeys((conflict.target_id_a, conflict.target_id_b)):
        target = data.targets.get(target_id)
        if target is None:
            continue
        cited = [ref for ref in data.refs if (ref.doc_id, ref.line) == (target.doc_id, target.line)
                 and ref.relation != Relation.AMENDS and not data.is_loaded(ref.ref_number)]
        actions += [Action(f"Đối chiếu {ref.ref_number}, văn bản nguồn của dòng này.",
                           f"Đối chiếu {ref.ref_kind or 'văn bản'} {ref.ref_number}, văn bản "
                           f"nguồn mà {data.label(target.doc_id)} ghi ở dòng {target.line} "
                           "(chưa có trong kho).") for ref in cited]
    return actions


def _settle(data: ReportData, conflict: Conflict) -> tuple[Action, ...]:
    actions = _amending_not_loaded(data, conflict) + _sources_not_loaded(data, conflict)
    scanned = [target for target_id in dict.fromkeys((conflict.target_id_a, conflict.target_id_b))
               if (target := data.targets.get(target_id)) and _ocr_caveat(data, target)]
    actions += [Action(f"Đối chiếu bản gốc {data.label(target.doc_id)}, dòng {target.line}.",
                       f"Đối chiếu bản gốc {data.label(target.doc_id)}, dòng {target.line}: dấu "
                       "so sánh đọc từ bản quét OCR.") for target in scanned]
    default = SETTLE_ACTIONS[conflict.kind]
    return (*actions, Action(default, default))


def _card(data: ReportData, conflict: Conflict) -> FindingCard:
    sides = (_side(data, conflict.value_a, conflict.target_id_a),
             _side(data, conflict.value_b, conflict.target_id_b))
    return FindingCard(
        anchor=anchor_id("ct", conflict.conflict_id),
        conflict_id=conflict.conflict_id,
        indicator=data.indicator_name(conflict.indicator_id),
        year=str(conflict.target_year or "chưa rõ năm"),
        severity=conflict.severity.value,
        status=conflict.status.value,
        severity_label=SEVERITY_LABELS[conflict.severity],
        kind_label=KIND_LABELS[conflict.kind],
        status_label=STATUS_LABELS[conflict.status],
        explanation=conflict.explanation,
        sides=sides,
        since=_since(data, conflict),
        owners=_owners(data, conflict),
        settle=_settle(data, conflict),
        order_note=order_note(data, conflict),
        amendments=tuple(AmendmentQuote(statement_where(data, ref), ref.source_text)
                         for ref in amendment_statements(data, conflict)),
        review=review_text(review) if (review := data.reviews.get(conflict.conflict_id)) else "",
    )


def _chart(data: ReportData, indicator_id: str, conflicts: list[Conflict]) -> Chart | None:
    """The indicator's targets by year, one colour per document; findings ringed in red."""
    flagged = cited_target_ids(conflicts)
    # a unit mismatch joins a target of another id (the same measure counted another way)
    targets = sorted((target for target in data.targets.values()
                      if (target.indicator_id == indicator_id or target.target_id in flagged)
                      and target.value is not None and target.target_year is not None),
                     key=lambda target: (target.doc_id, target.target_year, target.line))
    if not targets:
        return None
    doc_ids = list(dict.fromkeys(target.doc_id for target in targets))
    points = {target.target_id: Point(
        year=target.target_year, value=target.value, series=doc_ids.index(target.doc_id),
        label=render_threshold(target).split(" ")[0] + format_number(target.value),
        tip=(f"{data.label(target.doc_id)}, năm {target.target_year}: "
             f"{render_threshold(target)} (trang {target.page}, dòng {target.line})"),
        ringed=target.target_id in flagged) for target in targets}
    pairs = [(points[conflict.target_id_a], points[conflict.target_id_b])
             for conflict in conflicts
             if conflict.target_id_a in points and conflict.target_id_b in points]
    return build_chart(f"Chỉ tiêu {data.indicator_name(indicator_id)} qua các năm và văn bản",
                       list(points.values()),
                       [(data.label(doc_id), document_colour(data.doc_series.get(doc_id, 0)))
                        for doc_id in doc_ids], pairs)


def _indicator_section(data: ReportData, indicator_id: str, cards: list[FindingCard],
                       conflicts: list[Conflict]) -> IndicatorSection:
    targets = sorted((target for target in data.targets.values()
                      if target.indicator_id == indicator_id),
                     key=lambda target: (target.target_year or 0, target.doc_id, target.line))
    return IndicatorSection(
        # a hash, not the id: readers see names, never internal ids, even in a link
        anchor=f"ind-{hashlib.sha256(indicator_id.encode()).hexdigest()[:10]}",
        name=data.indicator_name(indicator_id),
        chart=_chart(data, indicator_id, conflicts),
        targets=tuple(TargetRow(target.target_year, data.label(target.doc_id),
                                render_threshold(target), target.line) for target in targets),
        cards=tuple(cards),
    )


_KIND_ORDER = {kind: index for index, kind in enumerate(KIND_LABELS)}
_SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


def _priority(data: ReportData, conflict: Conflict) -> tuple:
    """What a reader settles first: higher severity, the nearest year, then kind and name."""
    return (_SEVERITY_ORDER[conflict.severity], conflict.target_year or 9999,
            _KIND_ORDER[conflict.kind],
            vietnamese_key(data.indicator_name(conflict.indicator_id)), conflict.conflict_id)


def _indicators(data: ReportData, cards: dict[str, FindingCard]) -> tuple[IndicatorSection, ...]:
    """One section per indicator with findings, the one with the most pressing finding first."""
    grouped = conflicts_by_indicator(data.conflicts)
    order = sorted(grouped, key=lambda indicator_id: min(
        _priority(data, conflict) for conflict in grouped[indicator_id]))
    return tuple(_indicator_section(
        data, indicator_id,
        [cards[conflict.conflict_id]
         for conflict in sorted(grouped[indicator_id], key=lambda c: _priority(data, c))],
        grouped[indicator_id]) for indicator_id in order)


def build_report_view(data: ReportData, made_on: date | None = None) -> ReportView:
    cards = {conflict.conflict_id: _card(data, conflict) for conflict in data.conflicts}
    open_ones = sorted((conflict for conflict in data.conflicts
                        if conflict.status == ConflictStatus.OPEN
                        and conflict.severity in (Severity.HIGH, Severity.MEDIUM)),
                       key=lambda conflict: _priority(data, conflict))
    decided = [conflict for conflict in open_ones
               if (review := data.reviews.get(conflict.conflict_id)) and review.status in DECIDED]
    to_settle = [conflict for conflict in open_ones if conflict not in decided]
    return ReportView(
        made_on=vn_date(made_on or date.today()),
        as_of=vn_date(data.as_of),
        facts=_facts(data),
        to_settle=tuple(cards[conflict.conflict_id] for conflict in to_settle),
        decided=tuple(cards[conflict.conflict_id] for conflict in decided),
        kind_counts=_kind_counts(data),
        changes=_changes(data),
        documents=_documents(data),
        indicators=_indicators(data, cards),
        yearless=tuple(YearlessRow(data.label(target.doc_id), target.line,
                                   target.indicator_text, render_threshold(target))
                       for target in data.yearless_targets()),
        cascade=_cascade(data),
        cascade_pending=_cascade_pending(data),
        task_count=len(data.tasks),
        past_due_count=sum(task_status(task, data.as_of, data.completions.get(task.task_id))[1]
                           for task in data.tasks),
    )


# ------------------------------------------------------------------ the cascade


def _with_year(data: ReportData, target: Target) -> str:
    year = f" ({target.target_year})" if target.target_year else ""
    return f"{data.label(target.doc_id)}: {render_threshold(target)}{year}"


def _quoted_figure(row: Lineage) -> str:
    if not (row.parent_comparator and row.parent_value is not None):
        return ""
    quoted = Target(target_id="", doc_id="", indicator_text="", page=1, line=0, source_text="",
                    confidence=1.0, comparator=row.parent_comparator, value=row.parent_value,
                    value_max=row.parent_value_max, unit=row.parent_unit)
    return render_threshold(quoted)


def _quoted_parent(data: ReportData, row: Lineage) -> str:
    label = document_label(data.documents.get(row.parent_doc_id or ""), row.parent_number) if (
        row.parent_doc_id) else row.parent_number
    figure = _quoted_figure(row)
    return f"{label}: {figure} (như trích dẫn)" if figure else label


def _chain(data: ReportData, row: Lineage, by_target: dict[str, Lineage]) -> list[str]:
    """Highest first: the loaded parents above the local target, and above the last loaded
    one the source it cites as the text cites it."""
    links = [_with_year(data, data.targets[row.target_id])]
    seen = {row.target_id}
    while row.parent_target_id in data.targets and row.parent_target_id not in seen:
        parent_id = row.parent_target_id
        links.append(_with_year(data, data.targets[parent_id]))
        seen.add(parent_id)
        if parent_id not in by_target:
            return links[::-1]
        row = by_target[parent_id]
    links.append(_quoted_parent(data, row))
    return links[::-1]


def _stating_targets(data: ReportData) -> list[tuple[Target, list[Lineage]]]:
    """Each target line that states its sources, by its earliest-year target (a row with a
    2026 and a 2030 column once), with those sources; by document and line."""
    earliest: dict[tuple[str, int], str] = {}
    for row in data.lineage:
        target = data.targets.get(row.target_id)
        key = (row.doc_id, row.line)
        if target is not None and (key not in earliest or (target.target_year or 0) < (
                data.targets[earliest[key]].target_year or 0)):
            earliest[key] = row.target_id
    return [(data.targets[earliest[key]],
             [row for row in data.lineage if row.target_id == earliest[key]])
            for key in sorted(earliest)]


def _indicator_of(data: ReportData, target: Target) -> str:
    return (data.indicator_name(target.indicator_id) if target.indicator_id
            else target.indicator_text)


def _cascade(data: ReportData) -> tuple[CascadeRow, ...]:
    """Targets with at least one loaded source: each source as a chain from the highest plan
    down, the sources of one target side by side."""
    by_target = {row.target_id: row for row in data.lineage}
    rows = []
    for target, sources in _stating_targets(data):
        if not any(row.parent_doc_id for row in sources):
            continue
        above = [" → ".join(_chain(data, row, by_target)[:-1]) for row in sources]
        missing = any(row.parent_doc_id and not row.parent_target_id for row in sources)
        rows.append(CascadeRow(
            indicator=_indicator_of(data, target),
            links=(" · ".join(dict.fromkeys(above)), _with_year(data, target)),
            owner=data.agency(target.owner_agency) if target.owner_agency else "—",
            note="văn bản cấp trên đã nạp không có chỉ tiêu này" if missing else ""))
    return tuple(rows)


def _cascade_pending(data: ReportData) -> tuple[PendingSources, ...]:
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for target, sources in _stating_targets(data):
        if any(row.parent_doc_id for row in sources):
            continue
        cited = " · ".join(dict.fromkeys(row.parent_number for row in sources))
        quoted = next((figure for row in sources if (figure := _quoted_figure(row))), "")
        year = target.target_year or "năm chưa rõ"
        detail = f"{year}; trích dẫn {quoted}" if quoted else f"{year}"
        grouped[(data.label(target.doc_id), cited)].append(
            f"{_indicator_of(data, target)} {render_threshold(target)} ({detail})")
    return tuple(PendingSources(document, cited, tuple(targets))
                 for (document, cited), targets in grouped.items())


# ------------------------------------------------------------------ tasks.html


@dataclass(frozen=True)
class TaskRow:
    number: int
    anchor: str
    line: int  # where the plan states it: `chitieu task-done DOC:LINE` names it so
    title: str
    leads: tuple[str, ...]  # catalog names, each once, in the plan's order
    lead_from_position: bool  # the plan names only a person; the lead is their position's
    partners: tuple[str, ...]
    person: str  # the person or position the plan names, "" when it names none
    deadline_text: str
    due: str
    status: str
    past_due: bool


@dataclass(frozen=True)
class DocumentTasks:
    label: str
    tasks: tuple[TaskRow, ...]


@dataclass(frozen=True)
class TaskLink:
    number: int
    anchor: str


@dataclass(frozen=True)
class AgencyIndex:
    name: str
    leads: tuple[TaskLink, ...]
    partners: tuple[TaskLink, ...]


@dataclass(frozen=True)
class TasksView:
    made_on: str
    as_of: str
    task_count: int
    past_due_count: int
    agencies: tuple[AgencyIndex, ...]  # in Vietnamese alphabetical order
    documents: tuple[DocumentTasks, ...]


def agency_of_position(data: ReportData, person: str) -> str | None:
    """The agency a person's position names last ("…, Bí thư Tỉnh ủy, Trưởng Ban Chỉ đạo" →
    Ban Chỉ đạo tỉnh): the role the plan gives them is the position it lists last."""
    found = [(match.end(), len(name), agency) for name, agency in data.agency_names.items()
             for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", person)]
    return max(found)[2] if found else None


def _leads(data: ReportData, task: Task) -> tuple[tuple[str, ...], bool]:
    """The lead agencies, and whether they come from the person's position (the plan names
    a person and no agency)."""
    if task.lead_agencies:
        return tuple(dict.fromkeys(data.agency(name) for name in task.lead_agencies)), False
    named = agency_of_position(data, task.responsible or "")
    return ((named,), True) if named else ((), False)


def _task_row(data: ReportData, number: int, task: Task) -> TaskRow:
    leads, from_position = _leads(data, task)
    partners = tuple(name for name in dict.fromkeys(data.agency(name)
                                                    for name in task.partner_agencies)
                     if name not in leads)
    status, past_due = task_status(task, data.as_of, data.completions.get(task.task_id))
    return TaskRow(number=number, anchor=anchor_id("task", task.task_id), line=task.line,
                   title=task.title,
                   leads=leads, lead_from_position=from_position, partners=partners,
                   person=task.responsible or "",
                   deadline_text=task.deadline_text or "—",
                   due=vn_date(task.due_date) if task.due_date else "—",
                   status=status, past_due=past_due)


def _agency_index(rows: list[TaskRow]) -> tuple[AgencyIndex, ...]:
    leads: dict[str, list[TaskLink]] = defaultdict(list)
    partners: dict[str, list[TaskLink]] = defaultdict(list)
    for row in rows:
        for name in row.leads or (NO_AGENCY,):
            leads[name].append(TaskLink(row.number, row.anchor))
        for name in row.partners:
            partners[name].append(TaskLink(row.number, row.anchor))
    names = sorted({*leads, *partners}, key=lambda name: (name == NO_AGENCY,
                                                          vietnamese_key(name)))
    return tuple(AgencyIndex(name, tuple(leads[name]), tuple(partners[name])) for name in names)


def build_tasks_view(data: ReportData, made_on: date | None = None) -> TasksView:
    by_document: dict[str, list[TaskRow]] = defaultdict(list)
    number = 0
    for doc_id in data.documents:
        for task in sorted((task for task in data.tasks if task.doc_id == doc_id),
                           key=lambda task: task.line):
            number += 1
            by_document[doc_id].append(_task_row(data, number, task))
    rows = [row for tasks in by_document.values() for row in tasks]
    return TasksView(
        made_on=vn_date(made_on or date.today()),
        as_of=vn_date(data.as_of),
        task_count=len(rows),
        past_due_count=sum(row.past_due for row in rows),
        agencies=_agency_index(rows),
        documents=tuple(DocumentTasks(data.label(doc_id), tuple(tasks))
                        for doc_id, tasks in by_document.items()),
    )
