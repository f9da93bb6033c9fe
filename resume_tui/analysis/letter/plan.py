"""What a letter argues, read off the gap report: the strongest matched requirements, each with the
one resume line (or declared fact) that shows it best, clipped to the clause that says it.

Nothing here writes prose; it chooses. The points are ordered strongest first (matched before
partial, critical before nice-to-have, stronger evidence first), and no resume line is used twice,
so three paragraphs show three different pieces of work.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

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
    partial: bool = False  # the requirement is only partly met: the letter says so rather than claim it
    section: SectionKind | None = None  # where the line sits (a skills list, a degree…), for how it is framed

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
    item_ids: tuple[str, ...] = ()  # the lines under it (what the opening may say was done there)


@dataclass
class LetterPlan:
    title: str | None
    company: str | None
    points: list[Point] = field(default_factory=list)
    role: Role | None = None
    summary: tuple[str, str] | None = None  # (item id, the resume's own summary clause), when it has one
    # The posting's terms some resume line writes verbatim: (term, requirement id, item id), one per term.
    named: list[tuple[str, str, str]] = field(default_factory=list)
    requirements: int = 0  # how many requirements the posting states
    backed: int = 0  # how many of them the gap report finds met or partly met (by the resume or a declared fact)


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
    quotes: set[str] = set()
    points: list[Point] = []
    for _round in range(3):  # each requirement's best line first, then a second and a third line for each
        for _, req in ranked:
            if len(points) >= MAX_POINTS:
                break
            evidence = report.evidence_for(req.id) + _naming_lines(resume, req, report)
            point = _best_point(resume, req, evidence, used | quotes, facts or [])
            if point is None:
                continue
            partial = report.match_for(req.id).status is MatchStatus.PARTIAL  # type: ignore[union-attr]
            used.add(point.item_id)
            quotes.add(_quote_key(point.quote))
            points.append(replace(point, partial=partial))
    return LetterPlan(title=_clean_name(job.title), company=_clean_name(job.company), points=points,
                      role=_latest_role(resume), summary=_summary(resume, used),
                      named=_named_terms(resume, job, report, ranked),
                      requirements=len(report.requirements), backed=len(ranked))


def _named_terms(resume: Resume, job: JobDescription, report: GapReport,
                 ranked: list[tuple[tuple[float, ...], Requirement]]) -> list[tuple[str, str, str]]:
    """Each posting term of a met requirement that one of its evidence lines writes as the posting does,
    then the posting's other words the resume writes verbatim (the gap report's keywords), each with the
    requirement that asks for it and the line that writes it."""
    out: dict[str, tuple[str, str, str]] = {}
    for kw in report.keywords_matched:
        pattern = rf"(?<![\w+#]){re.escape(kw)}(?![\w+#])"
        req = next((r for r in job.requirements if re.search(pattern, r.text, re.I)), None)
        item = next((i for i in resume.items() if i.kind is not ItemKind.ROLE and re.search(pattern, i.text, re.I)), None)
        if req is None or item is None or is_meta_line(item.text):
            continue
        found = re.search(pattern, item.text, re.I)
        assert found is not None
        out.setdefault(kw.casefold(), (found.group(0), req.id, item.id))
    for _, req in ranked:
        for ev in report.evidence_for(req.id):
            item = resume.item(ev.item_id)
            if item is None:
                continue
            for kw in req.keywords:
                found = re.search(rf"(?<![\w+#]){re.escape(kw)}(?![\w+#])", item.text, re.I)
                if found and kw.casefold() not in out:
                    out[kw.casefold()] = (found.group(0), req.id, item.id)  # as the resume writes it
    return list(out.values())


def _quote_key(quote: str) -> str:
    return "q:" + " ".join(quote.casefold().split())


def _naming_lines(resume: Resume, req: Requirement, report: GapReport) -> list[Evidence]:
    """Lines of work done (experience, projects, volunteering) that write one of the requirement's own
    terms but that the gap report did not quote: more of the resume's real evidence for a letter, never
    a line that merely sounds related. Weaker than the report's own evidence, so they come second."""
    if not req.keywords:
        return []
    quoted = {ev.item_id for ev in report.evidence_for(req.id)}
    out = []
    for section in resume.sections:
        if section.kind not in (SectionKind.EXPERIENCE, SectionKind.PROJECTS, SectionKind.VOLUNTEERING, SectionKind.OTHER):
            continue
        for item in section.items:
            if item.id in quoted or item.kind is ItemKind.ROLE or not _keywords_in(req, item.text, phrases=False):
                continue
            out.append(Evidence(requirement_id=req.id, item_id=item.id, quote=item.text, strength=0.3))
    return out


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
            candidates.append(((False, not point.keywords, 1, 0, -ev.strength), point))
            continue
        item = resume.item(ev.item_id)
        section = resume.section_of(ev.item_id)
        if item is None or section is None or len(item.text.split()) < 3:
            continue
        quote, clipped = clip_quote(item.text, req.keywords)
        if _quote_key(quote) in used or is_meta_line(quote):
            continue  # the same words through another item (a doubled paste), or a line of dates and places
        if (req.category is not RequirementCategory.EDUCATION and section.kind is SectionKind.EDUCATION
                and not _keywords_in(req, quote, phrases=False)):
            continue  # a degree line shows a skill only when it names it ("MS Analytics: Statistics, R")
        entry = section.entry_of(item.id)
        title, org, headers = _entry_context(entry, item.id)
        # A role's own heading ("Nurse Practitioner - Medical Intensive Care") is evidence too, after the
        # lines of what was done in it.
        rank = _SECTION_RANK.get(section.kind, 2) + (1 if item.kind is ItemKind.ROLE else 0)
        point = Point(req, _keywords_in(req, quote), item.id, quote, clipped, title, org, headers, rank=rank,
                      section=section.kind)
        # A line that writes the posting's own term lets the letter name it; among lines of work done (and
        # not lists) that comes before rank, so a paragraph can say "for ICU", not only "for this role".
        candidates.append(((rank > 2, not point.keywords, rank, -len(point.keywords), -ev.strength), point))
    if not candidates:
        return None
    candidates.sort(key=lambda pair: pair[0])
    return candidates[0][1]


