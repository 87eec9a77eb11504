"""Scoring the product against the answer keys in tests/data/.

Restoration: syllable accuracy after alignment = 1 − (syllable edit distance / gold
syllables). Tone-mark placement (hoá = hóa) and letter case do not count; punctuation-only
tokens are ignored. Alignment is global, so texts that wrap lines differently score fairly.

Extraction: targets precision/recall/F1 against tests/data/targets_dev.csv (a match agrees
on document, year, comparator, value, unit and — fuzzily — the indicator wording), and
pairwise precision/recall/F1 of indicator links (two key rows with one canonical_id should
share an indicator_id, two with different ones should not).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from extractors.agencies import split_agencies
from extractors.textblocks import fold
from normalizers.restore import Restorer, load_or_build
from normalizers.restore.model import shipped_ocr_pairs
from normalizers.unicode import normalize_text, strip_marks
from pipeline.run.stages import extract, read_normalised, text_lines
from schemas.records import (
    Document,
    ExtractedDocument,
    Target,
    Task,
)
from schemas.units import unit_label

# A development checkout's plans and answer keys, relative to the folder the developer
# commands run in (the checkout's root): the product never finds them through its own files.
PLANS_DIR = Path("raw")
DATA_DIR = Path("tests") / "data"
CLEAN_PLANS = (
    "kh-08-KH-TU-2025-08-29",
    "kh-3450-KH-UBND-2026-03-17",
    "ctr-01-CTr-BCD-2026-03-20",
)
KH22_OCR = PLANS_DIR / "kh-22-KH-TU-2026-01-14.ocr.txt"
KH22_DEV_GOLD = DATA_DIR / "kh22_gold_dev.txt"
KH22_DEV_FIRST_LINE = 218  # kh22_gold_dev.txt line 1 is this line of the OCR text

_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")


def scoring_syllables(lines: Iterable[str]) -> list[str]:
    """Whitespace tokens without edge punctuation, tone convention normalised, case folded."""
    syllables = []
    for line in lines:
        for token in normalize_text(line).split():
            core = _EDGE_PUNCTUATION.sub("", token)
            if core:
                syllables.append(core.casefold())
    return syllables


def syllable_accuracy(hypothesis: Iterable[str], gold: Iterable[str]) -> float:
    """1 − syllable edit distance / gold syllables, over the whole texts aligned globally."""
    gold_syllables = scoring_syllables(gold)
    if not gold_syllables:
        return 1.0
    distance = Levenshtein.distance(scoring_syllables(hypothesis), gold_syllables)
    return max(0.0, 1.0 - distance / len(gold_syllables))


def clean_plan_lines(name: str) -> list[str]:
    """A clean plan's lines as the flow stores them: read and normalised by the product's
    stages (markup stripped, Unicode and tones normalised)."""
    _, lines = read_normalised(PLANS_DIR / f"{name}.txt")
    return [line.text for line in lines]


def engocr_lines(name: str) -> list[str]:
    return (DATA_DIR / "engocr" / f"{name}.eng-ocr.txt").read_text(encoding="utf-8").splitlines()


def kh22_dev_pair() -> tuple[list[str], list[str]]:
    """(OCR lines, gold lines) of the KH 22 development part, line-aligned."""
    gold = KH22_DEV_GOLD.read_text(encoding="utf-8").splitlines()
    ocr = KH22_OCR.read_text(encoding="utf-8").splitlines()
    start = KH22_DEV_FIRST_LINE - 1
    return ocr[start : start + len(gold)], gold


@dataclass(frozen=True)
class LeaveOneOutScore:
    plan: str
    raw_stripped: float  # the marks-stripped plan before restoration
    stripped: float  # restored from the marks-stripped plan
    raw_noisy: float  # the English-OCR text before restoration
    noisy: float  # restored from the English-OCR text


def leave_one_out(plans: Sequence[str] = CLEAN_PLANS) -> list[LeaveOneOutScore]:
    """Score each plan with a model that never saw it (neither its text nor its OCR)."""
    clean = {name: clean_plan_lines(name) for name in plans}
    scores = []
    for held_out in plans:
        restorer = _leave_one_out_restorer(held_out, clean)
        gold = clean[held_out]
        stripped = [strip_marks(line) for line in gold]
        noisy = engocr_lines(held_out)
        scores.append(LeaveOneOutScore(
            plan=held_out,
            raw_stripped=syllable_accuracy(stripped, gold),
            stripped=syllable_accuracy(_restored(restorer, stripped), gold),
            raw_noisy=syllable_accuracy(noisy, gold),
            noisy=syllable_accuracy(_restored(restorer, noisy), gold),
        ))
    return scores


def _leave_one_out_restorer(held_out: str, clean: dict[str, list[str]]) -> Restorer:
    """A model built from every plan in `clean` but `held_out` (text and shipped OCR pairs)."""
    others = [name for name in clean if name != held_out]
    return Restorer.build([line for name in others for line in clean[name]],
                          ocr_pairs=shipped_ocr_pairs(excluding={held_out}))


def _restored(restorer: Restorer, lines: list[str]) -> list[str]:
    return [repaired.text for repaired in restorer.restore_lines(lines)]


def kh22_dev_score(restorer: Restorer) -> tuple[float, float]:
    """(raw OCR score, restored score) on the KH 22 development lines."""
    ocr, gold = kh22_dev_pair()
    return syllable_accuracy(ocr, gold), syllable_accuracy(_restored(restorer, ocr), gold)


def dev_documents() -> list[list[str]]:
    """The clean plans' lines, one list per plan: what the product learns from once the four
    plans are loaded."""
    return [clean_plan_lines(name) for name in CLEAN_PLANS]


def dev_restorer(cache_dir: Path) -> Restorer:
    """The product's model for KH 22: all clean plans, all shipped OCR pairs."""
    return load_or_build(dev_documents(), cache_dir)


