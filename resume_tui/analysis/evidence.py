"""Find the resume items that support each requirement, with a strength in 0–1.

Signals, all offline and deterministic:
- skills: the requirement's canonical keywords found in items through the lexicon. The
  JD's own wording counts fully, another alias of the same skill ("k8s" for "Kubernetes")
  a little less, a fuzzy variant less again, and a skill only *listed* in a skills section
  a little less than one shown in experience — so aligning terminology (where the skill is
  already evidenced) raises the score slightly, and nothing unsupported is ever needed;
- years: role date ranges in the experience section, merged, against "5+ years";
- degree: the highest degree level named in the education section against the required one;
- wording: for requirements with no skill keyword (duties), overlap of content words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from resume_tui.analysis.lexicon import Lexicon, SkillHit, _norm_token, default_lexicon, tokenize
from resume_tui.analysis.requirements.degrees import _DEGREE_PATTERNS, DEGREE_ORDER, find_degrees
from resume_tui.models import Evidence, Item, MatchStatus, Requirement, RequirementMatch, Resume, SectionKind

# how a document names each language, for "Excellent English communication skills" and for
# the engine's check that a resume names the language of a foreign-language posting
LANGUAGE_WORDS = {
    "en": r"english|inglés|ingles|anglais|englisch",
    "es": r"spanish|español|espanol|castellano",
    "de": r"german|deutsch|alemán",
    "fr": r"french|français|francais|francés",
    "it": r"italian|italiano",
    "pt": r"portuguese|português|portugues",
    "nl": r"dutch|nederlands|flemish",
}
# a resume written in the language a requirement names shows that language in writing,
# though not the speaking or the rest of the requirement: partial evidence
WRITTEN_IN_LANGUAGE = 0.5

MATCHED_AT = 0.7  # strength at or above which a requirement counts as matched
PARTIAL_AT = 0.25  # below this it is missing
MAX_EVIDENCE = 3  # items quoted per requirement

# "Present" needs a reference date; the clock would make scores drift from day to day, so
# we use the latest year the documents themselves mention, and never earlier than this.
REFERENCE_YEAR_FLOOR = 2025

_W_JD_WORDING = 1.0
_W_ALIAS = 0.9
_W_FUZZY = 0.75
_W_IMPLIED = 0.8  # "Terraform" shown, "infrastructure as code" asked
_LISTED_ONLY = 0.9  # factor for a skill named only in a skills list

_LIST_SECTIONS = {SectionKind.SKILLS, SectionKind.INTERESTS, SectionKind.LANGUAGES}
_NON_WORK_SECTIONS = {
    SectionKind.EDUCATION,
    SectionKind.CERTIFICATIONS,
    SectionKind.PUBLICATIONS,
    SectionKind.AWARDS,
    SectionKind.VOLUNTEERING,
    SectionKind.SKILLS,
    SectionKind.INTERESTS,
    SectionKind.LANGUAGES,
}

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
    """izations ization ations ational ation ating ators ities ments ated ates ator ment ings ing ate ity ies
    ers ive ed er es ly al s e""".split(),
    key=len,
    reverse=True,
)


def stem(word: str) -> str:
    """A light suffix-stripping stem: "teach"/"teaching", "report"/"reports" meet, while
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


# --------------------------------------------------------------------------- matching


_OR_RE = re.compile(r"\bor\b|\beither\b|\bat least one\b|\bany\b|\bo\b|\bou\b|\boder\b|/|\bsimilar\b", re.I)


def _norm_surface(s: str) -> str:
    return " ".join(_norm_token(t) for t, _, _ in tokenize(s))


def _same_wording(surface: str, jd_surfaces: set[str]) -> bool:
    """The resume writes the skill as the JD does ("Kubernetes clusters" ⊇ "Kubernetes")."""
    padded = f" {surface} "
    return any(f" {js} " in padded or padded in f" {js} " for js in jd_surfaces)


def _hit_weight(hit: SkillHit, kind: SectionKind, jd_surfaces: set[str], implied: bool = False) -> float:
    if implied:
        w = _W_IMPLIED
    elif hit.fuzzy:
        w = _W_FUZZY
    elif _same_wording(_norm_surface(hit.surface), jd_surfaces):
        w = _W_JD_WORDING
    else:
        w = _W_ALIAS
    return w * (_LISTED_ONLY if kind in _LIST_SECTIONS else 1.0)


