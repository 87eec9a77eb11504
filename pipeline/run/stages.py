"""The stages one document goes through, as plain functions: read → normalise → restore
if damaged → extract. The Prefect flows (pipeline.run.flows) run them as tasks; `chitieu eval
extract --docs` and the tests call them directly, without a flow run.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from extractors.agencies import build_agency_catalog
from extractors.lineage import read_lineage
from extractors.metadata import read_document
from extractors.sources import SourceError, read_source
from extractors.targets import extract_targets
from extractors.tasks import extract_tasks
from normalizers.restore import Restorer, load_or_build, needs_repair
from normalizers.restore.detect import MIN_SYLLABLE_SHARE, vietnamese_syllable_share
from normalizers.unicode import normalize_text
from pipeline.link.indicators import link_indicators
from pipeline.link.lineage import link_lineage
from pipeline.run.limits import bounded, within_memory
from pipeline.store.warehouse import Warehouse
from schemas.errors import ChitieuError, ExitCode, os_reason
from schemas.records import ExtractedDocument, Line, SourceLine, SourceText, TextSource

# A document where at least this share of lines looks stripped or garbled is OCR text.
DAMAGE_SAMPLE_CHARS = 2000
DAMAGED_SHARE = 0.2
CONTENT_ID_DIGITS = 8  # of the SHA-256, to tell apart files of one name without a number
T = TypeVar("T")


class Stage(StrEnum):
    """Where one document's work failed, as an error line says it."""

    READ = "đọc tệp"
    NORMALISE = "chuẩn hoá văn bản"
    REPAIR = "phục hồi dấu"
    EXTRACT = "trích xuất"
    IDENTIFY = "xác định văn bản"
    LOAD = "nạp vào kho"
    LINK = "liên kết chỉ số"


@dataclass(frozen=True)
class DocumentFailure:
    """One document that did not make it through, and why. An input error is the file's
    fault (or the warehouse's, named in the reason); an internal error is a bug in chitieu,
    and `details` holds its traceback for the log file."""

    path: Path
    stage: Stage
    reason: str
    details: str | None = None
    kind: ExitCode = ExitCode.INPUT  # a missing Tesseract is not the file's fault

    @property
    def internal(self) -> bool:
        return self.details is not None

    @property
    def exit_code(self) -> int:
        return int(ExitCode.INTERNAL if self.internal else self.kind)

    def line(self) -> str:
        if self.internal:
            return (f"{self.path}: lỗi nội bộ của chitieu khi {self.stage} ({self.reason}); "
                    "các văn bản khác vẫn được xử lý, chi tiết trong tệp nhật ký")
        return f"{self.path}: {self.stage}: {self.reason}"


def _one_line(error: BaseException) -> str:
    return " ".join(f"{type(error).__name__}: {error}".split())


def attempt(path: Path, stage: Stage, failures: list[DocumentFailure],
            work: Callable[..., T], *args: object) -> T | None:
    """`work(*args)`, or None and one failure when it fails: one document's failure must not
    stop the others. A bug is not hidden: its failure is internal and carries the traceback."""
    try:
        return work(*args)
    except SourceError as error:
        failures.append(DocumentFailure(path, stage, error.reason))
    except ChitieuError as error:  # the warehouse, a missing program: the line says which
        failures.append(DocumentFailure(path, stage, str(error), kind=error.exit_code))
    except Exception as error:
        failures.append(_unreadable(path, error) if stage is Stage.READ
                        and isinstance(error, OSError) else
                        DocumentFailure(path, stage, _one_line(error), traceback.format_exc()))
    return None


def _unreadable(path: Path, error: OSError) -> DocumentFailure:
    """A file the system will not open for us (permissions, a device error) is the file's
    fault, not chitieu's."""
    return DocumentFailure(path, Stage.READ, f"không mở được tệp ({os_reason(error)}) — kiểm "
                           "tra quyền đọc tệp, hoặc chép nó ra chỗ khác rồi nạp lại")


def normalise(source: SourceText) -> list[Line]:
    return [
        Line(
            doc_id="",
            page=line.page,
            line_no=line.line_no,
            raw_text=line.text,
            text=normalize_text(line.text),
            cells=tuple(normalize_text(cell) for cell in line.cells) if line.cells else None,
            confidence=line.confidence,
            word_confidences=line.word_confidences,
        )
        for line in source.lines
    ]


def not_vietnamese(path: Path, lines: list[Line]) -> DocumentFailure | None:
    """The refusal of a text that is not Vietnamese (restoring it would invent Vietnamese);
    None for a Vietnamese one."""
    share = vietnamese_syllable_share(line.text for line in lines)
    if share is None or share >= MIN_SYLLABLE_SHARE:
        return None
    return DocumentFailure(path, Stage.NORMALISE,
                           f"không phải văn bản tiếng Việt (chỉ {share:.0%} số từ là âm tiết "
                           "tiếng Việt) — chitieu đọc kế hoạch tiếng Việt, kiểm tra lại có đúng "
                           "tệp không")


def is_damaged(lines: list[Line]) -> bool:
    # a line's first characters show whether it was stripped or garbled: a 5 MB line costs
    # no more to judge than a short one
    texts = [line.text[:DAMAGE_SAMPLE_CHARS] for line in lines if line.text.strip()]
    damaged = sum(needs_repair(text) for text in texts)
    return bool(texts) and damaged / len(texts) >= DAMAGED_SHARE


def marked_damaged(source: SourceText, lines: list[Line]) -> SourceText:
    """A digital text that looks stripped or garbled came from an earlier OCR."""
    if is_damaged(lines) and source.text_source == TextSource.DIGITAL:
        return source.model_copy(update={"text_source": TextSource.OCR_TEXT})
    return source


