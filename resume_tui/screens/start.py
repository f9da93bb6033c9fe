"""Where the app opens: recent sessions to pick up again, or a new one."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from resume_tui.screens.base import StepScreen

NEW = "__new__"
DEMO = "__demo__"


class StartScreen(StepScreen):
    """Lists the store's sessions (most recent first); Enter opens one, n starts a new one."""

    STEP = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New session", tooltip="Start with a new resume"),
        Binding("d", "demo", "Demo", tooltip="Open the bundled sample resume and job description"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
    ]

    def compose(self) -> ComposeResult:
        from resume_tui.widgets.stepper import Stepper

        yield Stepper()
        with Vertical(id="start-body"):
            yield Static(
                Content.assemble(
                    ("resume-tui", "bold $text-accent"),
                    " — tailor your resume to one job, honestly. Nothing is invented; nothing is written without your OK.",
                ),
                id="welcome",
            )
            yield OptionList(id="sessions")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.reload()

    def reload(self) -> None:
        """(Re)list the sessions; called again once the session database has opened."""
        sessions = self.query_one("#sessions", OptionList)
        sessions.clear_options()
        sessions.border_title = "sessions — Enter opens"
        options = [Option(Content.styled("+ New session", "bold"), id=NEW), Option("  Try the demo (sample resume and job)", id=DEMO)]
        for summary in self._recent():
            when = summary.updated_at.strftime("%Y-%m-%d %H:%M")
            title = summary.title or "(untitled)"
            state = summary.state.value.replace("_", " ")
            options.append(Option(f"  {when}  {title[:40]:<40}  {state}", id=summary.id))
        sessions.add_options(options)
        sessions.highlighted = 0
        sessions.focus()

    def _recent(self) -> list[Any]:
        store = self.tui.store
        if store is None:
            return []
        try:
            current = self.flow.session.id if self.tui.has_flow else None
            return [s for s in store.list_sessions(limit=20) if s.id != current or s.state.value != "draft"]
        except Exception as exc:  # noqa: BLE001 - the picker still offers a new session
            self.tui.show_error(exc)
            return []

    @on(OptionList.OptionSelected, "#sessions")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id
        if option_id == NEW:
            self.action_new()
        elif option_id == DEMO:
            self.action_demo()
        elif option_id:
            try:
                session = self.tui.store.get_session(option_id)
            except Exception as exc:  # noqa: BLE001
                self.tui.show_error(exc)
                return
            self.tui.open_session(session)

    def action_cursor(self, direction: str) -> None:
        sessions = self.query_one("#sessions", OptionList)
        sessions.action_cursor_down() if direction == "down" else sessions.action_cursor_up()

    def action_new(self) -> None:
        self.tui.new_session()

    def action_demo(self) -> None:
        self.tui.start_demo()

    def action_next(self) -> None:
        self.action_new()

    def action_back(self) -> None:
        return
