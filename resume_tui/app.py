"""The Textual app: screen registry, global keys, palette commands, top-level handlers.

Start-up imports only what the first screen needs: screens are lazy factories, and the
settings, the session (`Flow`, pydantic models) and the session store are built on first
use — for the start screen, in a worker after the first frame is painted. All domain
state lives in one `Flow` (the session) that the screens share.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.signal import Signal
from textual.worker import Worker, WorkerState

from resume_tui.heap import keep_long_lived
from resume_tui.messages import GoToStep, RunAnalysis
from resume_tui.screens.app_actions import AppActions
from resume_tui.screens.base import StepScreen
from resume_tui.screens.store_link import StoreLink
from resume_tui.steps import ANALYSIS, RESUME, STEP_SCREENS, STEPS, step_index

if TYPE_CHECKING:
    from resume_tui.models import Session, WorkflowState
    from resume_tui.screens.settings import SettingsScreen
    from resume_tui.session.flow import Flow

DATA = Path(__file__).parent / "data"
SAMPLE_RESUME = DATA / "sample_resume.md"
SAMPLE_JD = DATA / "sample_jd.md"


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _lazy(module: str, name: str) -> Callable[[], Screen[Any]]:
    def factory() -> Screen[Any]:
        return getattr(importlib.import_module(f"resume_tui.screens.{module}"), name)()

    return factory


class ResumeTuiApp(AppActions, App[None]):
    """`resume-tui`: import → job description → analysis → review → approved export."""

    TITLE = "resume-tui"
    CSS_PATH = "styles.tcss"
    SCREENS: ClassVar[dict[str, Callable[[], Screen[Any]]]] = {
        "start": _lazy("start", "StartScreen"),
        "resume": _lazy("resume", "ResumeScreen"),
        "job": _lazy("job", "JobScreen"),
        "analysis": _lazy("analysis", "AnalysisScreen"),
        "review": _lazy("review", "ReviewScreen"),
        "export": _lazy("export", "ExportScreen"),
        "settings": _lazy("settings", "SettingsScreen"),
        "postings": _lazy("postings", "PostingsScreen"),
    }
    home = "start"  # where going back from the first step leads: the sessions, or the Postings board
    # Under 70 columns screens get "-narrow" (styles.tcss drops secondary columns there).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-normal")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Keys", key_display="?",
                tooltip="List every key of this screen, with what it does"),
        Binding("ctrl+q", "quit", "Quit", tooltip="Quit; the session is kept (asks first if an edit is unsaved)",
                priority=True),
        Binding("f2", "settings", "Settings", tooltip="Provider, models, budget, level, auto-approve"),
    ]

    def __init__(
        self,
        demo: bool = False,
        *,
        settings: Any = None,
        session: Session | None = None,
        store: Any = None,
        clock: Callable[[], datetime] | None = None,
        start_dir: str | Path | None = None,
        offline: bool | None = None,
        use_store: bool = True,
    ) -> None:
        super().__init__()
        self.demo = demo
        self.clock: Callable[[], datetime] = clock or _utcnow
        self.start_dir = Path(start_dir) if start_dir else Path.cwd()
        self._settings_error: str | None = None
        self._settings = settings
        self._initial_session = session
        self._offline = demo if offline is None else offline
        self._flow: Flow | None = None
        self._store = store
        self._use_store = use_store
        self.link = StoreLink(self, given_store=store)  # store calls off the UI thread + the session lock
        # The store opened, or a saved session was renamed or deleted: a screen listing them subscribes.
        self.sessions_changed: Signal[None] = Signal(self, "sessions-changed")

    # ------------------------------------------------------------------ start-up

    @property
    def settings(self) -> Any:
        """Loaded on first use (pydantic + the config file are not needed for the first frame)."""
        if self._settings is None:
            self._settings = self._load_settings()
        return self._settings

    @property
    def flow(self) -> Flow:
        """The session, built on first use; the start screen paints before it exists."""
        if self._flow is None:
            from resume_tui.session.flow import Flow

            self._set_flow(Flow(self.settings, self._initial_session, offline=self._offline))
        assert self._flow is not None
        return self._flow

    @flow.setter
    def flow(self, flow: Flow) -> None:
        self._set_flow(flow)

    @property
    def has_flow(self) -> bool:
        return self._flow is not None

    def _set_flow(self, flow: Flow) -> None:
        self._flow = flow
        if self._flow_changed not in flow.listeners:
            flow.listeners.append(self._flow_changed)
        if self._store is not None:
            self.link.attach(flow, self._store)

    def on_settings_screen_saved(self, message: SettingsScreen.Saved) -> None:
        self.use_settings(message.settings)

    def use_settings(self, settings: Any) -> None:
        """Settings just saved (or loaded): the app runs on them from now on, theme included; the
        store masks a key saved with them, as it masks the keys it knew when it opened."""
        self._settings = settings
        redact = getattr(self._store, "redact", None)
        if redact is not None and hasattr(redact, "learn"):
            redact.learn(settings.secrets())
        self._apply_theme()

    def _apply_theme(self) -> None:
        """The config's theme, once settings are loaded; an unknown name is said, not fatal."""
        theme = getattr(self._settings, "theme", None)
        if not theme or theme == self.theme:
            return
        if theme in self.available_themes:
            self.theme = theme
        else:
            self.notify(f"The theme “{theme}” in config.toml is not known; using {self.theme}.", severity="warning",
                        timeout=8)

    def _load_settings(self) -> Any:
        from resume_tui.config import Settings, load_settings
        from resume_tui.errors import ResumeTuiError

        try:
            return load_settings()
        except ResumeTuiError as exc:
            self._settings_error = str(exc)
            return Settings()

    def on_mount(self) -> None:
        if self.demo:
            self._open_store()
            self._load_demo()
            self.show_step(RESUME)
        elif self._initial_session is not None and self._initial_session.state in STEP_SCREENS:
            self._open_store()
            self.show_step(self._initial_session.state)
        else:
            # Paint the start screen first; settings, session and database load right after,
            # off the UI thread, and the session list fills in when they are ready.
            self.show_start()
            self.call_after_refresh(self._prepare)
        self._warn_settings()

    def _warn_settings(self) -> None:
        self._apply_theme()
        if self._settings_error:
            self.notify(self._settings_error + " Using defaults for now.", severity="warning", timeout=10)
            self._settings_error = None

    @work(name="prepare", group="prepare", exclusive=True, exit_on_error=False)
    async def _prepare(self) -> None:
        import asyncio

        store, problem = await asyncio.to_thread(self._open_store_blocking)
        self._warn_settings()
        self._store_opened(store, problem)
        self.sessions_changed.publish(None)
        keep_long_lived()  # start-up's objects out of every later collection (heap.py)

    def _open_store_blocking(self) -> tuple[Any, str | None]:
        """Load settings and open the session database (safe in a thread)."""
        settings = self.settings
        if self._store is not None or not self._use_store:
            return self._store, None
        from resume_tui.session.store import Store

        try:
            return Store.open(settings=settings), None
        except Exception as exc:  # noqa: BLE001 - a broken store must not stop the app
            return None, f"Sessions will not be saved: {exc}"

    def _store_opened(self, store: Any, problem: str | None) -> None:
        if problem:
            self.notify(problem, severity="warning", timeout=8)
        if store is not None and self._store is None:
            self._store = store
            if store.notice:
                self.notify(store.notice, severity="warning", timeout=8)
        if self._store is not None and self._flow is not None:
            self.link.attach(self._flow, self._store)  # a flow built later attaches in _set_flow
            self._prune_demos()

    def _open_store(self) -> None:
        """Persist sessions in the store, opened off the UI thread; if it cannot open, the app
        still works (unsaved)."""
        self._prepare()

    async def on_unmount(self) -> None:
        """Quitting: pending writes finish, the session lock is released, the store closes."""
        await self.link.close(self._store)

    @property
    def store(self) -> Any:
        return self._store

    def start_demo(self) -> None:
        """From the start screen: a new offline session on the bundled sample documents."""
        from resume_tui.session.flow import Flow

        flow = Flow(self.settings, None, offline=True)
        flow.session.settings.demo = True  # marked before the store registers it
        self.flow = flow
        self._load_demo()
        self.show_step(RESUME)

    def _load_demo(self) -> None:
        """Preload the bundled sample resume and JD; the offline engine serves the run. The
        session is marked as a demo: the list says so, and only the newest demo is kept."""
        self.flow.session.settings.demo = True
        self._prune_demos()
        try:
            self.flow.load_resume_file(SAMPLE_RESUME)
            text = SAMPLE_JD.read_text(encoding="utf-8")
            self.flow.set_job(self.flow.preview_job(text))
        except Exception as exc:  # noqa: BLE001 - shown, never a crash
            self.show_error(exc)

    # ------------------------------------------------------------------ navigation

    def show_step(self, state: WorkflowState | str) -> None:
        """Show a step's screen, built fresh from the session (screens hold no domain state)."""
        current = self.screen if self.screen_stack else None
        if isinstance(current, StepScreen) and current.STEP == state:
            return
        if isinstance(current, ModalScreen):
            return
        if getattr(current, "unsaved_edit", False):  # switching screens would drop the text being typed
            self.notify("Save the edit first (ctrl+s) or cancel it (Esc).", severity="warning")
            return
        screen = self.SCREENS[STEP_SCREENS[state]]()
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def show_start(self) -> None:
        screen = self.SCREENS[self.home]()
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    @on(GoToStep)
    def _go_to_step(self, message: GoToStep) -> None:
        if message.offset > 0:
            self.next_step(message.current)
        else:
            self.previous_step(message.current)

    def next_step(self, current: WorkflowState | str | None) -> None:
        index = step_index(current)
        if index + 1 < len(STEPS):
            self.show_step(STEPS[index + 1].value)

    def previous_step(self, current: WorkflowState | str | None) -> None:
        index = step_index(current)
        if index > 0:
            self.show_step(STEPS[index - 1].value)
        else:
            self.show_start()

    def new_session(self) -> None:
        from resume_tui.session.flow import Flow

        self.flow = Flow(self.settings, None, offline=self._offline)
        self.show_step(RESUME)

    def open_session(self, session: Session, *, resumable: Any = None, resume: bool = False,
                     last_run: Any = None) -> None:
        """Show a loaded session as it was left: the step the person was on (if still reached), the last
        run's task table. `resumable` is its interrupted last run, which the next analysis picks up
        (reusing finished tasks) — at once when `resume`."""
        from resume_tui.session.flow import Flow

        flow = Flow(self.settings, session, offline=self._offline)
        flow.resumable = resumable
        flow.tasks = list(getattr(last_run, "tasks", None) or [])
        self.flow = flow
        state = session.state if session.state in STEP_SCREENS else RESUME
        left_on = flow.view.step  # a step already done, or the one a done step leads to (Review after Analysis)
        if left_on is not None and (flow.reached(left_on) or step_index(left_on) <= step_index(session.state) + 1):
            state = left_on
        if resume and resumable is not None and session.resume is not None and session.job is not None:
            self.show_step(ANALYSIS)
            if not flow.needs_analysis():  # else the analysis screen starts the run itself
                self.tell_screen(RunAnalysis())
            return
        self.show_step(state)

    @work(name="open-session", group="open-session", exclusive=True, exit_on_error=False)
    async def open_saved(self, session_id: str, *, resume: bool = False) -> None:
        """From the start screen or the Postings board: lock and load a saved session off the UI thread,
        then show it. Another resume-tui holding it (LockBusy names its pid) → one clear notification
        from `_worker_failed`, and this window stays put."""
        if self._store is None:
            self.notify("The session database is not open yet; try again in a moment.", severity="warning")
            return
        opened = await self.link.open(self._store, session_id)
        self.open_session(opened.session, resumable=opened.resumable, resume=resume, last_run=opened.last_run)

    def _flow_changed(self) -> None:
        if self.flow.store_warning:
            self.notify(self.flow.store_warning, severity="warning", timeout=8)
            self.flow.store_warning = None
        for screen in self.screen_stack:
            if isinstance(screen, StepScreen) and screen.is_mounted:
                screen.refresh_stepper()

    # ------------------------------------------------------------------ errors

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Notifications quote file names, document text and model output: plain text by
        default (markup would turn "[/]" into a crash and "[@click=…]" into an action)."""
        from resume_tui.textsafe import display_safe

        super().notify(display_safe(message), title=display_safe(title), severity=severity, timeout=timeout,
                       markup=markup)

    def show_error(self, error: BaseException) -> None:
        """Every failure becomes one notification; nothing reaches the user as a traceback."""
        from resume_tui.errors import ResumeTuiError

        if isinstance(error, ResumeTuiError):
            self.notify(str(error), severity="error", timeout=8)
        else:
            detail = str(error) or type(error).__name__
            self.notify(f"Something went wrong ({detail}); your session is kept — try again.", severity="error", timeout=8)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.show_error(event.worker.error)