# ---------------------------------------------------------------- restoration of a folder

ENGLISH_OCR_SUFFIX = ".eng-ocr.txt"
_PAGE_CHARACTERS = 2500  # fewer than a rendered page holds, so no text is cut off
_PAGE_LINES = 30  # … and fewer lines (38 fit)


@dataclass(frozen=True)
class TextRestoreScore:
    """Syllable accuracy on one clean text, its marks stripped and its English-OCR reading,
    before and after restoration."""

    name: str
    syllables: int
    raw_stripped: float
    stripped: float
    raw_noisy: float
    noisy: float


def folder_texts(docs_dir: Path) -> list[Path]:
    """The clean texts of a folder (*.txt but the English-OCR readings beside them)."""
    return sorted(path for path in docs_dir.glob("*.txt")
                  if not path.name.endswith(ENGLISH_OCR_SUFFIX))


def english_ocr_lines(text_path: Path) -> list[str]:
    """The text rendered to 300-DPI page images and read by Tesseract with `-l eng` (the
    tests/data/engocr recipe); read once, then kept beside the text as NAME.eng-ocr.txt."""
    ocr_path = text_path.with_name(text_path.stem + ENGLISH_OCR_SUFFIX)
    if not ocr_path.exists():
        import pytesseract

        from pipeline.dev.documents import render_scan_pages

        text = text_path.read_text(encoding="utf-8")
        # enough pages for long lines and for many short ones (a letterhead, a list); the
        # pages left blank are not read
        pages = 1 + len(text) // _PAGE_CHARACTERS + text.count("\n") // _PAGE_LINES
        images, texts = render_scan_pages(text_path, pages)
        ocr_path.write_text("".join(pytesseract.image_to_string(image, lang="eng")
                                    for image, text in zip(images, texts, strict=True)
                                    if text.strip()), encoding="utf-8")
    return ocr_path.read_text(encoding="utf-8").splitlines()


