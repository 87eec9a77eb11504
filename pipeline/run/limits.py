"""The limits of one document's work (time, memory), held on whatever thread runs it.

A timer signal (SIGALRM) interrupts only the main thread; a Prefect task runner's or a Dask
worker's thread runs unbounded under it. Here a watchdog thread looks at the work every
POLL_SECONDS and, past the limit, raises an exception in the working thread
(PyThreadState_SetAsyncExc). The exception arrives at the next bytecode the thread runs:
measured on a 5 MB line of target clauses, 50 ms after the limit; a single long call into C
(a wait, a parse) is interrupted when it returns.

Memory is the growth of the process's resident set since the work began, looked at as
often: documents are worked on one at a time (their pages in parallel), so that growth is
the document's. A single call into C that allocates past the limit (a parser's tree) is
refused when it returns; the readers' own size limits keep those calls small.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from extractors.sources import SourceError
from pipeline import settings

POLL_SECONDS = 0.05
_STATM = "/proc/self/statm"
T = TypeVar("T")


class LimitExceeded(BaseException):
    """Raised in the working thread when its document outlasts a limit; no Exception, which
    an `except Exception` in the work would swallow."""


def resident_bytes() -> int | None:
    """This process's resident set; None where the system does not say (no /proc)."""
    try:
        with open(_STATM, encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None)


class _Watch:
    """One document's work on one thread: interrupted once, at most, and never after it
    ends (an exception the watchdog raised too late is withdrawn)."""

    def __init__(self, path: Path, seconds: float | None, megabytes: float) -> None:
        self.path = path
        self.seconds = seconds
        self.megabytes = megabytes
        self._baseline: int | None = None
        self.thread_id = threading.get_ident()
        # Its own class: a watch on the same thread inside another catches only its own.
        self.exception = type("DocumentLimitExceeded", (LimitExceeded,), {})
        self.reason = ""
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._fired = False
        self._started = time.monotonic()

    def start(self) -> None:
        """Inside the `try` that catches `self.exception`: the watchdog may fire before
        `start` returns."""
        self._started = time.monotonic()
        self._baseline = resident_bytes()
        threading.Thread(target=self._watch, name="chitieu-limits", daemon=True).start()

    def _breach(self) -> str | None:
        if self.seconds is not None and time.monotonic() - self._started > self.seconds:
            return (f"xử lý quá {self.seconds:g} giây (giới hạn cho một văn bản, "
                    "CHITIEU_DOCUMENT_SECONDS): tệp quá lớn hoặc có dòng quá dài — hãy tách "
                    "tệp rồi nạp lại")
        resident = resident_bytes()
        if (self._baseline is not None and resident is not None
                and resident - self._baseline > self.megabytes * 2**20):
            return (f"cần hơn {self.megabytes:g} MB bộ nhớ (giới hạn cho một văn bản, "
                    "CHITIEU_DOCUMENT_MEMORY_MB): tệp quá lớn hoặc có quá nhiều dòng — hãy "
                    "tách tệp rồi nạp lại, hoặc nâng giới hạn nếu máy đủ bộ nhớ")
        return None

    def _watch(self) -> None:
        while not self._done.wait(POLL_SECONDS):
            reason = self._breach()
            if reason is None:
                continue
            with self._lock:
                if not self._done.is_set():
                    self.reason = reason
                    self._fired = True
                    _raise_in(self.thread_id, self.exception)
            return

    def stop(self) -> None:
        with self._lock:
            self._done.set()
            if self._fired:
                _raise_in(self.thread_id, None)  # not delivered yet: withdrawn


def bounded(path: Path, work: Callable[..., T], *args: object) -> T:
    """`work(*args)` within the time and memory limits of one document, on any thread; past
    one, a SourceError (one line naming the file and the limit; the run goes on). Call it
    inside `attempt`, so that even a limit reached as the work returns is that document's
    failure."""
    return _within(_Watch(path, settings.document_seconds(), settings.document_memory_mb()),
                   work, *args)


def within_memory(path: Path, work: Callable[..., T], *args: object) -> T:
    """`work(*args)` within the memory limit of one document only: reading a page, whose
    time is Tesseract's (a process of its own, waited for)."""
    return _within(_Watch(path, None, settings.document_memory_mb()), work, *args)


def _within(watch: _Watch, work: Callable[..., T], *args: object) -> T:
    try:
        try:
            watch.start()
            return work(*args)
        finally:
            watch.stop()
    except watch.exception:
        watch.stop()
        raise SourceError(watch.path, watch.reason) from None
