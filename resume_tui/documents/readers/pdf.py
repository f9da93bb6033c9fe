"""PDF via pypdf, reading multi-column pages column by column.

pypdf's plain extraction follows the content stream, which interleaves sidebars with
the main column on many templates; its layout mode keeps positions but adds spacing
artefacts. So each page is extracted both ways: the layout rendering is used to find a
vertical gutter; a real two-column page is then read left column first, a "label
column" page (section names in a left margin) keeps plain text with the labels split
off, and a single-column page uses plain text.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from resume_tui.documents.quality import looks_like_gibberish
from resume_tui.documents.readers import ocr
from resume_tui.documents.readers.base import ExtractedText, normalize_newlines
from resume_tui.documents.readers.cleanup import glyph_names
from resume_tui.documents.readers.ocr import PageProgress
from resume_tui.documents.readers.pdf_order import ChunkCollector, join_split_dates, place_rotated_labels, shattered
from resume_tui.errors import InputError
from resume_tui.models import Origin, SourceFormat

logging.getLogger("pypdf").setLevel(logging.CRITICAL)

_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st", "\u00ad": "", "\u00a0": " "})
_CELL_GAP = re.compile(r"[ \t\u00a0]{5,}")
_MAX_LAYOUT_WIDTH = 1000  # wider "lines" mean a pathological page: skip column analysis
MAX_PAGES = 50  # a resume or posting never needs more; bounds work on huge files
EXPORT_HINT = "export it again from the original editor as a text PDF or as DOCX"


@dataclass
class Columns:
    start: int  # first gutter column (left text ends before it)
    end: int  # first column of the right text
    labels: bool  # True: the left side only holds short labels (section names)


def _segments(line: str, start: int, end: int) -> tuple[str, str]:
    """Split a layout row at the gutter's last column (left text may reach into the gutter)."""
    cut = max(start, end - 1)
    return line[:cut].strip(), line[cut:].strip()


