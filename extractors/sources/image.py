"""OCR with Tesseract (`vie`): image files (PNG, JPEG, TIFF pages) and PDF pages without text.

A scanned PDF page that is one embedded image gives that image's bytes as they are stored
(a JPEG goes to Tesseract untouched); any other page is rendered with pdfium at 300 DPI.
Tesseract runs as a subprocess with OMP_THREAD_LIMIT=1: pages run in parallel (one per core)
instead of one page on several threads, which spends more time in locks than it saves.
We call the binary ourselves rather than through pytesseract because pytesseract takes its
environment from os.environ (global to the process).
A ruled table on the page (ruled_tables) comes out as rows of cells, as a PDF's table does.
"""

from __future__ import annotations

import csv
import ctypes
import functools
import io
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytesseract
from PIL import Image, ImageOps, UnidentifiedImageError

from extractors.sources.base import BOMB, SourceError
from extractors.sources.pdf import open_pdfium, whole_page_image
from extractors.sources.ruled_tables import (
    Grid,
    TableRow,
    Word,
    find_grids,
    place_words,
)
from schemas.errors import MissingDependency
from schemas.records import PageContext, PageResult, SourceLine, TextSource

LANGUAGE = "vie"
log = logging.getLogger("chitieu.sources")
POINTS_PER_INCH = 72
TESSERACT_SECONDS = 300
# Deskewing: angles searched (degrees), the smallest worth a turn, on a page reduced 4×.
MAX_SKEW = 3.0
MIN_SKEW = 0.15
SKEW_REDUCTION = 4
DARK = 128
CELL_INSET_PX = 6  # a table cell's inside, clear of its rules
STRIP_MARGIN_PX = 30  # white around and between the cells read again
NUMBER = re.compile(r"\d{1,3}\.?")
MIN_INK_PER_ROW = 3  # dark pixels a row of a cell needs to hold ink, not speckle
INK_PAD_PX = 4


@dataclass(frozen=True)
class PageImage:
    """Encoded image bytes Tesseract can read (PNG, JPEG, TIFF) and their resolution."""

    data: bytes
    dpi: int


def _open_image(path: Path) -> Image.Image:
    """The image, checked: refuses decompression bombs and files that do not decode."""
    try:
        image = Image.open(path)
        if image.width * image.height > Image.MAX_IMAGE_PIXELS:
            raise Image.DecompressionBombError(f"{image.width}×{image.height} pixels")
        image.load()
    except Image.DecompressionBombError as error:
        log.debug("%s: %s", path, error)
        raise SourceError(path, f"ảnh quá lớn so với một trang quét (quá "
                                f"{Image.MAX_IMAGE_PIXELS:,} điểm ảnh, {BOMB}) — quét ở 300 DPI "
                                "rồi nạp lại") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise SourceError(path, "không đọc được ảnh: tệp bị hỏng hoặc bị cắt cụt — quét hoặc "
                                "chụp lại") from error
    return image


def triage(path: Path) -> list[PageContext]:
    frames = getattr(_open_image(path), "n_frames", 1)
    return [PageContext(source_path=path, page_no=page_no, page_count=frames, method="ocr")
            for page_no in range(1, frames + 1)]


def _encoded(image: Image.Image) -> bytes:
    """Uncompressed BMP: Leptonica reads it as fast as it decodes the page's own JPEG (PNM,
    which its reader takes pixel by pixel, cost Tesseract 0.2 s more a page), and saving it
    costs us 8 ms where compressing it would cost 0.1 s."""
    buffer = io.BytesIO()
    image.save(buffer, format="BMP")
    return buffer.getvalue()


def _line_sharpness(image: Image.Image, angle: float) -> float:
    """How sharply dark rows stand out when the page is turned by `angle`: text lines are
    crisp horizontal bands only when the page is straight."""
    turned = np.asarray(image.rotate(angle, fillcolor=255)) < DARK
    return float(np.var(turned.sum(axis=1)))


def skew_angle(image: Image.Image) -> float:
    """The rotation (degrees) that makes the text lines horizontal: coarse, then fine."""
    small = image.reduce(SKEW_REDUCTION)
    coarse = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5),
                 key=lambda angle: _line_sharpness(small, angle))
    return float(max(np.arange(coarse - 0.4, coarse + 0.41, 0.1),
                     key=lambda angle: _line_sharpness(small, angle)))


