"""Identity across versions of a plan: a re-exported copy of KH 3450 with lines added at the
top keeps every id, an edited figure is one finding whose values changed, and the warehouse
keeps each version it loaded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.check.consistency import CheckChanges, check_warehouse
from pipeline.check.thresholds import format_number
from pipeline.store.warehouse import Warehouse
from schemas.records import Conflict, ConflictKind, Target, Task
from tests.conftest import PLANS
from tests.consistency_samples import load_plans

pytestmark = pytest.mark.slow

KH3450 = "3450-KH-UBND"
PREAMBLE = "\nBản sao xuất lại từ Cổng thông tin điện tử tỉnh\n"


class Checked:
    """What the warehouse holds after a load and a check."""

    def __init__(self, db_path: Path, plans: list[Path], model_dir: Path) -> None:
        load_plans(db_path, plans, model_dir)
        with Warehouse.open(db_path) as warehouse:
            self.conflicts, self.changes = check_warehouse(warehouse)
            self.targets: list[Target] = warehouse.targets()
            self.tasks: list[Task] = warehouse.tasks()
            self.versions = warehouse.document_versions(KH3450)

    def of_kh3450(self) -> tuple[dict[str, Target], set[str]]:
        return ({target.target_id: target for target in self.targets if target.doc_id == KH3450},
                {task.task_id for task in self.tasks if task.doc_id == KH3450})

    def diff(self) -> CheckChanges:
        assert self.changes is not None
        return self.changes


@pytest.fixture(scope="module")
def first_load(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Checked]:
    root = tmp_path_factory.mktemp("identity")
    return root, Checked(root / "first.duckdb", [PLANS["kh08"], PLANS["kh3450"]], root / "models")


def _reload(root: Path, name: str, text: str) -> Checked:
    """The two plans loaded and checked, then KH 3450 replaced by `text` and checked again."""
    copy = root / name / PLANS["kh3450"].name
    copy.parent.mkdir()
    copy.write_text(text, encoding="utf-8")
    db_path = root / f"{name}.duckdb"
    Checked(db_path, [PLANS["kh08"], PLANS["kh3450"]], root / "models")
    return Checked(db_path, [copy], root / "models")


def test_a_reexported_plan_with_a_preamble_changes_no_id(first_load: tuple[Path, Checked]
                                                          ) -> None:
    root, before = first_load
    after = _reload(root, "preamble", PREAMBLE + PLANS["kh3450"].read_text(encoding="utf-8"))

    targets_before, tasks_before = before.of_kh3450()
    targets_after, tasks_after = after.of_kh3450()
    assert targets_before and set(targets_after) == set(targets_before)
    assert tasks_before and tasks_after == tasks_before
    assert all(targets_after[key].line == target.line + 2 for key, target in targets_before.items())
    assert before.conflicts and ({conflict.conflict_id for conflict in after.conflicts}
                                 == {conflict.conflict_id for conflict in before.conflicts})
    changes = after.diff()
    assert (changes.new, changes.resolved, changes.changed) == ([], [], [])

    first, second = after.versions
    assert first.sha256 != second.sha256 and first.loaded_at <= second.loaded_at
    assert {target.target_id for target in first.targets} == set(targets_before)
    assert [target.line for target in second.targets] == [
        target.line + 2 for target in first.targets]


def _editable(conflicts: list[Conflict], targets: dict[str, Target], lines: list[str]
              ) -> tuple[Target, str]:
    """A cross-document finding's KH 3450 figure written once on its line, and the number as
    written there."""
    for conflict in conflicts:
        if conflict.kind != ConflictKind.CROSS_DOC:
            continue
        for target_id in (conflict.target_id_a, conflict.target_id_b):
            target = targets.get(target_id)
            if target is None or target.value is None:
                continue
            written = format_number(target.value)
            if len(re.findall(rf"(?<![\d,.]){re.escape(written)}(?![\d,.])",
                              lines[target.line - 1])) == 1:
                return target, written
    raise AssertionError("no cross-document finding with a KH 3450 figure to edit")


def test_an_edited_figure_is_one_changed_finding(first_load: tuple[Path, Checked]) -> None:
    root, before = first_load
    lines = PLANS["kh3450"].read_text(encoding="utf-8").split("\n")
    targets_before, _tasks = before.of_kh3450()
    edited, written = _editable(before.conflicts, targets_before, lines)
    lowered = edited.value - 1
    lines[edited.line - 1] = re.sub(rf"(?<![\d,.]){re.escape(written)}(?![\d,.])",
                                    format_number(lowered), lines[edited.line - 1])

    after = _reload(root, "edited", "\n".join(lines))

    changes = after.diff()
    assert (changes.new, changes.resolved) == ([], [])
    assert changes.changed
    for was, now in changes.changed:
        assert edited.target_id in (now.target_id_a, now.target_id_b)
        assert (was.target_id_a, was.target_id_b) == (now.target_id_a, now.target_id_b)
        old_side, new_side = ((was.value_a, now.value_a) if now.target_id_a == edited.target_id
                              else (was.value_b, now.value_b))
        assert format_number(edited.value) in old_side and format_number(lowered) in new_side
    targets_after, _tasks = after.of_kh3450()
    assert targets_after[edited.target_id].value == lowered
    first, second = after.versions
    said = {version.sha256: {target.target_id: target.value for target in version.targets}
            for version in (first, second)}
    assert said[first.sha256][edited.target_id] == edited.value
    assert said[second.sha256][edited.target_id] == lowered
