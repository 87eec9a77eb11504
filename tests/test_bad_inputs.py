"""Whatever arrives by mail: each bad file is one clear error line naming it and the reason,
a non-zero exit, and a warehouse whose full export is the same as before.

Inputs are generated here (never committed). One warehouse holding CTr 01 is loaded once;
each test works on a copy.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import textwrap
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from pipeline.cli import main
from pipeline.store.warehouse import Warehouse, WarehouseError
from schemas.ddl import EXPORT_COLUMNS
from schemas.errors import ExitCode
from schemas.records import Document, ExtractedDocument, Line, Target
from tests.conftest import PLANS, REPO, copied_warehouse, ingested_programme, unique_scan

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("prefect_harness")]

ENGLISH_PLAN = textwrap.dedent("""\
    Digital Transformation Plan of the Province for the period 2026 to 2030
    1. Objectives: by 2030 at least 80% of enterprises use electronic signatures, and
    every public service is available online to citizens and businesses.
    2. The Department of Science and Technology leads the implementation, reports to the
    People's Committee every quarter, and proposes adjustments where needed.
    3. Funding comes from the provincial budget and from private investment partners.
    """)


def _chitieu(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _export_snapshot(db_path: Path) -> dict[str, str]:
    with Warehouse.open(db_path, read_only=True) as warehouse:
        return {table: warehouse.frame(table).to_csv(index=False) for table in EXPORT_COLUMNS}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Path:
    return ingested_programme(tmp_path_factory, "bad-inputs")


@pytest.fixture
def warehouse_copy(loaded: Path, tmp_path: Path) -> Path:
    return copied_warehouse(loaded, tmp_path)


# ---------------------------------------------------------------- generated bad files


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def decompression_bomb_png(path: Path) -> None:
    """A few hundred bytes that claim 40 000 × 40 000 pixels."""
    header = struct.pack(">IIBBBBB", 40_000, 40_000, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
                     + _png_chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + _png_chunk(b"IEND", b""))


def _small_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path))
    page.drawString(72, 720, "Ke hoach so 1/KH-UBND nam 2026")
    page.save()
    return path


def truncated_pdf(path: Path) -> None:
    data = _small_pdf(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])


def encrypted_pdf(path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(_small_pdf(path)))
    writer.encrypt("mat-khau")
    writer.write(path)


def zero_page_pdf(path: Path) -> None:
    from pypdf import PdfWriter

    PdfWriter().write(path)


def _writer(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


JUNK = bytes(range(256)) * 8
# Text with a multi-byte character cut short (a copy broken in transit, or another encoding).
INVALID_UTF8_PLAN = "Kế hoạch số 12/KH-UBND\n".encode() + "Lâm Đồng".encode()[:-3] + b" 2026\n"
BAD_FILES: list[tuple[str, Callable[[Path], None], str]] = [
    ("empty.pdf", _writer(b""), "rỗng"),
    ("empty.txt", _writer(b""), "rỗng"),
    ("junk.pdf", _writer(JUNK), "hỏng"),
    ("junk.txt", _writer(JUNK), "nhị phân"),
    ("truncated.pdf", truncated_pdf, "cắt cụt"),
    ("encrypted.pdf", encrypted_pdf, "mật khẩu"),
    ("no-pages.pdf", zero_page_pdf, "không có trang"),
    ("bomb.png", decompression_bomb_png, "bom giải nén"),
    ("invalid-utf8.txt", _writer(INVALID_UTF8_PLAN), "utf-8"),
    ("english.txt", _writer(ENGLISH_PLAN.encode()), "không phải văn bản tiếng việt"),
    ("notes.xlsx", _writer(b"PK\x03\x04 not a plan"), "chưa đọc được loại tệp"),
]


def _error_lines(result: Result, name: str) -> list[str]:
    return [line for line in result.output.splitlines() if name in line]


@pytest.mark.parametrize(("name", "make", "reason"), BAD_FILES, ids=[row[0] for row in BAD_FILES])
def test_bad_file_is_one_clear_error_and_leaves_the_warehouse_unchanged(
    warehouse_copy: Path, tmp_path: Path, name: str, make: Callable[[Path], None], reason: str
) -> None:
    bad = tmp_path / name
    make(bad)
    before = _export_snapshot(warehouse_copy)
    result = _chitieu("ingest", str(bad), "--db", str(warehouse_copy))
    assert result.exit_code == 1, result.output
    errors = _error_lines(result, name)
    assert len(errors) == 1, result.output
    assert reason in errors[0].lower()
    assert "Traceback" not in result.output
    assert _export_snapshot(warehouse_copy) == before


def test_path_that_does_not_exist(warehouse_copy: Path, tmp_path: Path) -> None:
    before = _export_snapshot(warehouse_copy)
    result = _chitieu("ingest", str(tmp_path / "khong-co.pdf"), "--db", str(warehouse_copy))
    assert result.exit_code == 1
    assert _error_lines(result, "khong-co.pdf") == [
        f"lỗi: {tmp_path / 'khong-co.pdf'}: không có tệp hay thư mục này — kiểm tra lại "
        "đường dẫn"]
    assert _export_snapshot(warehouse_copy) == before


def ragged(text: str) -> str:
    """Every table row loses or gains cells, in turn: short rows, long rows, lone cells."""
    out = []
    row_no = 0
    for line in text.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            row_no += 1
            if row_no % 4 == 1:
                cells = cells[:-1]
            elif row_no % 4 == 2:
                cells = [*cells, "", "thêm ô 95%"]
            elif row_no % 4 == 3:
                cells = [*cells[:1], ""]
            line = "\t".join(cells)
        out.append(line)
    return "\n".join(out)


def test_plan_with_ragged_table_rows_loads(warehouse_copy: Path, tmp_path: Path) -> None:
    plan = tmp_path / PLANS["kh3450"].name
    original = PLANS["kh3450"].read_text(encoding="utf-8")
    plan.write_text(ragged(original), encoding="utf-8")
    assert ragged(original) != original
    result = _chitieu("ingest", str(plan), "--db", str(warehouse_copy))
    assert result.exit_code == 0, result.output
    with Warehouse.open(warehouse_copy, read_only=True) as warehouse:
        documents = {document.number: document.doc_id for document in warehouse.documents()}
        doc_id = documents["3450/KH-UBND"]
        assert [t for t in warehouse.targets() if t.doc_id == doc_id]
        assert [t for t in warehouse.tasks() if t.doc_id == doc_id]


YEARLESS_PLAN = textwrap.dedent("""\
    ỦY BAN NHÂN DÂN TỈNH BÌNH AN
    KẾ HOẠCH
    Thực hiện chuyển đổi số
    I. MỤC TIÊU
    1. Mục tiêu cụ thể
    - Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến đạt trên 80%.
    - 100% cơ quan nhà nước sử dụng chữ ký số.
    II. NHIỆM VỤ
    1. Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Nội vụ triển khai nền tảng số.
    """)


def test_plan_without_any_year_runs_through_and_keeps_its_targets_for_review(
        warehouse_copy: Path, tmp_path: Path) -> None:
    """Measured crash: a target with no year was stored, then link failed reading it back."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "kh-khong-nam.txt").write_text(YEARLESS_PLAN, encoding="utf-8")
    out = tmp_path / "out"
    result = _chitieu("run", str(folder), "--db", str(warehouse_copy), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "report.html").is_file() and (out / "exports").is_dir()
    with Warehouse.open(warehouse_copy, read_only=True) as warehouse:
        yearless = [t for t in warehouse.targets() if t.doc_id.startswith("kh-khong-nam")]
    assert len(yearless) == 2
    assert all(t.target_year is None and "cần xem lại" in (t.confidence_note or "")
               for t in yearless)
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "Chỉ tiêu chưa rõ năm — cần xem lại" in report
    assert "chữ ký số" in report.split("chưa rõ năm")[1]
    listing = _chitieu("targets", "--db", str(warehouse_copy))
    assert listing.exit_code == 0, listing.output
    yearless_rows = [line for line in listing.stdout.splitlines() if "kh-khong-nam" in line]
    assert len(yearless_rows) == 2 and all("chưa rõ" in line for line in yearless_rows)
    assert "Cần xem" in listing.stdout.splitlines()[0]  # the heading may fold
    listed = json.loads(_chitieu("targets", "--db", str(warehouse_copy), "--format",
                                 "json").stdout)
    notes = [row["confidence_note"] for row in listed if row["doc_id"].startswith("kh-khong")]
    assert len(notes) == 2 and all("cần xem lại" in note for note in notes)


