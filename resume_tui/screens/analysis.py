"""Step 3: run the pipeline with live per-task progress, then show the gap report."""

from __future__ import annotations

import asyncio
import time
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Label, ProgressBar, TabbedContent, TabPane

from resume_tui.heap import keep_long_lived
from resume_tui.messages import DeclareFact, RunAnalysis
from resume_tui.models import WorkflowState
from resume_tui.providers.catalog import redaction_note
from resume_tui.screens.base import StepScreen
from resume_tui.screens.fact import Fact
from resume_tui.widgets.gap_report import GapReportView
from resume_tui.widgets.resume_preview import plural
from resume_tui.widgets.task_list import TaskList, task_labels

REFRESH_S = 0.25


def cost_question(flow: Any, estimate: Any) -> str:
    """What the confirmation says before any model call: who, how much, and the caps."""
    settings = flow.settings
    chain = " → ".join([*(n for n in settings.chain() if n != "offline"), "offline"])
    described = estimate.describe() if estimate is not None else "unknown (the estimate failed)"
    spent = flow.usage
    caps = settings.budget
    limits = [f"${caps.max_usd:.2f}" if caps.max_usd is not None else "", f"{caps.max_tokens:,} tokens" if caps.max_tokens else ""]
    cap_text = " and ".join(x for x in limits if x) or "none set (F2 sets them)"
    unknown = estimate is not None and estimate.unpriced_tokens > 0
    if unknown and caps.max_usd is not None:
        cap_text += " (the price is unknown, so the cost cap counts tokens, at the dearest listed price)"
    spent_cost = f"${spent.cost_usd:.4f}"
    if spent.unpriced_tokens:
        spent_cost += f" plus {spent.unpriced_tokens:,} tokens at unknown price"
    return (
        f"Providers, in order: {chain}.\n"
        f"Estimate for this run: {described}.\n"
        f"Spent in this session so far: {spent_cost}, {spent.total_tokens:,} tokens.\n"
        f"Session caps: {cap_text} — a call that would pass them is not made; what finished is kept.\n"
        f"{redaction_note(settings)}"
    )


