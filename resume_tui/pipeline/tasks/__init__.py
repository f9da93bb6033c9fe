"""The micro-tasks of one run, one module per stage, behind this face.

`base` holds what every task shares (MicroTask, RunContext, batching); `analyze`, `plan`,
`customize` and `assemble` hold each stage's offline path, request building, output mapping
and resume support; `builder` wires them into the DAG. Import from here, not from the parts.
"""

from __future__ import annotations

from resume_tui.pipeline.chunking import estimate_tokens, render_items
from resume_tui.pipeline.tasks.assemble import assemble, diff_stats, keeps_layout
from resume_tui.pipeline.tasks.base import (
    ANALYZE_BATCH_CHARS,
    ASSEMBLE,
    CUSTOMIZE_BATCH_CHARS,
    CUSTOMIZE_SMALL_CHARS,
    EXTRACT,
    LENGTH_BOUNDS,
    MODEL_ANALYZE_KINDS,
    MODEL_CUSTOMIZE_KINDS,
    PLAN,
    Assembly,
    MicroTask,
    OutputRejected,
    RunContext,
    SectionAnalysis,
    plan_batches,
)
from resume_tui.pipeline.tasks.builder import Timeouts, build_tasks, model_calls
from resume_tui.pipeline.tasks.customize import ALLOWED_ACTIONS, relevant_requirements, section_length_ratio
from resume_tui.pipeline.tasks.plan import general_suggestions, offline_plan

__all__ = [
    "ALLOWED_ACTIONS",
    "ANALYZE_BATCH_CHARS",
    "ASSEMBLE",
    "CUSTOMIZE_BATCH_CHARS",
    "CUSTOMIZE_SMALL_CHARS",
    "EXTRACT",
    "LENGTH_BOUNDS",
    "MODEL_ANALYZE_KINDS",
    "MODEL_CUSTOMIZE_KINDS",
    "PLAN",
    "Assembly",
    "MicroTask",
    "OutputRejected",
    "RunContext",
    "SectionAnalysis",
    "Timeouts",
    "assemble",
    "build_tasks",
    "diff_stats",
    "estimate_tokens",
    "general_suggestions",
    "keeps_layout",
    "model_calls",
    "offline_plan",
    "plan_batches",
    "relevant_requirements",
    "render_items",
    "section_length_ratio",
]
