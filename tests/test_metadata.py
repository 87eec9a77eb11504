"""Document metadata and references, on the four plans, their English-OCR renderings and
small invented snippets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from extractors.metadata import (
    facts_from_file_name,
    normalize_number,
    number_slug,
    read_document,
)
from schemas.records import Document, DocumentRef, Line, Relation, SourceText, TextSource
from tests.conftest import DATA, PLANS
from tests.snippets import read_with_product

EXPECTED = {
    "kh08": ("08-KH/TU", "08-KH-TU", "Ban Thường vụ Tỉnh ủy", date(2025, 8, 29),
             "Kế hoạch hành động"),
    "kh3450": ("3450/KH-UBND", "3450-KH-UBND", "Ủy ban nhân dân tỉnh", date(2026, 3, 17),
               "Kế hoạch"),
    "ctr01": ("01-CTr/BCĐ", "01-CTr-BCD", "Ban Chỉ đạo tỉnh", date(2026, 3, 20), "Chương trình"),
}


def _read(path: Path) -> tuple[Document, list[DocumentRef]]:
    source, lines = read_with_product(path)
    return read_document(source, lines)


def _snippet(text: str, name: str = "plan.txt") -> tuple[Document, list[DocumentRef]]:
    lines = [Line(doc_id="", page=1, line_no=number, raw_text=row, text=row)
             for number, row in enumerate(text.strip("\n").split("\n"), start=1)]
    source = SourceText(source_path=Path(name), sha256="0" * 64, text_source=TextSource.DIGITAL,
                        lines=(), page_count=1)
    return read_document(source, lines)


@pytest.mark.parametrize("plan", sorted(EXPECTED))
def test_clean_plans_give_number_issuer_date_kind(plan: str) -> None:
    document, _ = _read(PLANS[plan])
    number, doc_id, issuer, issued_on, kind = EXPECTED[plan]
    assert (document.number, document.doc_id, document.issuer, document.issued_on,
            document.kind) == (number, doc_id, issuer, issued_on, kind)


def test_titles_are_the_lines_under_the_kind_heading() -> None:
    ctr01, _ = _read(PLANS["ctr01"])
    kh08, _ = _read(PLANS["kh08"])
    assert ctr01.title == ("Công tác năm 2026 của Ban Chỉ đạo tỉnh về phát triển khoa học, "
                           "công nghệ, đổi mới sáng tạo và chuyển đổi số")
    assert kh08.title.startswith("Thực hiện Nghị quyết số 57-NQ/TW")
    assert kh08.title.endswith("trên địa bàn tỉnh Lâm Đồng")


def test_plan_without_number_line_takes_its_number_from_the_annex_headings() -> None:
    """KH 3450 has no "Số" line; its annexes say 3450 (17/3 in the first, 18/3 in the
    second): the first self-reference wins, and cited numbers (22-KH/TU after "Căn cứ")
    never become the plan's own."""
    document, refs = _read(PLANS["kh3450"])
    assert document.number == "3450/KH-UBND"
    assert document.issued_on == date(2026, 3, 17)
    assert "3450/KH-UBND" not in {ref.ref_number for ref in refs}


def test_garbled_ocr_header_falls_back_to_the_file_name() -> None:
    document, refs = _read(PLANS["kh22"])
    assert document.number == "22-KH/TU"
    assert document.doc_id == "22-KH-TU"
    assert document.issued_on == date(2026, 1, 14)
    assert document.issuer == "Ban Thường vụ Tỉnh ủy"  # "Ban Thuong vu Tinh Gy ban hanh"
    assert document.kind == "Kế hoạch"
    assert {"57-NQ/TW", "08-KH/TU"} <= {ref.ref_number for ref in refs}


