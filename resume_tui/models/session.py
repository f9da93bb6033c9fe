"""The session document: the five steps' artifacts plus what the session chose and keeps.

`SessionSettings` used to be a free-form dict that every layer read with `.get("key")`; a
typo there was a silent default. It is a typed model now. Stored sessions stay readable:
keys this version does not know are kept as extras (and written back unchanged), and a
stored value that no longer validates is dropped — with its key — rather than making the
whole session unreadable.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidatorFunctionWrapHandler, field_validator

from resume_tui.models.domain import (
    Change,
    CustomizationLevel,
    GapReport,
    JobDescription,
    Resume,
    Usage,
    WorkflowState,
    _Model,
    utcnow,
)


class UserFact(_Model):
    """A fact the user declared true (the checklist's ticks, a gap typed true)."""

    text: str
    requirement_id: str | None = None


class SessionSettings(BaseModel):
    """What one session chose and carries between runs and restarts.

    The provider, model, level, caps and auto-approve fold over the config for this session's
    runs (session/services/inputs.py); the rest is session state that is not an artifact.
    """

    model_config = ConfigDict(extra="allow", validate_assignment=True)

    # Who and what: a user-given name, the demo mark (pruned), who made it ("cli").
    name: str | None = None
    demo: bool = False
    origin: str | None = None
    # Choices for this session's runs; None = the config's value.
    provider: str | None = None
    model: str | None = None
    level: CustomizationLevel | None = None
    max_usd: float | None = Field(default=None, ge=0)
    max_tokens: int | None = Field(default=None, ge=0)
    auto_approve: bool | None = None
    # What this session's runs spent, across runs and restarts (the per-session caps count it).
    spent: Usage = Field(default_factory=Usage)
    # The record of a posting fetched by URL, so going back (or resuming) does not fetch again.
    posting: dict[str, Any] | None = None
    # Declared facts, and the report the run produced before any of them counted.
    user_facts: list[UserFact] = Field(default_factory=list)
    base_report: GapReport | None = None
    # The export screen's last choices.
    export_formats: list[str] | None = None
    export_dir: str | None = None
    export_stem: str | None = None
    # Job search: the person's tracker state ({"state", "at"}) and, for a batch posting, its batch
    # ({"id", "rank", "fit", "keywords", "source", "top_gaps"}); session/tracker.py reads both.
    tracker: dict[str, Any] | None = None
    batch: dict[str, Any] | None = None
    # Where the person was (step, tab, cursor, scroll), restored on reopen; session/view.py reads it.
    view: dict[str, Any] | None = None
    # The cover letter (analysis/letter.Letter as JSON), which inputs it was written from, its tone,
    # and whether the export screen writes it with the resume (session/lettering.py).
    letter: dict[str, Any] | None = None
    letter_inputs: str | None = None
    letter_tone: str | None = None
    export_letter: bool | None = None

    def facts(self) -> list[str]:
        return [f.text for f in self.user_facts]

    def stored(self) -> dict[str, Any]:
        """The JSON the store keeps: unset keys are left out, as the dict this replaced left them
        out (the tracker asks whether "batch" or "tracker" is there at all)."""
        return {k: v for k, v in self.model_dump(mode="json").items() if v is not None}  # top level only


class Session(_Model):
    id: str
    state: WorkflowState = WorkflowState.DRAFT
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    resume: Resume | None = None
    job: JobDescription | None = None
    report: GapReport | None = None
    changes: list[Change] = Field(default_factory=list)
    stale: list[WorkflowState] = Field(default_factory=list)
    settings: SessionSettings = Field(default_factory=SessionSettings)

    @field_validator("settings", mode="wrap")
    @classmethod
    def _readable(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> SessionSettings:
        """An old session's settings: drop the keys whose stored value no longer validates."""
        if not isinstance(value, dict):
            return handler(value)
        data = dict(value)
        for _ in range(len(data) + 1):
            try:
                return handler(data)
            except ValidationError as exc:
                bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
                if not bad & set(data):
                    raise
                data = {k: v for k, v in data.items() if k not in bad}
        return handler({})
