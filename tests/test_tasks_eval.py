"""Task field agreement: the measure `chitieu eval tasks` prints."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from extractors.metadata import read_document
from extractors.tasks import extract_tasks
from pipeline.cli import main
from pipeline.dev.evaluate import (
    DATA_DIR,
    TASK_FIELDS,
    TaskFieldScores,
    combined_task_scores,
    folder_task_scores,
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


KEY_HEADER = "doc,line,lead_agency,partners,due_date,deadline_text,recurring,title\n"


def _keyed_folder(tmp_path: Path, text: str, key_rows: str) -> tuple[Path, Path]:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kh-mau.txt").write_text(text, encoding="utf-8")
    key = tmp_path / "tasks_key.csv"
    key.write_text(KEY_HEADER + key_rows, encoding="utf-8")
    return docs, key


def test_folder_tasks_are_scored_against_a_hand_key(tmp_path: Path) -> None:
    """Agencies are compared through the canonical names (Sở KH&CN = Sở Khoa học và Công
    nghệ); a key row with no extracted task lowers recall, a wrong date the due accuracy."""
    docs, key = _keyed_folder(tmp_path, """\
III. TỔ CHỨC THỰC HIỆN
1. Sở KH&CN: Chủ trì theo dõi, tổng hợp kết quả, báo cáo trước ngày 30/6/2026.
2. Sở Tài chính: Bố trí kinh phí thực hiện trong năm 2026.
3. Sở Nội vụ: Rà soát biên chế thường xuyên.
""", """\
kh-mau.txt,2,Sở Khoa học và Công nghệ,,2026-06-30,trước ngày 30/6/2026,false,Chủ trì theo dõi
kh-mau.txt,3,Sở Tài chính,,2026-06-30,Quý II/2026,false,Bố trí kinh phí thực hiện
kh-mau.txt,40,Công an tỉnh,,,,false,Bảo đảm an ninh mạng cho hệ thống
""")
    scores, failed = folder_task_scores([docs], [key])
    score = scores["kh-mau.txt"]
    assert not failed
    assert (len(score.pairs), score.expected, score.predicted) == (2, 3, 3)
    assert score.lead_accuracy == 1.0 and score.due_accuracy == 0.5
    assert score.joint_accuracy == 0.5
    assert [row.line for row in score.missed] == [40]
    assert [task.line for task in score.extra] == [4]


def test_eval_tasks_prints_each_document_and_the_mismatches(tmp_path: Path) -> None:
    docs, key = _keyed_folder(tmp_path, """\
III. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính: Bố trí kinh phí thực hiện trong năm 2026.
""", "kh-mau.txt,2,Sở Nội vụ,,2026-12-31,năm 2026,false,Bố trí kinh phí thực hiện\n")
    result = CliRunner().invoke(main, ["eval", "tasks", "--docs", str(docs), "--key", str(key),
                                       "--details"])
    assert result.exit_code == 0, result.output
    assert "kh-mau.txt: cơ quan chủ trì 0.00, thời hạn 1.00" in result.output
    assert "«Sở Nội vụ» ≠ «Sở Tài chính»" in result.output
    assert result.output.splitlines()[-1].startswith("Tổng (1 văn bản):")
