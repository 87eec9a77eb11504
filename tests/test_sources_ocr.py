"""OCR: generated scans of a clean plan read back within 2 % CER (PDF and PNG), a page OCR'd on
a local Dask cluster through the ingest flow's task, and bad images refused."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from extractors.sources import SourceError, assemble, read_page, triage
from extractors.sources.image import ocr_lines, page_image, page_tsv, tesseract_tsv
from pipeline.dev.bench import character_error_rate
from pipeline.dev.documents import SCAN_DPI, make_scan, render_scan_pages
from pipeline.run.inputs import InputFile, file_sha256
from schemas.records import SourceText, TextSource
from tests.conftest import PLANS

MAX_CER = 0.02


def _read(path: Path) -> SourceText:
    return assemble(path, [read_page(page) for page in triage(path)])


def _ocr_text(source: SourceText) -> str:
    return "\n".join(line.text for line in source.lines)


def _assert_word_confidences(source: SourceText) -> None:
    """Each word has its confidence (0..1), and the line's confidence is their mean."""
    for line in source.lines:
        scores = line.word_confidences or ()
        assert len(scores) == len(line.text.split())
        assert all(0 <= score <= 1 for score in scores)
        assert sum(scores) / len(scores) == pytest.approx(line.confidence, abs=0.001)


@pytest.mark.slow
def test_scanned_pdf_reads_back_within_two_percent_cer(tmp_path: Path) -> None:
    shown = make_scan(PLANS["kh08"], tmp_path / "kh08-scan.pdf", pages=2)
    pages = triage(tmp_path / "kh08-scan.pdf")
    assert [page.method for page in pages] == ["ocr", "ocr"]
    source = assemble(tmp_path / "kh08-scan.pdf", [read_page(page) for page in pages])
    assert source.text_source == TextSource.OCR
    assert {line.page for line in source.lines} == {1, 2}
    assert all(0 < (line.confidence or 0) <= 1 for line in source.lines)
    _assert_word_confidences(source)
    assert character_error_rate(shown, _ocr_text(source)) <= MAX_CER


@pytest.mark.slow
def test_png_scan_reads_back_within_two_percent_cer(tmp_path: Path) -> None:
    shown = make_scan(PLANS["ctr01"], tmp_path / "ctr01.png", pages=1)
    source = _read(tmp_path / "ctr01.png")
    assert source.text_source == TextSource.OCR and source.page_count == 1
    assert character_error_rate(shown, _ocr_text(source)) <= MAX_CER


def test_ocr_lines_keep_each_words_confidence_in_the_words_order() -> None:
    header = "level\tblock_num\tpar_num\tline_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = ["4\t1\t1\t1\t10\t10\t200\t30\t-1\t", "5\t1\t1\t1\t10\t10\t40\t30\t96.5\tKế",
            "5\t1\t1\t1\t60\t10\t5\t30\t-1\t ", "5\t1\t1\t1\t70\t10\t90\t30\t83.1\thoạch",
            "5\t1\t1\t2\t10\t50\t30\t30\t90.1234\tsố"]
    lines = ocr_lines("\n".join([header, *rows]), page_no=2)
    assert [(line.text, line.word_confidences, line.confidence) for line in lines] == [
        ("Kế hoạch", (0.965, 0.831), 0.898), ("số", (0.901,), 0.901)]


def _pdf_shown_turned(sideways: Image.Image, path: Path) -> None:
    sideways.save(path, format="PDF", resolution=SCAN_DPI)
    turned = PdfWriter(clone_from=path)
    turned.pages[0].rotate(90)
    turned.write(path)


def _photo_shown_turned(sideways: Image.Image, path: Path) -> None:
    orientation = Image.Exif()
    orientation[0x0112] = 6  # EXIF Orientation: turn 90° clockwise to display
    sideways.save(path, exif=orientation, dpi=(SCAN_DPI, SCAN_DPI))


@pytest.mark.slow
@pytest.mark.parametrize(("name", "store"), [("turned.pdf", _pdf_shown_turned),
                                             ("photo.jpg", _photo_shown_turned)])
