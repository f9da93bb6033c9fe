"""What every offline rewrite reads: the posting's wording per skill, requirement weights, each item's skills."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from resume_tui.analysis.facts import skill_hits
from resume_tui.analysis.guard import LENGTH_RANGE
from resume_tui.analysis.names import name_runs, tokens
from resume_tui.models import (
    PRIORITY_WEIGHT,
    Change,
    ChangeAction,
    GapReport,
    Item,
    JobDescription,
    Resume,
    Section,
)


@dataclass
class _Context:
    resume: Resume
    job: JobDescription
    report: GapReport
    jd_surface: dict[str, str] = field(default_factory=dict)  # canonical (lower) -> the posting's wording
    skill_weight: dict[str, float] = field(default_factory=dict)  # canonical (lower) -> max requirement weight
    skill_reqs: dict[str, list[str]] = field(default_factory=dict)  # canonical (lower) -> requirement ids
    req_weight: dict[str, float] = field(default_factory=dict)
    item_hits: dict[str, list] = field(default_factory=dict)  # item id -> lexicon hits

    @classmethod
    def build(cls, resume: Resume, job: JobDescription, report: GapReport) -> _Context:
        ctx = cls(resume=resume, job=job, report=report)
        requirements = report.requirements or job.requirements
        counts: dict[str, Counter[str]] = {}
        first_seen: dict[str, dict[str, int]] = {}
        for hit in skill_hits(job.text):
            if getattr(hit, "fuzzy", False):
                continue
            key = hit.canonical.lower()
            counts.setdefault(key, Counter())[hit.surface] += 1
            first_seen.setdefault(key, {}).setdefault(hit.surface, hit.start)
        for key, counter in counts.items():
            ctx.jd_surface[key] = min(counter, key=lambda s: (-counter[s], first_seen[key][s]))
        for req in requirements:
            weight = PRIORITY_WEIGHT.get(req.priority, 1.0)
            ctx.req_weight[req.id] = weight
            keys = {k.lower() for k in req.keywords} | {h.canonical.lower() for h in skill_hits(req.text)}
            for key in sorted(keys):
                ctx.skill_weight[key] = max(ctx.skill_weight.get(key, 0.0), weight)
                ctx.skill_reqs.setdefault(key, [])
                if req.id not in ctx.skill_reqs[key]:
                    ctx.skill_reqs[key].append(req.id)
        for item in resume.items():
            spans = name_spans(item.text)
            ctx.item_hits[item.id] = [h for h in skill_hits(item.text) if not getattr(h, "fuzzy", False)
                                      and not _inside(h, spans)]
        return ctx

    def relevance(self, item: Item) -> float:
        """How much an item speaks to the posting: its evidence strength plus the weight of its skills."""
        score = sum(self.req_weight.get(e.requirement_id, 1.0) * e.strength
                    for e in self.report.evidence if e.item_id == item.id)
        keys = {h.canonical.lower() for h in self.item_hits.get(item.id, [])}
        return score + sum(self.skill_weight.get(k, 0.0) for k in keys)


# --------------------------------------------------------------------------- per section



def _within_length(section: Section, changes: list[Change]) -> list[Change]:
    """Drop the summary/insert changes that would push the section outside 0.5–2× of its length."""
    original = sum(len(i.text) for i in section.items)
    if original == 0:
        return changes
    kept: list[Change] = []
    total = original
    for change in sorted(changes, key=lambda c: c.action is ChangeAction.INSERT):
        delta = 0
        if change.action is ChangeAction.REPLACE:
            item = next((i for i in section.items if i.id == change.item_id), None)
            delta = len(change.after) - (len(item.text) if item else 0)
        elif change.action is ChangeAction.INSERT:
            delta = len(change.after)
        if not LENGTH_RANGE[0] * original <= total + delta <= LENGTH_RANGE[1] * original:
            continue
        total += delta
        kept.append(change)
    order = {id(c): n for n, c in enumerate(changes)}
    return sorted(kept, key=lambda c: order[id(c)])


def _req_order(rid: str) -> tuple[int, str]:
    m = re.match(r"[a-z]*(\d+)", rid)
    return (int(m.group(1)) if m else 10**6, rid)


def name_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the multi-word names in a line ("Azure Key Vault", "Azure API Management")."""
    toks = tokens(text)
    return [(toks[s].start, toks[e - 1].end) for s, e in name_runs(text)]


def _inside(hit, spans: list[tuple[int, int]]) -> bool:  # noqa: ANN001
    """A skill matched strictly inside a longer name is part of that name ("Vault" in "Azure Key Vault")."""
    return any(s <= hit.start and hit.end <= e and (hit.end - hit.start) < (e - s) for s, e in spans)
