"""Messages that cross screens: the app reacts to them, screens only post them.

Messages that belong to a single widget are nested in that widget instead.
"""

from __future__ import annotations

from typing import Any

from textual.message import Message

from resume_tui.models import WorkflowState


class GoToStep(Message):
    """Ask the app to show the screen of a workflow step (forward or back)."""

    def __init__(self, state: WorkflowState) -> None:
        super().__init__()
        self.state = state


class SessionChanged(Message):
    """The session's state or stale set changed: steppers and cost meters re-render."""


class PipelineEvent(Message):
    """One event from the pipeline's sink, forwarded into the UI thread."""

    def __init__(self, event: Any) -> None:
        super().__init__()
        self.event = event
