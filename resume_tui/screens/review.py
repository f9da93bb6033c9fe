"""Step 4: walk the proposed changes side by side; accept, reject, edit; the score updates live."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static, TextArea

from resume_tui.errors import InputError
from resume_tui.messages import AcceptAllSafe, DeclareFact
from resume_tui.models import Change, ChangeAction, ChangeStatus, Resume, Verdict, WorkflowState
from resume_tui.screens.base import StepScreen
from resume_tui.screens.editor import edit_text_externally, editor_command
from resume_tui.screens.fact import Fact
from resume_tui.screens.refine import open_refine, undo_refinement
from resume_tui.textsafe import display_safe
from resume_tui.widgets.change_list import ChangeList
from resume_tui.widgets.diff_view import DiffView
from resume_tui.widgets.inline_editor import InlineEditor
from resume_tui.widgets.resume_preview import plural


def reorder_lines(change: Change, resume: Resume | None) -> tuple[str, str]:
    """A reorder as a person reads it: the items' own words, numbered, before and after
    (item ids such as "s4.3" mean nothing to the user)."""
    order = list(change.order or [])
    section = next((s for s in resume.sections if s.id == change.section_id), None) if resume else None
    texts = {item.id: item.text for item in section.items} if section is not None else {}
    original = [item_id for item_id in texts if item_id in order] or order

    def lines(ids: Sequence[str]) -> str:
        return "\n".join(f"{n}. {_one_line(texts.get(item_id, item_id), 100)}" for n, item_id in enumerate(ids, 1))

    return lines(original), lines(order)


def _one_line(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ReviewScreen(StepScreen):
    """Decisions go through the Flow (which refuses blocked changes and unconfirmed flagged ones)."""

    STEP = WorkflowState.REWRITE_APPLIED
    # The footer shows the everyday keys first (80 columns hold about six); the rest are in
    # the list's title and in the command palette's key list.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "decide('accepted')", "Accept", tooltip="Accept the selected change"),
        Binding("r", "decide('rejected')", "Reject", tooltip="Reject the selected change"),
        Binding("e", "edit", "Edit", tooltip="Edit the proposed text here"),
        Binding("o", "override", "Override", tooltip="Accept a flagged change anyway (never a blocked one)"),
        Binding("ctrl+s", "save_edit", "Save edit", priority=True, tooltip="Keep the edited text"),
        Binding("A", "accept_all_safe", "Accept all safe", show=False, tooltip="Accept every pending change the guard passed"),
        Binding("l", "letter", "Cover letter", show=False, tooltip="Write the cover letter, sentence by sentence"),
        Binding("i", "refine", "Refine", show=False, tooltip="Refine this change by an instruction (shorter, lead with…)"),
        Binding("u", "undo", "Undo", show=False, tooltip="Undo the last refinement, else put the change back to pending"),
        Binding("E", "edit_external", "Edit in $EDITOR", show=False, tooltip="Edit the proposed text in $EDITOR"),
        Binding("f", "declare_fact", "Declare a gap true", show=False, tooltip="Declare a gap true by typing a short fact"),
        # s, not k: the change list takes k (vim up), so k here never reached this screen.
        Binding("s", "checklist", "Skills checklist", show=False,
                tooltip="Tick the posting's skills you have but didn't write"),
        Binding("escape", "back", "Back", tooltip="Back to the analysis (Esc also cancels an edit)"),
        Binding("ctrl+n", "next", "Export", tooltip="Choose formats and export"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While editing, the footer offers saving; otherwise saving is not a key to show."""
        if action == "save_edit":
            return self.is_mounted and self.editing
        return True

    def compose_body(self) -> ComposeResult:
        yield Static(id="score-line")
        yield ChangeList(id="changes")
        with Vertical(id="change-detail"):
            yield DiffView(id="diff")
            yield InlineEditor(id="editor")
            with VerticalScroll(id="why"):
                yield Static(id="why-text")

    def on_mount(self) -> None:
        super().on_mount()
        editor = self.query_one("#editor", TextArea)
        editor.display = False
        session = self.flow.session
        changes = self.query_one(ChangeList)
        changes.border_title = "changes — A accept all safe · E edit in $EDITOR · f declare a gap true"
        if session.report is None:
            self.query_one("#score-line", Static).update("No analysis yet: run it on the Analysis step first.")
            return
        if not session.changes:
            self.query_one("#score-line", Static).update("No changes were proposed; the gaps are on the Analysis step.")
            return
        changes.load(session.changes, session.resume)
        view = self.flow.view
        left_on = view.get("review_change")  # reopened: the change the person was on, scrolled as it was
        ids = [c.id for c in session.changes]
        changes.highlighted = ids.index(left_on) if left_on in ids else 0
        scroll = view.scroll("review")
        if scroll:
            self.call_after_refresh(lambda: changes.scroll_to(y=scroll, animate=False, immediate=True))
        changes.focus()
        self._update_score()

    def capture_view(self) -> dict[str, object]:
        return {"scroll_review": self.query_one(ChangeList).scroll_y}

    # ------------------------------------------------------------------ rendering

    @property
    def selected(self) -> Change | None:
        option = self.query_one(ChangeList).highlighted_option
        return self.flow.change(option.id) if option is not None and option.id else None

    @on(OptionList.OptionHighlighted, "#changes")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_selected()
        self.remember_view(review_change=event.option.id)

    def _show_selected(self) -> None:
        change = self.selected
        if change is None:
            return
        note_after = "(this line is removed)" if change.action == ChangeAction.DELETE else ""
        before, after = change.before, change.after
        if change.action == ChangeAction.REORDER and change.order:
            before, after = reorder_lines(change, self.flow.session.resume)
        self.query_one(DiffView).show(before, after, note_before="(new line)", note_after=note_after)
        self.query_one("#why-text", Static).update(self._explain(change))

    def _explain(self, change: Change) -> Content:
        session = self.flow.session
        parts: list[Content | str | tuple[str, str]] = []
        if change.verdict != Verdict.SAFE:
            style = "bold $text-error" if change.verdict == Verdict.BLOCKED else "bold $text-warning"
            rule = "blocked: cannot be accepted" if change.verdict == Verdict.BLOCKED else "flagged: o accepts it anyway"
            parts.append((f"Guard — {rule}\n", style))
            for reason in change.reasons:
                parts.append((f"  • {reason}\n", style.replace("bold ", "")))
        parts.append(("Why: ", "bold"))
        parts.append((change.rationale or "(no rationale given)") + "\n")
        # One line per requirement and per evidence line, in the reader's words (ids such as
        # "r2" or "s1.3" mean nothing to them).
        if change.requirement_ids:
            parts.append(("Serves the posting's:\n", "bold"))
            reqs = {r.id: r.text for r in (session.job.requirements if session.job else [])}
            for rid in change.requirement_ids:
                parts.append(f"  • {_one_line(reqs.get(rid) or rid, 200)}\n")
        if change.evidence_item_ids and session.resume is not None:
            parts.append(("Evidence in your resume:\n", "bold"))
            for item_id in change.evidence_item_ids:
                item = session.resume.item(item_id)
                if item is not None:
                    parts.append((f"  • {_one_line(item.text, 200)}\n", "$text-muted"))
        parts.append((f"Source: {change.source}", "$text-muted"))
        # Rationale and reasons come from a model: inert text, no control sequences.
        return Content.assemble(*[display_safe(p) if isinstance(p, str)
                                  else (display_safe(p[0]), p[1]) if isinstance(p, tuple) else p for p in parts])

    def _update_score(self) -> None:
        flow = self.flow
        changes = flow.session.changes
        counts = {status: sum(1 for c in changes if c.status == status) for status in ChangeStatus}
        blocked = sum(1 for c in changes if c.verdict == Verdict.BLOCKED)
        # Only the counts that are not zero (pending always), so both scores fit an 80-column line.
        shown = [f"{counts[ChangeStatus.ACCEPTED]} accepted", f"{counts[ChangeStatus.REJECTED]} rejected",
                 f"{counts[ChangeStatus.PENDING]} pending", f"{blocked} blocked"]
        self._counts = " · ".join(s for s in shown if not s.startswith("0 ") or "pending" in s)
        before = flow.score_before
        fit = "…" if before is None else f"{before:.0f}"  # never a made-up 0 while the score is computed
        self.query_one("#score-line", Static).update(f"Fit {fit} → … · {self._counts}")
        self._score()

    @work(name="score", group="score", exclusive=True, exit_on_error=False)
    async def _score(self) -> float | None:
        """Both scores with the accepted changes applied, computed in a thread (a newer decision cancels it)."""
        flow = self.flow
        accepted = flow.accepted()
        scores = await asyncio.to_thread(flow.scores_for, accepted)
        if scores is None:
            return None
        fit = _delta("Fit ", scores["fit_before"], scores["fit_after"], "")
        keywords = _delta("Keywords ", scores["keywords_before"], scores["keywords_after"], "%")
        hint = ""
        base = flow.base_report() or flow.session.report
        if round(scores["keywords_after"]) == round(scores["keywords_before"]) and base is not None and base.keywords_missing:
            hint = " · s: add skills"  # an unmoved score says what to do about it
        line = self.query_one("#score-line", Static)
        line.update(Content.assemble(*fit, " · ", *keywords, f" · {self._counts}", (hint, "$text-muted")))
        line.tooltip = Content("\n".join(scores.get("why", [])))  # why they moved, or did not
        return scores["fit_after"]

    def _refresh_row(self, change: Change) -> None:
        self.query_one(ChangeList).refresh_change(change, self.flow.session.resume)
        self._show_selected()
        self._update_score()

    # ------------------------------------------------------------------ decisions

    def action_decide(self, status: str, override: bool = False) -> None:
        change = self.selected
        if change is None:
            return
        try:
            decided = self.flow.decide(change.id, ChangeStatus(status), override=override)
        except Exception as exc:  # noqa: BLE001 - refusals are user-facing sentences
            self.tui.show_error(exc)
            return
        self._refresh_row(decided)
        if status != "pending":
            self.query_one(ChangeList).action_cursor_down()

    def action_override(self) -> None:
        change = self.selected
        if change is not None and change.verdict == Verdict.SAFE:
            self.action_decide("accepted")
            return
        self.action_decide("accepted", override=True)

    @on(AcceptAllSafe)
    def action_accept_all_safe(self) -> None:
        count = self.flow.accept_all_safe()
        self.query_one(ChangeList).sync(self.flow.session.changes, self.flow.session.resume)
        self._show_selected()
        self._update_score()
        self.notify(f"Accepted {plural(count, 'safe change')}; flagged and blocked ones are left for you.", timeout=4)

    def action_refine(self) -> None:
        open_refine(self, self.selected, self._refresh_row)

    def action_letter(self) -> None:
        from resume_tui.screens.letter import LetterScreen

        self.app.push_screen(LetterScreen())

    def action_undo(self) -> None:
        if not undo_refinement(self, self.selected, self._refresh_row):
            self.action_decide("pending")

    # ------------------------------------------------------------------ editing

    @property
    def editing(self) -> bool:
        return self.query_one("#editor", TextArea).display

    @property
    def unsaved_edit(self) -> bool:
        """An open inline edit whose text differs from the proposal (quitting asks first)."""
        if not self.is_mounted or not self.editing:
            return False
        change = self.selected
        return change is None or self.query_one("#editor", TextArea).text.strip() != change.after.strip()

    def action_edit(self) -> None:
        change = self.selected
        if change is None:
            return
        if change.action in (ChangeAction.DELETE, ChangeAction.REORDER):
            what = "a reorder" if change.action == ChangeAction.REORDER else "a removal"
            self.notify(f"This change is {what}, with no text to edit; accept (a) or reject (r) it.", severity="warning")
            return
        editor = self.query_one("#editor", TextArea)
        editor.load_text(change.after)
        editor.move_cursor(editor.document.end)  # typing adds to the text, as in any editor
        editor.display = True
        editor.focus()
        self.refresh_bindings()

    def action_save_edit(self) -> None:
        if not self.editing:
            return
        change = self.selected
        editor = self.query_one("#editor", TextArea)
        editor.display = False
        self.refresh_bindings()
        self.query_one(ChangeList).focus()
        if change is not None:
            self._apply_edit(change, editor.text)

    def _apply_edit(self, change: Change, text: str) -> None:
        text = text.strip()
        if not text:
            self.notify("The edited text is empty; reject the change instead (r).", severity="warning")
            return
        if text == change.after.strip():
            self.notify("The text was not changed.", timeout=3)
            return
        try:
            edited = self.flow.edit(change.id, text)
        except Exception as exc:  # noqa: BLE001
            self.tui.show_error(exc)
            return
        self._refresh_row(edited)
        if edited.verdict != Verdict.SAFE:
            self.notify(f"The guard {edited.verdict.value} your edit: {'; '.join(edited.reasons)}", severity="warning")
        else:
            self.notify("Edit saved and passed the guard; it is pending until you accept it (a).", timeout=4)

    def action_edit_external(self) -> None:
        """Hand the terminal to $VISUAL/$EDITOR on a temp file; the guard re-checks the result."""
        from textual.app import SuspendNotSupported

        change = self.selected
        if change is None or change.action in (ChangeAction.DELETE, ChangeAction.REORDER):
            self.notify("Only changes that propose text can be edited.", severity="warning")
            return
        command = editor_command()
        try:
            with self.app.suspend():
                text = edit_text_externally(change.after, command)
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor; press e to edit here instead.", severity="error")
            return
        except (OSError, InputError) as exc:  # editor missing, or it exited with an error
            self.notify(f"Could not edit in {command[0]} ({exc}); press e to edit here instead.", severity="error")
            return
        if text.strip() == change.after.strip():
            self.notify("The text was not changed in the editor.", timeout=3)
            return
        self._apply_edit(change, text)

    # ------------------------------------------------------------------ facts

    @on(DeclareFact)
    def action_declare_fact(self) -> None:
        """A gap the user knows is true; held-back changes that rely on it are re-checked."""
        from resume_tui.screens.fact import FactScreen

        report = self.flow.session.report
        declared = self.flow.declared()
        gaps = [(r.id, r.text) for r in (report.gaps() if report else []) if r.id not in declared]
        self.app.push_screen(FactScreen(gaps=gaps), self._declared)

    def action_checklist(self) -> None:
        from resume_tui.screens.checklist import open_checklist

        open_checklist(self, self._facts_changed)

    def _facts_changed(self) -> None:
        self.query_one(ChangeList).sync(self.flow.session.changes, self.flow.session.resume)
        self._show_selected()
        self._update_score()

    def _declared(self, fact: Fact | None) -> None:
        if fact is None:
            return
        try:
            moved = self.flow.declare_fact(fact.text, fact.requirement_id)
        except Exception as exc:  # noqa: BLE001 - refusals are user-facing sentences
            self.tui.show_error(exc)
            return
        self.query_one(ChangeList).sync(self.flow.session.changes, self.flow.session.resume)
        self._show_selected()
        self._update_score()
        now = ", ".join(f"{c.id} is {c.verdict.value}" for c in moved)
        self.notify(f"Kept as true for this session. {now or 'No held-back change relied on it.'}", timeout=5)

    def action_back(self) -> None:
        if self.editing:
            self.query_one("#editor", TextArea).display = False
            self.refresh_bindings()
            self.query_one(ChangeList).focus()
            self.notify("Edit cancelled; the change is as it was.", timeout=3)
            return
        super().action_back()

    def action_next(self) -> None:
        if self.flow.session.report is None:
            self.notify("Run the analysis first.", severity="warning")
            return
        super().action_next()


def _delta(label: str, before: float, after: float, unit: str) -> list[str | tuple[str, str]]:
    """"Fit 71 → 74 (+3)": the after figure bold, the change green when it rises, red when it falls."""
    change = round(after) - round(before)
    return [(label, "bold"), f"{before:.0f}{unit} → ", (f"{after:.0f}{unit}", "bold"),
            (f" ({change:+d})", "$text-success" if change >= 0 else "$text-error")]
