"""Degrees and years of experience as a posting states them ("BSc or equivalent", "5+ years").

Shared with the evidence matcher, so a degree is recognised the same way in a posting and a resume.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------- degrees & years

DEGREE_ORDER = {"diploma": 0, "associate": 1, "bachelor": 2, "master": 3, "phd": 4}

_DEGREE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("phd", re.compile(r"\bph\.?\s?d\b|\bdoctorate\b|\bdoctoral\b|\bdoctor of\b|\bd\.?phil\b", re.I)),
    ("phd", re.compile(r"\b(?:EdD|DNP|PsyD|DBA)\b")),
    ("master", re.compile(r"\bmaster'?s?\b|\bmasters\b|\bmaestr[íi]a\b|\bm\.eng\b|\bmagister\b", re.I)),
    ("master", re.compile(r"\b(?:MSc|MBA|MSN|MEng|MPH|MFA|MEd|M\.Sc|M\.S\.|M\.A\.|M\.Tech)(?![\w])")),
    ("master", re.compile(r"\b(?:MS|MA)\b(?=\s*(?:\(|,|/|\bin\b|\bdegree\b|\bof\b|\bor\b|\)))")),
    ("bachelor", re.compile(r"\bbachelor'?s?\b|\bbachelors\b|\bbaccalaureate\b|\bundergraduate degree\b|\b(?:4|four)[- ]year (?:college |university )?degree\b|\blicenciatura\b", re.I)),
    ("bachelor", re.compile(r"\b(?:BSc|BSN|BBA|BEng|B\.Sc|B\.S\.|B\.A\.|B\.Tech|BTech|B\.E\.)(?![\w])")),
    ("bachelor", re.compile(r"\b(?:BS|BA)\b(?=\s*(?:\(|,|/|\bin\b|\bdegree\b|\bof\b|\bor\b|\)))")),
    ("associate", re.compile(r"\bassociate'?s?\s+(?:degree|of (?:science|arts|applied))\b", re.I)),
    ("associate", re.compile(r"\b(?:ADN|AAS)\b")),
    ("diploma", re.compile(r"\bhigh[- ]school diploma\b|\bGED\b|\bsecondary school\b", re.I)),
]


def find_degrees(text: str) -> list[str]:
    """Degree levels mentioned in `text` ("bachelor", "master", …), lowest first, no duplicates."""
    levels = {level for level, pattern in _DEGREE_PATTERNS if pattern.search(text)}
    return sorted(levels, key=DEGREE_ORDER.__getitem__)


_NUM_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20,
}
_NUM = r"(\d{1,2}(?:\.\d)?|" + "|".join(_NUM_WORDS) + r")"
_YEARS_RE = re.compile(
    _NUM + r"\s*(?:\+|plus)?\s*(?:(?:-|–|to|or)\s*" + _NUM + r"\s*\+?\s*)?(?:\(\d+\)\s*)?(?:years?|yrs?)\b(?!-)"
    r"(?P<after>[^.;\n]{0,60})",
    re.I,
)
_YEARS_CONTEXT = re.compile(
    r"experience|experienced|\bin\b|\bof\b|\bas\b|\bworking\b|\bbuilding\b|\bwith\b|\broles?\b|\bbackground\b|\bmanaging\b|\bleading\b",
    re.I,
)


def _num(s: str) -> float:
    return float(_NUM_WORDS.get(s.lower(), s)) if s.lower() in _NUM_WORDS else float(s)


def find_years(text: str, *, experience_context: bool = False) -> float | None:
    """Years of experience asked for ("5+ years of …", "2-3 years", "3 years (Required)")."""
    for m in _YEARS_RE.finditer(text):
        before = text[max(0, m.start() - 25) : m.start()].lower()
        if re.search(r"\b(?:within|after|every|for the (?:first|next)|over the (?:last|past)|in the (?:last|past))\s*$", before):
            continue
        after = m.group("after")
        if experience_context or _YEARS_CONTEXT.search(after[:40]) or "experience" in before or "minimum" in before:
            low = _num(m.group(1))
            return low
    return None
