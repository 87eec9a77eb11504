"""The cascade from national to local targets: a plan's appendix says, target by target,
which higher plan's target it details ("Cụ thể hóa chỉ tiêu “…” tại Chương trình số …").
Plans written here in that layout: a national programme and a provincial plan citing it."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractors.lineage import read_lineage
from pipeline.cli import main
from pipeline.run.stages import extract
from pipeline.store.warehouse import Warehouse
from schemas.records import ConflictKind, LineageRelation, Target
from tests.conftest import PLANS
from tests.snippets import read_with_product

NATIONAL = """BAN CHỈ ĐẠO TRUNG ƯƠNG
Số 07-CTr/BCĐTW
ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nội, ngày 10 tháng 1 năm 2026

CHƯƠNG TRÌNH
Công tác năm 2026 của Ban Chỉ đạo Trung ương về chuyển đổi số

I. MỤC TIÊU NĂM 2026
1. Tỷ lệ hộ gia đình có kết nối cáp quang đạt tối thiểu 85%.
2. Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến đạt tối thiểu 80%.
"""

PROVINCIAL = """ỦY BAN NHÂN DÂN
TỈNH GIA LAI
Số: 210/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Gia Lai, ngày 2 tháng 3 năm 2026

KẾ HOẠCH
Chuyển đổi số năm 2026 trên địa bàn tỉnh Gia Lai

I. MỤC TIÊU
Thực hiện các chỉ tiêu tại Phụ lục kèm theo.