def unseen_corpus(documents: Iterable[list[str]], texts: Iterable[Path]) -> list[list[str]]:
    """The documents without any line of the texts to be scored: the model never saw them."""
    scored = {normalize_text(line) for path in texts
              for line in path.read_text(encoding="utf-8").splitlines()}
    return [[line for line in lines if normalize_text(line) not in scored]
            for lines in documents]


def folder_restore_scores(restorer: Restorer, texts: Sequence[Path]
                          ) -> tuple[list[TextRestoreScore], TextRestoreScore]:
    """Each text's scores, and those of all of them as one text."""
    scores = []
    together: tuple[list[str], ...] = ([], [], [], [], [])
    for path in texts:
        gold = [normalize_text(line) for line in path.read_text(encoding="utf-8").splitlines()]
        stripped = [strip_marks(line) for line in gold]
        noisy = english_ocr_lines(path)
        parts = (gold, stripped, _restored(restorer, stripped), noisy, _restored(restorer, noisy))
        scores.append(_text_score(path.stem, *parts))
        for collected, lines in zip(together, parts, strict=True):
            collected.extend(lines)
    return scores, _text_score("tổng", *together)


def _text_score(name: str, gold: list[str], stripped: list[str], restored_stripped: list[str],
                noisy: list[str], restored_noisy: list[str]) -> TextRestoreScore:
    return TextRestoreScore(
        name=name, syllables=len(scoring_syllables(gold)),
        raw_stripped=syllable_accuracy(stripped, gold),
        stripped=syllable_accuracy(restored_stripped, gold),
        raw_noisy=syllable_accuracy(noisy, gold), noisy=syllable_accuracy(restored_noisy, gold))


# ---------------------------------------------------------------- extraction (targets, links)

TARGETS_KEY = DATA_DIR / "targets_dev.csv"
WORDING_MATCH = 80.0  # rapidfuzz token-set ratio of folded wordings that count as the same


@dataclass(frozen=True)
class KeyTarget:
    """One row of the targets key."""

    doc: str  # the plan's file name
    section: str
    indicator_text: str
    canonical_id: str
    year: int | None
    comparator: str
    value: float | None
    value_max: float | None
    unit: str | None
    per_year: bool
    owner: str | None
    line: int


@dataclass(frozen=True)
class PRF:
    true_positives: int
    predicted: int
    expected: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class ExtractionScores:
    targets: PRF
    links: PRF
    missed: tuple[KeyTarget, ...]  # key rows no extracted target matched
    extra: tuple[Target, ...]  # extracted targets in the key's cells that match no row


def _optional_float(text: str) -> float | None:
    return float(text) if text.strip() else None


def read_target_key(path: Path = TARGETS_KEY) -> list[KeyTarget]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            KeyTarget(
                doc=row["doc"], section=row["section"], indicator_text=row["indicator_text"],
                canonical_id=row["canonical_id"],
                year=int(row["year"]) if row["year"].strip() else None,
                comparator=row["comparator"], value=_optional_float(row["value"]),
                value_max=_optional_float(row["value_max"]), unit=row["unit"].strip() or None,
                per_year=row["per_year"].strip().lower() == "true",
                owner=row["owner"].strip() or None, line=int(row["line"]),
            )
            for row in csv.DictReader(handle)
        ]


def _same_number(a: float | None, b: float | None) -> bool:
    return (a is None) == (b is None) and (a is None or abs(a - b) < 1e-6)


def _unit_key(unit: str | None) -> str:
    """Units as a person writes them ("persons_per_10k" and "người/vạn dân" alike)."""
    return (unit_label(unit) or "").replace(" ", "").casefold()


def _units_agree(keyed: str | None, extracted: str | None) -> bool:
    """Alike units; a counted noun agrees with a key that writes more of its phrase ("đô thị"
    with "đô thị thông minh", "ý tưởng" with "ý tưởng, giải pháp"): the rest is the indicator's."""
    key_unit, unit = _unit_key(keyed), _unit_key(extracted)
    if key_unit == unit:
        return True
    key_words = re.findall(r"\w+", fold(keyed or ""))
    words = re.findall(r"\w+", fold(extracted or ""))
    shorter, longer = sorted((key_words, words), key=len)
    return (bool(shorter) and longer[:len(shorter)] == shorter
            and not any(sign in key_unit + unit for sign in "%/"))


