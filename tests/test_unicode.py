"""Unicode and tone normalisation on real plan text and on the forms Vietnamese text arrives in."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizers.unicode import is_syllable, normalize_text, strip_marks, tone_position
from tests.conftest import PLANS


@pytest.mark.parametrize(("written", "expected"), [
    ("hoá học", "hóa học"),  # open oa: tone on the first vowel (the plans' convention)
    ("Thuỷ lợi", "Thủy lợi"),
    ("uỷ ban", "ủy ban"),
    ("xoà", "xòa"),
    ("hoàn thành", "hoàn thành"),  # closed syllable: stays on the second vowel
    ("quý", "quý"),  # qu is the onset
    ("giữa", "giữa"),  # gi is the onset
    ("người", "người"),  # ươ: on ơ
    ("khuỷu", "khuỷu"),
    ("ĐỔI MỚI", "ĐỔI MỚI"),
])
def test_one_tone_convention(written: str, expected: str) -> None:
    assert normalize_text(written) == expected


def test_decomposed_input_becomes_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Kế hoạch chuyển đổi số")
    assert normalize_text(decomposed) == "Kế hoạch chuyển đổi số"
    assert unicodedata.is_normalized("NFC", normalize_text(decomposed))


def test_look_alike_eth_becomes_d_with_stroke() -> None:
    assert normalize_text("\u00d0ảng ủy") == "Đảng ủy"


def test_ocr_garbage_is_not_reshuffled() -> None:
    """Tone moves only inside real syllables: OCR tokens such as 'tué' stay as they are."""
    assert normalize_text("sang ché giai phap hifu ich tri tué") == (
        "sang ché giai phap hifu ich tri tué"
    )


def test_clean_plans_are_stable_and_keep_whitespace() -> None:
    for name in ("kh08", "kh3450", "ctr01"):
        for line in PLANS[name].read_text(encoding="utf-8").splitlines():
            once = normalize_text(line)
            assert normalize_text(once) == once
            assert strip_marks(once) == strip_marks(line)  # only mark placement changes
            assert [len(part) for part in once.split("\t")] == [
                len(part) for part in line.split("\t")
            ]


def test_syllable_spelling() -> None:
    for word in ("nghiệp", "quyết", "chuyển", "giúp", "gì", "khuỷu", "Đồng", "oà"):
        assert is_syllable(word), word
    for word in ("ngdy", "ctia", "thàc", "LGSP", "tr1en", "giin"):
        assert not is_syllable(word), word
    assert tone_position("hoa") == 1  # h-o-a: the tone sits on "o"


_VIETNAMESE_TEXT = st.text(
    alphabet=st.sampled_from(list("aăâeêioôơuưyđbcdghklmnpqrstvx \u0300\u0301\u0303\u0309\u0323")),
    max_size=40,
)


@given(_VIETNAMESE_TEXT)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
