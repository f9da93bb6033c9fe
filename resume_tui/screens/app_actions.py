"""What the App does besides showing steps, kept out of app.py so that stays the registry:
the help screen and the safe quit, the global actions and the palette's commands (the app's and
the screen's own), and the session list's rename / delete / demo pruning (through the StoreLink,
off the UI thread).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from resume_tui.messages import AcceptAllSafe, DeclareFact, RunAnalysis, StartExport
from resume_tui.steps import ANALYSIS, EXPORT, REVIEW, STEP_SCREENS, STEPS

if TYPE_CHECKING:
    from resume_tui.screens.postings import PostingsScreen
    from resume_tui.screens.start import StartScreen


def screen_commands(app: Any, screen: Screen[Any]) -> Iterable[SystemCommand]:
    """Help, then every action of `screen` by its description, so the palette finds them all."""
    yield SystemCommand("Help: keys of this screen", "Every key of this screen and what it does (? or F1)",
                        app.action_help)
    seen: set[str] = set()
    for binding in getattr(screen, "BINDINGS", ()):  # every action of the screen, by name
        if not isinstance(binding, Binding) or not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        key = app.get_key_display(binding)
        yield SystemCommand(f"{binding.description} ({key})", binding.tooltip or binding.description,
                            lambda action=binding.action: screen.run_action(action))


class AppActions:
    """Mixed into ResumeTuiApp (which provides link, flow, store, screen, notify, …)."""

    _store: Any
    _flow: Any
    link: Any
    screen: Any
    screen_stack: Any
    show_error: Any
    push_screen: Any
    exit: Any
    show_step: Any
    call_after_refresh: Any
    new_session: Any
    start_demo: Any
    open_saved: Any
    show_start: Any
    notify: Any
    home: str
    sessions_changed: Any

    # ------------------------------------------------------------------ what the start screen and the board chose

    def on_start_screen_open_session(self, message: StartScreen.OpenSession) -> None:
        self.open_saved(message.session_id, resume=message.resume)

    def on_start_screen_new_session(self) -> None:
        self.new_session()

    def on_start_screen_demo(self) -> None:
        self.start_demo()

    def on_start_screen_show_postings(self) -> None:
        self.home = "postings"
        self.show_start()

    def on_postings_screen_open_session(self, message: PostingsScreen.OpenSession) -> None:
        self.home = "postings"  # back from its first step returns to the board
        self.open_saved(message.session_id)

    def on_postings_screen_leave(self) -> None:
        self.home = "start"
        self.show_start()

    def on_start_screen_rename(self, message: StartScreen.Rename) -> None:
        self.rename_session(message.session_id, message.name)

    def on_start_screen_delete(self, message: StartScreen.Delete) -> None:
        self.delete_session(message.session_id)

    @work(name="store", group="store", exit_on_error=False)
    async def watch_store_write(self, future: Future[Any]) -> None:
        """A write the UI queued on the store thread (StoreLink.submit): if it fails, one warning."""
        try:
            await asyncio.wrap_future(future)
        except Exception as exc:  # noqa: BLE001 - one sentence, the work stays in memory
            self.notify(f"The session could not be saved ({exc}); your work stays open in this window.",
                        severity="warning", timeout=8)

    def _prune_demos(self) -> None:
        """Every demo used to add a session: keep only the newest (store thread, in order)."""
        if self._store is not None and self._flow is not None and self._flow.session.settings.demo:
            self.link.prune_demos(self._store, keep=self._flow.session.id)

    @work(name="rename", group="sessions", exclusive=True, exit_on_error=False)
    async def rename_session(self, session_id: str, name: str) -> None:
        """The open session (if it is this one) keeps the name too. A failure is one sentence (the
        app's `_worker_failed`)."""
        await self.link.rename(self._store, session_id, name, open_flow=self._flow)
        self._reload_screen()

    @work(name="delete", group="sessions", exclusive=True, exit_on_error=False)
    async def delete_session(self, session_id: str) -> None:
        """After the user confirmed: the session open in this window is let go first. Busy in another
        window: one sentence naming it (the app's `_worker_failed`)."""
        if self._flow is not None and self._flow.session.id == session_id:
            self._flow = None
        await self.link.delete(self._store, session_id)
        self._reload_screen()

    def _reload_screen(self) -> None:
        self.sessions_changed.publish(None)

    def action_help(self) -> None:
        """The keys of the screen the user is on; a second ? closes it (HelpScreen's own key)."""
        from resume_tui.screens.help import HelpScreen, key_rows

        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        title = getattr(screen, "HELP_TITLE", None) or type(screen).__name__.removesuffix("Screen")
        self.push_screen(HelpScreen(title, key_rows(screen)))

    async def action_quit(self) -> None:
        """Quit, but never drop an inline edit silently: a screen with one says so, and we ask. Where the
        person is (step, tab, cursor) is saved first, so reopening the session shows it again."""
        # The step screen (under any modal) records its scroll offsets first, then the view is saved.
        savers = [s.save_view for s in self.screen_stack if callable(getattr(s, "save_view", None))]
        for save_view in savers:
            save_view()
        if not savers and self._flow is not None:
            self._flow.view.save()
        if not any(getattr(screen, "unsaved_edit", False) for screen in self.screen_stack):
            self.exit()
            return
        from resume_tui.screens.confirm import ConfirmScreen

        if any(isinstance(screen, ConfirmScreen) for screen in self.screen_stack):
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        self.push_screen(ConfirmScreen("Quit and lose the unsaved edit?",
                                       "The edit you are typing in Review is not saved. Go back (n) and press "
                                       "ctrl+s to keep it, or quit without it (y).", yes="Quit", no="Keep editing"),
                         answered)

    # ------------------------------------------------------------------ actions

    def action_settings(self) -> None:
        if type(self.screen).__name__ != "SettingsScreen":
            self.push_screen(self.SCREENS["settings"]())  # type: ignore[attr-defined]

    def action_goto(self, step: str) -> None:
        if step in STEP_SCREENS:
            self.show_step(step)

    def tell_screen(self, message: Message) -> None:
        """Once the step just shown is on screen, post `message` to it (its handler does the work)."""
        self.call_after_refresh(lambda: self.screen.post_message(message))

    def action_accept_all_safe(self) -> None:
        self.show_step(REVIEW)
        self.tell_screen(AcceptAllSafe())

    def action_declare_fact(self) -> None:
        """From anywhere: the review screen asks for the fact (the gap report's f works per row)."""
        if getattr(self.screen, "STEP", None) not in (ANALYSIS, REVIEW):
            self.show_step(REVIEW)
        self.tell_screen(DeclareFact())

    def action_export(self) -> None:
        self.show_step(EXPORT)
        self.tell_screen(StartExport())

    def action_run_analysis(self) -> None:
        self.show_step(ANALYSIS)
        self.tell_screen(RunAnalysis())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)  # type: ignore[misc]
        yield from screen_commands(self, screen)
        for step in STEPS:
            yield SystemCommand(f"Go to {step.label}", f"Show the {step.label} step", lambda s=step.value: self.show_step(s))
        yield SystemCommand("Run analysis", "Run (or re-run) the gap analysis pipeline", self.action_run_analysis)
        yield SystemCommand("Accept all safe changes", "Accept every change the guard passed", self.action_accept_all_safe)
        yield SystemCommand("Declare a gap true…", "Type a short fact the guard may then rely on", self.action_declare_fact)
        yield SystemCommand("Export…", "Choose formats and approve the files to write", self.action_export)
        yield SystemCommand("Settings", "Provider, models, budget caps, level, auto-approve", self.action_settings)
        yield SystemCommand("New session", "Start again with a new resume", self.new_session)
