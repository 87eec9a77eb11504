"""The limits of one document's work, held on whatever thread runs it.

A timer signal (SIGALRM) interrupts only the main thread; a Prefect task runner's or a Dask
worker's thread runs unbounded under it. Here a watchdog thread looks at the work every
POLL_SECONDS and, past the limit, raises an exception in the working thread
(PyThreadState_SetAsyncExc). The exception arrives at the next bytecode the thread runs:
measured on a 5 MB line of target clauses, 50 ms after the limit; a single long call into C
(a wait, a parse) is interrupted when it returns.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from extractors.sources import SourceError
from pipeline import settings

POLL_SECONDS = 0.05
T = TypeVar("T")


class LimitExceeded(BaseException):
    """Raised in the working thread when its document outlasts a limit; no Exception, which
    an `except Exception` in the work would swallow."""


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exception) if exception else None)


class _Watch:
    """One document's work on one thread: interrupted once, at most, and never after it
    ends (an exception the watchdog raised too late is withdrawn)."""

    def __init__(self, path: Path, seconds: float) -> None:
        self.path = path
        self.seconds = seconds
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
        threading.Thread(target=self._watch, name="chitieu-limits", daemon=True).start()

    def _breach(self) -> str | None:
        if time.monotonic() - self._started > self.seconds:
            return (f"xử lý quá {self.seconds:g} giây (giới hạn cho một văn bản, "
                    "CHITIEU_DOCUMENT_SECONDS): tệp quá lớn hoặc có dòng quá dài — hãy tách "
                    "tệp rồi nạp lại")
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
    """`work(*args)` within the limits of one document, on any thread; past one, a
    SourceError (one line naming the file and the limit; the run goes on). Call it inside
    `attempt`, so that even a limit reached as the work returns is that document's failure."""
    watch = _Watch(path, settings.document_seconds())
    try:
        try:
            watch.start()
            return work(*args)
        finally:
            watch.stop()
    except watch.exception:
        watch.stop()
        raise SourceError(path, watch.reason) from None
