"""A document's jurisdiction from its issuer, number and letterhead (texts written here in
the layouts plans come in)."""

from __future__ import annotations

import pytest

from extractors.jurisdiction import read_jurisdiction


@pytest.mark.parametrize(("header", "issuer", "number", "expected"), [
    (["TỈNH ỦY GIA LAI", "*", "Số 12-KH/TU"], "Ban Thường vụ Tỉnh ủy", "12-KH/TU",
     ("province", "tỉnh Gia Lai")),
    (["ỦY BAN NHÂN DÂN", "TỈNH CÀ MAU", "Số: 88/KH-UBND"], "Ủy ban nhân dân tỉnh",
     "88/KH-UBND", ("province", "tỉnh Cà Mau")),
    (["THÀNH ỦY ĐÀ NẴNG | ĐẢNG CỘNG SẢN VIỆT NAM"], None, None,
     ("province", "thành phố Đà Nẵng")),
    (["KẾ HOẠCH", "Chuyển đổi số trên địa bàn tỉnh Quảng Trị năm 2026"], None, None,
     ("province", "tỉnh Quảng Trị")),
    (["Số: 15/KH-UBND", "Bến Tre, ngày 3 tháng 2 năm 2023"], None, "15/KH-UBND",
     ("province", "tỉnh Bến Tre")),
    (["HUYỆN ỦY ĐỨC TRỌNG", "Số 07-KH/HU", "Lâm Đồng, ngày 2 tháng 5 năm 2025"], None,
     "07-KH/HU", ("district", "huyện Đức Trọng (tỉnh Lâm Đồng)")),
    (["BỘ Y TẾ", "Số: 310/KH-BYT", "Hà Nội, ngày 1 tháng 3 năm 2026"], "Bộ Y tế",
     "310/KH-BYT", ("ministry", "Bộ Y tế")),
    (["BỘ CHÍNH TRỊ", "Số 57-NQ/TW", "Hà Nội, ngày 22 tháng 12 năm 2024"], "Bộ Chính trị",
     "57-NQ/TW", ("national", "Trung ương")),
    (["Số: 749/QĐ-TTg", "Hà Nội, ngày 3 tháng 6 năm 2020"], None, "749/QĐ-TTg",
     ("national", "Trung ương")),
])
def test_the_jurisdiction_comes_from_issuer_number_and_letterhead(
        header: list[str], issuer: str | None, number: str | None,
        expected: tuple[str, str]) -> None:
    found = read_jurisdiction(header, header, issuer, number)
    assert found is not None and (found.level, found.name) == expected


def test_a_text_without_letterhead_takes_the_province_it_names_most() -> None:
    body = ["Theo kế hoạch, đến năm 2030 Long An phấn đấu 100% xã có hạ tầng số.",
            "UBND tỉnh Long An giao Sở Khoa học và Công nghệ chủ trì.",
            "Lãnh đạo tỉnh Long An cũng nhắc tới kinh nghiệm của tỉnh Tây Ninh."]
    found = read_jurisdiction([], body, None, None)
    assert found is not None and found.name == "tỉnh Long An"


@pytest.mark.parametrize("body", [
    ["Hà Nội, ngày 5 tháng 1 năm 2026", "Bảo đảm an toàn thông tin cho hệ thống số."],
    ["Hội nghị tổ chức tại Hà Nội bàn về kinh tế số; lòng an toàn của người dân …"],
    ["Bảo đảm an toàn, an ninh mạng cho các hệ thống thông tin."],
])
def test_no_jurisdiction_from_the_capital_where_central_bodies_sign_or_from_lower_case_words(
        body: list[str]) -> None:
    assert read_jurisdiction(body[:1], body, None, None) is None
