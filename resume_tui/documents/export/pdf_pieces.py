"""Which look each line of the resume gets: the paragraph it came from in the user's DOCX.

Items are matched to their source paragraph by origin (body paragraph index or table cell),
else by text (header lines, text boxes); a heading or item the tailoring added takes the look
of its neighbour of the same kind, or the most common look of that kind in the document.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from resume_tui.models import ItemKind, Origin

from ._layout import Block, Layout
from .docx_look import DocxLook, ParaLook


@dataclass
class Piece:
    """One line of the resume (a soft-broken line of its source paragraph) to draw."""

    text: str
    look: ParaLook
    key: tuple  # the source paragraph: pieces with the same key are one paragraph
    kind: ItemKind = ItemKind.LINE
    bold_spans: list[tuple[int, int, bool, bool]] = field(default_factory=list)  # (start, end, bold, italic)
    heading: bool = False  # kept on a page with what follows
    segments: list[tuple[int, str]] = field(default_factory=list)  # tab-separated parts (Block.segments)


def pieces_of(layout: Layout, look: DocxLook) -> list[Piece]:
    """Every line of the layout with the look of the paragraph it came from, in order."""
    out: list[Piece] = []
    by_kind: dict[ItemKind, Counter[ParaLook]] = {}
    head_lines = ([layout.name] if layout.name else []) + layout.contact_lines
    for n, line in enumerate(head_lines):
        found = look.by_text(line)
        fallback = _with(look.normal, bold=True, size=look.normal.size * 1.6) if n == 0 and layout.name else look.normal
        piece_look, key = found if found else (fallback, ("h", n))
        out.append(Piece(line, piece_look, key))
    titles: Counter[ParaLook] = Counter()
    for section in layout.sections:
        if section.title:
            found = _locate(look, section.title, section.origin)
            if found:
                titles[found[0]] += 1
        for block in section.items:
            found = _locate(look, block.text, block.origin)
            if found:
                by_kind.setdefault(block.kind, Counter())[found[0]] += 1
    default_title = titles.most_common(1)[0][0] if titles else _with(look.normal, bold=True)
    for s, section in enumerate(layout.sections):
        if section.title:
            found = _locate(look, section.title, section.origin)
            head_look, key = found if found else (default_title, ("s", s))
            out.append(Piece(section.title, head_look, key, heading=True))
        previous: dict[ItemKind, ParaLook] = {}
        for i, block in enumerate(section.items):
            found = _locate(look, block.text, block.origin)
            if found:
                item_look, key = found
            else:  # added by the tailoring: dress it like its kind nearby
                common = by_kind.get(block.kind)
                item_look = previous.get(block.kind) or (common.most_common(1)[0][0] if common else look.normal)
                key = ("n", s, i)
            previous[block.kind] = item_look
            out.append(Piece(block.text, item_look, key, block.kind, _spans(block), block.kind == ItemKind.ROLE, block.segments))
    return out


def _with(look: ParaLook, **changes: object) -> ParaLook:
    return replace(look, **changes)  # type: ignore[arg-type]


def _spans(block: Block) -> list[tuple[int, int, bool, bool]]:
    return [(s.start, s.end, s.bold, s.italic) for s in block.spans]


def _locate(look: DocxLook, text: str, origin: Origin | None) -> tuple[ParaLook, tuple] | None:
    if origin is not None and origin.part == "body":
        if origin.table is not None:
            return look.by_text(text, ("c", *origin.table))
        if origin.paragraph is not None and origin.paragraph in look.paragraphs:
            return look.paragraphs[origin.paragraph], ("b", origin.paragraph)
    return look.by_text(text)
