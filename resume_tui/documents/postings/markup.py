"""HTML → text, shared by the page reader and the JSON reader: parsing with lxml, dropping the page's
chrome (navigation, cookie banners, footers), rendering blocks as lines, and the JobPosting JSON-LD objects.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from typing import Any

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
