"""Conflict rules on small hand-built plans (invented figures, not the answer keys)."""

from __future__ import annotations

import hashlib
from datetime import date
from itertools import count
from pathlib import Path

import pytest

from extractors.metadata import read_document
from normalizers.documents import number_key
from pipeline.check.amendments import Amendments
from pipeline.check.consistency import diff_conflicts, find_conflicts
from pipeline.check.thresholds import render_threshold
from schemas.records import (
    Comparator,
    Conflict,
    ConflictKind,
    ConflictStatus,
    Document,
    DocumentRef,
    Relation,
    Severity,
    SourceText,
    Target,
    TextSource,
)
from tests.snippets import snippet_lines

_line_numbers = count(10)


def document(doc_id: str, number: str, issued_on: date, kind: str = "Kế hoạch") -> Document:
    return Document(doc_id=doc_id, number=number, issuer="Ủy ban nhân dân tỉnh",
                    issued_on=issued_on, kind=kind, title="Kế hoạch thử",
                    source_path=f"{doc_id}.txt", sha256=hashlib.sha256(doc_id.encode()).hexdigest(),
                    text_source=TextSource.DIGITAL, jurisdiction="tỉnh Gia Lai",
                    jurisdiction_level="province")


PLAN_A = document("11-KH-TU", "11-KH/TU", date(2027, 1, 5))
PLAN_B = document("700-KH-UBND", "700/KH-UBND", date(2027, 4, 2))
PLAN_C = document("05-CTr-BCD", "05-CTr/BCĐ", date(2027, 6, 1), kind="Chương trình")
DOCUMENTS = [PLAN_A, PLAN_B, PLAN_C]


def target(doc: Document, indicator_id: str | None, year: int | None, comparator: Comparator,
           value: float | None = None, unit: str | None = "%", *, value_max: float | None = None,
           per_year: bool = False, confidence: float = 0.95, text: str = "Tỷ lệ hộ dùng cáp quang"
           ) -> Target:
    line = next(_line_numbers)
    return Target(target_id=f"{doc.doc_id}-{line}", doc_id=doc.doc_id, indicator_id=indicator_id,
                  indicator_text=text, target_year=year, comparator=comparator, value=value,
                  value_max=value_max, unit=unit, per_year=per_year, page=1, line=line,
                  source_text=f"- {text} {comparator} {value}", confidence=confidence)


def kinds(conflicts: list[Conflict]) -> list[str]:
    return sorted(conflict.kind.value for conflict in conflicts)


def test_cross_doc_same_year_different_floors_is_one_high_open_conflict() -> None:
    first = target(PLAN_A, "fibre", 2027, ">=", 85)
    second = target(PLAN_B, "fibre", 2027, ">=", 75)

    [conflict] = find_conflicts(DOCUMENTS, [], [second, first])

    assert conflict.kind == ConflictKind.CROSS_DOC
    assert (conflict.target_id_a, conflict.target_id_b) == (first.target_id, second.target_id)
    assert (conflict.doc_id_a, conflict.doc_id_b) == ("11-KH-TU", "700-KH-UBND")
    assert (conflict.value_a, conflict.value_b) == ("≥ 85 %", "≥ 75 %")
    assert conflict.target_year == 2027
    assert conflict.severity == Severity.HIGH
    assert conflict.status == ConflictStatus.OPEN
    assert conflict.explanation == (
        "Năm 2027, Kế hoạch 11-KH/TU đặt ≥ 85 % nhưng Kế hoạch 700/KH-UBND đặt ≥ 75 % "
        "cho cùng chỉ tiêu “Tỷ lệ hộ dùng cáp quang”."
    )


def test_the_same_floor_written_differently_is_not_a_conflict() -> None:
    # "≥ 70 %", "70% trở lên" and an OCR "> 70 %" are one plan; so is a bare "70 %".
    # A range starting at the floor only adds a ceiling ("80% - 90%").
    targets = [target(PLAN_A, "fibre", 2027, ">=", 70), target(PLAN_B, "fibre", 2027, ">", 70),
               target(PLAN_C, "fibre", 2027, "=", 70), target(PLAN_C, "fibre", 2027, ">=", 70.0),
               target(PLAN_B, "fibre", 2027, "between", 70, value_max=80)]
    assert find_conflicts(DOCUMENTS, [], targets) == []


