"""How JSON Resume fields become resume lines, and lines become fields again — one place for both.

The importer writes each object's text as the lines a resume shows (a role header, summary
lines, highlight bullets, "Skill (level): keywords"); the exporter reads the same lines back into
fields. Keeping both directions here is what makes JSON Resume → resume-tui → JSON Resume exact.
"""

from __future__ import annotations

import re
from typing import Any

from resume_tui.models import SectionKind

# JSON Resume's sections in the schema's order: key → (our section kind, the title a resume shows).
SECTIONS: dict[str, tuple[SectionKind, str]] = {
    "summary": (SectionKind.SUMMARY, "Summary"),  # basics.summary, one line per paragraph
    "work": (SectionKind.EXPERIENCE, "Work Experience"),
    "volunteer": (SectionKind.VOLUNTEERING, "Volunteer"),
    "education": (SectionKind.EDUCATION, "Education"),
    "awards": (SectionKind.AWARDS, "Awards"),
    "certificates": (SectionKind.CERTIFICATIONS, "Certificates"),
    "publications": (SectionKind.PUBLICATIONS, "Publications"),
    "skills": (SectionKind.SKILLS, "Skills"),
    "languages": (SectionKind.LANGUAGES, "Languages"),
    "interests": (SectionKind.INTERESTS, "Interests"),
    "references": (SectionKind.OTHER, "References"),
    "projects": (SectionKind.PROJECTS, "Projects"),
}
# Sections whose every line is one object ("Python (Expert): Django, Flask").
LINE_KEYS = frozenset({"skills", "languages", "interests"})
# Where the text of a resume section goes when it has no section of its own in JSON Resume.
KIND_KEYS: dict[SectionKind, str] = {kind: key for key, (kind, _) in SECTIONS.items() if kind is not SectionKind.OTHER}
# Per section: the header's fields in the order a header line shows them (title, organisation, place, dates).
HEADER_FIELDS: dict[str, tuple[str | None, str | None, str | None, str | None, str | None]] = {
    "work": ("position", "name", "location", "startDate", "endDate"),
    "volunteer": ("position", "organization", None, "startDate", "endDate"),
    "education": ("studyType", "institution", None, "startDate", "endDate"),
    "awards": ("title", "awarder", None, None, "date"),
    "certificates": ("name", "issuer", None, None, "date"),
    "publications": ("name", "publisher", None, None, "releaseDate"),
    "projects": ("name", "entity", None, "startDate", "endDate"),
    "references": ("name", None, None, None, None),
}
# Body lines: the field plain lines go to, and the field bullets go to.
BODY_FIELDS: dict[str, tuple[str, str]] = {
    "work": ("summary", "highlights"),
    "volunteer": ("summary", "highlights"),
    "education": ("summary", "highlights"),
    "awards": ("summary", "highlights"),
    "certificates": ("summary", "highlights"),
    "publications": ("summary", "highlights"),
    "projects": ("description", "highlights"),
    "references": ("reference", "highlights"),
}
# Every field the reader shows as lines under a header, per section (the exporter rewrites exactly these).
BODY_RENDERED: dict[str, tuple[str, ...]] = {
    "work": ("description", "summary", "highlights"),
    "volunteer": ("summary", "highlights"),
    "education": ("summary", "score", "courses", "highlights"),
    "awards": ("summary", "highlights"),
    "certificates": ("summary", "highlights"),
    "publications": ("summary", "highlights"),
    "projects": ("description", "roles", "keywords", "highlights"),
    "references": ("reference", "highlights"),
}
# Fields the schema defines for each object (anything else we write is named in the export notes).
STANDARD: dict[str, frozenset[str]] = {
    "work": frozenset({"name", "location", "description", "position", "url", "startDate", "endDate", "summary", "highlights"}),
    "volunteer": frozenset({"organization", "position", "url", "startDate", "endDate", "summary", "highlights"}),
    "education": frozenset({"institution", "url", "area", "studyType", "startDate", "endDate", "score", "courses"}),
    "awards": frozenset({"title", "date", "awarder", "summary"}),
    "certificates": frozenset({"name", "date", "url", "issuer"}),
    "publications": frozenset({"name", "publisher", "releaseDate", "url", "summary"}),
    "projects": frozenset({"name", "description", "highlights", "keywords", "startDate", "endDate", "url", "roles", "entity",
                           "type"}),
    "references": frozenset({"name", "reference"}),
}
OPEN_END = "Present"
_OPEN = re.compile(r"^(?:present|current|now|today|ongoing)$", re.I)
SCORE_PREFIX = "Score: "
KEYWORDS_PREFIX = "Keywords: "
ROLES_PREFIX = "Roles: "
EXTENSION = "x-resume-tui"  # our own key (the schema allows extra properties): what the standard fields cannot hold


