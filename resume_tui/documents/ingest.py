"""Public entry points: read any supported document, parse a resume.

`read_document` sniffs the bytes (never trusting the extension), enforces the size
limit before reading, picks a reader and turns every library failure into an
InputError with one sentence saying what is wrong and what to do. It serves job
descriptions too. `load_resume` / `parse_resume_text` add segmentation.
"""

from __future__ import annotations

from pathlib import Path

from resume_tui.documents.quality import assess
from resume_tui.documents.readers.base import ExtractedText, normalize_newlines
from resume_tui.documents.readers.ocr import PageProgress
from resume_tui.documents.segment import prepare_lines, segment
from resume_tui.documents.sniff import (
    DESCRIPTION,
    HEAD_BYTES,
    SUPPORTED,
    Kind,
    extension_mismatch,
    sniff,
)
from resume_tui.errors import InputError
from resume_tui.models import Origin, Resume, SourceFormat
from resume_tui.textsafe import clean_text, describe_removed

__all__ = ["ExtractedText", "load_resume", "parse_resume_text", "read_document", "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_RESUME_LINES = 20_000
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _stat(path: Path, max_bytes: int) -> int:
    try:
        if not path.exists():
            raise InputError(f"{path} does not exist — check the path and try again.")
        if path.is_dir():
            raise InputError(f"{path} is a folder, not a file — give the path of the document itself.")
        size = path.stat().st_size
    except InputError:
        raise
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror or 'access denied'}) — check its permissions.") from exc
    if size == 0:
        raise InputError(f"{path.name} is empty — choose the file that contains your document.")
    if size > max_bytes:
        raise InputError(
            f"{path.name} is {_size_text(size)}, over the {_size_text(max_bytes)} limit — use a smaller "
            "file (e.g. without images) or raise limits.max_file_mb in the config."
        )
    return size


def _is_html(head: bytes) -> bool:
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return lowered.startswith((b"<!doctype html", b"<html")) or (lowered.startswith(b"<") and b"<body" in lowered)


def _looks_markdown(path: Path, text: str) -> bool:
    if path.suffix.lower() in _MARKDOWN_SUFFIXES:
        return True
    head = text[:5000]
    return head.lstrip().startswith("#") or "\n#" in head or "**" in head or "](" in head


def _checked_bytes(path: Path, max_bytes: int) -> tuple[bytes, Kind]:
    """The file's bytes and what they really are, or one sentence refusing a file no reader takes."""
    _stat(path, max_bytes)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror or 'I/O error'}) — check the file and try again.") from exc
    if len(data) > max_bytes:  # grew between stat and read
        raise InputError(f"{path.name} is over the {_size_text(max_bytes)} limit — use a smaller file.")
    kind = sniff(path, data[:HEAD_BYTES])
    name = path.name
    if kind is Kind.EMPTY:
        raise InputError(f"{name} is empty (it has no text) — choose the file that contains your document.")
    if kind is Kind.CORRUPT_ZIP:
        if path.suffix.lower() == ".docx":
            raise InputError(f"{name} is a damaged Word document — open it in Word and save it again as .docx.")
        raise InputError(f"{name} is a damaged archive, not a supported document — use {SUPPORTED}.")
    suffix = path.suffix.lower()
    if kind is Kind.DAMAGED_DOCX or (kind is Kind.ZIP and suffix == ".docx"):
        raise InputError(f"{name} is a damaged Word file (no document body) — open it in Word and save it again as "
                         ".docx, or export it as PDF.")
    if kind is Kind.BINARY and suffix in (".pdf", ".docx"):
        raise InputError(
            f"{name} is not a real {suffix[1:].upper()} (its content is unrecognised binary data) — "
            f"export it again; supported formats: {SUPPORTED}."
        )
    if kind is Kind.TEXT and _is_html(data[:2048]):
        raise InputError(f"{name} is a web page (HTML), which is not supported — save the page's text or a PDF; supported formats: {SUPPORTED}.")
    if kind in DESCRIPTION:
        what = DESCRIPTION[kind]
        tip = " (save it as .docx or PDF first)" if kind in (Kind.DOC, Kind.ODT, Kind.RTF) else ""
        if kind is Kind.IMAGE:
            tip = " (a picture of a resume has no text; export the original as PDF or DOCX)"
        raise InputError(f"{name} is {what}, which is not supported{tip} — supported formats: {SUPPORTED}.")
    return data, kind


def read_document(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, progress: PageProgress | None = None
) -> ExtractedText:
    """Extract the text of a PDF, DOCX, Markdown, plain-text or JSON Resume file (format sniffed from bytes).
    `progress(page, pages)` is called before each page of a scanned PDF read by OCR."""
    path = Path(path).expanduser()
    data, kind = _checked_bytes(path, max_bytes)
    if kind is Kind.JSON:  # the resume's text as it reads (what verification compares against)
        resume = _json_resume(path, data)
        return ExtractedText(text=resume.full_text(), source_format=SourceFormat.JSON_RESUME, warnings=resume.warnings)
    return _extract(path, data, kind, progress)