def test_exact_value_against_a_lower_floor_and_exists_against_a_number_conflict() -> None:
    targets = [target(PLAN_A, "fibre", 2027, "=", 100), target(PLAN_B, "fibre", 2027, ">=", 90),
               target(PLAN_A, "soc", 2027, "exists", unit=None, text="Trung tâm điều hành"),
               target(PLAN_B, "soc", 2027, ">=", 2, unit="trung tâm", text="Trung tâm điều hành")]

    conflicts = find_conflicts(DOCUMENTS, [], targets)

    assert kinds(conflicts) == ["cross_doc", "cross_doc"]
    by_indicator = {conflict.indicator_id: conflict for conflict in conflicts}
    assert by_indicator["fibre"].severity == Severity.HIGH
    assert by_indicator["soc"].severity == Severity.MEDIUM
    assert by_indicator["soc"].value_a == "có"


def test_within_doc_names_both_lines() -> None:
    first = target(PLAN_A, "startups", 2027, ">=", 40, unit="doanh nghiệp")
    second = target(PLAN_A, "startups", 2027, ">=", 35, unit="doanh nghiệp")

    [conflict] = find_conflicts(DOCUMENTS, [], [first, second])

    assert conflict.kind == ConflictKind.WITHIN_DOC
    assert conflict.doc_id_a == conflict.doc_id_b == "11-KH-TU"
    assert f"dòng {first.line}" in conflict.explanation
    assert f"dòng {second.line}" in conflict.explanation
    assert conflict.severity == Severity.HIGH


def test_regression_across_documents_and_a_rising_path_is_fine() -> None:
    earlier = target(PLAN_A, "startups", 2027, ">=", 40, unit="doanh nghiệp")
    later = target(PLAN_B, "startups", 2028, ">=", 36, unit="doanh nghiệp")
    rising = [target(PLAN_B, "budget", 2028, ">=", 1, unit="%"),
              target(PLAN_B, "budget", 2032, ">=", 1.5, unit="%")]

    [conflict] = find_conflicts(DOCUMENTS, [], [earlier, later, *rising])

    assert conflict.kind == ConflictKind.REGRESSION
    assert (conflict.target_id_a, conflict.target_id_b) == (earlier.target_id, later.target_id)
    assert conflict.value_a == "≥ 40 doanh nghiệp (2027)"
    assert conflict.value_b == "≥ 36 doanh nghiệp (2028)"
    assert conflict.target_year == 2028
    assert conflict.severity == Severity.MEDIUM
    assert "thấp hơn mức ≥ 40 doanh nghiệp của năm 2027" in conflict.explanation


def test_regression_compares_with_the_nearest_earlier_year_only() -> None:
    path = [target(PLAN_A, "labs", 2027, ">=", 50, unit="phòng"),
            target(PLAN_A, "labs", 2028, ">=", 40, unit="phòng"),
            target(PLAN_A, "labs", 2030, ">=", 45, unit="phòng")]

    [conflict] = find_conflicts(DOCUMENTS, [], path)

    assert (conflict.target_id_a, conflict.target_id_b) == (path[0].target_id, path[1].target_id)


def test_two_series_in_one_document_are_no_regression_when_a_figure_closes_the_gap() -> None:
    # The plan lists the measure in two sub-sections: 250 and 500 for 2040, 400 and 800 for
    # 2045. Both series rise; 500 → 400 mixes them (the within_doc findings say so).
    series = [target(PLAN_A, "firms", 2040, ">=", 250, unit="doanh nghiệp"),
              target(PLAN_A, "firms", 2040, ">=", 500, unit="doanh nghiệp"),
              target(PLAN_A, "firms", 2045, ">=", 400, unit="doanh nghiệp"),
              target(PLAN_A, "firms", 2045, ">=", 800, unit="doanh nghiệp")]

    assert kinds(find_conflicts(DOCUMENTS, [], series)) == ["within_doc", "within_doc"]


