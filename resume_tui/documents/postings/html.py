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

import html as html_lib
import json
import re
from typing import Any

from resume_tui.errors import InputError

_BLOCK = {"p", "div", "section", "article", "main", "ul", "ol", "li", "table", "tr", "dl", "dt", "dd",
          "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "header", "footer", "figure"}
_DROP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "nav", "aside", "form", "button",
              "dialog", "select", "input", "textarea", "object", "embed", "canvas", "video", "audio", "img"}
_DROP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search", "menu"}
# class/id words that mark page chrome (compared word by word, so "job-header-title" survives)
_DROP_WORDS = {"cookie", "cookies", "consent", "gdpr", "navbar", "nav", "navigation", "menu", "breadcrumb",
               "breadcrumbs", "footer", "sidebar", "newsletter", "share", "sharing", "social", "modal", "popup",
               "skip", "banner", "onetrust", "cmp"}
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
MIN_MAIN_TEXT = 200  # characters: less than this is not a posting (a JavaScript shell, an error page)


def _parse(markup: str | bytes, charset: str | None = None) -> Any:
    import codecs

    import lxml.html
    from lxml import etree

    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:  # a charset name Python does not know: let the page's <meta> or UTF-8 decide
            charset = None
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                                  encoding=charset if isinstance(markup, bytes) and charset else None)
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError, LookupError):
        if isinstance(markup, bytes):  # unknown declared encoding: decode leniently and retry
            return _parse(markup.decode("utf-8", "replace"))
        raise
    return root


def _words(value: str | None) -> set[str]:
    return set(_WORD_SPLIT.split((value or "").lower())) - {""}


def _is_chrome(el: Any) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _DROP_TAGS:
        return True
    if (el.get("role") or "").lower() in _DROP_ROLES or el.get("aria-hidden") == "true" or el.get("hidden") is not None:
        return True
    if tag in ("header", "footer") and not any(a.tag in ("article", "main") for a in el.iterancestors()):
        return True
    return bool(_DROP_WORDS & (_words(el.get("class")) | _words(el.get("id"))))


def _strip_chrome(root: Any) -> None:
    for el in list(root.iter()):
        if el.getparent() is not None and _is_chrome(el):
            el.drop_tree()  # keeps the tail text, which belongs to the parent


def _render(el: Any, lines: list[str], buf: list[str], prefix: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""

    def flush() -> None:
        text = " ".join("".join(buf).split())
        buf.clear()
        if text:
            lines.append((prefix.pop() if prefix else "") + text)

    if tag in _BLOCK:
        flush()
    depth = len(prefix)
    if tag == "li":
        prefix.append("- ")
    elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
        prefix.append("#" * int(tag[1]) + " ")
    if el.text:
        buf.append(el.text)
    for child in el:
        _render(child, lines, buf, prefix)
        if child.tail:
            buf.append(child.tail)
    if tag in _BLOCK:
        flush()
        del prefix[depth:]  # an empty item or heading leaves no prefix behind
        if tag in ("p", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section", "blockquote"):
            lines.append("")
    elif tag in ("td", "th", "span", "a", "strong", "b", "em", "i") and buf and not buf[-1].endswith(" "):
        buf.append(" ")


def element_text(el: Any) -> str:
    """Markdown-ish text of an element: headings as `#`, list items as `- `, blank lines between blocks."""
    lines: list[str] = []
    buf: list[str] = []
    _render(el, lines, buf, [])
    text = " ".join("".join(buf).split())
    if text:
        lines.append(text)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a JSON-LD description); plain text passes through unescaped."""
    if "<" not in fragment:
        return html_lib.unescape(fragment).strip()
    root = _parse(f"<html><body><div>{fragment}</div></body></html>")
    _strip_chrome(root)
    return element_text(root.find("body") if root.find("body") is not None else root)


def _ld_objects(root: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").split(";")[0].strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, RecursionError):
            continue
        stack = [data]
        while stack and len(found) < 50:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                found.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))
    return found


def find_job_posting(objects: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first schema.org JobPosting among JSON-LD objects (its @type may be a list)."""
    for obj in objects:
        kind = obj.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and k.rsplit("/", 1)[-1] == "JobPosting" for k in kinds):
            return obj
    return None


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
        from resume_tui.documents.postings.structured import job_posting_text

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
