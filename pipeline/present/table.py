"""Every listing a command prints, one way: a table that fits the terminal's width, or CSV or
JSON for another program (`--format table|csv|json`).

The table shows Vietnamese headings and wraps free text inside its column; CSV and JSON
use the export contract's column names and full values (CSV with the formula guard on the
free-text columns, as the exports do).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from pipeline.present.export import guard_formula

FORMATS = ("table", "csv", "json")
FALLBACK_WIDTH = 100  # not a terminal (a pipe, a test): a common window's width
MISSING = "—"


@dataclass(frozen=True)
class Column:
    key: str  # the field's name in CSV and JSON
    heading: str  # what the table shows
    free_text: bool = False  # wraps in the table; formula-guarded in CSV
    min_width: int | None = None
    max_width: int | None = None  # a long id folds over lines within it
    in_table: bool = True  # long ids stay in CSV and JSON, out of the narrow table
    in_data: bool = True  # False: a cell made for reading ("doc:line"), its parts are data


Row = dict[str, Any]


def terminal_width() -> int:
    return shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns


def _cell(value: Any) -> str:
    if value is None or value == "":
        return MISSING
    if isinstance(value, list | tuple):
        return "; ".join(map(str, value)) or MISSING
    return str(value)


def as_table(rows: Sequence[Row], columns: Sequence[Column], width: int | None = None) -> str:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False)
    columns = [column for column in columns if column.in_table]
    for column in columns:
        folds = column.free_text or column.max_width is not None
        table.add_column(column.heading, overflow="fold" if folds else "ellipsis",
                         no_wrap=not folds, min_width=column.min_width,
                         max_width=column.max_width, ratio=1 if column.free_text else None)
    for row in rows:
        table.add_row(*(_cell(row.get(column.key)) for column in columns))
    console = Console(file=io.StringIO(), width=width or terminal_width(), color_system=None,
                      highlight=False, emoji=False, markup=False)
    console.print(table)
    return "\n".join(line.rstrip() for line in console.file.getvalue().splitlines())


def wrapped(text: str, width: int | None = None) -> str:
    """Prose lines folded at the terminal's width, a continued line indented like its first."""
    width = width or terminal_width()
    out = []
    for line in text.splitlines():
        indent = " " * (len(line) - len(line.lstrip()))
        out.append(textwrap.fill(line, width, subsequent_indent=indent or "  ",
                                 break_long_words=False, break_on_hyphens=False) or line)
    return "\n".join(out)


def _csv_value(value: Any, free_text: bool) -> str:
    if value is None:
        return ""
    text = "; ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    return guard_formula(text) if free_text else text


def as_csv(rows: Sequence[Row], columns: Sequence[Column]) -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    columns = [column for column in columns if column.in_data]
    writer.writerow(column.key for column in columns)
    writer.writerows([_csv_value(row.get(column.key), column.free_text) for column in columns]
                     for row in rows)
    return stream.getvalue().rstrip("\n")


def as_json(rows: Sequence[Row], columns: Sequence[Column]) -> str:
    records = [{column.key: row.get(column.key) for column in columns if column.in_data}
               for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=1, default=str)


def render(rows: Sequence[Row], columns: Sequence[Column], output_format: str,
           width: int | None = None) -> str:
    """`rows` in `output_format`; CSV and JSON hold every column, the table too."""
    if output_format == "csv":
        return as_csv(rows, columns)
    if output_format == "json":
        return as_json(rows, columns)
    return as_table(rows, columns, width)
