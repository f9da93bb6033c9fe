"""The languages a resume may be written in, as data (resume_tui/data/languages.json).

Two readers share it: section names (which words name a section in Spanish, German, …) and
encoding detection (which letters a language writes beyond ASCII, so a decoding that yields
"Diseño" beats one that yields "Diseńo"). Keeping both in one data file means a new language
is one JSON entry, not code.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from resume_tui.models import SectionKind


@dataclass(frozen=True)
class HeadingVocabulary:
    """Heading words of every non-English language, folded (lower case, no accents)."""

    words: dict[str, SectionKind]  # whole words ("experiencia" → EXPERIENCE)
    stems: tuple[tuple[str, SectionKind], ...]  # prefixes, from words written "stem*"
    filler: frozenset[str]
    other: frozenset[str]


def fold(word: str) -> str:
    """Lower case without accents: "EDUCACIÓN" → "educacion", "Über" → "uber"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _raw() -> dict[str, dict]:
    text = resources.files("resume_tui").joinpath("data/languages.json").read_text(encoding="utf-8")
    languages: dict[str, dict] = json.loads(text)["languages"]
    return languages


@lru_cache(maxsize=1)
def heading_vocabulary() -> HeadingVocabulary:
    words: dict[str, SectionKind] = {}
    stems: list[tuple[str, SectionKind]] = []
    filler: set[str] = set()
    other: set[str] = set()
    for language in _raw().values():
        for kind_name, names in language.get("headings", {}).items():
            kind = SectionKind(kind_name)
            for name in names:
                folded = fold(name)
                if folded.endswith("*"):
                    stems.append((folded[:-1], kind))
                else:
                    words.setdefault(folded, kind)
        filler.update(fold(w) for w in language.get("filler", ()))
        other.update(fold(w) for w in language.get("other", ()))
    return HeadingVocabulary(words, tuple(stems), frozenset(filler), frozenset(other))


def foreign_kind(word: str) -> SectionKind | None:
    """The section kind a folded non-English word names ("aptitudes" → SKILLS), else None."""
    vocabulary = heading_vocabulary()
    kind = vocabulary.words.get(word)
    if kind is None:  # a plural or singular the file does not list ("interet" for "interets")
        kind = vocabulary.words.get(word[:-1]) if word.endswith("s") else vocabulary.words.get(word + "s")
    if kind is None:
        kind = next((k for stem, k in vocabulary.stems if word.startswith(stem)), None)
    return kind


@lru_cache(maxsize=1)
def language_letters() -> dict[str, frozenset[str]]:
    """Language name → the lower-case letters it writes beyond ASCII."""
    return {lang["name"]: frozenset(lang["letters"]) for lang in _raw().values() if lang.get("letters")}


@lru_cache(maxsize=1)
def date_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(month names, open-ended words like "actualidad") of every non-English language."""
    months: set[str] = set()
    present: set[str] = set()
    for language in _raw().values():
        months.update(language.get("months", ()))
        present.update(language.get("present", ()))
    # Longest first, so "sept" is tried before "sep" in an alternation.
    return tuple(sorted(months, key=len, reverse=True)), tuple(sorted(present, key=len, reverse=True))