def test_folder_of_good_and_bad_files_loads_the_good_and_lists_the_bad(
    warehouse_copy: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "hop-thu"
    inbox.mkdir()
    shutil.copy(PLANS["kh08"], inbox / PLANS["kh08"].name)
    bad_names = ["empty.pdf", "junk.txt", "encrypted.pdf", "english.txt"]
    for name, make, _reason in BAD_FILES:
        if name in bad_names:
            make(inbox / name)
    result = _chitieu("ingest", str(inbox), "--db", str(warehouse_copy))
    assert result.exit_code == 1
    assert "Đã nạp 1 văn bản" in result.output
    for name in bad_names:
        assert len(_error_lines(result, name)) == 1, result.output
    with Warehouse.open(warehouse_copy, read_only=True) as warehouse:
        numbers = {document.number for document in warehouse.documents()}
    assert numbers == {"01-CTr/BCĐ", "08-KH/TU"}


# ---------------------------------------------------------------- a 500-page scan

PEAK_MEMORY_PROBE = """
import resource, sys
from pathlib import Path
from extractors.sources import read_page, triage
pages = triage(Path(sys.argv[1]))
assert len(pages) == int(sys.argv[2]) and {page.method for page in pages} == {"ocr"}
for page in (pages[0], pages[len(pages) // 2], pages[-1]):
    read_page(page)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def image_only_pdf(path: Path, pages: int) -> Path:
    """`pages` A4 pages, each one full-page scanned image (the same small one, stored once)."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    scan = Image.new("L", (620, 877), 255)
    ImageDraw.Draw(scan).text((60, 80), "Ke hoach so 1/KH-UBND", fill=0)
    reader = ImageReader(scan)
    document = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        document.drawImage(reader, 0, 0, width=A4[0], height=A4[1])
        document.showPage()
    document.save()
    return path


def _peak_mb(pdf_path: Path, pages: int) -> int:
    finished = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY_PROBE, str(pdf_path), str(pages)],
        cwd=REPO, capture_output=True, text=True, check=True, timeout=600)
    return int(re.findall(r"\d+", finished.stdout)[-1])


