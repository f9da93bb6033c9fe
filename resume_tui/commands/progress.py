"""Headless progress for pipeline runs: a live table on a terminal, plain lines otherwise.

Always on stderr, so `--json` keeps stdout to exactly one JSON document.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from resume_tui.pipeline.events import Event, EventType
from resume_tui.textsafe import display_safe

ICONS = {"pending": "·", "running": "▶", "completed": "✓", "failed": "✗", "skipped": "–", "cancelled": "■"}


class TaskTable:
    """Folds task events into one row per task (what the TUI's task list shows, as text)."""

    def __init__(self) -> None:
        self.rows: dict[str, dict] = {}
        self.overall = 0.0
        self.eta: float | None = None

    def update(self, event: Event) -> None:
        payload = event.payload
        if event.type == EventType.RUN_STARTED:
            for task in payload.get("tasks", []):
                self.rows.setdefault(task["name"], {"task": task["name"], "status": "pending"})
        elif "task" in payload:
            self.rows.setdefault(payload["task"], {}).update(payload)
        self.overall = payload.get("overall", self.overall)
        self.eta = payload.get("eta_s", self.eta)

    def render(self):
        from rich.table import Table

        table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
        for column in ("", "task", "progress", "elapsed", "tokens", "provider", "retries"):
            table.add_column(column, no_wrap=True)
        for row in self.rows.values():
            status = row.get("status", "pending")
            attempts = int(row.get("attempts") or 0)
            table.add_row(
                ICONS.get(status, "?"),
                display_safe(row.get("task", ""), single_line=True),
                f"{float(row.get('progress') or 0) * 100:3.0f}%",
                f"{float(row.get('elapsed_s') or 0):.1f}s",
                str(row.get("tokens") or 0),
                (row.get("provider") or "") + (" (fallback)" if row.get("fallback") else ""),
                str(max(0, attempts - 1)),
            )
        eta = "" if self.eta is None else f" · ETA {self.eta:.0f}s"
        table.caption = f"overall {self.overall * 100:.0f}%{eta}"
        return table


@contextmanager
def progress_sink(*, enabled: bool) -> Iterator[list]:
    """Yield the sinks to pass to `run_pipeline` (none when disabled)."""
    if not enabled:
        yield []
        return
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.live import Live

        table = TaskTable()
        with Live(table.render(), console=Console(stderr=True), transient=True, refresh_per_second=8) as live:

            def sink(event: Event) -> None:
                table.update(event)
                live.update(table.render())

            yield [sink]
        return

    def plain(event: Event) -> None:
        payload = event.payload
        if event.type in (EventType.TASK_COMPLETED, EventType.TASK_FAILED):
            source = payload.get("provider") or "offline"
            note = f" — {display_safe(payload['error'], single_line=True)}" if payload.get("error") else ""
            print(f"[{payload.get('overall', 0) * 100:3.0f}%] {payload.get('task')} {payload.get('status')} "
                  f"({source}, {float(payload.get('elapsed_s') or 0):.2f}s){note}", file=sys.stderr)
        elif event.type == EventType.TASK_RETRIED:
            print(f"       {payload.get('task')} retry {payload.get('attempt')}: {display_safe(payload.get('message', ''), single_line=True)}",
                  file=sys.stderr)

    yield [plain]


@contextmanager
def count_progress(what: str, *, enabled: bool) -> Iterator[Callable[[int, int, str], None]]:
    """Progress over a known number of steps (a batch's postings): a live bar on a terminal, one
    line per step otherwise. Yields `step(done, total, note)`; `note` is document-derived text."""
    if not enabled:
        yield lambda done, total, note: None
        return
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("{task.fields[note]}"))
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(what, total=None, note="")

            def step(done: int, total: int, note: str) -> None:
                bar.update(task, completed=done, total=total, note=display_safe(note, single_line=True)[:60])

            yield step
        return

    def line(done: int, total: int, note: str) -> None:
        print(f"[{done:>{len(str(total))}}/{total}] {what}: {display_safe(note, single_line=True)}", file=sys.stderr)

    yield line
