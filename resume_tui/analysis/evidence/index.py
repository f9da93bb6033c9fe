"""The resume indexed once per analysis: each item's skills, stems, dates and degrees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from resume_tui.analysis.evidence.dates import _CLAIM_RE, _WORD_NUM, date_ranges, merged_years, reference_year
from resume_tui.analysis.evidence.strength import _NON_WORK_SECTIONS
from resume_tui.analysis.lexicon import Lexicon, SkillHit, _norm_token, default_lexicon, tokenize
from resume_tui.analysis.requirements.degrees import _DEGREE_PATTERNS, DEGREE_ORDER, find_degrees
from resume_tui.models import Item, Resume, SectionKind

# --------------------------------------------------------------------------- degrees

_FIELD_END = re.compile(r"[;|\n]|\.\s+(?=[A-Z])|(?<!\d)(?:19|20)\d\d(?!\d)")


def degree_windows(text: str) -> list[tuple[int, int]]:
    """Spans from each degree mention to the end of its field of study ("Bachelor of Science in Nursing")."""
    spans = []
    for _, pattern in _DEGREE_PATTERNS:
        for m in pattern.finditer(text):
            stop = _FIELD_END.search(text, m.end())
            end = min(stop.start() if stop else len(text), m.end() + 100)
            spans.append((m.start(), end))
    return sorted(set(spans))


# --------------------------------------------------------------------------- index


_STOPWORDS = frozenset(
    """a an the and or of in on for to with by at as from into via per such other any all our your their its
    is are be been being was were will would can could should must may might this that these those it we you
    they he she i me my us them who whom which what when where how than then also etc e.g i.e not no yes
    including include includes across within using use used able ability strong excellent good great solid
    experience experienced knowledge understanding skills skill work working years year plus new well day
    responsible responsibilities team teams role candidate candidates job position company""".split()
)
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")


# longest first; a suffix is cut only when at least four letters remain
_SUFFIXES = sorted(
    """izations ization ations ational ation ating ators ities ments ated ates ator ment ering ings ing ate ity ies
    ers ive ed er es ly al s e""".split(),
    key=len,
    reverse=True,
)


def stem(word: str) -> str:
    """A light suffix-stripping stem: "teach"/"teaching", "report"/"reports", "engineer"/"engineering" meet, while
    "communication"/"community" (which a fixed-length cut would merge) stay apart."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> set[str]:
    """Lower-cased content words, stemmed, so inflections of one word meet."""
    out = set()
    for w in _WORD_RE.findall(text.lower().replace("-", " ")):
        w = w.strip("'’-")
        if len(w) < 3 or w in _STOPWORDS:
            continue
        out.add(stem(w))
    return out


@dataclass
class _IndexedItem:
    item: Item
    order: int
    section_kind: SectionKind
    hits: list[SkillHit]
    stems: set[str]


@dataclass
class ResumeIndex:
    """Everything evidence matching needs from a resume, computed once per analysis."""

    items: list[_IndexedItem]
    # canonical → (item position, the hit, implied?) — implied: the item shows a narrower skill
    by_canonical: dict[str, list[tuple[int, SkillHit, bool]]] = field(default_factory=dict)
    years: float = 0.0
    year_items: list[int] = field(default_factory=list)
    degree_level: str | None = None
    degree_items: list[int] = field(default_factory=list)
    # item position → character windows naming a degree and its field ("BSc Computer Science, …")
    field_spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    language: str | None = None  # ISO 639-1 of the resume's own text


def index_resume(resume: Resume, lexicon: Lexicon | None = None, *, extra_texts: Iterable[str] = ()) -> ResumeIndex:
    lex = lexicon or default_lexicon()
    indexed: list[_IndexedItem] = []
    for section in resume.sections:
        for item in section.items:
            hits = lex.find(item.text, context_free=section.id == "user")  # a declared "Go" means Go
            indexed.append(_IndexedItem(item, len(indexed), section.kind, hits, content_stems(item.text)))
    index = ResumeIndex(indexed)
    from resume_tui.documents.quality import guess_language

    index.language = guess_language("\n".join(e.item.text for e in indexed))
    for pos, entry in enumerate(indexed):
        for hit in entry.hits:
            index.by_canonical.setdefault(hit.canonical, []).append((pos, hit, False))
            for broader in lex.implied_by(hit.canonical):
                index.by_canonical.setdefault(broader, []).append((pos, hit, True))

    # years of experience: role date ranges outside education/skills-like sections
    ref = reference_year([*(e.item.text for e in indexed), *extra_texts])
    has_experience = any(e.section_kind == SectionKind.EXPERIENCE for e in indexed)
    ranges: list[tuple[int, int]] = []
    for pos, entry in enumerate(indexed):
        kind = entry.section_kind
        if has_experience and kind != SectionKind.EXPERIENCE:
            continue
        if not has_experience and kind in _NON_WORK_SECTIONS:
            continue
        found = date_ranges(entry.item.text, ref)
        if found:
            ranges.extend(found)
            index.year_items.append(pos)
    computed = merged_years(ranges)
    claimed = 0.0
    for entry in indexed:
        if entry.section_kind in (SectionKind.SUMMARY, SectionKind.OTHER, SectionKind.EXPERIENCE):
            for m in _CLAIM_RE.finditer(entry.item.text):
                n = m.group(1).lower()
                claimed = max(claimed, float(_WORD_NUM.get(n, n)) if n in _WORD_NUM else float(n))
    index.years = max(computed, claimed)

    # degree: highest level named in education (or anywhere when there is no education section)
    edu = [e for e in indexed if e.section_kind == SectionKind.EDUCATION]
    pool = edu or [e for e in indexed if e.section_kind not in (SectionKind.EXPERIENCE, SectionKind.SKILLS)]
    best = -1
    for entry in pool:
        spans = degree_windows(entry.item.text)
        if spans:
            index.field_spans[entry.order] = spans
        for level in find_degrees(entry.item.text):
            rank = DEGREE_ORDER[level]
            if rank > best:
                best = rank
                index.degree_level = level
                index.degree_items = [entry.order]
            elif rank == best and entry.order not in index.degree_items:
                index.degree_items.append(entry.order)
    return index


def _norm_surface(s: str) -> str:
    return " ".join(_norm_token(t) for t, _, _ in tokenize(s))
