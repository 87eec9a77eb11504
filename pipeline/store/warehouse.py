"""The DuckDB warehouse: schema, transactional loads, and reads as typed records.

Every write is one transaction, so a failed or killed load leaves the file as it was.
Values from documents only ever travel as query parameters or registered frames.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
from pydantic import BaseModel, ValidationError

from schemas.ddl import EXPORT_COLUMNS, PER_DOCUMENT_TABLES, SCHEMA_VERSION, TABLE, TABLES
from schemas.errors import ChitieuError, ExitCode
from schemas.records import (
    Agency,
    Conflict,
    Document,
    DocumentRef,
    DocumentVersion,
    ExtractedDocument,
    FindingReview,
    Indicator,
    Line,
    Lineage,
    LinkDecision,
    RestoreConfirmation,
    Target,
    Task,
    TaskCompletion,
)

DEFAULT_DB = Path("warehouse/chitieu.duckdb")
log = logging.getLogger("chitieu.store")
RecordT = TypeVar("RecordT", bound=BaseModel)

class WarehouseError(ChitieuError):
    """A warehouse problem a user can act on; the message says what to do."""

    exit_code = ExitCode.WAREHOUSE


class WarehouseBusy(WarehouseError):
    exit_code = ExitCode.BUSY


# Never fetch an extension: a file of another format (SQLite) would make DuckDB download one.
DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
SQLITE_MAGIC = b"SQLite format 3\x00"
NEW_WAREHOUSE = "chọn tên tệp mới cho --db để tạo kho mới"


def _is_lock_error(error: duckdb.Error) -> bool:
    return "lock" in str(error).lower()


def _is_damage(error: duckdb.Error) -> bool:
    """A block that fails its checksum or lies past the end of a truncated file; a query's own
    mistakes (an unknown table, a bad cast) are not damage."""
    return isinstance(error, duckdb.IOException) or "Corrupt database file" in str(error)


def _damaged(db_path: Path) -> WarehouseError:
    return WarehouseError(f"{db_path}: kho dữ liệu bị hỏng hoặc bị cắt cụt, không đọc được — "
                          f"khôi phục từ bản sao lưu, hoặc {NEW_WAREHOUSE} rồi nạp lại các "
                          "văn bản")


def _refuse_foreign_file(db_path: Path) -> None:
    """A file that is not a DuckDB database, said before DuckDB tries to read it."""
    try:
        with db_path.open("rb") as stream:
            head = stream.read(16)
    except FileNotFoundError:
        return
    except OSError as error:
        raise WarehouseError(f"{db_path}: không đọc được tệp kho dữ liệu "
                             f"({error.strerror}) — kiểm tra quyền đọc tệp") from error
    if head.startswith(SQLITE_MAGIC):
        raise WarehouseError(f"{db_path}: đây là tệp SQLite, không phải kho dữ liệu DuckDB của "
                             f"chitieu — chỉ ra đúng tệp kho bằng --db, hoặc {NEW_WAREHOUSE}")
    if head[8:12] != DUCKDB_MAGIC:
        raise WarehouseError(f"{db_path}: không phải tệp kho dữ liệu DuckDB (hỏng hoặc là tệp "
                             f"khác) — chỉ ra đúng tệp kho bằng --db, hoặc {NEW_WAREHOUSE}")


def _connect(db_path: Path, read_only: bool, wait_seconds: float) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting (with one message) while another chitieu process writes it."""
    _refuse_foreign_file(db_path)
    deadline = time.monotonic() + wait_seconds
    told = False
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only, config=DUCKDB_CONFIG)
        except duckdb.Error as error:
            if not _is_lock_error(error):
                raise _damaged(db_path) from error
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"{db_path}: một tiến trình chitieu khác đang ghi kho dữ liệu — chờ nó "
                    "xong rồi chạy lại"
                ) from error
            if not told:
                log.warning("%s: đang chờ một tiến trình chitieu khác ghi xong kho dữ liệu…",
                            db_path)
                told = True
            time.sleep(0.5)


def _make_folder(db_path: Path) -> None:
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as error:
        in_the_way = next((folder for folder in reversed(db_path.parents) if folder.is_file()),
                          db_path.parent)
        raise WarehouseError(f"{db_path}: {in_the_way} là một tệp, không phải thư mục — "
                             "chọn chỗ khác cho kho dữ liệu bằng --db") from error
    except OSError as error:
        raise WarehouseError(f"{db_path}: không tạo được thư mục {db_path.parent} "
                             f"({error.strerror}) — chọn chỗ khác cho kho bằng --db") from error


