"""Step 2: the job posting — pasted, loaded from a file, or fetched from a link; a preview of
what was extracted.

A link is fetched in a worker thread (never on the event loop) while the link field shows a
busy indicator; a page the session already fetched is not fetched again. A posting with no
requirement is refused here, with a sentence, before any analysis or model call.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from textual import events, on, work
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
        Binding("ctrl+u", "fetch", "Fetch link", tooltip="Fetch the posting from the typed link"),
        Binding("ctrl+n", "next", "Analyse", tooltip="Use this job description and run the analysis"),
        Binding("escape", "back", "Back", tooltip="Back to the resume"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._debounce: Timer | None = None
        self._extracted: Any = None
        self._posting: Any = None  # the Posting loaded from a link or file, while the text is unedited
        self._preview: JobDescription | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="job-body"):
            with Vertical(id="job-source"):
                yield Input(placeholder="job link; enter fetches", id="jd-url")
                yield JobPathInput(placeholder="job file path; enter loads (or paste the posting below)",
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
        record = self.flow.session.settings.posting
        if isinstance(record, dict) and job is not None and job.source_path == record.get("url"):
            self.query_one("#jd-url", Input).value = str(record.get("url") or "")
        area = self.query_one("#jd", TextArea)
        area.load_text(text or "")
        if job is not None and text == job.text:
            self._show(job)
        elif text:
            self._schedule()
        else:
            self.query_one(Preview).show("Paste the job description on the left, type its file's path and press Enter, "
                                         "or type its link and press enter.")
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
        from resume_tui.analysis.posting_job import too_short

        self._preview = job
        refusal = too_short(job, "this text")
        self.query_one(Warnings).show(([refusal.message] if refusal else []) + list(job.warnings))
        self.query_one(Preview).show(job_content(job))

    def _job_for(self, text: str) -> JobDescription:
        """Parse `text`; a loaded posting keeps its title, company and source while unedited."""
        from resume_tui.analysis.posting_job import job_from_posting

        if self._posting is not None and self._posting.text == text:
            return job_from_posting(self._posting, self.flow.session.resume)
        if self._extracted is None:  # pasted JSON, a page's HTML or front-matter Markdown: read its fields
            from resume_tui.documents.postings import posting_from_text
            from resume_tui.errors import InputError

            try:
                pasted = posting_from_text(text, where="The pasted text")
            except InputError:
                pasted = None  # not a posting in that format after all: read it as plain text
            if pasted is not None and pasted.label not in ("text", "Markdown"):
                return job_from_posting(pasted, self.flow.session.resume)
        return self.flow.preview_job(text, self._extracted)

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
        self._preview_job(text)

    @work(name="jd-preview", group="jd-preview", exclusive=True, exit_on_error=False)
    async def _preview_job(self, text: str) -> JobDescription:
        job = await asyncio.to_thread(self._job_for, text)
        if self.query_one("#jd", TextArea).text == text:
            self._show(job)
        return job

    # ------------------------------------------------------------------ load / fetch / commit

    @on(Input.Submitted, "#jd-path")
    def action_load(self) -> None:
        self._load(self.query_one("#jd-path", Input).value)

    @work(name="load-jd", group="load-jd", exclusive=True, exit_on_error=False)
    async def _load(self, path: str) -> None:
        from resume_tui.documents.postings import load_posting
        from resume_tui.session.services.inputs import user_path

        def read() -> Any:
            return load_posting(str(user_path(path, what="job description")), self.flow.settings)

        self._use(await asyncio.to_thread(read), "Job description loaded")

    @on(Input.Submitted, "#jd-url")
    def action_fetch(self) -> None:
        self._fetch(self.query_one("#jd-url", Input).value.strip())

    @work(name="fetch-jd", group="fetch-jd", exclusive=True, exit_on_error=False)
    async def _fetch(self, url: str) -> None:
        from resume_tui.documents.postings import is_url, load_posting
        from resume_tui.errors import InputError

        if not is_url(url):
            raise InputError("Type the posting's link, starting with http:// or https://, then press enter.")
        stored = self._stored(url)
        if stored is not None:
            self._use(stored, "Posting from this link already fetched in this session")
            return
        field = self.query_one("#jd-url", Input)
        field.loading, field.disabled = True, True  # visible busy state; the event loop stays free
        field.border_title = "fetching…"
        try:
            posting = await asyncio.to_thread(load_posting, url, self.flow.settings, offline=self.flow.offline)
        finally:
            field.loading, field.disabled = False, False
            field.border_title = None
        self._use(posting, "Posting fetched")

    def _stored(self, url: str) -> Any:
        """The posting this session already fetched from `url`, rebuilt from the stored job."""
        from resume_tui.documents.postings import Posting

        record = self.flow.session.settings.posting
        job = self.flow.session.job
        if not isinstance(record, dict) or record.get("url") != url or job is None or job.source_path != url:
            return None
        return Posting(text=job.text, title=job.title, company=job.company, source_format=job.source_format,
                       label=str(record.get("format") or "web page"), source_path=url, fetched_at=record.get("fetched_at"))

    def _use(self, posting: Any, what: str) -> None:
        self._posting = posting
        self._extracted = None
        self.query_one("#jd", TextArea).load_text(posting.text)
        self._after_use(posting, what)

    @work(name="jd-use", group="jd-preview", exclusive=True, exit_on_error=False)  # replaces a pending preview
    async def _after_use(self, posting: Any, what: str) -> None:
        job = await asyncio.to_thread(self._job_for, posting.text)
        self._show(job)
        found = plural(len(job.requirements), "requirement")
        self.notify(f"{what} ({posting.label}): {found} found.", timeout=4,
                    severity="information" if job.requirements else "warning")

    def action_next(self) -> None:
        self._commit()

    @work(name="commit-jd", group="commit-jd", exclusive=True, exit_on_error=False)
    async def _commit(self) -> None:
        from resume_tui.analysis.posting_job import require_requirements
        from resume_tui.errors import InputError

        text = self.query_one("#jd", TextArea).text
        current = self.flow.session.job
        if current is not None and current.text == text and self.flow.done(WorkflowState.JD_PROVIDED):
            super().action_next()
            return
        job = self._preview if self._preview is not None and self._preview.text == text else None
        if job is None:
            if not text.strip():
                raise InputError("The job description is empty; paste it, load it from a file (ctrl+l) or "
                                 "fetch its link (ctrl+u).")
            job = await asyncio.to_thread(self._job_for, text)
            self._show(job)
        require_requirements(job, "this text")  # refused here: no analysis, no model call
        posting = self._posting if self._posting is not None and self._posting.text == text else None
        record = posting.record() if posting is not None and posting.fetched_at else None
        self.flow.set_job(job, posting=record)
        self.flow.drafts.pop("job_text", None)
        super().action_next()
