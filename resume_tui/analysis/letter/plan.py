"""What a letter argues, read off the gap report: the strongest matched requirements, each with the
one resume line (or declared fact) that shows it best, clipped to the clause that says it.

Nothing here writes prose; it chooses. The points are ordered strongest first (matched before
partial, critical before nice-to-have, stronger evidence first), and no resume line is used twice,
so three paragraphs show three different pieces of work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from resume_tui.analysis.evidence import stem
from resume_tui.analysis.facts import COMMON_WORDS, ROLE_NOUNS, USER_FACTS_ID, words
from resume_tui.models import (
    PRIORITY_WEIGHT,
    Entry,
    Evidence,
    GapReport,
    ItemKind,
    JobDescription,
    MatchStatus,
    Requirement,
    RequirementCategory,
    Resume,
    SectionKind,
)

MAX_POINTS = 12
MAX_QUOTE_WORDS = 30
# Where evidence reads best in a letter: work done beats a line in a skills list.
_SECTION_RANK = {
    SectionKind.EXPERIENCE: 0, SectionKind.PROJECTS: 0, SectionKind.VOLUNTEERING: 1, SectionKind.SUMMARY: 2,
    SectionKind.PUBLICATIONS: 1, SectionKind.AWARDS: 1, SectionKind.OTHER: 2, SectionKind.EDUCATION: 2,
    SectionKind.CERTIFICATIONS: 2, SectionKind.SKILLS: 3, SectionKind.LANGUAGES: 3, SectionKind.INTERESTS: 4,
}
_CLAUSE_SPLIT = re.compile(r"(?<=[.;!?])\s+(?=[A-Z])|\s+\*\s+|\s+•\s+|\s+[–—]\s+(?=[A-Z])")


@dataclass(frozen=True)
class Point:
    """One requirement the letter argues and the line that shows it."""

    requirement: Requirement
    keywords: tuple[str, ...]  # the posting's terms for it that the quoted line writes itself
    item_id: str  # a resume item id, or "user.N" for a declared fact
    quote: str  # the clause of that line, verbatim (clipped, never reworded)
    clipped: bool = False  # the quote is a cut-down clause ("…" marks the cut)
    entry_title: str | None = None  # the role the line sits under, as the resume writes it
    entry_org: str | None = None
    header_ids: tuple[str, ...] = ()  # the items that state that role (cited with the line)
    declared: bool = False
    rank: int = 0  # where the line sits: 0 work done … 4 interests (leads prefer low ranks)

    @property
    def evidence_ids(self) -> list[str]:
        return [self.item_id, *self.header_ids]


@dataclass(frozen=True)
class Role:
    """A role the resume states, for the opening ("I currently work as … at …")."""

    title: str
    organization: str
    current: bool
    header_ids: tuple[str, ...]


@dataclass
class LetterPlan:
    title: str | None
    company: str | None
    points: list[Point] = field(default_factory=list)
    role: Role | None = None
    summary: tuple[str, str] | None = None  # (item id, the resume's own summary clause), when it has one


def build_plan(resume: Resume, job: JobDescription, report: GapReport, facts: list[str] | None = None) -> LetterPlan:
    """The points a letter for this resume and posting should make, strongest first."""
    order = {r.id: i for i, r in enumerate(report.requirements)}
    ranked: list[tuple[tuple[float, ...], Requirement]] = []
    for req in report.requirements:
        match = report.match_for(req.id)
        if match is None or match.status is MatchStatus.MISSING:
            continue
        status_rank = 0 if match.status is MatchStatus.MATCHED else 1
        ranked.append(((status_rank, -PRIORITY_WEIGHT[req.priority], -match.strength, order[req.id]), req))
    ranked.sort(key=lambda pair: pair[0])
    used: set[str] = set()
    points: list[Point] = []
    for _round in range(3):  # each requirement's best line first, then a second and a third line for each
        for _, req in ranked:
            if len(points) >= MAX_POINTS:
                break
            point = _best_point(resume, req, report.evidence_for(req.id), used, facts or [])
            if point is None:
                continue
            used.add(point.item_id)
            points.append(point)
    return LetterPlan(title=_clean_name(job.title), company=_clean_name(job.company), points=points,
                      role=_latest_role(resume), summary=_summary(resume, used))


def _summary(resume: Resume, used: set[str]) -> tuple[str, str] | None:
    """The first line of the resume's summary section, clipped to one clause, unless a point quotes it."""
    for section in resume.sections:
        if section.kind is SectionKind.SUMMARY:
            for item in section.items:
                if item.id not in used and len(item.text.split()) >= 6:
                    quote, _ = clip_quote(item.text, [])
                    return item.id, quote
    return None


def _best_point(resume: Resume, req: Requirement, evidence: list[Evidence], used: set[str], facts: list[str]) -> Point | None:
    candidates: list[tuple[tuple[float, ...], Point]] = []
    for ev in evidence:
        if ev.item_id in used:
            continue
        if ev.item_id.split(".")[0] == USER_FACTS_ID:
            index = _fact_index(ev.item_id)
            if index is None or index >= len(facts):
                continue
            text = facts[index]
            point = Point(req, _keywords_in(req, text), ev.item_id, text.strip().rstrip("."), declared=True, rank=1)
            candidates.append(((1, -ev.strength), point))
            continue
        item = resume.item(ev.item_id)
        section = resume.section_of(ev.item_id)
        if item is None or section is None or item.kind is ItemKind.ROLE or len(item.text.split()) < 3:
            continue
        quote, clipped = clip_quote(item.text, req.keywords)
        if (req.category is not RequirementCategory.EDUCATION and section.kind is SectionKind.EDUCATION
                and not _keywords_in(req, quote, phrases=False)):
            continue  # a degree line shows a skill only when it names it ("MS Analytics: Statistics, R")
        entry = section.entry_of(item.id)
        title, org, headers = _entry_context(entry, item.id)
        rank = _SECTION_RANK.get(section.kind, 2)
        point = Point(req, _keywords_in(req, quote), item.id, quote, clipped, title, org, headers, rank=rank)
        candidates.append(((rank, -len(point.keywords), -ev.strength), point))
    if not candidates:
        return None
    candidates.sort(key=lambda pair: pair[0])
    return candidates[0][1]


