"""No English line reaches a user: the help of every command (click's own words too), the
normal output of the listings on a small warehouse, and the usual mistakes (a bad option, a
bad date, no warehouse yet). Names stay as they are (Prefect, DuckDB, CSV, …)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from pipeline.cli import main
from tests.consistency_samples import build_sample_warehouse

# Words of English prose that Vietnamese written without its marks never spells; short ones
# ("in", "an", "to", "do") are Vietnamese words too and are left out.
ENGLISH_WORDS = frozenset("""
the and for with from into this that are not only when where which what each every all any
show message exit usage options option commands default error invalid value missing argument
such try help file files folder path list load loaded print read write warehouse target
targets task tasks indicator indicators document documents conflict conflicts plan plans line
lines page pages score scores against key keys details also more less than does match format
formats choose exists exist directory aborted waiting another process cannot could should
would yet first since last year years table tables report repair clean scan model speed memory
times copies rounds seconds between look looks new dropped needs start local cluster worker
workers existing scheduler extraction owner deadline wording threshold text name unit how many
doubtful links review catalog restore diacritics slips corpus learn separated confidence
raw repaired leads partners spelling due before past date already filter filters sets
""".split())  # noqa: SIM905
# Command names (their parts: task-done) and format names are literals, not prose.
FORMAT_NAMES = frozenset({"table", "csv", "json", "jsonl", "parquet", "xlsx"})


def _command_names(group: click.Group) -> set[str]:
    names = set()
    for name, command in group.commands.items():
        names.update(name.split("-"))
        if isinstance(command, click.Group):
            names |= _command_names(command)
    return names


LITERALS = FORMAT_NAMES | _command_names(main)
# Names of formats and products, quoted code, choices, options, paths, ids, quoted values.
NAMES = re.compile(r"JSON (?:Lines|Schema)")
NOT_PROSE = re.compile(r"`[^`]*`|\[[^\]]*\]|\S*\]|--?[\w-]+|\S*[/_@=\\]\S*|\S+\.\w\S*|"
                       r"\b\w*\d\w*\b|«[^»]*»|'[^']*'")


def english_words(line: str) -> list[str]:
    prose = NOT_PROSE.sub(" ", NAMES.sub(" ", line))
    return [word for word in re.findall(r"[A-Za-z]+", prose)
            if word.lower() in ENGLISH_WORDS - LITERALS]


def test_the_detector_sees_english_and_lets_vietnamese_pass() -> None:
    assert english_words("Show this message and exit.") == ["Show", "this", "message", "and",
                                                            "exit"]
    assert english_words("  --db PATH  The DuckDB warehouse file.") == ["PATH", "The",
                                                                         "warehouse", "file"]
    assert english_words("Xuất (CSV, Parquet, JSON Lines) kèm JSON Schema [mặc định:") == []
    assert english_words("In trợ giúp này rồi thoát.") == []
    assert english_words("  --format [table|csv|json]  bảng, csv hoặc json") == []
    assert english_words("08-KH-TU:53  2025  Tỷ lệ phủ sóng 5G  ≥ 60 %  phu_song_5g_pct") == []


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


def _english_lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if english_words(line)]


@pytest.mark.parametrize("command", _commands(main), ids=lambda c: " ".join(c) or "chitieu")
def test_every_help_is_vietnamese(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Cách dùng:" in result.output and "In trợ giúp này rồi thoát." in result.output
    assert _english_lines(result) == []


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("language") / "chitieu.duckdb"
    build_sample_warehouse(db_path)
    return db_path


LISTINGS = [("docs",), ("check",), ("targets",), ("targets", "--year", "2027"),
            ("tasks",), ("tasks", "--agency", "Sở Khoa học và Công nghệ"),
            ("tasks", "--due-before", "31/12/2030"), ("indicators",), ("indicators", "--review")]


@pytest.mark.parametrize("command", LISTINGS, ids=" ".join)
def test_every_listing_is_vietnamese(sample_db: Path, command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--db", str(sample_db)])
    assert result.exit_code == 0, result.output
    assert result.output.strip()
    assert _english_lines(result) == []


def test_export_and_text_speak_vietnamese(sample_db: Path, tmp_path: Path) -> None:
    exported = CliRunner().invoke(main, ["export", "--out", str(tmp_path / "x"), "--format",
                                         "csv", "--db", str(sample_db)])
    plan = tmp_path / "ke-hoach.txt"
    plan.write_text("KẾ HOẠCH\nPhấn đấu đến năm 2030 có 80% hồ sơ xử lý trực tuyến.\n",
                    encoding="utf-8")
    read = CliRunner().invoke(main, ["text", str(plan)])
    for result in (exported, read):
        assert result.exit_code == 0, result.output
        assert _english_lines(result) == []


MISTAKES = [
    ("docs", "--khong-co"),
    ("tasks", "--due-before", "31/13/2026"),
    ("targets", "--year", "hai nghìn"),
    ("export", "--format", "ods"),
    ("khong-co-lenh",),
    ("text",),
]


@pytest.mark.parametrize("command", MISTAKES, ids=" ".join)
def test_a_mistake_is_told_in_vietnamese(sample_db: Path, command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--db", str(sample_db)])
    assert result.exit_code == 2, result.output
    assert "lỗi:" in result.output
    assert _english_lines(result) == []


def test_no_warehouse_yet_is_told_in_vietnamese(tmp_path: Path) -> None:
    for command in ("docs", "check", "targets", "tasks", "indicators"):
        result = CliRunner().invoke(main, [command, "--db", str(tmp_path / "khong.duckdb")])
        assert result.exit_code == 4, result.output
        assert _english_lines(result) == []
