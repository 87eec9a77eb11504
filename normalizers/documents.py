"""Vietnamese document kinds and document-number parts, from documents.toml (package data):
one list that the restorer's document-number grammar and the metadata extractor both read."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from importlib import resources
from typing import Any

from normalizers.unicode import normalize_text


@cache
def _data() -> dict[str, Any]:
    text = resources.files("normalizers").joinpath("documents.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def document_kinds() -> dict[str, str]:
    """Kind as named ("Nghị quyết") -> its abbreviation in a document number ("NQ"; "" for
    none)."""
    return {normalize_text(name): normalize_text(abbreviation)
            for name, abbreviation in _data()["kinds"].items()}


def issuer_codes() -> tuple[str, ...]:
    """Issuers' abbreviations in document numbers ("TW", "UBND", "BCĐ")."""
    return tuple(normalize_text(code) for code in _data()["issuers"]["codes"])


def number_key(number: str) -> str:
    """A document number in a form that matches however it was typed: 01-CTr/BCĐ → 01-CTR-BCD."""
    decomposed = unicodedata.normalize("NFD", number.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return "-".join(re.findall(r"[A-Za-z0-9]+", plain)).upper()


def issuer_names() -> tuple[str, ...]:
    """Bodies that issue plans, as written ("Ban Thường vụ Tỉnh ủy", "Bộ Khoa học và Công
    nghệ")."""
    return tuple(normalize_text(name) for name in _data()["issuers"]["names"])
