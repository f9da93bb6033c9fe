"""Entries: a section's roles, degrees and projects — header lines and the items under them.

The items of a section stay one flat list in reading order; this module lays the entry
structure over it. A run of role lines (title, organisation, place, dates — one to three
lines) opens an entry, and every following bullet or detail line belongs to it until the
next header. Items above the first header belong to no entry (a section's intro line).

Header fields are read from the document's own signals: the date range, separators
("|", "—", ","), organisation suffixes ("Inc", "University"), job nouns ("Engineer") and
degree words. When a field cannot be told apart it stays empty rather than guessed, and the
entry's confidence says how sure the boundaries are: the offline engine only reorders inside
entries it is sure of, and the guard keeps every item inside its own entry either way.
"""

from __future__ import annotations

import re

from resume_tui.documents.segment.dates import DATE, DATE_RANGE, LEADING_DATE
from resume_tui.documents.vocabulary import DEGREE_WORDS, ORG_SUFFIXES, ROLE_NOUNS
from resume_tui.models import Entry, Item, ItemKind, Section, SectionKind

ENTRY_SECTIONS = frozenset(
    {
        SectionKind.EXPERIENCE,
        SectionKind.EDUCATION,
        SectionKind.PROJECTS,
        SectionKind.VOLUNTEERING,
        SectionKind.OTHER,
        SectionKind.CERTIFICATIONS,
        SectionKind.AWARDS,
        SectionKind.PUBLICATIONS,
    }
)
MAX_HEADER_LINES = 3
_SEPARATORS = re.compile(r"\s+[|•·–—]\s+|\s+-\s+|\s*\|\s*|,\s+|\t+|\s{3,}|\s+@\s+|\s+at\s+(?=[A-Z])")
_STATE = re.compile(r"^(?:[A-Z]{2}|[A-Z][a-z]{1,3}\.)$")  # "WA", "Calif."
_REMOTE = re.compile(r"^(?:remote|hybrid|on-?site)\b", re.I)
_PLACE = re.compile(r"^[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2}$")
_ORG_WORDS = frozenset(s.lower().rstrip(".") for s in ORG_SUFFIXES)
_WORD = re.compile(r"[^\W\d_][\w.'&-]*")
_LABELLED = re.compile(r"^[A-Z][A-Za-z]+(?: [A-Za-z]+){0,2}:\s+\S")
_DEGREES = frozenset(w.replace(".", "") for w in DEGREE_WORDS)
_LOGO = re.compile(r"\S\s+logo\s*$", re.IGNORECASE)


def detect_entries(section: Section) -> list[Entry]:
    """The entries of one section (none for list-like sections or sections without headers)."""
    if section.kind in _GROUPED_LISTS:
        return _list_groups(section)
    if section.kind not in ENTRY_SECTIONS:
        return []
    heads = _margin_dates([_is_header(item, section.kind) for item in section.items], section.items)
    if not any(heads):
        return []
    groups: list[tuple[list[Item], list[Item]]] = []
    for item, head in zip(section.items, heads):
        if head:
            if not groups or groups[-1][1] or _starts_new(groups[-1][0], item, section.kind):
                lead = _title_before_dates(groups[-1][1], item, section.kind) if groups else None
                if lead is not None:  # "Marsshine Engineering, Office Manager" / "Sep. 2015 – Aug. 2019"
                    groups[-1][1].remove(lead)
                    groups.append(([lead, item], []))
                    continue
                groups.append(([item], []))
            else:
                groups[-1][0].append(item)
        elif groups and not groups[-1][1] and _continues_header(groups[-1][0], item, section.kind):
            groups[-1][0].append(item)  # "Parul University" under its degree line
        elif groups:
            groups[-1][1].append(item)
    groups = _without_dated_list(groups, section.kind)
    entries = []
    for n, (header, body) in enumerate(groups, start=1):
        fields = parse_header([i.text for i in header], section.kind)
        entries.append(
            Entry(
                id=f"{section.id}.e{n}",
                header_ids=[i.id for i in header],
                item_ids=[i.id for i in body],
                confidence=_confidence(fields, header, body),
                **fields,
            )
        )
    return entries