def deskewed(page: PageImage) -> tuple[PageImage, Image.Image]:
    """The page turned straight, encoded for Tesseract and as a grey image; a page already
    straight keeps its own bytes.

    Measured on generated 2-page scans (tests.fixtures): deskewing cut CER from 0.19 % to
    0.12 % (mean of three scans turned < 0.8°) and from 0.39 % to 0.12 % on one turned 1.5°.
    Otsu binarisation before Tesseract (which binarises itself) made it worse (0.19 % →
    0.22 %), so we do not binarise. The turn takes the nearest pixel: Tesseract binarises
    anyway, and bicubic cost 0.19 s a page against 0.015 s for a CER no better (10 pages
    turned < 0.8°: 0.756 % bicubic, 0.751 % nearest; 4 pages turned 1.2-2.5°: 0.581 %,
    0.568 %)."""
    image = Image.open(io.BytesIO(page.data)).convert("L")
    angle = skew_angle(image)
    if abs(angle) < MIN_SKEW:
        return page, image
    straight = image.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=255)
    return PageImage(_encoded(straight), page.dpi), straight


def _image_file_page(context: PageContext) -> PageImage:
    image = _open_image(context.source_path)
    if getattr(image, "n_frames", 1) > 1:
        image.seek(context.page_no - 1)
        image.load()
    dpi = image.info.get("dpi", (context.dpi, context.dpi))[0]
    # A phone or camera stores the photo as the sensor saw it and says in EXIF how to turn it.
    upright = ImageOps.exif_transpose(image.convert("L"))
    return PageImage(_encoded(upright), round(float(dpi)) or context.dpi)


def _upright(page: pdfium.PdfPage, image: pdfium.PdfImage) -> bool:
    """Whether the stored image shows the page as it is displayed: the page has no /Rotate
    and the image is placed neither turned nor mirrored (a sideways landscape scan is)."""
    placement = image.get_matrix()
    return (page.get_rotation() == 0 and placement.b == placement.c == 0
            and placement.a > 0 and placement.d > 0)


def _pdf_page(context: PageContext) -> PageImage:
    """The page's own image when it is one and upright, else the page rendered at the
    context's DPI (pdfium applies the page's rotation)."""
    with open_pdfium(context.source_path) as document:
        page = document[context.page_no - 1]
        embedded = whole_page_image(page)
        if embedded is not None and _upright(page, embedded):
            buffer = io.BytesIO()
            embedded.extract(buffer)
            dpi = embedded.get_metadata().width * POINTS_PER_INCH / page.get_size()[0]
            return PageImage(buffer.getvalue(), round(dpi))
        bitmap = page.render(scale=context.dpi / POINTS_PER_INCH, grayscale=True)
        return PageImage(_encoded(bitmap.to_pil()), context.dpi)


def page_image(context: PageContext) -> PageImage:
    if context.source_path.suffix.lower() == ".pdf":
        return _pdf_page(context)
    return _image_file_page(context)


_PR_SET_PDEATHSIG = 1
# Looked up here, not in the child between fork and exec, where other threads' locks (the
# dynamic loader's) may be held for good.
_prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None


def _die_with_parent(parent: int) -> None:
    """In Tesseract's process before it starts: SIGKILL when the process reading the page
    dies (a killed run, a Dask worker ended with it), not the rest of the page later. The
    signal comes when the forking thread ends: that thread waits for Tesseract."""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)


