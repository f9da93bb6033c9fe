"""A section's lines → items: bullets, role lines and paragraphs, with wrapped lines joined.

Every non-empty line ends up in exactly one item, so nothing a user wrote is silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resume_tui.documents.contact import EMAIL, URL
from resume_tui.documents.segment.dates import DATE, LEADING_DATE, _date_only, is_role_line
from resume_tui.documents.segment.lines import (
    _CONNECTORS,
    _INLINE_GLYPHS,
    MAX_PATTERN_LINE,
    Line,
)
from resume_tui.documents.vocabulary import ROLE_NOUNS
from resume_tui.models import (
    Item,
    ItemKind,
    Origin,
    SectionKind,
    SourceFormat,
    TextSpan,
)

_ROLE_SECTIONS = frozenset(
    {SectionKind.EXPERIENCE, SectionKind.EDUCATION, SectionKind.PROJECTS, SectionKind.VOLUNTEERING, SectionKind.OTHER}
)


_LIST_SECTIONS = frozenset(
    {SectionKind.SKILLS, SectionKind.LANGUAGES, SectionKind.INTERESTS, SectionKind.CERTIFICATIONS, SectionKind.AWARDS}
)


@dataclass
class _Builder:
    kind: ItemKind
    parts: list[str]
    origin: Origin
    spans: list[TextSpan]
    glyph: str | None = None
    joinable: bool = True
    last_len: int = 0  # length of the last physical line (a full line suggests a wrap)
    opens: bool = False  # starts a block (after a blank line or at the section's start)
    depth: int = 0  # 1: a bullet indented under the bullet above it

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _join_reason(
    builder: _Builder,
    line: Line,
    source_format: SourceFormat,
    wrap: int = 0,
    prose: bool = False,
    listy: bool = False,
) -> str | None:
    """How `line` continues `builder` ("space", "tight") or None when it starts a new item."""
    if source_format == SourceFormat.DOCX:
        return _soft_break_continues(builder, line)
    if not builder.joinable or line.bullet or line.hint:
        return None
    prev = builder.text
    text = line.text
    if len(prev) > 4000 or len(text) > MAX_PATTERN_LINE * 4:
        return None
    first = text[0]
    if EMAIL.match(text) or URL.match(text):
        return None  # a contact detail on its own line is never a wrapped continuation
    if source_format == SourceFormat.PDF and len(prev) >= 2 and prev[-1] == "-" and prev[-2].isalpha() and first.islower():
        return "tight"
    last_word = prev.rsplit(" ", 1)[-1]  # as written: "Portland, OR" ends in a state, not in "or"
    if prev[-1] in ",;&/–-(" or last_word in _CONNECTORS or (first == "(" and prev[-1] not in ".!?:"):
        return "space"
    if is_role_line(text) and builder.kind != ItemKind.ROLE:
        return None
    if LEADING_DATE.match(text):
        return None  # "4/2020 Mis le projet MathPy": a timeline's next dated item, not a wrapped line
    if first.islower():
        # In list-like sections ("numpy" / "pandas" one per line) only a long previous
        # line means a wrap.
        if not listy or (wrap > 0 and builder.last_len >= 0.6 * wrap):
            return "space"
        return None
    full_line = source_format == SourceFormat.PDF and wrap > 0 and builder.last_len >= 0.7 * wrap
    if builder.kind == ItemKind.BULLET and prev[-1] not in ".!?:" and builder.glyph != "list":
        if full_line or line.indent > 0:
            return "space"
    if builder.kind == ItemKind.LINE and prev[-1] not in ".!?:" and full_line:
        # A hard-wrapped PDF paragraph whose next line starts with a capital: only for
        # prose (summary, or long lines with many words), never for lists of entries.
        if prose or (builder.last_len >= 0.9 * wrap and len(prev.split()) >= 8):
            return "space"
    return None


def _soft_break_continues(builder: _Builder, line: Line) -> str | None:
    """A DOCX line after a soft break in the same paragraph continues the sentence ("…Designed and" /
    "tested platform integrations…") when the first part ends mid-phrase or the second starts in lower case."""
    if not builder.joinable or line.hint or len(builder.text) > 4000:
        return None
    same = builder.origin.paragraph is not None and builder.origin.paragraph == line.origin.paragraph
    if not same or builder.origin.table != line.origin.table or builder.origin.part != line.origin.part:
        return None
    prev, text = builder.text, line.text
    last_word = prev.rsplit(" ", 1)[-1]
    if prev[-1] in ",;&/(" or last_word in _CONNECTORS or (text[0].islower() and prev[-1] not in ".!?:"):
        return "space"
    return None


def _split_inline_bullets(text: str, glyph: str | None) -> list[str]:
    """r06-style "⋄ one ⋄ two" lines: split at the glyph the bullets use."""
    if glyph is None or glyph not in _INLINE_GLYPHS or len(text) > MAX_PATTERN_LINE * 4:
        return [text]
    parts = [p.strip() for p in text.split(f" {glyph} ")]
    return [p for p in parts if p] or [text]


_SUFFIXES = ("tion", "sion", "ing", "ence", "ance", "ment", "ity", "ities", "ies", "ly", "ed", "er", "ers", "al", "ive", "ous", "ful", "ure", "ize", "ise", "ic", "ics", "ist", "ism", "ate", "able", "ible", "ness")
_WORD_CHARS = re.compile(r"[^\W\d_]+")


def _dehyphenate(prev: str, nxt: str, vocabulary: frozenset[str]) -> str:
    """Join a PDF line-end hyphenation: "experi-" + "ence" → "experience", but keep real
    compounds ("data-" + "driven"). The document's own words decide first."""
    head_match = _WORD_CHARS.findall(prev[-40:])
    tail_match = _WORD_CHARS.match(nxt)
    head = head_match[-1].lower() if head_match else ""
    tail = tail_match.group(0).lower() if tail_match else ""
    if head and tail:
        if f"{head}-{tail}" in vocabulary:
            return prev + nxt
        if head + tail in vocabulary or tail.endswith(_SUFFIXES) and len(tail) <= 6:
            return prev[:-1] + nxt
    return prev + nxt


