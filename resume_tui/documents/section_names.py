"""Section names: which section kind a heading's words name ("Work History:" → EXPERIENCE).

The stems are a vocabulary, not a layout rule, so they live apart from heading detection and
can be read by the contact and DOCX readers without pulling in the rest of segmentation. English
stems are below; the other languages' heading words come from resume_tui/data/languages.json
(documents/languages.py), matched on words folded to lower case without accents.
"""

from __future__ import annotations

import re

from resume_tui.documents.languages import fold, foreign_kind, heading_vocabulary
from resume_tui.models import SectionKind

MAX_HEADING = 60  # characters; longer lines are never headings


def _is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


# ------------------------------------------------------------------ section names

_KIND_STEMS: list[tuple[str, SectionKind]] = [
    ("summary", SectionKind.SUMMARY),
    ("profile", SectionKind.SUMMARY),
    ("objective", SectionKind.SUMMARY),
    ("about", SectionKind.SUMMARY),
    ("overview", SectionKind.SUMMARY),
    ("introduction", SectionKind.SUMMARY),
    ("bio", SectionKind.SUMMARY),
    ("statement", SectionKind.SUMMARY),
    ("experience", SectionKind.EXPERIENCE),
    ("employment", SectionKind.EXPERIENCE),
    ("work", SectionKind.EXPERIENCE),
    ("career", SectionKind.EXPERIENCE),
    ("positions", SectionKind.EXPERIENCE),
    ("internship", SectionKind.EXPERIENCE),
    ("appointments", SectionKind.EXPERIENCE),
    ("skill", SectionKind.SKILLS),
    ("competenc", SectionKind.SKILLS),
    ("expertise", SectionKind.SKILLS),
    ("technolog", SectionKind.SKILLS),
    ("tools", SectionKind.SKILLS),
    ("toolkit", SectionKind.SKILLS),
    ("stack", SectionKind.SKILLS),
    ("highlights", SectionKind.SKILLS),
    ("strengths", SectionKind.SKILLS),
    ("proficienc", SectionKind.SKILLS),
    ("abilities", SectionKind.SKILLS),
    ("programming", SectionKind.SKILLS),
    ("coursework", SectionKind.EDUCATION),
    ("education", SectionKind.EDUCATION),
    ("academic", SectionKind.EDUCATION),
    ("degree", SectionKind.EDUCATION),
    ("studies", SectionKind.EDUCATION),
    ("schooling", SectionKind.EDUCATION),
    ("project", SectionKind.PROJECTS),
    ("portfolio", SectionKind.PROJECTS),
    ("certif", SectionKind.CERTIFICATIONS),
    ("licen", SectionKind.CERTIFICATIONS),
    ("credential", SectionKind.CERTIFICATIONS),
    ("accreditation", SectionKind.CERTIFICATIONS),
    ("training", SectionKind.CERTIFICATIONS),
    ("courses", SectionKind.CERTIFICATIONS),
    ("workshop", SectionKind.CERTIFICATIONS),
    ("publication", SectionKind.PUBLICATIONS),
    ("papers", SectionKind.PUBLICATIONS),
    ("presentations", SectionKind.PUBLICATIONS),
    ("patents", SectionKind.PUBLICATIONS),
    ("talks", SectionKind.PUBLICATIONS),
    ("volunteer", SectionKind.VOLUNTEERING),
    ("community", SectionKind.VOLUNTEERING),
    ("extracurricular", SectionKind.VOLUNTEERING),
    ("award", SectionKind.AWARDS),
    ("honor", SectionKind.AWARDS),
    ("honour", SectionKind.AWARDS),
    ("recognition", SectionKind.AWARDS),
    ("achievement", SectionKind.AWARDS),
    ("accomplishment", SectionKind.AWARDS),
    ("scholarship", SectionKind.AWARDS),
    ("fellowship", SectionKind.AWARDS),
    ("distinction", SectionKind.AWARDS),
    ("language", SectionKind.LANGUAGES),
    ("interest", SectionKind.INTERESTS),
    ("hobbies", SectionKind.INTERESTS),
    ("hobby", SectionKind.INTERESTS),
]
# Stems that only decide when nothing more specific occurs ("Career Objective" is a summary).
_WEAK_STEMS = frozenset({"career", "work", "highlights"})
# Recognised headings that have no kind of their own (kept as OTHER with their title);
# matched only when no stem above occurs ("Research Experience" is experience).
_OTHER_WORDS = frozenset(
    "references referees memberships membership affiliations associations contact contacts "
    "personal information details additional leadership activities qualifications research "
    "teaching miscellaneous other conferences".split()
)
_FILLER = frozenset(
    "and of my key professional relevant technical core other selected additional work personal "
    "general recent related select areas area the in a for summary history details".split()
)
_HEADING_WORDS = re.compile(r"[^\W\d_]+")