def _coverage(weights: list[float], any_of: bool) -> float:
    """Combine per-keyword weights: all needed for short lists, most for long ones, one for "A or B"."""
    if not weights:
        return 0.0
    n = len(weights)
    if any_of:
        return 0.6 * max(weights) + 0.4 * (sum(weights) / n)
    need = n if n <= 3 else max(3, math.ceil(n * 0.6))
    top = sorted(weights, reverse=True)[:need]
    return min(1.0, sum(top) / need)


def _quote(item: Item, hit: SkillHit | None) -> str:
    """The item text verbatim, or for long items the sentence that holds the match."""
    text = item.text
    if len(text) <= 240 or hit is None:
        return text
    starts = [0] + [m.end() for m in re.finditer(r"(?<=[.!?;])\s+", text)]
    start = max(s for s in starts if s <= hit.start)
    ends = [m.start() + 1 for m in re.finditer(r"[.!?;](?=\s|$)", text) if m.start() >= hit.end - 1]
    end = ends[0] if ends else len(text)
    quote = text[start:end].strip()
    return quote or text


_CREDENTIAL_SECTIONS = {SectionKind.EDUCATION, SectionKind.CERTIFICATIONS}


def _item_field_coverage(
    req: Requirement, index: ResumeIndex, pos: int, jd_surfaces: dict[str, set[str]], any_of: bool
) -> float:
    """Field coverage of one degree line, so the quoted degree is the one in the asked field."""
    kind = index.items[pos].section_kind
    weights = []
    for kw in req.keywords:
        best = 0.0
        for p, hit, implied in index.by_canonical.get(kw, ()):
            if p != pos:
                continue
            spans = index.field_spans.get(pos, ())
            if spans and not any(s <= hit.start < e for s, e in spans):
                continue
            best = max(best, _hit_weight(hit, kind, jd_surfaces.get(kw, set()), implied))
        weights.append(best)
    return _coverage(weights, any_of)


def _field_coverage(req: Requirement, index: ResumeIndex, jd_surfaces: dict[str, set[str]], any_of: bool) -> float:
    """How well the resume's degrees name the field a degree requirement asks for.

    Only the words next to a degree count ("MSc Computer Science"), so an institution's
    name ("Institute of Science Education") or a job title does not pass for a field;
    without any degree mention, the education and certification sections are read.
    """
    has_edu = any(e.section_kind in _CREDENTIAL_SECTIONS for e in index.items)
    weights = []
    for kw in req.keywords:
        best = 0.0
        for pos, hit, implied in index.by_canonical.get(kw, ()):
            kind = index.items[pos].section_kind
            if index.field_spans:
                if not any(s <= hit.start < e for s, e in index.field_spans.get(pos, ())):
                    if kind != SectionKind.CERTIFICATIONS:  # "teaching certification" lives there
                        continue
            elif has_edu and kind not in _CREDENTIAL_SECTIONS:
                continue
            best = max(best, _hit_weight(hit, kind, jd_surfaces.get(kw, set()), implied))
        weights.append(best)
    return _coverage(weights, any_of)


