"""Finishing a stored batch job without a terminal: what the Postings board does once a job's provider
batches have all ended (the work `resume-tui batch --resume JOB` does, minus the printing).

The job's arguments were kept when it started (commands/batch.py). `prepare` reads them, loads
the resume and every posting again, ranks them, records the untailored ones as analysed sessions
and tailors the selected ones (`--top N` / `--min-fit`, as the job said) through the same
batch_finish steps the command uses; the runs take the provider batches' answers from the
response cache, so nothing is sent twice. Nothing is written then: `files` is the whole list for
the approval modal, and `finish` writes exactly that when approved (or records the refusal and
leaves the writing to `batch --resume`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from resume_tui.config import Settings
from resume_tui.errors import InputError
from resume_tui.models import CustomizationLevel, JobDescription, Resume, Usage
from resume_tui.session.services import batch_finish, headless, proposal, triage
from resume_tui.session.services.batch_finish import DEFAULT_TOP
from resume_tui.session.services.batch_pending import UNWRITTEN


@dataclass
class Prepared:
    """A job analysed and tailored in memory: its sessions exist, its files are planned, none written."""

    job_id: str
    resume: Resume
    ranked: list[triage.Row]
    selected: list[triage.Row]
    proposals: dict[int, proposal.Proposal]
    plans: dict[int, list[Any]]
    outdir: Path
    overwrite: bool
    created_at: str
    problem: str | None = None  # a budget reached on the way: the postings after it are not tailored
    notes: list[str] = field(default_factory=list)

    @property
    def files(self) -> list[Any]:
        """Every file the job would write, reports included: what the approval lists."""
        from resume_tui.session.services import batch_report

        planned = [p for row_plans in self.plans.values() for p in row_plans]
        doc = batch_report.document(self.ranked, batch_id=self.job_id, resume_path=self.resume.source_path,
                                    created_at=self.created_at)
        sizes = {"report.md": len(batch_report.to_markdown(doc)), "report.csv": len(batch_report.to_csv(doc)),
                 "report.json": len(batch_report.to_json(doc))}
        return planned + [p.__class__(p.path, p.format, sizes[p.path.name], p.overwrites)
                          for p in batch_finish.report_plans(self.outdir)]


def loader(cfg: Settings, resume: Resume, *, offline: bool) -> triage.Loader:
    """Read one posting (a file, or a link fetched again unless the job was offline) as a JobDescription."""
    from resume_tui.analysis.posting_job import job_from_posting, require_requirements
    from resume_tui.documents.postings import load_posting

    def load(source: str) -> JobDescription:
        posting = load_posting(source, cfg, offline=offline)
        if posting is None or not posting.text.strip():
            raise InputError(f"The job description from {source} is empty; save the posting's text and try again.")
        return require_requirements(job_from_posting(posting, resume), source)

    return load


@dataclass
class Ranked:
    """A stored job's postings read, analysed and ranked, the ones to tailor chosen; no session made yet."""

    job_id: str
    resume: Resume
    ranked: list[triage.Row]
    selected: list[triage.Row]
    outdir: Path
    overwrite: bool
    formats: list[str]
    level: CustomizationLevel
    provider: str | None
    accept: str
    estimate: str | None  # what tailoring may cost with a paid provider (asked before it starts), else None


def prepare(store: Any, cfg: Settings, job_id: str, *, spent: Usage | None = None) -> Prepared:
    """`rank_job` then `tailor_job`: what `batch --resume` does before its approval; nothing written."""
    return tailor_job(store, cfg, rank_job(store, cfg, job_id), spent=spent)


def rank_job(store: Any, cfg: Settings, job_id: str) -> Ranked:
    """Read the job's kept arguments, load and rank its postings, choose the ones to tailor (`--top`,
    `--min-fit`), and price tailoring them when a paid provider would run; nothing stored."""
    from resume_tui.documents.export import normalise_format
    from resume_tui.documents.ingest import load_resume

    found = store.batches.job(job_id)
    if found is None:
        raise InputError(f"No batch job {job_id!r} is stored.")
    job_id, _, kept = found
    outdir = Path(kept["output_dir"])
    overwrite = bool(kept.get("overwrite"))
    for name in batch_finish.REPORTS:
        if (outdir / name).exists() and not overwrite:
            raise InputError(f"{outdir / name} already exists; finish this job with `resume-tui batch --resume "
                             f"{job_id}` after moving it, or rerun the batch with --overwrite.")
    formats = list(dict.fromkeys(normalise_format(f) for f in str(kept.get("format") or "docx").split(",") if f.strip()))
    level = CustomizationLevel(kept.get("level") or cfg.level)
    provider = "offline" if kept.get("offline") else kept.get("provider")
    accept = str(kept.get("accept") or "safe")
    resume = load_resume(Path(kept["resume"]), max_bytes=cfg.max_file_bytes)
    rows = triage.analyse(resume, triage.expand_sources(kept["postings"]),
                          loader(cfg, resume, offline=bool(kept.get("offline"))))
    ranked = triage.rank(rows)
    if not any(r.status == "ok" for r in ranked):
        first = next((r.error for r in ranked if r.error), "no posting could be read")
        raise InputError(f"None of the {len(ranked)} postings of {job_id} could be analysed; the first said: {first}")
    top, min_fit = kept.get("top"), kept.get("min_fit")
    selected = triage.select(ranked, top=DEFAULT_TOP if top is None and min_fit is None else top, min_fit=min_fit)
    return Ranked(job_id, resume, ranked, selected, outdir, overwrite, formats, level, provider, accept,
                  _estimate(cfg, provider, resume, selected, level))


