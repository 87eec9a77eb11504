"""The read-page task retries a page that failed for a passing reason, never a bad page."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest
from prefect import flow

from extractors.sources import SourceError, read_page
from pipeline.run import flows
from pipeline.run.inputs import InputFile
from schemas.records import PageContext, PageResult, SourceText
from tests.conftest import PLANS

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]


@flow(name="acquire-one-plan")
def _acquire_flow(item: InputFile) -> SourceText:
    return flows.acquire(item)


def _uncached_plan() -> InputFile:
    # A key no earlier run has cached a page under, so every page is really read.
    return InputFile(PLANS["kh08"], f"retry-test-{uuid4().hex}")


def _counting_reader(monkeypatch: pytest.MonkeyPatch,
                     first_call: Callable[[PageContext], PageResult]) -> list[int]:
    """Replace the page reader: its first call goes to `first_call`, later ones read the page.
    Returns the list of page numbers the reader was called with."""
    calls: list[int] = []

    def reader(page: PageContext) -> PageResult:
        calls.append(page.page_no)
        return first_call(page) if len(calls) == 1 else read_page(page)

    monkeypatch.setattr(flows, "read_page", reader)
    return calls


def test_a_page_that_is_bad_input_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    def corrupt(page: PageContext) -> PageResult:
        raise SourceError(page.source_path, "corrupt page")

    calls = _counting_reader(monkeypatch, corrupt)
    with pytest.raises(SourceError, match="corrupt page"):
        _acquire_flow(_uncached_plan())
    assert calls == [1]


def test_a_page_that_failed_for_a_passing_reason_is_read_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def killed(_page: PageContext) -> PageResult:
        raise RuntimeError("tesseract was killed")

    calls = _counting_reader(monkeypatch, killed)
    source = _acquire_flow(_uncached_plan())
    assert calls == [1, 1]
    assert source.lines