@pytest.mark.parametrize("plan", sorted(EXPECTED))
def test_english_ocr_renderings_give_the_same_facts(plan: str) -> None:
    """Diacritics gone, "Số" read as "S6", "Căn cứ" as "Can ci?": same number (Đ -> D),
    issuer, date and kind as the clean plan."""
    clean, clean_refs = _read(PLANS[plan])
    damaged, damaged_refs = _read(DATA / "engocr" / PLANS[plan].name.replace(
        ".txt", ".eng-ocr.txt"))
    assert damaged.number == clean.number.replace("Đ", "D")
    assert (damaged.issuer, damaged.issued_on, damaged.kind) == (
        clean.issuer, clean.issued_on, clean.kind)
    strong = {ref.ref_number.replace("Đ", "D") for ref in clean_refs
              if ref.relation != Relation.MENTIONS}
    found = {ref.ref_number for ref in damaged_refs if ref.relation != Relation.MENTIONS}
    assert len(found & strong) >= 0.8 * len(strong)


def test_relations_basis_implements_and_an_amendment_between_two_other_documents() -> None:
    _, refs = _read(PLANS["kh3450"])
    by_relation = {(ref.ref_number, ref.relation, ref.subject_number) for ref in refs}
    assert ("22-KH/TU", Relation.BASIS, None) in by_relation
    assert ("44-KH/TU", Relation.BASIS, None) in by_relation
    assert ("22-KH/TU", Relation.AMENDS, "44-KH/TU") in by_relation  # 44 amends 22
    assert ("57-NQ/TW", Relation.IMPLEMENTS, None) in by_relation  # the title
    assert ("1065/BKH-CN-VP", Relation.IMPLEMENTS, None) in by_relation
    assert ("71/NQ-CP", Relation.MENTIONS, None) in by_relation  # what 5039 implements
    basis_22 = next(ref for ref in refs if ref.ref_number == "22-KH/TU")
    assert basis_22.ref_date == date(2026, 1, 14)
    assert basis_22.line == 9
    assert basis_22.ref_kind == "Kế hoạch"


def test_each_reference_is_listed_once_per_relation() -> None:
    _, refs = _read(PLANS["kh3450"])
    keys = [(ref.ref_number, ref.relation, ref.subject_number) for ref in refs]
    assert len(keys) == len(set(keys))
    mentioned = {ref.ref_number for ref in refs if ref.relation == Relation.MENTIONS}
    cited = {ref.ref_number for ref in refs
             if ref.relation != Relation.MENTIONS and ref.subject_number is None}
    assert not mentioned & cited


def test_a_plan_that_amends_another_itself() -> None:
    document, refs = _snippet("""
Số 05-KH/TU
KẾ HOẠCH
Sửa đổi, bổ sung một số nội dung tại Kế hoạch số 22-KH/TU, ngày 14/01/2026
""")
    assert document.number == "05-KH/TU"
    assert [(ref.ref_number, ref.relation, ref.subject_number) for ref in refs] == [
        ("22-KH/TU", Relation.AMENDS, None)]


def test_unknown_facts_are_none_and_the_id_comes_from_the_file_name() -> None:
    document, refs = _snippet("""
Căn cứ Kế hoạch số 5039/KH-UBND ngày 10/10/2025 của Ủy ban nhân dân tỉnh;
Các sở báo cáo kết quả.
""", name="ghi-chu cuoc hop.txt")
    assert document.number is None
    assert document.issued_on is None
    assert document.kind is None
    assert document.doc_id == "ghi-chu-cuoc-hop"
    assert [(ref.ref_number, ref.relation) for ref in refs] == [("5039/KH-UBND", Relation.BASIS)]


def test_issuer_named_in_the_body_and_its_alias() -> None:
    document, _ = _snippet("""
Số 03-CTr/BCĐ
CHƯƠNG TRÌNH
Công tác năm 2027

Ban Chỉ đạo tỉnh về chuyển đổi số (sau đây gọi tắt là Ban Chỉ đạo tỉnh) ban hành Chương trình.
""")
    assert document.issuer == "Ban Chỉ đạo tỉnh"
    assert document.title == "Công tác năm 2027"


