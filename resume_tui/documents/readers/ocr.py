"""Scanned PDFs: read the page images by OCR, when the optional extra is installed.

Many people only have a scan of their resume. `pip install "resume-tui[ocr]"` adds
rapidocr-onnxruntime, whose wheel carries its detection and recognition models, so nothing is
downloaded at run time and no system package is needed. The page images are the ones embedded
in the PDF, taken with pypdf (a scanner or phone app embeds one image per page). A page whose
text is drawn with fonts that have no Unicode map has no such image; the extra's pypdfium2
(PDFium in a wheel) renders it instead.

OCR is only used for pages with no usable text layer: a PDF whose text layer is real is never
re-read from its images. What OCR reads is marked (every line's Origin has `ocr=True`) and the
resume carries the warning "read by OCR — check names and numbers", because a misread digit
in a phone number or a date is exactly the error OCR makes.
"""

from __future__ import annotations

import importlib.util
import io
import os
from collections.abc import Callable
from typing import Any

from resume_tui.documents.readers.base import ExtractedText
from resume_tui.errors import InputError
from resume_tui.models import Origin, SourceFormat

INSTALL_HINT = 'pip install "resume-tui[ocr]"'
# The bundled recognition model (PP-OCRv4, Chinese and English) knows few accented Latin letters:
# measured on a French and a Spanish page (benchmarks/ocr.py), most come back bare ("diseño" as
# "diseno"), so the warning says so rather than let a name lose its accents silently.
OCR_WARNING = (
    "Read by OCR — check names and numbers: every line of this resume was read from page images, and "
    "accented letters may have lost their accents (é, ñ, ç read as e, n, c)."
)
MAX_OCR_PAGES = 10  # a scanned resume has a few pages; each takes seconds
_MIN_SIDE = 32  # pixels: smaller images are logos and icons, not pages of text

PageProgress = Callable[[int, int], None]  # (page number, page count), called before each page


def ocr_available() -> bool:
    """True when the optional OCR engine is installed."""
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    threads = max(1, min(2, os.cpu_count() or 1))
    # A resume scan is upright: the 180° text-direction classifier only costs time and, on
    # tightly spaced lines, turned some over and lost them. A lower box threshold and a wider
    # unclip keep the first line under a ruled heading and the spaces between words
    # (measured on the corpus pages: benchmarks/ocr.py).
    return RapidOCR(
        intra_op_num_threads=threads, inter_op_num_threads=1, use_cls=False, det_unclip_ratio=2.0, det_box_thresh=0.4
    )


def page_images(page: Any) -> list[Any]:
    """The embedded images of one page large enough to hold text, as RGB PIL images."""
    found = []
    try:
        images = list(page.images)
    except Exception:
        return []
    for image_file in images[:20]:
        try:
            image = image_file.image
        except Exception:
            continue
        if image is None or min(image.size) < _MIN_SIDE:
            continue
        found.append(image.convert("RGB"))
    return found


def _lines_of(boxes: list[Any]) -> list[str]:
    """OCR boxes → text lines in reading order: boxes whose vertical centres fall within half
    a line height of each other are one line, joined left to right (a wide gap keeps three
    spaces, which the contact reader treats as a separator)."""
    placed = []
    for box, text, _score in boxes:
        ys = [point[1] for point in box]
        xs = [point[0] for point in box]
        placed.append(((min(ys) + max(ys)) / 2, max(ys) - min(ys), min(xs), max(xs), str(text).strip()))
    placed.sort(key=lambda b: (b[0], b[2]))
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for item in placed:
        if rows and abs(item[0] - rows[-1][0][0]) <= max(4.0, rows[-1][0][1] / 2):
            rows[-1].append(item)
        else:
            rows.append([item])
    lines = []
    previous_bottom: float | None = None
    for row in rows:
        row.sort(key=lambda b: b[2])
        parts: list[str] = []
        for index, (_y, height, left, _right, text) in enumerate(row):
            if index:
                gap = left - row[index - 1][3]
                parts.append("   " if gap > 1.5 * height else " ")
            parts.append(text)
        centre, height = row[0][0], row[0][1]
        if previous_bottom is not None and centre - height / 2 - previous_bottom > 1.2 * height:
            lines.append("")  # a visible gap between blocks: a blank line, as a text PDF would give
        lines.append("".join(parts))
        previous_bottom = centre + height / 2
    return lines


def _rendered(data: bytes, index: int) -> list[Any]:
    """Page `index` drawn at 150 dpi by PDFium, when the extra's renderer is installed."""
    if importlib.util.find_spec("pypdfium2") is None:
        return []
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return [document[index].render(scale=150 / 72).to_pil().convert("RGB")]
    finally:
        document.close()


def ocr_pdf_pages(
    data: bytes, pages: list[Any], name: str, reason: str, progress: PageProgress | None = None, *, render: bool = False
) -> ExtractedText:
    """Read `pages` by OCR: their embedded images, or (`render`, for a garbled text layer, or a
    page whose images cannot be decoded) the page drawn by PDFium. `reason` says why ("has no
    text layer") in the message when the extra is missing, which names the install command."""
    if not ocr_available():
        raise InputError(f"{name} {reason} — to read it by OCR, install the extra with: {INSTALL_HINT}")
    try:
        engine = _engine()
    except (ImportError, OSError) as exc:  # e.g. OpenCV without the system's libGL on a bare machine
        raise InputError(
            f"{name} {reason}, and the OCR engine is installed but cannot start ({type(exc).__name__}: "
            f"{str(exc)[:80]}) — reinstall it with: {INSTALL_HINT}"
        ) from exc
    pages = pages[:MAX_OCR_PAGES]
    lines: list[str] = []
    origins: list[Origin] = []
    for number, page in enumerate(pages, start=1):
        if progress is not None:
            progress(number, len(pages))
        page_lines: list[str] = []
        images = [] if render else page_images(page)
        for image in images or _rendered(data, number - 1):
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            boxes, _elapsed = engine(buffer.getvalue())
            page_lines.extend(_lines_of(boxes or []))
        if not page_lines:
            continue
        if lines:
            lines.append("")
            origins.append(Origin(line=len(lines), page=number, ocr=True))
        for text in page_lines:
            lines.append(text)
            origins.append(Origin(line=len(lines), page=number, ocr=True))
    if len("".join("".join(lines).split())) < 20:
        raise InputError(
            f"{name} {reason}, and OCR found no text in its page images — export it again from the original editor "
            "as a text PDF or as DOCX."
        )
    warnings = [OCR_WARNING]
    return ExtractedText(text="\n".join(lines), source_format=SourceFormat.PDF, warnings=warnings, lines=origins)