def find_columns(lines: list[str]) -> Columns | None:
    """Find a vertical gutter of blank character columns that splits the page in two."""
    rows = [line.rstrip() for line in lines]
    filled = [row for row in rows if row.strip()]
    if len(filled) < 6:
        return None
    width = max(len(row) for row in filled)
    if width > _MAX_LAYOUT_WIDTH or width < 20:
        return None
    occupancy = [0] * (width + 1)
    for row in filled:
        for i, ch in enumerate(row):
            if not ch.isspace():
                occupancy[i] += 1
    limit = max(1, len(filled) // 40)
    runs: list[tuple[int, int]] = []
    i = int(width * 0.08)
    while i < int(width * 0.85):
        if occupancy[i] <= limit:
            j = i
            while j < width and occupancy[j] <= limit:
                j += 1
            if j - i >= 3:
                runs.append((i, j))
            i = j + 1
        else:
            i += 1
    best: tuple[float, Columns] | None = None
    total = sum(len(row.replace(" ", "")) for row in filled) or 1
    for start, end in runs:
        left = [_segments(row, start, end)[0] for row in filled]
        right = [_segments(row, start, end)[1] for row in filled]
        left_text = [seg for seg in left if seg]
        right_text = [seg for seg in right if seg]
        if len(left_text) < 2 or len(right_text) < 4:
            continue
        left_chars = sum(len(seg.replace(" ", "")) for seg in left_text)
        right_chars = sum(len(seg.replace(" ", "")) for seg in right_text)
        avg_right_words = sum(len(seg.split()) for seg in right_text) / len(right_text)
        short_labels = all(len(seg) <= 30 and len(seg.split()) <= 4 for seg in left_text)
        if (
            len(left_text) >= 4
            and left_chars >= 0.12 * total
            and right_chars >= 0.12 * total
            and avg_right_words >= 2.5
            and sum(len(seg.split()) for seg in left_text) / len(left_text) >= 1.5
        ):
            score = float(min(left_chars, right_chars))
            candidate = Columns(start, end, labels=False)
        elif short_labels and right_chars >= 0.6 * total and len(left_text) <= len(right_text):
            score = 0.01 * right_chars
            candidate = Columns(start, end, labels=True)
        else:
            continue
        if best is None or score > best[0]:
            best = (score, candidate)
    return best[1] if best else None


def _two_column_lines(layout_lines: list[str], columns: Columns) -> list[str]:
    """Left column first, then right, block by block (full-width lines break blocks)."""
    out: list[str] = []
    left: list[str] = []
    right: list[str] = []

    def flush() -> None:
        out.extend(left)
        out.append("")
        out.extend(right)
        left.clear()
        right.clear()

    for row in layout_lines:
        row = row.rstrip()
        cut = max(columns.start, columns.end - 1)
        if row[cut - 1 : cut + 1].strip() and len(row[cut - 1 : cut + 1].strip()) == 2:
            # text runs straight through the gutter: a line spanning both columns
            flush()
            out.append(_SPACES.sub(" ", row.strip()))
            continue
        lseg, rseg = _segments(row, columns.start, columns.end)
        left.append(_SPACES.sub(" ", lseg))
        right.append(_SPACES.sub(" ", rseg))
    flush()
    return out


def _split_labels(plain_lines: list[str], labels: set[str]) -> list[str]:
    out: list[str] = []
    ordered = sorted(labels, key=len, reverse=True)
    for line in plain_lines:
        stripped = line.strip()
        for label in ordered:
            if stripped.startswith(label + " ") and len(stripped) > len(label) + 1:
                out.append(label)
                out.append(stripped[len(label) :].strip())
                break
        else:
            out.append(line)
    return out


def _squeeze_blank_lines(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


def page_lines(page: object) -> tuple[list[str], bool]:
    """Lines of one page in reading order, and whether a two-column layout was found."""
    # Ligature glyphs ("ﬁ") would hide words like "files" from keyword matching.
    collector = ChunkCollector()
    plain = normalize_newlines(page.extract_text(visitor_text=collector) or "").translate(_LIGATURES)  # type: ignore[attr-defined]
    try:
        layout = normalize_newlines(page.extract_text(extraction_mode="layout") or "").translate(_LIGATURES)  # type: ignore[attr-defined]
    except Exception:  # layout mode is an enhancement; plain text still works
        layout = ""
    layout_lines = layout.split("\n")
    columns = find_columns(layout_lines) if layout.strip() else None
    if columns is not None and not columns.labels:
        return _squeeze_blank_lines(_two_column_lines(layout_lines, columns)), True
    plain_lines = place_rotated_labels([_SPACES.sub(" ", line.strip()) for line in plain.split("\n")], collector.chunks)
    layout_filled = [row for row in layout_lines if row.strip()]
    if columns is None and shattered([ln for ln in plain_lines if ln], layout_filled):
        # Plain extraction shattered the lines (one text chunk per line): use the layout
        # rendering instead, splitting table-like cells at wide gaps.
        rows: list[str] = []
        for row in layout_lines:
            rows.extend(_SPACES.sub(" ", cell.strip()) for cell in _CELL_GAP.split(row.strip()))
        return _squeeze_blank_lines(rows), False
    if columns is not None:
        labels = {_segments(row, columns.start, columns.end)[0] for row in layout_lines}
        plain_lines = _split_labels(plain_lines, {_SPACES.sub(" ", lab) for lab in labels if lab})
    return _squeeze_blank_lines(join_split_dates(plain_lines)), False


def _open(data: bytes, name: str):  # noqa: ANN202 - pypdf types stay inside this module
    from pypdf import PdfReader

    if b"%%EOF" not in data[-2048:]:
        raise InputError(
            f"{name} is an incomplete PDF (it ends before the PDF end marker, e.g. an "
            "interrupted download) — download or export it again."
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{name} is not a readable PDF (it is damaged) — {EXPORT_HINT}.") from exc
    if encrypted:
        ok: object
        try:
            ok = reader.decrypt("")
        except Exception:
            ok = 0
        if not ok:
            raise InputError(
                f"{name} is a password-protected PDF — save an unprotected copy (or export it as DOCX) and load that."
            )
    try:
        pages = list(reader.pages)
    except Exception as exc:
        raise InputError(f"{name} is not a readable PDF (its page tree is damaged) — {EXPORT_HINT}.") from exc
    return reader, pages


def _is_limit(exc: BaseException) -> bool:
    """pypdf stopped at one of our limits (not a damaged page)."""
    try:
        from pypdf.errors import LimitReachedError
    except ImportError:
        return False
    return isinstance(exc, LimitReachedError) or isinstance(exc.__cause__, LimitReachedError)


def _has_images(page: object) -> bool:
    try:
        resources = page.get("/Resources") or {}  # type: ignore[attr-defined]
        resources = resources.get_object() if hasattr(resources, "get_object") else resources
        xobjects = resources.get("/XObject") or {}
        xobjects = xobjects.get_object() if hasattr(xobjects, "get_object") else xobjects
        return any(
            (obj.get_object() if hasattr(obj, "get_object") else obj).get("/Subtype") == "/Image"
            for obj in xobjects.values()
        )
    except Exception:
        return False


def _page_links(page: object) -> list[str]:
    """URI link annotations ("LinkedIn" icons hide their URL behind the text)."""
    found: list[str] = []
    try:
        annots = page.get("/Annots") or []  # type: ignore[attr-defined]
        annots = annots.get_object() if hasattr(annots, "get_object") else annots
        for ref in list(annots)[:200]:
            annot = ref.get_object() if hasattr(ref, "get_object") else ref
            action = annot.get("/A")
            action = action.get_object() if hasattr(action, "get_object") else action
            uri = action.get("/URI") if action else None
            if isinstance(uri, bytes):
                uri = uri.decode("latin-1", errors="replace")
            if uri and str(uri).startswith(("http://", "https://", "mailto:")):
                found.append(str(uri))
    except Exception:
        return found
    return found


# Limits for hostile PDFs, tighter than pypdf's defaults (75 MB streams, 2M tokens): a
# dense resume page decodes to < 200 KB and < 50,000 content-stream tokens.
_PDF_LIMITS = {
    "zlib_maximum_output_length": 10_000_000,
    "maximum_declared_stream_length": 10_000_000,
    "stream_parsing_work_maximum_count": 250_000,
    "page_tree_maximum_entries": 10_000,
    "page_tree_maximum_depth": 30,
    "xform_maximum_invocations_per_extraction": 500,
}
CPU_BUDGET_S = 15.0  # per document, CPU time of the reading thread


def _limits():  # noqa: ANN202
    try:
        from pypdf import apply_configuration
    except ImportError:  # older pypdf: its own fixed limits apply
        return contextlib.nullcontext()
    configure: Any = apply_configuration  # its keyword limits are typed through a Configuration object
    return configure(**_PDF_LIMITS)


def read_pdf(data: bytes, name: str, progress: PageProgress | None = None) -> ExtractedText:
    """Text of a PDF; pages with no text layer (a scan) or an unreadable one are read by OCR
    when the optional extra is installed (`progress` hears of each page), else refused with
    the command that installs it."""
    with _limits():
        return _read_pdf(data, name, progress)


def _read_pdf(data: bytes, name: str, progress: PageProgress | None) -> ExtractedText:
    started = time.thread_time()
    _reader, pages = _open(data, name)
    if not pages:
        raise InputError(f"{name} has no pages — {EXPORT_HINT}.")
    lines: list[str] = []
    origins: list[Origin] = []
    warnings: list[str] = []
    failed: list[int] = []
    two_column: list[int] = []
    images = False
    links: list[str] = []
    if len(pages) > MAX_PAGES:
        warnings.append(f"{name} has {len(pages)} pages; only the first {MAX_PAGES} were read.")
        pages = pages[:MAX_PAGES]
    limited: list[int] = []
    for number, page in enumerate(pages, start=1):
        if time.thread_time() - started > CPU_BUDGET_S:
            raise InputError(
                f"{name} needed more than {CPU_BUDGET_S:.0f} s of processing to read {number - 1} page(s), over the "
                f"limit for a resume or posting — {EXPORT_HINT}."
            )
        try:
            page_text, columns = page_lines(page)
        except Exception as exc:
            (limited if _is_limit(exc) else failed).append(number)
            continue
        if columns:
            two_column.append(number)
        for uri in _page_links(page):
            if uri not in links:
                links.append(uri)
        if not "".join(page_text).strip():
            images = images or _has_images(page)
            continue
        if lines:
            lines.append("")
            origins.append(Origin(line=len(lines), page=number))
        for text in page_text:
            lines.append(glyph_names(text) if len(text) <= 2_000 else text)
            origins.append(Origin(line=len(lines), page=number))
    if limited and len(limited) + len(failed) == len(pages):
        raise InputError(
            f"{name} is refused: page(s) {', '.join(map(str, limited[:5]))} hold more drawing instructions than any "
            f"resume (over {_PDF_LIMITS['stream_parsing_work_maximum_count']:,} or "
            f"{_PDF_LIMITS['zlib_maximum_output_length'] // 1_000_000} MB) — {EXPORT_HINT}."
        )
    if failed and len(failed) == len(pages):
        raise InputError(f"No text could be extracted from {name} (the PDF is damaged) — {EXPORT_HINT}.")
    failed = sorted(failed + limited)
    text = "\n".join(lines)
    if len("".join(text.split())) < 20:
        if images or any(_has_images(p) for p in pages[:5]):
            scanned = ocr.ocr_pdf_pages(data, pages, name, "is a scanned PDF with no text layer (only images)", progress)
            scanned.links = links
            return scanned
        raise InputError(f"{name} contains no extractable text — {EXPORT_HINT}.")
    if looks_like_gibberish(text):
        # Never silently: the text layer is there but unreadable, so the pages are drawn and
        # read by OCR only with the extra installed, and the warning says why.
        reason = "has a text layer that is unreadable (its fonts have no Unicode mapping, so it extracts as gibberish)"
        if not ocr.ocr_available():
            raise InputError(
                f"The text inside {name} is unreadable (its fonts have no Unicode mapping, so it extracts as "
                f"gibberish) — {EXPORT_HINT}, or install the OCR extra to read its pages as images: {ocr.INSTALL_HINT}"
            )
        redrawn = ocr.ocr_pdf_pages(data, pages, name, reason, progress, render=True)
        if looks_like_gibberish(redrawn.text):  # the glyphs themselves are scrambled, not only their map
            raise InputError(
                f"The text inside {name} is unreadable (its fonts have no Unicode mapping, so it extracts as "
                f"gibberish, and it reads as gibberish by OCR too) — {EXPORT_HINT}."
            )
        redrawn.warnings.insert(0, f"{name} {reason}; its pages were read by OCR instead.")
        redrawn.links = links
        return redrawn
    if failed:
        warnings.append(f"Page(s) {', '.join(map(str, failed))} of {name} could not be read and were skipped.")
    if two_column:
        warnings.append(
            f"Page(s) {', '.join(map(str, two_column))} use a multi-column layout and were read column by column."
        )
    for i, origin in enumerate(origins):
        origin.line = i + 1
    return ExtractedText(text=text, source_format=SourceFormat.PDF, warnings=warnings, lines=origins, links=links)