def repair(lines: list[Line], restorer: Restorer) -> list[Line]:
    """Restore the lines that need it; line N of the result repairs line N of the input."""
    repaired_lines = restorer.restore_lines([line.text for line in lines])
    return [
        line.model_copy(
            update={
                "text": fixed.text,
                "repaired": fixed.changed,
                "repairs": fixed.tokens,
                "uncertain_comparators": fixed.uncertain_comparators,
                "confidence": min(line.confidence or 1.0, fixed.confidence),
            }
        )
        if fixed.changed
        else line
        for line, fixed in zip(lines, repaired_lines, strict=True)
    ]


def extract(source: SourceText, lines: list[Line],
            taken: Mapping[str, str] | None = None) -> ExtractedDocument:
    return bounded(source.source_path, _extract, source, lines, taken)


def _extract(source: SourceText, lines: list[Line],
             taken: Mapping[str, str] | None) -> ExtractedDocument:
    """The document's facts, targets and tasks. `taken` maps the ids other files hold to
    their paths: a document without a number whose file-name id another file holds is told
    apart by its content (`ke-hoach` in two folders: `ke-hoach`, `ke-hoach-1f2e3d4c`)."""
    document, refs = read_document(source, lines)
    if document.number is None and (taken or {}).get(document.doc_id,
                                                     document.source_path) != document.source_path:
        document = document.model_copy(
            update={"doc_id": f"{document.doc_id}-{document.sha256[:CONTENT_ID_DIGITS]}"})
        refs = [ref.model_copy(update={"doc_id": document.doc_id}) for ref in refs]
    keyed = [line.model_copy(update={"doc_id": document.doc_id}) for line in lines]
    targets = extract_targets(document, keyed)
    return ExtractedDocument(
        document=document,
        refs=tuple(refs),
        lines=tuple(keyed),
        targets=tuple(targets),
        tasks=tuple(extract_tasks(document, keyed)),
        lineage=tuple(read_lineage(targets)),
    )


def checked_lines(path: Path, source: SourceText, failures: list[DocumentFailure]
                  ) -> list[Line] | None:
    """The normalised lines of a Vietnamese text; None (and its failure) otherwise."""
    lines = attempt(path, Stage.NORMALISE, failures, within_memory, path, normalise, source)
    refusal = not_vietnamese(path, lines) if lines is not None else None
    if refusal:
        failures.append(refusal)
        return None
    return lines


def read_normalised(path: Path) -> tuple[SourceText, list[Line]]:
    """One file read and normalised as a flow does it, for callers without a flow run (eval,
    tests) that take a failure as the exception it is."""
    source = read_source(path)
    lines = normalise(source)
    return marked_damaged(source, lines), lines


def text_lines(path: Path, texts: list[str]) -> tuple[SourceText, list[Line]]:
    """Texts (one string a line, numbered from 1) as OCR text of `path` read and normalised:
    what a restored or re-read plan is to the extractors."""
    source = SourceText(source_path=path, sha256="", text_source=TextSource.OCR_TEXT,
                        lines=tuple(SourceLine(page=1, line_no=number, text=text)
                                    for number, text in enumerate(texts, start=1)),
                        page_count=1)
    return source, normalise(source)


def _read(path: Path, failures: list[DocumentFailure]
          ) -> tuple[SourceText, list[Line]] | None:
    source = attempt(path, Stage.READ, failures, within_memory, path, read_source, path)
    lines = checked_lines(path, source, failures) if source is not None else None
    return None if source is None or lines is None else (marked_damaged(source, lines), lines)


def read_and_extract(paths: list[Path], corpus: list[list[str]], model_dir: Path
                     ) -> tuple[list[ExtractedDocument], list[DocumentFailure]]:
    """Every file through the stages, without a flow run: (what was extracted, one failure
    per file that did not make it). Damaged texts are restored with a model of `corpus` and
    of the clean texts among `paths`."""
    failures: list[DocumentFailure] = []
    read = [found for path in paths if (found := _read(path, failures))]
    clean_text = [[line.text for line in lines] for _, lines in read if not is_damaged(lines)]
    restorer: Restorer | None = None
    extracted = []
    for source, lines in read:
        path = source.source_path
        if is_damaged(lines):
            restorer = restorer or load_or_build(corpus + clean_text, model_dir)
            lines = attempt(path, Stage.REPAIR, failures, bounded, path, repair, lines, restorer)
        found = (attempt(path, Stage.EXTRACT, failures, extract, source, lines)
                 if lines is not None else None)
        if found is not None:
            extracted.append(found)
    return extracted, failures


def relink(warehouse: Warehouse, overrides_path: Path | None) -> None:
    """Rebuild the indicator and agency catalogs and the lineage links over everything the
    warehouse holds, with the reviewers' pins and splits (the overrides CSV, then the
    decisions stored in the warehouse, a later one winning)."""
    targets = warehouse.targets()
    tasks = warehouse.tasks()
    indicators, target_links = link_indicators(targets, overrides_path,
                                               warehouse.link_decisions())
    agency_names = [name for found in tasks for name in (*found.lead_agencies,
                                                         *found.partner_agencies)]
    agency_names += [target.owner_agency for target in targets if target.owner_agency]
    warehouse.replace_catalog(indicators, target_links, build_agency_catalog(agency_names))
    warehouse.replace_lineage_links(link_lineage(
        warehouse.lineage(), warehouse.documents(), warehouse.targets()))