Phụ lục: DANH MỤC CHỈ TIÊU
"""
APPENDIX_ROWS = [
    ("STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2026", "Năm 2030", "Cơ quan theo dõi", "Văn bản nguồn"),
    ("1", "Tỷ lệ hộ gia đình có kết nối cáp quang", "%", "≥ 75", "95", "Sở Khoa học và Công nghệ",
     "Cụ thể hóa chỉ tiêu “Tỷ lệ hộ gia đình có kết nối cáp quang đạt tối thiểu 85%” tại "
     "Chương trình số 07-CTr/BCĐTW"),
    ("2", "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến", "%", "≥ 80", "100",
     "Văn phòng UBND tỉnh", "Thống nhất với chỉ tiêu tại Chương trình số 07-CTr/BCĐTW"),
    ("3", "Tỷ lệ doanh nghiệp nhỏ và vừa dùng hóa đơn điện tử", "%", "≥ 90", "100", "Sở Tài chính",
     "Cụ thể hóa chỉ tiêu “100% doanh nghiệp nhỏ và vừa dùng nền tảng số” tại Chương trình số "
     "07-CTr/BCĐTW"),
]
PROVINCIAL += "".join("\t".join(row) + "\n" for row in APPENDIX_ROWS)


def _target(source_text: str, line: int = 14) -> Target:
    return Target(target_id=f"t{line}", doc_id="210-KH-UBND", indicator_text="x", target_year=2026,
                  comparator=">=", value=75, unit="%", page=1, line=line,
                  source_text=source_text, confidence=0.95)


@pytest.mark.parametrize(("source", "relation", "numbers", "quoted", "figure"), [
    ("Cụ thể hóa chỉ tiêu “100% cán bộ được đào tạo kỹ năng số” tại Chương trình số "
     "07-CTr/BCĐTW và Quyết định số 12/QĐ-BCĐCP", LineageRelation.SPECIFIES,
     ["07-CTr/BCĐTW", "12/QĐ-BCĐCP"], "100% cán bộ được đào tạo kỹ năng số", ("=", 100.0)),
    ("(1) Thống nhất với chỉ tiêu tại Chương trình số 07-CTr/BCĐTW; (2) Văn bản số "
     "773/VPCP-CĐS về phương pháp đo", LineageRelation.ALIGNS, ["07-CTr/BCĐTW"], None, None),
    ("Cụ thể hoá chỉ tiêu số 1 tại mục I, Phụ lục I “Hạ tầng số” tại Kế hoạch số 5039/KH-UBND",
     LineageRelation.SPECIFIES, ["5039/KH-UBND"], None, None),
    ("Cụ thể hóa chỉ tiêu “Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến toàn trình đạt tối "
     "thiểu 80%” tại Chương trình số 07-CTr/BCĐTW", LineageRelation.SPECIFIES,
     ["07-CTr/BCĐTW"], None, (">=", 80.0)),
])
def test_a_target_names_the_higher_plan_and_target_it_implements(
        source: str, relation: LineageRelation, numbers: list[str], quoted: str | None,
        figure: tuple[str, float] | None) -> None:
    found = read_lineage([_target(source)])
    assert [row.parent_number for row in found] == numbers
    assert {row.relation for row in found} == {relation}
    if quoted:
        assert found[0].parent_text == quoted
    assert (found[0].parent_comparator, found[0].parent_value) == (figure or (None, None))


def test_no_lineage_without_a_citing_verb() -> None:
    assert read_lineage([_target("Văn bản số 773/VPCP-CĐS về phương pháp đo lường chỉ tiêu")]) \
        == []


@pytest.fixture(scope="module")
def cascade_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cascade")
    (folder / "ctr-07-CTr-BCDTW-2026-01-10.txt").write_text(NATIONAL, encoding="utf-8")
    (folder / "kh-210-KH-UBND-2026-03-02.txt").write_text(PROVINCIAL, encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(main, ["run", str(folder), "--out", str(out),
                                       "--db", str(out / "chitieu.duckdb")])
    assert result.exit_code == 0, result.output
    return out / "chitieu.duckdb"


@pytest.mark.slow
def test_a_local_floor_under_the_assigned_one_and_a_cited_target_not_found(
        cascade_db: Path) -> None:
    with Warehouse.open(cascade_db, read_only=True) as warehouse:
        documents = {document.doc_id: document for document in warehouse.documents()}
        targets = {target.target_id: target for target in warehouse.targets()}
        lineage = warehouse.lineage()
        conflicts = warehouse.conflicts()
    assert documents["07-CTr-BCDTW"].jurisdiction_level == "national"
    assert documents["210-KH-UBND"].jurisdiction == "tỉnh Gia Lai"
    linked = {(targets[row.target_id].line, targets[row.target_id].target_year):
              targets[row.parent_target_id].value if row.parent_target_id else None
              for row in lineage}
    assert linked[(15, 2026)] == 85 and linked[(16, 2026)] == 80 and linked[(17, 2026)] is None
    kinds = {(conflict.kind, targets[conflict.target_id_b].line) for conflict in conflicts}
    assert (ConflictKind.BELOW_ASSIGNED, 15) in kinds  # 75 % under the 85 % assigned
    assert (ConflictKind.SOURCE_NOT_FOUND, 17) in kinds  # no such target in 07-CTr/BCĐTW
    assert not any(line == 16 for kind, line in kinds)  # 80 % as assigned
    assert not any(kind == ConflictKind.CROSS_DOC for kind, _ in kinds)  # two jurisdictions


@pytest.mark.slow
def test_the_lineage_is_exported(cascade_db: Path) -> None:
    with (cascade_db.parent / "exports" / "lineage.csv").open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert {row["parent_number"] for row in rows} == {"07-CTr/BCĐTW"}
    assert all(row["parent_doc_id"] == "07-CTr-BCDTW" for row in rows)
    assert sum(bool(row["parent_target_id"]) for row in rows) == 4  # rows 1 and 2, two years


def test_kh_3450s_appendix_states_the_source_of_its_targets() -> None:
    """KH 3450's Phụ lục I cites, row by row, the programme of the central steering committee
    (02-CTr/BCĐTW), the government's decision (11/QĐ-BCĐCP) and the province's 5039/KH-UBND;
    where it quotes the parent target, the quoted figure is kept."""
    source, lines = read_with_product(PLANS["kh3450"])
    extracted = extract(source, lines)
    parents = Counter(row.parent_number for row in extracted.lineage)
    assert {"02-CTr/BCĐTW", "11/QĐ-BCĐCP", "5039/KH-UBND"} <= set(parents)
    quoted = {row.line: (row.parent_comparator, row.parent_value) for row in extracted.lineage
              if row.parent_value is not None}
    assert quoted[177] == (">=", 80.0)  # "… đạt tối thiểu 80%" quoted for the 2026 programme
    assert all(row.target_id in {target.target_id for target in extracted.targets}
               for row in extracted.lineage)


@pytest.mark.slow
def test_the_report_shows_each_chain_from_the_national_target_down_to_the_agency(
        cascade_db: Path) -> None:
    html = (cascade_db.parent / "report.html").read_text(encoding="utf-8")
    markdown = (cascade_db.parent / "report.md").read_text(encoding="utf-8")
    chain = "Chương trình 07-CTr/BCĐTW: ≥ 85 % (2026) → Kế hoạch 210/KH-UBND: ≥ 75 % (2026)"
    assert "Chuỗi chỉ tiêu từ cấp trên" in html and chain in html
    assert chain in markdown
    assert "Sở Khoa học và Công nghệ" in html.split('id="chuoi-chi-tieu"')[1]
    assert "đã nạp không có chỉ tiêu này" in html