def wording_score(a: str, b: str) -> float:
    return fuzz.token_set_ratio(fold(a), fold(b))


def _agrees(row: KeyTarget, target: Target) -> bool:
    return (row.year == target.target_year and row.comparator == target.comparator
            and _same_number(row.value, target.value)
            and _same_number(row.value_max, target.value_max)
            and _units_agree(row.unit, target.unit)
            and wording_score(row.indicator_text, target.indicator_text) >= WORDING_MATCH)


def match_targets(key: list[KeyTarget], targets_by_doc: dict[str, list[Target]]
                  ) -> dict[int, Target]:
    """Key row index → the extracted target it matches (one to one, best wording first)."""
    candidates = sorted(
        ((-wording_score(row.indicator_text, target.indicator_text), index, target.target_id,
          target)
         for index, row in enumerate(key)
         for target in targets_by_doc.get(row.doc, [])
         if _agrees(row, target)),
        key=lambda item: item[:3],
    )
    matches: dict[int, Target] = {}
    used: set[str] = set()
    for _, index, target_id, target in candidates:
        if index not in matches and target_id not in used:
            matches[index] = target
            used.add(target_id)
    return matches


def score_extraction(key: list[KeyTarget], targets: list[Target],
                     documents: list[Document]) -> ExtractionScores:
    """Targets P/R/F1 and pairwise link P/R/F1 of `targets` (with their indicator_id).

    The key is a sample (some lines, and on a table row sometimes one year of two), so
    precision counts the extracted targets on the (line, year) cells the key covers: a target
    the key never looked at is neither right nor wrong.
    """
    file_of = {document.doc_id: Path(document.source_path).name for document in documents}
    targets_by_doc: dict[str, list[Target]] = {}
    for target in targets:
        targets_by_doc.setdefault(file_of.get(target.doc_id, target.doc_id), []).append(target)
    key_cells = {(row.doc, row.line, row.year) for row in key}
    in_scope = [target for doc, found in targets_by_doc.items() for target in found
                if (doc, target.line, target.target_year) in key_cells]
    matches = match_targets(key, targets_by_doc)
    matched_ids = {target.target_id for target in matches.values()}
    target_scores = PRF(len(matches), len(in_scope), len(key))
    return ExtractionScores(
        targets=target_scores,
        links=_link_scores(key, matches),
        missed=tuple(row for index, row in enumerate(key) if index not in matches),
        extra=tuple(target for target in in_scope if target.target_id not in matched_ids),
    )


QUANTIFIED = frozenset({">=", ">", "<=", "<", "=", "between"})


@dataclass(frozen=True)
class DocumentScore:
    doc: str
    targets: PRF
    missed: tuple[KeyTarget, ...]
    extra: tuple[Target, ...]
    facts: dict[str, str]  # the document's row of sources.csv (layout, issuer_kind …)


def read_sources(paths: Iterable[Path]) -> dict[str, dict[str, str]]:
    """doc → its row of a development set's sources.csv."""
    rows: dict[str, dict[str, str]] = {}
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            rows.update({row["doc"]: row for row in csv.DictReader(handle)})
    return rows


def _keyed_targets(key: list[KeyTarget], targets: list[Target], documents: list[Document]
                   ) -> dict[str, list[Target]]:
    """The quantified targets of each keyed document, by the document's file name."""
    file_of = {document.doc_id: Path(document.source_path).name for document in documents}
    targets_by_doc: dict[str, list[Target]] = {doc: [] for doc in sorted({row.doc for row in key})}
    for target in targets:
        doc = file_of.get(target.doc_id, target.doc_id)
        if doc in targets_by_doc and target.comparator in QUANTIFIED:
            targets_by_doc[doc].append(target)
    return targets_by_doc


