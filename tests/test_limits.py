"""The limits of one document's work hold on any thread (pipeline/run/limits.py): a Prefect
task runner's or a Dask worker's thread, where a timer signal never arrives."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from extractors.sources import SourceError, read_source
from pipeline.run import limits
from pipeline.run.stages import (
    DocumentFailure,
    Stage,
    attempt,
    checked_lines,
    extract,
    read_and_extract,
)
from schemas.records import ExtractedDocument

T = TypeVar("T")
CLAUSE = "tỷ lệ hồ sơ trực tuyến cấp xã đạt 95% vào năm 2030; "
SMALL_PLAN = "\n".join([
    "ỦY BAN NHÂN DÂN TỈNH BÌNH AN", "Số: 12/KH-UBND", "Bình An, ngày 5 tháng 1 năm 2026",
    "KẾ HOẠCH", "Chuyển đổi số năm 2026", "I. MỤC TIÊU",
    "- Tỷ lệ hồ sơ được xử lý trực tuyến đạt trên 80% vào năm 2026."]) + "\n"


@pytest.fixture
def small_plan(tmp_path: Path) -> Path:
    """A plan extracted in well under a second, once extraction has warmed up."""
    path = tmp_path / "tot.txt"
    path.write_text(SMALL_PLAN, encoding="utf-8")
    assert read_and_extract([path], [], tmp_path / "models")[1] == []
    return path


def _extracted_in_a_thread(paths: list[Path]
                           ) -> tuple[list[ExtractedDocument], list[DocumentFailure], float]:
    """Each file read here, then extracted on a thread that is not the main one."""
    failures: list[DocumentFailure] = []
    read = [(source, checked_lines(path, source, failures))
            for path in paths if (source := read_source(path))]
    extracted: list[ExtractedDocument] = []
    took: list[float] = []

    def work() -> None:
        started = time.monotonic()
        for source, lines in read:
            found = attempt(source.source_path, Stage.EXTRACT, failures, extract, source, lines)
            if found is not None:
                extracted.append(found)
        took.append(time.monotonic() - started)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=300)
    assert not worker.is_alive(), "the limit did not stop the work"
    return extracted, failures, took[0]


def test_a_document_over_the_time_limit_is_refused_on_a_worker_thread(
        tmp_path: Path, small_plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The known case: one 5 MB line of target clauses (minutes of extraction), beside a plan
    that loads."""
    long_line = tmp_path / "dong-dai.txt"
    long_line.write_text("KẾ HOẠCH\nChuyển đổi số\nI. MỤC TIÊU\n- "
                         + CLAUSE * (5 * 2**20 // len(CLAUSE)) + "\n", encoding="utf-8")
    monkeypatch.setenv("CHITIEU_DOCUMENT_SECONDS", "2")
    extracted, failures, seconds = _extracted_in_a_thread([long_line, small_plan])
    assert [found.document.number for found in extracted] == ["12/KH-UBND"]
    (failure,) = failures
    line = failure.line()
    assert "\n" not in line and not failure.internal
    assert line.startswith(f"{long_line}: trích xuất: xử lý quá 2 giây")
    assert "hãy tách tệp" in line
    assert seconds < 10, seconds


def test_a_limit_reached_as_the_work_returns_never_reaches_later_code(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The watchdog may decide as the work ends: its exception is withdrawn, or caught as
    the document's refusal, never raised in what the thread does next."""
    monkeypatch.setattr(limits, "POLL_SECONDS", 0.001)
    monkeypatch.setenv("CHITIEU_DOCUMENT_SECONDS", "0.01")
    outcomes = []
    for _ in range(200):
        try:
            limits.bounded(Path("a.txt"), time.sleep, 0.01)
            outcomes.append("done")
        except SourceError as error:
            assert "quá 0.01 giây" in error.reason
            outcomes.append("refused")
        sum(range(200_000))  # bytecode in which a stray exception would arrive
        time.sleep(0.005)
    assert set(outcomes) <= {"done", "refused"}


def test_work_within_the_limits_returns_its_result_on_any_thread(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHITIEU_DOCUMENT_SECONDS", "5")
    results: list[int] = []
    worker = threading.Thread(target=lambda: results.append(limits.bounded(Path("a"), len, "abc")))
    worker.start()
    worker.join()
    assert results == [3] and limits.bounded(Path("a"), len, "ab") == 2


def test_a_document_over_the_memory_limit_is_refused_and_the_others_go_on(
        tmp_path: Path, small_plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """1 MB of short target lines takes ~110 MB to extract (measured: 2 MB, 220 MB); with a
    limit of 40 MB the document is one line and the plan beside it is extracted (on a worker
    thread; the page test below is on the main one)."""
    many_lines = tmp_path / "nhieu-dong.txt"
    row = "- Tỷ lệ hồ sơ trực tuyến cấp xã đạt 95% vào năm 2030.\n"
    many_lines.write_text("KẾ HOẠCH\nChuyển đổi số\nI. MỤC TIÊU\n"
                          + row * (2**20 // len(row)), encoding="utf-8")
    monkeypatch.setenv("CHITIEU_DOCUMENT_MEMORY_MB", "40")
    extracted, failures = _in_a_thread(lambda: read_and_extract([many_lines, small_plan], [],
                                                                tmp_path / "models"))
    assert [found.document.number for found in extracted] == ["12/KH-UBND"]
    (failure,) = failures
    line = failure.line()
    assert "\n" not in line and not failure.internal
    assert line.startswith(f"{many_lines}: ") and "cần hơn 40 MB bộ nhớ" in line, line
    assert "CHITIEU_DOCUMENT_MEMORY_MB" in line and "hãy tách tệp" in line


def test_a_page_read_over_the_memory_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHITIEU_DOCUMENT_MEMORY_MB", "20")

    def greedy() -> list[bytes]:
        return [bytes(2**20) for _ in range(4000)]  # 4 GB, a MB at a time

    with pytest.raises(SourceError, match="cần hơn 20 MB bộ nhớ"):
        limits.within_memory(Path("trang.pdf"), greedy)


def _in_a_thread(work: Callable[[], T]) -> T:
    results: list[T] = []
    worker = threading.Thread(target=lambda: results.append(work()))
    worker.start()
    worker.join(timeout=300)
    assert not worker.is_alive()
    return results[0]
