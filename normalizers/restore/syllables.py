"""Vietnamese text and words that ship inside installed packages, and the syllable inventory.

Sources (nothing is downloaded): Debian `hunspell-vi` (word list), underthesea's bundled word
lists, its VLSP 2013 tagged test output (running news text) and its administrative-unit
mapping (district names for the gazetteer), and the Vietnamese gettext
catalogues Debian packages install. Each is optional: a missing one is skipped.
"""

from __future__ import annotations

import gettext
import importlib.util
import json
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path

from normalizers.restore.tokens import tokenize
from normalizers.unicode import is_syllable, normalize_text, strip_marks

HUNSPELL_DIC = Path("/usr/share/hunspell/vi_VN.dic")
GETTEXT_DIR = Path("/usr/share/locale/vi/LC_MESSAGES")
_UNDERTHESEA_WORD_LISTS = ("corpus/data/Viet74K.txt",)
_UNDERTHESEA_TAGGED_TEXT = "pipeline/pos_tag/models/pos_crf_vlsp2013_20230303/test_output.txt"
_UNDERTHESEA_ADDRESSES = "address/data/mapping.json"
VOCABULARY_FILE = "data/vocabulary.toml"  # written for the restorer (package data)
_DISTRICT_KINDS = re.compile(r"^(?:Huyện|Quận|Thị xã|Thành phố)\s+")


def _underthesea_dir() -> Path | None:
    spec = importlib.util.find_spec("underthesea")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def resource_files() -> list[Path]:
    """Every packaged file the model reads (its content is part of the cache key)."""
    files = [HUNSPELL_DIC] if HUNSPELL_DIC.exists() else []
    package_dir = _underthesea_dir()
    if package_dir is not None:
        for relative in (*_UNDERTHESEA_WORD_LISTS, _UNDERTHESEA_TAGGED_TEXT,
                         _UNDERTHESEA_ADDRESSES):
            if (package_dir / relative).exists():
                files.append(package_dir / relative)
    if GETTEXT_DIR.is_dir():
        files.extend(sorted(GETTEXT_DIR.glob("*.mo")))
    return files


def dictionary_words() -> Iterator[str]:
    """Words (one or more syllables) from the hunspell and underthesea word lists."""
    if HUNSPELL_DIC.exists():
        lines = HUNSPELL_DIC.read_text(encoding="utf-8", errors="replace").splitlines()
        for line in lines[1:]:
            yield line.split("/", 1)[0].strip()
    package_dir = _underthesea_dir()
    for relative in _UNDERTHESEA_WORD_LISTS if package_dir else ():
        path = package_dir / relative
        if path.exists():
            yield from path.read_text(encoding="utf-8", errors="replace").splitlines()


@lru_cache(maxsize=1)
def dictionary() -> frozenset[str]:
    """The packaged word lists as a set of lower-case words, tone convention normalised."""
    return frozenset(normalize_text(word).lower() for word in dictionary_words() if word.strip())


def _tagged_sentences(path: Path) -> Iterator[str]:
    """Sentences of a CoNLL-like file: word<TAB>tag…, blank line between sentences."""
    words: list[str] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip():
            if words:
                yield " ".join(words)
            words = []
            continue
        words.append(line.split("\t", 1)[0])
    if words:
        yield " ".join(words)


def _gettext_messages(directory: Path) -> Iterator[str]:
    for path in sorted(directory.glob("*.mo")):
        try:
            with path.open("rb") as handle:
                catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        except (OSError, gettext.Error, UnicodeDecodeError):
            continue
        for message in catalog.values():
            if isinstance(message, str):
                yield from message.splitlines()


def news_sentences() -> Iterator[str]:
    """Running Vietnamese prose from packages (underthesea's VLSP 2013 test sentences)."""
    package_dir = _underthesea_dir()
    if package_dir is not None and (package_dir / _UNDERTHESEA_TAGGED_TEXT).exists():
        yield from _tagged_sentences(package_dir / _UNDERTHESEA_TAGGED_TEXT)


def district_names() -> set[str]:
    """The districts, towns and cities under the provinces before 2025 ("Lạc Dương", "Đà
    Lạt"), from underthesea's administrative-unit mapping."""
    package_dir = _underthesea_dir()
    if package_dir is None or not (package_dir / _UNDERTHESEA_ADDRESSES).exists():
        return set()
    records = json.loads((package_dir / _UNDERTHESEA_ADDRESSES).read_text(encoding="utf-8"))
    return {_DISTRICT_KINDS.sub("", record["old_district"])
            for record in records["ward_mapping"] if record.get("old_district")}


@lru_cache(maxsize=1)
def shipped_vocabulary() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(phrases, acronyms) of data/vocabulary.toml: the administrative wordings every plan
    uses, counted like clean lines, and acronyms as plans spell them ("CĐS")."""
    text = resources.files("normalizers.restore").joinpath(VOCABULARY_FILE).read_text(
        encoding="utf-8")
    data = tomllib.loads(text)
    return (tuple(normalize_text(phrase) for phrase in data["phrases"]),
            tuple(normalize_text(acronym) for acronym in data["acronyms"]))


def interface_messages() -> Iterator[str]:
    """Vietnamese UI messages of Debian packages: many syllables, but not prose (placeholders,
    English terms), so they count towards the inventory only."""
    if GETTEXT_DIR.is_dir():
        yield from _gettext_messages(GETTEXT_DIR)


def count_syllables(lines: Iterable[str]) -> Counter[str]:
    """Lower-case syllables of the lines, tone convention normalised."""
    counts: Counter[str] = Counter()
    for line in lines:
        for token in tokenize(normalize_text(line)):
            if token.kind == "word" and is_syllable(token.text):
                counts[token.text.lower()] += 1
    return counts


def skeleton_index(inventory: Iterable[str]) -> dict[str, list[str]]:
    """Mark-stripped spelling -> the syllables that reduce to it."""
    index: dict[str, list[str]] = {}
    for syllable in inventory:
        index.setdefault(strip_marks(syllable), []).append(syllable)
    return index
