"""The stages one document goes through, as plain functions: read → normalise → restore
if damaged → extract. The Prefect flows (pipeline.run.flows) run them as tasks; `chitieu eval
extract --docs` and the tests call them directly, without a flow run.
"""

from __future__ import annotations

from pathlib import Path

from extractors.metadata import read_document
from extractors.sources import SourceError, read_source
from extractors.targets import extract_targets
from extractors.tasks import extract_tasks
from normalizers.restore import Restorer, load_or_build, needs_repair
from normalizers.restore.detect import MIN_SYLLABLE_SHARE, vietnamese_syllable_share
from normalizers.unicode import normalize_text
from schemas.records import ExtractedDocument, Line, SourceText, TextSource

# A document where at least this share of lines looks stripped or garbled is OCR text.
DAMAGED_SHARE = 0.2


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


def not_vietnamese(path: Path, lines: list[Line]) -> str | None:
    """The error line for a text that is not Vietnamese (restoring it would invent Vietnamese);
    None for a Vietnamese one."""
    share = vietnamese_syllable_share(line.text for line in lines)
    if share is None or share >= MIN_SYLLABLE_SHARE:
        return None
    return (f"{path}: not Vietnamese text (only {share:.0%} of its words are Vietnamese "
            "syllables); chitieu reads Vietnamese plans, check that this is the right file")


def is_damaged(lines: list[Line]) -> bool:
    texts = [line.text for line in lines if line.text.strip()]
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


def extract(source: SourceText, lines: list[Line]) -> ExtractedDocument:
    document, refs = read_document(source, lines)
    keyed = [line.model_copy(update={"doc_id": document.doc_id}) for line in lines]
    return ExtractedDocument(
        document=document,
        refs=tuple(refs),
        lines=tuple(keyed),
        targets=tuple(extract_targets(document, keyed)),
        tasks=tuple(extract_tasks(document, keyed)),
    )


def read_and_extract(paths: list[Path], corpus: list[str], model_dir: Path
                     ) -> tuple[list[ExtractedDocument], list[str]]:
    """Every file through the stages, without a flow run: (what was extracted, one error line
    per file that could not be read). Damaged texts are restored with a model of `corpus`
    and of the clean texts among `paths`."""
    read: list[tuple[SourceText, list[Line]]] = []
    failed: list[str] = []
    for path in paths:
        try:
            source = read_source(path)
        except SourceError as error:
            failed.append(str(error))
            continue
        except Exception as error:  # one bad document must not stop the others
            failed.append(f"{path}: could not be read ({error})")
            continue
        lines = normalise(source)
        if refusal := not_vietnamese(path, lines):
            failed.append(refusal)
            continue
        read.append((marked_damaged(source, lines), lines))
    clean_text = [line.text for source, lines in read if not is_damaged(lines) for line in lines]
    restorer: Restorer | None = None
    extracted = []
    for source, lines in read:
        if is_damaged(lines):
            restorer = restorer or load_or_build(corpus + clean_text, model_dir)
            lines = repair(lines, restorer)
        try:
            extracted.append(extract(source, lines))
        except Exception as error:  # one bad document must not stop the others
            failed.append(f"{source.source_path}: could not be extracted ({error})")
    return extracted, failed
