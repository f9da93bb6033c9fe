"""Step 2: paste the job description or load it from a file; preview what was extracted."""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, TextArea

from resume_tui.models import JobDescription, WorkflowState
from resume_tui.screens.base import StepScreen
from resume_tui.widgets.file_picker import PathSuggester
from resume_tui.widgets.resume_preview import Preview, Warnings, job_content, plural


class JobPathInput(Input):
    """The job file box, where focus starts (a typed path must never land in the posting).
    A multi-line paste is a posting, not a path: it goes to the paste area instead."""

    class PostingPasted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def _on_paste(self, event: events.Paste) -> None:
        if len(event.text.strip().splitlines()) > 1:
            event.stop()
            event.prevent_default()  # Input's own handler would keep the first line as a "path"
            self.post_message(self.PostingPasted(event.text))


class JobScreen(StepScreen):
    """The preview is re-parsed (debounced) as the user types; ctrl+n commits it to the session."""

    STEP = WorkflowState.JD_PROVIDED
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+l", "load", "Load file", tooltip="Load the job description from the typed path"),
        Binding("ctrl+n", "next", "Analyse", tooltip="Use this job description and run the analysis"),
        Binding("escape", "back", "Back", tooltip="Back to the resume"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._debounce: Timer | None = None
        self._extracted: Any = None
        self._preview: JobDescription | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="job-body"):
            with Vertical(id="job-source"):
                yield JobPathInput(placeholder="job file path, Enter loads — or paste the posting below",
                                   suggester=PathSuggester(), id="jd-path")
                yield TextArea(id="jd", soft_wrap=True)
            with Vertical(id="job-result"):
                yield Warnings(id="jd-warnings")
                yield Preview(id="jd-preview")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#jd", TextArea).border_title = "paste the job description"
        self.query_one(Preview).border_title = "what was found"
        job = self.flow.session.job
        text = self.flow.drafts.get("job_text")
        if text is None and job is not None:
            text = job.text
        area = self.query_one("#jd", TextArea)
        area.load_text(text or "")
        if job is not None and text == job.text:
            self._show(job)
        elif text:
            self._schedule()
        else:
            self.query_one(Preview).show("Paste the job description on the left, or type its file's path and press Enter.")
        # What a user types first here is a file path (a paste lands in the posting either way).
        self.query_one("#jd-path", Input).focus()

    @on(JobPathInput.PostingPasted)
    def _posting_pasted(self, event: JobPathInput.PostingPasted) -> None:
        area = self.query_one("#jd", TextArea)
        if area.text.strip():
            area.insert(event.text)  # never replaces what is there (ctrl+z undoes it)
        else:
            area.load_text(event.text)
        area.focus()

    def _show(self, job: JobDescription) -> None:
        self._preview = job
        self.query_one(Warnings).show(list(job.warnings))
        self.query_one(Preview).show(job_content(job))

    # ------------------------------------------------------------------ preview

    @on(TextArea.Changed, "#jd")
    def _changed(self, event: TextArea.Changed) -> None:
        self.flow.drafts["job_text"] = event.text_area.text
        self._preview = None
        self._schedule()

    def _schedule(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.3, self._parse)

    def _parse(self) -> None:
        text = self.query_one("#jd", TextArea).text
        if not text.strip():
            return
        self.run_worker(self._preview_job(text), name="jd-preview", group="jd-preview", exclusive=True, exit_on_error=False)

    async def _preview_job(self, text: str) -> JobDescription:
        job = await asyncio.to_thread(self.flow.preview_job, text, self._extracted)
        if self.query_one("#jd", TextArea).text == text:
            self._show(job)
        return job

    # ------------------------------------------------------------------ load / commit

    def action_load(self) -> None:
        path = self.query_one("#jd-path", Input).value
        self.run_worker(self._load(path), name="load-jd", group="load-jd", exclusive=True, exit_on_error=False)

    @on(Input.Submitted, "#jd-path")
    def _submitted(self) -> None:
        self.action_load()

    async def _load(self, path: str) -> None:
        text, extracted = await asyncio.to_thread(self.flow.read_job_file, path)
        self._extracted = extracted
        self.query_one("#jd", TextArea).load_text(text)
        job = await asyncio.to_thread(self.flow.preview_job, text, extracted)
        self._show(job)
        self.notify(f"Job description loaded: {plural(len(job.requirements), 'requirement')} found.", timeout=4)

    def action_next(self) -> None:
        self.run_worker(self._commit(), name="commit-jd", group="commit-jd", exclusive=True, exit_on_error=False)

    async def _commit(self) -> None:
        text = self.query_one("#jd", TextArea).text
        current = self.flow.session.job
        if current is not None and current.text == text and self.flow.done(WorkflowState.JD_PROVIDED):
            super().action_next()
            return
        job = self._preview if self._preview is not None and self._preview.text == text else None
        if job is None:
            from resume_tui.errors import InputError

            if not text.strip():
                raise InputError("The job description is empty; paste it or load it from a file (ctrl+l).")
            job = await asyncio.to_thread(self.flow.preview_job, text, self._extracted)
        self.flow.set_job(job)
        self.flow.drafts.pop("job_text", None)
        super().action_next()