_DATE_TOKEN = re.compile(
    r"^(?:(?:19|20)\d\d|\d{1,2}/\d{2,4}|\d+|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|"
    r"march|april|june|july|august|september|october|november|december|present|current|now|yrs?|mos?|years?|months?|"
    r"full-time|part-time|to|[-–—·|•])$", re.I)


def is_meta_line(text: str) -> bool:
    """A line of dates, durations and separators ("Full-time Nov 2005 - Feb 2022 · 16 yrs 4 mos"): where
    and when a role was, not something done in it, so never quoted as evidence."""
    tokens = [tok.strip(",;:()") for tok in text.split()]
    tokens = [tok for tok in tokens if tok]
    dated = sum(1 for tok in tokens if _DATE_TOKEN.match(tok) or re.fullmatch(r"\d+(?:yrs?|mos?)\w*", tok, re.I))
    return bool(tokens) and dated / len(tokens) >= 0.35


def _fact_index(item_id: str) -> int | None:
    tail = item_id.split(".", 1)[1] if "." in item_id else ""
    return int(tail) - 1 if tail.isdigit() and int(tail) >= 1 else None


def _entry_context(entry: Entry | None, item_id: str) -> tuple[str | None, str | None, tuple[str, ...]]:
    if entry is None or item_id in entry.header_ids or not entry.title or not _clean_name(entry.organization):
        return None, None, ()
    return _role_title(entry.title), _clean_name(entry.organization), tuple(entry.header_ids)


def _keywords_in(req: Requirement, text: str, *, phrases: bool = True) -> tuple[str, ...]:
    """The requirement's keywords that `text` itself writes, in this or another form of the same words
    ("mentoring" for "Mentored"), never ones it merely implies."""
    found = []
    stems = {stem(w)[:6] for w in words(text)}
    for kw in req.keywords:
        written = re.search(rf"(?<![\w+#]){re.escape(kw)}(?![\w+#])", text, re.I)
        if written:  # a lower-case posting term as the resume writes it ("english" → "English")
            at_start = not text[: written.start()].strip(" *•-–—:")  # a capital there is only sentence case
            surface = written.group(0)
            found.append(surface if kw.islower() and not at_start and not surface.isupper() else kw)
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
    cut = best[: best.rfind("(")].rstrip(" ,;:-–—")
    if best.count("(") > best.count(")") and len(cut.split()) >= 3:  # "Care Medicine (May 2019": no dangling "("
        best, clipped = cut, True
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
            if not entry.organization or _clean_name(entry.organization) is None:
                continue
            current = bool(entry.end and re.search(r"present|current|now|today", entry.end, re.I))
            years = [int(y) for y in re.findall(r"(?:19|20)\d\d", entry.start or "")]
            key = (1 if current else 0, max(years) if years else 0, -position)
            role = Role(_role_title(entry.title) or "", _clean_name(entry.organization) or "", current,
                        tuple(entry.header_ids), tuple(i for i in entry.item_ids if i not in entry.header_ids))
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
    """A name as the resume writes it, less what a copy-paste left around it: a trailing "logo"
    (LinkedIn's image text), an unclosed parenthesis ("Klinikum (Münster"); None when it holds
    invisible or garbled characters, so no sentence prints a name the reader cannot read."""
    if not value:
        return None
    value = " ".join(value.split()).strip(" ,;:|-–—")
    value = re.sub(r"\s+logo$", "", value, flags=re.I)
    if value.count("(") > value.count(")"):
        value = value[: value.rfind("(")].rstrip(" ,;:-–—")
    if any(unicodedata.category(ch) in ("Cf", "Co", "Cc", "Cs") or ch in "\ufffdï¼" for ch in value):
        return None
    return value or None
