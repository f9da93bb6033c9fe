"""Headless progress: one row per task from the pipeline's events; plain lines without a terminal."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.console import Console

from resume_tui.analysis.requirements import parse_job_description
from resume_tui.commands.progress import TaskTable, progress_sink
from resume_tui.documents.ingest import parse_resume_text
from resume_tui.models import SourceFormat
from resume_tui.pipeline import run_pipeline

DATA = Path(__file__).resolve().parents[1] / "resume_tui" / "data"


def _run_events() -> list:
    resume = parse_resume_text((DATA / "sample_resume.md").read_text(), source_format=SourceFormat.MARKDOWN)
    job = parse_job_description((DATA / "sample_jd.md").read_text())
    seen: list = []
    asyncio.run(run_pipeline(resume, job, sinks=[seen.append]))
    return seen


def test_task_table_has_one_row_per_task_and_ends_complete() -> None:
    events = _run_events()
    table = TaskTable()
    for event in events:
        table.update(event)
    started = next(e for e in events if e.type == "run_started")
    names = [t["name"] for t in started.payload["tasks"]]
    assert list(table.rows) == names
    assert all(row["status"] == "completed" for row in table.rows.values())
    assert table.overall == 1.0
    console = Console(width=100, record=True, color_system=None)
    console.print(table.render())
    text = console.export_text()
    for name in names:
        assert name in text
    assert "overall 100%" in text


def test_plain_progress_lines_go_to_stderr(capsys) -> None:
    events = _run_events()
    with progress_sink(enabled=True) as sinks:  # capsys: not a terminal → plain lines
        for event in events:
            for sink in sinks:
                sink(event)
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    completed = [e for e in events if e.type == "task_completed"]
    assert len(lines) == len(completed)
    assert lines[-1].startswith("[100%]")


def test_disabled_progress_has_no_sinks() -> None:
    with progress_sink(enabled=False) as sinks:
        assert sinks == []
