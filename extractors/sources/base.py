"""What every source reader shares: the error type and the decoding of text bytes."""

from __future__ import annotations

import threading
from pathlib import Path

# pdfium is not thread-safe: every use of pypdfium2 in the readers holds this lock.
PDFIUM_LOCK = threading.Lock()


class SourceError(Exception):
    """A file that cannot be read as a plan; the message names the file and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        reason = " ".join(reason.split())  # one line, whatever a parser's message holds
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[SourceError], tuple[Path, str]]:
        # A page read on a Dask worker process comes back pickled, its error too.
        return SourceError, (self.path, self.reason)


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 text (a BOM is allowed), refusing binaries and other encodings with a reason."""
    if not data.strip():
        raise SourceError(path, "the file is empty")
    if b"\x00" in data:
        raise SourceError(path, "binary data, not a text file (give the PDF or image instead)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(
            path, f"not valid UTF-8 text (byte {error.start}); save it as UTF-8 and try again"
        ) from error
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    if controls > len(text) / 100:
        raise SourceError(path, "binary data, not a text file (control characters)")
    return text