def complete_key_links(key: list[KeyTarget], targets: list[Target], documents: list[Document]
                       ) -> PRF:
    """Pairwise indicator links over a folder's key (two rows with one canonical_id are one
    measure), the targets linked as the product links a warehouse's."""
    return _link_scores(key, match_targets(key, _keyed_targets(key, targets, documents)))


def score_complete_key(key: list[KeyTarget], targets: list[Target], documents: list[Document],
                       sources: dict[str, dict[str, str]] | None = None
                       ) -> list[DocumentScore]:
    """Per keyed document: precision over all its quantified targets (a complete key names
    every one), recall over its key rows. Yes/no (`exists`) targets are not keyed."""
    keyed = sorted({row.doc for row in key})
    targets_by_doc = _keyed_targets(key, targets, documents)
    matches = match_targets(key, targets_by_doc)
    matched_ids = {target.target_id for target in matches.values()}
    scores = []
    for doc in keyed:
        rows = [index for index, row in enumerate(key) if row.doc == doc]
        found = targets_by_doc[doc]
        scores.append(DocumentScore(
            doc=doc,
            targets=PRF(sum(index in matches for index in rows), len(found), len(rows)),
            missed=tuple(key[index] for index in rows if index not in matches),
            extra=tuple(target for target in found if target.target_id not in matched_ids),
            facts=(sources or {}).get(doc, {}),
        ))
    return scores


def summed(scores: Iterable[PRF]) -> PRF:
    scores = list(scores)
    return PRF(sum(score.true_positives for score in scores),
               sum(score.predicted for score in scores),
               sum(score.expected for score in scores))


def scores_by(scores: list[DocumentScore], fact: str) -> dict[str, PRF]:
    """The documents' scores added up per value of a sources.csv column ("layout" …)."""
    groups: dict[str, list[PRF]] = {}
    for score in scores:
        groups.setdefault(score.facts.get(fact) or "?", []).append(score.targets)
    return {value: summed(group) for value, group in sorted(groups.items())}


def _link_scores(key: list[KeyTarget], matches: dict[int, Target]) -> PRF:
    """Pairwise: over all pairs of key rows, "same indicator" predicted vs expected."""
    true_positives = predicted = expected = 0
    for i in range(len(key)):
        for j in range(i + 1, len(key)):
            gold_same = key[i].canonical_id == key[j].canonical_id
            a, b = matches.get(i), matches.get(j)
            linked = (a is not None and b is not None and a.indicator_id is not None
                      and a.indicator_id == b.indicator_id)
            expected += gold_same
            predicted += linked
            true_positives += gold_same and linked
    return PRF(true_positives, predicted, expected)


# ---------------------------------------------------------------- tasks (field agreement)
# There is no hand-made task key: tasks of a clean plan (whose extraction the tests check
# row by row) are the reference, and the same plan's English-OCR rendering, raw or restored,
# is scored against them. That measures what scan damage costs the task extraction.

TASK_FIELDS = ("lead_agencies", "partner_agencies", "responsible", "product", "deadline")
TASK_FIELD_LABELS = {"lead_agencies": "cơ quan chủ trì", "partner_agencies": "cơ quan phối hợp",
                     "responsible": "người phụ trách", "product": "sản phẩm",
                     "deadline": "thời hạn"}


@dataclass(frozen=True)
class TaskFieldScores:
    reference: int  # tasks of the reference extraction
    predicted: int
    matched: int  # pairs whose titles agree (one to one)
    agreement: dict[str, float]  # field -> share of matched pairs that agree on it

    @property
    def recall(self) -> float:
        return self.matched / self.reference if self.reference else 0.0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0


