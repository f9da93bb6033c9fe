"""One row per pipeline micro-task: status icon, progress bar, elapsed, tokens, cost, provider, retries.

A task that left a provider (or failed) says why on a line of its own under the row, in the
provider's own words ("↳ openai/m: connection refused at http://127.0.0.1:9/v1 — later tasks
went to the offline engine"): on screen, not only in a tooltip, and wrapped, not cut."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

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


# The columns, left to right: (key, width, right-aligned, gap after). "name" takes what is left.
# Under 70 columns (the screen's -narrow) the bar is shorter and tokens and cost are left out.
_COLUMNS: tuple[tuple[str, int, bool, int], ...] = (
    ("icon", 1, False, 1), ("name", 0, False, 1), ("bar", 12, False, 0), ("elapsed", 6, True, 1),
    ("tokens", 6, True, 1), ("cost", 7, True, 1), ("provider", 14, False, 1), ("retries", 2, True, 0),
)
_NARROW = {"bar": 8, "tokens": 0, "cost": 0}
NAME_MIN = 12
ICON_STYLES: dict[TaskStatus, str] = {
    TaskStatus.RUNNING: "$accent", TaskStatus.COMPLETED: "$success", TaskStatus.FAILED: "$error",
    TaskStatus.CANCELLED: "$warning",
}


def _narrow(widget: Widget) -> bool:
    try:
        return widget.screen.has_class("-narrow")
    except Exception:  # noqa: BLE001 - not on a screen yet: the wide layout
        return False


def _line(cells: dict[str, Content], width: int, narrow: bool) -> Content:
    """One table line: every column padded (or cut with an ellipsis) to its width."""
    columns = [(key, _NARROW.get(key, w) if narrow else w, right, gap) for key, w, right, gap in _COLUMNS]
    columns = [c for c in columns if c[1] or c[0] == "name"]
    fixed = sum(w + gap for key, w, _, gap in columns if key != "name") + 1  # + the name's gap
    parts: list[Content] = []
    for key, w, right, gap in columns:
        w = max(NAME_MIN, width - fixed) if key == "name" else w
        cell = cells.get(key, Content(""))
        parts.append(cell.right(w, ellipsis=True) if right else cell.truncate(w, ellipsis=True, pad=True))
        if gap:
            parts.append(Content(" " * gap))
    return Content.assemble(*parts)


def bar(progress: float, width: int) -> Content:
    """The progress column as characters (a ProgressBar widget per row made the table slow to show)."""
    progress = max(0.0, min(1.0, progress))
    halves = int(progress * width * 2)
    full, half = divmod(halves, 2)
    style = "$success" if progress >= 1.0 else "$primary"
    return Content.assemble(("━" * full + ("╸" if half else ""), style),
                            ("━" * (width - full - half), "$surface"))


class TaskRow(Widget):
    """One task, drawn as one widget (its line, and the reason under it when it fell back or failed):
    a screen with forty tasks paints at once, where ten widgets per row held the loop half a second.
    `update_record` re-renders it in place (no remount, so no flicker)."""

    DEFAULT_CSS = """
    TaskRow { height: auto; }
    """

    def __init__(self, record: TaskRecord, label: str | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label or record.name
        self.record = record
        self.now: datetime | None = None
        self.tooltip = self._detail()

    @property
    def provider(self) -> str:
        """What the provider column shows ("↪ openai" for a fallback)."""
        return provider_text(self.record)

    @property
    def why(self) -> str | None:
        """The line under the row, when the task left a provider or failed."""
        return why_text(self.record)

    def _detail(self) -> Text | None:
        detail = detail_text(self.record)  # who served it (the model), and why not the first choice
        return Text(detail) if detail else None  # Text, not markup: an error may quote "[LINK7]" verbatim

    def update_record(self, record: TaskRecord, now: datetime | None) -> None:
        if record == self.record and record.status != TaskStatus.RUNNING:
            return  # a finished row stays as drawn
        grows = (why_text(record) is None) != (self.why is None)
        self.record, self.now = record, now
        self.tooltip = self._detail()
        self.refresh(layout=grows)

    def _row_lines(self, width: int) -> list[Content]:
        record, narrow = self.record, _narrow(self)
        secs = elapsed(record, self.now)
        done = 1.0 if record.status in (TaskStatus.COMPLETED, TaskStatus.SKIPPED) else record.progress
        retries = max(0, record.attempts - 1)
        cells = {
            "icon": Content.styled(ICONS[record.status], ICON_STYLES.get(record.status, "")),
            "name": Content(display_safe(self.label, single_line=True)),  # section titles: not markup
            "bar": bar(done, _NARROW["bar"] if narrow else 12),
            "elapsed": Content("" if secs is None else f"{secs:.1f}s"),
            "tokens": Content(str(record.usage.total_tokens) if record.usage.total_tokens else ""),
            "cost": Content(cost_text(record)),
            "provider": Content.styled(provider_text(record), "$warning" if record.fallback else ""),
            "retries": Content(f"↻{retries}" if retries else ""),
        }
        lines = [_line(cells, width, narrow)]
        why = self.why
        if why:  # wrapped, never cut, indented under the name
            for text in textwrap.wrap(display_safe(why), max(10, width - 2), break_on_hyphens=False):
                lines.append(Content.assemble("  ", (text, "$text-warning")))
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._row_lines(width))

    def render(self) -> Content:
        return Content("\n").join(self._row_lines(self.content_region.width or self.size.width))


_HEADER = {"icon": " ", "name": "task", "bar": "progress", "elapsed": "time", "tokens": "tokens", "cost": "cost",
           "provider": "provider", "retries": "↻"}


class TaskHeader(Widget):
    """The column titles, laid out as the rows are."""

    DEFAULT_CSS = """
    TaskHeader { height: 1; color: $text-muted; text-style: bold; }
    """

    def render(self) -> Content:
        narrow = _narrow(self)
        cells = {key: Content(text) for key, text in _HEADER.items()}
        return _line(cells, self.content_region.width or self.size.width, narrow)


class TaskList(VerticalScroll, can_focus=True):
    """The run's tasks in DAG order; rows are created once and updated in place."""

    DEFAULT_CSS = """
    TaskList { height: 1fr; }
    """

    def __init__(self, clock: Callable[[], datetime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.rows: dict[str, TaskRow] = {}
        self.labels: dict[str, str] = {}  # task name → words a person reads ("analyze Experience")

    def compose(self) -> ComposeResult:
        yield TaskHeader()

    def show(self, records: list[TaskRecord]) -> None:
        now = self.clock()
        new_rows = []
        for record in records:
            row = self.rows.get(record.name)
            if row is None:
                row = self.rows[record.name] = TaskRow(record, self.labels.get(record.name))
                row.now = now
                new_rows.append(row)
            elif row.is_mounted:
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