@pytest.mark.parametrize(("raw", "normalised"), [
    ("3450 /KH-UBND", "3450/KH-UBND"),
    ("01 -CTr/BCĐ", "01-CTr/BCĐ"),
    ("06 - TB/CQTTBCĐ", "06-TB/CQTTBCĐ"),
])
def test_numbers_lose_their_inner_spaces(raw: str, normalised: str) -> None:
    assert normalize_number(raw) == normalised


def test_slugs_and_file_names() -> None:
    assert number_slug("01-CTr/BCĐ") == "01-CTr-BCD"
    facts = facts_from_file_name(Path("kh-3450-KH-UBND-2026-03-17.txt"))
    assert (facts.number, facts.issued_on) == ("3450/KH-UBND", date(2026, 3, 17))
    assert facts_from_file_name(Path("kh-22-KH-TU-2026-01-14.ocr.txt")).number == "22-KH/TU"
    assert facts_from_file_name(Path("bao-cao-thang.txt")) is None


def test_two_column_letterhead_read_as_one_line() -> None:
    """A PDF text layer may join the letterhead's columns: "UBND TỈNH … Số: … Lâm Đồng, …"."""
    document, refs = _snippet("""
UBND TỈNH LÂM ĐỒNG    Số: 1234/QĐ-UBND    Lâm Đồng, ngày 5 tháng 2 năm 2026
QUYẾT ĐỊNH
Về việc giao nhiệm vụ theo Kế hoạch số 3450/KH-UBND
""")
    assert (document.number, document.issued_on, document.kind, document.issuer) == (
        "1234/QĐ-UBND", date(2026, 2, 5), "Quyết định", "Ủy ban nhân dân tỉnh")
    assert [ref.ref_number for ref in refs] == ["3450/KH-UBND"]


def test_letterhead_body_broken_over_two_lines() -> None:
    document, _ = _snippet("""
ỦY BAN NHÂN DÂN
TỈNH KHÁNH HÒA
Số: 15/KH-UBND
Khánh Hòa, ngày 04 tháng 5 năm 2026
KẾ HOẠCH
Triển khai chuyển đổi số trên địa bàn tỉnh năm 2026
""")
    assert (document.number, document.issued_on, document.issuer) == (
        "15/KH-UBND", date(2026, 5, 4), "Ủy ban nhân dân tỉnh")


# The amending verb's own subject decides who amends: the document cited just before it
# (only its issuer and date in between), else this document when the subject is its issuer,
# an unknown issuer's body, or nobody named; "X" below is cited only to agree with.
@pytest.mark.parametrize(("text", "expected"), [
    ("""TỈNH ỦY HÀ TĨNH
Số 61-KH/TU
KẾ HOẠCH
Về việc điều chỉnh mục tiêu chuyển đổi số năm 2026

Để thống nhất với Kế hoạch số 04-KH/BCĐTW, ngày 05/01/2026 của Ban Chỉ đạo Trung ương về
phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số, Ban Thường vụ Tỉnh ủy
sửa đổi, bổ sung một số nội dung của Kế hoạch số 17-KH/TU, ngày 20/01/2026 như sau:
""", {("17-KH/TU", Relation.AMENDS, None), ("04-KH/BCĐTW", Relation.MENTIONS, None)}),
    ("""UBND TỈNH BẮC KẠN    Số: 88/KH-UBND    Bắc Kạn, ngày 3 tháng 4 năm 2026
KẾ HOẠCH
Triển khai chuyển đổi số năm 2026

Nhằm phù hợp với Quyết định số 2210/QĐ-UBND của Chủ tịch Ủy ban nhân dân tỉnh, Ủy ban nhân
dân tỉnh đã sửa đổi Kế hoạch số 40/KH-UBND ngày 02/02/2026 tại Kế hoạch này.
""", {("40/KH-UBND", Relation.AMENDS, None), ("2210/QĐ-UBND", Relation.MENTIONS, None)}),
    ("""Căn cứ Chương trình số 05-CTr/TU, ngày 10/01/2026 của Tỉnh ủy; Kế hoạch số 31-KH/TU
ngày 12 tháng 3 năm 2026 của Ban Thường vụ Tỉnh ủy về sửa đổi, bổ sung Kế hoạch số 09-KH/TU;
""", {("05-CTr/TU", Relation.BASIS, None), ("31-KH/TU", Relation.BASIS, None),
      ("09-KH/TU", Relation.AMENDS, "31-KH/TU")}),
    ("""ỦY BAN NHÂN DÂN
TỈNH CÀ MAU
Số: 19/KH-UBND
KẾ HOẠCH
Chuyển đổi số năm 2026

Thực hiện Kế hoạch số 12/KH-SKHCN của Sở Khoa học và Công nghệ, Sở Nội vụ đã sửa đổi Kế
hoạch số 7/KH-SNV ngày 4/1/2026.
""", {("12/KH-SKHCN", Relation.IMPLEMENTS, None), ("7/KH-SNV", Relation.MENTIONS, None)}),
], ids=["party-agrees-with-central", "province-news-form", "basis-list-cited-amender",
        "another-body-amends"])
