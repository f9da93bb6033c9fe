"""Which items are quoted for a requirement (best first) and the posting's own wording of each skill.
"""

from __future__ import annotations

import re

from resume_tui.analysis.evidence.index import ResumeIndex, _norm_surface
from resume_tui.analysis.evidence.strength import LANGUAGE_WORDS, MAX_EVIDENCE
from resume_tui.analysis.lexicon import Lexicon, default_lexicon
from resume_tui.analysis.requirements.degrees import find_degrees
from resume_tui.models import Requirement, SectionKind

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
