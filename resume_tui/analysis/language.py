"""A posting written in another language than the resume: one visible requirement row.

"Works in Spanish — the posting is written in Spanish" is critical, met when the resume shows the
language (names it, as a languages section does, or a fact the user declared does), and missing
otherwise — so the score says why it is lower, where a hidden multiplier would not. When the
posting and the resume share a language, or either language is unknown, there is no row.
"""

from __future__ import annotations

import re

from resume_tui.analysis.evidence import LANGUAGE_WORDS
from resume_tui.models import (
    Evidence,
    JobDescription,
    MatchStatus,
    Priority,
    Requirement,
    RequirementCategory,
    RequirementMatch,
    Resume,
)

LANGUAGE_ROW_ID = "lang"
MIN_WORDS = 40
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "de": "German", "fr": "French", "it": "Italian",
                  "pt": "Portuguese", "nl": "Dutch"}


def language_row(resume: Resume, job: JobDescription) -> tuple[Requirement, RequirementMatch, list[Evidence]] | None:
    """The row, its match and its quote, or None when the posting and the resume share a language."""
    from resume_tui.documents.quality import guess_language

    job_lang = job.language or guess_language(job.text)
    resume_text = resume.full_text()
    if len(resume_text.split()) < MIN_WORDS:
        return None  # too little text to tell which language the resume is written in
    resume_lang = guess_language(resume_text)
    name = LANGUAGE_NAMES.get(job_lang or "")
    if not job_lang or not resume_lang or job_lang == resume_lang or name is None:
        return None
    req = Requirement(
        id=LANGUAGE_ROW_ID,
        text=f"Works in {name} — the posting is written in {name}",
        category=RequirementCategory.SOFT_SKILL,
        priority=Priority.CRITICAL,
        keywords=[name],
    )
    pattern = re.compile(rf"\b(?:{LANGUAGE_WORDS[job_lang]})\b", re.I)
    for section in resume.sections:
        for item in section.items:
            if pattern.search(item.text):
                quote = _sentence_with(item.text, pattern)
                evidence = [Evidence(requirement_id=req.id, item_id=item.id, quote=quote, strength=1.0)]
                return req, RequirementMatch(requirement_id=req.id, status=MatchStatus.MATCHED, strength=1.0,
                                             matched_keywords=[name]), evidence
    return req, RequirementMatch(requirement_id=req.id, status=MatchStatus.MISSING, strength=0.0,
                                 missing_keywords=[name]), []


def _sentence_with(text: str, pattern: re.Pattern[str]) -> str:
    """The item, or for a long one the sentence or list entry that names the language."""
    if len(text) <= 240:
        return text
    for piece in re.split(r"(?<=[.;!?])\s+|\s*[|•]\s*", text):
        if pattern.search(piece):
            return piece.strip()
    return text
