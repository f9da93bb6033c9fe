"""The gap report: score, requirements × evidence table, missing keywords and honest gaps."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from resume_tui.models import GapReport, JobDescription, MatchStatus, Priority
from resume_tui.shorten import one_line
from resume_tui.textsafe import display_safe

# what the Fit number is, in the words README.md and the CLI use
FIT_EXPLAINED = (
    "Fit: the requirements met, weighted by priority (critical 3, important 2, nice-to-have 1); "
    "a partial one counts half. A posting in another language is one more row."
)
STATUS_MARK = {MatchStatus.MATCHED: "✓ matched", MatchStatus.PARTIAL: "~ partial", MatchStatus.MISSING: "✗ missing"}
PRIORITY_LABEL = {Priority.CRITICAL: "critical", Priority.IMPORTANT: "important", Priority.NICE_TO_HAVE: "nice"}


class GapReportView(Vertical):
    """Renders a GapReport; no scoring here — the report arrives computed by analysis/.

    Posting text ("[Remote]", "[/]", "[@click=…]") reaches every widget here as Content or
    Text objects, never as markup, so it shows as typed and cannot crash or act."""

    DEFAULT_CSS = """
    GapReportView { height: 1fr; }
    GapReportView #score { height: 1; text-style: bold; }
    GapReportView DataTable { height: 1fr; min-height: 4; }
    GapReportView #keywords { height: auto; max-height: 3; color: $text-muted; }
    GapReportView #gaps { height: auto; max-height: 4; color: $text-warning; }
    """

    _shown: tuple[tuple, dict] | None = None
    _req_width = 34

    def compose(self) -> ComposeResult:
        score = Static(id="score")
        score.tooltip = FIT_EXPLAINED
        yield score
        table: DataTable[str | Text] = DataTable(id="requirements", cursor_type="row", zebra_stripes=True)
        self._add_columns(table)
        yield table
        yield Static(id="keywords")
        yield Static(id="gaps")

    def _add_columns(self, table: DataTable[str | Text]) -> None:
        """The requirement column shares a wide terminal with the evidence (34 columns at 80)."""
        self._req_width = requirement_width(self.app.size.width)
        table.add_column("requirement", key="req", width=self._req_width)
        table.add_column("priority", key="prio", width=9)
        table.add_column("status", key="status", width=9)
        table.add_column("evidence", key="evidence")

    def on_resize(self) -> None:
        if self._shown is not None and requirement_width(self.app.size.width) != self._req_width:
            self.show(*self._shown[0], **self._shown[1])

    @property
    def highlighted_requirement(self) -> str | None:
        """The id of the requirement row under the cursor (rows are keyed by requirement id)."""
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def show(
        self, report: GapReport, job: JobDescription | None, *, stale: bool = False, declared: dict[str, str] | None = None
    ) -> None:
        self._shown = ((report, job), {"stale": stale, "declared": declared})
        title = ""
        if job is not None and (job.title or job.company):
            title = " — " + " at ".join(p for p in (job.title, job.company) if p)
        matched = sum(1 for m in report.matches if m.status == MatchStatus.MATCHED)
        partial = sum(1 for m in report.matches if m.status == MatchStatus.PARTIAL)
        note = "  (stale: inputs changed, re-run with r)" if stale else ""
        total_keywords = len(report.keywords_matched) + len(report.keywords_missing)
        keywords = f" · Keywords {report.keyword_score:.0f}%" if total_keywords else ""
        self.query_one("#score", Static).update(Content(display_safe(
            f"Fit {report.score:.0f}/100{keywords} · {matched} met, {partial} partial of {len(report.requirements)}"
            f"{title}{note}",
            single_line=True,
        )))
        table = self.query_one(DataTable)
        row = table.cursor_row
        if requirement_width(self.app.size.width) != self._req_width:
            table.clear(columns=True)
            self._add_columns(table)
        else:
            table.clear()
        for req in report.requirements:
            match = report.match_for(req.id)
            status = match.status if match else MatchStatus.MISSING
            evidence = report.evidence_for(req.id)
            quote = evidence[0].quote if evidence else ""
            if evidence and evidence[0].item_id.startswith("user."):
                quote = f"declared by you: {quote}"
            if len(evidence) > 1:
                quote += f"  (+{len(evidence) - 1})"
            table.add_row(Text(display_safe(req.text)), PRIORITY_LABEL[req.priority], STATUS_MARK[status],
                          Text(display_safe(quote)), key=req.id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1), animate=False)
        missing = report.keywords_missing if total_keywords else report.missing_keywords
        listed = ", ".join(missing) or "none"
        count = f" ({len(missing)})" if missing else ""  # the list may be cut off
        hint = " — k: tick the ones you have" if missing else ""
        self.query_one("#keywords", Static).update(
            Content(display_safe(f"Posting keywords not in your resume{count}{hint}: {listed}")))
        declared = declared or {}
        gaps = [r for r in report.gaps() if r.id not in declared]
        lines = []
        if gaps:
            lines.append("Gaps — add only if true (f declares one true): " + "; ".join(one_line(r.text, 60) for r in gaps))
        elif not declared:
            lines.append("No unmatched requirements.")
        if declared:
            lines.append("Declared true by you: " + "; ".join(f"“{one_line(text, 50)}”" for text in declared.values()))
        self.query_one("#gaps", Static).update(Content(display_safe("\n".join(lines))))


def requirement_width(columns: int) -> int:
    """Half of what the fixed columns leave, never under 34 (the 80-column layout)."""
    return max(34, (columns - 30) // 2)


