"""The consistency report people read: one self-contained HTML file and its Markdown twin,
both rendered by templates (pipeline/present/templates/) from one view model (view.py).

Vietnamese throughout. No external assets and no script: inline CSS, inline SVG charts, and a
Content-Security-Policy that forbids scripts, so even a slip in escaping cannot run code.
Everything that comes from a document is escaped: the HTML environment autoescapes, the
Markdown one passes every value through `md` (entities and backslashes; Prefect's UI renders
Markdown).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from pipeline.check.consistency import CheckChanges
from pipeline.check.rules import KIND_LABELS
from pipeline.present.chart import FINDING_COLOUR
from pipeline.present.publish import write_file
from pipeline.present.view import (
    SEVERITY_LABELS,
    STATUS_LABELS,
    ReportData,
    build_report_view,
    build_tasks_view,
    load_report_data,
    review_text,
    what_changed,
)
from schemas.records import Conflict, ConflictStatus, FindingReview

# No script, no fetch, no frame, no form, no base: only the inline styles and SVG the file holds.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
       "form-action 'none'")
CHANGES_LISTED = 10  # of each kind of change, printed one per line in a terminal

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MARKDOWN_LINE_START = re.compile(r"^([#>+-]|\d+\.)")


def md(text: object) -> str:
    """Document text made inert in Markdown: entities for HTML, backslashes for markup."""
    escaped = escape(" ".join(str(text).split()), quote=False)
    return _MARKDOWN_LINE_START.sub(r"\\\1", _MARKDOWN_SPECIAL.sub(r"\\\1", escaped))


def _md_value(value: object) -> object:
    """What a Markdown template prints: our own fragments (marked safe) as they are, any
    other value made inert."""
    return value if isinstance(value, Markup) else md(value)


@cache
def _environment(markdown: bool) -> Environment:
    if markdown:
        return Environment(loader=PackageLoader("pipeline.present"), autoescape=False,
                           finalize=_md_value, undefined=StrictUndefined,
                           keep_trailing_newline=True)
    return Environment(loader=PackageLoader("pipeline.present"), autoescape=True,
                       undefined=StrictUndefined)


def _render(template: str, **values: object) -> str:
    markdown = template.endswith(".md.j2")
    return _environment(markdown).get_template(template).render(
        csp=Markup(CSP), finding_colour=FINDING_COLOUR, **values)


def render_html(data: ReportData) -> str:
    return _render("report.html.j2", view=build_report_view(data)) + "\n"


def render_markdown(data: ReportData, full: bool = True) -> str:
    """The Markdown report; `full=False` leaves out the quoted lines and what would settle
    each finding (a Prefect artifact: a summary)."""
    return _render("report.md.j2", view=build_report_view(data), full=full)


def render_outputs(data: ReportData) -> dict[str, str]:
    """Every file of the report by name: the findings, and the tasks in their own files."""
    tasks = build_tasks_view(data)
    return {"report.html": render_html(data), "report.md": render_markdown(data),
            "tasks.html": _render("tasks.html.j2", view=tasks) + "\n",
            "tasks.md": _render("tasks.md.j2", view=tasks)}


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


# ------------------------------------------------------------------ entry points


def write_report(warehouse: Any, out_dir: Path, as_of: date | None = None,
                 changes: CheckChanges | None = None) -> list[Path]:
    """report.html, report.md, tasks.html and tasks.md in `out_dir`; deadlines as of `as_of`
    (today)."""
    data = load_report_data(warehouse, as_of, changes)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_outputs(data).items():
        path = out_dir / name
        write_file(path, lambda stream, text=text: stream.write(text), encoding="utf-8")
        written.append(path)
    return written


def report_summary(warehouse: Any, changes: CheckChanges | None = None
                   ) -> tuple[str, list[dict[str, Any]]]:
    """For Prefect artifacts: the Markdown summary and one table row per finding."""
    data = load_report_data(warehouse, changes=changes)
    return render_markdown(data, full=False), conflict_rows(data)


def _change_line(marker: str, conflict: Conflict,
                 reviews: Mapping[str, FindingReview]) -> str:
    line = (f"  {marker}: {KIND_LABELS[conflict.kind]} · {conflict.indicator_id} · "
            f"năm {conflict.target_year or '—'} · {conflict.doc_id_a} {conflict.value_a} ↔ "
            f"{conflict.doc_id_b} {conflict.value_b}")
    if review := reviews.get(conflict.conflict_id):
        line += f"\n    quyết định trước đó: {review_text(review)} — cần xem lại"
    return line


def _first_lines(lines: list[str]) -> list[str]:
    if len(lines) <= CHANGES_LISTED:
        return lines
    return [*lines[:CHANGES_LISTED], f"  … và {len(lines) - CHANGES_LISTED} thay đổi khác"]


def change_lines(changes: CheckChanges, reviews: Mapping[str, FindingReview] | None = None
                 ) -> list[str]:
    """How many findings are new, resolved or changed (figures or status) since the previous
    check, then up to CHANGES_LISTED of each, one line each (the report lists them all); a
    resolved or changed finding someone had decided on says so, to be looked at again."""
    reviews = reviews or {}
    lines = [f"Mâu thuẫn mới so với lần kiểm tra trước: {len(changes.new)}; "
             f"đã hết: {len(changes.resolved)}; thay đổi: {len(changes.changed)}"]
    lines += _first_lines([_change_line("+ mới", conflict, reviews)
                           for conflict in changes.new])
    lines += _first_lines([_change_line("- đã hết", conflict, reviews)
                           for conflict in changes.resolved])
    lines += _first_lines([_change_line(f"~ {what_changed(before, now)}", now, reviews)
                           for before, now in changes.changed])
    return lines


def check_text(conflicts: list[Conflict], changes: CheckChanges | None,
               reviews: Mapping[str, FindingReview] | None = None) -> str:
    """What `chitieu check` prints: every finding with the decision that holds on it, then
    what changed since the last check."""
    reviews = reviews or {}
    lines = []
    for conflict in conflicts:
        review = reviews.get(conflict.conflict_id)
        lines.append(f"[{SEVERITY_LABELS[conflict.severity]}] {KIND_LABELS[conflict.kind]} · "
                     f"{STATUS_LABELS[conflict.status]} · {conflict.conflict_id}\n  "
                     f"{conflict.explanation}"
                     + (f"\n  quyết định: {review_text(review)}" if review else ""))
    open_count = sum(conflict.status == ConflictStatus.OPEN for conflict in conflicts)
    decided = sum(conflict.conflict_id in reviews for conflict in conflicts)
    lines.append(f"Tổng cộng {len(conflicts)} phát hiện, {open_count} chưa xử lý, "
                 f"{decided} đã có quyết định.")
    if changes is not None:
        lines += change_lines(changes, reviews)
    return "\n".join(lines)
