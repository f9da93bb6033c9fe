"""A watchdog for the event loop: how long did the UI go without a turn? (no tests here)

A coroutine sleeps 10 ms at a time on the app's loop and records the largest gap between
two wake-ups beyond the sleep itself. While the loop is free the gap stays near 0; a
CPU-bound parse or analysis running on the loop shows up as one long gap, because nothing
else (drawing, keys) can run until it returns.

It also records the CPU time the loop's thread spent between two wake-ups (`max_work_s`): the
work done on the loop, which a loaded machine does not inflate the way it inflates the wall
time (a process the OS does not schedule, or a thread waiting for the GIL, spends no CPU). The documents it measures with are made
here, never copied: a 2 MB resume on one line, and a 12-page CV as a PDF.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

TICK_S = 0.010


class LoopWatch:
    """`async with LoopWatch() as watch:` … `watch.max_gap_s` (seconds the loop was held),
    `watch.max_work_s` (the most CPU seconds the loop's thread spent in one such stretch)."""

    def __init__(self) -> None:
        self.max_gap_s = 0.0
        self.max_work_s = 0.0
        self.ticks = 0
        self.last = time.perf_counter()  # when the loop last turned (a sampling thread may read it)
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        last, last_cpu = time.perf_counter(), time.thread_time()
        while True:
            await asyncio.sleep(TICK_S)
            now, cpu = time.perf_counter(), time.thread_time()
            self.max_gap_s = max(self.max_gap_s, now - last - TICK_S)
            self.max_work_s = max(self.max_work_s, cpu - last_cpu)
            self.ticks += 1
            last = self.last = now
            last_cpu = cpu

    async def __aenter__(self) -> LoopWatch:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass


WORDS = ("Led the payments platform team, cutting p99 latency by 40% with Python, Go, Kubernetes and "
         "PostgreSQL; mentored six engineers; shipped fraud detection with Kafka and Terraform on AWS. ")


def one_line_resume(path: Path, size: int = 2 * 1024 * 1024) -> Path:
    """A resume whose text is one 2 MB line (what a bad PDF-to-text paste produces)."""
    head = "Jane Q. Doe jane@example.com Experience Senior Engineer, Acme, 2019 - 2024 "
    body = WORDS * (size // len(WORDS) + 1)
    path.write_text((head + body)[:size], encoding="utf-8")
    return path


def twelve_page_cv(path: Path, pages: int = 12) -> Path:
    """A long academic-style CV: twelve full PDF pages of roles, bullets and publications."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    pdf.cell(0, 6, "Jane Q. Doe", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, "jane@example.com | +1 555 0100 | Boston, MA", new_x="LMARGIN", new_y="NEXT")
    headings = ("Experience", "Projects", "Publications", "Teaching", "Talks", "Service")
    role = 0
    while pdf.page_no() < pages or pdf.get_y() < 230:
        heading = headings[role // 8 % len(headings)]
        if role % 8 == 0:
            pdf.set_font("Helvetica", style="B", size=11)
            pdf.cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=10)
        pdf.cell(0, 6, f"Senior Engineer {role}, Company {role}, 20{10 + role % 14} - 20{11 + role % 14}",
                 new_x="LMARGIN", new_y="NEXT")
        for bullet in range(4):
            pdf.multi_cell(0, 5, f"- {WORDS.strip()} (item {role}.{bullet})", new_x="LMARGIN", new_y="NEXT")
        role += 1
    path.write_bytes(bytes(pdf.output()))
    return path