def _fact_index(item_id: str) -> int | None:
    tail = item_id.split(".", 1)[1] if "." in item_id else ""
    return int(tail) - 1 if tail.isdigit() and int(tail) >= 1 else None


def _entry_context(entry: Entry | None, item_id: str) -> tuple[str | None, str | None, tuple[str, ...]]:
    if entry is None or item_id in entry.header_ids or not entry.title or not entry.organization:
        return None, None, ()
    return _role_title(entry.title), _clean_name(entry.organization), tuple(entry.header_ids)


def _keywords_in(req: Requirement, text: str, *, phrases: bool = True) -> tuple[str, ...]:
    """The requirement's keywords that `text` itself writes, in this or another form of the same words
    ("mentoring" for "Mentored"), never ones it merely implies."""
    found = []
    stems = {stem(w)[:6] for w in words(text)}
    for kw in req.keywords:
        if re.search(rf"(?<![\w+#]){re.escape(kw)}(?![\w+#])", text, re.I):
            found.append(kw)
        elif kw.isascii() and kw.replace(" ", "").isalpha() and all(stem(w)[:6] in stems for w in words(kw)):
            found.append(kw)
    if not found and phrases:
        phrase = shared_phrase(req.text, text)
        found = [phrase] if phrase else []
    return tuple(dict.fromkeys(found))


def shared_phrase(requirement: str, line: str) -> str | None:
    """The longest run of the requirement's words (up to four, not starting or ending on a small word)
    that the resume line writes too, as the line writes it: the topic a paragraph can name honestly
    when the posting's requirement has no listed keyword ("critical care")."""
    req_words = re.findall(r"[A-Za-z][A-Za-z+#-]*", requirement)
    low_line = " ".join(re.findall(r"[A-Za-z][A-Za-z+#-]*", line)).lower()
    for n in (4, 3, 2, 1):
        for k in range(len(req_words) - n + 1):
            gram = req_words[k : k + n]
            if gram[0].lower() in COMMON_WORDS or gram[-1].lower() in COMMON_WORDS or len(gram[-1]) < 4:
                continue
            if n == 1 and (len(gram[0]) < 6 or gram[0].lower() in _WEAK_TOPICS):
                continue
            phrase = " ".join(gram).lower()
            at = f" {low_line} ".find(f" {phrase} ")
            if at >= 0:
                return phrase
    return None


# Single words too vague to name a paragraph's topic.
_WEAK_TOPICS = frozenset("experience experienced ability skills knowledge working strong excellent years including "
                         "various related required preferred minimum degree position candidate".split())


def clip_quote(text: str, keywords: list[str]) -> tuple[str, bool]:
    """The clause of a resume line that carries the most of `keywords`, at most MAX_QUOTE_WORDS words,
    verbatim; the boolean says whether anything was cut."""
    text = " ".join(text.split()).strip()
    clauses = [c.strip(" *•") for c in _CLAUSE_SPLIT.split(text) if c.strip(" *•")] or [text]

    def score(clause: str) -> tuple[int, int]:
        hits = sum(1 for kw in keywords if re.search(rf"(?<!\w){re.escape(kw)}(?!\w)", clause, re.I))
        return hits, -abs(len(clause.split()) - 18)

    best = max(clauses, key=score)
    clipped = best != text
    ws = best.split()
    if len(ws) > MAX_QUOTE_WORDS:
        head = " ".join(ws[:MAX_QUOTE_WORDS])
        comma = head.rfind(",")
        head = head[:comma] if comma > len(head) // 2 else head
        best, clipped = head.rstrip(" ,;:-–—") + "…", True
    return best.rstrip(" .;,"), clipped


def _latest_role(resume: Resume) -> Role | None:
    """The experience entry with the latest start year (a current one first), if the resume states one."""
    best: tuple[tuple[int, int, int], Role] | None = None
    position = 0
    for section in resume.sections:
        if section.kind is not SectionKind.EXPERIENCE:
            continue
        for entry in section.entries:
            position += 1
            if not entry.title or not entry.organization:
                continue
            current = bool(entry.end and re.search(r"present|current|now|today", entry.end, re.I))
            years = [int(y) for y in re.findall(r"(?:19|20)\d\d", entry.start or "")]
            key = (1 if current else 0, max(years) if years else 0, -position)
            role = Role(_role_title(entry.title) or "", _clean_name(entry.organization) or "", current,
                        tuple(entry.header_ids))
            if best is None or key > best[0]:
                best = (key, role)
    return best[1] if best else None


def _role_title(value: str | None) -> str | None:
    """An entry's title when it reads as a job title ("Senior Backend Engineer"); None when the parser
    left something else in it ("Senior Digital Analyst San Francisco"), so no sentence misnames a role."""
    title = _clean_name(value)
    if not title or len(title.split()) > 6:
        return None
    last = title.split()[-1].lower().strip(".,")
    if last not in ROLE_NOUNS and last.rstrip("s") not in ROLE_NOUNS:
        return None
    return title.title() if title.isupper() else title


def _clean_name(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(value.split()).strip(" ,;:|-–—")
    return value or None
