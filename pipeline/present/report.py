"""The consistency report people read: one self-contained HTML file and its Markdown twin.

Vietnamese throughout. No external assets and no script: inline CSS, inline SVG charts, and a
Content-Security-Policy that forbids scripts, so even a slip in escaping cannot run code.
Everything that comes from a document is escaped (html.escape in HTML; entities and
backslashes in Markdown, which Prefect's UI renders).

Sections: summary counts, what changed since the previous check, documents (issuer, date,
known amendments), findings per indicator (chart of its targets across years and documents,
each finding linking to its source lines), tasks per agency with overdue ones as of a date,
and "Nguồn", quoting every cited line with its document, page and line.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from pipeline.check.amendments import Amendments, document_label
from pipeline.check.consistency import CheckChanges
from pipeline.check.rules import KIND_LABELS
from pipeline.check.thresholds import format_number, render_threshold
from schemas.records import (
    Conflict,
    ConflictStatus,
    Document,
    DocumentRef,
    Line,
    Severity,
    Target,
    Task,
)

SEVERITY_LABELS = {Severity.HIGH: "Cao", Severity.MEDIUM: "Trung bình", Severity.LOW: "Thấp"}
STATUS_LABELS = {ConflictStatus.OPEN: "Chưa xử lý",
                 ConflictStatus.SUPERSEDED: "Đã có văn bản sửa đổi"}
TEXT_SOURCE_LABELS = {"digital": "văn bản số", "ocr": "ảnh quét (OCR)",
                      "ocr_text": "văn bản OCR (đã phục hồi dấu)"}
NO_AGENCY = "Chưa rõ cơ quan"
# Okabe–Ito colours (readable with colour blindness); red is kept for findings.
DOCUMENT_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#000000",
                    "#999933", "#882255")
FINDING_COLOUR = "#D00000"
CHANGES_LISTED = 10  # of each kind of change, printed one per line in a terminal


def vn_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "không rõ ngày"


def anchor_id(prefix: str, key: str) -> str:
    """An HTML id of safe characters only, whatever the key holds; keys that needed changing
    get a hash so two names differing only in diacritics stay apart."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", key)
    if safe == key:
        return f"{prefix}-{key}"
    return f"{prefix}-{safe}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


# ------------------------------------------------------------------ what the report shows


def cited_target_ids(conflicts: Iterable[Conflict]) -> set[str]:
    return {target_id for conflict in conflicts
            for target_id in (conflict.target_id_a, conflict.target_id_b)}


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
    doc_colours: dict[str, str] = field(default_factory=dict)

    def label(self, doc_id: str) -> str:
        return document_label(self.documents.get(doc_id), doc_id)

    def indicator_name(self, indicator_id: str) -> str:
        return self.indicator_names.get(indicator_id) or indicator_id

    def cited_targets(self) -> list[Target]:
        return sorted((self.targets[target_id] for target_id in cited_target_ids(self.conflicts)
                       if target_id in self.targets),
                      key=lambda target: (target.doc_id, target.line, target.target_id))

    def yearless_targets(self) -> list[Target]:
        """Targets whose year the text does not settle: kept, listed for a reader to check."""
        return sorted((target for target in self.targets.values() if target.target_year is None),
                      key=lambda target: (target.doc_id, target.line))

    def agency(self, name: str) -> str:
        return self.agency_names.get(name, name)


def load_report_data(warehouse: Any, as_of: date | None = None,
                     changes: CheckChanges | None = None) -> ReportData:
    documents = warehouse.documents()
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
        amendments=Amendments(documents, warehouse.refs()),
        as_of=as_of or date.today(),
        changes=changes,
        doc_colours={document.doc_id: DOCUMENT_COLOURS[index % len(DOCUMENT_COLOURS)]
                     for index, document in enumerate(documents)},
    )


def conflicts_by_indicator(conflicts: list[Conflict]) -> dict[str, list[Conflict]]:
    grouped: dict[str, list[Conflict]] = defaultdict(list)
    for conflict in conflicts:
        grouped[conflict.indicator_id].append(conflict)
    return dict(sorted(grouped.items()))