def test_per_year_targets_compare_only_with_per_year_targets() -> None:
    targets = [target(PLAN_A, "papers", 2027, ">=", 50, unit="bài", per_year=True),
               target(PLAN_B, "papers", 2028, ">=", 60, unit="bài", per_year=True),
               target(PLAN_B, "papers", 2028, ">=", 20, unit="bài", per_year=False)]
    assert find_conflicts(DOCUMENTS, [], targets) == []


def test_a_rising_ceiling_is_a_regression() -> None:
    targets = [target(PLAN_A, "poverty", 2027, "<=", 3), target(PLAN_B, "poverty", 2030, "<", 4)]

    [conflict] = find_conflicts(DOCUMENTS, [], targets)

    assert conflict.kind == ConflictKind.REGRESSION
    assert "cao hơn mức trần" in conflict.explanation


def test_unit_mismatch_is_reported_once_per_document_pair() -> None:
    # The linker gives the share and the count of one wording two ids with one stem.
    targets = [target(PLAN_A, "labs_pct", 2027, ">=", 30, unit="%"),
               target(PLAN_A, "labs_pct", 2030, ">=", 50, unit="%"),
               target(PLAN_B, "labs_count", 2027, ">=", 12, unit="phòng thí nghiệm"),
               target(PLAN_B, "labs_count_2", 2030, ">=", 20, unit="phòng thí nghiệm")]

    [conflict] = find_conflicts(DOCUMENTS, [], targets)

    assert conflict.kind == ConflictKind.UNIT_MISMATCH
    assert conflict.severity == Severity.LOW
    assert (conflict.target_id_a, conflict.target_id_b) == (targets[0].target_id,
                                                            targets[2].target_id)
    assert "một bên là tỷ lệ, một bên là số lượng" in conflict.explanation


def test_a_count_and_a_share_in_one_document_are_meant_not_a_mismatch() -> None:
    targets = [target(PLAN_A, "firms_count", 2027, ">=", 250, unit="doanh nghiệp"),
               target(PLAN_A, "firms_pct", 2027, ">=", 10, unit="%"),
               target(PLAN_B, "other_firms_pct", 2027, ">=", 25, unit="%")]
    assert find_conflicts(DOCUMENTS, [], targets) == []


def test_unrelated_or_unlinked_targets_never_conflict() -> None:
    targets = [target(PLAN_A, "fibre", 2027, ">=", 85), target(PLAN_B, "mobile", 2027, ">=", 75),
               target(PLAN_A, None, 2027, ">=", 85), target(PLAN_B, None, 2027, ">=", 75),
               target(PLAN_A, "wifi", None, ">=", 85), target(PLAN_B, "wifi", None, ">=", 75),
               target(PLAN_B, "fibre", 2027, ">=", None)]
    assert find_conflicts(DOCUMENTS, [], targets) == []


def amends(citing: Document, cited_number: str, subject_number: str | None = None
           ) -> DocumentRef:
    return DocumentRef(doc_id=citing.doc_id, ref_number=cited_number, relation=Relation.AMENDS,
                       line=3, source_text=f"sửa đổi, bổ sung Kế hoạch số {cited_number}",
                       subject_number=subject_number)


def conflicts_under_amendment(amending_year: int, amending_value: float) -> list[Conflict]:
    """Plan A sets fibre ≥ 85 % for 2027, plan C ≥ 60 %; plan B amends A and sets its own
    figure for `amending_year`."""
    return find_conflicts(DOCUMENTS, [amends(PLAN_B, "11-KH/TU")], [
        target(PLAN_A, "fibre", 2027, ">=", 85),
        target(PLAN_B, "fibre", amending_year, ">=", amending_value),
        target(PLAN_C, "fibre", 2027, ">=", 60),
    ])


def test_an_amending_document_supersedes_the_amended_one() -> None:
    conflicts = conflicts_under_amendment(2027, 75)

    by_docs = {(conflict.doc_id_a, conflict.doc_id_b): conflict for conflict in conflicts}
    superseded = by_docs[("11-KH-TU", "700-KH-UBND")]
    assert superseded.status == ConflictStatus.SUPERSEDED
    assert superseded.severity == Severity.LOW
    assert "Kế hoạch 700/KH-UBND sửa đổi Kế hoạch 11-KH/TU" in superseded.explanation
    # A's figure is replaced by B's, so A against C is settled too; B against C still disagrees
    replaced = by_docs[("11-KH-TU", "05-CTr-BCD")]
    assert replaced.status == ConflictStatus.SUPERSEDED
    assert "Kế hoạch 700/KH-UBND sửa đổi Kế hoạch 11-KH/TU" in replaced.explanation
    assert by_docs[("700-KH-UBND", "05-CTr-BCD")].status == ConflictStatus.OPEN