def tesseract_tsv(page: PageImage, threads: int | None = 1, options: Sequence[str] = ()) -> str:
    """Tesseract's word table (TSV) for one page image; `threads=None` leaves OpenMP alone;
    `options` go before the output format (`--psm 6`, `-c name=value`)."""
    environment = dict(os.environ)
    if threads is not None:
        environment["OMP_THREAD_LIMIT"] = str(threads)
    # A file, not stdin: Tesseract reads stdin through a C++ stream one character at a time,
    # 0.15 s a page for an uncompressed 300 DPI page.
    # A file without a name (unlinked as it is made), handed over as /dev/fd/N: a run killed
    # while Tesseract reads leaves no page image behind.
    with tempfile.TemporaryFile(prefix="chitieu-page-") as image_file:
        image_file.write(page.data)
        image_file.flush()
        descriptor = image_file.fileno()
        command = [pytesseract.pytesseract.tesseract_cmd, f"/dev/fd/{descriptor}", "stdout",
                   "-l", LANGUAGE, "--dpi", str(page.dpi), *options, "tsv"]
        try:
            finished = subprocess.run(command, capture_output=True, check=True,
                                      env=environment, timeout=TESSERACT_SECONDS,
                                      pass_fds=(descriptor,),
                                      preexec_fn=functools.partial(_die_with_parent,
                                                                   os.getpid()))
        except FileNotFoundError as error:
            raise MissingDependency(
                "chưa cài Tesseract, chương trình đọc ảnh quét — cài tesseract-ocr và "
                "tesseract-ocr-vie (sudo apt install tesseract-ocr tesseract-ocr-vie) rồi "
                "chạy lại") from error
        except subprocess.CalledProcessError as error:
            if b"Failed loading language" in (error.stderr or b""):
                raise MissingDependency(
                    f"Tesseract chưa có gói tiếng Việt ({LANGUAGE}) — cài tesseract-ocr-vie "
                    "(sudo apt install tesseract-ocr-vie) rồi chạy lại") from error
            raise
    return finished.stdout.decode("utf-8")


def tsv_words(tsv: str) -> list[Word]:
    """Tesseract's words with their boxes and confidences (0..1), in its reading order."""
    words = []
    line_orders: dict[tuple[str, str, str], int] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row["level"] == "5" and text and float(row["conf"]) >= 0:
            key = (row["block_num"], row["par_num"], row["line_num"])
            order = line_orders.setdefault(key, len(line_orders))
            words.append(Word(text, float(row["conf"]) / 100, int(row["left"]), int(row["top"]),
                              int(row["width"]), int(row["height"]), order))
    return words


def _line(page_no: int, text: str, confidences: Sequence[float],
          cells: tuple[str, ...] | None = None) -> SourceLine:
    return SourceLine(page=page_no, line_no=1, text=text, cells=cells,
                      confidence=round(sum(confidences) / len(confidences), 3),
                      word_confidences=tuple(round(score, 3) for score in confidences))


def ocr_lines(tsv: str, page_no: int, grids: Sequence[Grid] = (),
              ordinals: Sequence[dict[int, Word]] = ()) -> list[SourceLine]:
    """One SourceLine per Tesseract line: its words, their confidences (0..1) and the mean.
    A ruled table (`grids`, with the numbers of their first cells read again: `ordinals`)
    gives one line per row with the words in their cells instead, in its place from top to
    bottom."""
    words = tsv_words(tsv)
    rows: list[TableRow] = []
    for number, grid in enumerate(grids):
        placed, words = place_words(grid, words, ordinals[number] if ordinals else None)
        rows.extend(placed)
    by_line: dict[int, list[Word]] = {}
    for word in words:
        by_line.setdefault(word.line_order, []).append(word)
    placed_lines = [
        (min(word.top for word in found),
         _line(page_no, " ".join(word.text for word in found),
               [word.confidence for word in found]))
        for found in by_line.values()
    ]
    placed_lines += [(row.top, _line(page_no, "\t".join(row.cells), row.confidences, row.cells))
                     for row in rows if row.confidences]
    if rows:  # prose keeps Tesseract's order; rows go where the page shows them
        placed_lines.sort(key=lambda placed: placed[0])
    return [line.model_copy(update={"line_no": line_no})
            for line_no, (_, line) in enumerate(placed_lines, start=1)]


def _inked_rows(cell: np.ndarray) -> np.ndarray:
    """The rows of a cell from its first to its last line of ink (a number set at the top of a
    tall cell is otherwise lost in white), speckle ignored."""
    inked = np.flatnonzero((cell < DARK).sum(axis=1) >= MIN_INK_PER_ROW)
    if inked.size == 0:
        return cell[:0]
    return cell[max(inked[0] - INK_PAD_PX, 0): inked[-1] + INK_PAD_PX + 1]


