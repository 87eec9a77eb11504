"""What reaches the terminal besides a command's own output: progress and diagnostics through
`logging` (shown on stderr, `-v` more, `-q` less), and one line per failure.

A ChitieuError is its own line and exit status. Anything else is a fault in chitieu: one line
says so and where the log file with the traceback is; the traceback never reaches the
terminal (with `-v` it does too).
"""

from __future__ import annotations

import atexit
import errno
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from pipeline.cli.wording import speak_vietnamese
from schemas.errors import ChitieuError, ExitCode, OutputError, os_reason

LOGGER_NAME = "chitieu"
LOG_NAME = "chitieu.log"
DB_PATH_KEY = "chitieu.db_path"
STDERR_FD = 2
OPTIONS_METAVAR = "[TÙY_CHỌN]"


class _EchoHandler(logging.Handler):
    """Writes through click, so the stream is looked up when a line is written (a test's
    CliRunner swaps it) and the encoding is click's."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


class _MessageOnly(logging.Formatter):
    """A record's message without its traceback: that goes to the log file."""

    def format(self, record: logging.LogRecord) -> str:
        return record.getMessage()


def configure_logging(verbosity: int) -> None:
    """verbosity: -1 quiet (warnings and errors only), 0 progress, 1 debug details too."""
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        if isinstance(handler, _EchoHandler):
            logger.removeHandler(handler)
    handler = _EchoHandler()
    handler.setFormatter(logging.Formatter("%(message)s") if verbosity > 0 else _MessageOnly())
    logger.addHandler(handler)
    logger.setLevel({-1: logging.WARNING, 0: logging.INFO}.get(verbosity, logging.DEBUG))
    logger.propagate = False  # Prefect gives the root logger a console handler of its own


class Failure(click.ClickException):
    """A failure as click shows it: one line, in Vietnamese, with its exit status."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = int(exit_code)

    def show(self, file: object = None) -> None:
        click.echo(f"lỗi: {self.format_message()}", err=True)


def log_candidates(db_path: Path | None) -> list[Path]:
    """Beside the warehouse (where the user already looks), else the user's state folder,
    else the temporary folder."""
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    candidates = [state / "chitieu" / LOG_NAME, Path(tempfile.gettempdir()) / LOG_NAME]
    if db_path is not None:
        candidates.insert(0, db_path.parent / LOG_NAME)
    return candidates


def write_log(text: str, db_path: Path | None) -> Path | None:
    """Append `text` to the first log file that can be written; None when none can."""
    for path in log_candidates(db_path):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as stream:
                stream.write(text)
        except OSError:
            continue
        return path
    return None


def divert_exit_noise(db_path: Path | None) -> None:
    """After a failure, what the interpreter prints while it shuts down goes to the log file.

    A failed flow's task states keep their exception, whose frames keep DuckDB's module
    alive past its bindings' exit check: a page of "nanobind: leaked instances" that says
    nothing to a user (the same with pyarrow or spaCy objects). Only when stderr is the
    process's own (not a test runner's capture)."""
    try:
        if sys.stderr.fileno() != STDERR_FD:
            return
    except (AttributeError, OSError, ValueError):
        return
    log_path = write_log("", db_path)
    if log_path is None:
        return

    def divert() -> None:
        sys.stderr.flush()
        log_fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.dup2(log_fd, STDERR_FD)

    atexit.register(divert)


def internal_failure(error: BaseException, command: str, db_path: Path | None) -> Failure:
    """Log the traceback; the one line says what happened and where the details are."""
    details = "".join(traceback.format_exception(error))
    when = datetime.now().isoformat(timespec="seconds")
    header = f"--- {when} chitieu {' '.join(sys.argv[1:])}\n"
    path = write_log(header + details, db_path)
    logging.getLogger(LOGGER_NAME).debug(details)
    where = f"chi tiết đã ghi vào {path}" if path else "không ghi được tệp nhật ký"
    return Failure(f"chitieu gặp lỗi nội bộ khi chạy lệnh {command} ({type(error).__name__}); "
                   f"{where} — hãy gửi tệp đó cho người hỗ trợ", ExitCode.INTERNAL)


def as_failure(error: Exception, ctx: click.Context) -> Failure:
    db_path = ctx.meta.get(DB_PATH_KEY)
    if isinstance(error, ChitieuError):
        failure = Failure(str(error), error.exit_code)
    else:
        command = ctx.invoked_subcommand or ctx.info_name or "chitieu"
        failure = internal_failure(error, command, db_path)
    divert_exit_noise(db_path)
    return failure


class ChitieuCommand(click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)


class ChitieuGroup(click.Group):
    """The one place a command's failure becomes its line and exit status; click's own words
    in Vietnamese."""

    command_class = ChitieuCommand
    group_class = type  # subgroups (eval, bench) are ChitieuGroups too

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", "LỆNH [ĐỐI_SỐ]...")
        super().__init__(*args, **kwargs)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """A command made elsewhere with click's own class says its options the same way."""
        if cmd.options_metavar == "[OPTIONS]":
            cmd.options_metavar = OPTIONS_METAVAR
        super().add_command(cmd, name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        speak_vietnamese()
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            raise as_failure(error, ctx) from error


def remember_db_path(ctx: click.Context, _param: click.Parameter, value: Path) -> Path:
    """The warehouse a command works on: its folder holds the log file."""
    ctx.meta[DB_PATH_KEY] = value
    return value


def report_failures(failures: Iterable[object]) -> None:
    """One line per file that could not be read or loaded, whatever the verbosity."""
    for failure in failures:
        click.echo(f"lỗi: {failure}", err=True)


OUTPUT_REMEDIES: dict[int, str] = {
    errno.ENOSPC: "giải phóng chỗ trống trên đĩa rồi chạy lại",
    errno.EDQUOT: "giải phóng chỗ trống trên đĩa rồi chạy lại",
    errno.ENOTDIR: "đổi tên hoặc chuyển tệp đó đi, hoặc chọn thư mục khác bằng --out",
    errno.EEXIST: "đổi tên hoặc chuyển tệp đó đi, hoặc chọn thư mục khác bằng --out",
}


@contextmanager
def writing_outputs(out_dir: Path) -> Iterator[None]:
    """The report and the exports are the only files a command writes outside the warehouse
    (whose own errors are WarehouseErrors, and a document's read errors its own failure): an
    operating-system error meanwhile is one line about the outputs folder."""
    try:
        yield
    except OSError as error:
        where = error.filename or out_dir
        remedy = OUTPUT_REMEDIES.get(error.errno or 0,
                                     "chọn thư mục khác bằng --out, hoặc cấp quyền ghi vào đó")
        raise OutputError(f"{where}: không ghi được báo cáo và tệp xuất ({os_reason(error)}) — "
                          f"{remedy} (những gì đã nạp vẫn ở trong kho)") from error
