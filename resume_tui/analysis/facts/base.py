"""What a resume (plus the facts a user declared) supports: fact values, where each appears, and its words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from resume_tui.analysis.facts.extract import extract_facts
from resume_tui.analysis.facts.kinds import Fact, FactKind, _default_lexicon, _LexiconLike
from resume_tui.analysis.facts.patterns import norm_text, words

# Re-exported: the guard and the rewrites read the vocabulary through this module.
from resume_tui.documents.vocabulary import ORG_SUFFIXES as ORG_SUFFIXES
from resume_tui.documents.vocabulary import RANKED_SENIORITY as RANKED_SENIORITY
from resume_tui.documents.vocabulary import ROLE_NOUNS as ROLE_NOUNS
from resume_tui.models import Resume

# --------------------------------------------------------------------------- fact base


USER_FACTS_ID = "user"


@dataclass
class FactBase:
    """What a resume (plus user-typed facts) supports: fact values, where each appears, and its words."""

    by_key: dict[tuple[FactKind, str], set[str]] = field(default_factory=dict)  # (kind, value) -> item ids
    words: set[str] = field(default_factory=set)
    text: str = ""  # normalised full text, for phrase containment
    item_words: dict[str, set[str]] = field(default_factory=dict)
    item_text: dict[str, str] = field(default_factory=dict)
    # (kind, value) -> surface as written -> item ids: "spreadsheets" and "Excel" share a value, not a surface
    surfaces: dict[tuple[FactKind, str], dict[str, set[str]]] = field(default_factory=dict)

    def add_text(self, text: str, source_id: str, *, lexicon: _LexiconLike | None = None, declared: bool = False) -> None:
        found = extract_facts(text, lexicon=lexicon)
        if declared:
            found += _declared_skills(text, found, lexicon)
        for fact in found:
            self.by_key.setdefault((fact.kind, fact.value), set()).add(source_id)
            written = self.surfaces.setdefault((fact.kind, fact.value), {})
            written.setdefault(fact.surface.strip(), set()).add(source_id)
            if fact.kind is FactKind.YEARS_EXP:  # "6 years" also states the number 6
                self.by_key.setdefault((FactKind.NUMBER, fact.value), set()).add(source_id)
        ws = set(words(text))
        self.words |= ws
        self.item_words.setdefault(source_id, set()).update(ws)
        normalised = norm_text(text)
        self.item_text[source_id] = (self.item_text.get(source_id, "") + "\n" + normalised).strip()
        self.text = (self.text + "\n" + normalised).strip()

    def sources(self, kind: FactKind, value: str) -> set[str]:
        return self.by_key.get((kind, value), set())

    def values(self, kind: FactKind) -> set[str]:
        return {v for (k, v) in self.by_key if k is kind}

    def has_word(self, word: str) -> bool:
        return word.lower().replace("’", "'") in self.words

    def phrase_sources(self, phrase: str) -> set[str]:
        p = norm_text(phrase)
        return {sid for sid, t in self.item_text.items() if p and p in t}


def build_fact_base(
    resume: Resume, user_facts: Sequence[str] = (), *, lexicon: _LexiconLike | None = None
) -> FactBase:
    """Facts of every item, the section titles, the header lines and the user's own statements."""
    base = FactBase()
    for line in resume.header_lines:
        base.add_text(line, "header", lexicon=lexicon)
    contact = resume.contact
    for value in (contact.name, contact.email, contact.phone, contact.location, *contact.links):
        if value:
            base.add_text(value, "header", lexicon=lexicon)
    for section in resume.sections:
        if section.title:
            base.add_text(section.title, f"{section.id}:title", lexicon=lexicon)
        for item in section.items:
            base.add_text(item.text, item.id, lexicon=lexicon)
    for fact_text in user_facts:
        if fact_text and fact_text.strip():
            base.add_text(fact_text, USER_FACTS_ID, lexicon=lexicon, declared=True)
    return base


def _declared_skills(text: str, found: list[Fact], lexicon: _LexiconLike | None) -> list[Fact]:
    """Skills in a declared fact that the lexicon keeps only beside other tools ("Go", "R", "C"): the user
    named them on purpose, so "I have used Go in production since 2020" declares Go."""
    lex = lexicon if lexicon is not None else _default_lexicon()
    if lex is None or not hasattr(lex, "find"):
        return []
    have = {(f.start, f.end) for f in found if f.kind in (FactKind.SKILL, FactKind.CERTIFICATION)}
    out = []
    for hit in lex.find(text, context_free=True):
        if (hit.start, hit.end) not in have:
            out.append(Fact(FactKind.SKILL, str(hit.canonical).lower(), str(hit.surface), int(hit.start), int(hit.end),
                            str(hit.category), str(hit.canonical)))
    return out


def facts_of(texts: Iterable[str], *, lexicon: _LexiconLike | None = None) -> set[tuple[FactKind, str]]:
    return {(f.kind, f.value) for t in texts for f in extract_facts(t, lexicon=lexicon)}