def summary_counts(data: ReportData) -> list[tuple[str, int, int]]:
    """(kind label, open, superseded) for every kind, in a fixed order."""
    counts = Counter((conflict.kind, conflict.status) for conflict in data.conflicts)
    return [(label, counts[(kind, ConflictStatus.OPEN)], counts[(kind, ConflictStatus.SUPERSEDED)])
            for kind, label in KIND_LABELS.items()]


# What a reader is told is missing when a text gives no letterhead (an excerpt, a news item).
METADATA_LABELS = {"number": "số văn bản", "kind": "loại văn bản", "issuer": "cơ quan ban hành",
                   "issued_on": "ngày ban hành"}


def missing_metadata(document: Document) -> list[str]:
    return [label for field, label in METADATA_LABELS.items()
            if getattr(document, field) is None]


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


def task_status(task: Task, as_of: date) -> tuple[str, bool]:
    """A Vietnamese status and whether the task is overdue on `as_of`."""
    if task.recurring:
        return "Thường xuyên", False
    if task.due_date is None:
        return "Chưa rõ thời hạn", False
    days = (task.due_date - as_of).days
    if days < 0:
        return f"Quá hạn {-days} ngày", True
    return ("Đến hạn hôm nay" if days == 0 else f"Còn {days} ngày"), False


@dataclass(frozen=True)
class AgencyTask:
    task: Task
    role: str  # "Chủ trì" or "Phối hợp"
    status: str
    overdue: bool


def tasks_by_agency(data: ReportData) -> dict[str, list[AgencyTask]]:
    grouped: dict[str, list[AgencyTask]] = defaultdict(list)
    for task in data.tasks:
        status, overdue = task_status(task, data.as_of)
        roles = [(name, "Chủ trì") for name in task.lead_agencies]
        roles += [(name, "Phối hợp") for name in task.partner_agencies]
        for name, role in roles or [(NO_AGENCY, "Chủ trì")]:
            grouped[data.agency(name)].append(AgencyTask(task, role, status, overdue))
    for items in grouped.values():
        items.sort(key=lambda item: (item.role != "Chủ trì", item.task.due_date or date.max,
                                     item.task.doc_id, item.task.line))
    return dict(sorted(grouped.items(), key=lambda item: (item[0] == NO_AGENCY, item[0])))


def conflict_rows(data: ReportData) -> list[dict[str, Any]]:
    """One plain row per finding (a Prefect table artifact, a CLI listing)."""
    return [
        {
            "Loại": KIND_LABELS[conflict.kind],
            "Chỉ tiêu": data.indicator_name(conflict.indicator_id),
            "Năm": conflict.target_year,
            "Văn bản A": data.label(conflict.doc_id_a),
            "Mức A": conflict.value_a,
            "Văn bản B": data.label(conflict.doc_id_b),
            "Mức B": conflict.value_b,
            "Mức độ": SEVERITY_LABELS[conflict.severity],
            "Trạng thái": STATUS_LABELS[conflict.status],
            "Giải thích": conflict.explanation,
            "Mã": conflict.conflict_id,
        }
        for conflict in data.conflicts
    ]


# ------------------------------------------------------------------ the chart


@dataclass(frozen=True)
class _Frame:
    years: list[int]
    low: float
    high: float
    width: int = 660
    height: int = 200
    left: int = 48
    right: int = 240  # room for the legend
    top: int = 16
    bottom: int = 28
    pad: int = 40  # keeps the first and last year's labels clear of the axis and legend

    def x(self, year: int, nudge: float = 0) -> float:
        span = self.width - self.left - self.right - 2 * self.pad
        start = self.left + self.pad
        if len(self.years) == 1:
            return start + span / 2 + nudge
        return start + span * self.years.index(year) / (len(self.years) - 1) + nudge

    def y(self, value: float) -> float:
        span = self.height - self.top - self.bottom
        return self.top + span * (1 - (value - self.low) / (self.high - self.low))


def _chart_frame(targets: list[Target]) -> _Frame:
    values = [target.value for target in targets if target.value is not None]
    values += [target.value_max for target in targets if target.value_max is not None]
    low, high = min(0.0, min(values)), max(values)
    return _Frame(sorted({target.target_year for target in targets}), low,
                  nice_ceiling(max(high, low + 1)))


