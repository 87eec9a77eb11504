"""Target extraction on small invented plans, one wording at a time."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.targets import extract_targets
from schemas.records import Line, Target, TextSource
from tests.snippets import snippet_document, snippet_lines

PLAN = """\
II. MỤC TIÊU
1. Mục tiêu chung
Phát triển mạnh mẽ khoa học, công nghệ đến năm 2030.
2. Mục tiêu cụ thể
2.1. Đến hết năm 2027
a) Phát triển hạ tầng
- Tỷ lệ phủ sóng 5G trên địa bàn ≥ 75%.
- Có ≥ 65% người sử dụng truy cập băng rộng cố định với tốc độ trên 01 Gbps/s.
- Duy trì Trung tâm điều hành an ninh mạng (SOC) cho toàn hệ thống.
- Tiếp tục đẩy mạnh ứng dụng thương mại điện tử.
b) Phát triển nguồn lực
- Bố trí ≥ 1,2% tổng chi ngân sách cho khoa học; tỷ lệ chi cho chuyển đổi số đạt 2,5% GRDP.
- 95% cán bộ cấp xã được bồi dưỡng kỹ năng số.
- Có từ 08 người làm nghiên cứu trên 01 vạn dân.
2.2. Đến hết năm 2032
c) Phát triển khoa học
- Mỗi năm có ≥ 25 công trình được nghiệm thu.
- Có 12 - 18 trung tâm nghiên cứu trọng điểm.
- Mỗi năm có 40 đến 55 dự án khởi nghiệp.
- Có ≥ 1.500 cán bộ nghiên cứu toàn tỉnh.
- Có ≥ 60% người dân có tài khoản định danh điện tử (VNeID), tỷ lệ người dân có chữ ký số ≥ 15%.
- Chỉ số đổi mới sáng tạo cấp tỉnh ≥ 0,7 trở lên.
- Có ≥ 55% kết quả nghiên cứu được ứng dụng sau 12
tháng nghiệm thu.
III. NHIỆM VỤ VÀ GIẢI PHÁP
- Bố trí ít nhất 4,5% ngân sách cho phát triển khoa học trong năm 2026.
- Tổ chức 3 hội nghị và hoàn thành trước ngày 30/6/2026.
"""


@pytest.fixture(scope="module")
def targets() -> list[Target]:
    return extract_targets(snippet_document(), snippet_lines(PLAN))


def on_line(targets: list[Target], line: int) -> list[Target]:
    return [target for target in targets if target.line == line]


def only(targets: list[Target], line: int) -> Target:
    (target,) = on_line(targets, line)
    return target


def test_horizon_headings_set_year_and_area_headings_set_section(targets: list[Target]) -> None:
    five_g = only(targets, 7)
    assert (five_g.target_year, five_g.section) == (2027, "II.2.1.a")
    assert only(targets, 17).target_year == 2032
    assert only(targets, 17).section == "II.2.2.c"


def test_symbol_after_the_indicator(targets: list[Target]) -> None:
    five_g = only(targets, 7)
    assert (five_g.comparator, five_g.value, five_g.unit) == (">=", 75, "%")
    assert five_g.indicator_text == "Tỷ lệ phủ sóng 5G trên địa bàn"


def test_value_before_the_indicator_and_a_qualifying_number_is_no_target(
        targets: list[Target]) -> None:
    broadband = only(targets, 8)
    assert (broadband.comparator, broadband.value) == (">=", 65)
    assert broadband.indicator_text.startswith("người sử dụng truy cập")
    assert broadband.indicator_text.endswith("01 Gbps/s")


def test_maintain_is_a_yes_no_target_and_a_mere_direction_is_none(targets: list[Target]) -> None:
    soc = only(targets, 9)
    assert (soc.comparator, soc.value, soc.unit) == ("exists", None, None)
    assert on_line(targets, 10) == []


def test_one_bullet_with_two_targets_gives_two_records(targets: list[Target]) -> None:
    budget, spend = on_line(targets, 12)
    assert (budget.comparator, budget.value, budget.unit) == (">=", 1.2, "%")
    assert budget.indicator_text == "tổng chi ngân sách cho khoa học"
    assert (spend.comparator, spend.value, spend.unit) == ("=", 2.5, "%GRDP")
    assert spend.indicator_text == "tỷ lệ chi cho chuyển đổi số"
    assert budget.target_id != spend.target_id
    id_card, signature = on_line(targets, 21)
    assert (id_card.value, signature.value) == (60, 15)
    assert "VNeID" in id_card.indicator_text
    assert signature.indicator_text == "tỷ lệ người dân có chữ ký số"


def test_bare_percentage_is_equal(targets: list[Target]) -> None:
    officials = only(targets, 13)
    assert (officials.comparator, officials.value, officials.unit) == ("=", 95, "%")
    assert officials.indicator_text == "cán bộ cấp xã được bồi dưỡng kỹ năng số"


def test_persons_per_ten_thousand(targets: list[Target]) -> None:
    researchers = only(targets, 14)
    assert (researchers.comparator, researchers.value, researchers.unit) == (
        ">=", 8, "persons_per_10k")


def test_each_year_counts_and_ranges(targets: list[Target]) -> None:
    works = only(targets, 17)
    assert works.per_year and (works.comparator, works.value, works.unit) == (
        ">=", 25, "công trình")
    centres = only(targets, 18)
    assert (centres.comparator, centres.value, centres.value_max, centres.unit) == (
        "between", 12, 18, "trung tâm")
    assert not centres.per_year
    projects = only(targets, 19)
    assert projects.per_year and (projects.comparator, projects.value, projects.value_max) == (
        "between", 40, 55)
    assert only(targets, 20).value == 1500


def test_index_unit(targets: list[Target]) -> None:
    index = only(targets, 22)
    assert (index.comparator, index.value, index.unit) == (">=", 0.7, "index")


def test_a_wrapped_bullet_is_one_target_on_its_first_line(targets: list[Target]) -> None:
    results = only(targets, 23)
    assert results.indicator_text.endswith("sau 12 tháng nghiệm thu")
    assert results.value == 55
    assert on_line(targets, 24) == []


def test_task_text_gives_only_outright_thresholds_with_lower_confidence(
        targets: list[Target]) -> None:
    budget = only(targets, 26)
    assert (budget.comparator, budget.value, budget.unit) == (">=", 4.5, "%")
    assert budget.indicator_text.startswith("ngân sách cho phát triển khoa học")
    assert budget.confidence < 0.8 and budget.confidence_note
    assert budget.target_year == 2026  # the plan's own year
    assert on_line(targets, 27) == []  # "3 hội nghị" has no comparator; a date is no target


def test_general_objectives_and_headings_give_no_year_targets(targets: list[Target]) -> None:
    assert all(not (1900 <= (target.value or 0) <= 2100) for target in targets)
    assert on_line(targets, 3) == []


def test_provenance_and_ids_are_deterministic(targets: list[Target]) -> None:
    again = extract_targets(snippet_document(), snippet_lines(PLAN))
    assert [t.target_id for t in again] == [t.target_id for t in targets]
    assert len({t.target_id for t in targets}) == len(targets)
    five_g = only(targets, 7)
    assert five_g.source_text == "- Tỷ lệ phủ sóng 5G trên địa bàn ≥ 75%."
    assert five_g.doc_id == "99-KH-TU" and five_g.page == 1
    assert 0 < five_g.confidence <= 1 and five_g.confidence_note is None


def test_the_issue_date_is_never_the_year_of_a_target() -> None:
    plan = "2. Mục tiêu cụ thể\na) Hạ tầng\n- Tỷ lệ phủ sóng 5G ≥ 80%."
    (target,) = extract_targets(snippet_document(title=None, issued_on=date(2026, 1, 14)),
                                snippet_lines(plan))
    assert (target.target_year, target.section) == (None, "2.a")
    (titled,) = extract_targets(snippet_document(title="Kế hoạch chuyển đổi số năm 2027",
                                                 issued_on=date(2026, 1, 14)),
                                snippet_lines(plan))
    assert titled.target_year == 2027


def test_guessed_comparator_lowers_confidence_and_says_why() -> None:
    text = "- Tỷ lệ phủ sóng 5G trên địa bàn ≥ 80%."
    plain = snippet_lines(f"2. Mục tiêu cụ thể\n{text}")
    guessed = [plain[0], plain[1].model_copy(update={
        "repaired": True, "uncertain_comparators": (text.index("≥"),)})]
    (sure,) = extract_targets(snippet_document(), plain)
    (unsure,) = extract_targets(snippet_document(), guessed)
    assert unsure.confidence < sure.confidence
    assert "≥" in (unsure.confidence_note or "") and "OCR" in (unsure.confidence_note or "")


def test_a_guess_elsewhere_on_the_line_does_not_touch_other_targets() -> None:
    text = "- Có ≥ 60% người dân có tài khoản (VNeID), tỷ lệ người dân có chữ ký số ≥ 5%."
    lines = snippet_lines(f"2. Mục tiêu cụ thể\n{text}")
    lines[1] = lines[1].model_copy(update={"uncertain_comparators": (text.rindex("≥"),)})
    first, second = extract_targets(snippet_document(), lines)
    assert first.confidence_note is None
    assert second.confidence_note and second.confidence < first.confidence


HEADER = ("STT\tChỉ tiêu\tĐơn vị tính\tKết quả năm 2026\tPhấn đấu đến năm 2030\t"
          "Cơ quan chủ trì theo dõi\tVăn bản nguồn")
TABLE = f"""\
Phụ lục I: DANH MỤC CHỈ TIÊU
{HEADER}
I Phát triển hạ tầng\t\t\t\t\t\t
1\tTỷ lệ phủ sóng 5G\t%\t≥ 70\t100\tSở Khoa học và Công nghệ\tKế hoạch số 1/KH
2\tTrung tâm SOC\t-\tCó\tCó\tCông an tỉnh\tKế hoạch số 1/KH
{HEADER}
II\tPhát triển nguồn lực\t\t\t\t\t
1\tTỷ lệ chi cho chuyển đổi số\t\tĐạt 2% GRDP\tĐạt 3% GRDP\tSở Tài chính\t
2\tSố người nghiên cứu trên 01 vạn dân\tNgười\t≥ 7\t-\tSở Khoa học và Công nghệ\t
3\tChỉ số đổi mới sáng tạo\t\t≥ 0,65\t≥ 0,8\tSở Khoa học và Công nghệ\t
4\tSố lượng vườn ươm đổi mới sáng tạo mỗi năm\t\t≥ 03\t≥ 07\tSở Khoa học và Công nghệ\t
"""


@pytest.fixture(scope="module")
def table_targets() -> list[Target]:
    return extract_targets(snippet_document(), snippet_lines(TABLE))


def test_a_table_row_gives_one_target_per_year_column(table_targets: list[Target]) -> None:
    now, later = on_line(table_targets, 4)
    assert (now.target_year, now.comparator, now.value, now.unit) == (2026, ">=", 70, "%")
    assert (later.target_year, later.comparator, later.value) == (2030, "=", 100)
    assert now.owner_agency == "Sở Khoa học và Công nghệ"
    assert now.section == "PL1.I.1" and now.indicator_text == "Tỷ lệ phủ sóng 5G"


def test_table_yes_grdp_dash_per_10k_index_and_noun(table_targets: list[Target]) -> None:
    assert [(t.comparator, t.unit, t.owner_agency) for t in on_line(table_targets, 5)] == [
        ("exists", None, "Công an tỉnh")] * 2
    spend = on_line(table_targets, 8)
    assert [(t.comparator, t.value, t.unit) for t in spend] == [
        ("=", 2, "%GRDP"), ("=", 3, "%GRDP")]
    assert spend[0].section == "PL1.II.1"  # the header repeated on a new page changes nothing
    (researchers,) = on_line(table_targets, 9)  # "-" for 2030: no target
    assert (researchers.value, researchers.unit) == (7, "persons_per_10k")
    assert {t.unit for t in on_line(table_targets, 10)} == {"index"}
    incubators = on_line(table_targets, 11)
    assert {(t.unit, t.per_year) for t in incubators} == {("vườn ươm", True)}


def test_lines_from_a_pdf_table_use_their_cells() -> None:
    header = Line(doc_id="", page=2, line_no=1, raw_text="", text="STT Chỉ tiêu ĐVT Năm 2026",
                  cells=("STT", "Chỉ tiêu", "Đơn vị\ntính", "Năm\n2026"))
    row = Line(doc_id="", page=2, line_no=2, raw_text="", text="1 Tỷ lệ A % ≥ 5",
               cells=("1", "Tỷ lệ A", "%", "≥ 5"))
    (target,) = extract_targets(snippet_document(), [header, row])
    assert (target.page, target.value, target.target_year, target.unit) == (2, 5, 2026, "%")


def test_in_ocr_text_a_lone_equals_sign_is_a_damaged_at_least() -> None:
    plan = "2. Mục tiêu cụ thể\n- Có = 150 doanh nghiệp khoa học và công nghệ."
    (clean,) = extract_targets(snippet_document(), snippet_lines(plan))
    scanned = snippet_document().model_copy(update={"text_source": TextSource.OCR_TEXT})
    (ocr,) = extract_targets(scanned, snippet_lines(plan))
    assert clean.comparator == "="
    assert ocr.comparator == ">=" and ocr.confidence <= 0.5
    assert "'='" in (ocr.confidence_note or "")


def test_in_ocr_text_a_lone_two_before_a_number_is_a_damaged_at_least() -> None:
    plan = "2. Mục tiêu cụ thể\n- Có 2 80% cán bộ cấp xã được bồi dưỡng.\n- Có 2 trung tâm."
    scanned = snippet_document().model_copy(update={"text_source": TextSource.OCR_TEXT})
    officials, centres = extract_targets(scanned, snippet_lines(plan))
    assert (officials.comparator, officials.value, officials.unit) == (">=", 80, "%")
    assert officials.confidence <= 0.5 and officials.indicator_text.startswith("cán bộ")
    assert (centres.comparator, centres.value, centres.unit) == ("=", 2, "trung tâm")


def test_a_bare_number_inside_the_wording_is_no_target() -> None:
    plan = "2. Mục tiêu cụ thể\n- Đóng góp của TFP vào tăng trưởng kinh tế 6 mức cao."
    (target,) = extract_targets(snippet_document(), snippet_lines(plan))
    assert target.comparator == "exists"


def test_a_table_without_number_column_and_with_a_results_column() -> None:
    table = ("Chỉ tiêu\tĐVT\tThực hiện năm 2025\tKế hoạch năm 2026\tĐơn vị chủ trì\n"
             "Tỷ lệ hộ gia đình có cáp quang\t%\t70\t≥ 85\tSở Khoa học và Công nghệ\n"
             "Số điểm truy cập wifi công cộng\tĐiểm\t120\t200\tUBND cấp xã")
    fibre, wifi = extract_targets(snippet_document(), snippet_lines(table))
    assert (fibre.target_year, fibre.comparator, fibre.value, fibre.unit) == (2026, ">=", 85, "%")
    assert fibre.owner_agency == "Sở Khoa học và Công nghệ"
    assert (wifi.target_year, wifi.value, wifi.unit) == (2026, 200, "điểm")


def test_a_year_column_before_the_plan_was_issued_is_what_was_achieved() -> None:
    """A 2026 plan's "Năm 2025" column is the baseline; "Kế hoạch năm 2025" would be a target."""
    table = ("STT\tChỉ tiêu\tĐơn vị tính\tNăm 2025\tKế hoạch năm 2026\tMục tiêu năm 2030\n"
             "1\tTỷ lệ dân số trưởng thành có điện thoại thông minh\t%\t85\t≥ 90\t100")
    found = extract_targets(snippet_document(issued_on=date(2026, 6, 10)), snippet_lines(table))
    assert [(target.target_year, target.comparator, target.value) for target in found] == [
        (2026, ">=", 90), (2030, "=", 100)]
    planned = table.replace("\tNăm 2025", "\tKế hoạch năm 2025")
    found = extract_targets(snippet_document(issued_on=date(2026, 6, 10)), snippet_lines(planned))
    assert [target.target_year for target in found] == [2025, 2026, 2030]


