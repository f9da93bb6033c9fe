"""Weighted overall progress and an ETA from the observed rate.

Weights come from the design (the plan is the heaviest step); they are normalised by
the sum of the tasks actually present, so a 3-section resume still ends at 1.0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from resume_tui.models import SectionKind

ETA_CAP_S = 300.0
HEAVY_KINDS = frozenset({SectionKind.EXPERIENCE, SectionKind.SKILLS})


def task_weight(name: str, kind: SectionKind | None = None) -> float:
    """The design's weight for a task name (and the kind of its section, if any)."""
    if name == "extract_requirements":
        return 0.1
    if name == "generate_plan":
        return 0.4
    if name == "assemble_validate":
        return 0.2
    heavy = kind in HEAVY_KINDS
    if name.startswith("analyze_"):
        return 0.2 if heavy else 0.1
    if name.startswith("customize_"):
        return 0.3 if heavy else 0.2
    return 0.1


def overall_progress(weights: Mapping[str, float], progress: Mapping[str, float]) -> float:
    """Σ wᵢ·pᵢ / Σ wᵢ over the tasks present, clamped to [0, 1]."""
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    done = sum(w * min(1.0, max(0.0, progress.get(name, 0.0))) for name, w in weights.items())
    return min(1.0, max(0.0, done / total))


def eta_seconds(elapsed: float, overall: float, cap: float = ETA_CAP_S) -> float | None:
    """Remaining time at the observed rate (overall ÷ elapsed), capped; None until measurable."""
    if overall >= 1.0:
        return 0.0
    if overall <= 0.0 or elapsed <= 0.0:
        return None
    rate = overall / elapsed
    return min(cap, (1.0 - overall) / rate)


def normalised(weights: Mapping[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {k: (v / total if total else 0.0) for k, v in weights.items()}


def weight_sum(names_and_kinds: Iterable[tuple[str, SectionKind | None]]) -> float:
    return sum(task_weight(n, k) for n, k in names_and_kinds)
