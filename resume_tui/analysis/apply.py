"""Apply accepted changes to a resume, without ever letting a blocked claim through.

The caller filters to the changes the user accepted; this module still re-runs the guard on each
one (defence in depth: a blocked change must never reach an exported file, whoever passes it in).
Sections are never dropped, contact and header lines are never touched, and item ids stay stable:
inserted items get fresh ids such as "s1.n1".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from resume_tui.analysis.facts import build_fact_base, norm_text
from resume_tui.analysis.guard import NEW_SKILLS_SECTION, NEW_SUMMARY_SECTION
from resume_tui.analysis.guard.core import _check
from resume_tui.models import (
    Change,
    ChangeAction,
    Item,
    ItemKind,
    JobDescription,
    Resume,
    Section,
    SectionKind,
    TextSpan,
    Verdict,
)


@dataclass
class ApplyResult:
    resume: Resume
    applied: list[Change] = field(default_factory=list)
    skipped: list[tuple[Change, str]] = field(default_factory=list)  # (change, why it was not applied)


def apply_changes(
    resume: Resume,
    changes: Sequence[Change],
    *,
    job: JobDescription | None = None,
    user_facts: Sequence[str] = (),
) -> Resume:
    """The resume with `changes` applied; blocked or stale changes are skipped (see `apply_changes_report`)."""
    return apply_changes_report(resume, changes, job=job, user_facts=user_facts).resume


def apply_changes_report(
    resume: Resume,
    changes: Sequence[Change],
    *,
    job: JobDescription | None = None,
    user_facts: Sequence[str] = (),
) -> ApplyResult:
    """Like `apply_changes`, and says which changes were applied and why others were skipped."""
    out = resume.model_copy(deep=True)
    result = ApplyResult(resume=out)
    base = build_fact_base(resume, user_facts)

    usable: list[Change] = []
    for change in changes:
        if change.verdict is Verdict.BLOCKED:
            result.skipped.append((change, "the guard blocked it"))
            continue
        recheck = _check(change, resume, base, job)
        if recheck.verdict is Verdict.BLOCKED:
            result.skipped.append((change, "the guard blocks it: " + "; ".join(recheck.reasons[:2])))
            continue
        usable.append(change)

    for action in (ChangeAction.REPLACE, ChangeAction.REORDER, ChangeAction.INSERT, ChangeAction.DELETE):
        for change in usable:
            if change.action is not action:
                continue
            why = _APPLY[action](out, resume, change)
            if why:
                result.skipped.append((change, why))
            else:
                result.applied.append(change)
    return result


# --------------------------------------------------------------------------- one action each


def _replace(out: Resume, original: Resume, change: Change) -> str | None:
    section = out.section(change.section_id)
    item = _find(section, change.item_id)
    if section is None or item is None:
        return "its item is no longer in the resume"
    if change.before and norm_text(change.before) != norm_text(item.text):
        return "the text it replaces has changed since it was proposed"
    if not change.after.strip():
        return "it would empty the item"
    item.spans = _remap_spans(item.text, change.after, item.spans)
    item.text = change.after
    return None


def _reorder(out: Resume, original: Resume, change: Change) -> str | None:
    section = out.section(change.section_id)
    if section is None or not change.order:
        return "nothing to reorder"
    by_id = {i.id: i for i in section.items}
    if sorted(change.order) != sorted(by_id) or len(set(change.order)) != len(change.order):
        return "the order does not list exactly the section's items"
    section.items = [by_id[i] for i in change.order]
    return None


def _insert(out: Resume, original: Resume, change: Change) -> str | None:
    if not change.after.strip():
        return "nothing to insert"
    section: Section | None
    if change.section_id == NEW_SUMMARY_SECTION:
        # Into the resume's summary if it has one (or one made by an earlier insert), else a new one.
        section = next((s for s in out.sections if s.kind is SectionKind.SUMMARY), None) or _new_summary_section(out)
        if change.item_id is None and section.items:
            change = change.model_copy(update={"item_id": section.items[-1].id})
    elif change.section_id == NEW_SKILLS_SECTION:
        # Declared skills for a resume without a skills section: a new one at the end.
        section = next((s for s in out.sections if s.kind is SectionKind.SKILLS), None) or _new_skills_section(out)
        if change.item_id is None and section.items:
            change = change.model_copy(update={"item_id": section.items[-1].id})
    else:
        section = out.section(change.section_id)
    if section is None:
        return "its section is not in the resume"
    anchor = _find(section, change.item_id) if change.item_id else None
    if change.item_id and anchor is None:
        return "the item it follows is no longer in the resume"
    taken = {i.id for i in section.items}
    n = 1
    while f"{section.id}.n{n}" in taken:
        n += 1
    kind = anchor.kind if anchor is not None and anchor.kind is not ItemKind.ROLE else (
        ItemKind.BULLET if anchor is not None else ItemKind.LINE
    )
    new = Item(id=f"{section.id}.n{n}", text=change.after.strip(), kind=kind)
    if anchor is None:
        section.items.insert(0, new)
    else:
        # After the anchor and after anything already inserted behind it, so several inserts keep their order.
        index = section.items.index(anchor) + 1
        while index < len(section.items) and ".n" in section.items[index].id:
            index += 1
        section.items.insert(index, new)
    return None


def _delete(out: Resume, original: Resume, change: Change) -> str | None:
    section = out.section(change.section_id)
    item = _find(section, change.item_id)
    if section is None or item is None:
        return "its item is no longer in the resume"
    if len(section.items) == 1:
        return "it would leave the section empty, and sections are never dropped"
    section.items.remove(item)
    return None


_APPLY = {
    ChangeAction.REPLACE: _replace,
    ChangeAction.REORDER: _reorder,
    ChangeAction.INSERT: _insert,
    ChangeAction.DELETE: _delete,
}


# --------------------------------------------------------------------------- helpers


def _find(section: Section | None, item_id: str | None) -> Item | None:
    if section is None or not item_id:
        return None
    return next((i for i in section.items if i.id == item_id), None)


def _new_summary_section(out: Resume) -> Section:
    """A Summary section for a resume that had none: first, after an untitled opening block if any."""
    numbers = [int(s.id[1:]) for s in out.sections if s.id[1:].isdigit()]
    section = Section(id=f"s{max(numbers, default=-1) + 1}", kind=SectionKind.SUMMARY, title="Summary")
    index = 1 if out.sections and not out.sections[0].title else 0
    out.sections.insert(index, section)
    return section


def _new_skills_section(out: Resume) -> Section:
    numbers = [int(s.id[1:]) for s in out.sections if s.id[1:].isdigit()]
    section = Section(id=f"s{max(numbers, default=-1) + 1}", kind=SectionKind.SKILLS, title="Skills")
    out.sections.append(section)
    return section


def _remap_spans(old: str, new: str, spans: list[TextSpan]) -> list[TextSpan]:
    """Keep bold/italic runs whose text survives the edit, moved to where that text now is. A run
    that formatted the whole line (a bold "Clinical Expertise: …" skills line) formats the whole new
    line: a reordered or reworded line keeps its look."""
    kept: list[TextSpan] = []
    cursor = 0
    for span in sorted(spans, key=lambda s: s.start):
        piece = old[span.start : span.end]
        if not piece.strip():
            continue
        if piece.strip() == old.strip() and new.strip():
            start = len(new) - len(new.lstrip())
            return [span.model_copy(update={"start": start, "end": start + len(new.strip())})]
        at = new.find(piece, cursor)
        if at < 0:
            at = new.find(piece)
        if at < 0:
            continue
        kept.append(span.model_copy(update={"start": at, "end": at + len(piece)}))
        cursor = at + len(piece)
    return kept