def test_an_amendment_that_does_not_restate_an_indicator_leaves_its_pairs_open() -> None:
    conflicts = conflicts_under_amendment(2030, 95)

    [cross_doc] = [conflict for conflict in conflicts if conflict.kind == ConflictKind.CROSS_DOC]
    assert (cross_doc.doc_id_a, cross_doc.doc_id_b) == ("11-KH-TU", "05-CTr-BCD")
    assert cross_doc.status == ConflictStatus.OPEN


def test_amendments_chain_and_match_numbers_however_typed() -> None:
    # C amends B ("700/KH-UBND" typed with spaces), B amends A: C governs A too.
    refs = [amends(PLAN_B, "11-KH/TU"), amends(PLAN_C, "700 / KH - UBND")]
    targets = [target(PLAN_A, "fibre", 2027, ">=", 85), target(PLAN_C, "fibre", 2027, ">=", 75)]

    [conflict] = find_conflicts(DOCUMENTS, refs, targets)

    assert conflict.status == ConflictStatus.SUPERSEDED
    assert number_key("01-CTr/BCĐ") == number_key("01-CTR-BCD") == "01-CTR-BCD"


def test_an_amendment_reported_by_a_third_document_counts_when_both_are_loaded() -> None:
    # Plan C's text says "Kế hoạch 700/KH-UBND sửa đổi, bổ sung Kế hoạch 11-KH/TU".
    reported = amends(PLAN_C, "11-KH/TU", subject_number="700/KH-UBND")
    targets = [target(PLAN_A, "fibre", 2027, ">=", 85), target(PLAN_B, "fibre", 2027, ">=", 75)]

    [conflict] = find_conflicts(DOCUMENTS, [reported], targets)
    assert conflict.status == ConflictStatus.SUPERSEDED

    # The amending plan is not loaded: the pair stays open, and the report can say who amends.
    unloaded = amends(PLAN_C, "11-KH/TU", subject_number="90-KH/TU")
    [conflict] = find_conflicts(DOCUMENTS, [unloaded], targets)
    assert conflict.status == ConflictStatus.OPEN
    assert Amendments(DOCUMENTS, [unloaded]).amenders_of("11-KH-TU") == ["90-KH/TU"]


def test_a_document_cited_to_agree_with_does_not_become_the_amender() -> None:
    """Plan C says "Để thống nhất với Kế hoạch 700, Ủy ban nhân dân tỉnh sửa đổi Kế hoạch 11":
    C amends A; B (700) amends nothing, so B against A stays open."""
    _, refs = read_document(SourceText(
        source_path=Path("05.txt"), sha256="0" * 64, text_source=TextSource.DIGITAL, lines=(),
        page_count=1), snippet_lines("""
Số: 05-CTr/BCĐ
CHƯƠNG TRÌNH
Điều chỉnh chỉ tiêu hạ tầng số

Để thống nhất với Kế hoạch số 700/KH-UBND ngày 02/4/2027 của Ủy ban nhân dân tỉnh, Ủy ban
nhân dân tỉnh sửa đổi, bổ sung một số chỉ tiêu của Kế hoạch số 11-KH/TU như sau:
"""))
    targets = [target(PLAN_A, "fibre", 2027, ">=", 85), target(PLAN_B, "fibre", 2027, ">=", 75)]
    [conflict] = find_conflicts(DOCUMENTS, refs, targets)
    assert conflict.status == ConflictStatus.OPEN
    assert Amendments(DOCUMENTS, refs).governing("11-KH-TU", "05-CTr-BCD") == "05-CTr-BCD"


def test_conflict_ids_are_stable_across_runs_and_input_order() -> None:
    targets = [target(PLAN_A, "fibre", 2027, ">=", 85), target(PLAN_B, "fibre", 2027, ">=", 75),
               target(PLAN_B, "fibre", 2028, ">=", 70)]
    forward = find_conflicts(DOCUMENTS, [], targets)
    backward = find_conflicts(list(reversed(DOCUMENTS)), [], list(reversed(targets)))
    assert [conflict.conflict_id for conflict in forward] == [
        conflict.conflict_id for conflict in backward]
    assert len({conflict.conflict_id for conflict in forward}) == len(forward) == 2


