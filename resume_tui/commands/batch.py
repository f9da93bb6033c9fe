"""`resume-tui batch RESUME POSTING… -o OUTDIR`: one resume against many postings — rank, report, tailor the best.

Every posting is analysed against the resume (parsed and indexed once) with the deterministic
engine, so the ranking is free, fast and reproducible; a posting that cannot be read is a row
with its reason and never stops the others; postings with the same text are analysed once.
The best `--top N` (or those at `--min-fit` and above) are tailored like `tailor` does — each
one a normal session, reviewable later in the TUI — and the rest are kept as analysed sessions.

Nothing is written before one approval that lists every file of the batch (the reports and each
tailored file), `--yes` for scripts. Exit codes are tailor's: 0 ok, 1 a file failed
verification, 2 bad input or no approval, 3 budget reached, 4 provider not set up.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from resume_tui.commands import common, tailoring
from resume_tui.commands.progress import count_progress
from resume_tui.errors import InputError
from resume_tui.models import CustomizationLevel, Usage
from resume_tui.session.services import batch_finish, triage
from resume_tui.session.services.batch_finish import DEFAULT_TOP, REPORTS
from resume_tui.session.services.review import ACCEPT_VERDICTS
from resume_tui.textsafe import display_safe as safe


def add_arguments(parser) -> None:
    parser.add_argument("resume", nargs="?", metavar="RESUME", help="resume file: PDF, DOCX, Markdown or plain text")
    parser.add_argument("postings", nargs="*", metavar="POSTING",
                        help="a posting file, a folder of postings, an http(s) link, or a text file listing "
                        "paths/links one per line")
    parser.add_argument("-o", "--output-dir", default="resume-tui-batch", metavar="OUTDIR",
                        help="folder for report.md/.csv/.json and one <company>-<title>/ folder per tailored posting")
    parser.add_argument("--top", type=int, default=None, metavar="N",
                        help=f"tailor the N best postings (default {DEFAULT_TOP}; 0 ranks only)")
    parser.add_argument("--min-fit", type=float, default=None, metavar="SCORE",
                        help="tailor only postings with a Fit of at least SCORE (0–100); with --top, the best N of them")
    parser.add_argument("--format", default="docx", metavar="FORMATS",
                        help="formats of each tailored resume, comma-separated: docx, pdf, html, md, txt (default docx)")
    parser.add_argument("--provider", default=None, help="first provider to use for tailoring (offline, anthropic, "
                        "openai, gemini, claude_cli); the ranking is always the offline Fit")
    parser.add_argument("--level", choices=[lvl.value for lvl in CustomizationLevel], default=None,
                        help="customization level (default from config: moderate)")
    parser.add_argument("--accept", choices=list(ACCEPT_VERDICTS), default="safe",
                        help="which changes to apply: safe (guard passed), all (also flagged), none (report only)")
    parser.add_argument("--yes", action="store_true", help="approve writing every file of the batch (needed without a terminal)")
    parser.add_argument("--overwrite", action="store_true", help="allow replacing existing report and output files")
    parser.add_argument("--offline", action="store_true",
                        help="send nothing over the network: links are not fetched and only the offline engine runs")
    parser.add_argument("--refetch", action="store_true", help="fetch linked postings again even if stored by an earlier session")
    parser.add_argument("--no-batch-api", action="store_true",
                        help="send every model call interactively, never through the provider's batch API")
    parser.add_argument("--resume", dest="resume_job", nargs="?", const="", default=None, metavar="JOB",
                        help="collect the provider batches of an interrupted batch (the newest, or JOB) and finish it")
    common.add_json_argument(parser)


# What a batch job keeps of its arguments so `--resume` can finish it (paths made absolute).
_KEPT = ("resume", "postings", "output_dir", "top", "min_fit", "format", "provider", "level", "accept", "overwrite",
         "offline", "refetch", "no_batch_api")


def _kept(args) -> dict[str, Any]:
    def absolute(value: str) -> str:
        return value if triage.is_url(value) else str(Path(value).expanduser().resolve())

    kept = {name: getattr(args, name) for name in _KEPT}
    kept["resume"] = absolute(args.resume)
    kept["postings"] = [absolute(p) for p in args.postings]
    kept["output_dir"] = absolute(args.output_dir)
    return kept


def _resume_job(args) -> int:
    """`batch --resume [JOB]`: run the stored invocation again under the same job; its provider batches are
    collected, not sent again, and the answers already in the cache are not asked for again."""
    import argparse

    from resume_tui.session.store import open_store

    with open_store(common.settings()) as store:
        found = store.batches.job(args.resume_job or None)
    if found is None:
        raise InputError("No batch is waiting to be finished" + (f" with the id {args.resume_job!r}" if args.resume_job
                         else "") + "; start one with `resume-tui batch RESUME POSTING…`.")
    job_id, _, kept = found
    again = argparse.Namespace(**kept, yes=args.yes, json=args.json, resume_job=None, job_id=job_id)
    return run(again)


def _formats(raw: str) -> list[str]:
    from resume_tui.documents.export import normalise_format

    formats = list(dict.fromkeys(normalise_format(f) for f in raw.split(",") if f.strip()))
    if not formats:
        raise InputError("--format needs at least one of docx, pdf, html, md or txt.")
    return formats


def _check_arguments(args) -> tuple[Path, list[str]]:
    if args.top is not None and args.top < 0:
        raise InputError("--top needs a number of postings, 0 or more.")
    if args.min_fit is not None and not 0 <= args.min_fit <= 100:
        raise InputError("--min-fit is a Fit score between 0 and 100.")
    outdir = Path(args.output_dir).expanduser()
    if outdir.exists() and not outdir.is_dir():
        raise InputError(f"{outdir} is a file, not a folder; give -o a folder for the batch.")
    for name in REPORTS:  # refuse before any work, so a second run into the same folder costs nothing
        if (outdir / name).exists() and not args.overwrite:
            raise InputError(f"{outdir / name} already exists; pass --overwrite to replace the reports or choose "
                             "another -o folder.")
    return outdir, _formats(args.format)


def run(args) -> int:
    from resume_tui.session.store import open_store

    if getattr(args, "resume_job", None) is not None:
        return _resume_job(args)
    if not args.resume or not args.postings:
        raise InputError("batch needs a resume and at least one posting: resume-tui batch RESUME POSTING… "
                         "(or --resume to finish an interrupted batch).")
    cfg = common.settings()
    outdir, formats = _check_arguments(args)
    level = CustomizationLevel(args.level or cfg.level)
    provider = common.provider_arg(args)
    router = _router(cfg, provider)  # a misconfigured --provider fails before any work
    resume = common.load_resume_arg(args.resume, cfg)
    common.warn(resume.warnings)
    sources = triage.expand_sources(args.postings)
    if not sources:
        raise InputError("No posting was given; name posting files, folders, links or a list file.")

    def load(source: str):
        return common.load_job_arg(source, cfg, resume, offline=args.offline, refetch=args.refetch)

    with count_progress("analysing", enabled=not args.json) as step:
        rows = triage.analyse(resume, sources, load, progress=lambda done, total, row: step(
            done, total, f"{row.fit:.0f} {row.title or row.source}" if row.status == "ok" else f"{row.status}: {row.source}"))
    ranked = triage.rank(rows)
    if not any(r.status == "ok" for r in ranked):
        first = next((r.error for r in ranked if r.error), "no posting could be read")
        raise InputError(f"None of the {len(ranked)} postings could be analysed; the first said: {first}")
    top = DEFAULT_TOP if args.top is None and args.min_fit is None else args.top
    selected = triage.select(ranked, top=top, min_fit=args.min_fit)
    names = triage.folder_names(selected)
    estimate = _estimate(router, resume, selected, level)
    if estimate and not args.json:
        print(f"resume-tui: estimate before tailoring {len(selected)} postings: {estimate}", file=sys.stderr)

    created_at = datetime.now(UTC).isoformat(timespec="seconds")
    store = open_store(cfg)
    problem: str | None = None
    code = 0
    try:
        batch_id = getattr(args, "job_id", None) or store.batches.create_job(_kept(args))
        spent = Usage()
        if router is not None and not args.no_batch_api and selected:
            from resume_tui.commands import batch_remote

            remote = batch_remote.run(store, router, cfg, resume, [r.job for r in selected], level, batch_id,
                                      quiet=args.json)
            common.warn(remote.notes)
            if remote.pending:
                return _still_running(args, ranked, batch_id, resume, created_at, remote)
            spent, estimate = remote.usage, remote.estimate or estimate
        batch_finish.record_rest(store, resume, ranked, lambda row: _settings(batch_id, row, level))
        proposals, code, budget_note = _tailor(store, resume, selected, args, cfg, level, provider, batch_id, spent)
        if budget_note:
            problem = budget_note
        plans = batch_finish.plan(proposals, selected, names, outdir, formats, resume, accept=args.accept,
                                  overwrite=args.overwrite)
        all_plans = [p for row_plans in plans.values() for p in row_plans]
        report_lines = [f"{outdir / name}  [report]" + (" (overwrites)" if (outdir / name).exists() else "")
                        for name in REPORTS]
        approved, who = tailoring.ask_approval(args.yes, all_plans, extra=report_lines)
        batch_finish.write(store, proposals, plans, selected, outdir, approved=approved, who=who)
        reports = {name.split(".")[1]: str(outdir / name) for name in REPORTS} if approved else {}
        doc = _document(ranked, batch_id, resume, created_at, reports, estimate)
        if approved:
            batch_finish.write_reports(outdir, doc, overwrite=args.overwrite)
            store.batches.finish_job(batch_id)
        else:
            problem = "nothing was written: writing needs approval — pass --yes (or answer y on a terminal)."
    finally:
        store.close()

    if args.json:
        common.print_json(doc)
    else:
        _render(doc)
    if problem:
        print(f"resume-tui: {problem}", file=sys.stderr)
        return code or 2
    failed = [o for row in ranked for o in row.outputs if not o["verified"]]
    if failed:
        print(f"resume-tui: {safe(failed[0]['path'])} failed verification: {safe(failed[0]['problems'][0])}",
              file=sys.stderr)
        return 1
    return code


def _still_running(args, ranked, batch_id: str, resume, created_at: str, step) -> int:
    """Provider batches are still running after the wait: nothing is written; `--resume` finishes the job."""
    doc = _document(ranked, batch_id, resume, created_at, {}, step.estimate)
    doc["pending_batches"] = step.pending
    if args.json:
        common.print_json(doc)
    print(f"resume-tui: {step.pending} provider batch(es) are still running; nothing was written yet — run "
          f"`resume-tui batch --resume {batch_id}` later to collect them and finish (no request is sent again).",
          file=sys.stderr)
    return 0


def _router(cfg, provider: str | None) -> Any:
    """The provider chain, built once up front: `--provider` errors come before any work; it prices the estimate."""
    import asyncio

    from resume_tui.providers.router import build_router

    router = build_router(cfg, provider=provider)
    if router is not None:
        asyncio.run(router.aclose())  # it opened nothing yet; the runs build their own
    return router


def _estimate(router: Any, resume, selected: list[triage.Row], level: CustomizationLevel) -> str | None:
    """One estimate for every posting the batch tailors, before anything is sent."""
    return batch_finish.estimate(router, resume, selected, level)


def _settings(batch_id: str, row: triage.Row, level: CustomizationLevel) -> dict[str, Any]:
    from resume_tui.commands.posting_cache import session_settings

    return batch_finish.row_settings(batch_id, row, level, session_settings(row.job))


def _tailor(store, resume, selected: list[triage.Row], args, cfg, level, provider, batch_id: str, spent: Usage
            ) -> tuple[dict[int, tailoring.Proposal], int, str | None]:
    """Tailor each selected posting as its own session (batch_finish.tailor), with progress on the terminal."""

    def propose(row: triage.Row, settings: dict[str, Any], spent: Usage) -> tailoring.Proposal:
        assert row.job is not None
        return tailoring.propose(store, resume, row.job, cfg=cfg, level=level, provider=provider, accept=args.accept,
                                 facts=[], show_progress=False, settings=settings, spent=spent)

    with count_progress("tailoring", enabled=not args.json) as step:
        return batch_finish.tailor(selected, propose, lambda row: _settings(batch_id, row, level), spent, step)


def _document(ranked, batch_id: str, resume, created_at: str, reports: dict[str, str], estimate: str | None) -> dict:
    from resume_tui.commands import batch_report

    return batch_report.document(ranked, batch_id=batch_id, resume_path=resume.source_path, created_at=created_at,
                                 reports=reports, estimate=estimate)


def _render(doc: dict) -> None:
    from rich.text import Text

    from resume_tui.commands import batch_report

    console = common.console()
    batch_report.render_table(console, doc)
    counts = doc["counts"]
    console.print()
    console.print(f"{counts['postings']} postings: {counts['analysed']} analysed, {counts['duplicates']} duplicate, "
                  f"{counts['errors']} unreadable · {counts['tailored']} tailored")
    for p in doc["postings"]:
        if p["tailor_error"]:
            console.print(Text(f"  {safe(p['title'] or p['source'], single_line=True)}: {safe(p['tailor_error'])}",
                               style="yellow"))
        for out in p["outputs"]:
            status = "verified" if out["verified"] else "FAILED verification"
            console.print(Text(f"Wrote {safe(out['path'])} ({out['format']}, {tailoring.size(out['bytes'])}) — {status}"))
    for kind, path in doc["reports"].items():
        console.print(Text(f"Report ({kind}): {safe(path)}"))
