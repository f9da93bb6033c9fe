"""Messages that cross screens: screens post them, the app reacts (it owns navigation).

Messages that belong to a single widget are nested in that widget instead. Only
textual.message is imported here: the first screen posts these before any model loads.
"""

from __future__ import annotations

from textual.message import Message


class GoToStep(Message):
    """A screen asks to move one step forward (+1) or back (-1) from its own step.

    `current` is a WorkflowState value (or None for the start screen); the app decides
    which screen that means, so screens never build or switch screens themselves.
    """

    def __init__(self, current: str | None, offset: int) -> None:
        super().__init__()
        self.current = current
        self.offset = offset


# The app → a step screen it has just shown: a palette command ("Run analysis", "Export…") asks
# that screen to do its part. Posted to that screen only (no bubbling): a screen without the
# handler simply has nothing to do.


class RunAnalysis(Message, bubble=False):
    """Start (or start again) the analysis run: the Analysis screen handles it."""


class AcceptAllSafe(Message, bubble=False):
    """Accept every change the guard passed: the Review screen handles it."""


class DeclareFact(Message, bubble=False):
    """Ask the person for a fact the guard may rely on: Analysis and Review handle it."""


class StartExport(Message, bubble=False):
    """Plan the chosen files and ask for approval: the Export screen handles it."""