def test_a_fall_across_documents_that_restates_their_disagreement_is_folded_into_it() -> None:
    """A sets 85 for 2027, B 75 for 2027 and 70 for 2028: B falls within itself (a finding),
    and 'A 2027 > B 2028' only restates that A and B disagree, so it is said in the cross_doc
    finding's sentence instead of being a third finding."""
    targets = [target(PLAN_A, "fibre", 2027, ">=", 85), target(PLAN_B, "fibre", 2027, ">=", 75),
               target(PLAN_B, "fibre", 2028, ">=", 70)]
    found = {(conflict.kind, conflict.doc_id_a, conflict.doc_id_b): conflict
             for conflict in find_conflicts(DOCUMENTS, [], targets)}
    assert set(found) == {(ConflictKind.CROSS_DOC, PLAN_A.doc_id, PLAN_B.doc_id),
                          (ConflictKind.REGRESSION, PLAN_B.doc_id, PLAN_B.doc_id)}
    assert "cũng đặt ≥ 70 % (2028), thấp hơn ≥ 85 % (2027)" in found[
        (ConflictKind.CROSS_DOC, PLAN_A.doc_id, PLAN_B.doc_id)].explanation


def test_a_fall_within_a_document_is_found_though_another_document_sets_a_nearer_year() -> None:
    """A per-year figure that falls from A's 2025 to A's 2030 is a regression of A, even when
    B sets the measure for 2026 (B's nearer year used to hide A's own fall)."""
    targets = [target(PLAN_A, "patents", 2025, ">=", 5, unit="sáng chế", per_year=True),
               target(PLAN_B, "patents", 2026, ">=", 1, unit="sáng chế", per_year=True),
               target(PLAN_A, "patents", 2030, ">=", 2, unit="sáng chế", per_year=True)]
    found = [(conflict.kind, conflict.doc_id_a, conflict.doc_id_b, conflict.value_a,
              conflict.value_b) for conflict in find_conflicts(DOCUMENTS, [], targets)]
    assert (ConflictKind.REGRESSION, PLAN_A.doc_id, PLAN_A.doc_id, "≥ 5 sáng chế (2025)",
            "≥ 2 sáng chế (2030)") in found


def test_diff_reports_new_resolved_and_status_changes() -> None:
    fibre = [target(PLAN_A, "fibre", 2027, ">=", 85), target(PLAN_B, "fibre", 2027, ">=", 75)]
    labs = [target(PLAN_A, "labs", 2027, ">=", 9, unit="phòng"),
            target(PLAN_C, "labs", 2027, ">=", 7, unit="phòng")]
    before = find_conflicts(DOCUMENTS, [], [*fibre, *labs])
    startups = [target(PLAN_A, "startups", 2027, ">=", 4, unit="doanh nghiệp"),
                target(PLAN_C, "startups", 2027, ">=", 3, unit="doanh nghiệp")]
    now = find_conflicts(DOCUMENTS, [amends(PLAN_B, "11-KH/TU")], [*fibre, *startups])

    changes = diff_conflicts(before, now)

    assert [conflict.indicator_id for conflict in changes.new] == ["startups"]
    assert [conflict.indicator_id for conflict in changes.resolved] == ["labs"]
    [(was, is_now)] = changes.changed
    assert (was.status, is_now.status) == (ConflictStatus.OPEN, ConflictStatus.SUPERSEDED)


def test_render_threshold_speaks_like_the_plans() -> None:
    assert render_threshold(target(PLAN_A, "x", 2027, ">=", 1.5)) == "≥ 1,5 %"
    assert render_threshold(target(PLAN_A, "x", 2027, "=", 2, unit="%GRDP")) == "= 2 % GRDP"
    assert render_threshold(target(PLAN_A, "x", 2027, "between", 10, value_max=20)) == (
        "từ 10 đến 20 %")
    assert render_threshold(target(PLAN_A, "x", 2027, "exists", unit=None)) == "có"
    assert render_threshold(target(PLAN_A, "x", 2027, "<=", 30, unit="hạng")) == "hạng ≤ 30"


