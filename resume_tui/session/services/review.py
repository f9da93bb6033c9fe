"""Step 4 rules: which decisions are allowed, and re-checking changes when something changes.

The guard's verdict decides what a person may accept: safe freely, flagged only with an
explicit override, blocked never. The CLI decides by verdict in bulk with the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence

from resume_tui.errors import InputError
from resume_tui.models import Change, ChangeStatus, JobDescription, Resume, Verdict

# tailor --accept: which verdicts the CLI applies
ACCEPT_VERDICTS: dict[str, set[Verdict]] = {"safe": {Verdict.SAFE}, "all": {Verdict.SAFE, Verdict.FLAGGED}, "none": set()}


def reason(change: Change) -> str:
    return change.reasons[0].rstrip(".") if change.reasons else change.verdict.value


def check_decision(change: Change, status: ChangeStatus, *, override: bool = False) -> None:
    """Accepting a blocked change is refused; a flagged one needs `override`."""
    if status == ChangeStatus.ACCEPTED:
        if change.verdict == Verdict.BLOCKED:
            raise InputError(f"This change is blocked ({reason(change)}); it cannot be accepted.")
        if change.verdict == Verdict.FLAGGED and not override:
            raise InputError(f"This change is flagged ({reason(change)}); press o to accept it anyway.")


def accept_all_safe(changes: Sequence[Change]) -> int:
    """Accept every pending safe change in place; returns how many."""
    count = 0
    for change in changes:
        if change.verdict == Verdict.SAFE and change.status == ChangeStatus.PENDING:
            change.status = ChangeStatus.ACCEPTED
            count += 1
    return count


def decide_by_verdict(changes: Sequence[Change], accept: str) -> list[Change]:
    """The CLI's decisions: accept the verdicts `accept` names (see ACCEPT_VERDICTS), reject the rest."""
    verdicts = ACCEPT_VERDICTS[accept]
    return [
        c.model_copy(update={"status": ChangeStatus.ACCEPTED if c.verdict in verdicts else ChangeStatus.REJECTED})
        for c in changes
    ]


def edit_change(change: Change, after: str, resume: Resume, job: JobDescription | None, facts: list[str]) -> Change:
    """A person's own wording for a change, pending again and re-checked by the guard."""
    from resume_tui.analysis.guard import check_change

    proposed = change.proposed if change.proposed is not None else change.after  # what the run proposed
    edited = change.model_copy(update={"after": after, "status": ChangeStatus.PENDING, "source": "user",
                                       "proposed": proposed})
    return check_change(edited, resume, job=job, user_facts=facts)


def recheck_held_back(changes: list[Change], resume: Resume, job: JobDescription | None, facts: list[str]) -> list[Change]:
    """Re-guard the pending changes the guard held back (in place); returns those whose verdict moved."""
    from resume_tui.analysis.guard import check_change

    moved: list[Change] = []
    for index, change in enumerate(changes):
        if change.verdict == Verdict.SAFE or change.status != ChangeStatus.PENDING:
            continue
        checked = check_change(change, resume, job=job, user_facts=facts)
        changes[index] = checked  # reasons can change even when the verdict stays
        if checked.verdict != change.verdict:
            moved.append(checked)
    return moved