def nice_ceiling(value: float) -> float:
    """The next 1, 2, 2.5 or 5 times a power of ten: axis ends a reader can take in."""
    power = 10 ** math.floor(math.log10(value)) if value > 0 else 1
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def indicator_chart(data: ReportData, indicator_id: str, conflicts: list[Conflict]) -> str:
    """Inline SVG: the indicator's targets by year, one colour per document; findings in red."""
    flagged = cited_target_ids(conflicts)
    # a unit mismatch joins a target of another id (the same measure counted another way)
    targets = sorted((target for target in data.targets.values()
                      if (target.indicator_id == indicator_id or target.target_id in flagged)
                      and target.value is not None and target.target_year is not None),
                     key=lambda target: (target.doc_id, target.target_year, target.line))
    if not targets:
        return '<p class="muted">Không có giá trị số để vẽ biểu đồ.</p>'
    frame = _chart_frame(targets)
    doc_ids = list(dict.fromkeys(target.doc_id for target in targets))
    nudges = {doc_id: (index - (len(doc_ids) - 1) / 2) * 7 for index, doc_id in enumerate(doc_ids)}

    def point(target: Target) -> tuple[float, float]:
        return frame.x(target.target_year, nudges[target.doc_id]), frame.y(target.value)

    parts = [_axes(frame)]
    labelled: set[tuple[int | None, str]] = set()
    for conflict in conflicts:
        ends = [data.targets.get(target_id) for target_id in (conflict.target_id_a,
                                                               conflict.target_id_b)]
        if all(end is not None and end in targets for end in ends):
            (x1, y1), (x2, y2) = point(ends[0]), point(ends[1])
            parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                         f'stroke="{FINDING_COLOUR}" stroke-width="2" stroke-dasharray="4 3"/>')
    for doc_id in doc_ids:
        colour = data.doc_colours.get(doc_id, DOCUMENT_COLOURS[0])
        own = [target for target in targets if target.doc_id == doc_id]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in map(point, own))
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                     'stroke-width="1.5" opacity="0.6"/>')
        for target in own:
            label = render_threshold(target).split(" ")[0] + format_number(target.value)
            shown = (target.target_year, label) not in labelled  # one label per figure a year
            labelled.add((target.target_year, label))
            parts.append(_marker(target, point(target), colour, target.target_id in flagged,
                                 data, label if shown else ""))
    parts.append(_legend(data, doc_ids, frame))
    title = escape(f"Chỉ tiêu {data.indicator_name(indicator_id)} qua các năm và văn bản")
    return (f'<svg class="chart" role="img" viewBox="0 0 {frame.width} {frame.height}" '
            f'width="{frame.width}" height="{frame.height}" xmlns="http://www.w3.org/2000/svg">'
            f"<title>{title}</title>{''.join(parts)}</svg>")


def _axes(frame: _Frame) -> str:
    base = frame.height - frame.bottom
    parts = [f'<line x1="{frame.left}" y1="{base}" x2="{frame.width - frame.right}" '
             f'y2="{base}" stroke="#888"/>']
    for value in (frame.low, (frame.low + frame.high) / 2, frame.high):
        y = frame.y(value)
        parts.append(f'<line x1="{frame.left}" y1="{y:.1f}" x2="{frame.width - frame.right}" '
                     f'y2="{y:.1f}" stroke="#e3e3e3"/>')
        parts.append(f'<text x="{frame.left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'class="tick">{escape(format_number(round(value, 2)))}</text>')
    parts.extend(f'<text x="{frame.x(year):.1f}" y="{base + 18}" text-anchor="middle" '
                 f'class="tick">{year}</text>' for year in frame.years)
    return "".join(parts)


def _marker(target: Target, at: tuple[float, float], colour: str, flagged: bool,
            data: ReportData, label: str) -> str:
    x, y = at
    ring = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="none" stroke="{FINDING_COLOUR}" '
            'stroke-width="2"/>' if flagged else "")
    tip = escape(f"{data.label(target.doc_id)}, năm {target.target_year}: "
                 f"{render_threshold(target)} (trang {target.page}, dòng {target.line})")
    text = (f'<text x="{x + 9:.1f}" y="{y - 6:.1f}" class="val">{escape(label)}</text>'
            if label else "")
    return (f'<g><title>{tip}</title>{ring}<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" '
            f'fill="{colour}"/>{text}</g>')


