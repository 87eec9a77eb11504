"""The `chitieu` command: a thin layer over the library.

Queries and unchanged re-runs never import Prefect (its import and ephemeral server cost
seconds); only commands that run a flow load pipeline.flows.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from pipeline import settings
from pipeline.inputs import InputError, discover, hash_inputs, pending
from pipeline.warehouse import DEFAULT_DB, Warehouse, WarehouseError

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_DB,
    show_default=True,
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


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors a user can act on into one line and exit code 1, no traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (InputError, WarehouseError) as error:
            raise click.ClickException(str(error)) from error

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """chitieu: reads Vietnamese plans into checked targets, tasks and conflicts.

    Typical use: `chitieu run raw/` loads every plan in raw/, checks them against each
    other and writes the report and exports to warehouse/.
    """


def _print_failures(failures: list[str]) -> None:
    for failure in failures:
        click.echo(f"lỗi: {failure}", err=True)


def _ingest(paths: tuple[Path, ...], db_path: Path, dask_address: str | None,
            dask_workers: int | None) -> tuple[list[str], list[str]]:
    """Load what is new; returns (loaded doc_ids, failures). Starts a flow only if needed."""
    inputs = hash_inputs(discover(list(paths)))
    loaded_hashes: set[str] = set()
    if db_path.exists():
        with Warehouse.open(db_path, read_only=True) as warehouse:
            loaded_hashes = warehouse.loaded_hashes()
    todo = pending(inputs, loaded_hashes)
    unchanged = len(inputs) - len(todo)
    if unchanged:
        click.echo(f"{unchanged} tệp không đổi, bỏ qua.", err=True)
    if not todo:
        return [], []
    settings.configure_prefect(db_path.parent / ".prefect")
    from pipeline.flows import run_ingest

    summary = run_ingest(todo, db_path, dask_address, dask_workers)
    return summary.loaded, summary.failed


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@with_dask_options
@user_errors
def ingest(paths: tuple[Path, ...], db_path: Path, dask_address: str | None,
           dask_workers: int | None) -> None:
    """Load plans (files or folders) into the warehouse. Same file again: nothing happens."""
    loaded, failed = _ingest(paths, db_path, dask_address, dask_workers)
    click.echo(f"Đã nạp {len(loaded)} văn bản vào {db_path}.")
    _print_failures(failed)
    if failed:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("warehouse"), show_default=True,
              help="Where the report and the exports go.")
@db_option
@with_dask_options
@user_errors
def run(paths: tuple[Path, ...], out_dir: Path, db_path: Path, dask_address: str | None,
        dask_workers: int | None) -> None:
    """Ingest PATHS (default raw/), check them against each other, write report and exports."""
    loaded, failed = _ingest(paths or (Path("raw"),), db_path, dask_address, dask_workers)
    if loaded or not _outputs_exist(out_dir):
        settings.configure_prefect(db_path.parent / ".prefect")
        from pipeline.flows import check_flow

        check_flow(db_path, out_dir)
    _print_where(db_path, out_dir)
    _print_failures(failed)
    if failed:
        sys.exit(1)


def _outputs_exist(out_dir: Path) -> bool:
    return (out_dir / "report.html").exists() and (out_dir / "exports").is_dir()


def _print_where(db_path: Path, out_dir: Path) -> None:
    with Warehouse.open(db_path, read_only=True) as warehouse:
        documents = warehouse.documents()
        conflicts = warehouse.conflicts()
    open_count = sum(conflict.status == "open" for conflict in conflicts)
    click.echo(f"Văn bản: {len(documents)}; mâu thuẫn: {len(conflicts)} ({open_count} chưa xử lý)")
    click.echo(f"Kho dữ liệu: {db_path}")
    click.echo(f"Báo cáo:     {out_dir / 'report.html'} (và report.md)")
    click.echo(f"Xuất dữ liệu: {out_dir / 'exports'}/")


@main.command()
@db_option
@user_errors
def docs(db_path: Path) -> None:
    """List the loaded documents."""
    with Warehouse.open(db_path, read_only=True) as warehouse:
        frame = warehouse.frame("documents")
    if frame.empty:
        click.echo("Chưa có văn bản nào. Nạp bằng `chitieu ingest PATH`.")
        return
    shown = frame[["doc_id", "number", "kind", "issuer", "issued_on", "text_source"]]
    click.echo(shown.fillna("—").to_string(index=False))


@main.group(name="eval")
def evaluate() -> None:
    """Measure the product against the answer keys in tests/data/."""


@main.group()
def bench() -> None:
    """Benchmarks that print figures (speed, memory)."""