def test_the_amender_is_the_subject_of_the_amending_verb(
        text: str, expected: set[tuple[str, Relation, str | None]]) -> None:
    _, refs = _snippet(text)
    assert {(ref.ref_number, ref.relation, ref.subject_number) for ref in refs} == expected


def test_each_relation_keeps_the_sentence_that_states_it() -> None:
    _, refs = _snippet("""
Căn cứ Kế hoạch số 22-KH/TU, ngày 14/01/2026 của Ban Thường vụ Tỉnh ủy. Để thống nhất với Kế
hoạch số 04-KH/BCĐTW, Ban Thường vụ Tỉnh ủy sửa đổi, bổ sung Kế hoạch số 17-KH/TU. Các sở
báo cáo kết quả.
""")
    by_number = {ref.ref_number: ref.source_text for ref in refs}
    assert by_number["22-KH/TU"] == ("Căn cứ Kế hoạch số 22-KH/TU, ngày 14/01/2026 của Ban "
                                     "Thường vụ Tỉnh ủy.")
    assert by_number["17-KH/TU"] == ("Để thống nhất với Kế hoạch số 04-KH/BCĐTW, Ban Thường vụ "
                                     "Tỉnh ủy sửa đổi, bổ sung Kế hoạch số 17-KH/TU.")


# Letterheads as web pages give them when copied: cells between "|", rules of dashes, words
# and the number broken over lines; and a portal's own fields block.
@pytest.mark.parametrize(("text", "expected"), [
    ("""BỘ
KHOA HỌC VÀ CÔNG NGHỆ
-------
|
CỘNG
HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
|
Số:
412/KH-BKHCN
|
Hà
Nội, ngày 09 tháng 3 năm 2026
KẾ HOẠCH
Triển khai nền tảng số ngành khoa học năm 2026
""", ("412/KH-BKHCN", "Bộ Khoa học và Công nghệ", date(2026, 3, 9), "Kế hoạch")),
    ("""ỦY BAN NHÂN DÂN TỈNH GIA LAI | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
-------- | Độc lập - Tự do - Hạnh phúc
Số: 77/QĐ-UBND | Gia Lai, ngày 21 tháng 5 năm 2026
QUYẾT ĐỊNH
Về việc phê duyệt danh mục dữ liệu mở
""", ("77/QĐ-UBND", "Ủy ban nhân dân tỉnh", date(2026, 5, 21), "Quyết định")),
    ("""VĂN PHÒNG CHÍNH PHỦ
-------

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------

Số: 903/VPCP-KGVX
V/v triển khai nền tảng học tập số

Hà Nội, ngày 2 tháng 2 năm 2026
""", ("903/VPCP-KGVX", "Văn phòng Chính phủ", date(2026, 2, 2), "Công văn")),
    ("""Quyết định 55/QĐ-BYT về chuyển đổi số y tế cơ sở
Số hiệu:
55/QĐ-BYT
Loại văn bản:
Quyết định
Nơi ban hành:
Bộ Y tế
Ngày ban hành:
14/01/2026
Tình trạng: Còn hiệu lực

Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;
""", ("55/QĐ-BYT", "Bộ Y tế", date(2026, 1, 14), "Quyết định")),
], ids=["broken-cells", "pipe-columns", "ministry-office-letter", "portal-fields"])
def test_letterheads_copied_from_web_pages(text: str, expected: tuple) -> None:
    document, _ = _snippet(text)
    assert (document.number, document.issuer, document.issued_on, document.kind) == expected
    assert not (document.title or "").startswith(("Nơi ban hành", "Số hiệu"))


