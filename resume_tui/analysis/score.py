"""The match score: one reproducible number, 0–100, weighted by requirement priority.

Each requirement contributes its evidence strength (0–1) times its priority weight
(models.PRIORITY_WEIGHT: critical 3, important 2, nice-to-have 1). Strength is
continuous, so using the JD's wording for a skill the resume already shows lifts the
score a little, while a requirement with no evidence adds nothing whatever it says.

The weighting itself lives in weighting.py, which the engine uses; this module adds scoring a
whole resume on top of the engine, so nothing imports back up from the engine to here.
"""

from __future__ import annotations

from resume_tui.analysis.engine import analyze
from resume_tui.analysis.weighting import weighted_score
from resume_tui.models import JobDescription, Resume


def score_resume(resume: Resume, job: JobDescription) -> float:
    """Score a resume (original or tailored) against a job: the same scorer for before and after."""
    return analyze(resume, job).score


__all__ = ["score_resume", "weighted_score"]