def match_requirement(
    req: Requirement, index: ResumeIndex, jd_surfaces: dict[str, set[str]]
) -> tuple[RequirementMatch, list[Evidence]]:
    """Strength, status and quoted evidence for one requirement."""
    n_items = len(index.items)
    item_scores: dict[int, float] = {}
    item_hit: dict[int, SkillHit] = {}
    any_of = bool(_OR_RE.search(req.text))

    # -- skills
    best_w: list[float] = []
    matched_kw: list[str] = []
    missing_kw: list[str] = []
    per_item_weights: dict[int, list[float]] = {}
    for kw in req.keywords:
        surfaces = jd_surfaces.get(kw, set())
        best = 0.0
        for pos, hit, implied in index.by_canonical.get(kw, ()):
            w = _hit_weight(hit, index.items[pos].section_kind, surfaces, implied)
            best = max(best, w)
            weights = per_item_weights.setdefault(pos, [0.0] * len(req.keywords))
            k = req.keywords.index(kw)
            if w > weights[k]:
                weights[k] = w
                if pos not in item_hit:
                    item_hit[pos] = hit
        best_w.append(best)
        (matched_kw if best > 0 else missing_kw).append(kw)
    kw_strength = _coverage(best_w, any_of) if req.keywords else None
    for pos, weights in per_item_weights.items():
        item_scores[pos] = _coverage(weights, any_of)

    # -- wording overlap (duties and anything the lexicon does not name)
    req_stems = content_stems(req.text)
    overlap_strength = 0.0
    if req_stems:
        for entry in index.items:
            common = len(req_stems & entry.stems)
            if not common:
                continue
            ratio = common / len(req_stems)
            if ratio < 0.34 or common < 2 and len(req_stems) > 2:
                continue
            s = min(1.0, ratio) * 0.9
            overlap_strength = max(overlap_strength, s)
            if s > item_scores.get(entry.order, 0.0) * 0.999:
                item_scores[entry.order] = max(item_scores.get(entry.order, 0.0), s)

    parts: list[tuple[float, float]] = []  # (strength, weight)
    kw_part = max(kw_strength, overlap_strength * 0.8) if kw_strength is not None else None
    if kw_part is not None and req.degree is None:
        parts.append((kw_part, 1.0))
    elif req.years is None and req.degree is None:
        parts.append((overlap_strength, 1.0))

    # -- years
    if req.years is not None:
        need = max(req.years, 0.5)
        y = min(1.0, index.years / need) if index.years > 0 else 0.0
        if kw_part is not None and req.degree is None:
            # "2+ years of Kubernetes": years count only as far as the skill itself is shown
            parts[-1] = (kw_part * (0.5 + 0.5 * y), 2.0)
            y *= kw_part
        else:
            parts.append((y, 1.0))
        if y > 0:
            for pos in index.year_items:
                item_scores[pos] = max(item_scores.get(pos, 0.0), y)

    # -- degree: the level, scaled by whether the named field (or certification) is shown
    if req.degree is not None:
        need_rank = DEGREE_ORDER[req.degree]
        have = DEGREE_ORDER[index.degree_level] if index.degree_level else -1
        if have >= need_rank:
            d = 1.0
        elif have >= 0:
            d = 0.4
        else:
            d = 0.0
        if d < 0.6 and re.search(r"\bequivalent\b", req.text, re.I) and index.years >= 4:
            d = 0.6
        # the field of study (or certification) named next to the degree; a degree in another
        # field is partial evidence only when the posting accepts an equivalent or related one
        base = 0.4 if _EQUIVALENT_RE.search(req.text) else 0.2
        if req.keywords:
            d *= base + (1 - base) * _field_coverage(req, index, jd_surfaces, any_of)
        parts.append((d, 1.0))
        # the field's words elsewhere ("Institute of Science Education", a job title) are not
        # what the degree part scored, so they are not quoted; credentials lines still are
        item_scores = {
            pos: min(s, d) for pos, s in item_scores.items() if index.items[pos].section_kind in _CREDENTIAL_SECTIONS
        }
        for pos in index.degree_items if not req.keywords else _degree_lines(index):
            levels = find_degrees(index.items[pos].item.text)
            own = 1.0 if levels and max(DEGREE_ORDER[lv] for lv in levels) >= need_rank else 0.4
            if req.keywords:
                own *= base + (1 - base) * _item_field_coverage(req, index, pos, jd_surfaces, any_of)
            item_d = min(d, own)
            if item_d > 0:
                item_scores[pos] = max(item_scores.get(pos, 0.0), item_d)

    total_w = sum(w for _, w in parts)
    strength = sum(s * w for s, w in parts) / total_w if total_w else 0.0
    prose = _written_language_item(req, index)
    if prose is not None and strength < WRITTEN_IN_LANGUAGE:
        strength = WRITTEN_IN_LANGUAGE
        item_scores[prose] = max(item_scores.get(prose, 0.0), WRITTEN_IN_LANGUAGE)
    strength = round(min(1.0, max(0.0, strength)), 4)
    if strength >= MATCHED_AT:
        status = MatchStatus.MATCHED
    elif strength >= PARTIAL_AT:
        status = MatchStatus.PARTIAL
    else:
        status = MatchStatus.MISSING

    lex = default_lexicon()
    credential = any(lex.category(kw) == "certification" for kw in req.keywords)
    ranked = _rank_evidence(item_scores, index, req_stems, credential)
    evidence = [
        Evidence(
            requirement_id=req.id,
            item_id=index.items[pos].item.id,
            quote=_quote(index.items[pos].item, item_hit.get(pos)),
            strength=round(min(1.0, item_scores[pos]), 4),
        )
        for pos in ranked
        if pos < n_items
    ]
    if status == MatchStatus.MISSING:
        evidence = []
    match = RequirementMatch(
        requirement_id=req.id,
        status=status,
        strength=strength if status != MatchStatus.MISSING else round(strength, 4),
        matched_keywords=matched_kw,
        missing_keywords=missing_kw,
    )
    return match, evidence


