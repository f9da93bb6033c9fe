"""The offline analysis engine: resume × job description → GapReport.

Deterministic (no clock, no randomness, no set-order dependence) and fast (one lexicon
pass over the resume, then per-requirement lookups), so it is the default when no model
is configured and the yardstick that rates a tailored resume against the original.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from resume_tui.analysis.evidence import LANGUAGE_WORDS as _LANGUAGE_WORDS
from resume_tui.analysis.evidence import ResumeIndex, index_resume, jd_surfaces, match_requirement, reference_year
from resume_tui.analysis.facts import USER_FACTS_ID as DECLARED_SECTION_ID
from resume_tui.analysis.keywords import keyword_report
from resume_tui.analysis.lexicon import Lexicon, default_lexicon
from resume_tui.analysis.weighting import weighted_score
from resume_tui.models import (
    Evidence,
    GapReport,
    Item,
    JobDescription,
    Priority,
    RequirementMatch,
    Resume,
    Section,
    SectionKind,
)

_PRIORITY_ORDER = {Priority.CRITICAL: 0, Priority.IMPORTANT: 1, Priority.NICE_TO_HAVE: 2}

# A posting written in another language than the resume expects that language at work, and
# only language-neutral terms (tool names) can match; the score is scaled down so the
# mismatch shows, unless the resume names the posting's language (a languages section).
LANGUAGE_MISMATCH_FACTOR = 0.75


def language_factor(resume: Resume, job: JobDescription) -> float:
    """1.0, or LANGUAGE_MISMATCH_FACTOR when the JD is in a language the resume neither uses nor names."""
    from resume_tui.documents.quality import guess_language

    job_lang = job.language or guess_language(job.text)
    resume_text = resume.full_text()
    resume_lang = guess_language(resume_text)
    if not job_lang or not resume_lang or job_lang == resume_lang:
        return 1.0
    names = _LANGUAGE_WORDS.get(job_lang)
    if names and re.search(rf"\b(?:{names})\b", resume_text, re.I):
        return 1.0
    return LANGUAGE_MISMATCH_FACTOR


def analyze(
    resume: Resume,
    job: JobDescription,
    *,
    lexicon: Lexicon | None = None,
    facts: Sequence[str] = (),
    index: ResumeIndex | None = None,
) -> GapReport:
    """Match every requirement of `job` against `resume` and score the fit (0–100).

    `facts` are what the user declared true ("Terraform — provisioned AWS accounts at Parcelio"): they
    count as evidence for Fit (quoted as declared, item ids "user.N"), never for Keywords, which reads
    only what the resume itself writes, as an ATS would."""
    lex = lexicon or default_lexicon()
    keywords = keyword_report(resume, job, lex)
    resume = with_declared(resume, facts)
    index = index_resume(resume, lex, extra_texts=(job.text,))
    surfaces = jd_surfaces(job.text, lex)
    matches: list[RequirementMatch] = []
    evidence: list[Evidence] = []
    for req in job.requirements:
        match, found = match_requirement(req, index, surfaces)
        matches.append(match)
        evidence.extend(found)
    return GapReport(
        score=round(weighted_score(job.requirements, matches) * language_factor(resume, job), 1),
        requirements=list(job.requirements),
        evidence=evidence,
        matches=matches,
        missing_keywords=missing_keywords(job, matches),
        keyword_score=keywords.score,
        keywords_matched=keywords.matched,
        keywords_missing=keywords.missing,
    )


class ResumeAnalyzer:
    """One resume against many postings (batch triage): the resume is indexed once per reference year
    (the only thing a posting changes in the index: the year "present" stands for), so the results are
    exactly those of `analyze(resume, job)` while the resume's lexicon pass runs once, not per posting."""

    def __init__(self, resume: Resume, lexicon: Lexicon | None = None) -> None:
        self.resume = resume
        self.lexicon = lexicon or default_lexicon()
        self._texts = [item.text for section in resume.sections for item in section.items]
        self._resume_year = reference_year(self._texts)
        self._indexes: dict[int, ResumeIndex] = {}

    def analyze(self, job: JobDescription) -> GapReport:
        year = max(self._resume_year, reference_year([job.text]))
        index = self._indexes.get(year)
        if index is None:
            index = self._indexes[year] = index_resume(self.resume, self.lexicon, extra_texts=(job.text,))
        return analyze(self.resume, job, lexicon=self.lexicon, index=index)


def with_declared(resume: Resume, facts: Sequence[str]) -> Resume:
    """The resume plus a section holding the user's declared facts, for evidence matching only."""
    texts = [" ".join(f.split()) for f in facts if f and f.strip()]
    if not texts:
        return resume
    items = [Item(id=f"{DECLARED_SECTION_ID}.{n}", text=t) for n, t in enumerate(texts, start=1)]
    section = Section(id=DECLARED_SECTION_ID, kind=SectionKind.OTHER, title="Declared by you", items=items)
    return resume.model_copy(update={"sections": [*resume.sections, section]})


def missing_keywords(job: JobDescription, matches: list[RequirementMatch]) -> list[str]:
    """JD keywords the resume never mentions: critical ones first, then in JD order, no repeats."""
    missing_by_req = {m.requirement_id: m.missing_keywords for m in matches}
    present = {kw for m in matches for kw in m.matched_keywords}
    ordered = sorted(
        ((_PRIORITY_ORDER[r.priority], i, r) for i, r in enumerate(job.requirements)),
        key=lambda t: (t[0], t[1]),
    )
    out: list[str] = []
    for _, _, req in ordered:
        for kw in missing_by_req.get(req.id, []):
            if kw not in present and kw not in out:
                out.append(kw)
    return out
