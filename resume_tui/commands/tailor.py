"""`resume-tui tailor RESUME JD -o OUT…`: propose, guard, apply the accepted changes, export.

Writing is the approval step: nothing is written without `--yes` or, on a terminal, an
explicit "y" to the list of files. Blocked changes are never applied by the CLI.
"""

from __future__ import annotations

import sys
from pathlib import Path

from resume_tui.commands import common
from resume_tui.errors import InputError
from resume_tui.models import Change, ChangeStatus, CustomizationLevel, Verdict

ACCEPT_VERDICTS = {"safe": {Verdict.SAFE}, "all": {Verdict.SAFE, Verdict.FLAGGED}, "none": set()}


def add_arguments(parser) -> None:
    common.add_resume_argument(parser)
    common.add_jd_argument(parser)
    parser.add_argument(
        "-o", "--output", action="append", default=[], metavar="OUT",
        help="file to write: .docx, .pdf, .html, .md or .txt (repeat for several formats)",
    )
    parser.add_argument("--provider", default=None, help="first provider to use (offline, anthropic, openai, gemini, claude_cli)")
    parser.add_argument("--level", choices=[lvl.value for lvl in CustomizationLevel], default=None,
                        help="customization level (default from config: moderate)")
    parser.add_argument("--accept", choices=list(ACCEPT_VERDICTS), default="safe",
                        help="which changes to apply: safe (guard passed), all (also flagged), none (report only)")
    parser.add_argument("--yes", action="store_true", help="approve writing the output files (needed without a terminal)")
    parser.add_argument("--overwrite", action="store_true", help="allow replacing existing output files")
    common.add_json_argument(parser)


def run(args) -> int:
    from resume_tui.analysis.apply import apply_changes
    from resume_tui.analysis.score import score_resume

    cfg = common.settings()
    level = CustomizationLevel(args.level or cfg.level)
    resume = common.load_resume_arg(args.resume, cfg)
    job = common.load_job_arg(args.jd, cfg, resume)
    common.warn(resume.warnings + job.warnings)

    from resume_tui.documents.export import plan_writes

    # Plan (and refuse bad destinations) before any work, so a typo costs nothing.
    plans = plan_writes([Path(p) for p in args.output], source_path=resume.source_path) if args.output else []
    for plan in plans:
        if plan.overwrites and not args.overwrite:
            raise InputError(f"{plan.path} already exists; pass --overwrite to replace it or choose another name.")

    result = common.run_headless(resume, job, cfg=cfg, level=level, provider=args.provider,
                                 show_progress=not args.json)
    changes = _decide(result.changes, args.accept)
    accepted = [c for c in changes if c.status == ChangeStatus.ACCEPTED]
    tailored = apply_changes(resume, accepted)
    score_after = score_resume(tailored, job)

    written: list[dict] = []
    write_problem: str | None = None
    if plans and args.accept != "none":
        # Exact sizes now that the tailored text exists, for the approval list.
        plans = plan_writes([p.path for p in plans], source_path=resume.source_path, tailored=tailored, original=resume)
        if _approved(args, plans):
            written = _write_all(plans, tailored, resume, accepted)
        else:
            write_problem = (
                "nothing was written: writing needs approval — pass --yes (or answer y on a terminal)."
            )
    elif plans:
        write_problem = "nothing was written: --accept none only reports."

    document = {
        "output": written[0]["path"] if written else None,
        "outputs": written,
        "score_before": round(result.score_before or 0.0, 1),
        "score_after": round(score_after, 1),
        "changes": [_change_document(resume, c) for c in changes],
        "blocked": sum(1 for c in changes if c.verdict == Verdict.BLOCKED),
        "gaps": [{"id": r.id, "text": r.text, "priority": r.priority.value} for r in result.report.gaps()],
        "tier": result.tier,
        "tokens": result.usage.total_tokens,
        "cost_usd": round(result.usage.cost_usd, 6),
    }
    if args.json:
        common.print_json(document)
    else:
        _render(document, job, changes, result)
    failed = [w for w in written if not w["verified"]]
    if write_problem and args.accept != "none":
        print(f"resume-tui: {write_problem}", file=sys.stderr)
        return 2
    if failed:
        print(f"resume-tui: {failed[0]['path']} was written but failed verification: "
              f"{failed[0]['problems'][0]}", file=sys.stderr)
        return 1
    return 0


def _decide(changes: list[Change], accept: str) -> list[Change]:
    verdicts = ACCEPT_VERDICTS[accept]
    return [
        c.model_copy(update={"status": ChangeStatus.ACCEPTED if c.verdict in verdicts else ChangeStatus.REJECTED})
        for c in changes
    ]


def _approved(args, plans) -> bool:
    if args.yes:
        return True
    if not (sys.stdin and sys.stdin.isatty() and sys.stderr.isatty()):
        return False
    print("resume-tui will write:", file=sys.stderr)
    for plan in plans:
        note = " (overwrites)" if plan.overwrites else ""
        print(f"  {plan.path}  [{plan.format}, ~{_size(plan.approx_bytes)}]{note}", file=sys.stderr)
    try:
        answer = input("Write these files? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in {"y", "yes"}


def _write_all(plans, tailored, original, accepted) -> list[dict]:
    from resume_tui.documents.export import write_export
    from resume_tui.documents.verify import verify_export

    written = []
    for plan in plans:
        result = write_export(tailored, original, plan.path, plan.format, overwrite=plan.overwrites)
        check = verify_export(result.path, result.format, tailored, accepted)
        written.append({
            "path": str(result.path), "format": result.format, "bytes": result.bytes, "sha256": result.sha256,
            "verified": check.ok, "problems": list(check.problems),
            "notes": list(result.notes) + list(check.warnings),
        })
    return written


def _change_document(resume, change: Change) -> dict:
    section = resume.section(change.section_id)
    return {
        "id": change.id,
        "section": section.title if section else change.section_id,
        "action": change.action.value,
        "before": change.before,
        "after": change.after,
        "rationale": change.rationale,
        "requirement_ids": change.requirement_ids,
        "evidence_item_ids": change.evidence_item_ids,
        "verdict": change.verdict.value,
        "reasons": change.reasons,
        "status": change.status.value,
        "source": change.source,
    }


def _render(document: dict, job, changes: list[Change], result) -> None:
    from resume_tui.commands.render import render_changes, render_report

    console = common.console()
    render_report(console, job, result.report)
    console.print()
    render_changes(console, changes)
    console.print()
    console.print(f"Score: {document['score_before']:.0f} → {document['score_after']:.0f}"
                  f" · {sum(c.status == ChangeStatus.ACCEPTED for c in changes)} applied,"
                  f" {document['blocked']} blocked by the guard")
    if result.tier != "normal":
        console.print(f"[yellow]Run tier: {result.tier}[/yellow] — some tasks fell back to the offline engine.")
    if document["tokens"]:
        console.print(f"Tokens: {document['tokens']:,} · cost ≈ ${document['cost_usd']:.4f}")
    for out in document["outputs"]:
        status = "verified" if out["verified"] else "FAILED verification"
        console.print(f"Wrote {out['path']} ({out['format']}, {_size(out['bytes'])}) — {status}")
        for note in out["notes"] + out["problems"]:
            console.print(f"  [yellow]note:[/yellow] {note}")


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} B"
