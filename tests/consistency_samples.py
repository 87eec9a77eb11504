"""A small warehouse of two invented plans for the report and export tests.

The figures are made up (not the answer keys). One plan carries hostile text: markup, a
script tag and spreadsheet formulas, as an untrusted document could.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from extractors.sources import assemble, read_page, triage
from normalizers.restore import load_or_build
from pipeline.check.consistency import find_conflicts
from pipeline.store.warehouse import Warehouse
from schemas.records import (
    Agency,
    Comparator,
    Document,
    DocumentRef,
    ExtractedDocument,
    Indicator,
    Line,
    Relation,
    Target,
    Task,
    TextSource,
)

HOSTILE_TEXT = '<script>alert("x")</script> & <b>đậm</b> | [bấm](javascript:alert(1))'
FORMULA_TEXT = '=HYPERLINK("http://example.invalid","bấm")'
AS_OF = date(2027, 6, 30)


def _document(doc_id: str, number: str, issuer: str, issued_on: date) -> Document:
    return Document(doc_id=doc_id, number=number, issuer=issuer, issued_on=issued_on,
                    kind="Kế hoạch", title=f"Kế hoạch thử {number}",
                    source_path=f"raw/{doc_id}.txt",
                    sha256=hashlib.sha256(doc_id.encode()).hexdigest(),
                    text_source=TextSource.DIGITAL, jurisdiction="tỉnh Gia Lai",
                    jurisdiction_level="province")


def _target(doc_id: str, line: int, indicator_id: str, text: str, year: int,
            comparator: Comparator, value: float | None, unit: str | None) -> Target:
    return Target(target_id=f"{doc_id}-{line}-{year}", doc_id=doc_id, indicator_id=indicator_id,
                  indicator_text=text, target_year=year, comparator=comparator, value=value,
                  unit=unit, page=1 + line // 50, line=line, source_text=f"- {text}",
                  confidence=0.9)


def _lines(doc_id: str, texts: dict[int, str]) -> tuple[Line, ...]:
    return tuple(Line(doc_id=doc_id, page=1 + line_no // 50, line_no=line_no, raw_text=text,
                      text=text) for line_no, text in sorted(texts.items()))


def party_plan() -> ExtractedDocument:
    doc_id = "11-KH-TU"
    texts = {
        20: "- Tỷ lệ hộ gia đình dùng cáp quang ≥ 85%.",
        21: "- Có ≥ 40 phòng thí nghiệm đạt chuẩn.",
        30: f"- Xây dựng cổng dữ liệu mở {HOSTILE_TEXT}.",
    }
    return ExtractedDocument(
        document=_document(doc_id, "11-KH/TU", "Ban Thường vụ Tỉnh ủy", date(2027, 1, 5)),
        lines=_lines(doc_id, texts),
        targets=(
            _target(doc_id, 20, "fibre_pct", "Tỷ lệ hộ gia đình dùng cáp quang", 2027, ">=", 85,
                    "%"),
            _target(doc_id, 21, "labs_count", "phòng thí nghiệm đạt chuẩn", 2027, ">=", 40,
                    "phòng"),
        ),
        tasks=(
            Task(task_id="t-11-30", doc_id=doc_id, title=f"Xây dựng cổng dữ liệu mở {HOSTILE_TEXT}",
                 lead_agencies=("Sở Khoa học và Công nghệ",), partner_agencies=("Sở Tài chính",),
                 deadline_text="Quý I/2027", due_date=date(2027, 3, 31), page=1, line=30),
        ),
    )


def government_plan() -> ExtractedDocument:
    doc_id = "700-KH-UBND"
    texts = {
        40: "1\tTỷ lệ hộ gia đình dùng cáp quang\t%\t≥ 75\t100",
        41: "2\tSố phòng thí nghiệm đạt chuẩn\tPhòng\t≥ 36\t≥ 60",
        42: f"3\t{FORMULA_TEXT}\t%\t≥ 5\t-",
        50: "Sửa đổi quy chế dữ liệu\tSở Tư pháp\tThường xuyên",
        51: "Ban hành danh mục dữ liệu mở\tSở Khoa học và Công nghệ\tTháng 12/2027",
    }
    return ExtractedDocument(
        document=_document(doc_id, "700/KH-UBND", "Ủy ban nhân dân tỉnh", date(2027, 4, 2)),
        refs=(DocumentRef(doc_id=doc_id, ref_number="11-KH/TU", relation=Relation.BASIS, line=3,
                          source_text="Căn cứ Kế hoạch số 11-KH/TU"),),
        lines=_lines(doc_id, texts),
        targets=(
            _target(doc_id, 40, "fibre_pct", "Tỷ lệ hộ gia đình dùng cáp quang", 2027, ">=", 75,
                    "%"),
            _target(doc_id, 40, "fibre_pct", "Tỷ lệ hộ gia đình dùng cáp quang", 2030, "=", 100,
                    "%"),
            _target(doc_id, 41, "labs_count", "Số phòng thí nghiệm đạt chuẩn", 2028, ">=", 36,
                    "Phòng"),
            _target(doc_id, 41, "labs_count", "Số phòng thí nghiệm đạt chuẩn", 2030, ">=", 60,
                    "Phòng"),
            _target(doc_id, 42, "formula_pct", FORMULA_TEXT, 2027, ">=", 5, "%"),
        ),
        tasks=(
            Task(task_id="t-700-50", doc_id=doc_id, title="Sửa đổi quy chế dữ liệu",
                 lead_agencies=("Sở Tư pháp",), deadline_text="Thường xuyên", recurring=True,
                 page=2, line=50),
            Task(task_id="t-700-51", doc_id=doc_id, title="Ban hành danh mục dữ liệu mở",
                 lead_agencies=("Sở KH&CN",), partner_agencies=("Sở Tư pháp",),
                 deadline_text="Tháng 12/2027", due_date=date(2027, 12, 31), page=2, line=51),
        ),
    )


def amending_plan(sentence: str) -> ExtractedDocument:
    """A plan that amends the party plan (as `sentence`, line 7, says) and sets its fibre
    figure anew."""
    doc_id = "12-KH-TU"
    return ExtractedDocument(
        document=_document(doc_id, "12-KH/TU", "Ban Thường vụ Tỉnh ủy", date(2027, 5, 2)),
        refs=(DocumentRef(doc_id=doc_id, ref_number="11-KH/TU", relation=Relation.AMENDS,
                          line=7, source_text=sentence),),
        lines=_lines(doc_id, {7: sentence, 20: "- Tỷ lệ hộ gia đình dùng cáp quang ≥ 80%."}),
        targets=(_target(doc_id, 20, "fibre_pct", "Tỷ lệ hộ gia đình dùng cáp quang", 2027, ">=",
                         80, "%"),),
    )


INDICATORS = [
    Indicator(indicator_id="fibre_pct", name="Tỷ lệ hộ gia đình dùng cáp quang", unit="%"),
    Indicator(indicator_id="labs_count", name="Số phòng thí nghiệm đạt chuẩn", unit="phòng"),
    Indicator(indicator_id="formula_pct", name=FORMULA_TEXT, unit="%"),
]
AGENCIES = [
    Agency(agency_id="so-khcn", name="Sở Khoa học và Công nghệ", aliases=("Sở KH&CN",)),
    Agency(agency_id="so-tai-chinh", name="Sở Tài chính"),
    Agency(agency_id="so-tu-phap", name="Sở Tư pháp"),
]


def build_sample_warehouse(db_path: Path) -> None:
    """Two plans loaded, catalogs linked, conflicts checked: what `chitieu run` leaves."""
    plans = [party_plan(), government_plan()]
    with Warehouse.open(db_path) as warehouse:
        for plan in plans:
            warehouse.load(plan)
        links = {target.target_id: target.indicator_id for plan in plans
                 for target in plan.targets if target.indicator_id}
        warehouse.replace_catalog(INDICATORS, links, AGENCIES)
        warehouse.replace_conflicts(find_conflicts(warehouse.documents(), warehouse.refs(),
                                                   warehouse.targets()))


def load_plans(db_path: Path, plan_paths: list[Path], model_dir: Path) -> None:
    """The real plans through the flow's own steps, without a flow run (no Prefect server):
    clean plans as they are, damaged OCR text restored with a model of the clean text, then
    the indicator and agency catalogs rebuilt over everything loaded."""
    from pipeline.run.flows import link  # imports Prefect
    from pipeline.run.stages import extract, is_damaged, normalise, repair

    sources = [assemble(path, [read_page(page) for page in triage(path)]) for path in plan_paths]
    read = [(source, normalise(source)) for source in sources]
    damaged = [is_damaged(lines) for _source, lines in read]
    with Warehouse.open(db_path) as warehouse:
        corpus = warehouse.corpus_documents() + [
            [line.text for line in lines]
            for (_source, lines), bad in zip(read, damaged, strict=True) if not bad]
        for (source, lines), bad in zip(read, damaged, strict=True):
            if bad:
                source = source.model_copy(update={"text_source": TextSource.OCR_TEXT})
                lines = repair(lines, load_or_build(corpus, model_dir))
            warehouse.load(extract(source, lines))
    link.fn(db_path, None)