def _extract(path: Path, data: bytes, kind: Kind, progress: PageProgress | None = None) -> ExtractedText:
    name = path.name
    warnings: list[str] = []
    mismatch = extension_mismatch(path, kind)
    try:
        if kind is Kind.PDF:
            from resume_tui.documents.readers.pdf import read_pdf

            extracted = read_pdf(data, name, progress)
        elif kind is Kind.DOCX:
            from resume_tui.documents.readers.docx import read_docx

            extracted = read_docx(data, name)
        else:
            from resume_tui.documents.readers.text import as_markdown, read_text

            extracted = read_text(data, SourceFormat.TEXT, name)
            if _looks_markdown(path, extracted.text):
                as_markdown(extracted)
            quality = assess(extracted.text)
            if quality.bad_ratio > 0.05:
                raise InputError(f"{name} is a binary file, not readable text — supported formats: {SUPPORTED}.")
    except InputError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise InputError(f"{name} is too complex to read — export it again as a simpler PDF or DOCX.") from exc
    except Exception as exc:  # a reader bug or library failure must still be one clear sentence
        raise InputError(f"{name} could not be read ({type(exc).__name__}) — export it again as PDF or DOCX.") from exc
    if mismatch:
        warnings.append(mismatch)
    removed = _strip_controls(extracted, name)
    if removed:
        warnings.append(removed)
    extracted.warnings = warnings + extracted.warnings
    return extracted


def _strip_controls(extracted: ExtractedText, name: str) -> str | None:
    """Drop escape sequences and control characters (newlines kept, so line metadata still
    lines up); spans of a changed line are dropped since their offsets moved. Returns the
    warning naming what was removed, or None."""
    text, removed = clean_text(extracted.text)
    if not removed:
        return None
    old_lines, new_lines = extracted.text.split("\n"), text.split("\n")
    if len(old_lines) == len(new_lines) and len(extracted.spans) == len(new_lines):
        extracted.spans = [spans if a == b else [] for a, b, spans in zip(old_lines, new_lines, extracted.spans)]
    extracted.text = text
    return describe_removed(removed, name)


def _to_resume(extracted: ExtractedText, source_path: str | None) -> Resume:
    raw_lines = extracted.text.split("\n")
    if len(raw_lines) > MAX_RESUME_LINES:
        # Segmentation and every later step work per line; a long resume has a few hundred.
        where = Path(source_path).name if source_path else "The resume text"
        raise InputError(
            f"{where} has {len(raw_lines):,} lines, over the {MAX_RESUME_LINES:,}-line limit for a resume — "
            "load only the resume itself."
        )
    origins = extracted.lines if len(extracted.lines) == len(raw_lines) else [Origin(line=i + 1) for i in range(len(raw_lines))]
    hints: list[str | None] = extracted.hints if len(extracted.hints) == len(raw_lines) else [None] * len(raw_lines)
    spans = extracted.spans if len(extracted.spans) == len(raw_lines) else [[] for _ in raw_lines]
    repairs: list[str] = []
    lines, urls = prepare_lines(raw_lines, origins, hints, spans, extracted.source_format, repairs)
    result = segment(lines, extracted.source_format, extra_links=list(extracted.links) + urls)
    return Resume(
        contact=result.contact,
        sections=result.sections,
        source_format=extracted.source_format,
        source_path=source_path,
        warnings=list(extracted.warnings) + repairs + result.warnings,
        header_lines=result.header_lines,
    )


def parse_resume_text(
    text: str,
    *,
    source_format: SourceFormat = SourceFormat.TEXT,
    source_path: str | None = None,
) -> Resume:
    """Segment resume text already in memory (pasted text, Markdown, tests)."""
    text, removed = clean_text(normalize_newlines(text))
    if not text.strip():
        raise InputError("The resume text is empty — paste or load a resume with content.")
    extracted = ExtractedText(text=text, source_format=source_format)
    note = describe_removed(removed, "the resume text")
    if note:
        extracted.warnings.append(note)
    return _to_resume(extracted, source_path)


def load_resume(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, progress: PageProgress | None = None) -> Resume:
    """Read and segment a resume file of any supported format (a JSON Resume is mapped, not segmented;
    `progress`: see read_document)."""
    path = Path(path).expanduser()
    data, kind = _checked_bytes(path, max_bytes)
    if kind is Kind.JSON:
        return _json_resume(path, data)
    return _to_resume(_extract(path, data, kind, progress), str(path))


def _json_resume(path: Path, data: bytes) -> Resume:
    from resume_tui.documents.readers.jsonresume import read_jsonresume

    try:
        resume = read_jsonresume(data, path.name, str(path)).resume
    except InputError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise InputError(f"{path.name} is too complex to read as a JSON Resume.") from exc
    mismatch = extension_mismatch(path, Kind.JSON)
    resume.warnings = ([mismatch] if mismatch else []) + resume.warnings
    return resume
