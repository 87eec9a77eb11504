"""Outputs complete or not at all: the report and every export are written into a folder
`tempfile.mkdtemp` makes inside the outputs folder (a fresh name no one can predict, mode
0700, so nothing planted there is followed), then moved into place. Each move is a rename
within one file system: a rename replaces a planted symlink, it never writes through one.

A kill between two renames can leave old and new files side by side; the warehouse records
which outputs match its state only after the last rename, so a later run sees the set as
stale and writes it again (never reading an exported file back).
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

STAGING_PREFIX = ".chitieu-"  # then the writing process's id, a dash, mkdtemp's random part


def write_file(path: Path, write: Callable[[Any], object], encoding: str | None = None,
                newline: str | None = None) -> None:
    """Write to a fresh file beside `path` (O_EXCL, an unpredictable name, the usual
    permissions) and rename it over `path`, so a reader never sees half a file and a planted
    name is never followed."""
    partial = path.with_name(f".{path.name}.{secrets.token_hex(8)}.partial")
    handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    try:
        with os.fdopen(handle, "w" if encoding else "wb", encoding=encoding,
                       newline=newline) as stream:
            write(stream)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _usual_permissions(staging: Path) -> None:
    """mkdtemp makes folders only their owner may enter; what is published is as readable
    as any file this process makes."""
    mask = os.umask(0)
    os.umask(mask)
    for folder in (path for path in staging.rglob("*") if path.is_dir()):
        folder.chmod(0o777 & ~mask)


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _remove_stale_staging(out_dir: Path) -> None:
    """Staging folders of killed runs: their process is gone."""
    for leftover in out_dir.glob(f"{STAGING_PREFIX}*"):
        pid = leftover.name.removeprefix(STAGING_PREFIX).split("-")[0]
        if (leftover.is_dir() and not leftover.is_symlink() and pid.isdigit()
                and not _is_alive(int(pid))):
            shutil.rmtree(leftover, ignore_errors=True)


def _move_into_place(staging: Path, out_dir: Path) -> None:
    """The staged files and folder renamed over the published ones."""
    for name in sorted(path.name for path in staging.iterdir()):
        target = out_dir / name
        if (staging / name).is_dir():
            if target.is_dir() and not target.is_symlink():
                target.rename(staging / f"{name}.old")  # dropped with the staging folder
            elif target.is_symlink():
                target.unlink()
            (staging / name).rename(target)
        else:
            os.replace(staging / name, target)


def publish(out_dir: Path, write: Callable[[Path], object]) -> list[str]:
    """`write(folder)` fills a private staging folder; its contents then replace those of
    `out_dir` (files renamed one by one, the exports folder as a whole). Returns the files
    published, relative to `out_dir`. Nothing is published when `write` fails."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out_dir))
    try:
        write(staging)
        _usual_permissions(staging)
        files = sorted(str(path.relative_to(staging)) for path in staging.rglob("*")
                       if path.is_file())
        _move_into_place(staging, out_dir)
        return files
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def all_present(out_dir: Path, files: list[str]) -> bool:
    return bool(files) and all((out_dir / name).is_file() for name in files)
