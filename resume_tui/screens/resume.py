"""Step 1: pick a resume file (typed path with completion, or the tree) or paste its text."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DirectoryTree, Input, Label, TabbedContent, TabPane, TextArea

from resume_tui.models import Resume, WorkflowState
from resume_tui.screens.base import StepScreen
from resume_tui.widgets.file_picker import FilePicker, PathSuggester, display_path
from resume_tui.widgets.resume_preview import Preview, Warnings, plural, resume_content


class ResumeScreen(StepScreen):
    """Loads the resume through documents.ingest in a worker; shows sections and warnings."""

    STEP = WorkflowState.RESUME_UPLOADED
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+l", "load", "Load", tooltip="Load the typed path, or parse the pasted text"),
        Binding("ctrl+n", "next", "Next", tooltip="Go on to the job description"),
        Binding("escape", "back", "Back", tooltip="Back to the session list"),
    ]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="resume-body"):
            with Vertical(id="resume-source"):
                with TabbedContent(id="source-tabs"):
                    with TabPane("File", id="tab-file"):
                        yield Input(
                            placeholder="resume file (→ completes)",
                            suggester=PathSuggester(),
                            id="path",
                        )
                        yield FilePicker(self.tui.start_dir, id="tree")
                    with TabPane("Paste", id="tab-paste"):
                        yield TextArea(self.flow.drafts.get("resume_paste", ""), id="paste", soft_wrap=True)
                        yield Label("ctrl+l parses the pasted text", classes="hint")
            with Vertical(id="resume-result"):
                yield Warnings(id="warnings")
                yield Preview(id="preview")

    def on_mount(self) -> None:
        super().on_mount()
        preview = self.query_one(Preview)
        preview.border_title = "parsed resume"
        resume = self.flow.session.resume
        if resume is not None:
            self.query_one(Warnings).show(resume.warnings, home=False)
            self._show_kept(resume)
            self.restore_scroll(self.query_one(Warnings), "warnings")
            if resume.source_path and "resume_tui/data" not in Path(resume.source_path).as_posix():
                self.query_one("#path", Input).value = display_path(Path(resume.source_path))
        else:
            preview.show("Pick a file on the left (or paste the text) to see what was found in it.")
        self.query_one("#path", Input).focus()

    @work(name="preview", group="load-resume", exclusive=True, exit_on_error=False)
    async def _show_kept(self, resume: Resume) -> None:
        """The session's resume, laid out in a thread (a long one takes a while) while the preview shows
        it is busy, then scrolled to where the person left it. A load started meanwhile cancels this."""
        preview = self.query_one(Preview)
        preview.loading = True
        try:
            content = await asyncio.to_thread(resume_content, resume)
        finally:
            preview.loading = False
        preview.show(content, home=False)
        self.restore_scroll(preview, "preview")

    def capture_view(self) -> dict[str, object]:
        return {"scroll_preview": self.query_one(Preview).scroll_y, "scroll_warnings": self.query_one(Warnings).scroll_y}

    @on(TextArea.Changed, "#paste")
    def _keep_draft(self, event: TextArea.Changed) -> None:
        self.flow.drafts["resume_paste"] = event.text_area.text

    def show_resume(self, resume: Resume, content: Content | None = None) -> None:
        """`content`: the preview built off the loop (a long resume takes a while to lay out)."""
        self.query_one(Warnings).show(resume.warnings)
        self.query_one(Preview).show(content if content is not None else resume_content(resume))

    # ------------------------------------------------------------------ loading

    def action_load(self) -> None:
        paste = self.query_one("#paste", TextArea)
        if paste.has_focus or self.query_one(TabbedContent).active == "tab-paste":
            text = paste.text
            self._start(self.flow.read_resume_text, text)
        else:
            self._start(self.flow.read_resume, self.query_one("#path", Input).value)

    @on(Input.Submitted, "#path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        folder = Path(event.value.strip()).expanduser() if event.value.strip() else None
        if folder is not None and folder.is_dir():  # a folder opens in the tree, to pick from
            tree = self.query_one(FilePicker)
            tree.open_folder(folder)
            tree.focus()
            self.notify(f"{display_path(folder)} is a folder: its documents are listed below; pick one.", timeout=4)
            return
        self._start(self.flow.read_resume, event.value)

    @on(DirectoryTree.FileSelected)
    def _file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#path", Input).value = str(event.path)
        self._start(self.flow.read_resume, str(event.path))

    def _start(self, reader, arg: str) -> None:
        self._load(reader, arg)

    @work(name="load-resume", group="load-resume", exclusive=True, exit_on_error=False)
    async def _load(self, reader, arg: str) -> Resume:
        """Read and parse in a thread (a 12-page PDF takes seconds) while the preview shows it is busy;
        a new load cancels this one (exclusive)."""
        preview = self.query_one(Preview)
        preview.loading = True
        try:
            resume = await asyncio.to_thread(reader, arg)
            content = await asyncio.to_thread(resume_content, resume)
        finally:
            preview.loading = False
        self.flow.set_resume(resume)
        self.show_resume(resume, content)
        sections = len(resume.sections)
        self.notify(f"Resume loaded: {plural(sections, 'section')}. ctrl+n goes on to the job description.", timeout=4)
        return resume

    def action_next(self) -> None:
        if self.flow.session.resume is None:
            self.notify("Load a resume first: type a path, pick a file, or paste the text.", severity="warning")
            return
        super().action_next()