def test_a_sentence_with_its_own_year_and_a_lead_in() -> None:
    """The lead-in's year governs the whole list after it, not only its own clause."""
    plan = ("1. Mục tiêu chung\n"
            "Phấn đấu đến năm 2030, tỷ lệ phủ sóng 5G đạt 100%; chỉ số chuyển đổi số ≥ 0,8.\n"
            "Tỷ lệ người dân có chữ ký số đạt 40%.")
    coverage, index, signatures = extract_targets(snippet_document(), snippet_lines(plan))
    assert (coverage.indicator_text, coverage.target_year, coverage.value) == (
        "tỷ lệ phủ sóng 5G", 2030, 100)
    assert (index.indicator_text, index.target_year, index.unit) == (
        "chỉ số chuyển đổi số", 2030, "index")
    assert signatures.target_year == 2030  # the year stands until the next heading


def test_parallel_values_share_the_last_predicate() -> None:
    plan = ("2. Mục tiêu cụ thể\n- Có 80% trở lên cơ quan cấp tỉnh, 60% trở lên cơ quan cấp xã "
            "được trang bị thiết bị hiện đại.")
    province, commune = extract_targets(snippet_document(), snippet_lines(plan))
    assert (province.comparator, province.value, commune.comparator, commune.value) == (
        ">=", 80, ">=", 60)
    assert province.indicator_text == "cơ quan cấp tỉnh được trang bị thiết bị hiện đại"
    assert commune.indicator_text == "cơ quan cấp xã được trang bị thiết bị hiện đại"