def test_a_news_excerpt_loads_with_an_id_from_its_file_name() -> None:
    document, _ = _snippet("""
Theo kế hoạch, đến năm 2027 tỉnh phấn đấu 90% hồ sơ được xử lý trực tuyến.
Sở Khoa học và Công nghệ chủ trì theo dõi, báo cáo trước ngày 15/12/2026.
""", name="bao-tin-tuc/../../etc/trang tin 5.txt")
    assert (document.number, document.issuer, document.issued_on, document.kind) == (
        None, None, None, None)
    assert document.doc_id == "trang-tin-5"


def test_a_title_restored_from_ocr_text_says_so(tmp_path: Path) -> None:
    """KH 22's title comes out of restoration (its OCR text has no marks); the clean plans'
    titles are as written."""
    from pipeline.run.stages import read_and_extract

    extracted, failures = read_and_extract([PLANS["kh22"], PLANS["kh08"]], [], tmp_path)
    assert failures == []
    by_path = {Path(found.document.source_path).name: found.document for found in extracted}
    restored = by_path[PLANS["kh22"].name]
    assert restored.title and restored.title_restored
    assert by_path[PLANS["kh08"].name].title and not by_path[PLANS["kh08"].name].title_restored


def test_a_kind_and_its_title_on_one_line_in_capitals() -> None:
    """A strategy printed as one line of capitals under a contact line: its kind and title
    (whose period is the horizon of its targets)."""
    document, _ = _snippet("ĐT: (84) 24.3869.2121; thuky@truong.edu.vn\n"
                           "\n"
                           "CHIẾN LƯỢC PHÁT TRIỂN TRƯỜNG ĐẠI HỌC GIAI ĐOẠN 2026 – 2035\n"
                           "\n"
                           "1. Tầm nhìn\n"
                           "- Thuộc nhóm 10 đại học hàng đầu của Việt Nam.")
    assert (document.kind, document.title) == (
        "Chiến lược", "PHÁT TRIỂN TRƯỜNG ĐẠI HỌC GIAI ĐOẠN 2026 – 2035")


def test_a_title_stops_where_the_grounds_begin() -> None:
    """A portal page runs a decision into one line: the title is not its grounds."""
    document, _ = _snippet("QUYẾT ĐỊNH\n"
                           "Phê duyệt Đề án chuyển đổi số tỉnh giai đoạn 2026-2030 Căn cứ Luật "
                           "Tổ chức chính quyền địa phương; Căn cứ Nghị quyết số 57-NQ/TW.")
    assert document.title == "Phê duyệt Đề án chuyển đổi số tỉnh giai đoạn 2026-2030"


def test_a_document_annexed_to_another_says_so_in_brackets_not_in_a_sentence() -> None:
    """ "… 53 dịch vụ công thiết yếu ban hành kèm theo Đề án 06/CP …" cites the scheme: the
    excerpt's number stays unknown (its id comes from the file name)."""
    document, _ = _snippet("Ngày 31/01/2026, UBND tỉnh ban hành Kế hoạch triển khai Đề án 06/CP.\n"
                           "(1) Triển khai 53 dịch vụ công thiết yếu ban hành kèm theo Đề án "
                           "06/CP.", name="tinh-de-an-06.txt")
    assert (document.number, document.doc_id) == (None, "tinh-de-an-06")
