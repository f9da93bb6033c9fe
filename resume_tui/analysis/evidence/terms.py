"""The specific names a requirement asks for, and whether the resume names them.

A requirement that names a tool, product, acronym or credential ("Azure Active Directory (AAD)",
"SAST/DAST", "ACLS") is met only by a resume that names it too, or one of its aliases: sharing a
generic word ("security", "APIs", "up to date") or showing a narrower skill the lexicon says implies
it is partial evidence at most. Specific terms are the lexicon's tools, certifications and
proper-named skills, plus acronyms the lexicon does not know; an acronym the posting spells out
("Subject Matter Experts (SMEs)") is named by either spelling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resume_tui.analysis.evidence.index import ResumeIndex
from resume_tui.analysis.lexicon import Lexicon
from resume_tui.analysis.requirements.degrees import find_degrees

_ACRONYM = re.compile(r"\b([A-Z][A-Z0-9]{2,7})(s?)\b")
# capitals that are not names of anything a resume should repeat
_NOT_NAMES = frozenset({"USA", "THE", "AND", "FOR", "NOT", "ALL", "ANY", "YOU", "OUR", "ASAP", "FLSA", "EEO", "CEO", "CTO"})
_SMALL_WORDS = frozenset("of and for the in on to a an &".split())


@dataclass(frozen=True)
class Acronym:
    """An acronym of the requirement the lexicon does not know, with the posting's own expansion."""

    name: str
    expansion: str | None
    span: tuple[int, int] = (0, 0)  # where "Azure Active Directory (AAD)" stands in the requirement

    def pattern(self) -> re.Pattern[str]:
        alts = [rf"\b{re.escape(self.name)}s?\b"]
        if self.expansion:
            alts.append(r"(?i:\b" + r"\s+".join(re.escape(w) for w in self.expansion.split()) + r"s?\b)")
        return re.compile("|".join(alts))


def is_specific(canonical: str, lexicon: Lexicon) -> bool:
    """A tool, credential or proper-named skill ("Python", "CI/CD"), not a generic area ("security")."""
    category = lexicon.category(canonical)
    if category in ("tool", "certification"):
        return True
    return category == "technical_skill" and canonical != canonical.lower()


def acronyms(text: str, lexicon: Lexicon) -> list[Acronym]:
    """Acronyms of `text` outside any lexicon term and any degree ("AAD", "SAST", "DAST", "NCLEX")."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.5 * len(letters):
        return []  # a line in capitals: its words are not acronyms
    covered = [(h.start, h.end) for h in lexicon.find(text, context_free=True)]
    out: list[Acronym] = []
    for m in _ACRONYM.finditer(text):
        name = m.group(1)
        if name in _NOT_NAMES or any(s <= m.start() < e for s, e in covered) or find_degrees(name):
            continue
        if any(a.name == name for a in out):
            continue
        expansion = _expansion(text, m.start(), name)
        start = text.rfind(expansion, 0, m.start()) if expansion else m.start()
        out.append(Acronym(name, expansion, (start, m.end())))
    return out


def _expansion(text: str, start: int, name: str) -> str | None:
    """"Azure Active Directory (AAD)": the words before "(AAD)" whose initials spell it."""
    if start == 0 or text[start - 1] != "(":
        return None
    words = re.findall(r"[\w'’-]+|&", text[: start - 1])
    picked: list[str] = []
    initials = ""
    for word in reversed(words):
        picked.insert(0, word)
        if word.lower() in _SMALL_WORDS:
            continue
        initials = word[0].upper() + initials
        if len(initials) >= len(name):
            break
    return " ".join(picked) if initials == name else None


def inside_acronyms(text: str, acronyms_: list[Acronym], lexicon: Lexicon) -> set[str]:
    """Lexicon terms written only inside an acronym's expansion ("Azure" in "Azure Active Directory
    (AAD)"): they are part of that one name, not terms of their own."""
    inside: set[str] = set()
    outside: set[str] = set()
    for hit in lexicon.find(text):
        within = any(a.expansion and a.span[0] <= hit.start < a.span[1] for a in acronyms_)
        (inside if within else outside).add(hit.canonical)
    return inside - outside


def acronym_items(acronym: Acronym, index: ResumeIndex) -> list[int]:
    """Positions of the resume items that name the acronym or its expansion."""
    pattern = acronym.pattern()
    return [entry.order for entry in index.items if pattern.search(entry.item.text)]
