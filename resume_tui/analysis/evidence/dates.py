"""Role dates: month-year ranges in a resume, merged into years of experience.

Ranges overlap (two jobs at once) and end in "present"; the reference year comes from the
document itself, never from the clock, so a score is reproducible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from resume_tui.analysis.evidence.strength import REFERENCE_YEAR_FLOOR

# --------------------------------------------------------------------------- dates

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    "spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12,
}
_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|fall|autumn|winter)"
_DATE = (
    rf"(?:(?P<{{p}}mon>{_MONTH_RE})\.?,?\s+(?P<{{p}}y1>(?:19|20)\d\d)"
    rf"|(?P<{{p}}mm>0?[1-9]|1[0-2])\s*/\s*(?P<{{p}}y2>(?:19|20)\d\d)"
    rf"|(?P<{{p}}y3>(?:19|20)\d\d)\s*[./-]\s*(?P<{{p}}mm2>0[1-9]|1[0-2])(?!\d)"
    rf"|(?P<{{p}}y4>(?:19|20)\d\d))"
)
_PRESENT = r"(?P<present>present|current(?:ly)?|now|today|ongoing|pres\.?|date|heute|actualidad|actual)"
_RANGE_RE = re.compile(
    _DATE.format(p="a") + r"\s*(?:-|–|—|to|until|till|through|thru|→|bis|a|hasta)\s*(?:" + _DATE.format(p="b") + "|" + _PRESENT + r")(?![\d])",
    re.I,
)
_YEAR_RE = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_CLAIM_RE = re.compile(
    r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)\s*\+?\s*(?:years?|yrs?)['’]?\s+"
    r"(?:of\s+)?(?:\w+\s+){0,3}?(?:experience|expertise)",
    re.I,
)
_WORD_NUM = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}


def _month_index(m: re.Match[str], p: str) -> tuple[int, bool] | None:
    """(year*12 + month-1, had_month) for the date captured under prefix p."""
    g = m.groupdict()
    if g.get(f"{p}y1"):
        return int(g[f"{p}y1"]) * 12 + _MONTHS[g[f"{p}mon"][:3].lower() if g[f"{p}mon"][:3].lower() in _MONTHS else g[f"{p}mon"].lower()] - 1, True
    if g.get(f"{p}y2"):
        return int(g[f"{p}y2"]) * 12 + int(g[f"{p}mm"]) - 1, True
    if g.get(f"{p}y3"):
        return int(g[f"{p}y3"]) * 12 + int(g[f"{p}mm2"]) - 1, True
    if g.get(f"{p}y4"):
        return int(g[f"{p}y4"]) * 12, False
    return None


def reference_year(texts: Iterable[str]) -> int:
    """The year "present" stands for: the latest year in the documents, at least the floor."""
    latest = REFERENCE_YEAR_FLOOR
    for text in texts:
        for y in _YEAR_RE.findall(text):
            latest = max(latest, min(int(y), 2100))
    return latest


def date_ranges(text: str, ref_year: int) -> list[tuple[int, int]]:
    """Month-index intervals of every "2019 – present" / "Oct. 2021 – Current" range in text."""
    out: list[tuple[int, int]] = []
    for m in _RANGE_RE.finditer(text):
        start = _month_index(m, "a")
        if start is None:
            continue
        if m.group("present"):
            end = ref_year * 12 + 5
        else:
            e = _month_index(m, "b")
            if e is None:
                continue
            end = e[0]
        if end >= start[0] and end - start[0] <= 12 * 60:
            out.append((start[0], end))
    return out


def merged_years(ranges: Iterable[tuple[int, int]]) -> float:
    """Total years covered by the intervals, overlaps counted once."""
    total, cur = 0, None
    for s, e in sorted(ranges):
        if cur is None or s > cur[1]:
            if cur is not None:
                total += cur[1] - cur[0]
            cur = [s, e]
        else:
            cur[1] = max(cur[1], e)
    if cur is not None:
        total += cur[1] - cur[0]
    return round(total / 12, 1)