_GROUPED_LISTS = frozenset({SectionKind.SKILLS, SectionKind.INTERESTS, SectionKind.LANGUAGES})
_DATED_LISTS = frozenset(ENTRY_SECTIONS - {SectionKind.EXPERIENCE, SectionKind.EDUCATION, SectionKind.VOLUNTEERING})


def _without_dated_list(
    groups: list[tuple[list[Item], list[Item]]], kind: SectionKind
) -> list[tuple[list[Item], list[Item]]]:
    """A list of one-line dated items ("WellSpan Problem List Initiative 2024", "ISC2 Member 2025") is a
    list, not entries: in project, award, membership-like sections, a run of two or more lines that each
    carry one date (no range) and nothing under them is left as plain lines when it opens the section
    (above its first real entry) or is all the section holds. A job or degree with no details stays an
    entry: experience and education are never listed this way."""
    if kind not in _DATED_LISTS:
        return groups

    def one_liner(group: tuple[list[Item], list[Item]]) -> bool:
        header, body = group
        return len(header) == 1 and not body and not DATE_RANGE.search(header[0].text)

    lead = 0
    while lead < len(groups) and one_liner(groups[lead]):
        lead += 1
    return groups[lead:] if lead >= 2 else groups


def _list_groups(section: Section) -> list[Entry]:
    """A skills section organised under its own labels ("Azure Cloud Services" / "• Compute: AKS, …"): each
    label and the bullets under it form a group, so a reorder never moves a skill under another label."""
    items = section.items
    labels = [i for n, i in enumerate(items) if _is_group_label(i, items[n + 1] if n + 1 < len(items) else None)]
    if not labels:
        return []
    entries: list[Entry] = []
    for item in items:
        if item in labels:
            entries.append(Entry(id=f"{section.id}.e{len(entries) + 1}", title=item.text.rstrip(":"),
                                 header_ids=[item.id], confidence=0.8))
        elif entries:
            entries[-1].item_ids.append(item.id)
    return entries


def _is_group_label(item: Item, nxt: Item | None) -> bool:
    text = item.text.strip()
    return (item.kind is not ItemKind.BULLET and nxt is not None and nxt.kind is ItemKind.BULLET
            and 0 < len(text.split()) <= 6 and "," not in text and not text.endswith((".", ";")))


def _is_header(item: Item, kind: SectionKind) -> bool:
    """A role line, or in Education a short line naming an institution or a degree (often undated).
    A labelled detail ("Study Abroad: Semester at Sea (Summer 2010)", "Minors: …") is never a header."""
    if _LABELLED.match(item.text):
        label = item.text.split(":", 1)[0].lower().split()
        if not any(word in ROLE_NOUNS or word in _DEGREES for word in label):  # "Engineer: Acme" stays a header
            return False
    if item.kind is ItemKind.ROLE:
        return True
    if kind is not SectionKind.EDUCATION or item.kind is ItemKind.BULLET:
        return False
    words = item.text.split()
    if not words or len(words) > 40 or item.text.rstrip().endswith(".") or words[0].lower().endswith("ed"):
        return False  # "Awarded a scholarship to Jefferson College" is a detail, not a header
    signals = _signals(item.text, kind)
    words = [w for w in words if any(ch.isalnum() for ch in w)]  # " , " and " | " are not words
    if len(words) > 14:  # a long line heads an entry only when it names both an institution and a degree
        return {"title", "organization"} <= signals
    return bool(signals & {"title", "organization"})


def _title_before_dates(body: list[Item], item: Item, kind: SectionKind) -> Item | None:
    """The plain line right before a dates-only header line, when it names a title or employer: the
    first line of the next entry ("Employer, Title" then its dates), not a detail of the last one.
    Likewise a short title-only line right before an employer-and-dates line ("Senior System Engineer" /
    "University of Washington · Full-time Nov 2005 - Feb 2022"): the job the employer line dates."""
    brings = _signals(item.text, kind)
    if not body or "date" not in brings or "title" in brings:
        return None
    last = body[-1]
    words = last.text.split()
    if last.kind is ItemKind.BULLET or not 0 < len(words) <= 12 or last.text.rstrip().endswith((".", ";", ":")):
        return None
    if brings == {"date"}:
        return last if _signals(last.text, kind) & {"title", "organization"} else None
    return last if len(words) <= 8 and _signals(last.text, kind) == {"title"} else None