def _ordinal_strip(gray: np.ndarray, boxes: Sequence[tuple[int, int, int, int]]
                   ) -> tuple[Image.Image, list[tuple[int, int]]]:
    """The cells' insides stacked on white, and the y span each got in the strip."""
    insides = [_inked_rows(gray[top + CELL_INSET_PX: bottom - CELL_INSET_PX,
                                left + CELL_INSET_PX: right - CELL_INSET_PX])
               for left, top, right, bottom in boxes]
    width = max(inside.shape[1] for inside in insides) + 2 * STRIP_MARGIN_PX
    height = sum(inside.shape[0] + STRIP_MARGIN_PX for inside in insides) + STRIP_MARGIN_PX
    strip = Image.new("L", (width, height), 255)
    spans = []
    y = STRIP_MARGIN_PX
    for inside in insides:
        strip.paste(Image.fromarray(inside), (STRIP_MARGIN_PX, y))
        spans.append((y, y + inside.shape[0]))
        y += inside.shape[0] + STRIP_MARGIN_PX
    return strip, spans


def reread_ordinals(gray: np.ndarray, grids: Sequence[Grid], dpi: int) -> list[dict[int, Word]]:
    """Per grid, band -> the number in the row's first cell ("STT"), read again on its own:
    in the page's layout Tesseract drops a lone short number in a narrow cell or reads 1 as
    "ĩ". One more Tesseract run per page with tables, on the first cells stacked."""
    places = [(number, band, box) for number, grid in enumerate(grids)
              for band in range(len(grid.row_rules) - 1)
              if (box := grid.first_cell(band)) and box[3] - box[1] > 3 * CELL_INSET_PX
              and box[2] - box[0] > 3 * CELL_INSET_PX]
    found: list[dict[int, Word]] = [{} for _ in grids]
    if not places:
        return found
    strip, spans = _ordinal_strip(gray, [box for _, _, box in places])
    tsv = tesseract_tsv(PageImage(_encoded(strip), dpi),
                        options=("--psm", "6", "-c", "tessedit_char_whitelist=0123456789."))
    for word in tsv_words(tsv):
        middle = word.centre[1]
        for (number, band, _), (top, bottom) in zip(places, spans, strict=True):
            if top <= middle <= bottom and NUMBER.fullmatch(word.text):
                found[number].setdefault(band, word)
    return found


def _undecodable(context: PageContext, detail: str) -> SourceError:
    log.debug("%s: %s", context.source_path, detail)  # the decoder's own words, for -v
    return SourceError(context.source_path, f"trang {context.page_no}: không giải mã được ảnh "
                                            "quét — quét lại trang này")


def _complaint(error: subprocess.CalledProcessError) -> str:
    """What Tesseract's image decoder said last on stderr."""
    return " ".join((error.stderr or b"").decode(errors="replace").strip().splitlines()[-2:])


def page_tsv(context: PageContext, page: PageImage) -> str:
    """Tesseract's words for the page. An image Tesseract's decoder refuses but Pillow decodes
    (a scan's JPEG damaged in its last rows) is handed to it decoded."""
    try:
        return tesseract_tsv(page)
    except subprocess.CalledProcessError as refused:
        complaint = _complaint(refused)
    try:
        decoded = Image.open(io.BytesIO(page.data)).convert("L")
        return tesseract_tsv(PageImage(_encoded(decoded), page.dpi))
    except (OSError, subprocess.CalledProcessError) as error:
        raise _undecodable(context, complaint) from error


def read_page(context: PageContext) -> PageResult:
    started = time.perf_counter()
    try:
        page, straight = deskewed(page_image(context))
        tsv = page_tsv(context, page)
        gray = np.asarray(straight)
        grids = find_grids(gray)
        lines = ocr_lines(tsv, context.page_no, grids, reread_ordinals(gray, grids, page.dpi))
    except Image.DecompressionBombError as error:  # an image embedded in a PDF page
        log.debug("%s: %s", context.source_path, error)
        raise SourceError(context.source_path, f"trang {context.page_no} chứa ảnh quá lớn so "
                          f"với một trang quét ({BOMB}) — quét lại ở 300 DPI") from error
    except OSError as error:  # Pillow cannot decode the page's image to straighten it
        raise _undecodable(context, str(error)) from error
    except subprocess.TimeoutExpired as error:
        raise SourceError(context.source_path, f"trang {context.page_no}: Tesseract không đọc "
                          f"xong trong {TESSERACT_SECONDS} giây — quét lại trang rõ hơn hoặc "
                          "tách tệp thành nhiều phần") from error
    return PageResult(page_no=context.page_no, text_source=TextSource.OCR, lines=tuple(lines),
                      seconds=time.perf_counter() - started)