def _outputs_key(out_dir: Path) -> str:
    return f"outputs:{Path(out_dir).resolve()}"


def _row_values(record: BaseModel, columns: tuple[str, ...]) -> dict[str, Any]:
    data = record.model_dump(mode="json")
    if "repairs" in data:
        data["repairs"] = json.dumps(data["repairs"], ensure_ascii=False)
    return {column: data.get(column) for column in columns}


class Warehouse:
    def __init__(self, connection: duckdb.DuckDBPyConnection, db_path: Path) -> None:
        self.connection = connection
        self.db_path = db_path

    @classmethod
    @contextmanager
    def open(
        cls, db_path: Path = DEFAULT_DB, read_only: bool = False, wait_seconds: float = 120.0
    ) -> Iterator[Warehouse]:
        db_path = Path(db_path)
        if read_only and not db_path.exists():
            raise WarehouseError(
                f"{db_path}: chưa có kho dữ liệu — nạp văn bản trước bằng `chitieu ingest PATH` "
                "hoặc `chitieu run`"
            )
        if not read_only:
            _make_folder(db_path)
        connection = _connect(db_path, read_only, wait_seconds)
        warehouse = cls(connection, db_path)
        try:
            warehouse._refuse_other_databases()
            stored = warehouse._stored_version()
            if read_only and stored is not None and stored < SCHEMA_VERSION:
                connection.close()  # an older warehouse is migrated once, then read
                with cls.open(db_path, wait_seconds=wait_seconds):
                    pass
                connection = _connect(db_path, read_only, wait_seconds)
                warehouse = cls(connection, db_path)
            if not read_only:
                warehouse._ensure_schema()
            yield warehouse
        except duckdb.Error as error:
            if not _is_damage(error):
                raise
            raise _damaged(db_path) from error
        finally:
            connection.close()

    def _stored_version(self) -> int | None:
        """The schema version the file was written with (None: a new file); a warehouse a
        newer chitieu wrote is refused rather than half-read."""
        try:
            row = self.connection.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except duckdb.CatalogException:
            return None
        stored = int(row[0]) if row else None
        if stored is not None and stored > SCHEMA_VERSION:
            raise WarehouseError(
                f"{self.db_path}: kho dữ liệu do một phiên bản chitieu mới hơn ghi (lược đồ "
                f"{stored}, bản này đọc đến {SCHEMA_VERSION}); hãy cập nhật chitieu")
        return stored

    def _refuse_other_databases(self) -> None:
        """A DuckDB file another program made: never add chitieu's tables to it."""
        tables = {row[0] for row in self.connection.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        if tables and "meta" not in tables:
            raise WarehouseError(
                f"{self.db_path}: tệp DuckDB này không phải kho của chitieu (có bảng "
                f"{', '.join(sorted(tables)[:3])}, không có bảng meta) — chỉ ra đúng tệp kho "
                f"bằng --db, hoặc {NEW_WAREHOUSE}")

    def _ensure_schema(self) -> None:
        with self.transaction():
            for spec in TABLES:
                self.connection.execute(spec.ddl)
                for column in spec.added:  # a warehouse of an older version
                    self.connection.execute(f"ALTER TABLE {spec.name} ADD COLUMN IF NOT EXISTS "
                                            f"{column.name} {column.type}")
            self.connection.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.connection.begin()
        try:
            yield
        except BaseException:
            self.connection.rollback()
            raise
        self.connection.commit()

    # ------------------------------------------------------------ writes

    def _insert(self, table: str, records: Iterable[BaseModel]) -> None:
        records = list(records)
        if not records:
            return
        table_columns = {
            row[0] for row in self.connection.execute(f"DESCRIBE {table}").fetchall()
        }
        columns = tuple(name for name in type(records[0]).model_fields if name in table_columns)
        incoming_rows = pd.DataFrame(  # noqa: F841 — read by DuckDB's replacement scan below
            [_row_values(record, columns) for record in records], columns=list(columns)
        )
        column_list = ", ".join(columns)
        self.connection.execute(
            f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM incoming_rows"
        )

    def load(self, extracted: ExtractedDocument) -> None:
        """Store one document, replacing any older version with the same id or source file."""
        document = extracted.document
        with self.transaction():
            stale_ids = [
                row[0]
                for row in self.connection.execute(
                    "SELECT doc_id FROM documents WHERE doc_id = ? OR source_path = ?",
                    [document.doc_id, document.source_path],
                ).fetchall()
            ]
            for stale_id in {*stale_ids, document.doc_id}:
                self._delete_document(stale_id)
            self._insert("documents", [document])
            self._insert("document_refs", extracted.refs)
            self._insert("lines", extracted.lines)
            self._insert("targets", extracted.targets)
            self._insert("tasks", extracted.tasks)
            self._insert("lineage", extracted.lineage)
            self._record_version(extracted)

    def _record_version(self, extracted: ExtractedDocument) -> None:
        """Keep what this version said beside the older ones (loading it again only updates
        when)."""
        document = extracted.document
        said = json.dumps([target.model_dump(mode="json") for target in extracted.targets],
                          ensure_ascii=False)
        self.connection.execute(
            "INSERT OR REPLACE INTO document_versions "
            "(doc_id, sha256, number, source_path, targets) VALUES (?, ?, ?, ?, ?)",
            [document.doc_id, document.sha256, document.number, document.source_path, said])

    def set_aside(self, sha256: str, doc_id: str, source_path: str, reason: str) -> None:
        """A file read and not loaded (see the set_aside_files table): later runs skip it."""
        with self.transaction():
            self.connection.execute(
                "INSERT OR REPLACE INTO set_aside_files (sha256, doc_id, source_path, reason) "
                "VALUES (?, ?, ?, ?)", [sha256, doc_id, source_path, reason])

    def remove(self, doc_id: str) -> dict[str, int]:
        """Delete one document and everything of it, in one transaction: its rows, versions,
        set-aside files and the findings that cite it; the catalogs are rebuilt by the next
        run. Returns how many rows each table lost."""
        counts = self.document_rows(doc_id)
        with self.transaction():
            self._delete_document(doc_id)
            self.connection.execute("DELETE FROM document_versions WHERE doc_id = ?", [doc_id])
            self.connection.execute("DELETE FROM set_aside_files WHERE doc_id = ?", [doc_id])
            self.connection.execute("DELETE FROM restore_confirmations WHERE doc_id = ?",
                                    [doc_id])
            self.connection.execute(
                "DELETE FROM conflicts WHERE doc_id_a = ? OR doc_id_b = ?", [doc_id, doc_id])
            self.connection.execute("INSERT OR REPLACE INTO meta VALUES ('catalog_stale', 'yes')")
        return counts

    def document_rows(self, doc_id: str) -> dict[str, int]:
        """How many rows of each table belong to one document."""
        counts = {table: self.connection.execute(
            f"SELECT count(*) FROM {table} WHERE doc_id = ?", [doc_id]).fetchone()[0]
            for table in ("targets", "tasks", "lines", "document_versions")}
        counts["conflicts"] = self.connection.execute(
            "SELECT count(*) FROM conflicts WHERE doc_id_a = ? OR doc_id_b = ?",
            [doc_id, doc_id]).fetchone()[0]
        return counts

    def _delete_document(self, doc_id: str) -> None:
        for table in PER_DOCUMENT_TABLES:
            self.connection.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
        self.connection.execute("DELETE FROM documents WHERE doc_id = ?", [doc_id])

    def replace_catalog(
        self,
        indicators: list[Indicator],
        links: dict[str, str],
        agencies: list[Agency],
    ) -> None:
        """Swap in a freshly built indicator and agency catalog and the target links."""
        link_frame = pd.DataFrame(
            {"target_id": list(links), "indicator_id": list(links.values())},
            columns=["target_id", "indicator_id"],
        )
        with self.transaction():
            self.connection.execute("DELETE FROM indicators")
            self._insert("indicators", indicators)
            self.connection.execute("DELETE FROM agencies")
            self._insert("agencies", agencies)
            self.connection.execute("DELETE FROM meta WHERE key = 'catalog_stale'")
            self.connection.execute("UPDATE targets SET indicator_id = NULL")
            self.connection.register("target_links", link_frame)
            try:
                self.connection.execute(
                    "UPDATE targets SET indicator_id = target_links.indicator_id "
                    "FROM target_links WHERE targets.target_id = target_links.target_id"
                )
            finally:
                self.connection.unregister("target_links")

    def replace_conflicts(self, conflicts: list[Conflict]) -> None:
        """Store a check's findings, and when it ran: an empty conflicts table alone cannot tell
        a check that found nothing from no check at all."""
        with self.transaction():
            self.connection.execute("DELETE FROM conflicts")
            self._insert("conflicts", conflicts)
            self.connection.execute("INSERT OR REPLACE INTO meta "
                                    "VALUES ('checked_at', CAST(current_timestamp AS VARCHAR))")

    # ------------------------------------------------------------ reads

    def _select(self, table: str, model: type[RecordT], where: str = "", params: list | None = None
                ) -> list[RecordT]:
        fields = list(model.model_fields)
        query = f"SELECT {', '.join(fields)} FROM {table} {where} ORDER BY {TABLE[table].order_by}"
        cursor = self.connection.execute(query, params or [])
        records = []
        for row in cursor.fetchall():
            data = dict(zip(fields, row, strict=True))
            if isinstance(data.get("repairs"), str):
                data["repairs"] = json.loads(data["repairs"])
            # NULL lets a field's default apply; a required nullable field keeps its None
            try:
                records.append(model.model_validate(
                    {k: v for k, v in data.items()
                     if v is not None or model.model_fields[k].is_required()}))
            except ValidationError as error:
                raise self._invalid_record(table, data, error) from error
        return records

    def _invalid_record(self, table: str, data: dict[str, Any], error: ValidationError
                        ) -> WarehouseError:
        """A row an older version wrote that the data model no longer accepts: say whose."""
        fields = ", ".join(str(problem["loc"][0]) for problem in error.errors() if problem["loc"])
        return WarehouseError(
            f"{self.db_path}: bảng {table} có bản ghi không hợp lệ của văn bản "
            f"{data.get('doc_id') or data.get('doc_id_a') or '?'} (trường {fields or '?'}), "
            "có lẽ do phiên bản cũ ghi — nạp lại văn bản đó hoặc tạo kho mới.")

    def documents(self) -> list[Document]:
        return self._select("documents", Document)

    def document_by_sha(self, sha256: str) -> Document | None:
        found = self._select("documents", Document, "WHERE sha256 = ?", [sha256])
        return found[0] if found else None

    def loaded_hashes(self) -> set[str]:
        rows = self.connection.execute("SELECT sha256 FROM documents").fetchall()
        return {row[0] for row in rows}

    def known_hashes(self) -> set[str]:
        """Files already decided on: loaded, or read and set aside."""
        rows = self.connection.execute("SELECT sha256 FROM set_aside_files").fetchall()
        return self.loaded_hashes() | {row[0] for row in rows}

    def unlinked_target_count(self) -> int:
        """Targets without an indicator: a run stopped between a load and the re-linking."""
        return self.connection.execute(
            "SELECT count(*) FROM targets WHERE indicator_id IS NULL").fetchone()[0]

    def catalog_is_stale(self) -> bool:
        """Loaded targets wait for the re-linking, or a document was removed since the
        catalogs were built."""
        removed = self.connection.execute(
            "SELECT count(*) FROM meta WHERE key = 'catalog_stale'").fetchone()[0]
        return removed > 0 or self.unlinked_target_count() > 0

    def find_document(self, key: str) -> Document | None:
        """A document by its id or its number as written ("08-KH/TU")."""
        found = self._select("documents", Document, "WHERE doc_id = ? OR number = ?", [key, key])
        return found[0] if found else None

    def document_versions(self, doc_id: str) -> list[DocumentVersion]:
        """Every version of one document loaded so far, oldest first."""
        rows = self.connection.execute(
            "SELECT doc_id, sha256, number, source_path, loaded_at, targets "
            "FROM document_versions WHERE doc_id = ? ORDER BY loaded_at, sha256", [doc_id]
        ).fetchall()
        return [DocumentVersion(doc_id=doc_id_, sha256=sha256, number=number,
                                source_path=source_path, loaded_at=loaded_at,
                                targets=json.loads(targets))
                for doc_id_, sha256, number, source_path, loaded_at, targets in rows]

    def add_review(self, review: FindingReview) -> None:
        with self.transaction():
            self._insert("finding_reviews", [review])

    def reviews(self) -> dict[str, FindingReview]:
        """The decision that holds for each reviewed finding: its latest."""
        return {review.conflict_id: review
                for review in self._select("finding_reviews", FindingReview)}

    def add_completion(self, completion: TaskCompletion) -> None:
        with self.transaction():
            self._insert("task_completions", [completion])

    def completions(self) -> dict[str, TaskCompletion]:
        """The completion that holds for each task recorded as done: its latest."""
        return {completion.task_id: completion
                for completion in self._select("task_completions", TaskCompletion)}

    def add_link_decision(self, decision: LinkDecision) -> None:
        with self.transaction():
            self._insert("link_decisions", [decision])

    def link_decisions(self) -> list[LinkDecision]:
        """Every pin and split, oldest first: a later one on the same targets wins."""
        return self._select("link_decisions", LinkDecision)

    def refs(self) -> list[DocumentRef]:
        return self._select("document_refs", DocumentRef)

    def lines(self, doc_id: str | None = None) -> list[Line]:
        if doc_id is None:
            return self._select("lines", Line)
        return self._select("lines", Line, "WHERE doc_id = ?", [doc_id])

    def targets(self) -> list[Target]:
        return self._select("targets", Target)

    def tasks(self) -> list[Task]:
        return self._select("tasks", Task)

    def lineage(self) -> list[Lineage]:
        return self._select("lineage", Lineage)

    def replace_lineage_links(self, lineage: list[Lineage]) -> None:
        """Store which loaded document and target each lineage row's parent is."""
        with self.transaction():
            for row in lineage:
                self.connection.execute(
                    "UPDATE lineage SET parent_doc_id = ?, parent_target_id = ? "
                    "WHERE target_id = ? AND parent_number = ?",
                    [row.parent_doc_id, row.parent_target_id, row.target_id, row.parent_number])

    def conflicts(self) -> list[Conflict]:
        return self._select("conflicts", Conflict)

    def state_token(self) -> str:
        """What the outputs of a check describe: the documents held and the last check."""
        checked = self.connection.execute(
            "SELECT value FROM meta WHERE key = 'checked_at'").fetchone()
        digest = hashlib.sha256((checked[0] if checked else "").encode())
        for sha256 in sorted(self.loaded_hashes()):
            digest.update(sha256.encode())
        return digest.hexdigest()

    def record_outputs(self, out_dir: Path, files: list[str]) -> None:
        """The report and exports in `out_dir` are complete and describe the current state."""
        record = json.dumps({"state": self.state_token(), "files": files})
        with self.transaction():
            self.connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                    [_outputs_key(out_dir), record])

    def outputs_record(self, out_dir: Path) -> tuple[str, list[str]] | None:
        """(the state the outputs in `out_dir` describe, their files) as last recorded."""
        row = self.connection.execute(
            "SELECT value FROM meta WHERE key = ?", [_outputs_key(out_dir)]).fetchone()
        if row is None:
            return None
        record = json.loads(row[0])
        return record["state"], record["files"]

    def has_been_checked(self) -> bool:
        return self.connection.execute(
            "SELECT count(*) FROM meta WHERE key = 'checked_at'").fetchone()[0] > 0

    def indicators(self) -> list[Indicator]:
        return self._select("indicators", Indicator)

    def agencies(self) -> list[Agency]:
        return self._select("agencies", Agency)

    def corpus_documents(self) -> list[list[str]]:
        """What restoration learns from, the lines of each document: those of documents that
        needed no OCR or repair, and every line of the restored ones a user confirmed."""
        rows = self.connection.execute(
            "SELECT l.doc_id, l.text FROM lines l JOIN documents d USING (doc_id) "
            "WHERE (d.text_source = 'digital' AND NOT l.repaired) OR EXISTS ("
            "  SELECT 1 FROM restore_confirmations c "
            "  WHERE c.doc_id = d.doc_id AND c.sha256 = d.sha256) "
            "ORDER BY l.doc_id, l.line_no"
        ).fetchall()
        documents: dict[str, list[str]] = {}
        for doc_id, text in rows:
            documents.setdefault(doc_id, []).append(text)
        return list(documents.values())

    def confirm_restoration(self, confirmation: RestoreConfirmation) -> None:
        with self.transaction():
            self.connection.execute(
                "DELETE FROM restore_confirmations WHERE doc_id = ? AND sha256 = ?",
                [confirmation.doc_id, confirmation.sha256])
            self._insert("restore_confirmations", [confirmation])

    def restored_line_count(self, doc_id: str) -> int:
        """How many of a document's lines restoration changed."""
        return self.connection.execute(
            "SELECT count(*) FROM lines WHERE doc_id = ? AND repaired", [doc_id]).fetchone()[0]

    def frame(self, table: str) -> pd.DataFrame:
        """A table with exactly the export contract's columns, in a stable order."""
        columns = ", ".join(EXPORT_COLUMNS[table])
        query = TABLE[table].export_query
        source = f"({query})" if query else table
        return self.connection.execute(
            f"SELECT {columns} FROM {source} ORDER BY {TABLE[table].order_by}"
        ).df()