@pytest.mark.parametrize(("sentence", "wording", "comparator", "value"), [
    ("- Tăng tỷ lệ doanh nghiệp ứng dụng AI lên 40%.", "Tăng tỷ lệ doanh nghiệp ứng dụng AI",
     "=", 40),
    ("- Tỷ lệ hồ sơ trực tuyến: 80%.", "Tỷ lệ hồ sơ trực tuyến", "=", 80),
    ("- Chỉ số hài lòng đạt trên 80%.", "Chỉ số hài lòng", ">", 80),
    ("- Thời gian xử lý hồ sơ giảm xuống còn 10%.", "Thời gian xử lý hồ sơ", "=", 10),
    ("- Đến năm 2030, có ít nhất 50% hợp tác xã ứng dụng công nghệ số.",
     "hợp tác xã ứng dụng công nghệ số", ">=", 50),
])
def test_other_ways_of_stating_a_value(sentence: str, wording: str, comparator: str,
                                       value: float) -> None:
    (target,) = extract_targets(snippet_document(),
                                snippet_lines(f"2. Mục tiêu cụ thể\n{sentence}"))
    assert (target.indicator_text, target.comparator, target.value) == (wording, comparator, value)


def test_a_list_letter_the_restorer_garbled_comes_from_the_raw_ocr_line() -> None:
    lines = snippet_lines("2. Mục tiêu cụ thể\na) Hạ tầng\n- Tỷ lệ phủ sóng 5G ≥ 80%.\n"
                          "bộ) Về phát triển nguồn lực\n- Có ≥ 600 cán bộ nghiên cứu.")
    lines[3] = lines[3].model_copy(update={"raw_text": "b) Ve phat trien nguon luc",
                                           "repaired": True})
    coverage, researchers = extract_targets(snippet_document(), lines)
    assert (coverage.section, researchers.section) == ("2.a", "2.b")


