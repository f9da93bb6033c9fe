"""Rich renderings for the headless commands (human output; `--json` bypasses these)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from resume_tui.models import (
    Change,
    ChangeAction,
    ChangeStatus,
    Entry,
    GapReport,
    JobDescription,
    MatchStatus,
    Resume,
    Verdict,
)
from resume_tui.shorten import one_line
from resume_tui.textsafe import display_safe as safe

STATUS_STYLE = {MatchStatus.MATCHED: "green", MatchStatus.PARTIAL: "yellow", MatchStatus.MISSING: "red"}
STATUS_ICON = {MatchStatus.MATCHED: "✓", MatchStatus.PARTIAL: "~", MatchStatus.MISSING: "✗"}
VERDICT_STYLE = {Verdict.SAFE: "green", Verdict.FLAGGED: "yellow", Verdict.BLOCKED: "red"}


def render_resume(console: Console, resume: Resume) -> None:
    contact = resume.contact
    console.print(Text(safe(contact.name or "(no name found)"), style="bold"))
    details = [v for v in (contact.email, contact.phone, contact.location) if v] + list(contact.links)
    if details:
        console.print(Text(safe(" · ".join(details))))
    console.print(Text(f"format: {resume.source_format.value} · {len(resume.sections)} sections · "
                       f"{len(resume.items())} items", style="dim"))
    for section in resume.sections:
        console.print()
        title = section.title or "(untitled)"
        console.print(Text.assemble((safe(title), "bold"), (f"  [{section.kind.value}]", "dim")))
        entry_at = {e.header_ids[0]: e for e in section.entries if e.header_ids}
        for item in section.items:
            entry = entry_at.get(item.id)
            if entry is not None:
                console.print(Text.assemble(("  ┌ ", "dim"), (safe(entry_summary(entry)), "cyan"),
                                            (f"  ({len(entry.item_ids)} items, {entry.id}", "dim"),
                                            (", unsure)" if entry.confidence < 0.6 else ")", "dim")))
            prefix = "•" if item.kind.value == "bullet" else ("▸" if item.kind.value == "role" else " ")
            console.print(Text.assemble((f"  {item.id:>6} ", "dim"), f"{prefix} {safe(item.text)}"))
    for warning in resume.warnings:
        console.print(Text.assemble(("warning: ", "yellow"), safe(warning)))


def entry_summary(entry: Entry) -> str:
    """"Senior Engineer — Contoso · Seattle, WA · Jan 2020 – Present": the fields the parser found."""
    dates = " – ".join(d for d in (entry.start, entry.end) if d)
    named = " — ".join(v for v in (entry.title, entry.organization) if v) or "(untitled entry)"
    return " · ".join(v for v in (named, entry.location, dates) if v)


def render_report(console: Console, job: JobDescription, report: GapReport) -> None:
    heading = " — ".join(v for v in (job.title, job.company) if v) or "Job description"
    console.print(Text(safe(heading), style="bold"))
    console.print(Text.assemble("Fit: ", (f"{report.score:.0f}/100", "bold"), f"   ({_status_counts(report)})",
                                "   Keywords: ", (f"{report.keyword_score:.0f}%", "bold"),
                                f" of the posting's {len(report.keywords_matched) + len(report.keywords_missing)}"))
    console.print(Text("Fit = the requirements met, weighted by priority (critical 3, important 2, nice-to-have 1); "
                       "a partial one counts half.", style="dim"))
    table = Table(show_lines=False, expand=True, pad_edge=False)
    table.add_column("", width=1, no_wrap=True)
    table.add_column("Requirement", ratio=3)
    table.add_column("Priority", no_wrap=True)
    table.add_column("Evidence in your resume", ratio=3)
    for req in report.requirements:
        match = report.match_for(req.id)
        status = match.status if match else MatchStatus.MISSING
        evidence = report.evidence_for(req.id)
        who = "declared by you" if evidence and evidence[0].item_id.startswith("user.") else (evidence[0].item_id if evidence else "")
        quote = f"{who}: {_clip(evidence[0].quote, 90)}" if evidence else "—"
        table.add_row(
            Text(STATUS_ICON[status], style=STATUS_STYLE[status]),
            Text(_clip(req.text, 110)),
            req.priority.value.replace("_", " "),
            Text(quote),
        )
    console.print(table)
    gaps = report.gaps()
    if gaps:
        console.print(Text("Gaps — add only if true:", style="bold"))
        for req in gaps:
            console.print(Text.assemble(f"  • {_clip(req.text, 120)} ", (f"({req.priority.value.replace('_', ' ')})", "dim")))
    if report.keywords_missing:
        console.print(Text.assemble(("Posting keywords not written in your resume: ", "bold"),
                                    safe(", ".join(report.keywords_missing))))
        console.print(Text("  Add one only if it is true: --fact TEXT declares it (e.g. --fact Terraform).", style="dim"))


def render_changes(console: Console, changes: Sequence[Change]) -> None:
    if not changes:
        console.print("No changes proposed.")
        return
    for change in changes:
        mark = {ChangeStatus.ACCEPTED: "applied", ChangeStatus.REJECTED: "not applied",
                ChangeStatus.PENDING: "pending"}[change.status]
        console.print(Text.assemble(
            (f"{change.id} ", "bold"),
            (change.verdict.value, VERDICT_STYLE[change.verdict]),
            f" · {change.action.value} · {mark}",
        ))
        for sign, style, text in (("-", "red", change.before), ("+", "green", change.after)):
            # A reorder lists one item per line; keep them apart so the new order is readable.
            for line in (text.splitlines() if change.action == ChangeAction.REORDER else [text]):
                if line.strip():
                    console.print(Text.assemble((f"  {sign} ", style), _clip(line, 300)))
        if change.rationale:
            console.print(Text(f"  why: {safe(change.rationale)}", style="dim"))
        for reason in change.reasons:
            console.print(Text.assemble(("  guard: ", "yellow"), safe(reason)))


def _status_counts(report: GapReport) -> str:
    counts = {status: 0 for status in MatchStatus}
    for match in report.matches:
        counts[match.status] += 1
    return ", ".join(f"{n} {status.value}" for status, n in counts.items())


def _clip(text: str, limit: int) -> str:
    return one_line(safe(text), limit)
