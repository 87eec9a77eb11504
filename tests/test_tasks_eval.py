"""Task field agreement: the measure `chitieu eval tasks` prints."""

from __future__ import annotations

from datetime import date

from extractors.metadata import read_document
from extractors.tasks import extract_tasks
from pipeline.evaluate import (
    DATA_DIR,
    TASK_FIELDS,
    TaskFieldScores,
    combined_task_scores,
    plan_tasks,
    task_field_accuracy,
)
from schemas.records import Task
from tests.conftest import PLANS
from tests.snippets import read_with_product


def _task(title: str, **fields: object) -> Task:
    values = {"task_id": title, "doc_id": "d", "title": title, "page": 1, "line": 1} | fields
    return Task.model_validate(values)


def test_identical_extractions_agree_on_every_field() -> None:
    tasks = [_task("Xây dựng kế hoạch chuyển đổi số", lead_agencies=("Sở Tài chính",),
                   due_date=date(2026, 6, 30)),
             _task("Tổ chức tập huấn kỹ năng số cho cán bộ cấp xã", recurring=True)]
    scores = task_field_accuracy(tasks, tasks)
    assert (scores.matched, scores.recall, scores.precision) == (2, 1.0, 1.0)
    assert set(scores.agreement.values()) == {1.0}


def test_a_wrong_field_lowers_only_that_field() -> None:
    reference = [_task("Xây dựng kế hoạch chuyển đổi số", lead_agencies=("Sở Tài chính",),
                       due_date=date(2026, 6, 30)),
                 _task("Ban hành quy chế quản lý dữ liệu", lead_agencies=("Công an tỉnh",))]
    predicted = [_task("Xay dung ke hoach chuyen doi so", lead_agencies=("Sở Nội vụ",),
                       due_date=date(2026, 6, 30)),
                 _task("Ban hành quy chế quản lý dữ liệu", lead_agencies=("công an tỉnh",)),
                 _task("Một dòng không phải nhiệm vụ")]
    scores = task_field_accuracy(predicted, reference)
    assert scores.matched == 2 and scores.precision == 2 / 3
    assert scores.agreement["lead_agencies"] == 0.5
    assert scores.agreement["deadline"] == 1.0


def test_english_ocr_of_the_programme_keeps_most_tasks() -> None:
    source, lines = read_with_product(PLANS["ctr01"])
    document, _ = read_document(source, lines)
    reference = extract_tasks(document, lines)
    ocr_text = (DATA_DIR / "engocr" / "ctr-01-CTr-BCD-2026-03-20.eng-ocr.txt").read_text(
        encoding="utf-8").splitlines()
    scores = task_field_accuracy(plan_tasks("ctr-01-CTr-BCD-2026-03-20", ocr_text), reference)
    assert scores.recall >= 0.8
    assert scores.agreement["deadline"] >= 0.8


def test_combined_scores_weigh_fields_by_matched_pairs() -> None:
    one = TaskFieldScores(reference=4, predicted=3, matched=3,
                          agreement=dict.fromkeys(TASK_FIELDS, 1.0))
    other = TaskFieldScores(reference=2, predicted=1, matched=1,
                            agreement=dict.fromkeys(TASK_FIELDS, 0.0))
    combined = combined_task_scores([one, other])
    assert (combined.reference, combined.predicted, combined.matched) == (6, 4, 4)
    assert combined.agreement["deadline"] == 0.75