def _continues_header(header: list[Item], item: Item, kind: SectionKind) -> bool:
    """The line right under a header that completes it: an organisation line when the header has none
    ("Parul University"), or a job-title line under an employer-and-dates header ("Medical Staffing Network
    (March 2016 – June 2016)" / "Temporary Agency Nurse - Good Samaritan Hospital")."""
    words = item.text.split()
    if len(header) == 1 and item.kind is not ItemKind.BULLET and 0 < len(words) <= 20 and _date_cell(header[0].text):
        return True  # a margin date column ("2016 (3 meses)") then the entry's name: "Indra. Perseus."
    if len(header) >= MAX_HEADER_LINES or item.text.rstrip().endswith(".") or _LOGO.search(item.text):
        return False  # "Acme Corp logo": a LinkedIn export's image text, which opens the next employer
    have = set().union(*(_signals(h.text, kind) for h in header))
    signals = _signals(item.text, kind)
    if len(words) <= 8 and "organization" not in have and signals == {"organization"}:
        return True  # even as a bullet: "### Sales Executive" / "- TechNova Inc. – San Francisco, CA"
    if item.kind is ItemKind.BULLET:
        return False
    return len(words) <= 14 and "title" not in have and "title" in signals and "date" not in signals


def _margin_dates(heads: list[bool], items: list[Item]) -> list[bool]:
    """A section laid out with a date column in its margin starts with a date cell ("2016 (3 meses)"),
    and every entry starts with one: there, a date cell followed by a line of text opens an entry
    even with a single year. Elsewhere a lone "2019" line is a detail, never a header."""
    out = list(heads)
    led = [k for k, item in enumerate(items) if item.kind is not ItemKind.BULLET and LEADING_DATE.match(item.text)]
    if len(led) >= 3:  # a timeline: each "6/2019 Licence d'Études" line opens an entry
        for k in led:
            out[k] = out[k] or len(items[k].text.split()) <= 14
    if not items or not _date_cell(items[0].text):
        return out
    for k, (item, nxt) in enumerate(zip(items, items[1:], strict=False)):
        if _date_cell(item.text) and nxt.kind is not ItemKind.BULLET and not _date_cell(nxt.text):
            out[k] = True
    return out


_DURATION_NOTE = re.compile(r"\(\s*\d[^()]{0,25}\)")


def _date_cell(text: str) -> bool:
    """Only dates, perhaps with how long ("2014 - 2016 (2 años)"): a date column's cell, not a header."""
    rest = _DURATION_NOTE.sub(" ", DATE.sub(" ", DATE_RANGE.sub(" ", text)))
    return bool(DATE.search(text)) and not any(ch.isalnum() for ch in rest)


def _starts_new(header: list[Item], item: Item, kind: SectionKind) -> bool:
    """A header line opens a new entry when the current header is full or already has what it brings
    (a second date range, a second job title, a second employer)."""
    if len(header) >= MAX_HEADER_LINES:
        return True
    have = set().union(*(_signals(h.text, kind) for h in header))
    brings = _signals(item.text, kind)
    if len(header) == 1 and "title" not in have and {"organization", "date"} <= have and {"title", "date"} <= brings:
        # An employer with its dates, then its first position with dates of its own ("Hershey Medical
        # Center (2017 – 2019)" / "Nurse Practitioner - Emergency Department (2017 – 2019)"): one header.
        return False
    return bool(have & brings)


def _signals(text: str, kind: SectionKind) -> set[str]:
    """Which header fields a line clearly carries: "date", "title", "organization"."""
    text = text[:300]
    found = {"date"} if DATE.search(text) else set()
    for part in _SEPARATORS.split(DATE_RANGE.sub(" | ", text)):
        role = _classify(part.strip(" ,;:()[]–—-|"), kind)
        if role:
            found.add(role)
    return found


