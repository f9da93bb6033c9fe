"""Markdown: headings for name/sections/roles, `-` bullets — the shape the bundled sample uses."""

from __future__ import annotations

import re

from resume_tui.models import ItemKind, Resume

from ._layout import Block, layout_of

# A line that Markdown would read as structure (heading, list, quote, rule, numbered item).
_STRUCTURAL = re.compile(r"^(#|[-*+>]\s|\d+[.)]\s|[-*_]{3,}\s*$|=+\s*$)")


def _escape(text: str) -> str:
    return "\\" + text if _STRUCTURAL.match(text) else text


def _inline(block: Block) -> str:
    """Item text with its bold/italic spans as ** / *; characters Markdown would eat are escaped."""
    text = block.text
    if not block.spans:
        return text
    out, pos = [], 0
    for span in block.spans:
        out.append(text[pos : span.start])
        inner = text[span.start : span.end]
        core = inner.strip()
        if core and "*" not in core and (span.bold or span.italic):
            mark = "**" if span.bold else "*"
            lead = inner[: len(inner) - len(inner.lstrip())]
            trail = inner[len(inner.rstrip()) :]
            inner = f"{lead}{mark}{core}{mark}{trail}"
        out.append(inner)
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def render_markdown(resume: Resume, *, spans: bool = False) -> bytes:
    layout = layout_of(resume)
    out: list[str] = []
    if layout.name:
        out += [f"# {layout.name}", ""]
    if layout.contact_lines:
        out += ["  \n".join(_escape(line) for line in layout.contact_lines), ""]
    for section in layout.sections:
        if section.title:
            out += [f"## {section.title}", ""]
        previous = None
        for block in section.items:
            text = _inline(block) if spans else block.text
            if block.kind == ItemKind.ROLE:
                if previous is not None:
                    out.append("")
                out += [f"### {text}", ""]
            elif block.kind == ItemKind.BULLET:
                out.append(f"- {text}")
            else:
                if previous == ItemKind.BULLET:
                    out.append("")
                out += [_escape(text), ""]
            previous = block.kind
        if out and out[-1] != "":
            out.append("")
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")
