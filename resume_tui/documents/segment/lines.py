"""Raw extracted lines → `Line`s: inline markup stripped, bullets and heading hints recorded,
extraction artefacts repaired (icon glyphs, letter-spaced words, doubled text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from resume_tui.documents.readers.cleanup import (
    collapse_repeats,
    join_letter_spaced,
    strip_icon_junk,
)
from resume_tui.documents.section_names import MAX_HEADING, section_kind_for_heading
from resume_tui.documents.segment.heading_shapes import join_wrapped_headings, split_run_in, undecorate
from resume_tui.documents.segment.links import join_wrapped_links
from resume_tui.models import Origin, SectionKind, SourceFormat, TextSpan

MAX_PATTERN_LINE = 300  # lines longer than this skip role/heading/contact checks

# ------------------------------------------------------------------ line markup

# Bullet glyphs, including the Symbol/Wingdings private-use code points Word PDFs carry.
_GLYPHS = "•·▪‣◦●○■□►▸▶➢➤✓✔❖⋄◆♦◊∙→»❑◼\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf0e0"
_BULLET = re.compile(rf"^[ \t]*(?:[{_GLYPHS}–—*+-]|\d{{1,3}}[.)]|\(\d{{1,3}}\))[ \t]+(?=\S)")
_BULLET_ONLY = re.compile(rf"^[ \t]*[{_GLYPHS}][ \t]*$")
_RULE = re.compile(r"^[ \t]*([-=_*~#.·•])(?:[ \t]*\1){2,}[ \t]*$")
_INLINE_GLYPHS = "•⋄▪●◆♦■❖➢➤►\uf0b7\uf0a7"
_MD_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_MD_LINK = re.compile(r"!?\[([^\]\n]{0,300})\]\(([^)\s]{0,500})\)")
_MD_EMPHASIS = re.compile(
    r"(\*\*|__)(?=\S)(.{1,500}?)(?<=\S)\1|(?<![\w*])\*(?=[^\s*])([^*\n]{1,300}?)(?<=\S)\*(?![\w*])"
)
_INLINE_HEADING = re.compile(r"^([A-Z][A-Z &/-]{2,40}):[ \t]+(\S.*)$")
_CONNECTORS = frozenset("and or of the to in for with on at by a an as from including via &".split())


@dataclass
class Line:
    text: str
    origin: Origin
    hint: str | None = None  # "h1".."h6", "bold", "bullet"
    spans: list[TextSpan] = field(default_factory=list)
    bullet: str | None = None  # the marker ("•", "1.", "docx") when the line is a list item
    indent: int = 0

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def level(self) -> int | None:
        return int(self.hint[1]) if self.hint and self.hint[0] == "h" else None


def _shift_spans(spans: list[TextSpan], cut: int, length: int) -> list[TextSpan]:
    out = []
    for span in spans:
        start, end = max(span.start - cut, 0), min(span.end - cut, length)
        if start < end:
            out.append(span.model_copy(update={"start": start, "end": end}))
    return out


def _markdown_inline(text: str) -> tuple[str, list[TextSpan], list[str]]:
    """Strip inline Markdown (links, **bold**, *italic*, escapes), returning spans and URLs."""
    if len(text) > 5_000:  # bounded work per line; such a line is not Markdown markup anyway
        return text, [], []
    urls: list[str] = []

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1).strip(), match.group(2)
        if url:
            urls.append(url)
        if not url or label == url:
            return label or url
        return f"{label} ({url})" if label else url

    # Escaped characters hide behind private-use placeholders so they are not markup.
    text = _MD_ESCAPE.sub(lambda m: chr(0xF0000 + ord(m.group(1))), text)
    text = _MD_LINK.sub(link, text)
    spans: list[TextSpan] = []
    out: list[str] = []
    length = 0
    pos = 0
    for match in _MD_EMPHASIS.finditer(text):
        before = text[pos : match.start()]
        out.append(before)
        length += len(before)
        bold = match.group(2) is not None
        inner = match.group(2) if bold else match.group(3)
        spans.append(TextSpan(start=length, end=length + len(inner), bold=bold, italic=not bold))
        out.append(inner)
        length += len(inner)
        pos = match.end()
    out.append(text[pos:])
    text = "".join(out)
    text = "".join(chr(ord(ch) - 0xF0000) if ord(ch) >= 0xF0000 else ch for ch in text)
    return text, spans, urls


def prepare_lines(
    raw_lines: list[str],
    origins: list[Origin],
    hints: list[str | None],
    spans: list[list[TextSpan]],
    source_format: SourceFormat,
    repairs: list[str] | None = None,
) -> tuple[list[Line], list[str]]:
    """Turn raw lines into `Line`s: markup stripped, bullets and heading hints recorded.

    Extraction artefacts are repaired on the way (icon glyphs before contact details,
    letter-spaced names, doubled text); what changed is described in `repairs`.
    """
    markdown = source_format == SourceFormat.MARKDOWN
    for join, what in ((join_wrapped_links, "A link"), (join_wrapped_headings, "A heading")):
        raw_lines, firsts, wrapped = join(raw_lines)
        if wrapped:
            origins, hints, spans = [origins[i] for i in firsts], [hints[i] for i in firsts], [spans[i] for i in firsts]
            if repairs is not None:
                repairs.append(f"{what} wrapped across two lines was joined on {len(wrapped)} line(s), e.g. {wrapped[0][:80]!r}.")
    doubled: list[str] = []
    spaced: list[str] = []
    icons: list[str] = []
    lines: list[Line] = []
    urls: list[str] = []
    pending_bullet: str | None = None
    for raw, origin, hint, line_spans in zip(raw_lines, origins, hints, spans):
        text = raw.rstrip()
        indent = len(text) - len(text.lstrip(" \t"))
        text = text.strip()
        line_spans = list(line_spans)
        if not text:
            lines.append(Line("", origin))
            continue
        if len(text) <= MAX_PATTERN_LINE and _RULE.match(text):
            # "-----" / "=====" under a short line underlines a heading; otherwise a separator.
            if lines and not lines[-1].blank and lines[-1].hint is None and len(lines[-1].text) <= MAX_HEADING:
                lines[-1].hint = "h1" if "=" in text else "h2"
            lines.append(Line("", origin))
            continue
        if len(text) <= MAX_PATTERN_LINE and _BULLET_ONLY.match(text):
            pending_bullet = text.strip()
            lines.append(Line("", origin))
            continue
        bullet: str | None = None
        decorated = hint is None and undecorate(text) is not None
        if markdown and len(text) <= 5_000:
            heading = _MD_HEADING.match(text)
            if heading:
                hint = f"h{len(heading.group(1))}"
                text = heading.group(2)
        if not (hint and hint.startswith("h")) and not decorated:
            # ("— Skills —" / "== EDUCACIÓN ==" is a decorated heading, kept whole, not a bullet.)
            match = _BULLET.match(text[:40])
            if match:
                bullet = match.group(0).strip()
                cut = match.end()
                text = text[cut:]
                line_spans = _shift_spans(line_spans, cut, len(text))
        if hint == "bullet":
            bullet = bullet or "list"
            hint = None
        if pending_bullet and bullet is None:
            bullet = pending_bullet
        pending_bullet = None
        if markdown:
            text, md_spans, found = _markdown_inline(text)
            urls.extend(found)
            line_spans = md_spans
            text = text.strip()
            if not text:
                lines.append(Line("", origin))
                continue
            if hint is None and _covers(text, md_spans):
                hint = "bold"
        text, line_spans = _repair(text, line_spans, doubled, spaced, icons)
        inline = _INLINE_HEADING.match(text) if (hint is None and bullet is None and len(text) <= MAX_PATTERN_LINE) else None
        if inline and source_format != SourceFormat.DOCX and section_kind_for_heading(inline.group(1)) not in (None, SectionKind.OTHER):
            # "SKILLS: Python, SQL" — a heading and its first item on one line.
            lines.append(Line(inline.group(1) + ":", origin, None, [], None, indent))
            lines.append(Line(inline.group(2), origin, None, [], None, indent))
            continue
        run_in = split_run_in(text) if (hint is None and bullet is None and source_format != SourceFormat.DOCX) else None
        if run_in is not None:
            # "APTITUDES Python, SQL" — an ALL-CAPS heading run into its first line.
            lines.append(Line(run_in[0], origin, None, [], None, indent))
            lines.append(Line(run_in[1], origin, None, [], None, indent))
            continue
        lines.append(Line(text, origin, hint, line_spans, bullet, indent))
    if repairs is not None and doubled:
        repairs.append(
            f"Duplicated text was removed from {len(doubled)} line(s) (a phrase repeated right after itself, as "
            f"LinkedIn copies produce), e.g. {doubled[0][:60]!r}."
        )
    if repairs is not None and icons:
        repairs.append(f"Icon-font glyphs before contact details were removed on {len(icons)} line(s), e.g. {icons[0][:60]!r}.")
    if repairs is not None and spaced:
        repairs.append(f"Letter-spaced words were joined on {len(spaced)} line(s), e.g. {spaced[0][:60]!r}.")
    return lines, urls



def _repair(
    text: str, spans: list[TextSpan], doubled: list[str], spaced: list[str], icons: list[str]
) -> tuple[str, list[TextSpan]]:
    """Apply the line repairs of `readers.cleanup`, keeping spans only where they still fit."""
    if len(text) > MAX_PATTERN_LINE * 20:
        return text, spans
    cleaned = strip_icon_junk(text)
    if cleaned != text:
        icons.append(text)
        cut = len(text) - len(cleaned) if text.endswith(cleaned) else None
        spans = _shift_spans(spans, cut, len(cleaned)) if cut is not None else []
        text = cleaned
    joined = join_letter_spaced(text)
    if joined != text:
        spaced.append(text)
        text, spans = joined, []
    collapsed, removed = collapse_repeats(text)
    if removed:
        doubled.append(removed[0][1].strip())
        first = removed[0][0]
        spans = [s.model_copy(update={"end": min(s.end, first)}) for s in spans if s.start < first]
        text = collapsed
    return text, spans


def _covers(text: str, spans: list[TextSpan]) -> bool:
    bold = [s for s in spans if s.bold]
    if not bold:
        return False
    covered = sum(s.end - s.start for s in bold)
    return covered >= len(text.strip("*_ :")) - 1


# ------------------------------------------------------------------ classification

