"""Which files a run reads, and which of them the warehouse does not hold yet.

Kept free of Prefect and of the extractors so that a query or an unchanged re-run costs
milliseconds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from extractors.sources.formats import SUPPORTED_SUFFIXES
from pipeline.present.publish import all_present
from pipeline.store.warehouse import Warehouse
from schemas.errors import ChitieuError


class InputError(ChitieuError):
    """A path given on the command line that cannot be read at all."""


@dataclass(frozen=True)
class InputFile:
    path: Path
    sha256: str | None  # None: the file cannot be opened; its read stage says why


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_folder_note(path: Path) -> bool:
    """README files describe a folder of plans; they are not plans."""
    return path.stem.upper() == "README"


def _is_under(path: Path, folders: tuple[Path, ...]) -> bool:
    resolved = path.resolve()
    return any(resolved.is_relative_to(folder.resolve()) for folder in folders)


def discover(paths: list[Path], outputs: tuple[Path, ...] = ()) -> list[Path]:
    """Files named on the command line, plus the supported files inside named folders; what
    the product writes (`outputs`: the report and exports folder) is never read as input.
    Paths come back resolved: a file is the same file whether named relative to the working
    folder or absolutely, and two folders' files of one name stay two files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                child
                for child in sorted(path.rglob("*"))
                if child.is_file()
                and not _is_under(child, outputs)
                and child.suffix.lower() in SUPPORTED_SUFFIXES
                and not _is_folder_note(child)
                and not any(part.startswith(".") for part in child.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: không có tệp hay thư mục này — kiểm tra lại đường dẫn")
    return list(dict.fromkeys(path.resolve() for path in found))


def _sha256_or_none(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:  # one unreadable file of a folder fails alone, at its read stage
        return None


def hash_inputs(paths: list[Path]) -> list[InputFile]:
    return [InputFile(path=path, sha256=_sha256_or_none(path)) for path in paths]


def pending_inputs(paths: list[Path], db_path: Path, outputs: tuple[Path, ...] = ()
                   ) -> tuple[list[InputFile], int]:
    """Files under `paths` (never under `outputs`) whose exact bytes the warehouse does not
    hold yet, and how many it already holds (re-loading those is a no-op)."""
    inputs = hash_inputs(discover(paths, outputs))
    held = known_hashes(db_path)
    todo = [item for item in inputs if item.sha256 not in held]
    return todo, len(inputs) - len(todo)


def known_hashes(db_path: Path) -> set[str]:
    """The files the warehouse has decided on: loaded, or set aside for another file."""
    if not db_path.exists():
        return set()
    with Warehouse.open(db_path, read_only=True) as warehouse:
        return warehouse.known_hashes()


def loaded_hashes(db_path: Path) -> set[str]:
    if not db_path.exists():
        return set()
    with Warehouse.open(db_path, read_only=True) as warehouse:
        return warehouse.loaded_hashes()


def catalog_is_stale(db_path: Path) -> bool:
    """The indicator and agency catalogs wait for a re-linking (see Warehouse)."""
    if not db_path.exists():
        return False
    with Warehouse.open(db_path, read_only=True) as warehouse:
        return warehouse.catalog_is_stale()


def outputs_exist(out_dir: Path, db_path: Path) -> bool:
    """Whether a check published the report and the exports into `out_dir` for exactly what
    the warehouse holds now (after `chitieu ingest`, `chitieu remove`, or a run stopped
    before its outputs were all in place, they describe something else). Asked of the
    warehouse: an exported file is never read back."""
    if not db_path.exists():
        return False
    with Warehouse.open(db_path, read_only=True) as warehouse:
        record = warehouse.outputs_record(out_dir)
        current = warehouse.state_token()
    return record is not None and record[0] == current and all_present(out_dir, record[1])
