"""The Fit score: the priority-weighted share of the requirements met, 0–100, nothing hidden.

A requirement met counts fully, a partial one half, a missing one nothing; each counts its
priority weight (models.PRIORITY_WEIGHT: critical 3, important 2, nice-to-have 1). So the number
can be recomputed by hand from the table the user sees: Σ weight × (1, ½ or 0) / Σ weight. A
posting in another language than the resume is one more row of that table (analysis/language.py),
never a multiplier.
"""

from __future__ import annotations

from collections.abc import Sequence

from resume_tui.models import PRIORITY_WEIGHT, MatchStatus, Requirement, RequirementMatch

STATUS_CREDIT = {MatchStatus.MATCHED: 1.0, MatchStatus.PARTIAL: 0.5, MatchStatus.MISSING: 0.0}


def weighted_score(requirements: Sequence[Requirement], matches: Sequence[RequirementMatch]) -> float:
    """Σ priority weight × credit (met 1, partial ½, missing 0) / Σ priority weight × 100, one decimal."""
    status = {m.requirement_id: m.status for m in matches}
    total = 0.0
    achieved = 0.0
    for req in requirements:
        weight = PRIORITY_WEIGHT[req.priority]
        total += weight
        achieved += weight * STATUS_CREDIT[status.get(req.id, MatchStatus.MISSING)]
    if total <= 0:
        return 0.0
    return round(100.0 * achieved / total, 1)
