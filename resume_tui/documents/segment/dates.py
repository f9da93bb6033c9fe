"""Dates and date ranges as resumes write them, and the role lines that carry them.
"""

from __future__ import annotations

import re

from resume_tui.documents.languages import date_words

# English month names, then those of the other languages in resume_tui/data/languages.json
# ("enero 2020 – actualidad", "März 2018 bis heute").
_FOREIGN_MONTHS, _FOREIGN_PRESENT = date_words()
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?|" + "|".join(re.escape(m) for m in _FOREIGN_MONTHS) + r")\.?"
)
_SEASON = r"(?:spring|summer|fall|autumn|winter)"
_YEAR = r"(?:19|20)\d{2}"
# "2015 / 07" (LaTeX templates space the slash): only a slash, since "2012 - 20…" is a range.
_DATE = (
    rf"(?:(?:{_MONTH}|{_SEASON}),?[ \t]{{1,3}}{_YEAR}|\d{{1,2}}[/.-]{_YEAR}|{_YEAR}[/.-]\d{{1,2}}"
    rf"|{_YEAR}[ \t]/[ \t]\d{{1,2}}(?!\d)|{_YEAR})"
)
_OPEN_END = r"(?:present|current|now|today|ongoing|pres\b\.?|" + "|".join(re.escape(w) + r"\b" for w in _FOREIGN_PRESENT) + ")"
DATE_RANGE = re.compile(
    rf"\b{_DATE}[ \t]{{0,3}}(?:-|–|—|to|until|through|~|a|al|à|au|bis|até|tot)[ \t]{{0,3}}(?:{_DATE}|{_OPEN_END})",
    re.IGNORECASE,
)
DATE = re.compile(rf"\b{_DATE}\b|\b{_OPEN_END}", re.IGNORECASE)
# A line led by a month and year, then its text ("6/2019 Licence d'Études", "März 2018 Praktikum"):
# a timeline's item. A bare leading year is left out ("2019 was a record year").
LEADING_DATE = re.compile(
    rf"^(?:\d{{1,2}}[/.]{_YEAR}|{_MONTH}[ \t]{{1,3}}{_YEAR})(?:[ \t]*(?:-|–|—)[ \t]*(?:{_DATE}|{_OPEN_END}))?[ \t]+\S",
    re.IGNORECASE,
)


# "3 yrs 6 mos", "2 years": how long a role lasted, beside its dates (LinkedIn writes it twice)
_DURATION = re.compile(r"\b\d{1,2}\s*(?:yrs?|years?|mos?|months?)\b", re.IGNORECASE)


def is_role_line(text: str) -> bool:
    """A job/degree line: carries a date range, or ends in a date, and is short (its dates and
    durations not counted: "Acme · Full-time Feb 2022 - Jul 2025 · 3 yrs 6 mos Feb 2022 to Jul 2025 ·
    3 yrs 6 mos Orlando, Florida" names an employer, a kind of job and a place)."""
    if len(text) <= 300 and DATE_RANGE.search(text):
        core = _DURATION.sub(" ", DATE_RANGE.sub(" ", text))
        if len(core.split()) <= 24 and not core.rstrip().endswith("."):
            return True
    if len(text) > 200 or len(text.split()) > 24:
        return False
    if DATE_RANGE.search(text):
        return True
    words = text.split()
    if len(words) <= 2:
        return False  # a bare "2019" or "June 2011" is a date column entry, not a role
    if len(words) <= 14 and words and not text.endswith("."):
        if DATE.fullmatch(words[-1].strip("()[],.;")):
            return bool(DATE.search(" ".join(words[-3:])))
        tail = text.rstrip(" \t()[],;")
        last = [m for m in DATE.finditer(tail) if " " in m.group(0)]  # "2011 / 11": the date spans words
        return bool(last) and last[-1].end() == len(tail)
    return False


def _date_only(text: str) -> bool:
    rest = DATE.sub(" ", DATE_RANGE.sub(" ", text))
    return len([w for w in rest.split() if any(ch.isalnum() for ch in w)]) <= 1 and bool(DATE.search(text))

