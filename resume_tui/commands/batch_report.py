"""`batch`'s ranking table on a terminal; the document and the report files live in the session layer
(session/services/batch_report.py), which the Postings board shares, and are re-exported here."""

from __future__ import annotations

from typing import Any

from resume_tui.session.services.batch_report import (  # noqa: F401 - re-exported for the command and its tests
    CSV_COLUMNS,
    document,
    row_document,
    to_csv,
    to_json,
    to_markdown,
)
from resume_tui.textsafe import display_safe as safe


def _short(source: str) -> str:
    """A file's name (the table is narrow; the reports keep the whole path), a link as it is."""
    from pathlib import Path

    return source if "://" in source else Path(source).name


def render_table(console: Any, doc: dict[str, Any]) -> None:
    """The ranking on a terminal: fit, keywords, top gaps, title, company; unreadable postings say why."""
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, header_style="bold", expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Fit", justify="right", no_wrap=True)
    table.add_column("KW", justify="right", no_wrap=True)
    table.add_column("Title", ratio=3, no_wrap=True, overflow="ellipsis")
    table.add_column("Company", ratio=2, no_wrap=True, overflow="ellipsis")
    table.add_column("Top gaps", ratio=4, no_wrap=True, overflow="ellipsis")
    for p in doc["postings"]:
        if p["status"] == "error":
            table.add_row(Text("✗", style="red"), "—", "—", Text(safe(_short(p["source"]), single_line=True)), "",
                          Text(safe(p["error"] or "", single_line=True), style="red"))
            continue
        mark = str(p["rank"]) if p["status"] == "ok" else f"={p['duplicate_of']}"
        style = "bold" if p["selected"] else ""
        gaps = "; ".join(p["top_gaps"]) or "none"
        if p["status"] == "duplicate":
            gaps = f"same text as posting {p['duplicate_of']}"
        table.add_row(Text(mark, style=style), Text(f"{p['fit']:.0f}", style=style), f"{p['keywords']:.0f}%",
                      Text(safe(p["title"] or _short(p["source"]), single_line=True), style=style),
                      Text(safe(p["company"] or "", single_line=True)), Text(safe(gaps, single_line=True), style="dim"))
    console.print(table)
