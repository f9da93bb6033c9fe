"""What every renderer draws: the header block and the sections, derived once from a Resume.

Renderers stay dumb (they only lay out blocks) so that all formats say the same words
in the same order — which is what verification checks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from resume_tui.models import Item, ItemKind, Origin, Resume, TextSpan

_SPACE = re.compile(r"\s+")


def norm(text: str) -> str:
    """Comparison form: NFKC, one space between words, casefolded."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


@dataclass
class Block:
    kind: ItemKind
    text: str
    spans: list[TextSpan] = field(default_factory=list)
    origin: Origin | None = None  # where the item was in the source (the PDF draws it with that paragraph's look)
    # A line written with tabs ("Engineer<tab>2019 – 2023"): (tabs before, text) per part, the parts
    # joined by one space being `text`; the DOCX-look PDF puts each part at its tab stop.
    segments: list[tuple[int, str]] = field(default_factory=list)


def runs(block: Block) -> Iterator[tuple[str, TextSpan | None]]:
    """The block's text in order, in pieces: each span's text with its span, the text between with None
    (empty pieces left out). Every renderer draws formatting from this one walk."""
    text, pos = block.text, 0
    for span in block.spans:
        if span.start > pos:
            yield text[pos : span.start], None
        yield text[span.start : span.end], span
        pos = span.end
    if pos < len(text):
        yield text[pos:], None


@dataclass
class SectionBlock:
    title: str
    items: list[Block]
    origin: Origin | None = None  # where the heading was


@dataclass
class Layout:
    name: str
    contact_lines: list[str]
    sections: list[SectionBlock]


def clean(text: str) -> str:
    """One line of text: no control characters, no stray newlines inside an item."""
    text = "".join(ch if ch in "\t\n" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return _SPACE.sub(" ", text).strip()


def valid_spans(item: Item, text: str) -> list[TextSpan]:
    """Spans that still fit the (possibly rewritten) text; stale ones are dropped, not guessed.

    Word splits a phrase into runs at every edit ("Process" · " " · "Improvement"), so spans with the
    same formatting separated only by spaces are merged: one **Process Improvement**, not two bold
    words — which reads as written and keeps the phrase whole for keyword matching."""
    spans = sorted((s for s in item.spans if 0 <= s.start < s.end <= len(text)), key=lambda s: s.start)
    out: list[TextSpan] = []
    for span in spans:
        if out and span.start < out[-1].end:
            continue
        last = out[-1] if out else None
        if last is not None and _same_format(last, span) and not text[last.end : span.start].strip():
            out[-1] = last.model_copy(update={"end": span.end})
            continue
        out.append(span)
    return out


def _same_format(a: TextSpan, b: TextSpan) -> bool:
    return (a.bold, a.italic, a.underline) == (b.bold, b.italic, b.underline)


def layout_of(resume: Resume) -> Layout:
    contact = resume.contact
    lines = [clean(line) for line in resume.header_lines if clean(line)]
    name = clean(contact.name or "")
    if name:
        for i, line in enumerate(lines):
            if norm(line) == norm(name):
                lines.pop(i)
                break
            if i == 0 and norm(name) in norm(line) and len(line) <= len(name) + 40:
                name = line  # "Maya Okafor, MSc" — keep the line as written
                lines.pop(0)
                break
    # Contact details known to the model but missing from the header lines are added, never dropped.
    # (Looked for in the whole resume: a reader may have left the contact line inside the first section.)
    everywhere = lines + [s.title for s in resume.sections] + [i.text for i in resume.items()]
    extra = [
        value
        for value in (contact.email, contact.phone, contact.location, *[u for u in contact.links if _profile_link(u)][:4])
        if value and not _mentioned(value, everywhere)
    ]
    if extra:
        lines.append(" · ".join(clean(v) for v in extra))
    sections = []
    for section in resume.sections:
        blocks = []
        for item in section.items:
            text = clean(item.text)
            if text:
                spans = valid_spans(item, text) if text == item.text else []
                blocks.append(Block(item.kind, text, spans, item.origin, _segments(item.text, text)))
        sections.append(SectionBlock(clean(section.title), blocks, section.origin))
    return Layout(name=name, contact_lines=lines, sections=sections)


def _segments(raw: str, text: str) -> list[tuple[int, str]]:
    """The tab-separated parts of `raw` with the number of tabs before each, when they make up `text`."""
    if "\t" not in raw.strip():
        return []
    parts: list[tuple[int, str]] = []
    tabs = 0
    for chunk in re.split(r"(\t+)", raw.strip()):
        if chunk.startswith("\t"):
            tabs = len(chunk)
        elif clean(chunk):
            parts.append((tabs if parts else 0, clean(chunk)))
            tabs = 0
    return parts if len(parts) > 1 and " ".join(part for _, part in parts) == text else []


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _mentioned(value: str, lines: list[str]) -> bool:
    joined = norm(" ".join(lines))
    if norm(value) in joined:
        return True
    digits = _digits(value)
    return len(digits) >= 6 and digits in _digits(joined)


def _profile_link(url: str) -> bool:
    """A personal/profile address (site root, github.com/user, linkedin.com/in/user), not a project page."""
    bare = re.sub(r"^[a-z]+://", "", url.strip(), flags=re.I).split("?", 1)[0].split("#", 1)[0].rstrip("/")
    if bare.lower().startswith("mailto:"):
        return False
    parts = bare.split("/")
    host = parts[0].lower().removeprefix("www.")
    path = parts[1:]
    if host.endswith("linkedin.com"):
        return len(path) == 2 and path[0] in ("in", "pub")
    return len(path) <= 1
