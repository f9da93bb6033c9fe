"""The cover letter, sentence by sentence: keep, drop, edit or regenerate each one; a blocked sentence
can never be kept. Reached from Review (l) and Export (l); part of the Review step, not a sixth one —
the letter is written by the same approved export as the resume.

Each row is one sentence with its guard verdict; below it, what the sentence serves (the posting's
requirements), what backs it (the resume lines or declared facts) and, when held back, why.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from resume_tui.analysis.letter import Letter, LetterSentence, Part, SentenceStatus, Tone, writable
from resume_tui.models import Verdict, WorkflowState
from resume_tui.screens.base import StepScreen
from resume_tui.textsafe import display_safe
from resume_tui.widgets.inline_editor import InlineEditor

_VERDICT = {Verdict.SAFE: ("safe", "$text-success"), Verdict.FLAGGED: ("flagged", "$text-warning"),
            Verdict.BLOCKED: ("BLOCKED", "bold $text-error")}
_TONES = list(Tone)


def sentence_row(sentence: LetterSentence, *, selected: bool = False) -> Content:
    """One row: kept or not (a mark that reads without colour), the verdict, the part, the sentence;
    `selected` adds a ▶ so the cursor shows without colour too."""
    kept = writable(sentence)
    mark, style = ("✓", "$text-success") if kept else ("✗", "$text-error")
    if sentence.status is SentenceStatus.PENDING and sentence.verdict is Verdict.FLAGGED:
        mark, style = ("?", "$text-warning")
    verdict, vstyle = _VERDICT[sentence.verdict]
    part = {Part.OPENING: "open", Part.BODY: f"¶{sentence.paragraph}", Part.CLOSING: "close"}[sentence.part]
    return Content.assemble(("▶ " if selected else "  ", "bold"), (mark, style), " ", (f"{verdict:<7}", vstyle), " ", (f"{part:<5}", "$text-accent"), " ",
                            display_safe(sentence.text))


class LetterScreen(StepScreen):
    """Decisions go through the Flow, which re-guards every edit and refuses to keep a blocked sentence."""

    STEP = WorkflowState.REWRITE_APPLIED
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "decide('accepted')", "Keep", tooltip="Keep this sentence (a flagged one needs this)"),
        Binding("r", "decide('rejected')", "Drop", tooltip="Leave this sentence out of the letter"),
        Binding("e", "edit", "Edit", tooltip="Reword this sentence; the guard checks it again"),
        Binding("g", "regenerate", "Regenerate",
                tooltip="Write this sentence again: by your model from the same evidence, else another offline phrasing"),
        Binding("t", "tone", "Tone", tooltip="Write the letter again in the next tone (plain, warm, formal)"),
        Binding("c", "compose", "Rewrite", show=False, tooltip="Write the whole letter again"),
        Binding("ctrl+s", "save_edit", "Save edit", priority=True, tooltip="Keep the edited sentence"),
        Binding("escape", "back", "Back", tooltip="Back to the review (Esc also cancels an edit)"),
        Binding("ctrl+n", "next", "Export", tooltip="Export the resume and this letter"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_edit":
            return self.is_mounted and self.query_one("#letter-editor", TextArea).display
        return True

    _cursor: str | None = None  # the row drawn with ▶

    def compose_body(self) -> ComposeResult:
        yield Static(id="letter-head")
        yield OptionList(id="letter-sentences")
        with Vertical(id="letter-detail"):
            yield InlineEditor(id="letter-editor")
            with VerticalScroll(id="letter-why"):
                yield Static(id="letter-why-text")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#letter-editor", TextArea).display = False
        rows = self.query_one("#letter-sentences", OptionList)
        rows.border_title = "letter — c rewrite · t tone · ? all keys"
        rows.focus()
        if self.flow.letter is None:
            self.action_compose()
        else:
            self._load()

    # ------------------------------------------------------------------ rendering

    def _load(self, keep: str | None = None) -> None:
        letter = self.flow.letter
        rows = self.query_one("#letter-sentences", OptionList)
        highlighted = keep or (rows.highlighted_option.id if rows.highlighted_option is not None else None)
        rows.clear_options()
        if letter is None:
            return
        ids = [s.id for s in letter.sentences]
        at = ids.index(highlighted) if highlighted in ids else 0
        self._cursor = ids[at] if ids else None
        rows.add_options([Option(sentence_row(s, selected=i == at), id=s.id) for i, s in enumerate(letter.sentences)])
        rows.highlighted = at if ids else None
        self._head(letter)
        self._show_selected()

    def _head(self, letter: Letter) -> None:
        kept = sum(1 for s in letter.sentences if writable(s))
        held = sum(1 for s in letter.sentences if s.verdict is not Verdict.SAFE)
        to = " at ".join(x for x in (letter.title, letter.company) if x) or "the role"
        self.query_one("#letter-head", Static).update(Content.assemble(
            ("Cover letter ", "bold"), display_safe(f"for {to}", single_line=True),
            f" · {letter.tone.value} · {letter.words()} words · {kept} of {len(letter.sentences)} sentences kept",
            (f" · {held} held back by the guard" if held else "", "$text-warning"),
            (f"\n{note}" if (note := letter.length_note()) else "", "$text-muted")))

    @property
    def selected(self) -> LetterSentence | None:
        letter = self.flow.letter
        option = self.query_one("#letter-sentences", OptionList).highlighted_option
        if letter is None or option is None:
            return None
        return next((s for s in letter.sentences if s.id == option.id), None)

    @on(OptionList.OptionHighlighted, "#letter-sentences")
    def _highlighted(self) -> None:
        self._mark_cursor()
        self._show_selected()

    def _mark_cursor(self) -> None:
        """Re-draw the row the cursor left and the one it reached (the ▶ moves with it)."""
        rows = self.query_one("#letter-sentences", OptionList)
        letter = self.flow.letter
        now = rows.highlighted_option.id if rows.highlighted_option is not None else None
        if letter is None:
            return
        for sentence in letter.sentences:
            if sentence.id in (now, self._cursor) and sentence.id is not None:
                rows.replace_option_prompt(sentence.id, sentence_row(sentence, selected=sentence.id == now))
        self._cursor = now

    def _show_selected(self) -> None:
        sentence = self.selected
        if sentence is not None:
            self.query_one("#letter-why-text", Static).update(self._explain(sentence))

    def _explain(self, sentence: LetterSentence) -> Content:
        session = self.flow.session
        parts: list[str | tuple[str, str]] = [(f"{sentence.text}\n", "bold")]
        if sentence.verdict is not Verdict.SAFE:
            rule = "blocked: cannot be kept" if sentence.verdict is Verdict.BLOCKED else "flagged: a keeps it anyway"
            style = "bold $text-error" if sentence.verdict is Verdict.BLOCKED else "bold $text-warning"
            parts.append((f"Guard — {rule}\n", style))
            parts += [(f"  • {r}\n", style.replace("bold ", "")) for r in sentence.reasons]
        elif sentence.reasons:
            parts += [(f"{r}\n", "$text-muted") for r in sentence.reasons]
        if sentence.requirement_ids and session.job is not None:
            reqs = {r.id: r.text for r in session.job.requirements}
            parts.append(("Serves the posting's:\n", "bold"))
            parts += [f"  • {' '.join((reqs.get(r) or r).split())[:200]}\n" for r in sentence.requirement_ids]
        facts = self.flow.user_facts
        backing = []
        for item_id in sentence.evidence_item_ids:
            item = session.resume.item(item_id) if session.resume is not None else None
            if item is not None:
                backing.append(" ".join(item.text.split())[:200])
            elif item_id.startswith("user.") and item_id[5:].isdigit() and int(item_id[5:]) <= len(facts):
                backing.append(f"declared by you: {facts[int(item_id[5:]) - 1]}")
        if backing:
            parts.append(("Backed by your resume:\n", "bold"))
            parts += [(f"  • {b}\n", "$text-muted") for b in backing]
        parts.append((f"Source: {sentence.source}", "$text-muted"))
        return Content.assemble(*[display_safe(p) if isinstance(p, str) else (display_safe(p[0]), p[1]) for p in parts])

    # ------------------------------------------------------------------ actions

    def action_compose(self, tone: Tone | None = None) -> None:
        letter = self.flow.letter
        tone = tone or (letter.tone if letter is not None else Tone(self.flow.session.settings.letter_tone or "plain"))
        self.query_one("#letter-head", Static).update(f"Writing the letter ({tone.value})…")
        self._write_letter(tone)

    @work(name="letter", group="letter", exclusive=True, exit_on_error=False)
    async def _write_letter(self, tone: Tone) -> None:
        result = await self.flow.compose_letter(tone)
        self.flow.session.settings.letter_tone = tone.value
        self._load()
        if result.notes:
            self.notify(f"Written offline: {result.notes[0]}", severity="warning", timeout=6)

    def action_tone(self) -> None:
        letter = self.flow.letter
        current = letter.tone if letter is not None else Tone.PLAIN
        self.action_compose(_TONES[(_TONES.index(current) + 1) % len(_TONES)])

    def _apply(self, call, *args) -> None:  # noqa: ANN001 - a Flow method and its arguments
        sentence = self.selected
        if sentence is None:
            return
        try:
            new = call(sentence.id, *args)
        except Exception as exc:  # noqa: BLE001 - refusals are user-facing sentences
            self.tui.show_error(exc)
            return
        self._load(keep=new.id)
        if new.verdict is not Verdict.SAFE and call is not self.flow.letter_decide:
            self.notify(f"The guard {new.verdict.value} it: {new.reasons[0] if new.reasons else ''}", severity="warning")

    def action_decide(self, status: str) -> None:
        self._apply(self.flow.letter_decide, SentenceStatus(status))

    def action_regenerate(self) -> None:
        sentence = self.selected
        if sentence is None:
            return
        self.notify("Writing this sentence again…", timeout=2)
        self._regenerate(sentence.id)

    @work(name="letter-regenerate", group="letter", exclusive=True, exit_on_error=False)
    async def _regenerate(self, sentence_id: str) -> None:
        """A refusal is a user-facing sentence, shown by the screens' one worker-failure handler."""
        outcome = await self.flow.letter_regenerate(sentence_id)
        self._load(keep=sentence_id)
        new = outcome.sentence
        fine = new is not None and new.verdict is Verdict.SAFE and not outcome.message.startswith(("The guard", "No model"))
        self.notify(outcome.message, severity="information" if fine else "warning", timeout=6)

    def action_edit(self) -> None:
        sentence = self.selected
        if sentence is None:
            return
        editor = self.query_one("#letter-editor", TextArea)
        editor.load_text(sentence.text)
        editor.move_cursor(editor.document.end)
        editor.display = True
        editor.focus()
        self.refresh_bindings()

    def action_save_edit(self) -> None:
        editor = self.query_one("#letter-editor", TextArea)
        if not editor.display:
            return
        editor.display = False
        self.refresh_bindings()
        self.query_one("#letter-sentences", OptionList).focus()
        sentence = self.selected
        if sentence is not None and editor.text.strip() != sentence.text:
            self._apply(self.flow.letter_edit, editor.text)

    def action_back(self) -> None:
        editor = self.query_one("#letter-editor", TextArea)
        if editor.display:
            editor.display = False
            self.refresh_bindings()
            self.query_one("#letter-sentences", OptionList).focus()
            self.notify("Edit cancelled; the sentence is as it was.", timeout=3)
            return
        self.app.pop_screen()

    def action_next(self) -> None:
        from resume_tui.messages import GoToStep

        self.flow.session.settings.export_letter = True
        self.app.pop_screen()
        self.app.post_message(GoToStep(WorkflowState.REWRITE_APPLIED, +1))