def _same_wording(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return not a and not b
    return wording_score(a, b) >= WORDING_MATCH


def task_field_agrees(field: str, predicted: Task, reference: Task) -> bool:
    """Agencies as sets of folded names; person and product by wording; the deadline by its
    due date and recurrence."""
    if field in ("lead_agencies", "partner_agencies"):
        return ({fold(name) for name in getattr(predicted, field)}
                == {fold(name) for name in getattr(reference, field)})
    if field == "deadline":
        return ((predicted.due_date, predicted.recurring)
                == (reference.due_date, reference.recurring))
    return _same_wording(getattr(predicted, field), getattr(reference, field))


def match_tasks(predicted: list[Task], reference: list[Task]) -> list[tuple[Task, Task]]:
    """(predicted, reference) pairs with agreeing titles, one to one, best wording first."""
    candidates = sorted(
        ((-score, p_index, r_index)
         for p_index, task in enumerate(predicted)
         for r_index, wanted in enumerate(reference)
         if (score := wording_score(task.title, wanted.title)) >= WORDING_MATCH),
    )
    pairs, used_p, used_r = [], set(), set()
    for _, p_index, r_index in candidates:
        if p_index not in used_p and r_index not in used_r:
            pairs.append((predicted[p_index], reference[r_index]))
            used_p.add(p_index)
            used_r.add(r_index)
    return pairs


def task_field_accuracy(predicted: list[Task], reference: list[Task]) -> TaskFieldScores:
    pairs = match_tasks(predicted, reference)
    agreement = {
        field: (sum(task_field_agrees(field, p, r) for p, r in pairs) / len(pairs)
                if pairs else 0.0)
        for field in TASK_FIELDS
    }
    return TaskFieldScores(reference=len(reference), predicted=len(predicted),
                           matched=len(pairs), agreement=agreement)


def plan_tasks(name: str, texts: list[str]) -> list[Task]:
    """Tasks of plan `name` read from `texts` (one string per line) by the product's
    normalise and extract stages."""
    source, lines = text_lines(PLANS_DIR / f"{name}.txt", texts)
    return list(extract(source, lines).tasks)


def clean_plan_tasks(name: str) -> list[Task]:
    """Tasks of the clean plan `name` as the product reads its file."""
    return list(extract(*read_normalised(PLANS_DIR / f"{name}.txt")).tasks)


@dataclass(frozen=True)
class OcrTaskScore:
    plan: str
    raw: TaskFieldScores  # tasks of the English-OCR text as it is
    restored: TaskFieldScores | None  # after restoration by a model that never saw the plan


def ocr_task_scores(plans: Sequence[str] = CLEAN_PLANS, restore: bool = False
                    ) -> list[OcrTaskScore]:
    """Each clean plan's tasks against those of its English-OCR rendering."""
    clean = {name: clean_plan_lines(name) for name in plans} if restore else {}
    scores = []
    for name in plans:
        reference = clean_plan_tasks(name)
        noisy = engocr_lines(name)
        restored = None
        if restore:
            restorer = _leave_one_out_restorer(name, clean)
            restored = task_field_accuracy(plan_tasks(name, _restored(restorer, noisy)),
                                           reference)
        scores.append(OcrTaskScore(
            plan=name, raw=task_field_accuracy(plan_tasks(name, noisy), reference),
            restored=restored))
    return scores


def combined_task_scores(scores: Iterable[TaskFieldScores]) -> TaskFieldScores:
    """Several plans' scores as one: counts added, field agreement weighted by matched pairs."""
    scores = list(scores)
    matched = sum(score.matched for score in scores)
    agreement = {
        field: (sum(score.agreement[field] * score.matched for score in scores) / matched
                if matched else 0.0)
        for field in TASK_FIELDS
    }
    return TaskFieldScores(reference=sum(score.reference for score in scores),
                           predicted=sum(score.predicted for score in scores),
                           matched=matched, agreement=agreement)


def task_score_line(label: str, scores: TaskFieldScores) -> str:
    """One line for people: tasks found again, precision, agreement per field."""
    fields = ", ".join(f"{TASK_FIELD_LABELS[field]} {scores.agreement[field]:.0%}"
                       for field in TASK_FIELDS)
    return (f"{label}: {scores.matched}/{scores.reference} nhiệm vụ tìm lại (độ chính xác "
            f"{scores.precision:.0%}); các trường: {fields}")


# ---------------------------------------------------------------- tasks against a hand key
# A folder of documents and its tasks_key.csv (doc, line, lead_agency, partners, due_date,
# deadline_text, recurring, title): each document is read by the product's own stages (no
# flow), and each key row is matched to an extracted task of its document that starts within
# KEY_LINE_SLACK lines of it or whose wording agrees.

KEY_LINE_SLACK = 2


@dataclass(frozen=True)
class KeyTask:
    """One row of a hand-made tasks key."""

    doc: str  # the document's file name
    line: int
    lead_agencies: tuple[str, ...]
    partners: tuple[str, ...]
    due_date: date | None
    deadline_text: str
    recurring: bool
    title: str


def _key_agencies(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(";") if name.strip())


def read_task_key(path: Path) -> list[KeyTask]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            KeyTask(
                doc=row["doc"].strip(), line=int(row["line"]),
                lead_agencies=_key_agencies(row["lead_agency"]),
                partners=_key_agencies(row["partners"]),
                due_date=date.fromisoformat(row["due_date"]) if row["due_date"].strip() else None,
                deadline_text=row["deadline_text"].strip(),
                recurring=row["recurring"].strip().lower() == "true",
                title=row["title"].strip(),
            )
            for row in csv.DictReader(handle)
        ]