def test_a_page_displayed_turned_is_read_as_displayed(tmp_path: Path, name: str,
                                                      store) -> None:
    """A page stored sideways and shown upright by the PDF page's /Rotate (how scanners store
    landscape-fed pages) or by a photo's EXIF orientation: its stored pixels would OCR as
    noise (85 % CER), the page as displayed reads."""
    images, page_texts = render_scan_pages(PLANS["ctr01"], 1)
    store(images[0].rotate(90, expand=True), tmp_path / name)
    source = _read(tmp_path / name)
    assert character_error_rate(page_texts[0], _ocr_text(source)) <= MAX_CER


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_ocr_page_on_a_local_dask_cluster(tmp_path: Path) -> None:
    from prefect import flow

    from pipeline.run.flows import acquire, task_runner

    scan = tmp_path / "kh3450-scan.pdf"
    shown = make_scan(PLANS["kh3450"], scan, pages=1)

    @flow(name="acquire-on-dask")
    def acquire_flow(item: InputFile) -> SourceText:
        return acquire(item)

    runner = task_runner(None, 2)
    assert type(runner).__name__ == "DaskTaskRunner"
    source = acquire_flow.with_options(task_runner=runner)(InputFile(scan, file_sha256(scan)))
    assert source.text_source == TextSource.OCR
    assert character_error_rate(shown, _ocr_text(source)) <= MAX_CER


def _damage_scan_jpeg(scan: Path, damage) -> None:
    """The scan's page JPEG changed in place by `damage(jpeg) -> bytes` of the same length
    (the PDF around it stays valid): what a bad sector or a broken transfer does."""
    data = scan.read_bytes()
    start = data.index(b"\xff\xd8\xff")
    end = data.index(b"\xff\xd9", start) + 2
    damaged = damage(data[start:end])
    assert len(damaged) == end - start
    scan.write_bytes(data[:start] + damaged + data[end:])


def _zeroed_tail(jpeg: bytes) -> bytes:
    cut = int(len(jpeg) * 0.99)
    return jpeg[:cut] + b"\0" * (len(jpeg) - cut - 2) + b"\xff\xd9"


def _zeroed_headers(jpeg: bytes) -> bytes:
    return jpeg[:2] + b"\0" * 600 + jpeg[602:]


@pytest.mark.slow
def test_a_scan_whose_jpeg_ends_damaged_is_still_read(tmp_path: Path) -> None:
    """Tesseract's decoder refuses such a JPEG; Pillow decodes it and Tesseract gets pixels."""
    scan = tmp_path / "scan.pdf"
    shown = make_scan(PLANS["ctr01"], scan, pages=1)
    _damage_scan_jpeg(scan, _zeroed_tail)
    context = triage(scan)[0]
    embedded = page_image(context)
    assert embedded.data.startswith(b"\xff\xd8")  # the stored JPEG, as Tesseract would get it
    with pytest.raises(subprocess.CalledProcessError):
        tesseract_tsv(embedded)
    lines = ocr_lines(page_tsv(context, embedded), page_no=1)
    assert character_error_rate(shown, "\n".join(line.text for line in lines)) <= MAX_CER


def test_a_scan_image_no_decoder_reads_is_one_error(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    make_scan(PLANS["ctr01"], scan, pages=1)
    _damage_scan_jpeg(scan, _zeroed_headers)
    with pytest.raises(SourceError) as caught:
        _read(scan)
    assert str(caught.value).startswith(f"{scan}: trang 1: không giải mã được ảnh quét")
    assert len(str(caught.value).splitlines()) == 1


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width × height pixels but holds almost no data (a bomb's shape)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def _truncated_png(path: Path) -> bytes:
    Image.new("L", (600, 800), 255).save(path, format="PNG")
    return path.read_bytes()[:300]


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("bomb.png", lambda _path: _png_header_only(40_000, 40_000), "bom giải nén"),
        ("big.png", lambda _path: _png_header_only(10_000, 10_000), "bom giải nén"),
        ("cut.png", _truncated_png, "bị hỏng hoặc bị cắt cụt"),
        ("photo.jpg", lambda _path: b"\xff\xd8\xff\xe0 not a jpeg", "bị hỏng hoặc bị cắt cụt"),
        ("empty.tif", lambda _path: b"", "rỗng"),
        ("plan.odt", lambda _path: b"PK\x03\x04", "chưa đọc được loại tệp"),
    ],
)
def test_bad_images_name_the_file_and_the_reason(tmp_path: Path, name: str, make,
                                                 reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(make(path))
    with pytest.raises(SourceError) as caught:
        triage(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert reason in caught.value.reason


def test_a_page_image_has_no_name_while_tesseract_reads_it(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The page image Tesseract reads is a file without a name (/dev/fd/N): a run killed
    while a page is read leaves no image behind in the temporary folder."""
    import io
    import tempfile

    from extractors.sources.image import PageImage

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    seen: list[list[str]] = []
    real_run = subprocess.run

    def run_and_look(command: list[str], **options: object) -> subprocess.CompletedProcess:
        seen.append(sorted(path.name for path in tmp_path.iterdir()))
        return real_run(command, **options)

    monkeypatch.setattr(subprocess, "run", run_and_look)
    buffer = io.BytesIO()
    Image.new("L", (400, 120), 255).save(buffer, format="PNG")
    tesseract_tsv(PageImage(buffer.getvalue(), 300))
    assert seen == [[]]
