"""Word's tab stops: where each tab-separated part of a line starts.

Resumes put dates and places at a tab stop ("Staff Engineer<tab>2019 – 2023", the date flush
right at a right-aligned stop, or pushed along by default stops every half inch). Drawn with
spaces instead, the date runs into the title and the line looks nothing like the document.
Word's rules, as far as one line needs them: a tab moves to the paragraph's next custom stop
right of the text so far; past the last custom stop, to the next default stop (multiples of
settings.xml's defaultTabStop from the margin); the text after a right (centre) stop ends
(is centred) on it, without going back over the text before it.
"""

from __future__ import annotations

import math


def next_stop(x: float, origin: float, stops: tuple[tuple[float, str], ...], default: float) -> tuple[float, str]:
    """The first stop right of `x` (all in one unit; stops measured from `origin`)."""
    relative = x - origin
    for position, align in stops:
        if position > relative + 1e-6:
            return origin + position, align
    step = max(default, 1e-3)
    return origin + (math.floor(relative / step + 1e-6) + 1) * step, "left"


def tab_starts(
    widths: list[float],
    tabs_before: list[int],
    start: float,
    origin: float,
    right: float,
    stops: tuple[tuple[float, str], ...],
    default: float,
) -> list[float] | None:
    """Where each part starts, or None when the parts do not fit on one line before `right`."""
    if not widths or len(widths) != len(tabs_before):
        return None
    starts = [start]
    cursor = start + widths[0]
    for width, tabs in zip(widths[1:], tabs_before[1:], strict=True):
        x, align = cursor, "left"
        for _ in range(max(tabs, 1)):
            x, align = next_stop(x, origin, stops, default)
        if align == "right":
            begin = x - width
        elif align == "center":
            begin = x - width / 2
        else:
            begin = x
        begin = max(begin, cursor)
        if begin + width > right + 1e-6:
            return None
        starts.append(begin)
        cursor = begin + width
    return starts
