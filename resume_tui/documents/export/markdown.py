"""Markdown: headings for name/sections/roles, `-` bullets — the shape the bundled sample uses."""

from __future__ import annotations

import re

from resume_tui.models import ItemKind, Resume

from ._layout import Block, layout_of, runs

# Characters Markdown would read as inline markup (emphasis, links, code, escapes).
_INLINE = re.compile(r"([\\`*\[\]])|(?<=_)_|_(?=_)")
# A line start that Markdown would read as structure (heading, list, quote, numbered item, rule).
_LEADING = re.compile(r"^(#|[-+>]|\d+[.)])(?=\s|$|#)")


# Raw HTML passes through Markdown renderers: "<script>", "<iframe>" or "<!--" in resume text
# must show as text, so a "<" that could open a tag and an "&" that could start an entity
# are written as entities (the read-back check unescapes them).
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def _escape_inline(text: str) -> str:
    text = _ENTITY.sub("&amp;", text)
    text = _TAG_OPEN.sub("&lt;", text)
    return _INLINE.sub(lambda m: "\\" + m.group(0), text)


def _escape_line(text: str) -> str:
    """Escape a whole line: inline markup, then a leading marker that would make it a heading or list."""
    return _escape_lead(_escape_inline(text))


def _inline(block: Block) -> str:
    """Item text with its bold/italic spans as ** / *, everything else escaped."""
    out = []
    for inner, span in runs(block):
        if span is None:
            out.append(_escape_inline(inner))
            continue
        core = inner.strip()
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        mark = "**" if span.bold else "*" if span.italic else ""
        out.append(f"{lead}{mark}{_escape_inline(core)}{mark}{trail}" if core else inner)
    return "".join(out)


def _escape_lead(text: str) -> str:
    match = _LEADING.match(text)
    if not match:
        return text
    marker = match.group(1)
    escaped = marker[:-1] + "\\" + marker[-1] if marker[-1] in ".)" else "\\" + marker
    return escaped + text[len(marker) :]


def render_markdown(resume: Resume, *, spans: bool = True) -> bytes:
    layout = layout_of(resume)
    out: list[str] = []
    if layout.name:
        out += [f"# {_escape_inline(layout.name)}", ""]
    if layout.contact_lines:
        out += ["  \n".join(_escape_line(line) for line in layout.contact_lines), ""]
    for section in layout.sections:
        if section.title:
            out += [f"## {_escape_inline(section.title)}", ""]
        previous = None
        for block in section.items:
            text = _inline(block) if spans and block.kind != ItemKind.ROLE else _escape_inline(block.text)
            if block.kind == ItemKind.ROLE:
                if previous is not None:
                    out.append("")
                out += [f"### {text}", ""]
            elif block.kind == ItemKind.BULLET:
                out.append(f"- {text}")
            else:
                if previous == ItemKind.BULLET:
                    out.append("")
                out += [_escape_lead(text), ""]
            previous = block.kind
        if out and out[-1] != "":
            out.append("")
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")
