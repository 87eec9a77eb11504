"""What every source reader shares: the Reader protocol, the error type and the decoding of
text bytes."""

from __future__ import annotations

import codecs
import threading
from pathlib import Path
from typing import Protocol

from schemas.errors import ChitieuError
from schemas.records import PageContext, PageResult

GIVE_PDF = "hãy đưa bản PDF hoặc ảnh quét"
ASK_SENDER = "lấy lại tệp từ người gửi"
BOMB = "có thể là «bom giải nén»"
# pdfium is not thread-safe: every use of pypdfium2 in the readers holds this lock.
PDFIUM_LOCK = threading.Lock()


class Reader(Protocol):
    """A reader module: how it plans a file's pages and how it reads one page."""

    def triage(self, path: Path) -> list[PageContext]: ...
    def read_page(self, context: PageContext) -> PageResult: ...


class SourceError(ChitieuError):
    """A file that cannot be read as a plan; the message names the file and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        reason = " ".join(reason.split())  # one line, whatever a parser's message holds
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[SourceError], tuple[Path, str]]:
        # A page read on a Dask worker process comes back pickled, its error too.
        return SourceError, (self.path, self.reason)


def _encoding(data: bytes) -> str:
    """UTF-8 (with or without a BOM), or UTF-16 when its BOM says so: Windows Notepad's
    "Unicode" is UTF-16."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 or UTF-16 text, refusing binaries and other encodings with a reason."""
    if not data.strip():
        raise SourceError(path, "tệp rỗng, không có nội dung — lấy lại tệp từ người gửi")
    encoding = _encoding(data)
    if encoding != "utf-16" and b"\x00" in data:
        raise SourceError(path, f"dữ liệu nhị phân, không phải tệp văn bản — {GIVE_PDF}")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise SourceError(
            path, f"không phải văn bản {encoding.upper().removesuffix('-SIG')} hợp lệ (byte "
                  f"{error.start}) — lưu lại dưới dạng UTF-8 rồi nạp lại"
        ) from error
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    if controls > len(text) / 100:
        raise SourceError(path, "dữ liệu nhị phân, không phải tệp văn bản (có ký tự điều "
                                f"khiển) — {GIVE_PDF}")
    return text
