"""OCR with Tesseract (`vie`): image files (PNG, JPEG, TIFF pages) and PDF pages without text.

A scanned PDF page that is one embedded image gives that image's bytes as they are stored
(a JPEG goes to Tesseract untouched); any other page is rendered with pdfium at 300 DPI.
Tesseract runs as a subprocess with OMP_THREAD_LIMIT=1: pages run in parallel (one per core)
instead of one page on several threads, which spends more time in locks than it saves.
We call the binary ourselves rather than through pytesseract because pytesseract takes its
environment from os.environ (global to the process) and writes temporary files.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytesseract
from PIL import Image, ImageOps, UnidentifiedImageError

from extractors.sources.base import SourceError
from extractors.sources.pdf import open_pdfium, whole_page_image
from schemas.records import PageContext, PageResult, SourceLine, TextSource

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
LANGUAGE = "vie"
POINTS_PER_INCH = 72
TESSERACT_SECONDS = 300
# Deskewing: angles searched (degrees), the smallest worth a turn, on a page reduced 4×.
MAX_SKEW = 3.0
MIN_SKEW = 0.15
SKEW_REDUCTION = 4
DARK = 128


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
        raise SourceError(path, f"the image is too large to be a page scan ({error}, limit "
                                f"{Image.MAX_IMAGE_PIXELS:,} pixels: a decompression bomb?); "
                                "scan at 300 DPI and try again") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise SourceError(path, f"not a readable image, corrupt or truncated ({error})") from error
    return image


def triage(path: Path) -> list[PageContext]:
    frames = getattr(_open_image(path), "n_frames", 1)
    return [PageContext(source_path=path, page_no=page_no, page_count=frames, method="ocr")
            for page_no in range(1, frames + 1)]


def _encoded(image: Image.Image) -> bytes:
    """Uncompressed (PNM): Tesseract reads it from stdin faster than we could compress it."""
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")
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


def deskewed(page: PageImage) -> PageImage:
    """The page turned straight; a page already straight keeps its own bytes.

    Measured on generated 2-page scans (tests.fixtures): deskewing cut CER from 0.19 % to
    0.12 % (mean of three scans turned < 0.8°) and from 0.39 % to 0.12 % on one turned 1.5°,
    for about 0.4 s a page. Otsu binarisation before Tesseract (which binarises itself) made
    it worse (0.19 % → 0.22 %), so we do not binarise."""
    image = Image.open(io.BytesIO(page.data)).convert("L")
    angle = skew_angle(image)
    if abs(angle) < MIN_SKEW:
        return page
    straight = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return PageImage(_encoded(straight), page.dpi)


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


def tesseract_tsv(page: PageImage, threads: int | None = 1) -> str:
    """Tesseract's word table (TSV) for one page image; `threads=None` leaves OpenMP alone."""
    environment = dict(os.environ)
    if threads is not None:
        environment["OMP_THREAD_LIMIT"] = str(threads)
    command = [pytesseract.pytesseract.tesseract_cmd, "stdin", "stdout", "-l", LANGUAGE,
               "--dpi", str(page.dpi), "tsv"]
    try:
        finished = subprocess.run(command, input=page.data, capture_output=True, check=True,
                                  env=environment, timeout=TESSERACT_SECONDS)
    except FileNotFoundError as error:
        raise RuntimeError("tesseract is not installed (apt install tesseract-ocr "
                           "tesseract-ocr-vie)") from error
    return finished.stdout.decode("utf-8")


def ocr_lines(tsv: str, page_no: int) -> list[SourceLine]:
    """One SourceLine per Tesseract line: its words, their confidences (0..1) and the mean."""
    words: dict[tuple[str, str, str], list[tuple[str, float]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row["level"] == "5" and text and float(row["conf"]) >= 0:
            key = (row["block_num"], row["par_num"], row["line_num"])
            words.setdefault(key, []).append((text, float(row["conf"]) / 100))
    return [
        SourceLine(page=page_no, line_no=line_no, text=" ".join(word for word, _ in found),
                   confidence=round(sum(score for _, score in found) / len(found), 3),
                   word_confidences=tuple(round(score, 3) for _, score in found))
        for line_no, found in enumerate(words.values(), start=1)
    ]


def _undecodable(context: PageContext, detail: str) -> SourceError:
    return SourceError(context.source_path, f"page {context.page_no}: the scanned image cannot "
                                            f"be decoded ({detail}); scan the page again")


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
        page = deskewed(page_image(context))
        lines = ocr_lines(page_tsv(context, page), context.page_no)
    except Image.DecompressionBombError as error:  # an image embedded in a PDF page
        raise SourceError(context.source_path, f"page {context.page_no} holds an image too "
                          f"large to be a page scan ({error}): a decompression bomb?") from error
    except OSError as error:  # Pillow cannot decode the page's image to straighten it
        raise _undecodable(context, str(error)) from error
    except subprocess.TimeoutExpired as error:
        raise SourceError(context.source_path, f"page {context.page_no}: Tesseract did not "
                          f"finish within {TESSERACT_SECONDS} s") from error
    return PageResult(page_no=context.page_no, text_source=TextSource.OCR, lines=tuple(lines),
                      seconds=time.perf_counter() - started)