def read_folder(docs_dir: Path, model_dir: Path | None = None
                ) -> tuple[dict[str, ExtractedDocument], list[str]]:
    """Every document of `docs_dir` through the product's stages, by file name; and one line
    per file that could not be read."""
    from pipeline.run.inputs import discover
    from pipeline.run.stages import read_and_extract
    from pipeline.settings import model_cache_dir

    model_dir = model_dir or model_cache_dir()
    extracted, failures = read_and_extract(discover([docs_dir]), [], model_dir)
    return ({Path(found.document.source_path).name: found for found in extracted},
            [failure.line() for failure in failures])


def _agency_keys(names: Iterable[str]) -> set[str]:
    return {fold(agency) for name in names for agency in split_agencies(name)}


def same_agencies(written: Iterable[str], found: Iterable[str]) -> bool:
    """Two lists of agencies name the same bodies, however each spells or splits them: both
    go through the product's splitting and canonical names ("Sở KH&CN" = "Sở Khoa học và
    Công nghệ"; "Các bộ, ngành, địa phương" is the same list however it was cut)."""
    return _agency_keys(written) == _agency_keys(found)


def _pair_rank(row: KeyTask, task: Task) -> tuple[int, float] | None:
    """How well `task` stands for `row` (smaller first): line distance, then wording; None
    when neither the line nor the wording agrees."""
    distance = abs(task.line - row.line)
    score = wording_score(row.title, task.title[:len(row.title) * 2])
    if distance > KEY_LINE_SLACK and score < WORDING_MATCH:
        return None
    return (distance if distance <= KEY_LINE_SLACK else KEY_LINE_SLACK + 1, -score)


def match_key_tasks(key: list[KeyTask], tasks: list[Task]) -> list[tuple[KeyTask, Task]]:
    """(key row, extracted task) pairs of one document, one to one, nearest first."""
    candidates = sorted(
        (rank, k_index, t_index)
        for k_index, row in enumerate(key)
        for t_index, task in enumerate(tasks)
        if (rank := _pair_rank(row, task)) is not None
    )
    pairs, used_k, used_t = [], set(), set()
    for _, k_index, t_index in candidates:
        if k_index not in used_k and t_index not in used_t:
            pairs.append((key[k_index], tasks[t_index]))
            used_k.add(k_index)
            used_t.add(t_index)
    return sorted(pairs, key=lambda pair: pair[0].line)