def test_comparisons_stay_inside_each_indicator(monkeypatch: pytest.MonkeyPatch) -> None:
    """2,000 unrelated indicators cost a few comparisons each, not one per pair of targets."""
    import pipeline.check.rules as rules

    calls = count()
    real = rules.units_comparable

    def counted(first: Target, second: Target) -> bool:
        next(calls)
        assert first.indicator_id == second.indicator_id
        return real(first, second)

    monkeypatch.setattr(rules, "units_comparable", counted)
    targets = [target(plan, f"measure_{number}", year, ">=", 10 + number % 7)
               for number in range(2000) for plan, year in ((PLAN_A, 2027), (PLAN_B, 2028))]

    find_conflicts(DOCUMENTS, [], targets)

    assert next(calls) < 20 * 2000  # all pairs would be about 8 million


def test_plans_of_two_provinces_never_conflict_but_each_province_is_checked() -> None:
    """Each province sets its own figures: 80 % in one and 70 % in another is no finding; two
    plans of one province still disagree; a plan whose jurisdiction is unknown is checked
    within itself only."""
    def located(plan: Document, jurisdiction: str | None) -> Document:
        return plan.model_copy(update={"jurisdiction": jurisdiction,
                                       "jurisdiction_level": "province" if jurisdiction
                                       else None})

    documents = [located(PLAN_A, "tỉnh Gia Lai"), located(PLAN_B, "tỉnh Cà Mau"),
                 located(PLAN_C, "tỉnh Gia Lai")]
    targets = [target(PLAN_A, "fibre", 2027, ">=", 80), target(PLAN_B, "fibre", 2027, ">=", 70),
               target(PLAN_C, "fibre", 2027, ">=", 75), target(PLAN_B, "fibre", 2027, ">=", 60)]
    pairs = {(conflict.doc_id_a, conflict.doc_id_b)
             for conflict in find_conflicts(documents, [], targets)}
    assert pairs == {(PLAN_A.doc_id, PLAN_C.doc_id), (PLAN_B.doc_id, PLAN_B.doc_id)}
    documents[1] = located(PLAN_B, None)
    pairs = {(conflict.doc_id_a, conflict.doc_id_b)
             for conflict in find_conflicts(documents, [], targets)}
    assert pairs == {(PLAN_A.doc_id, PLAN_C.doc_id), (PLAN_B.doc_id, PLAN_B.doc_id)}


def test_every_kind_of_finding_is_one_rule_and_the_export_schema_names_each() -> None:
    """One rule per ConflictKind, each with its label and what would settle it; the conflicts
    JSON Schema lists each kind with the label the report uses."""
    from pipeline.check.rules import RULES
    from pipeline.present.export import json_schema

    assert sorted(rule.kind for rule in RULES) == sorted(ConflictKind)
    assert all(rule.label and rule.settle for rule in RULES)
    kind = json_schema("conflicts")["properties"]["kind"]
    assert kind["x-enum-labels"] == {rule.kind.value: rule.label for rule in RULES}


def test_a_plan_nothing_places_takes_the_province_of_the_plans_it_builds_on() -> None:
    """A scan whose letterhead did not read is placed by the local plans it builds on or that
    build on it ("Căn cứ Kế hoạch số …"), so its disagreement with them is still found; with
    no such plan it stays checked within itself."""
    gia_lai = PLAN_A.model_copy(update={"jurisdiction": "tỉnh Gia Lai"})
    unplaced = PLAN_B.model_copy(update={"jurisdiction": None, "jurisdiction_level": None})
    targets = [target(PLAN_A, "fibre", 2027, ">=", 80), target(PLAN_B, "fibre", 2027, ">=", 70)]
    basis = DocumentRef(doc_id=PLAN_B.doc_id, ref_number=PLAN_A.number or "", line=3,
                        relation=Relation.BASIS, source_text="Căn cứ Kế hoạch số 11-KH/TU")
    assert kinds(find_conflicts([gia_lai, unplaced], [basis], targets)) == ["cross_doc"]
    assert find_conflicts([gia_lai, unplaced], [], targets) == []
