"""The facts a claim can state (FactKind, Fact) and the lexicon the skills come from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any, Protocol

# Re-exported: the guard and the rewrites read the vocabulary through this module.
from resume_tui.documents.vocabulary import ORG_SUFFIXES as ORG_SUFFIXES
from resume_tui.documents.vocabulary import RANKED_SENIORITY as RANKED_SENIORITY
from resume_tui.documents.vocabulary import ROLE_NOUNS as ROLE_NOUNS


class FactKind(StrEnum):
    SKILL = "skill"
    NUMBER = "number"
    PERCENT = "percent"
    MONEY = "money"
    YEAR = "year"
    DATE = "date"  # month + year, e.g. "jan 2020"
    YEARS_EXP = "years_experience"
    DEGREE = "degree"
    CERTIFICATION = "certification"
    TITLE = "title"
    EMPLOYER = "employer"
    NAME = "name"  # any other capitalised token that could be a tool, product, place or organisation
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"


@dataclass(frozen=True)
class Fact:
    kind: FactKind
    value: str  # canonical, comparable form
    surface: str  # as written
    start: int = 0
    end: int = 0
    category: str = ""  # lexicon category for skills/certifications
    canonical: str = ""  # the lexicon's canonical name, original case

    @property
    def generic(self) -> bool:
        """A concept ("logistics", "event streaming") rather than a named tool ("Kubernetes", "AWS")."""
        return self.kind is FactKind.SKILL and (
            self.category in {"domain", "soft_skill"} or self.canonical == self.canonical.lower()
        )


class _LexiconLike(Protocol):
    def find(self, text: str, *, context_free: bool = False) -> list[Any]: ...


# --------------------------------------------------------------------------- lexicon access


@lru_cache(maxsize=1)
def _default_lexicon() -> _LexiconLike | None:
    """The analysis colleague's lexicon; without it skills are still caught as unknown names."""
    try:
        from resume_tui.analysis.lexicon import default_lexicon
    except ImportError:
        return None
    return default_lexicon()


def skill_hits(text: str, lexicon: _LexiconLike | None = None) -> list[Any]:
    lex = lexicon if lexicon is not None else _default_lexicon()
    if lex is None or not text:
        return []
    return list(lex.find(text))
