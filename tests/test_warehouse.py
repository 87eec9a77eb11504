"""The warehouse layer: one transaction per load, replacement, reads as records."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipeline.store.warehouse import Warehouse, WarehouseError
from schemas.ddl import EXPORT_COLUMNS, SCHEMA_VERSION
from schemas.records import (
    Agency,
    Document,
    ExtractedDocument,
    Indicator,
    Line,
    Target,
    TextSource,
    TokenRepair,
)


def _document(doc_id: str = "08-KH-TU", sha: str = "a" * 64, path: str = "raw/kh08.txt"
              ) -> Document:
    return Document(doc_id=doc_id, number="08-KH/TU", source_path=path, sha256=sha,
                    text_source=TextSource.DIGITAL)


def _target(doc_id: str, target_id: str, value: float, line: int = 3) -> Target:
    return Target(target_id=target_id, doc_id=doc_id, indicator_text="Tỷ lệ phủ sóng 5G",
                  target_year=2025, comparator=">=", value=value, unit="%", page=1, line=line,
                  source_text=f"- Tỷ lệ phủ sóng 5G trên địa bàn ≥ {value}%.", confidence=0.9)


def _extracted(doc_id: str = "08-KH-TU", sha: str = "a" * 64, value: float = 60,
               target_ids: tuple[str, ...] = ("t1",)) -> ExtractedDocument:
    lines = (
        Line(doc_id=doc_id, page=1, line_no=3, raw_text="Ty le phu song 5G > 60%",
             text="Tỷ lệ phủ sóng 5G ≥ 60%", repaired=True, uncertain_comparators=(18,),
             confidence=0.8, word_confidences=(0.62, 0.955, 0.71, 0.9, 0.96, 0.7),
             repairs=(TokenRepair(start=0, end=2, raw="Ty", repaired="Tỷ", confidence=0.8),)),
        Line(doc_id=doc_id, page=1, line_no=4, raw_text="a\tb", text="a\tb", cells=("a", "b")),
    )
    return ExtractedDocument(
        document=_document(doc_id, sha),
        lines=lines,
        targets=tuple(_target(doc_id, target_id, value) for target_id in target_ids),
    )


def _snapshot(db_path: Path) -> dict[str, str]:
    with Warehouse.open(db_path, read_only=True) as warehouse:
        return {table: warehouse.frame(table).to_csv(index=False) for table in EXPORT_COLUMNS}


def test_load_round_trips_records(db_path: Path) -> None:
    with Warehouse.open(db_path) as warehouse:
        warehouse.load(_extracted())
        lines = warehouse.lines("08-KH-TU")
        assert lines[0].repairs[0].repaired == "Tỷ"
        assert lines[0].uncertain_comparators == (18,)
        assert lines[1].cells == ("a", "b")
        assert lines[0].word_confidences == (0.62, 0.955, 0.71, 0.9, 0.96, 0.7)
        assert lines[1].word_confidences is None
        assert warehouse.targets()[0].value == 60
        assert warehouse.document_by_sha("a" * 64).doc_id == "08-KH-TU"


def test_newer_version_replaces_older_cleanly(db_path: Path) -> None:
    with Warehouse.open(db_path) as warehouse:
        warehouse.load(_extracted(target_ids=("t1", "t2")))
        warehouse.load(_extracted(sha="b" * 64, value=70, target_ids=("t3",)))
        assert [d.sha256 for d in warehouse.documents()] == ["b" * 64]
        assert [(t.target_id, t.value) for t in warehouse.targets()] == [("t3", 70)]
        assert len(warehouse.lines()) == 2


def test_failed_load_leaves_warehouse_exactly_as_before(db_path: Path) -> None:
    with Warehouse.open(db_path) as warehouse:
        warehouse.load(_extracted())
    before = _snapshot(db_path)
    broken = _extracted(sha="c" * 64, value=99, target_ids=("dup", "dup"))  # primary key clash
    with Warehouse.open(db_path) as warehouse, pytest.raises(duckdb.ConstraintException):
        warehouse.load(broken)
    assert _snapshot(db_path) == before


def test_a_warehouse_of_schema_version_1_is_upgraded_when_opened(db_path: Path) -> None:
    """Version 1 had no lines.word_confidences: opening adds it, old lines read without."""
    with Warehouse.open(db_path) as warehouse:
        warehouse.load(_extracted())
    with duckdb.connect(str(db_path)) as connection:
        connection.execute("ALTER TABLE lines DROP COLUMN word_confidences")
        connection.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with Warehouse.open(db_path) as warehouse:
        assert [line.word_confidences for line in warehouse.lines()] == [None, None]
        warehouse.load(_extracted(doc_id="09-KH-TU", sha="b" * 64))
        assert warehouse.lines("09-KH-TU")[0].word_confidences == (
            0.62, 0.955, 0.71, 0.9, 0.96, 0.7)
        assert warehouse.connection.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
            str(SCHEMA_VERSION),)


def test_catalog_links_targets(db_path: Path) -> None:
    with Warehouse.open(db_path) as warehouse:
        warehouse.load(_extracted())
        warehouse.replace_catalog(
            [Indicator(indicator_id="phu-song-5g", name="Tỷ lệ phủ sóng 5G", unit="%")],
            {"t1": "phu-song-5g"},
            [Agency(agency_id="so-khcn", name="Sở Khoa học và Công nghệ", aliases=("Sở KH&CN",))],
        )
        assert warehouse.targets()[0].indicator_id == "phu-song-5g"
        assert warehouse.agencies()[0].aliases == ("Sở KH&CN",)


def test_clean_corpus_excludes_repaired_lines(db_path: Path) -> None:
    with Warehouse.open(db_path) as warehouse:
        warehouse.load(_extracted())
        assert warehouse.corpus_documents() == [["a\tb"]]


def test_read_only_open_of_missing_warehouse_says_what_to_do(tmp_path: Path) -> None:
    missing = Warehouse.open(tmp_path / "none.duckdb", read_only=True)
    with pytest.raises(WarehouseError, match="chitieu ingest"), missing:
        pass


def test_document_text_is_stored_verbatim_not_interpreted(db_path: Path) -> None:
    hostile = "x'); DROP TABLE documents; --"
    extracted = ExtractedDocument(
        document=_document().model_copy(update={"title": hostile}), targets=())
    with Warehouse.open(db_path) as warehouse:
        warehouse.load(extracted)
        assert warehouse.documents()[0].title == hostile


def test_record_an_older_version_wrote_names_its_document_instead_of_crashing(
        db_path: Path) -> None:
    with Warehouse.open(db_path) as warehouse:
        warehouse.load(_extracted())
        warehouse.connection.execute("UPDATE targets SET confidence = 7 WHERE target_id = 't1'")
        with pytest.raises(WarehouseError, match=r"văn bản 08-KH-TU \(trường confidence\)"):
            warehouse.targets()


def test_an_older_warehouse_opened_read_only_is_migrated_first(db_path: Path) -> None:
    """A query (read-only) on a version 2 warehouse: it gains documents.jurisdiction first, so
    the documents read back instead of failing on the missing column."""
    with Warehouse.open(db_path) as warehouse:
        warehouse.load(_extracted())
    with duckdb.connect(str(db_path)) as connection:
        connection.execute("ALTER TABLE documents DROP COLUMN jurisdiction")
        connection.execute("ALTER TABLE documents DROP COLUMN jurisdiction_level")
        connection.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    with Warehouse.open(db_path, read_only=True) as warehouse:
        assert [document.jurisdiction for document in warehouse.documents()] == [None]


def test_a_warehouse_written_by_a_newer_version_is_refused_with_what_to_do(
        db_path: Path) -> None:
    with Warehouse.open(db_path) as warehouse:
        warehouse.load(_extracted())
    with duckdb.connect(str(db_path)) as connection:
        connection.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                           [str(SCHEMA_VERSION + 1)])
    for read_only in (True, False):
        with (pytest.raises(WarehouseError, match=r"mới hơn.*cập nhật chitieu"),
              Warehouse.open(db_path, read_only=read_only)):
            pass