def _legend(data: ReportData, doc_ids: list[str], frame: _Frame) -> str:
    left = frame.width - frame.right + 16
    parts = []
    for row, doc_id in enumerate(doc_ids):
        y = frame.top + 8 + row * 18
        label = data.label(doc_id)
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(f'<circle cx="{left}" cy="{y - 4}" r="5" '
                     f'fill="{data.doc_colours.get(doc_id, DOCUMENT_COLOURS[0])}"/>'
                     f'<text x="{left + 10}" y="{y}" class="legend">{escape(short)}</text>')
    y = frame.top + 8 + len(doc_ids) * 18
    parts.append(f'<circle cx="{left}" cy="{y - 4}" r="6" fill="none" stroke="{FINDING_COLOUR}" '
                 f'stroke-width="2"/><text x="{left + 10}" y="{y}" class="legend">'
                 "có mâu thuẫn</text>")
    return "".join(parts)


# ------------------------------------------------------------------ HTML

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:0 auto;max-width:1040px;padding:16px 24px;
color:#1d1d1d;line-height:1.45;font-size:15px}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;
margin-top:1.8em}h3{margin-bottom:.3em}
table{border-collapse:collapse;margin:.5em 0 1em;width:100%}
th,td{border:1px solid #d4d4d4;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right}
.muted{color:#666}.finding{border-left:5px solid #999;padding:6px 12px;margin:8px 0;
background:#fafafa}.finding.high{border-color:#D00000}.finding.medium{border-color:#E69F00}
.finding.low{border-color:#999}.badge{display:inline-block;padding:0 6px;border-radius:3px;
font-size:.85em;background:#eee;margin-right:4px}.badge.high{background:#fbd5d5}
.badge.medium{background:#fdebc8}.superseded{opacity:.85}
.overdue{color:#B00000;font-weight:bold}blockquote{margin:4px 0 4px 0;padding:4px 10px;
border-left:3px solid #ccc;background:#f7f7f7;white-space:pre-wrap}
.source{margin:10px 0}.chart{max-width:100%;height:auto;background:#fff}
.chart .tick{font-size:11px;fill:#555}.chart .val{font-size:10px;fill:#333}
.chart .legend{font-size:11px;fill:#222}
table.tasks{table-layout:fixed}table.tasks th:nth-child(1){width:40%}
table.tasks th:nth-child(2){width:9%}table.tasks th:nth-child(3){width:17%}
table.tasks th:nth-child(4),table.tasks th:nth-child(5),table.tasks th:nth-child(6){width:11%}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _cell(value: object, css_class: str = "") -> str:
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<td{attribute}>{escape(str(value))}</td>"


def _table(headers: Iterable[str], rows: Iterable[str], css_class: str = "") -> str:
    head = "".join(f"<th>{escape(header)}</th>" for header in headers)
    attribute = f' class="{css_class}"' if css_class else ""
    return (f"<table{attribute}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
            "</table>")


def _summary_html(data: ReportData) -> str:
    rows = [f"<tr>{_cell(label)}{_cell(open_count, 'num')}{_cell(superseded, 'num')}</tr>"
            for label, open_count, superseded in summary_counts(data)]
    severity = Counter(conflict.severity for conflict in data.conflicts
                       if conflict.status == ConflictStatus.OPEN)
    facts = (f"{len(data.documents)} văn bản, {len(data.targets)} chỉ tiêu, {len(data.tasks)} "
             f"nhiệm vụ; {len(data.conflicts)} phát hiện, trong đó "
             f"{sum(severity.values())} chưa xử lý (mức cao: {severity[Severity.HIGH]}, "
             f"trung bình: {severity[Severity.MEDIUM]}, thấp: {severity[Severity.LOW]}).")
    return (f"<h2>Tổng quan</h2><p>{escape(facts)}</p>"
            + _table(["Loại phát hiện", "Chưa xử lý", "Đã có văn bản sửa đổi"], rows))


def _changes_html(data: ReportData) -> str:
    if data.changes is None:
        return ""
    items = [f"<li>Mới: {escape(conflict.explanation)}</li>" for conflict in data.changes.new]
    items += [f"<li>Đã hết: {escape(conflict.explanation)}</li>"
              for conflict in data.changes.resolved]
    items += [f"<li>Thay đổi ({escape(what_changed(before, now))}): "
              f"{escape(now.explanation)}</li>" for before, now in data.changes.changed]
    body = f"<ul>{''.join(items)}</ul>" if items else "<p>Không có thay đổi.</p>"
    return f"<h2>Thay đổi so với lần kiểm tra trước</h2>{body}"


def _documents_html(data: ReportData) -> str:
    rows = [
        "<tr>" + _cell(data.label(document.doc_id)) + _cell(document.issuer or "không rõ")
        + _cell(vn_date(document.issued_on))
        + _cell(TEXT_SOURCE_LABELS.get(document.text_source, document.text_source))
        + _cell(document_note(data, document)) + "</tr>"
        for document in data.documents.values()
    ]
    return "<h2>Văn bản đã nạp</h2>" + _table(
        ["Văn bản", "Cơ quan ban hành", "Ngày ban hành", "Nguồn chữ", "Ghi chú"], rows)


def _source_link(data: ReportData, target_id: str) -> str:
    target = data.targets.get(target_id)
    if target is None:
        return escape(target_id)
    return (f'<a href="#{anchor_id("src", target_id)}">{escape(data.label(target.doc_id))}, '
            f"trang {target.page}, dòng {target.line}</a>")


def _finding_html(data: ReportData, conflict: Conflict) -> str:
    css = f"finding {conflict.severity.value} {conflict.status.value}"
    order = order_note(data, conflict)
    return (
        f'<div class="{css}" id="{anchor_id("ct", conflict.conflict_id)}">'
        f'<span class="badge {conflict.severity.value}">Mức độ: '
        f"{escape(SEVERITY_LABELS[conflict.severity])}</span>"
        f'<span class="badge">{escape(KIND_LABELS[conflict.kind])}</span>'
        f'<span class="badge">{escape(STATUS_LABELS[conflict.status])}</span>'
        f"<p>{escape(conflict.explanation)}</p>"
        f"<p>A: {escape(conflict.value_a)} — {_source_link(data, conflict.target_id_a)}<br>"
        f"B: {escape(conflict.value_b)} — {_source_link(data, conflict.target_id_b)}</p>"
        + (f'<p class="muted">{escape(order)}</p>' if order else "")
        + "".join(f'<p class="muted">Căn cứ sửa đổi ({escape(statement_where(data, ref))}):</p>'
                  f"<blockquote>{escape(ref.source_text)}</blockquote>"
                  for ref in amendment_statements(data, conflict))
        + "</div>"
    )


def _findings_html(data: ReportData) -> str:
    sections = ["<h2>Phát hiện theo chỉ tiêu</h2>"]
    grouped = conflicts_by_indicator(data.conflicts)
    if not grouped:
        sections.append("<p>Không phát hiện mâu thuẫn nào giữa các chỉ tiêu.</p>")
    for indicator_id, conflicts in grouped.items():
        sections.append(
            f'<section id="{anchor_id("ind", indicator_id)}">'
            f"<h3>{escape(data.indicator_name(indicator_id))}</h3>"
            f'<p class="muted">Mã chỉ tiêu: {escape(indicator_id)}</p>'
            + indicator_chart(data, indicator_id, conflicts)
            + "".join(_finding_html(data, conflict) for conflict in conflicts)
            + "</section>")
    return "".join(sections)


def _owner_overview(grouped: dict[str, list[AgencyTask]]) -> str:
    """One row per agency, linking to its section: where the overdue work is, at a glance."""
    rows = []
    for agency, items in grouped.items():
        overdue = sum(item.overdue for item in items)
        rows.append(
            f'<tr><td><a href="#{anchor_id("ag", agency)}">{escape(agency)}</a></td>'
            + _cell(sum(item.role == "Chủ trì" for item in items), "num")
            + _cell(sum(item.role == "Phối hợp" for item in items), "num")
            + _cell(overdue, "num overdue" if overdue else "num") + "</tr>")
    return _table(["Cơ quan", "Chủ trì", "Phối hợp", "Quá hạn"], rows)


def _owners_html(data: ReportData) -> str:
    sections = [f"<h2>Nhiệm vụ theo cơ quan</h2><p>Tính quá hạn đến ngày "
                f"{escape(vn_date(data.as_of))}.</p>"]
    grouped = tasks_by_agency(data)
    if not grouped:
        sections.append("<p>Chưa có nhiệm vụ nào.</p>")
        return "".join(sections)
    sections.append(_owner_overview(grouped))
    for agency, items in grouped.items():
        overdue = sum(item.overdue for item in items)
        rows = [
            "<tr>" + _cell(item.task.title) + _cell(item.role)
            + _cell(f"{data.label(item.task.doc_id)}, dòng {item.task.line}")
            + _cell(item.task.deadline_text or "—")
            + _cell(vn_date(item.task.due_date) if item.task.due_date else "—")
            + _cell(item.status, "overdue" if item.overdue else "") + "</tr>"
            for item in items
        ]
        sections.append(f'<h3 id="{anchor_id("ag", agency)}">{escape(agency)}</h3>'
                        f"<p>{len(items)} nhiệm vụ, {overdue} quá hạn.</p>"
                        + _table(["Nhiệm vụ", "Vai trò", "Văn bản", "Thời hạn ghi", "Hạn",
                                  "Tình trạng"], rows, "tasks"))
    return "".join(sections)


def _quote(data: ReportData, target: Target) -> tuple[str, list[str]]:
    """The cited line as stored (normalised, restored) and notes on how sure its text is."""
    line = data.lines.get((target.doc_id, target.line))
    if line is None:
        return target.source_text, []
    notes = []
    if line.repaired and line.raw_text != line.text:
        notes.append(f"Chữ OCR trước khi phục hồi: {line.raw_text}")
    if line.uncertain_comparators:
        notes.append("Dấu so sánh được suy ra từ ký tự “>” của OCR; cần đối chiếu bản gốc.")
    return line.text, notes


def _sources_html(data: ReportData) -> str:
    parts = ["<h2>Nguồn</h2>"]
    for target in data.cited_targets():
        text, notes = _quote(data, target)
        parts.append(
            f'<div class="source" id="{anchor_id("src", target.target_id)}">'
            f"<strong>{escape(data.label(target.doc_id))}</strong>, trang {target.page}, "
            f"dòng {target.line} — năm {escape(str(target.target_year or 'chưa rõ'))}: "
            f"{escape(render_threshold(target))}<blockquote>{escape(text)}</blockquote>"
            + "".join(f'<p class="muted">{escape(note)}</p>' for note in notes)
            + "</div>")
    return "".join(parts)


YEARLESS_HEADING = "Chỉ tiêu chưa rõ năm — cần xem lại"
YEARLESS_HEADERS = ["Văn bản", "Dòng", "Chỉ tiêu", "Mức"]


def _yearless_rows(data: ReportData) -> list[list[object]]:
    return [[data.label(target.doc_id), target.line, target.indicator_text,
             render_threshold(target)] for target in data.yearless_targets()]


def _yearless_html(data: ReportData) -> str:
    rows = _yearless_rows(data)
    if not rows:
        return ""
    head = "".join(f"<th>{escape(header)}</th>" for header in YEARLESS_HEADERS)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>"
                   for row in rows)
    return f"<h2>{escape(YEARLESS_HEADING)}</h2><table><tr>{head}</tr>{body}</table>"


def render_html(data: ReportData) -> str:
    body = "".join([
        "<h1>Báo cáo nhất quán chỉ tiêu</h1>",
        f'<p class="muted">Lập ngày {escape(vn_date(date.today()))}; nhiệm vụ tính đến '
        f"{escape(vn_date(data.as_of))}.</p>",
        _summary_html(data), _changes_html(data), _documents_html(data), _findings_html(data),
        _yearless_html(data), _owners_html(data), _sources_html(data),
    ])
    return ('<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Báo cáo nhất quán chỉ tiêu</title><style>{CSS}</style></head>"
            f"<body>{body}</body></html>\n")


# ------------------------------------------------------------------ Markdown

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MARKDOWN_LINE_START = re.compile(r"^([#>+-]|\d+\.)")


def md(text: object) -> str:
    """Document text made inert in Markdown: entities for HTML, backslashes for markup."""
    escaped = escape(" ".join(str(text).split()), quote=False)
    return _MARKDOWN_LINE_START.sub(r"\\\1", _MARKDOWN_SPECIAL.sub(r"\\\1", escaped))


def _md_table(headers: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(md(header) for header in headers) + " |",
             "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(md(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _md_source(data: ReportData, target_id: str, linked: bool) -> str:
    """Where a target stands; a link to its quote when the "Nguồn" section is there."""
    target = data.targets.get(target_id)
    if target is None:
        return md(target_id)
    where = f"{md(data.label(target.doc_id))}, trang {target.page}, dòng {target.line}"
    return f"[{where}](#{anchor_id('src', target_id)})" if linked else where


def _md_findings(data: ReportData, linked: bool) -> list[str]:
    lines = ["## Phát hiện theo chỉ tiêu", ""]
    grouped = conflicts_by_indicator(data.conflicts)
    if not grouped:
        lines += ["Không phát hiện mâu thuẫn nào giữa các chỉ tiêu.", ""]
    for indicator_id, conflicts in grouped.items():
        lines += [f"### {md(data.indicator_name(indicator_id))}", ""]
        targets = sorted((target for target in data.targets.values()
                          if target.indicator_id == indicator_id),
                         key=lambda target: (target.target_year or 0, target.doc_id, target.line))
        lines += _md_table(["Năm", "Văn bản", "Mức", "Dòng"],
                           [[target.target_year, data.label(target.doc_id),
                             render_threshold(target), target.line] for target in targets])
        for conflict in conflicts:
            order = order_note(data, conflict)
            lines += [
                f"- **{md(SEVERITY_LABELS[conflict.severity])}** · "
                f"{md(KIND_LABELS[conflict.kind])} · {md(STATUS_LABELS[conflict.status])}: "
                f"{md(conflict.explanation)}",
                f"  - A: {md(conflict.value_a)} — "
                f"{_md_source(data, conflict.target_id_a, linked)}",
                f"  - B: {md(conflict.value_b)} — "
                f"{_md_source(data, conflict.target_id_b, linked)}",
            ]
            lines += [f"  - {md(order)}"] if order else []
            lines += [f"  - Căn cứ sửa đổi ({md(statement_where(data, ref))}): "
                      f"“{md(ref.source_text)}”" for ref in amendment_statements(data, conflict)]
        lines.append("")
    return lines


def render_markdown(data: ReportData, full: bool = True) -> str:
    """The Markdown report; `full=False` keeps summary, changes, documents and findings (a
    Prefect artifact), leaving the task lists and quoted sources to the HTML report."""
    lines = ["# Báo cáo nhất quán chỉ tiêu", "",
             f"Lập ngày {vn_date(date.today())}; nhiệm vụ tính đến {vn_date(data.as_of)}.", "",
             "## Tổng quan", ""]
    lines += _md_table(["Loại phát hiện", "Chưa xử lý", "Đã có văn bản sửa đổi"],
                       [list(row) for row in summary_counts(data)])
    if data.changes is not None:
        lines += ["## Thay đổi so với lần kiểm tra trước", ""]
        lines += [f"- Mới: {md(conflict.explanation)}" for conflict in data.changes.new]
        lines += [f"- Đã hết: {md(conflict.explanation)}" for conflict in data.changes.resolved]
        lines += [f"- Thay đổi ({md(what_changed(before, now))}): {md(now.explanation)}"
                  for before, now in data.changes.changed]
        lines.append("")
    lines += ["## Văn bản đã nạp", ""]
    lines += _md_table(["Văn bản", "Cơ quan ban hành", "Ngày ban hành", "Ghi chú"],
                       [[data.label(document.doc_id), document.issuer or "không rõ",
                         vn_date(document.issued_on), document_note(data, document)]
                        for document in data.documents.values()])
    lines += _md_findings(data, linked=full)
    if data.yearless_targets():
        lines += [f"## {YEARLESS_HEADING}", "", *_md_table(YEARLESS_HEADERS, _yearless_rows(data))]
    if full:
        lines += _md_owners(data) + _md_sources(data)
    else:
        overdue = sum(task_status(task, data.as_of)[1] for task in data.tasks)
        lines += [f"{len(data.tasks)} nhiệm vụ, {overdue} quá hạn tính đến ngày "
                  f"{vn_date(data.as_of)}; danh sách theo cơ quan và trích dẫn nguồn: "
                  "report.html.", ""]
    return "\n".join(lines) + "\n"


def _md_owners(data: ReportData) -> list[str]:
    lines = ["## Nhiệm vụ theo cơ quan", "", f"Tính quá hạn đến ngày {vn_date(data.as_of)}.", ""]
    for agency, items in tasks_by_agency(data).items():
        lines += [f"### {md(agency)}", ""]
        lines += _md_table(["Nhiệm vụ", "Vai trò", "Văn bản", "Hạn", "Tình trạng"],
                           [[item.task.title, item.role, data.label(item.task.doc_id),
                             item.task.deadline_text or vn_date(item.task.due_date),
                             item.status] for item in items])
    return lines


def _md_sources(data: ReportData) -> list[str]:
    lines = ["## Nguồn", ""]
    for target in data.cited_targets():
        text, notes = _quote(data, target)
        lines += [f'<a id="{anchor_id("src", target.target_id)}"></a>',
                  f"**{md(data.label(target.doc_id))}**, trang {target.page}, "
                  f"dòng {target.line}:", "", f"> {md(text)}", ""]
        lines += [f"_{md(note)}_" for note in notes] + ([""] if notes else [])
    return lines


# ------------------------------------------------------------------ entry points


def write_report(warehouse: Any, out_dir: Path, as_of: date | None = None,
                 changes: CheckChanges | None = None) -> list[Path]:
    """report.html and report.md in `out_dir`; tasks are overdue as of `as_of` (today)."""
    data = load_report_data(warehouse, as_of, changes)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (("report.html", render_html(data)), ("report.md", render_markdown(data))):
        path = out_dir / name
        partial = path.with_name(name + ".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
        written.append(path)
    return written


def report_summary(warehouse: Any, changes: CheckChanges | None = None
                   ) -> tuple[str, list[dict[str, Any]]]:
    """For Prefect artifacts: the Markdown summary and one table row per finding."""
    data = load_report_data(warehouse, changes=changes)
    return render_markdown(data, full=False), conflict_rows(data)


def _change_line(marker: str, conflict: Conflict) -> str:
    return (f"  {marker}: {KIND_LABELS[conflict.kind]} · {conflict.indicator_id} · "
            f"năm {conflict.target_year or '—'} · {conflict.doc_id_a} {conflict.value_a} ↔ "
            f"{conflict.doc_id_b} {conflict.value_b}")


def _first_lines(lines: list[str]) -> list[str]:
    if len(lines) <= CHANGES_LISTED:
        return lines
    return [*lines[:CHANGES_LISTED], f"  … và {len(lines) - CHANGES_LISTED} thay đổi khác"]


def what_changed(before: Conflict, now: Conflict) -> str:
    """"≥ 70 % → ≥ 75 %; Chưa xử lý → Đã có văn bản sửa đổi": what one finding changed."""
    parts = [f"{old} → {new}" for old, new in ((before.value_a, now.value_a),
                                               (before.value_b, now.value_b)) if old != new]
    if before.status != now.status:
        parts.append(f"{STATUS_LABELS[before.status]} → {STATUS_LABELS[now.status]}")
    return "; ".join(parts)


def change_lines(changes: CheckChanges) -> list[str]:
    """How many findings are new, resolved or changed (figures or status) since the previous
    check, then up to CHANGES_LISTED of each, one line each (the report lists them all)."""
    lines = [f"Mâu thuẫn mới so với lần kiểm tra trước: {len(changes.new)}; "
             f"đã hết: {len(changes.resolved)}; thay đổi: {len(changes.changed)}"]
    lines += _first_lines([_change_line("+ mới", conflict) for conflict in changes.new])
    lines += _first_lines([_change_line("- đã hết", conflict) for conflict in changes.resolved])
    lines += _first_lines([_change_line(f"~ {what_changed(before, now)}", now)
                           for before, now in changes.changed])
    return lines


def check_text(conflicts: list[Conflict], changes: CheckChanges | None) -> str:
    """What `chitieu check` prints: every finding, then what changed since the last check."""
    lines = [f"[{SEVERITY_LABELS[conflict.severity]}] {KIND_LABELS[conflict.kind]} · "
             f"{STATUS_LABELS[conflict.status]} · {conflict.conflict_id}\n  {conflict.explanation}"
             for conflict in conflicts]
    open_count = sum(conflict.status == ConflictStatus.OPEN for conflict in conflicts)
    lines.append(f"Tổng cộng {len(conflicts)} phát hiện, {open_count} chưa xử lý.")
    if changes is not None:
        lines += change_lines(changes)
    return "\n".join(lines)
