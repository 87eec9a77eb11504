"""Where things live and how Prefect is configured, in one place."""

from __future__ import annotations

import os
from pathlib import Path


def configure_prefect(home: Path | None = None, console_logs: bool = True) -> None:
    """Offline, quiet, ephemeral Prefect. Must run before `import prefect`.

    Without `console_logs` Prefect prints nothing on the terminal (not even a failed task's
    traceback): chitieu says what failed in one line of its own."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    if not console_logs:
        for handler in ("CONSOLE", "DEBUG"):
            os.environ.setdefault(f"PREFECT_LOGGING_HANDLERS_{handler}_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    if home is not None and "PREFECT_HOME" not in os.environ:
        # Prefect makes its home without parents; in a folder that does not exist yet (a first
        # `--db new/dir/chitieu.duckdb`) its server would wait two minutes for a database.
        home.mkdir(parents=True, exist_ok=True)
        os.environ["PREFECT_HOME"] = str(home)


def page_workers() -> int:
    """Pages read at once on this machine: one per core and one more. A page spends part of
    its time in Python (decoding, straightening) or starting Tesseract; the extra page keeps
    every core on OCR meanwhile (measured on 2 cores, 8 pages: 0.89-0.90 of the ideal with 2
    at once, 0.94-0.96 with 3, 0.93-0.94 with 4)."""
    return (os.cpu_count() or 1) + 1


DOCUMENT_SECONDS = 600  # measured: a 1 MB line of target clauses takes 17 s on 2 busy cores


def document_seconds() -> float:
    """How long extracting (or restoring) one document may take before it is refused and the
    run goes on with the others; CHITIEU_DOCUMENT_SECONDS overrides it."""
    return float(os.environ.get("CHITIEU_DOCUMENT_SECONDS", DOCUMENT_SECONDS))


DOCUMENT_MEMORY_MB = 2048  # measured: 2 MB of short target lines take 220 MB to extract


def document_memory_mb() -> float:
    """How much memory reading, normalising, extracting (or restoring) one document may add
    to the process before it is refused and the run goes on with the others;
    CHITIEU_DOCUMENT_MEMORY_MB overrides it."""
    return float(os.environ.get("CHITIEU_DOCUMENT_MEMORY_MB", DOCUMENT_MEMORY_MB))


def model_cache_dir() -> Path:
    """Built models (the restorer) in the user's cache, each named by the digest of the corpus
    it was built from: a new warehouse of the same plans finds its model there instead of
    building it again (5 s of CPU)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "chitieu" / "models"


def indicator_overrides_path() -> Path | None:
    """The reviewer's file of pinned or split indicator links, when the repo has one."""
    path = Path(__file__).resolve().parent / "link" / "indicator_overrides.csv"
    return path if path.exists() else None
