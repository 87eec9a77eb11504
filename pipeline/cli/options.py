"""What the commands share: the warehouse, Dask and output-format options, dates as officials
write them, listings printed one way, short cells."""


from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import click

from pipeline.cli.console import remember_db_path
from pipeline.present.table import FORMATS, Column, Row, render
from pipeline.store.warehouse import DEFAULT_DB, Warehouse, WarehouseError

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_DB,
    show_default=True,
    callback=remember_db_path,
    metavar="TỆP",
    help="Tệp kho dữ liệu DuckDB.",
)


dask_options = [
    click.option("--dask-address", default=None, metavar="MÁY:CỔNG",
                 help="Chạy OCR các trang và trích xuất trên một bộ điều phối Dask có sẵn."),
    click.option("--dask-workers", type=int, default=None, metavar="N",
                 help="Khởi động một cụm Dask tại chỗ với N tiến trình."),
]


def with_dask_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(dask_options):
        command = option(command)
    return command


out_option = click.option(
    "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
    default=Path("warehouse"), show_default=True, metavar="THƯ_MỤC",
    help="Nơi ghi báo cáo và các tệp xuất.")

format_option = click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True,
    help="bảng (vừa khung cửa sổ), csv hoặc json (cho chương trình khác, đủ mọi cột).")


def print_listing(rows: Sequence[Row], columns: Sequence[Column], output_format: str,
                  count_line: str, empty_line: str) -> None:
    """A listing in the chosen format; in a table, a line says how many rows or that none
    matched (CSV and JSON stay exactly data)."""
    if output_format != "table":
        click.echo(render(rows, columns, output_format))
    elif rows:
        click.echo(render(rows, columns, output_format))
        click.echo(count_line, err=True)
    else:
        click.echo(empty_line)


class DateParam(click.ParamType):
    """A day as officials write it (30/06/2026, 30/6/2026) or ISO (2026-06-30)."""

    name = "ngày"
    DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None
                ) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        try:
            if found := self.DAY_MONTH_YEAR.fullmatch(text):
                day, month, year = map(int, found.groups())
                return date(year, month, day)
            return date.fromisoformat(text)
        except ValueError:
            self.fail(f"«{text}» không phải một ngày; viết dd/mm/yyyy (30/06/2026) hoặc "
                      "yyyy-mm-dd (2026-06-30)", param, ctx)


def require_warehouse(db_path: Path) -> None:
    if not db_path.exists():
        raise WarehouseError(f"{db_path}: chưa có kho dữ liệu; hãy nạp văn bản trước bằng "
                             "`chitieu ingest PATH` hoặc `chitieu run`")



def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def warehouse_corpus(db_path: Path) -> list[list[str]]:
    """The warehouse's documents restoration learns from (clean and confirmed ones)."""
    if db_path.exists():
        with Warehouse.open(db_path, read_only=True) as warehouse:
            corpus = warehouse.corpus_documents()
        if corpus:
            return corpus
    raise WarehouseError(
        f"Chưa có văn bản sạch nào trong {db_path} để học. Nạp các kế hoạch trước "
        "(`chitieu ingest raw/`) hoặc chỉ ra tệp văn bản sạch bằng --corpus TỆP."
    )
