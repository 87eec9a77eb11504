"""Writes the restorer's shipped OCR pairs (normalizers/restore/data/ocr_pairs.tsv) from the
English-OCR readings in tests/data/engocr and the clean plans in raw/: the product reads the
table, never those folders. Run after changing either: python -m pipeline.dev.restore_data"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from normalizers.restore import PairedDocument
from normalizers.restore.model import PAIRS_TABLE, ocr_pair_table
from pipeline.dev.evaluate import CLEAN_PLANS, clean_plan_lines, engocr_lines


def shipped_pair_documents() -> dict[str, PairedDocument]:
    """Each clean plan with its English-OCR reading, by plan name."""
    return {name: PairedDocument(tuple(clean_plan_lines(name)), tuple(engocr_lines(name)))
            for name in CLEAN_PLANS}


def table_path() -> Path:
    return Path(str(resources.files("normalizers.restore").joinpath(PAIRS_TABLE)))


def main() -> None:
    table_path().write_text(ocr_pair_table(shipped_pair_documents()), encoding="utf-8")


if __name__ == "__main__":
    main()
