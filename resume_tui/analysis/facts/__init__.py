"""Checkable claims in a piece of text, and the fact base a resume supports.

The guard compares the facts of a proposed text with the facts the original resume (plus
anything the user typed) already states. Everything here is deterministic, regex/lexicon based
and canonicalised, so that "k8s" == "Kubernetes", "40 %" == "40%" and "€40M" == "€40 million".

    kinds.py     FactKind, Fact, the lexicon access
    patterns.py  the claim patterns and the normalisation
    extract.py   extract_facts: every claim in a text
    base.py      FactBase: what a resume (and the declared facts) supports
"""

from resume_tui.analysis.facts.base import USER_FACTS_ID, FactBase, build_fact_base, facts_of
from resume_tui.analysis.facts.extract import extract_facts
from resume_tui.analysis.facts.kinds import Fact, FactKind, skill_hits
from resume_tui.analysis.facts.patterns import (
    COMMON_WORDS,
    ORG_SUFFIXES,
    RANKED_SENIORITY,
    ROLE_NOUNS,
    norm_text,
    title_words,
    words,
)

__all__ = [
    "COMMON_WORDS",
    "ORG_SUFFIXES",
    "RANKED_SENIORITY",
    "ROLE_NOUNS",
    "USER_FACTS_ID",
    "Fact",
    "FactBase",
    "FactKind",
    "build_fact_base",
    "extract_facts",
    "facts_of",
    "norm_text",
    "skill_hits",
    "title_words",
    "words",
]
