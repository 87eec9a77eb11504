"""The warehouse's tables, one `TableSpec` each: its DDL, how its rows are ordered, whether
they belong to one document, and — for the tables other tools read — the exported columns with
what each holds, which of them are free text, and the record model their JSON Schema comes
from. The DDL, the export contract, the ordering and the migrations all come from here."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from schemas.records import (
    Agency,
    ConflictExport,
    Document,
    DocumentRef,
    Indicator,
    Line,
    Lineage,
    Target,
    Task,
)

# Read on open: a warehouse written by a newer version is refused, an older one migrated.
SCHEMA_VERSION = 9  # 5: finding_reviews and link_decisions; 6: documents.title_restored;
# 7: task_completions; 8: set_aside_files; 9: restore_confirmations


@dataclass(frozen=True)
class AddedColumn:
    """A column added after version 1: opening an older warehouse adds it in place. It must be
    nullable, since the rows already there have no value."""

    name: str
    type: str
    version: int


@dataclass(frozen=True)
class TableSpec:
    name: str
    ddl: str
    order_by: str
    per_document: bool = False  # replacing a document deletes its rows first
    added: tuple[AddedColumn, ...] = ()
    # The export contract: column -> what it holds (each JSON Schema property's description),
    # in order; empty for tables no export carries.
    columns: dict[str, str] = field(default_factory=dict)
    # Columns holding text copied from documents or file names: the only cells the CSV export
    # guards against formulas. Ids, enumerations, numbers, dates and booleans are never
    # altered, so every format carries the same value.
    free_text: frozenset[str] = frozenset()
    model: type[BaseModel] | None = None  # the record whose JSON Schema the export follows
    export_query: str | None = None  # when the export is not a plain SELECT of the table


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        name='meta',
        ddl="""
        CREATE TABLE IF NOT EXISTS meta (
            key VARCHAR PRIMARY KEY,
            value VARCHAR NOT NULL
        )""",
        order_by='key',
    ),
    TableSpec(
        name='documents',
        ddl="""
        CREATE TABLE IF NOT EXISTS documents (
            doc_id VARCHAR PRIMARY KEY,
            number VARCHAR,
            issuer VARCHAR,
            issued_on DATE,
            title VARCHAR,
            kind VARCHAR,
            source_path VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL UNIQUE,
            text_source VARCHAR NOT NULL,
            page_count INTEGER NOT NULL,
            loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            jurisdiction VARCHAR,
            jurisdiction_level VARCHAR,
            title_restored BOOLEAN
        )""",
        order_by='issued_on NULLS LAST, doc_id',
        added=(
            AddedColumn('jurisdiction', 'VARCHAR', 3),
            AddedColumn('jurisdiction_level', 'VARCHAR', 3),
            AddedColumn('title_restored', 'BOOLEAN', 6),
        ),
        columns={
            'doc_id': 'Mã văn bản trong kho (từ số hiệu, hoặc tên tệp khi không đọc được số hiệu).',
            'number': 'Số hiệu văn bản như văn bản ghi, đã chuẩn hoá ("08-KH/TU").',
            'issuer': 'Cơ quan ban hành.',
            'issued_on': 'Ngày ban hành.',
            'title': 'Trích yếu (tên) văn bản.',
            'kind': 'Loại văn bản: Kế hoạch, Chương trình, Quyết định…',
            'source_path': 'Tệp đã đọc.',
            'sha256': 'SHA-256 của tệp: cùng tệp nạp lại không đổi gì.',
            'text_source': ('Văn bản lấy từ đâu: digital (lớp chữ PDF, DOCX, văn bản sạch), ocr '
                            '(Tesseract đọc ảnh), ocr_text (chữ do một lần OCR trước để lại).'),
            'jurisdiction': ('Phạm vi hiệu lực: "Trung ương", tên bộ, "tỉnh Lâm Đồng", "huyện …"; '
                             'null khi văn bản không cho biết.'),
            'jurisdiction_level': ('Cấp: national (toàn quốc), ministry (một bộ, cho ngành của '
                                   'bộ), province (tỉnh, thành phố), district (huyện).'),
            'title_restored': ('true: trích yếu được phục hồi dấu từ chữ OCR hoặc chữ mất dấu, '
                               'có thể sai; xem dòng gốc trong bảng lines.'),
        },
        free_text=frozenset(['issuer', 'jurisdiction', 'kind', 'number', 'source_path', 'title']),
        model=Document,
    ),
    TableSpec(
        # Every version of a document ever loaded (the documents table holds the current one):
        # which file, when, and what its targets said, as JSON rows of the targets table.
        name='document_versions',
        ddl="""
        CREATE TABLE IF NOT EXISTS document_versions (
            doc_id VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            number VARCHAR,
            source_path VARCHAR NOT NULL,
            loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            targets JSON NOT NULL,
            PRIMARY KEY (doc_id, sha256)
        )""",
        order_by='doc_id, sha256',
    ),
    TableSpec(
        name='document_refs',
        ddl="""
        CREATE TABLE IF NOT EXISTS document_refs (
            doc_id VARCHAR NOT NULL,
            ref_number VARCHAR NOT NULL,
            ref_kind VARCHAR,
            ref_date DATE,
            relation VARCHAR NOT NULL,
            line INTEGER NOT NULL,
            source_text VARCHAR NOT NULL,
            subject_number VARCHAR
        )""",
        order_by='doc_id, line, ref_number',
        per_document=True,
        columns={
            'doc_id': 'Văn bản có câu dẫn chiếu.',
            'ref_number': 'Số hiệu văn bản được dẫn chiếu, đã chuẩn hoá ("22-KH/TU").',
            'ref_kind': 'Loại văn bản được dẫn chiếu (Nghị quyết, Kế hoạch…).',
            'ref_date': 'Ngày của văn bản được dẫn chiếu, khi câu ghi.',
            'relation': ('Quan hệ: basis (căn cứ), amends (sửa đổi, bổ sung), implements (thực '
                         'hiện, triển khai), mentions (nhắc đến).'),
            'subject_number': ('Văn bản thực hiện quan hệ khi không phải doc_id ("Kế hoạch '
                               '44-KH/TU sửa đổi Kế hoạch 22-KH/TU": 44-KH/TU); null: chính '
                               'doc_id.'),
            'line': 'Dòng của câu dẫn chiếu trong văn bản doc_id.',
            'source_text': 'Câu nêu quan hệ, như văn bản ghi.',
        },
        free_text=frozenset(['ref_kind', 'ref_number', 'source_text', 'subject_number']),
        model=DocumentRef,
    ),
    TableSpec(
        name='lines',
        ddl="""
        CREATE TABLE IF NOT EXISTS lines (
            doc_id VARCHAR NOT NULL,
            page INTEGER NOT NULL,
            line_no INTEGER NOT NULL,
            raw_text VARCHAR NOT NULL,
            text VARCHAR NOT NULL,
            cells VARCHAR[],
            confidence DOUBLE,
            word_confidences DOUBLE[],
            repaired BOOLEAN NOT NULL,
            repairs JSON NOT NULL,
            uncertain_comparators INTEGER[] NOT NULL,
            PRIMARY KEY (doc_id, line_no)
        )""",
        order_by='doc_id, line_no',
        per_document=True,
        added=(
            AddedColumn('word_confidences', 'DOUBLE[]', 2),
        ),
        columns={
            'doc_id': 'Văn bản.',
            'page': 'Trang (từ 1).',
            'line_no': 'Dòng trong văn bản (từ 1).',
            'raw_text': 'Dòng như tệp ghi (với văn bản quét: như OCR đọc, trước khi phục hồi dấu).',
            'text': 'Dòng sau chuẩn hoá và, khi repaired, sau phục hồi dấu.',
            'confidence': ('Độ tin cậy 0..1 của dòng: thấp nhất của OCR và của từ được phục hồi '
                           'kém chắc chắn nhất; null với văn bản số.'),
            'repaired': 'true: dòng đã được phục hồi dấu hoặc sửa lỗi OCR (text khác raw_text).',
        },
        free_text=frozenset(['raw_text', 'text']),
        model=Line,
    ),
    TableSpec(
        name='indicators',
        ddl="""
        CREATE TABLE IF NOT EXISTS indicators (
            indicator_id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            unit VARCHAR,
            aliases VARCHAR[] NOT NULL
        )""",
        order_by='indicator_id',
        columns={
            'indicator_id': 'Mã chỉ số.',
            'name': 'Tên chỉ số.',
            'unit': 'Đơn vị chung của chỉ số.',
            'aliases': 'Các cách văn bản gọi chỉ số (danh sách; CSV: ngăn bằng "; ").',
        },
        free_text=frozenset(['aliases', 'name', 'unit']),
        model=Indicator,
    ),
    TableSpec(
        name='agencies',
        ddl="""
        CREATE TABLE IF NOT EXISTS agencies (
            agency_id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            aliases VARCHAR[] NOT NULL
        )""",
        order_by='agency_id',
        columns={
            'agency_id': 'Mã cơ quan.',
            'name': 'Tên đầy đủ của cơ quan.',
            'aliases': 'Các cách viết tên cơ quan đã gặp (danh sách; CSV: ngăn bằng "; ").',
        },
        free_text=frozenset(['aliases', 'name']),
        model=Agency,
    ),
    TableSpec(
        name='targets',
        ddl="""
        CREATE TABLE IF NOT EXISTS targets (
            target_id VARCHAR PRIMARY KEY,
            doc_id VARCHAR NOT NULL,
            indicator_id VARCHAR,
            indicator_text VARCHAR NOT NULL,
            target_year INTEGER,
            comparator VARCHAR NOT NULL,
            value DOUBLE,
            value_max DOUBLE,
            unit VARCHAR,
            per_year BOOLEAN NOT NULL,
            owner_agency VARCHAR,
            section VARCHAR,
            page INTEGER NOT NULL,
            line INTEGER NOT NULL,
            source_text VARCHAR NOT NULL,
            confidence DOUBLE NOT NULL,
            confidence_note VARCHAR
        )""",
        order_by='doc_id, line, target_id',
        per_document=True,
        columns={
            'target_id': 'Mã chỉ tiêu.',
            'doc_id': 'Văn bản đặt chỉ tiêu.',
            'indicator_id': 'Chỉ số (danh mục indicators) mà chỉ tiêu đo; null khi chưa liên kết.',
            'indicator_text': 'Cách văn bản gọi chỉ tiêu.',
            'target_year': 'Năm phải đạt; null khi văn bản không ghi.',
            'comparator': ('So sánh: >= (ít nhất), > (trên), <= (tối đa), < (dưới), = (đúng bằng),'
                           ' between (từ value đến value_max), exists (có/hoàn thành, không có '
                           'số).'),
            'value': 'Ngưỡng (số); null khi comparator là exists.',
            'value_max': 'Cận trên khi comparator là between; còn lại null.',
            'unit': 'Đơn vị ("%", persons_per_10k = người/vạn dân, danh từ đếm được…).',
            'per_year': 'true: ngưỡng mỗi năm ("tăng 10%/năm").',
            'owner_agency': 'Cơ quan theo dõi chỉ tiêu khi văn bản ghi.',
            'page': 'Trang (từ 1).',
            'line': 'Dòng trong văn bản (từ 1).',
            'source_text': 'Dòng nguồn như văn bản ghi.',
            'confidence': 'Độ tin cậy 0..1 (thấp khi chữ từ OCR hoặc dấu so sánh được đoán).',
        },
        free_text=frozenset(['indicator_text', 'owner_agency', 'source_text', 'unit']),
        model=Target,
    ),
    TableSpec(
        name='tasks',
        ddl="""
        CREATE TABLE IF NOT EXISTS tasks (
            task_id VARCHAR PRIMARY KEY,
            doc_id VARCHAR NOT NULL,
            title VARCHAR NOT NULL,
            responsible VARCHAR,
            lead_agencies VARCHAR[] NOT NULL,
            partner_agencies VARCHAR[] NOT NULL,
            product VARCHAR,
            deadline_text VARCHAR,
            due_date DATE,
            recurring BOOLEAN NOT NULL,
            page INTEGER NOT NULL,
            line INTEGER NOT NULL
        )""",
        order_by='doc_id, line, task_id',
        per_document=True,
        columns={
            'task_id': 'Mã nhiệm vụ.',
            'doc_id': 'Văn bản giao nhiệm vụ.',
            'title': 'Nội dung nhiệm vụ.',
            'responsible': 'Người hoặc chức danh phụ trách khi văn bản nêu.',
            'lead_agencies': 'Cơ quan chủ trì (danh sách; CSV: ngăn bằng "; ").',
            'partner_agencies': 'Cơ quan phối hợp (danh sách; CSV: ngăn bằng "; ").',
            'product': 'Sản phẩm phải có.',
            'deadline_text': 'Thời hạn như văn bản ghi.',
            'due_date': 'Thời hạn thành ngày (cuối kỳ khi văn bản ghi quý, năm); null: không rõ.',
            'recurring': 'true: nhiệm vụ định kỳ, thường xuyên.',
            'page': 'Trang (từ 1).',
            'line': 'Dòng trong văn bản (từ 1).',
        },
        free_text=frozenset(['deadline_text', 'lead_agencies', 'partner_agencies', 'product',
                             'responsible', 'title']),
        model=Task,
    ),
    TableSpec(
        name='lineage',
        ddl="""
        CREATE TABLE IF NOT EXISTS lineage (
            target_id VARCHAR NOT NULL,
            doc_id VARCHAR NOT NULL,
            relation VARCHAR NOT NULL,
            parent_number VARCHAR NOT NULL,
            parent_text VARCHAR,
            parent_comparator VARCHAR,
            parent_value DOUBLE,
            parent_value_max DOUBLE,
            parent_unit VARCHAR,
            parent_doc_id VARCHAR,
            parent_target_id VARCHAR,
            line INTEGER NOT NULL,
            source_text VARCHAR NOT NULL
        )""",
        order_by='doc_id, line, target_id, parent_number',
        per_document=True,
        columns={
            'target_id': 'Chỉ tiêu của văn bản này.',
            'doc_id': 'Văn bản đặt chỉ tiêu.',
            'relation': ('Quan hệ: specifies (cụ thể hóa chỉ tiêu của văn bản cấp trên), aligns '
                         '(thống nhất với chỉ tiêu đó).'),
            'parent_number': 'Số hiệu văn bản cấp trên được dẫn (\"02-CTr/BCĐTW\").',
            'parent_text': 'Chỉ tiêu cấp trên như văn bản trích dẫn; null khi không trích.',
            'parent_comparator': 'So sánh trong chỉ tiêu được trích (như targets.comparator).',
            'parent_value': 'Ngưỡng trong chỉ tiêu được trích (số).',
            'parent_value_max': 'Cận trên khi parent_comparator là between.',
            'parent_unit': 'Đơn vị của chỉ tiêu được trích.',
            'parent_doc_id': 'Văn bản cấp trên trong kho; null khi chưa nạp.',
            'parent_target_id': ('Chỉ tiêu của văn bản cấp trên mà chỉ tiêu này thực hiện; null '
                                 'khi chưa nạp hoặc không tìm thấy.'),
            'line': 'Dòng nêu nguồn trong văn bản (từ 1).',
            'source_text': 'Lời văn nêu nguồn, như văn bản ghi.',
        },
        free_text=frozenset(['parent_number', 'parent_text', 'parent_unit', 'source_text']),
        model=Lineage,
    ),
    TableSpec(
        name='conflicts',
        ddl="""
        CREATE TABLE IF NOT EXISTS conflicts (
            conflict_id VARCHAR PRIMARY KEY,
            kind VARCHAR NOT NULL,
            indicator_id VARCHAR NOT NULL,
            target_year INTEGER,
            target_id_a VARCHAR NOT NULL,
            target_id_b VARCHAR NOT NULL,
            doc_id_a VARCHAR NOT NULL,
            doc_id_b VARCHAR NOT NULL,
            value_a VARCHAR NOT NULL,
            value_b VARCHAR NOT NULL,
            severity VARCHAR NOT NULL,
            status VARCHAR NOT NULL,
            explanation VARCHAR NOT NULL
        )""",
        order_by='kind, indicator_id, target_year, conflict_id',
        columns={
            'conflict_id': 'Mã mâu thuẫn, giữ nguyên qua các lần kiểm tra.',
            'kind': 'Loại phát hiện, theo luật của lần kiểm tra:',
            'indicator_id': 'Chỉ số hai chỉ tiêu cùng đo.',
            'target_year': 'Năm so sánh (regression, unit_mismatch: năm của bên b).',
            'target_id_a': 'Chỉ tiêu bên a.',
            'target_id_b': 'Chỉ tiêu bên b.',
            'doc_id_a': 'Văn bản bên a.',
            'doc_id_b': 'Văn bản bên b.',
            'comparator_a': 'So sánh của bên a (như targets.comparator).',
            'value_a': 'Ngưỡng bên a (số).',
            'value_max_a': 'Cận trên bên a khi comparator_a là between.',
            'unit_a': 'Đơn vị bên a.',
            'year_a': 'Năm của chỉ tiêu bên a.',
            'comparator_b': 'So sánh của bên b.',
            'value_b': 'Ngưỡng bên b (số).',
            'value_max_b': 'Cận trên bên b khi comparator_b là between.',
            'unit_b': 'Đơn vị bên b.',
            'year_b': 'Năm của chỉ tiêu bên b.',
            'severity': 'Mức độ: high, medium, low.',
            'status': 'Trạng thái: open (chưa xử lý), superseded (văn bản sửa đổi đã thay thế).',
            'explanation': ('Một câu tiếng Việt nói điều mâu thuẫn, với các ngưỡng như người đọc '
                            'viết.'),
        },
        free_text=frozenset(['explanation', 'unit_a', 'unit_b']),
        model=ConflictExport,
        # A conflict carries both targets' thresholds as numbers (the warehouse keeps the
        # display text for the report).
        export_query="""
        SELECT c.conflict_id, c.kind, c.indicator_id, c.target_year,
               c.target_id_a, c.target_id_b, c.doc_id_a, c.doc_id_b,
               a.comparator AS comparator_a, a.value AS value_a, a.value_max AS value_max_a,
               a.unit AS unit_a, a.target_year AS year_a,
               b.comparator AS comparator_b, b.value AS value_b, b.value_max AS value_max_b,
               b.unit AS unit_b, b.target_year AS year_b,
               c.severity, c.status, c.explanation
        FROM conflicts c
        LEFT JOIN targets a ON a.target_id = c.target_id_a
        LEFT JOIN targets b ON b.target_id = c.target_id_b""",
    ),
    # Decisions people make, never replaced by a run: the history, the latest one holding.
    TableSpec(
        name='finding_reviews',
        ddl="""
        CREATE TABLE IF NOT EXISTS finding_reviews (
            conflict_id VARCHAR NOT NULL,
            status VARCHAR NOT NULL,
            note VARCHAR,
            reviewed_by VARCHAR NOT NULL,
            reviewed_at TIMESTAMP NOT NULL
        )""",
        order_by='conflict_id, reviewed_at',
    ),
    TableSpec(
        name='task_completions',
        ddl="""
        CREATE TABLE IF NOT EXISTS task_completions (
            task_id VARCHAR NOT NULL,
            done_on DATE NOT NULL,
            note VARCHAR,
            recorded_by VARCHAR NOT NULL,
            recorded_at TIMESTAMP NOT NULL
        )""",
        order_by='task_id, recorded_at',
    ),
    TableSpec(
        name='link_decisions',
        ddl="""
        CREATE TABLE IF NOT EXISTS link_decisions (
            action VARCHAR NOT NULL,
            doc_id VARCHAR NOT NULL,
            indicator_text VARCHAR NOT NULL,
            indicator_id VARCHAR,
            note VARCHAR,
            decided_by VARCHAR NOT NULL,
            decided_at TIMESTAMP NOT NULL
        )""",
        order_by='decided_at, doc_id, indicator_text',
    ),
    # A restored document a user read and confirmed: its text feeds the restoration model like
    # a clean document's. It holds for the version confirmed (sha256); removing the document
    # forgets it.
    TableSpec(
        name='restore_confirmations',
        ddl="""
        CREATE TABLE IF NOT EXISTS restore_confirmations (
            doc_id VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            confirmed_by VARCHAR NOT NULL,
            confirmed_at TIMESTAMP NOT NULL,
            PRIMARY KEY (doc_id, sha256)
        )""",
        order_by='doc_id, sha256',
    ),
    # Files a run read and decided not to load, so that later runs settle: a second file of
    # a number already held (the OCR beside the text layer, an older issue), or the version
    # a newer file replaced. Removing the document forgets them.
    TableSpec(
        name='set_aside_files',
        ddl="""
        CREATE TABLE IF NOT EXISTS set_aside_files (
            sha256 VARCHAR PRIMARY KEY,
            doc_id VARCHAR NOT NULL,
            source_path VARCHAR NOT NULL,
            reason VARCHAR NOT NULL,
            decided_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )""",
        order_by='doc_id, sha256',
    ),
)
TABLE: dict[str, TableSpec] = {spec.name: spec for spec in TABLES}
# The export contract, as other tools read it: table -> its columns in order.
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    spec.name: tuple(spec.columns) for spec in TABLES if spec.columns}
PER_DOCUMENT_TABLES: tuple[str, ...] = tuple(spec.name for spec in TABLES if spec.per_document)
