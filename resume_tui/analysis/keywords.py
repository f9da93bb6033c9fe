"""The Keywords score: the share of the posting's ATS keywords written verbatim in the resume.

An applicant tracking system matches words, not meaning: "Azure Kubernetes Service" in a posting is
not found in a resume that only says "AKS". So this score looks for each of the posting's keywords
exactly as the posting writes it (case, spacing and hyphens aside; tense and plural as written), or
written under one of the posting's own other names for it (a posting that says "Kubernetes (k8s)"
accepts either). It is deliberately blind to evidence and declared facts: it reads the file the way
an ATS will. The Fit score (analysis/score.py) is the one that weighs evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from resume_tui.analysis.lexicon import Lexicon, default_lexicon
from resume_tui.analysis.names import same_referent, squash
from resume_tui.models import PRIORITY_WEIGHT, JobDescription, Resume

MAX_KEYWORDS = 40  # a posting's keyword list beyond this is noise for an ATS score
_SKIP_CATEGORIES = frozenset({"soft_skill"})  # "communication": every resume claims it, no ATS weighs it


@dataclass
class KeywordReport:
    score: float  # 0–100, the share of keywords found, one decimal
    matched: list[str] = field(default_factory=list)  # as the posting writes them, in posting order
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Keyword:
    name: str  # the posting's first way of writing it
    surfaces: tuple[str, ...]  # every way the posting writes it, most frequent first


def posting_keywords(job: JobDescription, lexicon: Lexicon | None = None) -> list[Keyword]:
    """The posting's keywords: named skills, tools and credentials it mentions, in posting order.

    Surfaces the lexicon groups under one skill stay separate keywords unless they provably name
    the same thing ("AKS" / "Azure Kubernetes Service" are one keyword; "Freight" / "logistics" two)."""
    lex = lexicon or default_lexicon()
    clusters: list[tuple[int, list[str], Counter[str]]] = []  # (first position, surfaces, counts)
    by_canonical: dict[str, list[int]] = {}
    for hit in lex.find(job.text):
        surface = " ".join(hit.surface.split())
        if hit.fuzzy or hit.category in _SKIP_CATEGORIES or (len(surface) < 2 and surface != "R"):
            continue
        home = next((k for k in by_canonical.get(hit.canonical, [])
                     if any(squash(s) == squash(surface) or same_referent(s, surface) for s in clusters[k][1])), None)
        if home is None:
            clusters.append((hit.start, [surface], Counter({surface: 1})))
            by_canonical.setdefault(hit.canonical, []).append(len(clusters) - 1)
        else:
            if surface not in clusters[home][1]:
                clusters[home][1].append(surface)
            clusters[home][2][surface] += 1
    ranked = sorted(clusters, key=lambda c: (-sum(c[2].values()), c[0]))[:MAX_KEYWORDS]
    ranked.sort(key=lambda c: c[0])
    return [Keyword(surfaces[0], tuple(s for s, _ in counts.most_common())) for _, surfaces, counts in ranked]


def keyword_report(resume: Resume, job: JobDescription, lexicon: Lexicon | None = None) -> KeywordReport:
    """Which of the posting's keywords the resume's text contains verbatim (deterministic)."""
    keywords = posting_keywords(job, lexicon)
    if not keywords:
        return KeywordReport(score=0.0)
    text = resume.full_text()
    folded = text.lower() if text.isascii() else None
    matched: list[str] = []
    missing: list[str] = []
    for keyword in keywords:
        if any(_written(surface, text, folded) for surface in keyword.surfaces):
            matched.append(keyword.surfaces[0])
        else:
            missing.append(keyword.surfaces[0])
    return KeywordReport(round(100.0 * len(matched) / len(keywords), 1), matched, _by_importance(missing, job))


def _by_importance(names: list[str], job: JobDescription) -> list[str]:
    """Most important first: keywords named by critical requirements, then important, then the rest of the
    posting (in posting order within each group), so a checklist of gaps starts where it matters."""
    weights = {}
    for name in names:
        weights[name] = max((PRIORITY_WEIGHT[r.priority] for r in job.requirements if _written(name, r.text)), default=0.0)
    return sorted(names, key=lambda n: -weights[n])


def _written(surface: str, text: str, folded: str | None = None) -> bool:
    """`surface` written in `text` as a whole phrase (any case, spaces or hyphens between its words).
    `folded`: the text lowercased, when it is ASCII — a word that is not in it at all is ruled out by a
    substring test instead of a regex scan of the whole text (a 2 MB resume, a hundred keywords)."""
    words = [p for p in re.split(r"[\s-]+", surface) if p]
    if not words:
        return False
    if folded is not None and surface.isascii() and words[0].lower() not in folded:
        return False
    parts = [re.escape(p) for p in words]
    pattern = r"[\s-]+".join(parts)
    return re.search(rf"(?<![\w+#]){pattern}(?![\w+#])", text, re.I) is not None