def test_500_page_scan_is_planned_and_read_page_by_page_in_bounded_memory(tmp_path: Path
                                                                         ) -> None:
    """Triage of a 500-page scan rasterises nothing; reading a page holds only that page.

    OCR of all 500 pages would take an hour on the CI machine, so the test OCRs three pages
    (first, middle, last) and compares peak memory with the same probe on a 5-page scan.
    """
    small = _peak_mb(image_only_pdf(tmp_path / "5.pdf", 5), 5)
    large = _peak_mb(image_only_pdf(tmp_path / "500.pdf", 500), 500)
    assert large - small < 60, (small, large)


def test_out_folder_inside_the_input_folder_is_never_read_as_input(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "kh-khong-nam.txt").write_text(YEARLESS_PLAN, encoding="utf-8")
    out = folder / "ket-qua"
    first = _chitieu("run", str(folder), "--db", str(tmp_path / "w.duckdb"), "--out", str(out))
    assert first.exit_code == 0, first.output
    assert (out / "report.md").is_file()
    (folder / "kh-khong-nam.txt").write_text(YEARLESS_PLAN + "\n", encoding="utf-8")
    second = _chitieu("run", str(folder), "--db", str(tmp_path / "w.duckdb"), "--out", str(out))
    assert second.exit_code == 0, second.output
    with Warehouse.open(tmp_path / "w.duckdb", read_only=True) as warehouse:
        assert [document.source_path for document in warehouse.documents()] == [
            str(folder / "kh-khong-nam.txt")]


# ---------------------------------------------------------------- one document's failure


def _plans_folder(tmp_path: Path, *keys: str) -> Path:
    folder = tmp_path / "ke-hoach"
    folder.mkdir()
    for key in keys:
        shutil.copy(PLANS[key], folder / PLANS[key].name)
    return folder


def test_a_bug_in_one_documents_extraction_is_one_line_and_the_run_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An internal error (a bug) in one document: one line naming the file and the stage, its
    traceback in the log file, the other documents loaded, report and exports written, and an
    exit status that says a bug happened (not the 1 of a bad file)."""
    from pipeline.run import stages

    folder = _plans_folder(tmp_path, "kh08", "ctr01")
    real_extract_targets = stages.extract_targets

    def broken_for_kh08(document: Document, lines: list[Line]) -> list[Target]:
        if document.number == "08-KH/TU":
            raise ZeroDivisionError("lỗi giả lập trong bộ trích chỉ tiêu")
        return real_extract_targets(document, lines)

    monkeypatch.setattr(stages, "extract_targets", broken_for_kh08)
    db_path, out = tmp_path / "w" / "w.duckdb", tmp_path / "out"
    result = _chitieu("run", str(folder), "--db", str(db_path), "--out", str(out))
    assert result.exit_code == ExitCode.INTERNAL, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("lỗi:")]
    assert errors == [line for line in errors if PLANS["kh08"].name in line]
    assert len(errors) == 1 and "trích xuất" in errors[0] and "ZeroDivisionError" in errors[0]
    assert "Traceback" not in result.output
    log = (db_path.parent / "chitieu.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "lỗi giả lập trong bộ trích chỉ tiêu" in log
    with Warehouse.open(db_path, read_only=True) as warehouse:
        assert {document.number for document in warehouse.documents()} == {"01-CTr/BCĐ"}
        assert warehouse.tasks()
    assert (out / "report.html").is_file()
    assert "01-CTr/BCĐ" in (out / "exports" / "documents.csv").read_text(encoding="utf-8")


def test_a_failed_load_and_an_unreadable_file_each_give_their_stage(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file's own fault is exit status 1, the warehouse's 4 and the run exits with the most
    serious; a load that fails (here: the warehouse refuses one document's rows) names the
    load stage, and the documents around it are loaded."""
    folder = _plans_folder(tmp_path, "kh08", "ctr01", "kh3450")
    truncated_pdf(folder / "hong.pdf")
    real_load = Warehouse.load

    def refuse_kh3450(warehouse: Warehouse, extracted: ExtractedDocument) -> None:
        if extracted.document.number == "3450/KH-UBND":
            raise WarehouseError("bảng targets từ chối bản ghi (giả lập)")
        real_load(warehouse, extracted)

    monkeypatch.setattr(Warehouse, "load", refuse_kh3450)
    db_path, out = tmp_path / "w.duckdb", tmp_path / "out"
    result = _chitieu("run", str(folder), "--db", str(db_path), "--out", str(out))
    assert result.exit_code == ExitCode.WAREHOUSE, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("lỗi:")]
    assert len(errors) == 2, result.output
    (pdf_line,) = [line for line in errors if "hong.pdf" in line]
    assert "đọc tệp" in pdf_line and "cắt cụt" in pdf_line
    (load_line,) = [line for line in errors if PLANS["kh3450"].name in line]
    assert "nạp vào kho" in load_line and "giả lập" in load_line
    with Warehouse.open(db_path, read_only=True) as warehouse:
        assert {document.number for document in warehouse.documents()} == {
            "01-CTr/BCĐ", "08-KH/TU"}
    assert (out / "report.html").is_file() and (out / "exports" / "targets.csv").is_file()


# ---------------------------------------------------------------- the failure matrix
# Each case a careless user meets: one line (file or setting — what is wrong — what to do),
# the exit status errors.py gives its kind, nothing lost or altered.


def _one_error_line(result: Result) -> str:
    lines = [line for line in result.output.splitlines() if line.startswith("lỗi:")]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output and "leaked" not in result.output
    return lines[0]