def _words(text: str) -> list[str]:
    return [fold(w) for w in _HEADING_WORDS.findall(text.replace("&", " and "))]


def _english_stem(word: str) -> tuple[str, SectionKind] | None:
    for stem, kind in _KIND_STEMS:
        if word.startswith(stem) and (len(stem) >= 5 or word in (stem, stem + "s")):
            return stem, kind
    return None


def _is_filler(word: str) -> bool:
    return word in _FILLER or word in heading_vocabulary().filler


def _is_other(word: str) -> bool:
    return word in _OTHER_WORDS or word in heading_vocabulary().other


def section_kind_for_heading(text: str) -> SectionKind | None:
    """SectionKind for a heading's text ("Work History:" → EXPERIENCE, "EXPERIENCIA" →
    EXPERIENCE), OTHER for known kind-less headings ("References"), None when it is not a
    section name."""
    if len(text) > MAX_HEADING:
        return None
    stripped = text.strip()
    if stripped.startswith("(") and stripped.endswith(")"):
        return None  # "(PROJET PRIVÉ)": a note in parentheses, never a heading
    words = _words(text)
    if len(words) >= 2 and _is_caps(text) and sum(len(w) <= 2 for w in words) * 2 >= len(words):
        # Letter-spaced small caps ("R ESEARCH E XPERIENCE"): match stems inside the glued text.
        glued = "".join(words)
        if len(glued) <= 40:
            spaced = [(glued.find(stem), kind) for stem, kind in _KIND_STEMS if len(stem) >= 5 and stem in glued]
            if spaced:
                return min(spaced, key=lambda pair: pair[0])[1]
        return None
    if not 1 <= len(words) <= 6:
        return None
    weak: SectionKind | None = None
    found: list[SectionKind] = []
    for word in words:
        english = _english_stem(word)
        if english is not None:
            if english[0] in _WEAK_STEMS:
                weak = weak or english[1]
            else:
                found.append(english[1])
            continue
        foreign = foreign_kind(word)
        if foreign is not None:
            found.append(foreign)
    if found:
        # The first named kind wins, except that "Summary of Skills" is about skills and
        # "Languages & Tools" lists programming languages.
        if found[0] == SectionKind.SUMMARY and len(set(found)) > 1:
            return next(k for k in found if k != SectionKind.SUMMARY)
        if found[0] == SectionKind.LANGUAGES and SectionKind.SKILLS in found:
            return SectionKind.SKILLS
        return found[0]
    if weak is not None:
        return weak
    if all(_is_other(w) or _is_filler(w) for w in words) and any(_is_other(w) for w in words):
        return SectionKind.OTHER
    return None


def _heading_words_only(text: str) -> bool:
    """True when every word is a section word or a filler ("Professional Experience",
    "Experiencia profesional")."""
    words = _words(text)
    if not words:
        return False
    for word in words:
        if _is_filler(word) or _is_other(word) or _english_stem(word) is not None or foreign_kind(word) is not None:
            continue
        return False
    return True
