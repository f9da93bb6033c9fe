"""Repairs of the reading order pypdf's plain extraction gives a page.

Plain extraction follows the content stream, which is usually right, with two failures handled
here. It may break rows into one chunk per line (then the layout rendering reads better, see
`shattered`). And section names set vertically in a page margin land after their section:

Some templates (LaTeX "rows" CVs, designer layouts) rotate each section's name 90° and stand it in
the margin beside the section, often centred on it. The content stream draws such a label after the
section, so plain extraction puts "EXPERIENCE" below the roles it names and the parser files them
under whatever came before. The label's position says where it belongs: the text chunks it stands
beside. It is moved (never dropped or rewritten) to just before the first line of that block: the
lines it spans, extended upwards while the spacing stays within the block's own line spacing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from resume_tui.documents.readers.cleanup import glyph_names
from resume_tui.documents.segment.dates import DATE, DATE_RANGE

_ROW_TOLERANCE = 1.5  # points: chunks this close in height are one line
_CHAR_WIDTH = 0.6  # of the font size: a capital letter's advance, to estimate a label's length
_MAX_LABEL_WORDS = 4


@dataclass
class Chunk:
    text: str
    x: float
    y: float
    size: float
    rotation: int  # 0 upright; 90 reads upwards; -90 reads downwards (anything else is ignored)


@dataclass
class ChunkCollector:
    """A pypdf `visitor_text` callback keeping each drawn chunk with its position on the page."""

    chunks: list[Chunk] = field(default_factory=list)

    def __call__(self, text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if not text.strip() or len(self.chunks) > 20_000:
            return
        a, b, c, d, e, f = (
            tm[0] * cm[0] + tm[1] * cm[2],
            tm[0] * cm[1] + tm[1] * cm[3],
            tm[2] * cm[0] + tm[3] * cm[2],
            tm[2] * cm[1] + tm[3] * cm[3],
            tm[4] * cm[0] + tm[5] * cm[2] + cm[4],
            tm[4] * cm[1] + tm[5] * cm[3] + cm[5],
        )
        del c, d
        scale = math.hypot(a, b) or 1.0
        if abs(b) < 1e-6 and a > 0:
            rotation = 0
        elif abs(a) < 1e-6:
            rotation = 90 if b > 0 else -90
        else:
            rotation = 180  # upside down or slanted: left where it is
        self.chunks.append(Chunk(text=text, x=e, y=f, size=size * scale, rotation=rotation))


def _rows(chunks: list[Chunk]) -> list[tuple[float, str]]:
    """Upright lines top to bottom: (height, text of the line's leftmost chunk)."""
    rows: list[list[Chunk]] = []
    for chunk in sorted((c for c in chunks if c.rotation == 0), key=lambda c: -c.y):
        if rows and abs(rows[-1][0].y - chunk.y) <= _ROW_TOLERANCE:
            rows[-1].append(chunk)
        else:
            rows.append([chunk])
    return [(row[0].y, min(row, key=lambda c: c.x).text.strip()) for row in rows]


def _block_start(rows: list[tuple[float, str]], label: Chunk) -> str | None:
    """The first line of the block the label stands beside, or None when it stands beside no line."""
    length = len(glyph_names(label.text.strip())) * label.size * _CHAR_WIDTH
    top, bottom = (label.y, label.y - length) if label.rotation == -90 else (label.y + length, label.y)
    inside = [k for k, (y, _) in enumerate(rows) if bottom <= y <= top]
    if not inside:
        return None
    heights = [rows[k][0] for k in inside]
    spacing = max([a - b for a, b in zip(heights, heights[1:], strict=False)] or [label.size])
    first = inside[0]
    while first > 0 and rows[first - 1][0] - rows[first][0] <= spacing * 1.1 + 0.5:
        first -= 1
    return rows[first][1] or None


def place_rotated_labels(lines: list[str], chunks: list[Chunk]) -> list[str]:
    """`lines` (plain extraction of one page) with each short rotated label moved to the top of the
    block it stands beside; the same lines, only in another order."""
    labels = [
        c for c in chunks if c.rotation in (90, -90) and 1 <= len(c.text.split()) <= _MAX_LABEL_WORDS
        and sum(ch.isalpha() for ch in glyph_names(c.text)) >= 3
    ]
    if not labels:
        return lines
    rows = _rows(chunks)
    out = list(lines)
    for label in labels:
        start = _block_start(rows, label)
        at = [k for k, line in enumerate(out) if line.strip() == label.text.strip()]
        if start is None or len(at) != 1:
            continue  # not a lone line of its own, or beside nothing: leave it where it was drawn
        (index,) = at
        targets = [k for k, line in enumerate(out) if k != index and line.strip().startswith(start)]
        if not targets:
            continue
        target = min(targets, key=lambda k: abs(k - index))
        moved = out.pop(index)
        out.insert(target if target < index else target - 1, moved)
    return out


def shattered(plain_lines: list[str], layout_rows: list[str]) -> bool:
    """Plain extraction broke rows into pieces (one text chunk per line), not merely more lines.

    More plain lines than layout rows has two causes: a row split into chunks ("Hilton OnQ", ",",
    "Micros" on lines of their own, consecutive pieces of one layout row), or a sidebar drawn after
    the main column, whose lines share heights with the main column's and so merge into its layout
    rows while plain extraction keeps each column's lines whole and in order. Only the first wants
    the layout rendering; reading the second by layout rows would interleave the two columns."""
    if not len(plain_lines) > 1.25 * len(layout_rows) >= 5:
        return False
    rows = [" ".join(row.split()) for row in layout_rows]
    pieces = [" ".join(line.split()) for line in plain_lines]
    split_rows = sum(
        any(a in row and b in row and row not in (a, b) for row in rows) for a, b in zip(pieces, pieces[1:], strict=False)
    )
    return split_rows >= 0.1 * (len(pieces) - 1)


_DURATION_NOTE = re.compile(r"^\(\s*\d[^()]{0,25}\)$")  # "(3 meses)", "(120 horas)", "(2 years)"
_DATE_GLUE = re.compile(r"[\s\-–—,/.]*")


def _dates_only(text: str) -> bool:
    rest = DATE.sub(" ", DATE_RANGE.sub(" ", text))
    return bool(DATE.search(text)) and _DATE_GLUE.fullmatch(rest) is not None


def join_split_dates(lines: list[str]) -> list[str]:
    """A date column's cell broken over lines ("2013" / "- 2015" / "(3 años)", "Julio 2014 - Julio" /
    "2016") joined back into one line, so the range is read as a range and a "- 2015" is not taken for
    a bullet. Only lines that hold nothing but dates (and a duration in parentheses) are joined; the
    words are kept, only the line breaks between them go."""
    out: list[str] = []
    for line in lines:
        text = line.strip()
        if out and _dates_only(out[-1]) and text:
            joined = f"{out[-1].strip()} {text}"
            if len(text.split()) <= 3 and _dates_only(joined) and DATE_RANGE.search(joined) and not DATE_RANGE.search(out[-1]):
                out[-1] = joined
                continue
            if _DURATION_NOTE.match(text):
                out[-1] = joined
                continue
        out.append(line)
    return out
