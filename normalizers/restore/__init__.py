"""Diacritic restoration and OCR repair of Vietnamese text (noisy channel + syllable LM)."""

from normalizers.restore.detect import needs_repair
from normalizers.restore.model import (
    DOUBT_BELOW,
    PairedDocument,
    RestoreInputError,
    Restorer,
    doubtful,
    load_or_build,
    read_text_lines,
)

__all__ = [
    "DOUBT_BELOW",
    "PairedDocument",
    "RestoreInputError",
    "Restorer",
    "doubtful",
    "load_or_build",
    "needs_repair",
    "read_text_lines",
]
