"""Offline, honest rewrites: only wording, order and a summary made of what the resume already says.

Three kinds of change, each carrying the requirements it serves and the items that prove it:
(a) terminology — use the posting's name for a skill the item already shows ("k8s" → "Kubernetes");
(b) order — skills and bullets most relevant to the posting first (bullets never leave their role);
(c) summary — a line built from evidenced strengths: the resume's own title, its stated years, its
skills that the posting asks for. Unmet requirements produce no text; they stay gaps for the user.
Every change goes through the guard before it is returned.
"""

from __future__ import annotations

from resume_tui.analysis.guard import guard_changes
from resume_tui.analysis.rewrites.context import _Context, _within_length
from resume_tui.analysis.rewrites.order import MIN_REORDER_CONFIDENCE, _reorder
from resume_tui.analysis.rewrites.summary import _missing_summary, _summary_change
from resume_tui.analysis.rewrites.wording import _item_rewrite
from resume_tui.models import (
    Change,
    ChangeAction,
    CustomizationLevel,
    GapReport,
    ItemKind,
    JobDescription,
    Resume,
    Section,
    SectionKind,
)

_REORDERED_KINDS = {SectionKind.EXPERIENCE, SectionKind.PROJECTS, SectionKind.SKILLS, SectionKind.VOLUNTEERING}
__all__ = ["MIN_REORDER_CONFIDENCE", "propose_changes", "propose_section_changes"]


# --------------------------------------------------------------------------- public API


def propose_changes(
    resume: Resume, job: JobDescription, report: GapReport, level: CustomizationLevel
) -> list[Change]:
    """All offline changes for the resume, already guarded."""
    ctx = _Context.build(resume, job, report)
    changes: list[Change] = []
    for section in resume.sections:
        changes.extend(_section_changes(ctx, section, level))
    changes.extend(_missing_summary(ctx, level, for_section=resume.sections[0].id if resume.sections else None))
    return guard_changes(changes, resume, job=job)


def propose_section_changes(
    resume: Resume, section_id: str, job: JobDescription, report: GapReport, level: CustomizationLevel
) -> list[Change]:
    """The offline changes for one section (the pipeline's customize_<section> task), already guarded.

    A resume without a summary gets its new summary (extensive level) from the first section's call,
    so that the union over sections equals `propose_changes`.
    """
    section = resume.section(section_id)
    if section is None:
        return []
    ctx = _Context.build(resume, job, report)
    changes = _section_changes(ctx, section, level)
    changes.extend(_missing_summary(ctx, level, for_section=section_id))
    return guard_changes(changes, resume, job=job)


# --------------------------------------------------------------------------- context


def _strengths_home(resume: Resume, level: CustomizationLevel) -> str | None:
    """Where the one strengths line goes: the first summary-like section; without one, at the moderate
    level, the end of the first skills section (the extensive level writes a new summary instead)."""
    summary = next((s.id for s in resume.sections if s.kind is SectionKind.SUMMARY), None)
    if summary is not None or level is not CustomizationLevel.MODERATE:
        return summary
    return next((s.id for s in resume.sections if s.kind is SectionKind.SKILLS and s.items), None)


def _section_changes(ctx: _Context, section: Section, level: CustomizationLevel) -> list[Change]:
    changes: list[Change] = []
    for item in section.items:
        if item.kind is ItemKind.ROLE or section.kind is SectionKind.EDUCATION:
            continue  # role headings and degree names are kept exactly as written
        change = _item_rewrite(ctx, section, item)
        if change is not None:
            changes.append(change)
    if section.kind in _REORDERED_KINDS:
        change = _reorder(ctx, section)
        if change is not None:
            changes.append(change)
    if section.id == _strengths_home(ctx.resume, level) and level is not CustomizationLevel.LIGHT:
        edited = {c.item_id: c.after for c in changes if c.action is ChangeAction.REPLACE}
        summary = _summary_change(ctx, section, level, edited)
        if summary is not None:
            changes = [c for c in changes if not (summary.action is ChangeAction.REPLACE and c.item_id == summary.item_id)]
            changes.append(summary)
    return _within_length(section, changes)

