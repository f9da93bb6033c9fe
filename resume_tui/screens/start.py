"""Where the app opens: recent sessions to pick up again, or a new one."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from resume_tui.screens.base import StepScreen
from resume_tui.textsafe import display_safe

NEW = "__new__"
DEMO = "__demo__"


class StartScreen(StepScreen):
    """Lists the store's sessions (most recent first); Enter opens one, n starts a new one.

    What the choice means for the window (which session is open, what is shown) is the app's:
    the screen says what was chosen with the messages below."""

    class OpenSession(Message):
        """Open a saved session; `resume` also resumes its interrupted run."""

        def __init__(self, session_id: str, *, resume: bool = False) -> None:
            super().__init__()
            self.session_id = session_id
            self.resume = resume

    class NewSession(Message):
        """Start a new session with a new resume."""

    class Demo(Message):
        """Start a demo session on the bundled sample documents."""

    class ShowPostings(Message):
        """Show the Postings board (going back from a session's first step then returns there)."""

    class Rename(Message):
        """Rename a saved session (the person typed `name` and confirmed)."""

        def __init__(self, session_id: str, name: str) -> None:
            super().__init__()
            self.session_id = session_id
            self.name = name

    class Delete(Message):
        """Delete a saved session (the person confirmed)."""

        def __init__(self, session_id: str) -> None:
            super().__init__()
            self.session_id = session_id

    STEP = None
    BINDINGS: ClassVar[list[BindingType]] = [
        # Nothing comes before this screen: Esc and ctrl+n stay quiet here (n is the new session).
        Binding("ctrl+n", "next", "New session", show=False),
        Binding("escape", "back", "Back", show=False),
        Binding("n", "new", "New session", tooltip="Start with a new resume"),
        Binding("d", "demo", "Demo", tooltip="Open the bundled sample resume and job description"),
        Binding("u", "resume", "Resume run", show=False,
                tooltip="Open the highlighted session and resume its interrupted run (rows marked ⟳ say so)"),
        Binding("r", "rename", "Rename", tooltip="Rename the highlighted session"),
        Binding("p", "postings", "Postings",
                tooltip="The Postings board: every posting ranked by fit, with where each application stands"),
        Binding("x,delete", "delete", "Delete", tooltip="Delete the highlighted session (asks first)"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="start-body"):
            yield Static(
                Content.assemble(
                    ("resume-tui", "bold $text-accent"),
                    " — tailor your resume to one job, honestly. Nothing is invented; nothing is written without your OK.",
                ),
                id="welcome",
            )
            yield Static(id="batches-waiting")  # shown only while provider batches wait (see _load_recent)
            yield OptionList(id="sessions")

    def on_mount(self) -> None:
        super().on_mount()
        self.tui.sessions_changed.subscribe(self, lambda _: self.reload(), immediate=True)
        self.reload()

    def reload(self, recent: list[Any] | None = None, demos: set[str] | None = None) -> None:
        """(Re)list the sessions; called again once the session database has opened. The saved
        sessions are read on the store thread (`_load_recent`), which calls back with them."""
        sessions = self.query_one("#sessions", OptionList)
        keep = sessions.highlighted
        sessions.clear_options()
        sessions.border_title = "sessions — Enter opens"
        options = [Option(Content.styled("+ New session", "bold"), id=NEW), Option("  Try the demo (sample resume and job)", id=DEMO)]
        self._resumable = {s.id for s in recent or () if _interrupted(s)}
        self._titles = {s.id: s.title for s in recent or ()}
        for summary in recent or ():
            when = summary.updated_at.strftime("%Y-%m-%d %H:%M")
            title = summary.title or "(untitled)"
            if summary.id in (demos or ()):
                title = f"demo · {title}"
            state = summary.state.value.replace("_", " ")
            run = "  ⟳ run interrupted — u resumes" if summary.id in self._resumable else ""
            title = display_safe(title, single_line=True)  # from the resume/posting: shown as plain text
            title = title if len(title) <= 40 else title[:39] + "…"
            options.append(Option(Content(f"  {when}  {title:<40}  {state}{run}"), id=summary.id))
        sessions.add_options(options)
        sessions.highlighted = keep if recent is not None and keep is not None and keep < len(options) else 0
        sessions.focus()
        if recent is None and self.tui.store is not None:
            self._load_recent()

    @work(name="recent", group="recent", exclusive=True, exit_on_error=False)
    async def _load_recent(self) -> None:
        """Read the saved sessions on the store thread; a failure is one notification (`_worker_failed`),
        and the picker still offers a new session."""
        from resume_tui.session.housekeeping import demo_ids

        store = self.tui.store
        summaries = await self.tui.link.recent(store)
        demos = await self.tui.link.call(lambda: demo_ids(store))
        # A draft holds nothing yet (no resume): not worth offering.
        self.reload([s for s in summaries if s.state.value != "draft"], demos)
        await self._show_waiting_batches(store)

    async def _show_waiting_batches(self, store: Any) -> None:
        """One line when `resume-tui batch` left provider batches running: the board collects them."""
        from resume_tui.session.services.batch_pending import pending

        try:
            waiting = await self.tui.link.call(lambda: pending(store))
        except Exception:  # noqa: BLE001 - only a hint; the sessions list is what matters here
            return
        if not self.is_mounted:
            return
        line = self.query_one("#batches-waiting", Static)
        n = len(waiting)
        line.update(f"{n} provider batch{'es' if n != 1 else ''} waiting ({sum(b.requests for b in waiting)} requests) — "
                    "p opens the Postings board, b there collects them." if n else "")
        line.set_class(bool(n), "-shown")

    @on(OptionList.OptionSelected, "#sessions")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id
        if option_id == NEW:
            self.action_new()
        elif option_id == DEMO:
            self.action_demo()
        elif option_id:
            self.post_message(self.OpenSession(option_id))

    def action_resume(self) -> None:
        sessions = self.query_one("#sessions", OptionList)
        index = sessions.highlighted
        option_id = sessions.get_option_at_index(index).id if index is not None else None
        if option_id is None or option_id not in getattr(self, "_resumable", ()):
            self.notify("Highlight a session marked ⟳ (its run was interrupted) to resume it.", severity="warning")
            return
        self.post_message(self.OpenSession(option_id, resume=True))

    # ------------------------------------------------------------------ rename / delete

    @property
    def highlighted_session(self) -> str | None:
        sessions = self.query_one("#sessions", OptionList)
        index = sessions.highlighted
        option_id = sessions.get_option_at_index(index).id if index is not None else None
        return option_id if option_id not in (None, NEW, DEMO) else None

    def action_rename(self) -> None:
        from resume_tui.screens.rename import RenameScreen

        session_id = self.highlighted_session
        if session_id is None:
            self.notify("Highlight a saved session to rename it.", severity="warning")
            return
        current = getattr(self, "_titles", {}).get(session_id, "")
        self.app.push_screen(RenameScreen(current), lambda name: self._renamed(session_id, name))

    def _renamed(self, session_id: str, name: str | None) -> None:
        if name is not None:
            self.post_message(self.Rename(session_id, name))

    def action_delete(self) -> None:
        from resume_tui.screens.confirm import ConfirmScreen

        session_id = self.highlighted_session
        if session_id is None:
            self.notify("Highlight a saved session to delete it.", severity="warning")
            return
        title = getattr(self, "_titles", {}).get(session_id) or "(untitled)"
        self.app.push_screen(ConfirmScreen("Delete this session?", delete_question(title), yes="Delete", no="Keep"),
                             lambda yes: self._confirmed_delete(session_id, yes))

    def _confirmed_delete(self, session_id: str, yes: bool | None) -> None:
        if yes:
            self.post_message(self.Delete(session_id))

    def action_cursor(self, direction: str) -> None:
        sessions = self.query_one("#sessions", OptionList)
        sessions.action_cursor_down() if direction == "down" else sessions.action_cursor_up()

    def action_postings(self) -> None:
        self.post_message(self.ShowPostings())

    def action_new(self) -> None:
        self.post_message(self.NewSession())

    def action_demo(self) -> None:
        self.post_message(self.Demo())

    def action_next(self) -> None:
        self.action_new()

    def action_back(self) -> None:
        return


def delete_question(title: str) -> str:
    """What deleting removes, and what it keeps, in the confirmation's words."""
    return (f"“{title}” and its history (runs, changes, decisions) are removed for good. "
            "Exported files are not touched; the audit log of writes is kept.")


def _interrupted(summary: Any) -> bool:
    """The session's last run stopped before finishing (its finished tasks can be reused)."""
    from resume_tui.screens.store_link import RESUMABLE

    status = summary.last_run_status
    return status is not None and status.value in RESUMABLE
