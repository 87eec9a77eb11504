"""Damaged PDFs: whatever a byte-level accident does to a file, reading it either works or
stops with one SourceError line naming the file (never a parser's own exception, which
would stop the other files of a run)."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import pytest

from extractors.sources import SourceError, assemble, read_page, triage
from pipeline.dev.documents import make_digital_pdf
from tests.conftest import PLANS

CASES = 60


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("damaged")
    opening = PLANS["ctr01"].read_text(encoding="utf-8").split("\n")[:60]
    (folder / "opening.txt").write_text("\n".join(opening), encoding="utf-8")
    return make_digital_pdf(folder / "opening.txt", folder / "opening.pdf").read_bytes()


def _damaged(data: bytes, case: int) -> bytes:
    """Cut short, bytes overwritten, or a stretch dropped: what transfers and disks do."""
    rng = random.Random(case)
    if case % 3 == 0:
        return data[: rng.randrange(1, len(data))]
    if case % 3 == 1:
        damaged = bytearray(data)
        for _ in range(rng.randrange(1, 20)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        return bytes(damaged)
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randrange(1, 2000):]


def test_damaged_pdfs_read_or_fail_with_one_clear_line(tmp_path: Path, small_pdf: bytes) -> None:
    refused = 0
    for case in range(CASES):
        path = tmp_path / f"damaged-{case}.pdf"
        path.write_bytes(_damaged(small_pdf, case))
        try:
            source = assemble(path, [read_page(page) for page in triage(path)])
        except SourceError as error:
            refused += 1
            assert str(error).startswith(f"{path}: ")
            assert len(str(error).splitlines()) == 1
        else:
            assert source.lines
    assert refused > CASES // 3  # the damage did reach the parsers


def test_a_source_error_crosses_process_boundaries() -> None:
    """Pages read on Dask worker processes return their errors pickled; the flow must still
    see a SourceError (one line for that file) and not an unpickling failure."""
    error = SourceError(Path("/plans/scan.pdf"), "page 2: the scanned image cannot be decoded")
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, SourceError)
    assert (copy.path, copy.reason, str(copy)) == (error.path, error.reason, str(error))


@pytest.mark.parametrize(("sentence", "damaged"), [
    ("Đến năm 2030, tỷ lệ hồ sơ trực tuyến đạt 80%; ", False),
    ("Den nam 2030, ty le ho so truc tuyen dat 80%; ", True),
])
def test_a_very_long_line_is_judged_from_its_start(sentence: str, damaged: bool) -> None:
    """A line of megabytes (a file without line breaks) is judged stripped or not from its
    first characters, as a short one is."""
    from pipeline.run.stages import is_damaged
    from schemas.records import Line

    text = sentence * 50_000
    assert is_damaged([Line(doc_id="x", page=1, line_no=1, raw_text=text, text=text)]) is damaged
