"""A job posting from anywhere: a link, a saved web page, JSON, Markdown with front matter,
PDF, DOCX or plain text — one entry point for the CLI and the Job screen.

`load_posting(source, settings)` takes a path or an http(s) URL; `posting_from_text` takes
text already in memory (stdin, a paste). Both return a `Posting` whose `text` is what the
requirement parser reads (structured fields rendered as Markdown headings and bullets),
plus the title and company when the source states them. Whether the posting holds enough
to analyse is decided above this layer, where requirements are parsed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from resume_tui.documents.postings.fetch import (
    MAX_PAGE_BYTES,
    FetchedPage,
    fetch_page,
    is_url,
    offline_refusal,
)
from resume_tui.errors import InputError
from resume_tui.models import SourceFormat

__all__ = ["Posting", "fetch_page", "is_url", "load_posting", "offline_refusal", "posting_from_text"]

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


@dataclass
class Posting:
    text: str
    title: str | None
    company: str | None
    source_format: SourceFormat  # how the parser should read `text`
    warnings: list[str] = field(default_factory=list)
    label: str = "text"  # what the source was, for messages: "web page", "JSON-LD JobPosting", "PDF", …
    source_path: str | None = None  # the path or URL it came from
    fetched_at: str | None = None  # ISO time, for a URL

    def record(self) -> dict[str, Any]:
        """What a session stores so a re-run need not fetch again (the text is the job's)."""
        return {"url": self.source_path, "fetched_at": self.fetched_at, "format": self.label,
                "title": self.title, "company": self.company}


def _looks_html(head: str) -> bool:
    lowered = head.lstrip("\ufeff \t\r\n").lower()
    return lowered.startswith(("<!doctype html", "<html")) or (lowered.startswith("<") and "<body" in lowered[:4096])


def posting_from_text(text: str, *, where: str, source_format: SourceFormat = SourceFormat.TEXT,
                      warnings: list[str] | None = None, is_json: bool = False) -> Posting:
    """Recognise JSON, HTML or front-matter Markdown in text; anything else is the posting as is."""
    from resume_tui.documents.postings.html import html_posting
    from resume_tui.documents.postings.structured import (
        front_matter_posting,
        json_posting,
    )

    notes = list(warnings or [])
    stripped = text.lstrip("\ufeff \t\r\n")
    if is_json or (stripped.startswith(("{", "[")) and stripped.rstrip().endswith(("}", "]"))):
        body, title, company, label = json_posting(stripped, where=where)
        return Posting(body, title, company, SourceFormat.MARKDOWN, notes, label)
    if _looks_html(stripped[:4096]):
        body, title, company, label = html_posting(stripped, where=where)
        return Posting(body, title, company, SourceFormat.MARKDOWN, notes, label)
    front = front_matter_posting(text, where=where)
    if front is not None:
        body, title, company, more = front
        return Posting(body, title, company, SourceFormat.MARKDOWN, notes + more, "Markdown with front matter")
    return Posting(text, None, None, source_format, notes, "Markdown" if source_format == SourceFormat.MARKDOWN else "text")


def _from_page(page: FetchedPage) -> Posting:
    from resume_tui.documents.postings.fetch import _host
    from resume_tui.documents.postings.html import html_posting

    where = f"The page at {_host(page.final_url)}"
    if page.kind == "html":
        text, title, company, label = html_posting(page.body, where=where, charset=page.charset)
        return Posting(text, title, company, SourceFormat.MARKDOWN, [], label)
    if page.kind in ("pdf", "docx"):
        try:
            if page.kind == "pdf":
                from resume_tui.documents.readers.pdf import read_pdf

                extracted = read_pdf(page.body, "posting.pdf")
            else:
                from resume_tui.documents.readers.docx import read_docx

                extracted = read_docx(page.body, "posting.docx")
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - a reader failure on a downloaded file: one sentence, no traceback
            raise InputError(f"{where} is a {page.kind.upper()} that could not be read ({type(exc).__name__}) — "
                             "download it and export it again.") from None
        from resume_tui.textsafe import clean_text

        return Posting(clean_text(extracted.text)[0], None, None, extracted.source_format, list(extracted.warnings),
                       page.kind.upper())
    try:
        decoded = page.body.decode(page.charset or "utf-8", "replace")
    except LookupError:  # a charset name Python does not know
        decoded = page.body.decode("utf-8", "replace")
    return posting_from_text(decoded, where=where, is_json=page.kind == "json")


def load_posting(source: str, settings: Any = None, *, offline: bool = False,
                 fetch: Any = fetch_page) -> Posting:
    """Read a posting from a path or an http(s) URL (fetched unless `offline`)."""
    max_bytes = int(getattr(settings, "max_file_bytes", 10 * 1024 * 1024))
    if is_url(source):
        page = fetch(source.strip(), offline=offline, max_bytes=min(MAX_PAGE_BYTES, max_bytes))
        posting = _from_page(page)
        posting.source_path = source.strip()
        posting.fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        if page.final_url != page.url:
            posting.warnings.append(f"The link led to {page.final_url}; the posting was read from there.")
        return posting
    return _load_file(Path(source).expanduser(), max_bytes)


def _load_file(path: Path, max_bytes: int) -> Posting:
    from resume_tui.documents.ingest import _stat, read_document

    _stat(path, max_bytes)  # missing, folder, empty or too big: the same sentences as for a resume
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror or 'I/O error'}) — check the file and try again.") from None
    head_text = head.decode("utf-8", "ignore")
    if suffix in _HTML_SUFFIXES or suffix == ".json" or _looks_html(head_text) or head_text.lstrip("\ufeff \t\r\n").startswith("{"):
        from resume_tui.documents.readers.text import read_text

        data = path.read_bytes()[: max_bytes + 1]
        extracted = read_text(data, SourceFormat.TEXT, path.name)
        from resume_tui.textsafe import clean_text

        posting = posting_from_text(clean_text(extracted.text)[0], where=path.name, warnings=list(extracted.warnings),
                                    is_json=suffix == ".json")
    else:
        extracted = read_document(path, max_bytes=max_bytes)
        posting = posting_from_text(extracted.text, where=path.name, source_format=extracted.source_format,
                                    warnings=list(extracted.warnings))
        if extracted.source_format in (SourceFormat.PDF, SourceFormat.DOCX):
            posting.label = extracted.source_format.value.upper()
    posting.source_path = str(path)
    return posting