def _estimate(cfg: Settings, provider: str | None, resume: Resume, selected: list[triage.Row],
              level: CustomizationLevel) -> str | None:
    import asyncio

    from resume_tui.providers.router import build_router

    router = build_router(cfg, provider=provider)
    if router is None:
        return None
    asyncio.run(router.aclose())  # it opened nothing; it only prices
    return batch_finish.estimate(router, resume, selected, level)


def tailor_job(store: Any, cfg: Settings, job: Ranked, *, spent: Usage | None = None) -> Prepared:
    """Make every posting's session and tailor the chosen ones (the provider batches' answers come from
    the cache); plan every file. `spent`: what the job's provider batches cost, inside the same budget."""
    job_id, resume, ranked, selected, outdir = job.job_id, job.resume, job.ranked, job.selected, job.outdir
    level, provider, accept, overwrite = job.level, job.provider, job.accept, job.overwrite

    def settings(row: triage.Row) -> dict[str, Any]:
        return batch_finish.row_settings(job_id, row, level)

    def propose(row: triage.Row, row_settings: dict[str, Any], spent: Usage) -> proposal.Proposal:
        assert row.job is not None
        return proposal.propose(store, resume, row.job, run=headless.run, cfg=cfg, level=level, provider=provider,
                                accept=accept, facts=[], show_progress=False, settings=row_settings, spent=spent,
                                origin="tui")

    batch_finish.record_rest(store, resume, ranked, settings)
    proposals, _, problem = batch_finish.tailor(selected, propose, settings, spent or Usage())
    plans = batch_finish.plan(proposals, selected, triage.folder_names(selected), outdir, job.formats, resume,
                              accept=accept, overwrite=overwrite)
    return Prepared(job_id, resume, ranked, selected, proposals, plans, outdir, overwrite,
                    datetime.now(UTC).isoformat(timespec="seconds"), problem, list(resume.warnings))


def finish(store: Any, job: Prepared, *, approved: bool, who: str = "user") -> dict[str, Any]:
    """Record the decision; when approved write every file and the reports and close the job. The job's
    document (batch_report.document), as report.json holds it."""
    from resume_tui.session.services import batch_report

    batch_finish.write(store, job.proposals, job.plans, job.selected, job.outdir, approved=approved, who=who)
    reports = {name.split(".")[1]: str(job.outdir / name) for name in batch_finish.REPORTS} if approved else {}
    doc = batch_report.document(job.ranked, batch_id=job.job_id, resume_path=job.resume.source_path,
                                created_at=job.created_at, reports=reports)
    if approved:
        batch_finish.write_reports(job.outdir, doc, overwrite=job.overwrite)
    store.batches.finish_job(job.job_id, "done" if approved else UNWRITTEN)
    return doc


def sentence(job: Prepared, doc: dict[str, Any], *, approved: bool) -> str:
    """The result in one sentence for the board."""
    counts = doc["counts"]
    head = (f"Batch {job.job_id} finished: {counts['analysed']} posting{'s' if counts['analysed'] != 1 else ''} "
            f"ranked, {len(job.proposals)} tailored")
    failed = [r for r in job.ranked if r.tailor_error]
    if approved:
        files = sum(len(r.outputs) for r in job.ranked)
        bad = sum(1 for r in job.ranked for o in r.outputs if not o["verified"])
        tail = f", {files} file{'s' if files != 1 else ''} and the reports written to {job.outdir}"
        tail += f" ({bad} FAILED verification)" if bad else ""
    else:
        tail = (f"; nothing was written (not approved) — `resume-tui batch --resume {job.job_id}` writes the files "
                "later")
    if failed:
        tail += f"; {len(failed)} could not be tailored ({failed[0].tailor_error})"
    return head + tail + "."
