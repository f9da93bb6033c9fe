"""HTML → posting text: the schema.org `JobPosting` JSON-LD first, then the page's main text.

Parsing uses lxml's HTML parser (already installed with python-docx) with a short, explicit
list of what is never the posting: navigation, headers and footers outside the article,
cookie/consent banners, sidebars, forms, scripts. Job pages are mostly headings and
bullet lists; a generic article extractor tuned for news text tends to drop short list
items ("Terraform") or keep a cookie banner, while these rules keep every list item
inside `<main>`/`<article>` and drop the chrome around it. The text keeps its structure
as Markdown (`## Requirements`, `- bullet`) so the requirement parser sees headings and
bullets exactly as in a Markdown posting.
"""

from __future__ import annotations

from typing import Any

from resume_tui.documents.postings.markup import (
    MIN_MAIN_TEXT,
    _ld_objects,
    _parse,
    _strip_chrome,
    element_text,
    find_job_posting,
    html_to_text,
)
from resume_tui.documents.postings.structured import job_posting_text
from resume_tui.errors import InputError

__all__ = ["element_text", "find_job_posting", "html_posting", "html_to_text"]


def _meta(root: Any, *names: str) -> str | None:
    for name in names:
        for el in root.iter("meta"):
            if (el.get("property") or el.get("name") or "").lower() == name and (el.get("content") or "").strip():
                return " ".join(el.get("content").split())
    return None


def _main(root: Any) -> Any:
    body = root.find("body")
    scope = body if body is not None else root
    for xpath in (".//main", ".//*[@role='main']", ".//article"):
        hits = scope.xpath(xpath)
        if hits:
            return max(hits, key=lambda el: len(el.text_content()))
    return scope


def html_posting(markup: str | bytes, *, where: str, charset: str | None = None) -> tuple[str, str | None, str | None, str]:
    """(text, title, company, format label) of a job page; InputError for a login wall or a page
    with no posting text."""
    try:
        root = _parse(markup, charset)
    except Exception as exc:  # noqa: BLE001 - lxml raises several types on hostile markup; one sentence for all
        raise InputError(f"{where} is not a readable web page ({type(exc).__name__}) — save the posting's text instead.") from None
    job = find_job_posting(_ld_objects(root))
    if job is not None:
        text, title, company = job_posting_text(job)
        if text.strip():
            return text, title, company, "JSON-LD JobPosting"
    password = bool(root.xpath(".//input[translate(@type,'PASSWORD','password')='password']"))
    title = _meta(root, "og:title") or _first_text(root, "h1") or _first_text(root, "title")
    company = _meta(root, "og:site_name")
    _strip_chrome(root)
    text = element_text(_main(root))
    if password and len(text) < 2000:
        raise InputError(f"{where} shows a login form instead of the posting — open it in your browser, copy the "
                         "posting's text and paste it (or save it to a file).")
    if len(text) < MIN_MAIN_TEXT:
        raise InputError(f"{where} is not a job posting page: it has almost no text (it may need JavaScript to show "
                         "the posting) — copy the posting's text from your browser and paste it instead.")
    return text, title, company, "web page"


def _first_text(root: Any, tag: str) -> str | None:
    el = next(iter(root.iter(tag)), None)
    text = " ".join(el.text_content().split()) if el is not None else ""
    return text or None
