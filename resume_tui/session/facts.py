"""Declared facts in a session: the checklist's ticks and the gaps typed true, and what follows from them.

A fact the user declares is stored in the session (and audited with its time and text). Declaring or
withdrawing one recomputes, at once and deterministically:
- the gap report's Fit on the same requirements, the fact counted as evidence ("declared by you");
  the report the run produced is kept aside, so withdrawing every fact restores it exactly;
- the changes that write the facts into the resume (analysis/declared.py): undecided ones are
  regenerated, and a decided one whose fact was withdrawn is withdrawn with it;
- every other change's verdict, since the guard accepts a claim only while its fact is declared
  (an accepted change the guard now blocks goes back to pending).
Pure functions of the session: the Flow calls them and persists the result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from resume_tui.models import Change, ChangeAction, ChangeStatus, GapReport, Session, UserFact, Verdict

MAX_FACT_CHARS = 300
DECLARED_SOURCE = "declared"


def facts_of(session: Session) -> list[str]:
    return session.settings.facts()


def base_report(session: Session) -> GapReport | None:
    """The report the analysis run produced, before any declared fact (kept in the session settings)."""
    return session.settings.base_report or session.report


def add_facts(session: Session, texts: list[str], requirement_id: str | None = None) -> list[str]:
    """Store facts (deduplicated, one per requirement when typed on a gap); returns the new ones."""
    from resume_tui.errors import InputError

    facts = list(session.settings.user_facts)
    have = {f.text.lower() for f in facts}
    added: list[str] = []
    for raw in texts:
        text = " ".join(raw.split())
        if not text:
            raise InputError("Type the fact in one short sentence, e.g. “I have used Rust in production since 2022”.")
        if len(text) > MAX_FACT_CHARS:
            raise InputError(f"Keep the fact under {MAX_FACT_CHARS} characters: one sentence saying what is true.")
        if requirement_id:
            facts = [f for f in facts if f.requirement_id != requirement_id]
        if text.lower() not in have:
            facts.append(UserFact(text=text, requirement_id=requirement_id))
            have.add(text.lower())
            added.append(text)
    session.settings.user_facts = facts
    return added


def remove_fact(session: Session, text: str) -> bool:
    facts = list(session.settings.user_facts)
    kept = [f for f in facts if f.text != text]
    session.settings.user_facts = kept
    return len(kept) != len(facts)


def set_base_report(session: Session, report: GapReport, changes: list[Change]) -> GapReport:
    """Record an analysis run's report (with the Keywords score filled in when a model's report has none)
    as the base the facts are counted on, and re-apply facts declared before the run. Returns the base."""
    from resume_tui.analysis.keywords import keyword_report

    if session.resume is not None and session.job is not None and not report.keywords_matched:
        keywords = keyword_report(session.resume, session.job)
        report = report.model_copy(update={"keyword_score": keywords.score, "keywords_matched": keywords.matched,
                                           "keywords_missing": keywords.missing})
    session.report = report
    session.settings.base_report = report
    session.changes = changes
    if facts_of(session):
        refresh(session)  # facts declared earlier still count after a re-run
    return report


def declare(session: Session, texts: list[str], requirement_id: str | None, *,
            audit: Callable[[str, str], None]) -> list[Change]:
    """Store new facts (each audited), then recompute; returns the changes whose verdict moved."""
    for text in add_facts(session, texts, requirement_id):
        audit("declare_fact", text)
    return refresh(session)


def withdraw(session: Session, text: str, *, audit: Callable[[str, str], None]) -> list[Change]:
    if not remove_fact(session, text):
        return []
    audit("withdraw_fact", text)
    return refresh(session)


def refresh(session: Session) -> list[Change]:
    """Recompute the report, the declared changes and every verdict for the current facts.
    Returns the changes whose verdict moved (for a notification)."""
    from resume_tui.analysis.declared import propose_declared_changes
    from resume_tui.analysis.engine import analyze
    from resume_tui.analysis.guard import check_change

    base = base_report(session)
    if session.resume is None or session.job is None or base is None:
        return []
    if session.settings.base_report is None:
        session.settings.base_report = base
    facts = facts_of(session)
    job = session.job.model_copy(update={"requirements": base.requirements})
    session.report = analyze(session.resume, job, facts=facts) if facts else base
    occupied = {c.item_id for c in session.changes
                if c.source != DECLARED_SOURCE and c.action is ChangeAction.REPLACE and c.item_id}
    proposed = propose_declared_changes(session.resume, job, session.report, facts, occupied=occupied) if facts else []
    fresh = {c.id: c for c in proposed}
    kept: list[Change] = []
    for change in session.changes:
        if change.source != DECLARED_SOURCE:
            kept.append(change)
        elif change.status is not ChangeStatus.PENDING and change.id in fresh and fresh[change.id].after == change.after:
            kept.append(change)  # a decision on a change whose fact still stands is kept
            fresh.pop(change.id)
    moved: list[Change] = []
    out: list[Change] = []
    for change in kept:
        if change.source == DECLARED_SOURCE:
            out.append(change)
            continue
        checked = check_change(change, session.resume, job=session.job, user_facts=facts)
        if checked.verdict is Verdict.BLOCKED and checked.status is ChangeStatus.ACCEPTED:
            checked = checked.model_copy(update={"status": ChangeStatus.PENDING})
        if checked.verdict != change.verdict:
            moved.append(checked)
        out.append(checked)
    session.changes = [*out, *fresh.values()]
    return moved


def scores(session: Session, accepted: list[Change]) -> dict[str, Any] | None:
    """Fit and Keywords, before (the resume as it was, no facts) → after (the accepted changes applied,
    the declared facts counted for Fit). Thread-safe: reads the session, writes nothing."""
    from resume_tui.analysis import movement
    from resume_tui.analysis.apply import apply_changes
    from resume_tui.analysis.engine import analyze

    base = base_report(session)
    if session.resume is None or session.job is None or base is None:
        return None
    facts = facts_of(session)
    job = session.job.model_copy(update={"requirements": base.requirements})
    tailored = apply_changes(session.resume, accepted, job=session.job, user_facts=facts)
    after = analyze(tailored, job, facts=facts)
    if not (base.keywords_matched or base.keywords_missing):
        plain = analyze(session.resume, job)
        base = base.model_copy(update={"keyword_score": plain.keyword_score, "keywords_matched": plain.keywords_matched,
                                       "keywords_missing": plain.keywords_missing})
    return {"fit_before": base.score, "fit_after": after.score,
            "keywords_before": base.keyword_score, "keywords_after": after.keyword_score,
            "why": movement.explain(base, after)}
