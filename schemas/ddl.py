"""DuckDB DDL of the warehouse. One statement per table, in dependency order."""

SCHEMA_VERSION = 2

# Columns added since version 1, as (table, column, type): opening an older warehouse adds
# them in place. New columns must be nullable, since the rows already there have no value.
ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("lines", "word_confidences", "DOUBLE[]"),  # version 2
)

TABLES: dict[str, str] = {
    "meta": """
        CREATE TABLE IF NOT EXISTS meta (
            key VARCHAR PRIMARY KEY,
            value VARCHAR NOT NULL
        )""",
    "documents": """
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
            loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )""",
    "document_refs": """
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
    "lines": """
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
    "indicators": """
        CREATE TABLE IF NOT EXISTS indicators (
            indicator_id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            unit VARCHAR,
            aliases VARCHAR[] NOT NULL
        )""",
    "agencies": """
        CREATE TABLE IF NOT EXISTS agencies (
            agency_id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            aliases VARCHAR[] NOT NULL
        )""",
    "targets": """
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
    "tasks": """
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
    "conflicts": """
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
}

# Tables whose rows belong to one document: replacing a document deletes these rows first.
PER_DOCUMENT_TABLES: tuple[str, ...] = ("document_refs", "lines", "targets", "tasks")

# The export contract: the columns other tools read, in order.
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": (
        "doc_id", "number", "issuer", "issued_on", "title", "kind",
        "source_path", "sha256", "text_source",
    ),
    # Which document cites which, how (basis, amends, implements, mentions), who performs
    # the relation (subject_number; null: the citing document) and the sentence that says so.
    "document_refs": (
        "doc_id", "ref_number", "ref_kind", "ref_date", "relation", "subject_number", "line",
        "source_text",
    ),
    "targets": (
        "target_id", "doc_id", "indicator_id", "indicator_text", "target_year",
        "comparator", "value", "value_max", "unit", "per_year", "owner_agency",
        "page", "line", "source_text", "confidence",
    ),
    "tasks": (
        "task_id", "doc_id", "title", "responsible", "lead_agencies",
        "partner_agencies", "product", "deadline_text", "due_date", "recurring",
        "page", "line",
    ),
    "conflicts": (
        "conflict_id", "kind", "indicator_id", "target_year", "target_id_a",
        "target_id_b", "doc_id_a", "doc_id_b", "value_a", "value_b", "severity",
        "status", "explanation",
    ),
    "indicators": ("indicator_id", "name", "unit", "aliases"),
    "agencies": ("agency_id", "name", "aliases"),
}