def _sqlite_file(path: Path) -> None:
    import sqlite3

    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE ke_hoach (so TEXT)")


def _foreign_duckdb(path: Path) -> None:
    import duckdb

    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE ban_do (ma INTEGER, ten TEXT)")


def _truncated_copy(size: int) -> Callable[[Path, Path], None]:
    def make(loaded: Path, path: Path) -> None:
        shutil.copy(loaded, path)
        with path.open("r+b") as stream:
            stream.truncate(size)
    return make


DUCKDB_FIRST_BLOCK_END = 12_288 + 262_144  # file headers, then 256 kB blocks


def _garbled_copy(loaded: Path, path: Path) -> None:
    """Every block after the first overwritten: the file opens, each table's read fails its
    checksum (a disk error, a copy broken in transit)."""
    shutil.copy(loaded, path)
    size = path.stat().st_size
    with path.open("r+b") as stream:
        stream.seek(DUCKDB_FIRST_BLOCK_END)
        stream.write((bytes(range(256)) * (size // 256 + 1))[:size - DUCKDB_FIRST_BLOCK_END])


BAD_WAREHOUSES: list[tuple[str, Callable[[Path, Path], None], str]] = [
    ("sqlite", lambda _loaded, path: _sqlite_file(path), "đây là tệp SQLite"),
    ("foreign-duckdb", lambda _loaded, path: _foreign_duckdb(path),
     "không phải kho của chitieu"),
    ("junk", lambda _loaded, path: path.write_bytes(JUNK), "không phải tệp kho dữ liệu DuckDB"),
    ("truncated-header", _truncated_copy(100), "bị hỏng hoặc bị cắt cụt"),
    ("truncated", _truncated_copy(50_000), "bị hỏng hoặc bị cắt cụt"),
    ("garbled", _garbled_copy, "bị hỏng hoặc bị cắt cụt"),
]


@pytest.mark.parametrize("command", ["docs", "tasks", "check"])
@pytest.mark.parametrize(("name", "make", "reason"), BAD_WAREHOUSES,
                         ids=[row[0] for row in BAD_WAREHOUSES])
def test_a_bad_warehouse_is_one_line_and_left_as_it_was(
        loaded: Path, tmp_path: Path, command: str, name: str,
        make: Callable[[Path, Path], None], reason: str) -> None:
    db_path = tmp_path / f"{name}.duckdb"
    make(loaded, db_path)
    before = db_path.read_bytes()
    result = _chitieu(command, "--db", str(db_path))
    assert result.exit_code == ExitCode.WAREHOUSE, result.output
    line = _one_error_line(result)
    assert line.startswith(f"lỗi: {db_path}: ") and reason in line
    assert "--db" in line  # what to do
    assert db_path.read_bytes() == before


# ---------------------------------------------------------------- document identity


def _plan(number: str | None, issued: str, value: int) -> str:
    """A small plan; `issued` is 'd/m/yyyy'."""
    day, month, year = issued.split("/")
    head = [f"Số: {number}"] if number else []
    return "\n".join(["ỦY BAN NHÂN DÂN TỈNH BÌNH AN", *head,
                      f"Bình An, ngày {day} tháng {month} năm {year}", "KẾ HOẠCH",
                      "Chuyển đổi số năm 2026", "I. MỤC TIÊU",
                      f"- Tỷ lệ hồ sơ được xử lý trực tuyến đạt trên {value}% vào năm 2026.",
                      "II. NHIỆM VỤ",
                      "1. Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Nội vụ triển khai "
                      "nền tảng số, hoàn thành trước ngày 30/6/2026."]) + "\n"


def _held(db_path: Path) -> dict[str, tuple[str, set[float]]]:
    """doc_id → (source path, target values)."""
    with Warehouse.open(db_path, read_only=True) as warehouse:
        targets = warehouse.targets()
        return {document.doc_id: (document.source_path,
                                  {t.value for t in targets if t.doc_id == document.doc_id})
                for document in warehouse.documents()}


def test_one_file_name_in_two_folders_is_two_documents(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Case 2: `(cd A && chitieu ingest ke-hoach.txt)` then the same in B deleted A's plan
    (paths were stored as typed, and a plan without a number is named after its file)."""
    db_path = tmp_path / "w.duckdb"
    for folder, value in (("A", 70), ("B", 90)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "ke-hoach.txt").write_text(_plan(None, "5/1/2026", value),
                                                        encoding="utf-8")
        monkeypatch.chdir(tmp_path / folder)
        result = _chitieu("ingest", "ke-hoach.txt", "--db", str(db_path))
        assert result.exit_code == 0, result.output
    held = _held(db_path)
    assert sorted(held.values()) == [(str(tmp_path / "A" / "ke-hoach.txt"), {70.0}),
                                     (str(tmp_path / "B" / "ke-hoach.txt"), {90.0})]
    assert "ke-hoach" in held  # the first keeps the file-name id, the other is told apart


def test_relative_then_absolute_path_of_one_file_replaces_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Case 4: the same plan through a relative then an absolute path kept both versions."""
    db_path = tmp_path / "w.duckdb"
    plan = tmp_path / "ke-hoach.txt"
    plan.write_text(_plan(None, "5/1/2026", 70), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _chitieu("ingest", "ke-hoach.txt", "--db", str(db_path)).exit_code == 0
    plan.write_text(_plan(None, "5/1/2026", 75), encoding="utf-8")
    result = _chitieu("ingest", str(plan), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert list(_held(db_path).values()) == [(str(plan), {75.0})]
    with Warehouse.open(db_path, read_only=True) as warehouse:
        assert len(warehouse.tasks()) == 1


def test_two_files_of_one_number_are_one_document_and_reruns_settle(tmp_path: Path) -> None:
    """Case 3: the later issue wins over a draft (a note, not an error); two files nothing
    tells apart are refused, naming each other; the next run reloads nothing."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "du-thao.txt").write_text(_plan("12/KH-UBND", "5/1/2026", 70), encoding="utf-8")
    (folder / "ban-hanh.txt").write_text(_plan("12/KH-UBND", "9/2/2026", 80), encoding="utf-8")
    (folder / "x.txt").write_text(_plan("13/KH-UBND", "9/2/2026", 60), encoding="utf-8")
    (folder / "y.txt").write_text(_plan("13/KH-UBND", "9/2/2026", 65), encoding="utf-8")
    db_path, out = tmp_path / "w.duckdb", tmp_path / "out"
    first = _chitieu("run", str(folder), "--db", str(db_path), "--out", str(out))
    assert first.exit_code == 1, first.output
    assert _held(db_path) == {"12-KH-UBND": (str(folder / "ban-hanh.txt"), {80.0})}
    (note,) = [line for line in first.output.splitlines() if line.startswith("ghi chú:")]
    assert "du-thao.txt" in note and "ban-hanh.txt" in note and "mới hơn" in note
    refusals = [line for line in first.output.splitlines() if line.startswith("lỗi:")]
    assert len(refusals) == 2 and all("x.txt" in line and "y.txt" in line for line in refusals)
    snapshot = _export_snapshot(db_path)
    for _ in range(2):
        again = _chitieu("run", str(folder), "--db", str(db_path), "--out", str(out))
        assert "2 tệp không đổi" in again.output, again.output
        assert [line for line in again.output.splitlines() if line.startswith("lỗi:")] == refusals
        assert _export_snapshot(db_path) == snapshot


def test_a_text_layer_is_kept_over_an_ocr_copy_of_one_number(tmp_path: Path) -> None:
    """Case 3 again: an OCR'd copy (diacritics lost) beside the clean text, even issued
    later, is set aside; loading it alone later does not replace the text either."""
    import unicodedata

    def stripped(text: str) -> str:
        decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
        return "".join(char for char in decomposed if not unicodedata.combining(char))

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ban-chu.txt").write_text(_plan("12/KH-UBND", "5/1/2026", 80), encoding="utf-8")
    (folder / "ban-quet.txt").write_text(stripped(_plan("12/KH-UBND", "9/2/2026", 80)),
                                         encoding="utf-8")
    db_path = tmp_path / "w.duckdb"
    result = _chitieu("run", str(folder), "--db", str(db_path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert _held(db_path) == {"12-KH-UBND": (str(folder / "ban-chu.txt"), {80.0})}
    assert "lớp chữ" in result.output and "ban-quet.txt" in result.output
    again = _chitieu("ingest", str(folder / "ban-quet.txt"), "--db", str(db_path))
    assert "Không có gì mới" in again.output, again.output


def test_remove_a_document_with_dry_run_then_for_real(tmp_path: Path) -> None:
    """`chitieu remove DOC`: --dry-run says what would go and changes nothing; the removal
    is whole (rows, versions, findings), the report and exports in --out are written again at
    once, and the next run's lack it too."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(_plan("12/KH-UBND", "5/1/2026", 80), encoding="utf-8")
    (folder / "b.txt").write_text(_plan("14/KH-UBND", "5/1/2026", 90), encoding="utf-8")
    db_path, out = tmp_path / "w.duckdb", tmp_path / "out"
    assert _chitieu("run", str(folder), "--db", str(db_path), "--out", str(out)).exit_code == 0
    assert "14/KH-UBND" in (out / "report.md").read_text(encoding="utf-8")
    snapshot = _export_snapshot(db_path)
    dry = _chitieu("remove", "14/KH-UBND", "--dry-run", "--db", str(db_path))
    assert dry.exit_code == 0 and "1 chỉ tiêu, 1 nhiệm vụ" in dry.output, dry.output
    assert _export_snapshot(db_path) == snapshot
    gone = _chitieu("remove", "14-KH-UBND", "--db", str(db_path), "--out", str(out))
    assert gone.exit_code == 0, gone.output
    assert set(_held(db_path)) == {"12-KH-UBND"}
    # the report and the exports in --out no longer show it, without waiting for a run
    assert "14/KH-UBND" not in (out / "report.md").read_text(encoding="utf-8"), gone.output
    assert "14-KH-UBND" not in (out / "exports" / "documents.csv").read_text(encoding="utf-8")
    with Warehouse.open(db_path, read_only=True) as warehouse:
        assert warehouse.document_versions("14-KH-UBND") == []
        assert all("14-KH-UBND" not in (c.doc_id_a, c.doc_id_b) for c in warehouse.conflicts())
    (tmp_path / "empty").mkdir()
    rerun = _chitieu("run", "--db", str(db_path), "--out", str(out), str(tmp_path / "empty"))
    assert rerun.exit_code == 0, rerun.output
    assert "14/KH-UBND" not in (out / "report.md").read_text(encoding="utf-8"), rerun.output
    assert "14-KH-UBND" not in (out / "exports" / "documents.csv").read_text(encoding="utf-8")
    unknown = _chitieu("remove", "99/KH-UBND", "--db", str(db_path))
    assert unknown.exit_code == 1 and "chitieu docs" in unknown.output


MARKUP_PLAN = _plan("15/KH-UBND", "5/1/2026", 80) + (
    "2. Sở Nội vụ &lt;script&gt;alert(1)&lt;/script&gt; rà soát <svg/onload=alert(2)> hồ sơ, "
    "hoàn thành trước ngày 30/9/2026.\n")


def test_markup_in_a_plan_is_stored_and_exported_as_text(tmp_path: Path) -> None:
    """Entity decoding turned '&lt;script&gt;' into a live <script> in stored text and the
    exports; '<svg/onload=…>' passed the stripper."""
    plan = tmp_path / "ke-hoach.txt"
    plan.write_text(MARKUP_PLAN, encoding="utf-8")
    db_path, out = tmp_path / "w.duckdb", tmp_path / "out"
    result = _chitieu("run", str(plan), "--db", str(db_path), "--out", str(out))
    assert result.exit_code == 0, result.output
    with Warehouse.open(db_path, read_only=True) as warehouse:
        texts = [line.text for line in warehouse.lines()]
        texts += [task.title for task in warehouse.tasks()]
    assert any("rà soát" in text for text in texts)
    assert not any(re.search(r"<[a-z/!?]", text, re.IGNORECASE) for text in texts)
    for exported in (out / "exports").glob("*.csv"):
        assert not re.search(r"<(script|svg)", exported.read_text(encoding="utf-8-sig"), re.I)


# ---------------------------------------------------------------- outputs, all or nothing


def _published(out: Path) -> set[str]:
    return {str(path.relative_to(out)) for path in out.rglob("*")
            if path.is_file() and not any(part.startswith(".") for part in
                                          path.relative_to(out).parts)}


def test_a_resaved_export_never_breaks_a_later_run(tmp_path: Path) -> None:
    """Case 6: documents.csv saved again from a spreadsheet (cp1258, ';') made every later
    run fail with KeyError: 'sha256' — runs read their own exports back as state."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(_plan("12/KH-UBND", "5/1/2026", 80), encoding="utf-8")
    db_path, out = tmp_path / "w.duckdb", tmp_path / "out"
    assert _chitieu("run", str(folder), "--db", str(db_path), "--out", str(out)).exit_code == 0
    exported = out / "exports" / "documents.csv"
    resaved = exported.read_text(encoding="utf-8-sig").replace(",", ";")
    exported.write_bytes(resaved.encode("cp1258", errors="replace"))
    unchanged = _chitieu("run", str(folder), "--db", str(db_path), "--out", str(out))
    assert unchanged.exit_code == 0 and "1 tệp không đổi" in unchanged.output, unchanged.output
    (folder / "b.txt").write_text(_plan("14/KH-UBND", "5/1/2026", 90), encoding="utf-8")
    added = _chitieu("run", str(folder), "--db", str(db_path), "--out", str(out))
    assert added.exit_code == 0, added.output
    frame = pd.read_csv(exported)
    assert sorted(frame["doc_id"]) == ["12-KH-UBND", "14-KH-UBND"]


KILLED_RUN = """
import os, sys
from pipeline.present import export, publish
calls = {"n": 0}
def dying(original, after):
    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > after:
            os._exit(137)  # as abrupt as SIGKILL: no cleanup runs
        return original(*args, **kwargs)
    return wrapper
where, after = sys.argv[1], int(sys.argv[2])
if where == "export":
    export.write_parquet = dying(export.write_parquet, after)
else:
    move = publish._move_into_place
    def dying_move(staging, out_dir):
        os.replace = dying(os.replace, after)  # the renames into place, not the writes
        move(staging, out_dir)
    publish._move_into_place = dying_move
from pipeline.cli import main
main(sys.argv[3:])
"""


def _killed_run(tmp_path: Path, where: str, after: int, *args: str) -> int:
    environment = {key: value for key, value in os.environ.items()
                   if key != "PREFECT_API_URL"}
    environment["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    return subprocess.run([sys.executable, "-c", KILLED_RUN, where, str(after), *args],
                          cwd=REPO, env=environment, capture_output=True,
                          timeout=600).returncode


@pytest.mark.parametrize("where", ["export", "swap"])
def test_a_kill_while_outputs_are_written_leaves_no_set_a_later_run_accepts(
        tmp_path: Path, where: str) -> None:
    """Case 6: a kill while exports were written left 6 of 24 files for good, since re-runs
    only checked that report.html and documents.csv existed. Killed while writing (nothing
    new is published) or between two renames (old and new files side by side), the next run
    writes the whole set again."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(_plan("12/KH-UBND", "5/1/2026", 80), encoding="utf-8")
    db_path, out = tmp_path / "w.duckdb", tmp_path / "out"
    args = ("run", str(folder), "--db", str(db_path), "--out", str(out))
    assert _chitieu(*args).exit_code == 0
    complete = _published(out)
    (folder / "b.txt").write_text(_plan("14/KH-UBND", "5/1/2026", 90), encoding="utf-8")
    assert _killed_run(tmp_path, where, 3 if where == "export" else 1, *args) == 137
    assert _published(out) == complete  # what is there is the old set, whole, or a mix
    assert [p.name for p in out.iterdir() if p.name.startswith(".chitieu-")]  # the killed one's
    again = _chitieu(*args)
    assert again.exit_code == 0 and "2 tệp không đổi" in again.output, again.output
    assert _published(out) == complete
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # leftovers removed
    for table in ("documents", "targets"):
        assert "14-KH-UBND" in (out / "exports" / f"{table}.csv").read_text(encoding="utf-8")
    assert "14/KH-UBND" in (out / "report.md").read_text(encoding="utf-8")


def test_a_planted_symlink_in_the_outputs_is_never_followed(tmp_path: Path) -> None:
    """A symlink planted at exports/*.partial was followed and its target overwritten."""
    victim = tmp_path / "khong-duoc-ghi.txt"
    victim.write_text("nguyên vẹn", encoding="utf-8")
    out = tmp_path / "out"
    (out / "exports").mkdir(parents=True)
    for planted in (out / "report.html", out / "report.html.partial",
                    out / "exports" / "documents.csv", out / "exports" / "documents.csv.partial"):
        planted.symlink_to(victim)
    plan = tmp_path / "a.txt"
    plan.write_text(_plan("12/KH-UBND", "5/1/2026", 80), encoding="utf-8")
    result = _chitieu("run", str(plan), "--db", str(tmp_path / "w.duckdb"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "nguyên vẹn"
    assert not (out / "report.html").is_symlink() and not (out / "exports").is_symlink()
    assert "12-KH-UBND" in (out / "exports" / "documents.csv").read_text(encoding="utf-8")


# ---------------------------------------------------------------- no orphans


def _live_descendants(pid: int) -> dict[int, str]:
    """pid → command line of every live (not zombie) process under `pid`."""
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                children = [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                continue
            for child in children:
                found[child] = _command_line(child)
                todo.append(child)
    return {child: command for child, command in found.items() if _alive(child)}


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT],
                         ids=["SIGKILL", "SIGTERM", "SIGINT"])
def test_a_killed_run_leaves_no_prefect_server_behind(tmp_path: Path,
                                                      signal_number: signal.Signals) -> None:
    """Case 7: SIGTERM, SIGKILL or the OOM killer on `chitieu run` orphaned Prefect's temporary
    API server (~250 MB, re-parented to PID 1, alive 25 minutes later)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(_plan("12/KH-UBND", "5/1/2026", 80), encoding="utf-8")
    environment = {key: value for key, value in os.environ.items()
                   if key != "PREFECT_API_URL"}
    environment["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    run = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "run", str(folder), "--db",
         str(tmp_path / "w.duckdb"), "--out", str(tmp_path / "out")],
        cwd=REPO, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    started: dict[int, str] = {}
    while not any("uvicorn" in command for command in started.values()):
        assert run.poll() is None and time.monotonic() < deadline, "no Prefect server started"
        time.sleep(0.1)
        started = _live_descendants(run.pid)
    time.sleep(1.0)  # the flow is under way
    started.update(_live_descendants(run.pid))
    run.send_signal(signal_number)
    run.wait(timeout=60)
    deadline = time.monotonic() + 15
    while (left := [pid for pid, command in started.items()
                    if _alive(pid) and _command_line(pid) == command]) and (
            time.monotonic() < deadline):
        time.sleep(0.2)
    assert left == [], [started[pid] for pid in left]


# ---------------------------------------------------------------- bounded work per file


def _docx_with_a_huge_body(path: Path, body_bytes: int) -> None:
    """A small .docx whose word/document.xml inflates to `body_bytes` (it compresses to a
    fraction of a MB): the 754 kB file whose 200 MB document.xml took 7 GB."""
    import zipfile

    import docx

    docx.Document().save(str(path))
    with zipfile.ZipFile(path) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    paragraph = b"<w:p><w:r><w:t>K\xe1\xba\xbf ho\xe1\xba\xa1ch</w:t></w:r></w:p>"
    head, tail = parts["word/document.xml"].split(b"<w:body>")
    parts["word/document.xml"] = (head + b"<w:body>" + paragraph * (body_bytes // len(paragraph))
                                  + tail)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as rebuilt:
        for name, data in parts.items():
            rebuilt.writestr(name, data)


def test_files_too_big_or_too_slow_are_refused_in_one_line_and_the_others_load(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Case 8: a DOCX whose body unpacks to tens of MB is refused before it is parsed; a
    document whose extraction outlasts the per-document limit (here 1 s: a 1 MB line of
    target clauses, ~17 s of work) is refused when the limit expires; the plan beside them
    loads."""
    folder = tmp_path / "in"
    folder.mkdir()
    _docx_with_a_huge_body(folder / "bom.docx", 40 * 2**20)
    assert (folder / "bom.docx").stat().st_size < 2**20
    clause = "tỷ lệ hồ sơ trực tuyến cấp xã đạt 95% vào năm 2030; "
    (folder / "dong-dai.txt").write_text(
        "KẾ HOẠCH\nChuyển đổi số\nI. MỤC TIÊU\n- " + clause * (2**20 // len(clause)) + "\n",
        encoding="utf-8")
    (folder / "tot.txt").write_text(_plan("12/KH-UBND", "5/1/2026", 80), encoding="utf-8")
    monkeypatch.setenv("CHITIEU_DOCUMENT_SECONDS", "1")
    db_path = tmp_path / "w.duckdb"
    started = time.monotonic()
    result = _chitieu("ingest", str(folder), "--db", str(db_path))
    print(f"ingest with a 1 MB line and a 40 MB document.xml: {time.monotonic() - started:.1f} s")
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("lỗi:")]
    assert len(errors) == 2, result.output
    (docx_line,) = [line for line in errors if "bom.docx" in line]
    assert "đọc tệp" in docx_line and "40 MB, quá giới hạn" in docx_line
    (slow_line,) = [line for line in errors if "dong-dai.txt" in line]
    assert "trích xuất" in slow_line and "quá 1 giây" in slow_line
    assert set(_held(db_path)) == {"12-KH-UBND"}


def test_without_tesseract_the_text_files_load_and_each_scan_is_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = tmp_path / "hop-thu"
    inbox.mkdir()
    shutil.copy(PLANS["kh08"], inbox / PLANS["kh08"].name)
    unique_scan(inbox / "quet.png")
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on it
    db_path = tmp_path / "w.duckdb"
    result = _chitieu("ingest", str(inbox), "--db", str(db_path))
    assert result.exit_code == ExitCode.DEPENDENCY, result.output
    line = _one_error_line(result)
    assert "quet.png" in line and "cài tesseract-ocr" in line
    assert "Đã nạp 1 văn bản" in result.output
    with Warehouse.open(db_path, read_only=True) as warehouse:
        assert {document.number for document in warehouse.documents()} == {"08-KH/TU"}


def test_an_unreadable_file_in_a_folder_is_one_line_and_the_others_load(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, whom file modes do not stop: the system's refusal is simulated."""
    inbox = tmp_path / "hop-thu"
    inbox.mkdir()
    shutil.copy(PLANS["kh08"], inbox / PLANS["kh08"].name)
    locked = inbox / "khoa.txt"
    shutil.copy(PLANS["ctr01"], locked)
    real_open = Path.open

    def refuse_locked(path: Path, *args: object, **kwargs: object) -> object:
        if path.resolve() == locked.resolve():
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse_locked)
    db_path = tmp_path / "w.duckdb"
    result = _chitieu("ingest", str(inbox), "--db", str(db_path))
    assert result.exit_code == ExitCode.INPUT, result.output
    line = _one_error_line(result)
    assert "khoa.txt" in line and "không có quyền" in line and "kiểm tra quyền đọc" in line
    with Warehouse.open(db_path, read_only=True) as warehouse:
        assert {document.number for document in warehouse.documents()} == {"08-KH/TU"}


def test_db_under_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "tep").write_text("không phải thư mục", encoding="utf-8")
    db_path = tmp_path / "tep" / "kho" / "w.duckdb"
    result = _chitieu("ingest", str(PLANS["kh08"]), "--db", str(db_path))
    assert result.exit_code == ExitCode.WAREHOUSE, result.output
    line = _one_error_line(result)
    assert line == (f"lỗi: {db_path}: {tmp_path / 'tep'} là một tệp, không phải thư mục — "
                    "chọn chỗ khác cho kho dữ liệu bằng --db")
    assert (tmp_path / "tep").read_text(encoding="utf-8") == "không phải thư mục"


def _leftovers(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*")
                  if ".partial" in path.name or path.name.startswith(("tmp", ".tmp")))


def test_exports_being_a_file_is_one_line_and_the_loads_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "exports").write_text("một tệp chắn chỗ thư mục exports", encoding="utf-8")
    db_path = tmp_path / "w.duckdb"
    result = _chitieu("run", str(PLANS["kh08"]), "--db", str(db_path), "--out", str(out))
    assert result.exit_code == ExitCode.OUTPUT, result.output
    line = _one_error_line(result)
    assert "exports" in line and "không ghi được báo cáo và tệp xuất" in line
    assert "--out" in line
    assert (out / "exports").read_text(encoding="utf-8") == "một tệp chắn chỗ thư mục exports"
    assert _leftovers(out) == []
    with Warehouse.open(db_path, read_only=True) as warehouse:
        assert {document.number for document in warehouse.documents()} == {"08-KH/TU"}


@pytest.mark.parametrize(("code", "reason"), [(errno.ENOSPC, "đĩa đã đầy"),
                                              (errno.EROFS, "ổ đĩa chỉ cho đọc"),
                                              (errno.EACCES, "không có quyền")],
                         ids=["full-disk", "read-only", "no-permission"])
def test_an_outputs_folder_that_cannot_be_written_is_one_line_and_leaves_no_partial_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str) -> None:
    """The Parquet writer fails half way through its file, as on a full disk or a folder
    the system refuses (simulated: tests run as root)."""
    import pyarrow.parquet as pq

    def failing_write(_table: object, where: object, *_args: object, **_kwargs: object) -> None:
        if hasattr(where, "write"):
            where.write(b"PAR1")
        raise OSError(code, os.strerror(code), str(getattr(where, "name", where)))

    monkeypatch.setattr(pq, "write_table", failing_write)
    out, db_path = tmp_path / "out", tmp_path / "w.duckdb"
    result = _chitieu("run", str(PLANS["kh08"]), "--db", str(db_path), "--out", str(out))
    assert result.exit_code == ExitCode.OUTPUT, result.output
    line = _one_error_line(result)
    assert reason in line and "không ghi được báo cáo và tệp xuất" in line
    assert _leftovers(out) == []
    with Warehouse.open(db_path, read_only=True) as warehouse:
        assert {document.number for document in warehouse.documents()} == {"08-KH/TU"}
