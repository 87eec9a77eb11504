"""Agency names: aliases, abbreviations, OCR slips, list splitting, the catalog."""

from __future__ import annotations

import pytest

from extractors.agencies import (
    agency_id,
    build_agency_catalog,
    canonical_agency_name,
    split_agencies,
)
from extractors.textblocks import fold


@pytest.mark.parametrize("spelling", [
    "Sở Khoa học và Công nghệ", "Sở KH&CN", "SKHCN", "Sở KHCN", "sở khoa học và công nghệ.",
])
def test_spellings_of_one_department(spelling: str) -> None:
    assert canonical_agency_name(spelling) == "Sở Khoa học và Công nghệ"


@pytest.mark.parametrize("spelling", [
    "UBND cấp xã", "Ủy ban nhân dân cấp xã", "UBND các xã, phường, đặc khu",
])
def test_commune_people_s_committees(spelling: str) -> None:
    assert canonical_agency_name(spelling) == "Ủy ban nhân dân cấp xã"


def test_abbreviations_not_listed_are_read_by_their_initials() -> None:
    assert canonical_agency_name("Sở GD-ĐT") == "Sở Giáo dục và Đào tạo"
    assert canonical_agency_name("Sở NN-MT") == "Sở Nông nghiệp và Môi trường"
    # no known name: the abbreviation is spelled out
    assert canonical_agency_name("Thường trực HĐND tỉnh") == "Thường trực Hội đồng nhân dân tỉnh"


def test_ocr_slips_resolve_but_near_names_stay_apart() -> None:
    assert canonical_agency_name("Hoi dong nhin din tinh") == "Hội đồng nhân dân tỉnh"
    assert canonical_agency_name("Sở Ngoại vụ") == "Sở Ngoại vụ"
    assert canonical_agency_name("Sở Nội vụ") == "Sở Nội vụ"


def test_a_role_in_apposition_is_dropped_and_a_bare_steering_committee_is_the_province_s() -> None:
    assert canonical_agency_name("Văn phòng Tỉnh ủy - Cơ quan Thường trực Ban Chỉ đạo") == (
        "Văn phòng Tỉnh ủy")
    assert canonical_agency_name("Các tổ chức chính trị - xã hội") == (
        "Các tổ chức chính trị - xã hội")
    assert canonical_agency_name("Ban Chỉ đạo") == "Ban Chỉ đạo tỉnh"


def test_unknown_names_come_back_tidied() -> None:
    assert canonical_agency_name("  các doanh nghiệp viễn thông; ") == "Các doanh nghiệp viễn thông"


@pytest.mark.parametrize(("text", "agencies"), [
    ("Các sở, ban, ngành; UBND cấp xã", ("Các sở, ban, ngành", "Ủy ban nhân dân cấp xã")),
    ("Sở Văn hóa, Thể thao và Du lịch", ("Sở Văn hóa, Thể thao và Du lịch",)),
    ("Sở Văn hóa, Thể thao và Du lịch tỉnh Gia Lai",
     ("Sở Văn hóa, Thể thao và Du lịch tỉnh Gia Lai",)),
    ("Các sở, ban, ngành liên quan và UBND cấp xã",
     ("Các sở, ban, ngành liên quan", "Ủy ban nhân dân cấp xã")),
    ("Thường trực Tỉnh ủy, Ban Thường vụ Tỉnh ủy",
     ("Thường trực Tỉnh ủy", "Ban Thường vụ Tỉnh ủy")),
    ("Sở KH&CN, Sở Tài chính và SKHCN", ("Sở Khoa học và Công nghệ", "Sở Tài chính")),
    ("Báo và Phát thanh, Truyền hình tỉnh; Công an tỉnh",
     ("Báo và Phát thanh, Truyền hình tỉnh", "Công an tỉnh")),
    ("", ()),
])
def test_lists_split_between_agencies_not_inside_names(text: str,
                                                       agencies: tuple[str, ...]) -> None:
    assert split_agencies(text) == agencies


def test_catalog_has_stable_ids_and_keeps_spellings() -> None:
    catalog = build_agency_catalog(["Sở KH&CN", "SKHCN", "Sở Khoa học và Công nghệ",
                                    "UBND cấp xã", "Sở Xây dựng", " "])
    by_id = {agency.agency_id: agency for agency in catalog}
    assert set(by_id) == {"so-khoa-hoc-va-cong-nghe", "uy-ban-nhan-dan-cap-xa", "so-xay-dung"}
    assert {"Sở KH&CN", "SKHCN"} <= set(by_id["so-khoa-hoc-va-cong-nghe"].aliases)
    assert "Sở Khoa học và Công nghệ" not in by_id["so-khoa-hoc-va-cong-nghe"].aliases
    assert agency_id("Sở KH&CN") == agency_id("Sở Khoa học và Công nghệ")
    assert build_agency_catalog(["SKHCN"]) == build_agency_catalog(["SKHCN"])


