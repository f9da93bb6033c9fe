"""Finishing a batch job: tailor the selected postings as sessions, plan every file, write what was approved.

Shared by `resume-tui batch` (and `batch --resume`) and the Postings board, so a job ends the
same way whichever finishes it. Each step is one function the caller strings together around its
own approval — a y/N prompt or `--yes` on the command line, the approval modal on the board — and
nothing is written before it: `tailor` and `plan` only create sessions and measure files, `write`
writes exactly the approved plan (or records the refusal) and the reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resume_tui.errors import BudgetExceeded, InputError, NoProviderError
from resume_tui.models import CustomizationLevel, Resume, Usage
from resume_tui.session.services import export, triage
from resume_tui.session.services.proposal import Proposal, outcome_document, write_approved

REPORTS = ("report.md", "report.csv", "report.json")
DEFAULT_TOP = 3  # postings tailored when a job names neither --top nor --min-fit

# propose(row, settings, spent) -> Proposal: one posting tailored as its own session.
Propose = Callable[[triage.Row, dict[str, Any], Usage], Proposal]
Step = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ReportPlan:
    """A report file in the approval list (the same fields as a document's write plan)."""

    path: Path
    format: str
    approx_bytes: int
    overwrites: bool


def row_settings(batch_id: str, row: triage.Row, level: CustomizationLevel,
                 extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a batch posting's session keeps: its level, its job and rank (and a linked posting's record)."""
    return {"level": level.value, **(extra or {}), **triage.batch_settings(batch_id, row)}


def estimate(router: Any, resume: Resume, selected: list[triage.Row], level: CustomizationLevel) -> str | None:
    """One estimate for every posting the batch tailors, before anything is sent."""
    if router is None or not selected:
        return None
    sections = [s.text() for s in resume.sections]
    parts = [router.estimate_texts(sections, row.job.text, str(level)) for row in selected if row.job]
    total = parts[0]
    for part in parts[1:]:
        total.input_tokens += part.input_tokens
        total.output_tokens += part.output_tokens
        total.cost_usd += part.cost_usd
        total.calls += part.calls
        total.priced = total.priced and part.priced
    return str(total.describe())


def record_rest(store: Any, resume: Resume, ranked: list[triage.Row], settings: Callable[[triage.Row], dict[str, Any]]
                ) -> None:
    """Every analysed posting that is not tailored becomes an analysed session (the board lists it)."""
    for row in ranked:
        if row.status == "ok" and not row.selected:
            row.session_id = triage.record_analysed(store, resume, row, settings(row))


def tailor(selected: list[triage.Row], propose: Propose, settings: Callable[[triage.Row], dict[str, Any]],
           spent: Usage, step: Step | None = None) -> tuple[dict[int, Proposal], int, str | None]:
    """Tailor each selected posting as its own session; one failing never stops the next, a budget stops all
    (`spent`: what the provider batches already cost, inside the same budget). (proposals, exit code, note)."""
    proposals: dict[int, Proposal] = {}
    for done, row in enumerate(selected, start=1):
        if step:
            step(done - 1, len(selected), row.title or row.source)
        assert row.job is not None
        try:
            proposal = propose(row, settings(row), spent)
        except BudgetExceeded as exc:
            row.tailor_error = exc.message
            for later in selected[done:]:
                later.tailor_error = "not tailored: the budget was reached on an earlier posting."
            return proposals, 3, exc.message
        except (NoProviderError, InputError) as exc:
            row.tailor_error = exc.message
            continue
        spent = spent + proposal.result.usage
        row.session_id = proposal.session_id
        proposals[row.position] = proposal
    if step:
        step(len(selected), len(selected), "all tailored")
    return proposals, 0, None


def plan(proposals: dict[int, Proposal], selected: list[triage.Row], names: dict[int, str], outdir: Path,
         formats: list[str], resume: Resume, *, accept: str, overwrite: bool) -> dict[int, list[Any]]:
    """Every file the batch would write, with exact sizes; an existing one is refused without overwrite."""
    from resume_tui.documents.export import plan_writes

    plans: dict[int, list[Any]] = {}
    if accept == "none":
        return plans
    stem = export.default_stem(resume)
    for row in selected:
        proposal = proposals.get(row.position)
        if proposal is None:
            continue
        folder = outdir / names[row.position]
        row.folder = str(folder)
        try:
            row_plans = plan_writes([folder / f"{stem}.{fmt}" for fmt in formats], source_path=resume.source_path,
                                    tailored=proposal.tailored, original=resume)
            taken = next((p for p in row_plans if p.overwrites and not overwrite), None)
            if taken is not None:
                raise InputError(f"{taken.path} already exists; pass --overwrite to replace it or choose another -o folder.")
        except InputError as exc:
            row.tailor_error = exc.message
            continue
        plans[row.position] = row_plans
    return plans


def report_plans(outdir: Path, approx_bytes: int = 0) -> list[ReportPlan]:
    return [ReportPlan(outdir / name, "report", approx_bytes, (outdir / name).exists()) for name in REPORTS]


def write(store: Any, proposals: dict[int, Proposal], plans: dict[int, list[Any]], selected: list[triage.Row],
          outdir: Path, *, approved: bool, who: str) -> None:
    """Record the decision on every tailored session; when approved, write and verify each one's files
    (a file that cannot be written is that posting's error, never the others')."""
    for position, proposal in proposals.items():
        subject = export.approval_subject(plans.get(position, [])) + [{"path": str(outdir / n), "format": "report"}
                                                                      for n in REPORTS]
        approval_id = store.record_approval(proposal.session_id, decision="granted" if approved else "rejected",
                                            who=who, subject=subject, run_id=proposal.result.run_id)
        if approved and plans.get(position):
            row = next(r for r in selected if r.position == position)
            try:
                outcomes = write_approved(store, proposal, plans[position], who=who, approval_id=approval_id)
            except InputError as exc:
                row.tailor_error = exc.message
                continue
            row.outputs = [outcome_document(o) for o in outcomes]


def write_reports(outdir: Path, doc: dict, *, overwrite: bool) -> None:
    from resume_tui.documents.atomic import atomic_write
    from resume_tui.session.services import batch_report

    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"The folder {outdir} cannot be created ({exc.strerror or exc}); choose another -o.") from None
    for name, data in (("report.md", batch_report.to_markdown(doc)), ("report.csv", batch_report.to_csv(doc)),
                       ("report.json", batch_report.to_json(doc))):
        atomic_write(outdir / name, data, overwrite=overwrite)