VERB_FIRST_PLAN = """\
I. MỤC TIÊU
1. Mục tiêu đến năm 2026
- Hằng năm đào tạo ít nhất 500 lượt cán bộ về kỹ năng số.
- Thu hút tối thiểu 10 dự án đầu tư vào lĩnh vực công nghệ số.
- Phấn đấu có 2 sản phẩm được công nhận sản phẩm quốc gia.
- Số vụ tấn công mạng gây thiệt hại không quá 5 vụ/năm.
- Số lượng doanh nghiệp công nghệ số đạt 300 doanh nghiệp.
- Kinh tế số chiếm khoảng 20% GRDP của tỉnh.
"""


def test_a_verb_before_the_value_and_the_counted_noun_after_it() -> None:
    """The wording keeps the verb and what it counts; the unit is the noun after the value."""
    found = extract_targets(snippet_document(), snippet_lines(VERB_FIRST_PLAN))
    assert [(target.line, target.indicator_text, target.comparator, target.value, target.unit,
             target.per_year) for target in found] == [
        (3, "đào tạo lượt cán bộ về kỹ năng số", ">=", 500, "lượt", True),
        (4, "Thu hút dự án đầu tư vào lĩnh vực công nghệ số", ">=", 10, "dự án", False),
        (5, "sản phẩm được công nhận sản phẩm quốc gia", "=", 2, "sản phẩm", False),
        (6, "Số vụ tấn công mạng gây thiệt hại", "<=", 5, "vụ", True),
        (7, "Số lượng doanh nghiệp công nghệ số", "=", 300, "doanh nghiệp", False),
        (8, "Kinh tế số", "=", 20, "%GRDP", False),
    ]