def test_catalog_splits_lists_it_is_given() -> None:
    """Target owners arrive as written ("Các sở, ban, ngành; UBND các xã, phường, đặc khu")."""
    catalog = build_agency_catalog(["Các sở, ban, ngành; UBND các xã, phường, đặc khu"])
    assert [agency.name for agency in catalog] == ["Các sở, ban, ngành", "Ủy ban nhân dân cấp xã"]
    assert "UBND các xã, phường, đặc khu" in catalog[1].aliases


def test_a_spelling_slip_never_changes_the_kind_of_body() -> None:
    """A ministry is no department: "Bộ Khoa học và Công nghệ" is one letter from "Sở …" but
    another body; an OCR slip inside the name still reads as the known name."""
    assert canonical_agency_name("Bộ Khoa học và Công nghệ") == "Bộ Khoa học và Công nghệ"
    assert canonical_agency_name("Sở Khoa hoc và Cong nghệ") == "Sở Khoa học và Công nghệ"


# The ministries and government bodies after the 2025 merger, and the names they had before.
MINISTRIES = (
    "Bộ Tài chính", "Bộ Nội vụ", "Bộ Khoa học và Công nghệ", "Bộ Nông nghiệp và Môi trường",
    "Bộ Xây dựng", "Bộ Công Thương", "Bộ Giáo dục và Đào tạo", "Bộ Y tế",
    "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Ngoại giao", "Bộ Tư pháp", "Bộ Quốc phòng",
    "Bộ Công an", "Bộ Dân tộc và Tôn giáo", "Ngân hàng Nhà nước Việt Nam", "Thanh tra Chính phủ",
    "Văn phòng Chính phủ")
FORMER_MINISTRIES = (
    "Bộ Thông tin và Truyền thông", "Bộ Kế hoạch và Đầu tư", "Bộ Tài nguyên và Môi trường",
    "Bộ Nông nghiệp và Phát triển nông thôn", "Bộ Lao động - Thương binh và Xã hội",
    "Bộ Giao thông vận tải")


@pytest.mark.parametrize("ministry", MINISTRIES + FORMER_MINISTRIES)
def test_every_ministry_is_its_own_name_however_written(ministry: str) -> None:
    """Upper case (a letterhead), without marks (a stripped text): one ministry is never
    another ("Bộ Nội vụ" is no "Bộ Tài chính"); a former ministry keeps the name the text
    gives it."""
    for spelling in (ministry, ministry.upper(), fold(ministry)):
        assert canonical_agency_name(spelling) == ministry


@pytest.mark.parametrize(("spelling", "ministry"), [
    ("Bộ KH&CN", "Bộ Khoa học và Công nghệ"), ("Bộ TT&TT", "Bộ Thông tin và Truyền thông"),
    ("Bộ KH&ĐT", "Bộ Kế hoạch và Đầu tư"), ("Bộ GD-ĐT", "Bộ Giáo dục và Đào tạo"),
    ("Bộ trưởng Bộ Nội vụ", "Bộ Nội vụ"), ("Ngân hàng Nhà nước", "Ngân hàng Nhà nước Việt Nam"),
])
def test_abbreviated_ministries_and_their_ministers(spelling: str, ministry: str) -> None:
    assert canonical_agency_name(spelling) == ministry


def test_bare_initials_name_no_body_unless_listed() -> None:
    """"BTC" is Ban Tổ chức as often as Bộ Tài chính: initials name a body by its kind spelled
    out ("Bộ TC") or as a listed alias ("SKHCN")."""
    assert canonical_agency_name("BTC") == "BTC"
    assert canonical_agency_name("Bộ TC") == "Bộ Tài chính"
    assert canonical_agency_name("SKHCN") == "Sở Khoa học và Công nghệ"


@pytest.mark.parametrize(("spelling", "agencies"), [
    ("Ủy ban nhân dân các tỉnh", ("Ủy ban nhân dân các tỉnh",)),
    ("UBND các tỉnh, thành phố trực thuộc trung ương",
     ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương",)),
    ("Chủ tịch UBND tỉnh", ("Ủy ban nhân dân tỉnh",)),
    ("Giám đốc các sở, ban, ngành; Chủ tịch UBND các huyện",
     ("Các sở, ban, ngành", "Ủy ban nhân dân các huyện")),
    ("Trường Chính trị tỉnh", ("Trường Chính trị tỉnh",)),
    ("Các sở, ngành", ("Các sở, ngành",)),  # one letter from "Các bộ, ngành", another kind
])
def test_many_bodies_stay_many_and_posts_name_their_bodies(spelling: str,
                                                           agencies: tuple[str, ...]) -> None:
    """A plural addressee is never the one provincial committee; a head's post is the body."""
    assert split_agencies(spelling) == agencies
