"""A re-run proposes its changes again: what a person already did on the same proposal carries over.

A change is "still proposed" when the new run proposes the same action on the same target
(section, item, order) with the same text the earlier run proposed — for a change a person
edited, the text before their edit (`Change.proposed`). Its decision and the edit carry over;
the edit is guarded again. Everything else a person worked on (a decision, an edit) is counted
as dropped, so the screen can ask before the new result replaces it. Never silently: losing a
review is losing work.

An acceptance only carries when the guard still allows it: a change the guard now blocks, or
flags where it did not before (the override was for another verdict), is dropped and counted.
Changes written from declared facts are not the run's: they pass through unchanged and
`session/facts.py` regenerates them (keeping decisions whose fact still stands).
Thread-safe: pure functions of the changes given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from resume_tui.models import Change, ChangeAction, ChangeStatus, JobDescription, Resume, Verdict

DECLARED_SOURCE = "declared"  # session/facts.py writes these; a run never proposes them

Key = tuple[str, str | None, ChangeAction, tuple[str, ...], str]


@dataclass(frozen=True)
class Merge:
    """The new run's changes with earlier work carried over, and the earlier work that would go."""

    changes: list[Change]
    kept: int = 0
    dropped: list[Change] = field(default_factory=list)

    def question(self) -> str:
        """"Re-run will drop 3 decisions on changes that are no longer proposed — continue?\""""
        n = len(self.dropped)
        what = "decision" if n == 1 else "decisions"
        return f"Re-run will drop {n} {what} on changes that are no longer proposed — continue?"

    def detail(self, limit: int = 5) -> str:
        """The dropped work, one line each (what was done, on which text), then what continuing does."""
        lines = [f"• {_done(c)}: {_short(c.after or c.before)}" for c in self.dropped[:limit]]
        if len(self.dropped) > limit:
            lines.append(f"• … and {len(self.dropped) - limit} more")
        kept = f"{self.kept} decision(s) on changes still proposed are kept either way. " if self.kept else ""
        return ("\n".join(lines) + f"\n\n{kept}Continue (y) uses the new run's changes; keep (n) leaves the review "
                "as it was and only the task table shows the new run.")


def proposal_key(change: Change) -> Key:
    """What makes two proposals the same: action, target and the text the run proposed."""
    text = change.proposed if change.proposed is not None else change.after
    return (change.section_id, change.item_id, change.action, tuple(change.order or ()), " ".join(text.split()))


def worked_on(change: Change) -> bool:
    """A person decided it or edited it (a pending, unedited proposal is nobody's work yet)."""
    return change.source != DECLARED_SOURCE and (change.status != ChangeStatus.PENDING or change.proposed is not None)


def merge(proposed: Sequence[Change], earlier: Sequence[Change], resume: Resume | None,
          job: JobDescription | None, facts: list[str]) -> Merge:
    """The new run's `proposed` changes with the work done on `earlier` ones carried over."""
    work = {proposal_key(c): c for c in earlier if worked_on(c)}
    out: list[Change] = []
    carried: set[Key] = set()
    for new in proposed:
        key = proposal_key(new)
        old = work.get(key)
        kept = _carry(new, old, resume, job, facts) if old is not None and key not in carried else None
        if kept is None:
            out.append(new)
            continue
        carried.add(key)
        out.append(kept)
    out.extend(c for c in earlier if c.source == DECLARED_SOURCE)  # facts.refresh decides about these
    dropped = [c for key, c in work.items() if key not in carried]
    return Merge(out, kept=len(carried), dropped=dropped)


def _carry(new: Change, old: Change, resume: Resume | None, job: JobDescription | None,
           facts: list[str]) -> Change | None:
    """`new` with `old`'s edit and decision, or None when the guard no longer allows the decision."""
    if old.proposed is not None and resume is not None:
        from resume_tui.analysis.guard import check_change

        edited = new.model_copy(update={"after": old.after, "proposed": old.proposed, "source": old.source,
                                        "status": ChangeStatus.PENDING})
        new = check_change(edited, resume, job=job, user_facts=facts)
    if old.status == ChangeStatus.ACCEPTED and not _still_allowed(new.verdict, old.verdict):
        return None
    return new.model_copy(update={"status": old.status})


def _still_allowed(now: Verdict, before: Verdict) -> bool:
    return now == Verdict.SAFE or (now == Verdict.FLAGGED and before == Verdict.FLAGGED)


def _done(change: Change) -> str:
    edited = change.proposed is not None
    if change.status == ChangeStatus.PENDING:
        return "edited"
    return f"{change.status.value}{' after an edit' if edited else ''}"


def _short(text: str, limit: int = 60) -> str:
    """One line, cut at a word (never mid-word) with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(",;:") + "…"
