"""Why the scores moved, or did not: sentences a person can check against the gap report.

A tailored resume that scores the same as the original is the common case offline: the
changes reword and reorder lines that already prove what they prove, and a requirement with
no evidence stays missing, because nothing is invented for it. Printing "Fit 46 → 46" with
no word of why reads as a broken tool; saying which requirements changed status, and what
would move the rest (a fact the person declares), is the honest account.

Pure functions of two gap reports (before and after, over the same requirements) and the two
keyword lists, so the CLI, the TUI and the JSON say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence

from resume_tui.analysis.facts import USER_FACTS_ID
from resume_tui.models import GapReport, MatchStatus, Requirement
from resume_tui.shorten import one_line

_RANK = {MatchStatus.MISSING: 0, MatchStatus.PARTIAL: 1, MatchStatus.MATCHED: 2}
_WORD = {MatchStatus.MISSING: "missing", MatchStatus.PARTIAL: "partly met", MatchStatus.MATCHED: "met"}
QUOTE_CHARS = 60


def _quote(text: str, limit: int = QUOTE_CHARS) -> str:
    return f"“{one_line(text, limit)}”"


def _named(requirements: Sequence[Requirement], limit: int = 2) -> str:
    """“A”, “B” and 3 more."""
    shown = [_quote(r.text) for r in requirements[:limit]]
    rest = len(requirements) - len(shown)
    return " and ".join(shown) + (f" and {rest} more" if rest else "")


def _status(report: GapReport, requirement_id: str) -> MatchStatus:
    match = report.match_for(requirement_id)
    return match.status if match else MatchStatus.MISSING


def _shown_by(report: GapReport, requirement_id: str) -> str:
    """What proves it now: the strongest evidence line, or the fact the person declared."""
    evidence = max(report.evidence_for(requirement_id), key=lambda e: e.strength, default=None)
    if evidence is None:
        return "its evidence is in the gap report"
    if evidence.item_id.startswith(f"{USER_FACTS_ID}."):
        return f"you declared {_quote(evidence.quote)}"
    return f"shown by {_quote(evidence.quote)}"


def fit_movement(before: GapReport, after: GapReport) -> str:
    """One or two sentences: which requirements changed status, or why none did."""
    up: list[Requirement] = []
    down: list[Requirement] = []
    for requirement in before.requirements:
        old, new = _status(before, requirement.id), _status(after, requirement.id)
        if _RANK[new] > _RANK[old]:
            up.append(requirement)
        elif _RANK[new] < _RANK[old]:
            down.append(requirement)
    fit = f"Fit {before.score:.0f} → {after.score:.0f}"
    parts: list[str] = []
    for requirement in up[:2]:
        lead = f"{fit}: " if not parts else ""
        parts.append(f"{lead}{_quote(requirement.text)} is now {_WORD[_status(after, requirement.id)]}"
                     f" — {_shown_by(after, requirement.id)}.")
    if len(up) > 2:
        parts.append(f"{len(up) - 2} more requirements are better met.")
    if down:
        parts.append(f"{_named(down)} {'is' if len(down) == 1 else 'are'} less well met than before: review the changes"
                     " that touch the lines quoted as evidence.")
    if not up and not down:
        missing = [r for r in after.requirements if _status(after, r.id) == MatchStatus.MISSING]
        partial = [r for r in after.requirements if _status(after, r.id) == MatchStatus.PARTIAL]
        why = f"{fit}: no requirement changed status (a reworded or reordered line proves what it proved before)."
        if missing:
            why += f" {len(missing)} missing, e.g. {_quote(missing[0].text, 40)}: declare one if true (f in Review, --fact)."
        elif partial:
            why += f" {len(partial)} partly met: only more evidence moves them."
        parts.append(why)
    elif not up:
        parts.insert(0, f"{fit}.")
    return " ".join(parts)


def keyword_movement(before: float, after: float, matched_before: Sequence[str], matched_after: Sequence[str],
                     missing_after: Sequence[str]) -> str:
    """Which of the posting's words are now written in the resume, or why none were added."""
    before_set, after_set = set(matched_before), set(matched_after)
    gained = [k for k in matched_after if k not in before_set]
    lost = [k for k in matched_before if k not in after_set]
    head = f"Keywords {before:.0f}% → {after:.0f}%"
    if gained:
        words = ", ".join(f"“{k}”" for k in gained[:4]) + (f" and {len(gained) - 4} more" if len(gained) > 4 else "")
        text = f"{head}: now written in your resume: {words}."
    elif not lost:
        text = f"{head}: none added"
        if missing_after:
            sample = ", ".join(f"“{k}”" for k in missing_after[:2])
            text += f"; {len(missing_after)} not in your resume's words (e.g. {sample}), written in only where a line shows them."
        else:
            text += "; every one was already there."
    else:
        text = f"{head}."
    if lost:
        text += " No longer written: " + ", ".join(f"“{k}”" for k in lost[:4]) + "."
    return text


def explain(before: GapReport, after: GapReport) -> list[str]:
    """Both sentences, Fit first (the reports carry their keyword lists)."""
    return [fit_movement(before, after),
            keyword_movement(before.keyword_score, after.keyword_score, before.keywords_matched,
                             after.keywords_matched, after.keywords_missing)]