def document_vocabulary(lines: list[Line]) -> frozenset[str]:
    words: set[str] = set()
    for line in lines:
        if len(line.text) <= MAX_PATTERN_LINE * 4:
            words.update(w.strip(".,;:()[]\"'").lower() for w in line.text.split())
            words.update(w.lower() for w in _WORD_CHARS.findall(line.text))
    return frozenset(words)


def build_items(
    lines: list[Line],
    section_id: str,
    kind: SectionKind,
    source_format: SourceFormat,
    vocabulary: frozenset[str] = frozenset(),
    wrap: int = 0,
) -> list[Item]:
    builders: list[_Builder] = []
    current: _Builder | None = None
    base_indent: int | None = None  # the indentation of the section's top-level bullets
    role_sections = kind in _ROLE_SECTIONS
    own = sorted(len(ln.text) for ln in lines if ln.text and len(ln.text) <= MAX_PATTERN_LINE)
    if kind == SectionKind.SUMMARY and len(own) >= 5:
        # Prose in a sidebar wraps narrower than the page's main column; lists elsewhere
        # must not be measured against their own short lines (they would all look "full").
        wrap = own[int(len(own) * 0.9)]
    for index, line in enumerate(lines):
        if line.blank:
            current = None
            continue
        text = line.text
        reason = (
            _join_reason(current, line, source_format, wrap, kind == SectionKind.SUMMARY, kind in _LIST_SECTIONS)
            if current
            else None
        )
        if reason == "space" and role_sections and _heads_dates(lines, index):
            # "Marsshine Engineering, Office Manager" above "Sep. 2015 – Aug. 2019" opens the next
            # entry; it is not the wrapped end of the bullet before it.
            reason = None
        glyph = current.glyph if current else None
        if reason is not None and current is not None:
            pieces = _split_inline_bullets(text, glyph) if glyph else [text]
            first_piece = pieces[0]
            if reason == "tight":
                joined = _dehyphenate(current.text, first_piece, vocabulary)
                current.parts = [joined]
            else:
                current.parts.append(" " + first_piece)
            current.last_len = len(text)
            if is_role_line(current.text) and current.kind == ItemKind.LINE and len(current.text) <= 200:
                current.kind = ItemKind.ROLE
            for piece in pieces[1:]:
                current = _Builder(ItemKind.BULLET, [piece], line.origin, [], glyph)
                builders.append(current)
            continue
        if line.bullet:
            glyph_now = line.bullet
            pieces = _split_inline_bullets(text, glyph_now) if source_format != SourceFormat.DOCX else [text]
            if base_indent is None:
                base_indent = line.indent
            parent = builders[-1] if builders else None
            nested = line.indent > base_indent and parent is not None and parent.kind is ItemKind.BULLET
            for n, piece in enumerate(pieces):
                current = _Builder(ItemKind.BULLET, [piece], line.origin, line.spans if n == 0 and len(pieces) == 1 else [], glyph_now)
                current.depth = 1 if nested else 0
                builders.append(current)
            if current is not None:
                current.last_len = len(text)
            continue
        if glyph and source_format != SourceFormat.DOCX and f" {glyph} " in text:
            pieces = _split_inline_bullets(text, glyph)
            for piece in pieces:
                current = _Builder(ItemKind.BULLET, [piece], line.origin, [], glyph)
                builders.append(current)
            continue
        item_kind = ItemKind.LINE
        if role_sections and (is_role_line(text) or (line.level is not None) or (line.hint == "bold" and len(text) <= 200)):
            item_kind = ItemKind.ROLE
        opens = current is None  # after a blank line or at the section's start
        current = _Builder(item_kind, [text], line.origin, line.spans, last_len=len(text), opens=opens)
        builders.append(current)
    # A title line directly above a date-only line ("Acme Corp" / "Jan 2020 – Present").
    for prev, nxt in zip(builders, builders[1:]):
        if (
            role_sections
            and prev.kind == ItemKind.LINE
            and nxt.kind == ItemKind.ROLE
            and _date_only(nxt.text)
            and len(prev.text.split()) <= 14
            and not prev.text.endswith(".")
        ):
            prev.kind = ItemKind.ROLE
    # An employer line above a dated title line ("Contoso Ltd, Seattle, WA" / "Senior Engineer, 2020 – Present"),
    # when it opens a block or follows the previous role's bullets — never a detail line under a degree.
    for before, prev, nxt in zip([None, *builders], builders, builders[1:]):
        if (
            role_sections
            and prev.kind == ItemKind.LINE
            and nxt.kind == ItemKind.ROLE
            and DATE.search(nxt.text)
            and not DATE.search(prev.text)
            and len(prev.parts) == 1
            and len(prev.text.split()) <= 10
            and not prev.text.endswith((".", ":", ";"))
            and (prev.opens or before is None or before.kind == ItemKind.BULLET
                 or (_titled(prev.text) and before.kind != ItemKind.ROLE))  # not the title line of the header above
        ):
            prev.kind = ItemKind.ROLE
    # A short title line that opens a bullet list ("Digital Analyst, San Francisco").
    for prev, nxt in zip(builders, builders[1:]):
        if (
            role_sections
            and prev.kind == ItemKind.LINE
            and nxt.kind == ItemKind.BULLET
            and len(prev.parts) == 1
            and len(prev.text.split()) <= 10
            and not prev.text.endswith((".", ":", ";", ","))
        ):
            prev.kind = ItemKind.ROLE
    items = []
    for n, builder in enumerate(builders, start=1):
        text = builder.text
        spans = builder.spans if len(builder.parts) == 1 else [s for s in builder.spans if s.end <= len(builder.parts[0])]
        items.append(Item(id=f"{section_id}.{n}", text=text, kind=builder.kind, spans=spans, origin=builder.origin,
                          depth=builder.depth))
    return items


# ------------------------------------------------------------------ the document


_TITLE_SPLIT = re.compile(r"\s+[—–|@]\s+|\s+-\s+|\s+at\s+(?=[A-Z])")


def _heads_dates(lines: list[Line], index: int) -> bool:
    """The line at `index` is a short capitalised line and the next non-blank line is only dates."""
    text = lines[index].text
    if not text[:1].isupper() or len(text.split()) > 12 or text.rstrip().endswith((".", ",", ";")):
        return False
    following = next((ln for ln in lines[index + 1 : index + 3] if not ln.blank), None)
    return following is not None and len(following.text) <= 60 and _date_only(following.text)


def _titled(text: str) -> bool:
    """"Cloud Engineer — Stena Metall AB": a job title and an employer joined by a dash, bar or "at"."""
    parts = _TITLE_SPLIT.split(text, maxsplit=1)
    if len(parts) != 2 or len(text.split()) > 12:
        return False
    words = [w.lower().strip("(),") for w in parts[0].split()]
    return any(w in ROLE_NOUNS for w in words) and parts[1][:1].isupper()
