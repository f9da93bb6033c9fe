"""One row per pipeline micro-task: status icon, progress bar, elapsed, tokens, cost, provider, retries.

A task that left a provider (or failed) says why on a line of its own under the row, in the
provider's own words ("↳ openai/m: connection refused at http://127.0.0.1:9/v1 — later tasks
went to the offline engine"): on screen, not only in a tooltip, and wrapped, not cut."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, ProgressBar, Static

from resume_tui.models import TaskRecord, TaskStatus
from resume_tui.textsafe import display_safe

ICONS: dict[TaskStatus, str] = {
    TaskStatus.PENDING: "·",
    TaskStatus.RUNNING: "▶",
    TaskStatus.COMPLETED: "✓",
    TaskStatus.FAILED: "✗",
    TaskStatus.SKIPPED: "–",
    TaskStatus.CANCELLED: "■",
}


def elapsed(record: TaskRecord, now: datetime | None) -> float | None:
    """Seconds spent so far (or in total); `now` comes from the app's clock for determinism."""
    if record.started_at is None:
        return None
    end = record.finished_at or now
    if end is None:
        return None
    return max(0.0, (end - record.started_at).total_seconds())


def provider_text(record: TaskRecord) -> str:
    """Who served the task, short enough for the column: "anthropic", "↪ openai" (a fallback:
    the first choice failed), "offline". The arrow says it without colour; the model is in
    the tooltip."""
    provider = (record.provider or "").split("/", 1)[0]
    return f"↪ {provider}" if record.fallback and provider else provider


def cost_text(record: TaskRecord) -> str:
    """"$0.012"; "$?" when the model has no price (never a false $0); "" when nothing was billed."""
    usage = record.usage
    if usage.unpriced_tokens:
        return "$?"
    return f"${usage.cost_usd:.3f}" if usage.cost_usd else ""


def why_text(record: TaskRecord) -> str | None:
    """The line under a row that fell back or failed: why, in one sentence."""
    if not record.error or not (record.fallback or record.status in (TaskStatus.FAILED, TaskStatus.SKIPPED)):
        return None
    return f"↳ {record.error}"


def detail_text(record: TaskRecord) -> str | None:
    """The row's detail (its tooltip): who served the task and, when it left a provider or
    failed, why — e.g. "openai: no answer in 30 s — later tasks went to the offline engine"."""
    if not record.error:
        return record.provider
    return f"{record.provider or 'not started'} — {record.error}"