@dataclass(frozen=True)
class TaskKeyScores:
    """Tasks of one document (or several, added up) against the key."""

    expected: int  # key rows
    predicted: int  # extracted tasks
    pairs: tuple[tuple[KeyTask, Task], ...]
    missed: tuple[KeyTask, ...]
    extra: tuple[Task, ...]

    def _share(self, agrees: Callable[[KeyTask, Task], bool]) -> float:
        return (sum(agrees(row, task) for row, task in self.pairs) / len(self.pairs)
                if self.pairs else 0.0)

    @property
    def recall(self) -> float:
        return len(self.pairs) / self.expected if self.expected else 0.0

    @property
    def precision(self) -> float:
        return len(self.pairs) / self.predicted if self.predicted else 0.0

    @property
    def lead_accuracy(self) -> float:
        return self._share(lead_agrees)

    @property
    def due_accuracy(self) -> float:
        return self._share(due_agrees)

    @property
    def joint_accuracy(self) -> float:
        return self._share(lambda row, task: lead_agrees(row, task) and due_agrees(row, task))


def lead_agrees(row: KeyTask, task: Task) -> bool:
    return same_agencies(row.lead_agencies, task.lead_agencies)


def due_agrees(row: KeyTask, task: Task) -> bool:
    return (row.due_date, row.recurring) == (task.due_date, task.recurring)


def score_key_tasks(key: list[KeyTask], tasks: list[Task]) -> TaskKeyScores:
    pairs = match_key_tasks(key, tasks)
    matched_rows = {id(row) for row, _ in pairs}
    matched_tasks = {task.task_id for _, task in pairs}
    return TaskKeyScores(
        expected=len(key), predicted=len(tasks), pairs=tuple(pairs),
        missed=tuple(row for row in key if id(row) not in matched_rows),
        extra=tuple(task for task in tasks if task.task_id not in matched_tasks))


def combined_key_scores(scores: Iterable[TaskKeyScores]) -> TaskKeyScores:
    scores = list(scores)
    return TaskKeyScores(
        expected=sum(score.expected for score in scores),
        predicted=sum(score.predicted for score in scores),
        pairs=tuple(pair for score in scores for pair in score.pairs),
        missed=tuple(row for score in scores for row in score.missed),
        extra=tuple(task for score in scores for task in score.extra))


def folder_task_scores(docs_dirs: Iterable[Path], key_paths: Iterable[Path]
                       ) -> tuple[dict[str, TaskKeyScores], list[str]]:
    """Per keyed document, its tasks against the keys; and the files that could not be read.
    A document a key names but no folder holds counts as read with no task."""
    key = [row for path in key_paths for row in read_task_key(path)]
    extracted: dict[str, ExtractedDocument] = {}
    failed: list[str] = []
    for docs_dir in docs_dirs:
        found, unread = read_folder(docs_dir)
        extracted.update(found)
        failed += unread
    scores = {}
    for doc in sorted({row.doc for row in key}):
        found = extracted.get(doc)
        tasks = list(found.tasks) if found else []
        scores[doc] = score_key_tasks([row for row in key if row.doc == doc], tasks)
    return scores, failed


def key_scores_by(scores: dict[str, TaskKeyScores], sources: dict[str, dict[str, str]],
                  fact: str) -> dict[str, TaskKeyScores]:
    """The documents' task scores added up per value of a sources.csv column ("layout" …)."""
    groups: dict[str, list[TaskKeyScores]] = {}
    for doc, score in scores.items():
        groups.setdefault(sources.get(doc, {}).get(fact) or "?", []).append(score)
    return {value: combined_key_scores(group) for value, group in sorted(groups.items())}


def key_score_line(label: str, scores: TaskKeyScores) -> str:
    return (f"{label}: cơ quan chủ trì {scores.lead_accuracy:.2f}, thời hạn "
            f"{scores.due_accuracy:.2f}, cả hai {scores.joint_accuracy:.2f}; tìm lại "
            f"{scores.recall:.2f} ({len(scores.pairs)}/{scores.expected}), chính xác "
            f"{scores.precision:.2f} ({len(scores.pairs)}/{scores.predicted})")
