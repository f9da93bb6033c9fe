"""The guard's entry points: every proposed change, from any source, is checked here before a
person sees it.

A change may only say what the original resume (or a fact the user typed) already says. Anything new —
a skill, an employer, a bigger title, a degree, a certification, a figure, a date — is blocked with a
reason that names it; weaker problems (evidence cited from the wrong item, a big length change, no
provenance, a deletion) are flagged for the user to decide. Deterministic: same input, same verdict."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from resume_tui.analysis.facts import FactBase, build_fact_base, norm_text
from resume_tui.analysis.guard.base import (
    IDENTITY_SECTION_IDS,
    LENGTH_RANGE,
    MAX_ITEM_CHARS,
    NEW_SKILLS_SECTION,
    NEW_SUMMARY_SECTION,
    Checked,
    _Findings,
)
from resume_tui.analysis.guard.claims import _check_facts
from resume_tui.analysis.guard.conservation import CHECKED, _check_reorder, check_wording, strip_checked
from resume_tui.analysis.guard.provenance import (
    _check_identity,
    _check_injection,
    _check_jd_copy,
    _check_provenance,
    _check_responsibility,
    _holds_identity,
)
from resume_tui.models import Change, ChangeAction, ItemKind, JobDescription, Resume, Verdict
from resume_tui.shorten import one_line


def check_change(
    change: Change, original: Resume, *, job: JobDescription | None = None, user_facts: Sequence[str] = ()
) -> Change:
    """Return a copy of `change` with the guard's verdict and the reasons for it."""
    return _check(change, original, build_fact_base(original, user_facts), job)


def change_checker(
    original: Resume, *, job: JobDescription | None = None, user_facts: Sequence[str] = ()
) -> Callable[[Change], Checked]:
    """`check_change` with the fact base built once, for callers that check many texts one by one
    (the sentences of a cover letter, the versions of a refined change); the blocking and the
    flagging reasons come back apart."""
    base = build_fact_base(original, user_facts)

    def check(change: Change) -> Checked:
        f = _Findings([], [])
        checked = _check(change, original, base, job, f)
        return Checked(checked, list(f.blocked), list(f.flagged))

    return check


def guard_changes(
    changes: Iterable[Change], original: Resume, *, job: JobDescription | None = None, user_facts: Sequence[str] = ()
) -> list[Change]:
    """Check many changes against one fact base (built once)."""
    base = build_fact_base(original, user_facts)
    return _one_per_target([_check(c, original, base, job) for c in changes])


_RANK = {Verdict.SAFE: 0, Verdict.FLAGGED: 1, Verdict.BLOCKED: 2}


def _one_per_target(changes: list[Change]) -> list[Change]:
    """One proposal per target: the same line edited twice, the same order twice, or the same new line
    inserted twice (a summary line for each summary-like section) keep only the best-judged one."""
    best: dict[tuple[str, ...], int] = {}
    for index, change in enumerate(changes):
        key = _target(change)
        kept = best.get(key)
        if kept is None or _RANK[change.verdict] < _RANK[changes[kept].verdict]:
            best[key] = index
    keep = set(best.values())
    return [c for i, c in enumerate(changes) if i in keep]


def _target(change: Change) -> tuple[str, ...]:
    if change.action is ChangeAction.INSERT:
        return ("insert", norm_text(change.after))
    if change.action is ChangeAction.REORDER:
        return ("reorder", change.section_id)
    return (change.action.value, change.section_id, change.item_id or "")


def _check(
    change: Change, original: Resume, base: FactBase, job: JobDescription | None, f: _Findings | None = None
) -> Change:
    f = f if f is not None else _Findings([], [])
    section = original.section(change.section_id)
    new_summary = change.section_id in (NEW_SUMMARY_SECTION, NEW_SKILLS_SECTION) and change.action is ChangeAction.INSERT
    if change.section_id.lower() in IDENTITY_SECTION_IDS:
        f.block("Contact and identity details are never changed.")
    elif section is None and not new_summary:
        f.block(f"Section '{change.section_id}' is not part of your resume, so this change has nowhere honest to go.")

    item = original.item(change.item_id) if change.item_id else None
    if section is not None and change.item_id and (item is None or original.section_of(change.item_id) is not section):
        if change.action is not ChangeAction.REORDER:
            f.block(f"Item '{change.item_id}' is not in section '{section.title or section.id}'.")
            item = None
    if change.action in (ChangeAction.REPLACE, ChangeAction.DELETE) and not change.item_id:
        f.block("A replace or delete must name the item it changes.")

    verified: str | None = None
    if change.action is ChangeAction.REORDER:
        if section is not None:
            verified = _check_reorder(change, section, f)
    elif change.action is ChangeAction.DELETE:
        if item is not None and _holds_identity(item.text, original):
            f.block("Removes your name or contact details, which are never changed.")
        elif item is not None:
            what = "a whole role heading" if item.kind is ItemKind.ROLE else f"“{one_line(item.text, 70)}”"
            f.flag(f"Removes {what}; only you can decide whether to drop it.")
    else:
        original_text = item.text if (item is not None and change.action is ChangeAction.REPLACE) else ""
        if change.action is ChangeAction.REPLACE and item is not None:
            if change.before and norm_text(change.before) != norm_text(item.text):
                f.flag("The text this change replaces no longer matches your resume.")
            if not change.after.strip():
                f.flag("Empties the item; a deletion should be proposed as a deletion.")
            elif original_text:
                ratio = len(change.after.strip()) / max(1, len(original_text.strip()))
                if not LENGTH_RANGE[0] <= ratio <= LENGTH_RANGE[1]:
                    f.flag(
                        f"Changes the length from {len(original_text.strip())} to {len(change.after.strip())} "
                        f"characters (outside {LENGTH_RANGE[0]}–{LENGTH_RANGE[1]:g}× of the original)."
                    )
        probe = change
        if len(change.after) > MAX_ITEM_CHARS:
            f.block(f"Is {len(change.after):,} characters long, far too long for one resume item.")
            probe = change.model_copy(update={"after": change.after[:MAX_ITEM_CHARS]})
        _check_identity(probe.after, original_text, original, base, f)
        _check_injection(probe.after, job, f)
        _check_facts(probe, item, original_text, original, base, f)
        _check_responsibility(probe, original_text, original, f)
        _check_jd_copy(probe.after, base, job, f)
        if original_text and change.after.strip():
            verified = check_wording(original_text, probe.after, f)
        elif change.action is ChangeAction.INSERT and not f.blocked and not f.flagged:
            verified = "every skill, figure and name in it is stated in the items it cites or declared by you."

    _check_provenance(change, original, job, f)

    verdict = Verdict.BLOCKED if f.blocked else Verdict.FLAGGED if f.flagged else Verdict.SAFE
    rationale = strip_checked(change.rationale)
    if verified:
        rationale = f"{rationale} {CHECKED}{verified}".strip()
    update = {"verdict": verdict, "reasons": f.blocked + f.flagged, "rationale": rationale}
    return change.model_copy(update=update, deep=True)
