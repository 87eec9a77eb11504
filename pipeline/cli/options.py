"""What the commands share: the warehouse and Dask options, short cells."""


from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from pipeline.cli.console import remember_db_path
from pipeline.store.warehouse import DEFAULT_DB, Warehouse, WarehouseError

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_DB,
    show_default=True,
    callback=remember_db_path,
    help="The DuckDB warehouse file.",
)


dask_options = [
    click.option("--dask-address", default=None, metavar="HOST:PORT",
                 help="Run page OCR and extraction on an existing Dask scheduler."),
    click.option("--dask-workers", type=int, default=None, metavar="N",
                 help="Start a local Dask cluster with N worker processes."),
]


def with_dask_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(dask_options):
        command = option(command)
    return command


out_option = click.option(
    "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
    default=Path("warehouse"), show_default=True, help="Where the report and the exports go.")


def require_warehouse(db_path: Path) -> None:
    if not db_path.exists():
        raise WarehouseError(f"{db_path}: chưa có kho dữ liệu; hãy nạp văn bản trước bằng "
                             "`chitieu ingest PATH` hoặc `chitieu run`")


TARGET_TEXT_WIDTH = 60


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def warehouse_corpus(db_path: Path) -> list[str]:
    if db_path.exists():
        with Warehouse.open(db_path, read_only=True) as warehouse:
            corpus = warehouse.clean_corpus()
        if corpus:
            return corpus
    raise WarehouseError(
        f"Chưa có văn bản sạch nào trong {db_path} để học. Nạp các kế hoạch trước "
        "(`chitieu ingest raw/`) hoặc chỉ ra tệp văn bản sạch bằng --corpus TỆP."
    )