class AnalysisScreen(StepScreen):
    """Drives a pipeline Orchestrator in an async worker; Esc cancels and keeps finished tasks.

    The run's CPU work (the offline engine) runs in a thread (pipeline/run/offload.py), so this
    screen keeps drawing its rows while a long resume is analysed. Before a paid run the cost is
    estimated in a thread too ("estimating the cost…"); when the run ends the worker carries the
    review over (asking before dropping any decision), prepares the result in a thread ("applying
    the result…"), applies it and posts `Settled`. While either is busy, keys that change the
    session wait.
    """

    class Settled(Message):
        """A run ended and the session holds its outcome (`applied`: its changes replaced the review)."""

        def __init__(self, result: Any, applied: bool, failed: bool = False) -> None:
            super().__init__()
            self.result = result
            self.applied = applied
            self.failed = failed  # preparing the result failed: the review was kept, the reason shown

    STEP = WorkflowState.GAP_ANALYZED
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel_or_back", "Cancel/Back", tooltip="Cancel a running analysis, else go back"),
        Binding("r", "rerun", "Re-run", tooltip="Run the analysis again"),
        Binding("k", "checklist", "Skills checklist", tooltip="Tick the posting's skills you have but didn't write"),
        Binding("f", "declare_fact", "Declare gap", tooltip="Declare the highlighted gap true by typing a short fact"),
        # The tabs are on screen (and clickable); their keys stay out of the 80-column footer.
        Binding("t", "tab('tab-tasks')", "Tasks tab", show=False, tooltip="Show the per-task progress"),
        Binding("g", "tab('tab-report')", "Gap report tab", show=False, tooltip="Show the requirements × evidence report"),
        Binding("ctrl+n", "next", "Review", tooltip="Review the proposed changes"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._orch: Any = None
        self._last_paint = 0.0
        self._busy: str | None = None  # "estimating the cost…" / "applying the result…" while a thread works
        self._tasks_scroll_restored = False

    @property
    def running(self) -> bool:
        return self._orch is not None and self._orch.live

    @property
    def busy(self) -> bool:
        """Running, or estimating before a run, or applying a run's result: keys that change the session wait."""
        return self.running or self._busy is not None

    def _set_busy(self, what: str | None) -> None:
        self._busy = what
        if self.is_mounted:
            self.query_one("#eta", Label).update(what or "")

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="run-summary"):
            yield Label("overall", id="overall-label")
            yield ProgressBar(total=1.0, show_eta=False, id="overall")
            yield Label("", id="eta")
        tab = self.flow.view.get("analysis_tab") if self.flow.session.report is not None else None
        with TabbedContent(id="analysis-tabs", initial=tab if tab in ("tab-tasks", "tab-report") else "tab-tasks"):
            with TabPane("Tasks (t)", id="tab-tasks"):
                yield TaskList(self.tui.clock, id="tasks")
            with TabPane("Gap report (g)", id="tab-report"):
                yield GapReportView(id="report")

    def on_mount(self) -> None:
        super().on_mount()
        flow = self.flow
        if flow.session.resume is None or flow.session.job is None:
            self.query_one("#eta", Label).update("needs a resume and a job description first")
            return
        if flow.tasks:
            self._label(flow.tasks)
            self.query_one(TaskList).show(flow.tasks)
            self.query_one("#overall", ProgressBar).update(progress=1.0)
            self._restore_tasks_scroll()
        if flow.session.report is not None:
            self._show_report()
            row = int(flow.view.get("report_row", 0))  # reopened: the requirement row the person was on
            table = self.query_one(GapReportView).query_one(DataTable)
            if 0 < row < table.row_count:
                table.move_cursor(row=row, animate=False)
        if flow.needs_analysis():
            self.call_after_refresh(self.action_rerun)

    # ------------------------------------------------------------------ run

    @on(RunAnalysis)  # the palette's "Run analysis", or a session reopened to resume its run
    def action_rerun(self) -> None:
        if self.busy:
            self.notify("The analysis is already running; Esc cancels it.", severity="warning")
            return
        flow = self.flow
        if flow.session.resume is None or flow.session.job is None:
            self.notify("Import a resume and a job description first.", severity="warning")
            return
        if not flow.paid:
            self._start()
            return
        self._ask_cost()

    @work(name="estimate", group="estimate", exclusive=True, exit_on_error=False)
    async def _ask_cost(self) -> None:
        """Estimate the run in a thread (counting a long resume's tokens takes a while), then ask."""
        flow = self.flow
        self._set_busy("estimating the cost…")
        try:
            estimate = await asyncio.to_thread(flow.estimate)
        except Exception as exc:  # noqa: BLE001 - an estimate we cannot make is still a reason to ask
            estimate = None
            self.tui.show_error(exc)
        finally:
            self._set_busy(None)
        if estimate is not None and estimate.calls == 0:
            self.notify("No model provider is set up (Settings, F2); the offline engine runs this analysis at no cost.",
                        timeout=6)
            self._start()
            return
        from resume_tui.screens.confirm import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen("Run the analysis with a model?", cost_question(flow, estimate), yes="Run"),
            lambda ok: self._start() if ok else self.notify("Analysis not started; nothing was spent."),
        )

    def _start(self) -> None:
        self._tasks_scroll_restored = True  # a new table: its scroll is the one to keep
        self.query_one(TaskList).clear()
        self.query_one(TabbedContent).active = "tab-tasks"
        self.query_one("#eta", Label).update("starting…")  # busy at once, before the first task event
        self._run()

    @work(name="analysis", group="analysis", exclusive=True, exit_on_error=False)
    async def _run(self) -> Any:
        await self.flow.prepare_run()  # claims an interrupted run to resume (store thread)
        # Building the task graph reads the whole resume (seconds on a 2 MB one): off the loop as well.
        orch = self._orch = await asyncio.to_thread(self.flow.orchestrator, [self._on_event])
        self._label(orch.records)
        self.query_one(TaskList).show(orch.records)
        ticker = self.set_interval(REFRESH_S, self._paint)
        try:
            result = await orch.run()
        finally:
            ticker.stop()
            self._paint(force=True)
        self._set_busy("applying the result…")
        try:
            applied, failed = await self._settle(result)
        finally:
            self._set_busy(None)
        self.post_message(self.Settled(result, applied, failed))
        return result

    async def _settle(self, result: Any) -> tuple[bool, bool]:
        """Hand the run to the session. A completed run's changes replace the review only after the
        decisions and edits on changes it still proposes are carried over — and, when some would
        be dropped, only if the person says so. The merge and the result's preparation (a whole
        analysis when facts are declared) run in a thread; the loop only assigns. If they fail, the
        run's tasks and spend are kept with the review as it was, and the reason is said in one
        sentence. Returns (applied, failed)."""
        flow = self.flow
        if result.status != "completed" or result.report is None:
            flow.set_result(result)
            return False, False
        try:
            merged = await asyncio.to_thread(flow.merge_rerun, result)  # re-guards edited changes
            if merged.dropped:
                from resume_tui.screens.confirm import ConfirmScreen

                question = ConfirmScreen(merged.question(), merged.detail(), yes="Continue", no="Keep review")
                if not await self.app.push_screen_wait(question):
                    flow.keep_review(result)
                    return False, False
            prepared = await asyncio.to_thread(flow.prepare_result, result, merged)
        except Exception as exc:  # noqa: BLE001 - one sentence; the review and the run's tasks are kept
            flow.keep_review(result)
            self.tui.show_error(exc)
            return False, True
        flow.set_result(result, merged, prepared)
        return True, False

    @on(Settled)
    def _settled(self, message: Settled) -> None:
        result = message.result
        if message.failed:
            return  # the reason was said; the task table shows the run
        if result.status == "completed" and not message.applied:
            self.notify("Kept your review as it was; the task table shows the new run. r runs it again.", timeout=6)
            return
        if self.flow.reused:
            self.notify(f"Resumed the interrupted run: {len(self.flow.reused)} finished task(s) reused.", timeout=5)
        if result.status == "completed":
            keep_long_lived()  # the session's report and changes now live as long as the screen (heap.py)
            self._show_report()
            self.query_one(TabbedContent).active = "tab-report"
            tier = "" if result.tier == "normal" else f" ({result.tier} result: some parts came from a fallback)"
            self.notify(f"Analysis done{tier}. ctrl+n reviews {plural(len(result.changes), 'proposed change')}.", timeout=5)
            served = run_summary(result)  # who served what, and why tasks fell back: in words, not only on hover
            if served:
                fell = any(t.fallback for t in result.tasks)
                self.notify(served[0].upper() + served[1:] + ".", title="Providers", timeout=10,
                            severity="warning" if fell else "information")
        elif result.status == "cancelled":
            self.notify("Analysis cancelled; finished tasks are kept. r runs it again.", severity="warning")
        else:
            self.notify(result.error or "The analysis failed; r runs it again.", severity="error")

    async def _on_event(self, event: Any) -> None:
        self._paint()

    def _paint(self, force: bool = False) -> None:
        """Repaint rows from the orchestrator; throttled so bursts of events cost one repaint."""
        now = time.monotonic()
        if not force and now - self._last_paint < 0.2:
            return
        self._last_paint = now
        orch = self._orch
        if orch is None or not self.is_mounted:
            return
        self.query_one(TaskList).show(orch.records)
        self.query_one("#overall", ProgressBar).update(progress=orch.overall())
        eta = orch.eta() if orch.live else None
        label = f"ETA {eta:.0f}s" if eta is not None else ("running…" if orch.live else "")
        self.query_one("#eta", Label).update(label)
        self.refresh_stepper()

    def _label(self, records: list[Any]) -> None:
        resume = self.flow.session.resume
        titles = {s.id: s.title or s.kind.value for s in resume.sections} if resume else {}  # rows ellipsize; tooltip
        self.query_one(TaskList).labels = task_labels(titles, [r.name for r in records])

    def _show_report(self) -> None:
        flow = self.flow
        assert flow.session.report is not None
        declared = flow.declared()  # requirement id → fact; the checklist's facts belong to no one requirement
        declared |= {f"fact{n}": text for n, text in enumerate(flow.user_facts) if text not in declared.values()}
        self.query_one(GapReportView).show(
            flow.session.report, flow.session.job, stale=flow.is_stale(WorkflowState.GAP_ANALYZED),
            declared=declared,
        )

    @on(DeclareFact)
    def action_declare_fact(self) -> None:
        """A gap the user knows is true: ask for the fact; the guard then counts it."""
        report = self.flow.session.report
        if report is None or self.busy:
            self.notify("Run the analysis first; its gaps can then be declared true.", severity="warning")
            return
        self.query_one(TabbedContent).active = "tab-report"
        req_id = self.query_one(GapReportView).highlighted_requirement
        gap = next((r for r in report.gaps() if r.id == req_id), None)
        if gap is None:
            self.notify("Highlight a gap (✗ missing) in the table, then press f.", severity="warning")
            return
        from resume_tui.screens.fact import FactScreen

        self.app.push_screen(FactScreen(gap.text, requirement_id=gap.id), self._declared)

    def _declared(self, fact: Fact | None) -> None:
        if fact is None:
            return
        try:
            moved = self.flow.declare_fact(fact.text, fact.requirement_id)
        except Exception as exc:  # noqa: BLE001 - refusals are user-facing sentences
            self.tui.show_error(exc)
            return
        self._show_report()
        freed = f" {len(moved)} held-back change(s) re-checked." if moved else ""
        self.notify(f"Kept as true for this session.{freed}", timeout=4)

    def action_checklist(self) -> None:
        """The posting's missing keywords as a checklist: tick what is true, untick to withdraw."""
        from resume_tui.screens.checklist import open_checklist

        if self.busy:
            self.notify("Wait for the analysis to finish, or press Esc to cancel it.", severity="warning")
            return
        open_checklist(self, self._show_report)

    # ------------------------------------------------------------------ keys

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def capture_view(self) -> dict[str, object]:
        view: dict[str, object] = {"report_row": self.query_one(GapReportView).query_one(DataTable).cursor_row}
        if self._tasks_scroll_restored:  # else the table was never shown: what was kept stands
            view["scroll_tasks"] = self.query_one(TaskList).scroll_y
        return view

    def _restore_tasks_scroll(self) -> None:
        """The task table back where it was left, once its tab is shown (a hidden table has no height)."""
        if not self._tasks_scroll_restored and self.query_one(TabbedContent).active == "tab-tasks":
            self._tasks_scroll_restored = True
            self.restore_scroll(self.query_one(TaskList), "tasks")

    @on(TabbedContent.TabActivated, "#analysis-tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        self.remember_view(analysis_tab=event.pane.id)
        if event.pane.id == "tab-tasks" and self.flow.tasks:
            self._restore_tasks_scroll()

    def action_cancel_or_back(self) -> None:
        if self.running:
            self._orch.cancel()
            return
        if self._busy is not None:
            self.notify(f"Wait a moment: {self._busy}", severity="warning")
            return
        self.action_back()

    def action_next(self) -> None:
        if self.busy:
            self.notify("Wait for the analysis to finish, or press Esc to cancel it.", severity="warning")
            return
        if self.flow.session.report is None or not self.flow.done(WorkflowState.GAP_ANALYZED):
            self.notify("Run the analysis first (r).", severity="warning")
            return
        super().action_next()


def run_summary(result: Any) -> str:
    """"openai served 6 tasks; 3 fell back to offline: connection refused at …" (pipeline/run/summary.py)."""
    from resume_tui.pipeline.run.summary import served_summary

    return served_summary(getattr(result, "tasks", None) or [])