def parse_header(lines: list[str], kind: SectionKind = SectionKind.EXPERIENCE) -> dict[str, str | None]:
    """Title, organisation, location and dates of a header, each as written or None when unclear."""
    out: dict[str, str | None] = {"title": None, "organization": None, "location": None, "start": None, "end": None}
    parts: list[str] = []
    for line in lines:
        text = line[:300]
        span = DATE_RANGE.search(text)
        if span and out["end"] is None:
            start, _, end = re.split(r"\s*(-|–|—|\bto\b|\buntil\b|\bthrough\b|~)\s*", span.group(0), maxsplit=1)
            out["start"], out["end"] = start.strip(" ,"), end.strip(" ,")
            text = text[: span.start()] + " | " + text[span.end() :]
        elif out["end"] is None:
            dates = list(DATE.finditer(text))
            if dates:
                out["end"] = dates[-1].group(0).strip(" ,")
                text = text[: dates[-1].start()] + " | " + text[dates[-1].end() :]
        text = re.sub(r"\(\s*\|?\s*\)|\(\s*\|\s*|\s*\|\s*\)", " | ", text)
        parts.extend(p.strip(" ,;:()[]–—-|") for p in _SEPARATORS.split(text))
    parts = [p for p in parts if p and any(ch.isalpha() for ch in p)]
    parts = _merge_places(parts, out)
    for part in parts:
        role = _classify(part, kind)
        if role == "organization" and out["organization"] is None:
            out["organization"] = part
        elif role == "title" and out["title"] is None:
            out["title"] = part
    rest = [p for p in parts if p not in (out["title"], out["organization"], out["location"])]
    if out["title"] is None and out["organization"] is not None and rest:
        out["title"] = rest.pop(0)
    elif out["organization"] is None and out["title"] is not None and rest:
        out["organization"] = rest.pop(0)
    elif out["title"] is None and out["organization"] is None and len(rest) == 1:
        out["title"] = rest[0]  # a single unclassified part: a project name or a title
    return out


def _merge_places(parts: list[str], out: dict[str, str | None]) -> list[str]:
    """Find "City, ST" (two parts after a comma split) or "Remote" and record it as the location."""
    kept: list[str] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        nxt = parts[index + 1] if index + 1 < len(parts) else None
        if out["location"] is None and nxt is not None and _STATE.match(nxt) and _PLACE.match(part) and index > 0:
            out["location"] = f"{part}, {nxt}"
            index += 2
            continue
        if out["location"] is None and _REMOTE.match(part) and len(part.split()) <= 3:
            out["location"] = part
            index += 1
            continue
        kept.append(part)
        index += 1
    return kept


def _classify(part: str, kind: SectionKind) -> str | None:
    words = [w.lower().rstrip(".,") for w in _WORD.findall(part)]
    degree = any(w.replace(".", "") in _DEGREES for w in words)
    if not words:
        return None
    if words[-1] in ROLE_NOUNS and words[-1] not in _ORG_WORDS:
        return "title"  # "Systems Administrator": a job noun at the end names a job, whatever comes before
    if any(w in _ORG_WORDS for w in words) or re.search(r"\b(?:University|College|Institute|School) of\b", part):
        if kind is SectionKind.EDUCATION and any(w.replace(".", "") in _DEGREES for w in words[:2]):
            return "title"  # "Bachelor of Science, School of Engineering": the degree leads
        return "organization"
    if any(w in ROLE_NOUNS for w in words) or (kind is SectionKind.EDUCATION and degree):
        return "title"
    return None


def _confidence(fields: dict[str, str | None], header: list[Item], body: list[Item]) -> float:
    dated = fields["end"] is not None
    named = sum(fields[k] is not None for k in ("title", "organization"))
    score = 0.5 + (0.3 if dated else 0.0) + 0.1 * named
    if not body or len(header) >= MAX_HEADER_LINES:
        score -= 0.1
    return round(max(0.1, min(1.0, score)), 2)
