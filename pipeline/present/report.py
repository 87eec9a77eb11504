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
    FindingCard,
    ReportData,
    ReportView,
    build_report_view,
    build_tasks_view,
    change_groups,
    load_report_data,
)
from schemas.records import FindingReview

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
def _environment(markdown: bool, text: bool = False) -> Environment:
    if text:  # the terminal: plain text, nothing to escape
        return Environment(loader=PackageLoader("pipeline.present"), autoescape=False,
                           undefined=StrictUndefined, keep_trailing_newline=True)
    if markdown:
        return Environment(loader=PackageLoader("pipeline.present"), autoescape=False,
                           finalize=_md_value, undefined=StrictUndefined,
                           keep_trailing_newline=True)
    return Environment(loader=PackageLoader("pipeline.present"), autoescape=True,
                       undefined=StrictUndefined)


def _render(template: str, **values: object) -> str:
    markdown = template.endswith(".md.j2")
    return _environment(markdown, template.endswith(".txt.j2")).get_template(template).render(
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


def change_lines(changes: CheckChanges, reviews: Mapping[str, FindingReview] | None = None
                 ) -> list[str]:
    """What a terminal says of the changes since the previous check (changes.txt.j2): how
    many findings are new, resolved or changed, then up to CHANGES_LISTED of each, as the
    reports word them (the report lists them all)."""
    groups = change_groups(changes, reviews or {})
    text = _render("changes.txt.j2", groups=[(group[:CHANGES_LISTED],
                                              max(0, len(group) - CHANGES_LISTED))
                                             for group in groups],
                   counts=[len(group) for group in groups])
    return text.rstrip("\n").split("\n")


def findings_in_order(view: ReportView) -> list[FindingCard]:
    """Every finding as the reports list them: by indicator, the most pressing first."""
    return [card for section in view.indicators for card in section.cards]


def check_text(data: ReportData, changes: CheckChanges | None) -> str:
    """What `chitieu check` prints (check.txt.j2), from the reports' own view model: every
    finding with the decision that holds on it, then what changed since the last check."""
    view = build_report_view(data)
    lines = change_lines(changes, data.reviews) if changes is not None else []
    return _render("check.txt.j2", cards=findings_in_order(view),
                   change_lines=lines).rstrip("\n")
