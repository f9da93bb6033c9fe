"""The match score: one reproducible number, 0–100, weighted by requirement priority.

Each requirement contributes its evidence strength (0–1) times its priority weight
(models.PRIORITY_WEIGHT: critical 3, important 2, nice-to-have 1). Strength is
continuous, so using the JD's wording for a skill the resume already shows lifts the
score a little, while a requirement with no evidence adds nothing whatever it says.
"""

from __future__ import annotations

from collections.abc import Sequence

from resume_tui.models import PRIORITY_WEIGHT, MatchStatus, Requirement, RequirementMatch


def weighted_score(requirements: Sequence[Requirement], matches: Sequence[RequirementMatch]) -> float:
    """Priority-weighted mean strength × 100, rounded to one decimal (0 when there is nothing to match)."""
    # a requirement reported as missing adds nothing, so the number agrees with the table
    strength = {m.requirement_id: (0.0 if m.status == MatchStatus.MISSING else m.strength) for m in matches}
    total = 0.0
    achieved = 0.0
    for req in requirements:
        weight = PRIORITY_WEIGHT[req.priority]
        total += weight
        achieved += weight * min(1.0, max(0.0, strength.get(req.id, 0.0)))
    if total <= 0:
        return 0.0
    return round(100.0 * achieved / total, 1)