MORE_WORDINGS_PLAN = """\
II. MỤC TIÊU
2. Mục tiêu cụ thể
- Tỷ lệ hộ gia đình sử dụng Internet cáp quang tăng từ 60% lên 80%.
- Hình thành từ 2 đến 3 khu công nghệ thông tin tập trung.
- Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) đạt mức 70 điểm.
- Tốc độ tăng trưởng kinh tế số bình quân 20%/năm.
- Đến năm 2030, tỷ lệ dân số có chữ ký số đạt trên 70% và 100% hồ sơ được số hóa.
3. Phấn đấu đến năm 2028, kinh tế số chiếm 25% GRDP.
"""


def test_rise_to_a_value_level_reached_per_year_and_a_second_value_after_and() -> None:
    found = extract_targets(snippet_document(), snippet_lines(MORE_WORDINGS_PLAN))
    assert [(target.line, target.indicator_text, target.comparator, target.value,
             target.value_max, target.unit, target.per_year) for target in found] == [
        (3, "Tỷ lệ hộ gia đình sử dụng Internet cáp quang", "=", 80, None, "%", False),
        (4, "Hình thành khu công nghệ thông tin tập trung", "between", 2, 3, "khu", False),
        (5, "Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)", "=", 70, None, "index", False),
        (6, "Tốc độ tăng trưởng kinh tế số bình quân", "=", 20, None, "%", True),
        (7, "tỷ lệ dân số có chữ ký số", ">", 70, None, "%", False),
        (7, "hồ sơ được số hóa", "=", 100, None, "%", False),
        (8, "kinh tế số", "=", 25, None, "%GRDP", False),
    ]


def test_a_scans_strict_symbol_is_read_as_the_printed_floor() -> None:
    """Tesseract reads "≥" as ">": in a scanned plan a ">" symbol is taken as ≥ and flagged;
    the word "trên" (above) stays strict, and a digital plan's ">" stays as written."""
    plan = ("STT\tChỉ tiêu\tĐơn vị tính\tNăm 2026\n"
            "1\tTỷ lệ phủ sóng 5G\t%\t> 70\n"
            "2\tTỷ lệ người dân có chữ ký số\t%\ttrên 40\n")
    scanned = snippet_document().model_copy(update={"text_source": TextSource.OCR})
    coverage, signatures = extract_targets(scanned, snippet_lines(plan))
    assert (coverage.comparator, coverage.value) == (">=", 70)
    assert coverage.confidence <= 0.5 and "'>'" in (coverage.confidence_note or "")
    assert signatures.comparator == ">"
    digital, _ = extract_targets(snippet_document(), snippet_lines(plan))
    assert digital.comparator == ">"
