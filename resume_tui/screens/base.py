"""What every workflow screen shares: the stepper on top, the footer of keys below."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from resume_tui.messages import GoToStep
from resume_tui.steps import STEP_VALUES
from resume_tui.widgets.stepper import Stepper

VIEW_SAVE_DELAY_S = 1.0

if TYPE_CHECKING:
    from textual.signal import Signal

    from resume_tui.models import WorkflowState
    from resume_tui.screens.store_link import StoreLink
    from resume_tui.session.flow import Flow


class StepHost(Protocol):
    """What the screens read from the app (ResumeTuiApp provides it): the session, the store and its
    link, the clock, the signal that the saved sessions changed. What a screen wants the app to do
    it says with a message (GoToStep, or one nested in the screen), handled by the app.

    A protocol, so the screens never import the app module that imports them.
    """

    clock: Callable[[], datetime]
    start_dir: Path
    link: StoreLink
    sessions_changed: Signal[None]

    @property
    def flow(self) -> Flow: ...

    @property
    def has_flow(self) -> bool: ...

    @property
    def store(self) -> Any: ...

    def show_error(self, error: BaseException) -> None: ...


class StepScreen(Screen[None]):
    """A screen for one workflow step. Subclasses compose their body in `compose_body`."""

    STEP: ClassVar[WorkflowState | None] = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", "Next", tooltip="Go on to the next step"),
        Binding("escape", "back", "Back", tooltip="Go back one step (later results are kept, marked stale)"),
    ]

    _view_timer: Timer | None = None

    @property
    def tui(self) -> StepHost:
        return cast("StepHost", self.app)

    @property
    def flow(self) -> Flow:
        return self.tui.flow

    def compose(self) -> ComposeResult:
        yield Stepper()
        yield from self.compose_body()
        from resume_tui.widgets.footer import FittingFooter

        yield FittingFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.refresh_stepper()
        if self.STEP is not None:
            self.remember_view(step=str(self.STEP))

    def on_screen_resume(self) -> None:
        self.refresh_stepper()

    def on_screen_suspend(self) -> None:
        self.save_view()

    def on_unmount(self) -> None:
        self.save_view()

    def remember_view(self, **values: Any) -> None:
        """Record where the person is (kept in the session, restored on reopen); saved when the screen
        is left, on quit, and after a second without moving (so a killed window loses at most that)."""
        flow = self.flow
        flow.view.set(**values)
        if flow.view.dirty:
            if self._view_timer is not None:
                self._view_timer.stop()
            self._view_timer = self.set_timer(VIEW_SAVE_DELAY_S, self.save_view)

    def capture_view(self) -> dict[str, Any]:
        """What a screen records just before the view is saved (scroll offsets); none by default."""
        return {}

    def restore_scroll(self, widget: Widget, name: str, *, tries: int = 8) -> None:
        """Scroll `widget` back to where the person left it (`view.scroll(name)`), once its content is laid
        out: before that the offset clamps to 0, so this waits a refresh at a time, a few times at most."""
        y = self.flow.view.scroll(name)
        if not y:
            return

        def attempt(left: int) -> None:
            if not widget.is_mounted:
                return
            if widget.max_scroll_y >= y or left <= 0:
                widget.scroll_to(y=y, animate=False, immediate=True)
            else:
                self.call_after_refresh(attempt, left - 1)

        self.call_after_refresh(attempt, tries)

    def save_view(self) -> None:
        if not self.tui.has_flow:
            return
        from textual.css.query import NoMatches

        try:
            self.flow.view.set(**self.capture_view())
        except NoMatches:  # unmounting: the widgets are gone, what was recorded last stands
            pass
        self.flow.view.save()

    def refresh_stepper(self) -> None:
        if self.STEP is None and not self.tui.has_flow:
            return  # the start screen paints before the session exists: nothing done yet
        flow = self.flow
        done = frozenset(s for s in STEP_VALUES if flow.done(s))
        stale = frozenset(flow.session.stale)
        report = flow.session.report
        scores = (report.score, report.keyword_score) if report is not None else None
        self.query_one(Stepper).set_state(self.STEP, done, stale, flow.usage, scores)

    def action_next(self) -> None:
        self.post_message(GoToStep(self.STEP, +1))

    def action_back(self) -> None:
        self.post_message(GoToStep(self.STEP, -1))

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """The one place a failed worker of any screen becomes a notification (never a crash)."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.tui.show_error(event.worker.error)
