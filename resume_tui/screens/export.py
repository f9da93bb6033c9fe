"""Step 5: formats and destination → approval modal → write → verification results."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, Static

from resume_tui.messages import StartExport
from resume_tui.models import SourceFormat, WorkflowState
from resume_tui.screens.approval import human_size
from resume_tui.screens.base import StepScreen
from resume_tui.widgets.file_picker import PathSuggester, display_path
from resume_tui.widgets.resume_preview import plural

FORMATS = ("docx", "pdf", "md", "html", "txt", "json")
_LABELS = {"json": "JSON Resume"}  # jsonresume.org; the others are named by their extension


class ExportScreen(StepScreen):
    """Plans through documents.export, asks for approval (unless auto-approve is on), then writes."""

    STEP = WorkflowState.EXPORTED
    # A "-wide" class from 100 columns: below it the six format boxes wrap to two rows (styles.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-normal"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "export", "Export…", tooltip="List the files to write and ask for approval"),
        Binding("l", "letter", "Cover letter", show=False, tooltip="Write or review the cover letter exported with the resume"),
        Binding("escape", "back", "Back", tooltip="Back to the review"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._letter_paths: set[str] = set()  # per export: which planned files are the letter's (set in _plan)

    def compose_body(self) -> ComposeResult:
        flow = self.flow
        resume = flow.session.resume
        source = resume.source_format if resume is not None else None
        default = {"docx"} if source == SourceFormat.DOCX else {"json"} if source == SourceFormat.JSON_RESUME else {"md"}
        chosen = set(flow.session.settings.export_formats or default)
        with VerticalScroll(id="export-form"):
            yield Static(id="export-summary")
            yield Static(id="export-why")
            yield Label("Formats (space toggles)", classes="field-label")
            with Horizontal(id="formats"):
                for fmt in FORMATS:
                    yield Checkbox(_format_label(fmt, fmt in chosen), fmt in chosen, id=f"fmt-{fmt}")
            yield Checkbox("with the cover letter (<name>-letter)", bool(flow.session.settings.export_letter),
                           id="with-letter")
            with Horizontal(id="destination"):
                with Vertical(id="dest-box"):
                    yield Label("Folder", classes="field-label")
                    folder = flow.session.settings.export_dir or flow.settings.export_dir or display_path(self.tui.start_dir)
                    yield Input(folder, suggester=PathSuggester(), id="dest")
                with Vertical(id="stem-box"):
                    yield Label("File name (no extension)", classes="field-label")
                    yield Input(flow.session.settings.export_stem or flow.default_stem(), id="stem")
            yield Button("Export… (ctrl+n)", id="export", variant="primary")
            yield Static(id="export-result")

    def on_mount(self) -> None:
        super().on_mount()
        flow = self.flow
        accepted = len(flow.accepted())
        pending = sum(1 for c in flow.session.changes if c.status.value == "pending")
        approve = "auto-approve is ON" if flow.auto_approve else "you approve every file before it is written"
        applied = f"{plural(accepted, 'accepted change')} will be applied" if accepted else "No change was accepted: the export is your resume as it is"
        left = f"; {plural(pending, 'pending change')} left out" if pending else ""
        self.query_one("#export-summary", Static).update(f"{applied}{left}. ({approve})")
        self._explain()
        self.query_one("#with-letter", Checkbox).display = flow.letter is not None
        if flow.exported:
            self._show_outcomes(flow.exported)
        self.query_one("#fmt-" + FORMATS[0], Checkbox).focus()

    @work(name="export-why", group="export-why", exclusive=True, exit_on_error=False)
    async def _explain(self) -> None:
        """Why Fit and Keywords moved or did not with what will be exported (computed in a thread):
        the benefit is said as it is, and an unmoved score says what would move it."""
        flow = self.flow
        scores = await asyncio.to_thread(flow.scores_for, flow.accepted())
        if scores and scores.get("why"):
            self.query_one("#export-why", Static).update(Content("\n".join(scores["why"])))

    @on(Checkbox.Changed)
    def _toggled(self, event: Checkbox.Changed) -> None:
        """The mark is in the label too, so the choice reads the same with NO_COLOR."""
        if event.checkbox.id == "with-letter":
            self.flow.session.settings.export_letter = event.value
            return
        fmt = (event.checkbox.id or "").removeprefix("fmt-")
        event.checkbox.label = _format_label(fmt, event.value)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self.is_mounted:  # back from the letter screen: offer the letter once it exists
            box = self.query_one("#with-letter", Checkbox)
            box.display = self.flow.letter is not None
            box.value = bool(self.flow.session.settings.export_letter) and box.display

    def action_letter(self) -> None:
        from resume_tui.screens.letter import LetterScreen

        self.app.push_screen(LetterScreen())

    def _with_letter(self) -> bool:
        box = self.query_one("#with-letter", Checkbox)
        return box.display and box.value and self.flow.letter is not None

    def _formats(self) -> list[str]:
        return [fmt for fmt in FORMATS if self.query_one(f"#fmt-{fmt}", Checkbox).value]

    @on(Button.Pressed, "#export")
    def _pressed(self) -> None:
        self.action_export()

    @on(StartExport)
    def action_export(self) -> None:
        if self.flow.session.resume is None:
            self.notify("Import a resume first; there is nothing to export yet.", severity="warning")
            return
        folder = self.query_one("#dest", Input).value
        stem = self.query_one("#stem", Input).value
        formats = self._formats()
        settings = self.flow.session.settings
        settings.export_formats, settings.export_dir, settings.export_stem = formats, folder, stem
        self._plan(folder, stem, formats, self._with_letter())

    @work(name="plan-export", group="export", exclusive=True, exit_on_error=False)
    async def _plan(self, folder: str, stem: str, formats: list[str], letter: bool) -> None:
        """Render every file in memory (exact sizes for the approval) in a thread, the result panel busy;
        the letter's files are listed with the resume's, for one approval."""
        with self._busy():
            planned = await asyncio.to_thread(self.flow.plan, folder, stem, formats)
            letter_plans = await asyncio.to_thread(self.flow.plan_letter, folder, f"{stem.strip()}-letter", formats) \
                if letter else []
        self._letter_paths = {str(p.path) for p in letter_plans}
        planned = planned + letter_plans
        if self.flow.auto_approve:
            approval = self.flow.audit_approval("granted", planned, auto=True)
            self._write(planned, approval, auto=True)
            return
        from resume_tui.screens.approval import ApprovalScreen

        self.app.push_screen(ApprovalScreen(planned), lambda approved: self._approved(planned, approved))

    def _approved(self, planned: list[Any], approved: list[Any] | None) -> None:
        if approved is None:
            self.flow.audit_approval("rejected", planned)
            self.query_one("#export-result", Static).update("Export rejected: nothing was written.")
            self.query_one("#export", Button).focus()
            self.notify("Nothing was written.", timeout=3)
            return
        approval = self.flow.audit_approval("granted", approved)
        self._write(approved, approval)

    def _write(self, planned: list[Any], approval: int | None, *, auto: bool = False) -> None:
        self._write_files(planned, approval, auto)

    @contextmanager
    def _busy(self) -> Iterator[None]:
        result = self.query_one("#export-result", Static)
        result.loading = True
        try:
            yield
        finally:
            result.loading = False

    @work(name="write-export", group="export", exclusive=True, exit_on_error=False)
    async def _write_files(self, planned: list[Any], approval: int | None, auto: bool) -> None:
        """Write and parse each file back in a thread (a PDF takes a while), the result panel busy."""
        resume_files = [p for p in planned if str(p.path) not in self._letter_paths]
        letter_files = [p for p in planned if str(p.path) in self._letter_paths]
        with self._busy():
            outcomes = await asyncio.to_thread(self.flow.write, resume_files)
            if letter_files:
                outcomes += await asyncio.to_thread(self.flow.write_letter, letter_files)
        self.flow.finish_export(outcomes, approval, auto=auto)
        self._show_outcomes(outcomes)
        bad = [o for o in outcomes if not o.ok]
        if bad:
            self.notify(f"{len(bad)} file(s) did not verify; see the list.", severity="warning")
        else:
            self.notify(f"Wrote and verified {len(outcomes)} file(s).", timeout=4)

    def _show_outcomes(self, outcomes: list[Any]) -> None:
        parts: list[Content | str | tuple[str, str]] = [("Written:", "bold")]
        for outcome in outcomes:
            mark, style = ("✓ verified", "$text-success") if outcome.ok else ("✗ problems", "$text-error")
            parts.append(f"\n  {display_path(outcome.path)}  {outcome.format}  {human_size(outcome.bytes)}  ")
            parts.append((mark, style))
            for problem in outcome.problems:
                parts.append((f"\n      {problem}", "$text-warning"))
        result = self.query_one("#export-result", Static)
        result.update(Content.assemble(*parts))
        self.call_after_refresh(result.scroll_visible, animate=False)


def _format_label(fmt: str, on: bool) -> str:
    name = _LABELS.get(fmt, fmt)
    return f"{name} ✓" if on else f"{name}  "
