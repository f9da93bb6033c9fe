"""Turn a job description into quoted, categorised, prioritised requirements.

Offline and deterministic. The JD is read as lines (lines.py): headings ("Requirements", "**Nice to
have:**", "What will you do?") set the default priority and kind of what follows (cues.py), bullets
become requirements, prose sentences only when they read like a requirement (a skill plus
a cue such as "experience", "knowledge", "must"), split into clauses (clauses.py). Boilerplate
(benefits, EEO, about us, how to apply) and sentences that instruct a model are never
requirements. Degrees and years live in degrees.py; parse.py puts it together.
"""

from __future__ import annotations

from resume_tui.analysis.requirements.degrees import DEGREE_ORDER, find_degrees, find_years
from resume_tui.analysis.requirements.parse import MAX_POSTING_CHARS, MAX_REQUIREMENTS, parse_job_description

__all__ = [
    "DEGREE_ORDER",
    "MAX_POSTING_CHARS",
    "MAX_REQUIREMENTS",
    "find_degrees",
    "find_years",
    "parse_job_description",
]
