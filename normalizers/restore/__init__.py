"""Diacritic restoration and OCR repair of Vietnamese text (noisy channel + syllable LM)."""

from normalizers.restore.detect import needs_repair
from normalizers.restore.model import PairedDocument, Restorer, load_or_build

__all__ = ["PairedDocument", "Restorer", "load_or_build", "needs_repair"]
