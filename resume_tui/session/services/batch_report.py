"""A batch's ranking as one document, and its report files: report.md, report.csv, report.json.

report.json is the document itself (the same one `batch --json` prints). Shared by `batch` and the
Postings board, which both finish batch jobs. Every cell is posting text, so the Markdown escapes
its table syntax and the CSV defuses cells a spreadsheet would run as a formula (the terminal
table is in commands/batch_report.py).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from resume_tui.session.services.triage import Row
from resume_tui.textsafe import display_safe as safe

CSV_COLUMNS = ("rank", "fit", "keywords", "title", "company", "status", "top_gaps", "missing_keywords",
               "source", "selected", "session_id", "folder", "outputs", "error")
MISSING_KEYWORDS = 8


def row_document(row: Row) -> dict[str, Any]:
    report = row.report
    return {
        "rank": row.rank,
        "position": row.position,
        "source": row.source,
        "status": row.status,
        "error": row.error,
        "warnings": list(row.job.warnings) if row.job else [],
        "duplicate_of": row.duplicate_of,
        "title": row.title or None,
        "company": row.company or None,
        "fit": row.fit,
        "keywords": row.keywords,
        "requirements": len(report.requirements) if report else 0,
        "top_gaps": row.top_gaps(),
        "missing_keywords": list(report.keywords_missing[:MISSING_KEYWORDS]) if report else [],
        "selected": row.selected,
        "session_id": row.session_id,
        "folder": row.folder,
        "outputs": row.outputs,
        "tailor_error": row.tailor_error,
    }


def document(rows: Sequence[Row], *, batch_id: str, resume_path: str | None, created_at: str,
             reports: dict[str, str] | None = None, estimate: str | None = None) -> dict[str, Any]:
    """The whole batch: counts, every posting in rank order (errors and duplicates last), the report files."""
    statuses = [r.status for r in rows]
    return {
        "batch_id": batch_id,
        "created_at": created_at,
        "resume": resume_path,
        "counts": {
            "postings": len(rows),
            "analysed": statuses.count("ok"),
            "duplicates": statuses.count("duplicate"),
            "errors": statuses.count("error"),
            "selected": sum(r.selected for r in rows),
            "tailored": sum(1 for r in rows if r.outputs),
        },
        "estimate": estimate,
        "postings": [row_document(r) for r in rows],
        "reports": reports or {},
    }


def to_json(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _cell(value: Any) -> str:
    """A CSV cell; text a spreadsheet would evaluate (=, +, -, @ first) is kept as text with a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | int):
        return str(value)
    text = " ".join(str(value).split())
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_csv(doc: dict[str, Any]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in doc["postings"]:
        values = dict(p, top_gaps=" | ".join(p["top_gaps"]), missing_keywords=", ".join(p["missing_keywords"]),
                      outputs="; ".join(o["path"] for o in p["outputs"]),
                      error=p["error"] or p["tailor_error"] or (f"same text as posting {p['duplicate_of']}"
                                                                if p["duplicate_of"] else None))
        writer.writerow([_cell(values.get(column)) for column in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def _md(text: Any) -> str:
    """One Markdown table cell: one line, pipes and markup characters escaped."""
    cleaned = safe(" ".join(str(text or "").split()), single_line=True)
    for ch in ("\\", "|", "*", "_", "`", "[", "]", "<", ">"):
        cleaned = cleaned.replace(ch, "\\" + ch)
    return cleaned or "—"


def to_markdown(doc: dict[str, Any]) -> bytes:
    counts = doc["counts"]
    lines = [
        "# Postings ranked by fit",
        "",
        f"Resume: {_md(doc['resume'])} · {counts['postings']} postings: {counts['analysed']} analysed, "
        f"{counts['duplicates']} duplicates, {counts['errors']} unreadable · {counts['tailored']} tailored.",
        "",
        "Fit weighs the evidence your resume gives for each requirement; Keywords is the share of the posting's "
        "keywords your resume writes verbatim (what an ATS matches). Gaps are requirements with no evidence: "
        "add them only if they are true.",
        "",
        "| # | Fit | Keywords | Title | Company | Top gaps | Tailored into |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in doc["postings"]:
        if p["status"] == "error":
            lines.append(f"| ✗ | — | — | {_md(p['source'])} | | {_md(p['error'])} | |")
            continue
        rank = p["rank"] if p["status"] == "ok" else f"= {p['duplicate_of']}"
        tailored = p["folder"] if p["outputs"] else (f"failed: {p['tailor_error']}" if p["tailor_error"] else "")
        lines.append(f"| {rank} | {p['fit']:.0f} | {p['keywords']:.0f}% | {_md(p['title'] or p['source'])} | "
                     f"{_md(p['company'])} | {_md('; '.join(p['top_gaps']))} | {_md(tailored) if tailored else ''} |")
    lines += ["", "Sources:", ""]
    lines += [f"{p['position']}. {_md(p['source'])}" for p in sorted(doc["postings"], key=lambda p: p["position"])]
    return ("\n".join(lines) + "\n").encode("utf-8")
