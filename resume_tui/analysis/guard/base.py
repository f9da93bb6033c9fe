"""Shared pieces of the guard: its constants and the findings a check writes into."""

from __future__ import annotations

from dataclasses import dataclass

from resume_tui.models import Change

# Sentinel section id for inserting a summary into a resume that has none (apply.py creates the section).
NEW_SUMMARY_SECTION = "+summary"
# Sentinel section id for writing declared skills into a resume that has no skills section.
NEW_SKILLS_SECTION = "+skills"
IDENTITY_SECTION_IDS = {"header", "contact", "identity", "name"}
LENGTH_RANGE = (0.5, 2.0)
MAX_ITEM_CHARS = 5_000  # longer than any real resume item; beyond it only the start is inspected


@dataclass
class _Findings:
    blocked: list[str]
    flagged: list[str]

    def block(self, reason: str) -> None:
        if reason not in self.blocked:
            self.blocked.append(reason)

    def flag(self, reason: str) -> None:
        if reason not in self.flagged:
            self.flagged.append(reason)


@dataclass(frozen=True)
class Checked:
    """A checked change with its blocking and flagging reasons kept apart (change.reasons has both)."""

    change: Change
    blocked: list[str]
    flagged: list[str]
