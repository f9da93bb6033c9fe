"""Where the person was in a session — the step on screen, the tab, the highlighted change, the scroll —
kept in the session so reopening it shows exactly that again.

It lives in the session's settings under "view" (persisted with the session, never sent to a model).
Screens record into it as the person moves (cheap: memory only) and the Flow saves it when a
screen is left, after a short pause, and on quit. Values are plain JSON: strings and numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from resume_tui.models import Session
from resume_tui.steps import STEP_VALUES


class ViewState:
    """A typed face over `session.settings.view` (the Flow replaces its session on each workflow move,
    so this reads it through `session`, a getter)."""

    def __init__(self, session: Callable[[], Session], *, save: Callable[[], None]) -> None:
        self._session = session
        self._save = save
        self.dirty = False

    def save(self) -> None:
        """Persist the session if the view moved since the last save (screens call this when left)."""
        if self.dirty:
            self.dirty = False
            self._save()

    @property
    def _data(self) -> dict[str, Any]:
        settings = self._session().settings
        data = settings.view
        if not isinstance(data, dict):
            settings.view = {}  # validate_assignment copies: hand back the stored dict itself
            data = settings.view
        assert data is not None
        return data

    def get(self, key: str, default: Any = None) -> Any:
        value = self._data.get(key, default)
        return default if value is None else value

    def set(self, **values: Any) -> None:
        """Record values (None removes one); marks the view dirty only when something moved."""
        data = self._data
        for key, value in values.items():
            if value is None:
                self.dirty |= data.pop(key, None) is not None
            elif data.get(key) != value:
                data[key] = value
                self.dirty = True

    @property
    def step(self) -> str | None:
        """The step the person was on (one of the five), if recorded."""
        step = self._data.get("step")
        return step if step in STEP_VALUES else None

    def scroll(self, name: str) -> float:
        value = self._data.get(f"scroll_{name}")
        return float(value) if isinstance(value, (int, float)) else 0.0