# the posting names a kind of field, not one field: "or equivalent", "related", "a quantitative field (e.g. …)"
_EQUIVALENT_RE = re.compile(
    r"\bequivalent\b|\brelated\b|\bsimilar\b|\bor other\b|\bequivalente?\b|\be\.g\b|\bsuch as\b|\ba\s+[a-z]+\s+field\b",
    re.I,
)

# where a recruiter looks for proof: what was done first, credentials next, the summary last
_SECTION_RANK = {
    SectionKind.EXPERIENCE: 0,
    SectionKind.PROJECTS: 0,
    SectionKind.EDUCATION: 1,
    SectionKind.CERTIFICATIONS: 1,
    SectionKind.SUMMARY: 3,
}


def _written_language_item(req: Requirement, index: ResumeIndex) -> int | None:
    """When the requirement names the language the resume is written in: the item that names
    the language ("Fluent in English"), else the longest prose item as a sample of the
    writing; otherwise None."""
    words = LANGUAGE_WORDS.get(index.language or "")
    if not words or not re.search(rf"\b(?:{words})\b", req.text, re.I):
        return None
    naming = [e for e in index.items if re.search(rf"\b(?:{words})\b", e.item.text, re.I)]
    if naming:
        return naming[0].order
    prose_kinds = (SectionKind.SUMMARY, SectionKind.EXPERIENCE)
    candidates = [e for e in index.items if e.section_kind in prose_kinds] or index.items
    if not candidates:
        return None
    best = max(candidates, key=lambda e: (len(e.item.text.split()), -e.order))
    return best.order if len(best.item.text.split()) >= 8 else None


def _degree_lines(index: ResumeIndex) -> list[int]:
    """Items that name a degree (education first, as index_resume reads them)."""
    return sorted(set(index.degree_items) | {pos for pos in index.field_spans if find_degrees(index.items[pos].item.text)})


def _rank_evidence(item_scores: dict[int, float], index: ResumeIndex, req_stems: set[str], credential: bool = False) -> list[int]:
    """The best supporting items: strongest first; among equals, the one sharing most of the
    requirement's words, then work over the summary, credentials lines for a licence. Items far weaker than the best are left
    out, so a strong quote is not followed by one a recruiter would not count."""
    scored = [pos for pos, s in item_scores.items() if s > 0]
    if not scored:
        return []
    top = max(item_scores[p] for p in scored)
    kept = [p for p in scored if item_scores[p] >= top * 0.5]

    def key(p: int) -> tuple[float, int, int, int]:
        entry = index.items[p]
        shared = len(req_stems & entry.stems)
        # a line echoing the requirement's words is fine wherever it stands; without any
        # shared word (a job title implying the skill), work lines beat the summary
        rank = _SECTION_RANK.get(entry.section_kind, 2)
        if shared and entry.section_kind == SectionKind.SUMMARY:
            rank = 0
        if credential and entry.section_kind == SectionKind.CERTIFICATIONS:
            rank = -1  # a licence asked for is best shown by the credentials line itself
        return (-round(item_scores[p], 4), -shared, rank, p)

    out: list[int] = []
    seen: set[str] = set()
    for p in sorted(kept, key=key):
        text = " ".join(index.items[p].item.text.lower().split())
        if text in seen:  # a pasted profile repeats a title line; quote it once
            continue
        seen.add(text)
        out.append(p)
        if len(out) == MAX_EVIDENCE:
            break
    return out


def jd_surfaces(job_text: str, lexicon: Lexicon | None = None) -> dict[str, set[str]]:
    """How the JD itself writes each skill (normalised), for the terminology-alignment bonus."""
    lex = lexicon or default_lexicon()
    out: dict[str, set[str]] = {}
    for hit in lex.find(job_text):
        out.setdefault(hit.canonical, set()).add(_norm_surface(hit.surface))
    return out