def as_dict(value: Any) -> dict[str, Any]:
    """`value` when it is an object, else an empty one (a malformed part reads as absent, never as a crash)."""
    return value if isinstance(value, dict) else {}


def text(value: Any) -> str:
    """A field's text ("" for missing, non-text or blank values)."""
    return value.strip() if isinstance(value, str) else ""


def education_title(obj: dict[str, Any]) -> str:
    """"Bachelor in Information Technology": the degree and the field of study as one title."""
    kind, area = text(obj.get("studyType")), text(obj.get("area"))
    return f"{kind} in {area}" if kind and area else kind or area


def header_fields(key: str, obj: dict[str, Any]) -> tuple[str, str, str, str, str]:
    """Title, organisation, place, start and end of an object, as its header shows them."""
    names = HEADER_FIELDS.get(key, (None,) * 5)
    values = [text(obj.get(name)) if name else "" for name in names]
    if key == "education":
        values[0] = education_title(obj)
    if key in ("work", "volunteer", "projects") and values[3] and not values[4]:
        values[4] = OPEN_END  # JSON Resume's convention: no end date on a dated role means it is current
    return values[0], values[1], values[2], values[3], values[4]


def header_line(title: str, org: str, place: str, start: str, end: str) -> str:
    """"CEO — Pied Piper | Palo Alto, CA | 2013-12-01 – 2014-12-01" (empty parts left out)."""
    dates = f"{start} – {end}" if start and end else start or end
    return " | ".join(p for p in (" — ".join(p for p in (title, org) if p), place, dates) if p)


def line_of(key: str, obj: dict[str, Any]) -> str:
    """The one line a skills, languages or interests object shows as."""
    if key == "languages":
        language, fluency = text(obj.get("language")), text(obj.get("fluency"))
        return f"{language}: {fluency}" if language and fluency else language or fluency
    name, level = text(obj.get("name")), text(obj.get("level")) if key == "skills" else ""
    keywords = [text(k) for k in obj.get("keywords") or [] if text(k)]
    head = f"{name} ({level})" if name and level else name or level
    return f"{head}: {', '.join(keywords)}" if head and keywords else head or ", ".join(keywords)


_SKILL = re.compile(r"^(?P<name>[^:()]{1,80}?)(?: \((?P<level>[^()]{1,40})\))?(?:: (?P<kw>.+))?$")


def object_of_line(key: str, line: str) -> dict[str, Any]:
    """The object a line stands for — exactly: a line the pattern would not give back unchanged keeps its
    whole text in the first field ("name" or "language")."""
    if key == "languages":
        language, sep, fluency = line.partition(": ")
        obj = {"language": language, "fluency": fluency} if sep and language and fluency else {"language": line}
        return obj if line_of(key, obj) == line else {"language": line}
    match = _SKILL.match(line)
    out: dict[str, Any] = {"name": line}
    if match and (key == "skills" or not match.group("level")):
        candidate: dict[str, Any] = {"name": match.group("name")}
        if match.group("level"):
            candidate["level"] = match.group("level")
        if match.group("kw"):
            candidate["keywords"] = match.group("kw").split(", ")
        if line_of(key, candidate) == line and all(candidate.get("keywords", ["x"])):
            out = candidate
    return out


_MONTHS = {m: n for n, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for m in names}
_YEAR = r"((?:19|20)\d{2})"


def to_iso(written: str | None) -> str | None:
    """A date as a resume writes it ("Jan 2020", "01/2020", "2020", "2020-01-15") as YYYY, YYYY-MM or YYYY-MM-DD;
    None for an open end ("Present") or a date that names no year."""
    value = (written or "").strip().strip(".,()")
    if not value or _OPEN.match(value):
        return None
    if re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", value):
        return value
    if m := re.fullmatch(rf"(\d{{1,2}})[/.-]{_YEAR}", value):
        return f"{m.group(2)}-{int(m.group(1)):02d}" if 1 <= int(m.group(1)) <= 12 else m.group(2)
    if m := re.fullmatch(rf"{_YEAR}[/.-](\d{{1,2}})", value):
        return f"{m.group(1)}-{int(m.group(2)):02d}" if 1 <= int(m.group(2)) <= 12 else m.group(1)
    if m := re.fullmatch(rf"([A-Za-z]+)\.?,?\s+{_YEAR}", value):
        month = _MONTHS.get(m.group(1).lower())
        return f"{m.group(2)}-{month:02d}" if month else m.group(2)  # "Summer 2019" → 2019 (the header keeps the season)
    years = re.findall(rf"\b{_YEAR}\b", value)
    return years[-1] if len(years) == 1 else None


def is_open_end(written: str | None) -> bool:
    return bool(written and _OPEN.match(written.strip().strip(".,()")))


def squash(value: str) -> str:
    """Letters and digits only, casefolded: how "is this text still there" is judged."""
    return "".join(ch for ch in value.casefold() if ch.isalnum())
