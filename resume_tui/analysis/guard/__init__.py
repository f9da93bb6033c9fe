"""The honesty guard: every proposed change, from any source, is checked before a person sees it.

    core.py          check_change / guard_changes: the order of the checks and the verdict
    claims.py        what a change states must be stated by the resume (or a declared fact)
    conservation.py  what a change keeps: nothing dropped, nothing moved across entries
    (names: resume_tui/analysis/names.py — which names provably name the same thing)
    provenance.py    requirements and evidence cited, contact details, injected instructions
"""

from resume_tui.analysis.guard.base import (
    IDENTITY_SECTION_IDS,
    LENGTH_RANGE,
    MAX_ITEM_CHARS,
    NEW_SKILLS_SECTION,
    NEW_SUMMARY_SECTION,
    Checked,
)
from resume_tui.analysis.guard.core import change_checker, check_change, guard_changes
from resume_tui.analysis.guard.provenance import injection_sentences

__all__ = [
    "Checked",
    "IDENTITY_SECTION_IDS",
    "LENGTH_RANGE",
    "MAX_ITEM_CHARS",
    "NEW_SKILLS_SECTION",
    "NEW_SUMMARY_SECTION",
    "change_checker",
    "check_change",
    "guard_changes",
    "injection_sentences",
]
