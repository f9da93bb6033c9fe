"""The Postings board: every posting of the job search, ranked, with where each application stands.

One row per session that has a posting (a `resume-tui batch` fills it with many): Fit and
Keywords as bars, the tracker state (analysed, tailored, exported follow from the work; applied,
interview, offer, rejected are set here with a key), the last change and the files written.
Sort and filter with a key; Enter opens the posting's session in the five-step flow, and going
back from its first step returns here. Rows are read on the store thread, never on the UI thread.

Provider batches a `resume-tui batch` left running are listed above the table (provider, requests,
when sent, state); `b` collects them in a worker through the same service `batch --resume` uses
(session/services/batch_pending.py → batch_api.collect), so nothing is sent twice and every
answer is checked as usual when its posting runs. Once a job's batches have all ended (after `b`,
or found so on opening — then `b` starts it, since finishing may still call a provider for the
answers a batch did not give), the board finishes the job like `batch --resume` in thread
workers (postings_finish.py → session/services/batch_job.py): ranked, the cost asked when a paid
provider would tailor, sessions made and the chosen postings tailored as the job said, then the
approval modal lists every file (each tailored resume and the three reports) and only an approval
writes them.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Static

from resume_tui.screens.base import StepHost
from resume_tui.screens.postings_finish import FinishesBatchJobs
from resume_tui.textsafe import display_safe

SORTS = ("fit", "keywords", "updated", "state", "title")
FILTERS = ("all", "analysed", "tailored", "exported", "applied", "interview", "offer", "rejected")
BAR = 5


def bar(value: float | None) -> str:
    """`██████░░ 74`: a score out of 100 as a bar a glance can compare down the column."""
    if value is None:
        return "–".rjust(BAR + 4)
    filled = max(0, min(BAR, round(value / 100 * BAR)))
    return "█" * filled + "░" * (BAR - filled) + f" {value:3.0f}"


def clip(text: str, width: int) -> str:
    text = display_safe(text, single_line=True)
    return text if len(text) <= width else text[: width - 1] + "…"


class PostingsScreen(FinishesBatchJobs, Screen[None]):
    """Ranked postings and their tracker states; Enter opens one (the app does, told by a message)."""

    class OpenSession(Message):
        """Open the posting's session; going back from its first step returns to this board."""

        def __init__(self, session_id: str) -> None:
            super().__init__()
            self.session_id = session_id

    class Leave(Message):
        """Back to the sessions: the start screen is home again."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the sessions"),
        Binding("s", "sort", "Sort", tooltip="Sort by fit, keywords, last change, state or title (cycles)"),
        Binding("f", "filter", "Filter", tooltip="Show only one tracker state (cycles through them)"),
        Binding("a", "track('applied')", "Applied", tooltip="Mark the highlighted posting: you applied"),
        Binding("i", "track('interview')", "Interview", show=False, tooltip="Mark it: you have an interview"),
        Binding("o", "track('offer')", "Offer", show=False, tooltip="Mark it: you got an offer"),
        Binding("r", "track('rejected')", "Rejected", show=False, tooltip="Mark it: rejected"),
        Binding("c", "track('')", "Clear", show=False, tooltip="Clear your mark: back to what the work says"),
        Binding("b", "collect", "Collect batches",
                tooltip="Collect the provider batches that are waiting and finish their jobs: sessions ranked and "
                        "tailored, files written after your approval; nothing is sent again"),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
    ]

    sort_by: reactive[str] = reactive("fit")
    only: reactive[str] = reactive("all")
    collecting: reactive[bool] = reactive(False)

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []
        self.waiting: list[Any] = []  # open provider batches (batch_pending.PendingBatch)
        self.finishable: list[str] = []  # jobs whose batches all ended: `b` finishes them here

    @property
    def tui(self) -> StepHost:
        return cast("StepHost", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="postings-body"):
            yield Static(id="postings-summary")
            yield Static(id="postings-batches")
            table: DataTable[str] = DataTable(id="postings-table", cursor_type="row")
            table.add_column("#", key="rank")
            table.add_column("Fit", key="fit")
            table.add_column("Keywords", key="keywords")
            table.add_column("State", key="state")
            table.add_column("Title", key="title")
            table.add_column("Company", key="company")
            table.add_column("Updated", key="updated")
            table.add_column("Files sent", key="files")
            yield table
        from resume_tui.widgets.footer import FittingFooter

        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#postings-table", DataTable).border_title = "postings — Enter opens"
        self.load()

    def load(self) -> None:
        """(Re)read the rows, on the store thread."""
        self._load_worker()

    @work(name="postings", group="postings", exclusive=True, exit_on_error=False)
    async def _load_worker(self) -> None:
        await self._load()

    async def _load(self) -> None:
        from resume_tui.session.services.batch_pending import finishable, pending
        from resume_tui.session.tracker import postings

        store = self.tui.store
        if store is None:
            self.rows, self.waiting, self.finishable = [], [], []
        else:
            try:
                self.rows, self.waiting, self.finishable = await self.tui.link.call(
                    lambda: (postings(store), pending(store), finishable(store)))
            except Exception as exc:  # noqa: BLE001 - one sentence, the board stays
                self.tui.show_error(exc)
                return
        self.render_rows()
        self.render_batches()

    # ------------------------------------------------------------------ rendering

    def watch_sort_by(self) -> None:
        self.render_rows()

    def watch_only(self) -> None:
        self.render_rows()

    def shown_rows(self) -> list[Any]:
        rows = [r for r in self.rows if self.only == "all" or r.state == self.only]
        keys = {
            "fit": lambda r: (-(r.fit if r.fit is not None else -1.0), r.title.lower()),
            "keywords": lambda r: (-(r.keywords if r.keywords is not None else -1.0), r.title.lower()),
            "updated": lambda r: (-r.updated_at.timestamp(), r.title.lower()),
            "state": lambda r: (FILTERS.index(r.state), -(r.fit or 0.0)),
            "title": lambda r: (r.title.lower(), r.company.lower()),
        }
        return sorted(rows, key=keys[self.sort_by])

    def render_rows(self) -> None:
        if not self.is_mounted:
            return
        table = self.query_one("#postings-table", DataTable)
        keep = self.highlighted
        table.clear()
        shown = self.shown_rows()
        title_w, company_w, files_w = self._widths()
        for number, row in enumerate(shown, start=1):
            files = ", ".join(PurePath(p).name for p in row.files) or "–"
            table.add_row(str(number), bar(row.fit), bar(row.keywords), row.state,
                          clip(row.title or "(no title)", title_w), clip(row.company or "–", company_w),
                          row.updated_at.strftime("%Y-%m-%d"), clip(files, files_w), key=row.session_id)
        if keep is not None and keep in {r.session_id for r in shown}:
            table.move_cursor(row=table.get_row_index(keep))
        tracked = len(self.rows)
        what = "all states" if self.only == "all" else f"only {self.only}"
        hint = " — s sort · f filter · a/i/o/r mark · c clear"
        text = (f"{tracked} posting{'s' if tracked != 1 else ''} · by {self.sort_by} · {what}{hint}" if tracked
                else "No postings yet: run `resume-tui batch RESUME POSTING…` to rank many, or start a session.")
        self.query_one("#postings-summary", Static).update(text)
        table.focus()

    def render_batches(self) -> None:
        """The provider batches still waiting (and jobs ready to finish), or nothing at all when there are none."""
        if not self.is_mounted:
            return
        panel = self.query_one("#postings-batches", Static)
        lines = []
        if self.collecting:
            lines.append("Collecting the provider batches… (answers are validated as they arrive)")
        elif self.finishing:
            lines.append(f"Finishing batch {self.finishing}: ranking and tailoring its postings… (the batches' answers "
                         "are used; nothing is written before you approve)")
        elif self.waiting:
            n = len(self.waiting)
            jobs = ", ".join(dict.fromkeys(b.job_id for b in self.waiting))
            lines.append(f"{n} provider batch{'es' if n != 1 else ''} waiting (job {jobs}) — b collects:")
        for batch in self.waiting:
            lines.append(f"  {clip(batch.provider + '/' + batch.model, 28)} · {batch.requests} request"
                         f"{'s' if batch.requests != 1 else ''} · sent {batch.submitted_at:%Y-%m-%d %H:%M} UTC · "
                         f"{batch.state_label}")
        for job_id in [] if self.finishing else self.finishable:
            lines.append(f"  {job_id}: every answer is in — b finishes it here (sessions, ranking, tailoring, then "
                         "the files after your approval).")
        panel.update("\n".join(lines))
        panel.set_class(bool(lines), "-shown")
        panel.set_class(self.collecting or bool(self.finishing), "-busy")
        self.refresh_bindings()  # `b` is in the footer and the key list only while there is something to collect

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "collect":
            return bool(self.waiting or self.finishable) or self.collecting or bool(self.finishing)
        return True

    def watch_collecting(self) -> None:
        self.render_batches()

    def watch_finishing(self) -> None:
        self.render_batches()

    def _widths(self) -> tuple[int, int, int]:
        """Title, company and files widths: at 80 columns the rank, bars, state, title and company fit whole."""
        width = self.size.width or 80
        if width < 100:
            return 24, 14, 30
        return 30, 18, max(20, width - 96)

    def on_resize(self) -> None:
        self.render_rows()

    @property
    def highlighted(self) -> str | None:
        table = self.query_one("#postings-table", DataTable)
        if table.row_count == 0:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except Exception:  # noqa: BLE001 - no row under the cursor
            return None

    # ------------------------------------------------------------------ actions

    @on(DataTable.RowSelected, "#postings-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        session_id = event.row_key.value
        if session_id:
            self.post_message(self.OpenSession(str(session_id)))

    def action_back(self) -> None:
        self.post_message(self.Leave())

    def action_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]

    def action_filter(self) -> None:
        self.only = FILTERS[(FILTERS.index(self.only) + 1) % len(FILTERS)]

    def action_cursor(self, direction: str) -> None:
        table = self.query_one("#postings-table", DataTable)
        table.action_cursor_down() if direction == "down" else table.action_cursor_up()

    def action_collect(self) -> None:
        if self.collecting or self.finishing:
            self.notify("Already working on the provider batches.", timeout=3)
            return
        if not self.waiting and not self.finishable:
            self.notify("No provider batch is waiting.", timeout=3)
            return
        if self.tui.store is None:
            self.notify("The session database is not open; the batches cannot be collected.", severity="warning")
            return
        if self.waiting:
            self.collecting = True
            self._collect()
        else:
            self.start_finish(self.finishable[0])

    @work(group="batch-collect", exclusive=True, exit_on_error=False)
    async def _collect(self) -> None:
        """Collect on an event loop of its own, in a daemon thread: the service writes SQLite (answers,
        states), which may wait on another process, so the UI loop never runs it; and awaiting it here
        keeps the worker cancellable — quitting mid-collect cancels the SDK calls instead of waiting
        for them. Every state change is one transaction, so a cancelled collect leaves nothing half-done."""
        import asyncio
        import threading

        from resume_tui.session.services.batch_pending import collect_open

        store, settings = self.tui.store, self.app.settings  # type: ignore[attr-defined]
        loop = asyncio.new_event_loop()
        threading.Thread(target=lambda: (loop.run_forever(), loop.close()), name="resume-tui-batches",
                         daemon=True).start()
        try:
            outcome = await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(collect_open(store, settings), loop))
        except asyncio.CancelledError:
            self.collecting = False
            raise
        except Exception as exc:  # noqa: BLE001 - one sentence, the board stays
            self.collecting = False
            self.tui.show_error(exc)
            return
        finally:
            loop.call_soon_threadsafe(loop.stop)
        from resume_tui.session.services.batch_pending import finishable

        try:
            ready = await self.tui.link.call(lambda: finishable(store))
        except Exception:  # noqa: BLE001 - the board's next load lists them
            ready = []
        self._collected(outcome, ready)

    def _collected(self, outcome: Any, ready: list[str]) -> None:
        self.collecting = False
        trouble = outcome.collected.failed or outcome.busy or outcome.collected.notes
        self.notify(outcome.sentence(), severity="warning" if trouble else "information", timeout=8)
        for note in outcome.collected.notes[:3]:
            self.notify(display_safe(note), severity="warning", timeout=8)
        ready = [job for job in ready if job not in outcome.busy]
        if ready:
            self.start_finish(ready[0], outcome.collected.usage)
        else:
            self.load()

    def action_track(self, state: str) -> None:
        session_id = self.highlighted
        if session_id is None:
            self.notify("Highlight a posting first.", severity="warning")
            return
        self._track(session_id, state or None)

    @work(group="track", exclusive=True, exit_on_error=False)
    async def _track(self, session_id: str, state: str | None) -> None:
        from resume_tui.session.tracker import set_state

        store = self.tui.store
        if store is None:
            self.notify("The session database is not open; the state cannot be kept.", severity="warning")
            return
        try:
            await self.tui.link.call(lambda: set_state(store, session_id, state))
        except Exception as exc:  # noqa: BLE001
            self.tui.show_error(exc)
            return
        self.notify(f"Marked {state}." if state else "Mark cleared.", timeout=3)
        await self._load()