class TaskRow(Vertical):
    """A single task; `update_record` re-renders it in place (no remount, so no flicker)."""

    DEFAULT_CSS = """
    TaskRow { height: auto; }
    TaskRow > .line { height: 1; }
    TaskRow .line Label { height: 1; margin-right: 1; }
    TaskRow > .why { height: auto; width: 1fr; padding-left: 2; color: $text-warning; display: none; }
    TaskRow > .why.-shown { display: block; }
    TaskRow .icon { width: 1; }
    TaskRow .name { width: 1fr; min-width: 12; text-wrap: nowrap; text-overflow: ellipsis; }
    TaskRow ProgressBar { width: 12; }
    TaskRow ProgressBar Bar { width: 12; }
    TaskRow .elapsed { width: 6; text-align: right; }
    TaskRow .tokens { width: 6; text-align: right; }
    TaskRow .cost { width: 7; text-align: right; }
    TaskRow .provider { width: 14; text-wrap: nowrap; text-overflow: ellipsis; }
    TaskRow .line .retries { width: 2; text-align: right; margin-right: 0; }
    TaskRow .icon.-running { color: $accent; }
    TaskRow .icon.-completed { color: $success; }
    TaskRow .icon.-failed { color: $error; }
    TaskRow .icon.-cancelled { color: $warning; }
    TaskRow .provider.-fallback { color: $warning; }
    """

    def __init__(self, record: TaskRecord, label: str | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.record = record
        self.label = label or record.name
        self._shown: dict[str, str | None] = {}  # what each label shows now (unchanged text is not re-sent)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="line"):
            yield Label(classes="icon")
            name = display_safe(self.label, single_line=True)  # section titles: not markup
            yield Label(Content(name), classes="name").with_tooltip(name)  # the whole name, if cut
            yield ProgressBar(total=1.0, show_eta=False, show_percentage=False)
            yield Label(classes="elapsed")
            yield Label(classes="tokens")
            yield Label(classes="cost")
            yield Label(classes="provider")
            yield Label(classes="retries")
        yield Static(classes="why")

    def on_mount(self) -> None:
        self.update_record(self.record, None)

    def update_record(self, record: TaskRecord, now: datetime | None) -> None:
        """Re-render in place, touching only what changed: each label update re-lays out the screen,
        and a run repaints every few hundred milliseconds."""
        self.record = record
        why = why_text(record)
        self._restyle(".icon", {f"-{status.value}": record.status == status for status in TaskStatus})
        self._restyle(".provider", {"-fallback": record.fallback})
        self._restyle(".why", {"-shown": why is not None})
        self._text(".icon", ICONS[record.status])
        done = 1.0 if record.status in (TaskStatus.COMPLETED, TaskStatus.SKIPPED) else record.progress
        bar = self.query_one(ProgressBar)
        progress = max(0.0, min(1.0, done))
        if bar.progress != progress:
            bar.update(progress=progress)
        secs = elapsed(record, now)
        self._text(".elapsed", "" if secs is None else f"{secs:.1f}s")
        self._text(".tokens", str(record.usage.total_tokens) if record.usage.total_tokens else "")
        self._text(".cost", cost_text(record))
        self._text(".provider", provider_text(record))
        detail = detail_text(record)
        if detail != self._shown.get("detail"):
            self._shown["detail"] = detail
            # Text, not a markup string: an error may quote a model's answer ("[LINK7]") verbatim.
            self.query_one(".provider", Label).tooltip = Text(detail) if detail else None
            self.tooltip = Text(detail) if detail and record.error else None
        retries = max(0, record.attempts - 1)
        self._text(".retries", f"↻{retries}" if retries else "")
        if why != self._shown.get("why"):
            self._shown["why"] = why
            self.query_one(".why", Static).update(Text(display_safe(why)) if why else "")

    def _restyle(self, selector: str, wanted: dict[str, bool]) -> None:
        """State classes live on the one label they colour, set together and restyled once: a class
        on the row would re-apply the stylesheet to the row and all its children at every status
        change, which was the bulk of a run's repaint cost."""
        label = self.query_one(selector)
        changed = False
        for name, on in wanted.items():
            if label.has_class(name) != on:
                label.set_class(on, name, update=False)
                changed = True
        if changed:
            label.update_node_styles()

    def _text(self, selector: str, text: str) -> None:
        if self._shown.get(selector) != text:
            self._shown[selector] = text
            self.query_one(selector, Label).update(text)


_HEADER = (
    (" ", "icon"),
    ("task", "name"),
    ("progress", "bar"),
    ("time", "elapsed"),
    ("tokens", "tokens"),
    ("cost", "cost"),
    ("provider", "provider"),
    ("↻", "retries"),
)


class TaskList(VerticalScroll, can_focus=True):
    """The run's tasks in DAG order; rows are created once and updated in place."""

    DEFAULT_CSS = """
    TaskList { height: 1fr; }
    TaskList .header { height: 1; color: $text-muted; text-style: bold; }
    TaskList .header Label { margin-right: 1; }
    TaskList .header .icon { width: 1; }
    TaskList .header .name { width: 1fr; min-width: 12; }
    TaskList .header .bar { width: 12; }
    TaskList .header .elapsed { width: 6; text-align: right; }
    TaskList .header .tokens { width: 6; text-align: right; }
    TaskList .header .cost { width: 7; text-align: right; }
    TaskList .header .provider { width: 14; }
    TaskList .header .retries { width: 2; margin-right: 0; }
    """

    def __init__(self, clock: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.rows: dict[str, TaskRow] = {}
        self.labels: dict[str, str] = {}  # task name → words a person reads ("analyze Experience")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="header"):
            for text, cls in _HEADER:
                yield Label(text, classes=cls)

    def show(self, records: list[TaskRecord]) -> None:
        now = self.clock()
        new_rows = []
        for record in records:
            row = self.rows.get(record.name)
            if row is None:
                row = self.rows[record.name] = TaskRow(record, self.labels.get(record.name))
                new_rows.append(row)
            elif row.is_mounted:
                if record != row.record or record.status == TaskStatus.RUNNING:  # a finished row stays as drawn
                    row.update_record(record, now)
            else:
                row.record = record
        if new_rows:
            self.mount_all(new_rows)

    def clear(self) -> None:
        for row in self.rows.values():
            row.remove()
        self.rows.clear()


def task_labels(section_titles: dict[str, str], names: list[str]) -> dict[str, str]:
    """"customize_s2" → "customize Skills": the section's own heading instead of its id."""
    labels = {}
    for name in names:
        verb, _, section_id = name.rpartition("_")
        title = section_titles.get(section_id)
        labels[name] = f"{verb} {title}" if verb and title else name.replace("_", " ")
    return labels
