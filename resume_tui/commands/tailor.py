"""`resume-tui tailor RESUME JD -o OUT…`: propose, guard, apply the accepted changes, export.

Writing is the approval step: nothing is written without `--yes` or, on a terminal, an
explicit "y" to the list of files. Blocked changes are never applied by the CLI.
"""

from __future__ import annotations

import sys
from pathlib import Path

from resume_tui.analysis.movement import explain
from resume_tui.commands import common, tailoring
from resume_tui.errors import InputError
from resume_tui.models import Change, ChangeStatus, CustomizationLevel, Verdict
from resume_tui.session.services import export
from resume_tui.session.services.review import ACCEPT_VERDICTS
from resume_tui.textsafe import display_safe as safe


def add_arguments(parser) -> None:
    common.add_resume_argument(parser)
    common.add_jd_argument(parser)
    parser.add_argument(
        "-o", "--output", action="append", default=[], metavar="OUT",
        help="file to write: .docx, .pdf, .html, .md, .txt or .json (JSON Resume) (repeat for several formats)",
    )
    parser.add_argument("--provider", default=None, help="first provider to use (offline, anthropic, openai, gemini, claude_cli)")
    parser.add_argument("--level", choices=[lvl.value for lvl in CustomizationLevel], default=None,
                        help="customization level (default from config: moderate)")
    parser.add_argument("--accept", choices=list(ACCEPT_VERDICTS), default="safe",
                        help="which changes to apply: safe (guard passed), all (also flagged), none (report only)")
    parser.add_argument("--yes", action="store_true", help="approve writing the output files (needed without a terminal)")
    parser.add_argument("--overwrite", action="store_true", help="allow replacing existing output files")
    parser.add_argument("--instruct", default=None, metavar="TEXT",
                        help="refine every proposed change by one instruction ('shorter', 'lead with the result', "
                             "'use the word platform'; others need a model); each result is guarded again")
    common.add_fact_argument(parser)
    common.add_json_argument(parser)


def run(args) -> int:
    from resume_tui.analysis.keywords import keyword_report
    from resume_tui.documents.export import plan_writes
    from resume_tui.pipeline.run.summary import served_summary
    from resume_tui.session.store import open_store

    cfg, facts, resume, job = common.load_inputs(args)
    level = CustomizationLevel(args.level or cfg.level)

    # Plan (and refuse bad destinations) before any work, so a typo costs nothing.
    plans = plan_writes([Path(p) for p in args.output], source_path=resume.source_path) if args.output else []
    for plan in plans:
        if plan.overwrites and not args.overwrite:
            raise InputError(f"{plan.path} already exists; pass --overwrite to replace it or choose another name.")

    # Every headless tailoring is a session too: its run, decisions and writes are audited.
    store = open_store(cfg)
    try:
        instruct_notes: list[str] = []

        def instructed(proposed: list[Change], result) -> list[Change]:
            refined, notes = _instructed(args, cfg, proposed, resume, job, facts, result)
            instruct_notes.extend(notes)
            return refined

        proposal = tailoring.propose(store, resume, job, cfg=cfg, level=level, provider=common.provider_arg(args),
                                     accept=args.accept, facts=facts, show_progress=not args.json,
                                     adjust=instructed if args.instruct else None)
        sid, result, changes, tailored = proposal.session_id, proposal.result, proposal.changes, proposal.tailored

        outcomes: list = []
        write_problem: str | None = None
        if plans and args.accept == "none":
            print("resume-tui: nothing was written: --accept none only reports.", file=sys.stderr)
        elif plans:
            # Exact sizes now that the tailored text exists, for the approval list.
            plans = plan_writes([p.path for p in plans], source_path=resume.source_path,
                                tailored=tailored, original=resume)
            for plan in plans:  # another run may have written it meanwhile: never replace it silently
                if plan.overwrites and not args.overwrite:
                    raise InputError(f"{plan.path} was created while this run was working; nothing was written — "
                                     "pass --overwrite to replace it or choose another name.")
            approved, who = tailoring.ask_approval(args.yes, plans)
            approval_id = store.record_approval(
                sid, decision="granted" if approved else "rejected", who=who,
                subject=export.approval_subject(plans),
                run_id=result.run_id,
            )
            if approved:
                outcomes = tailoring.write_approved(store, proposal, plans, who=who, approval_id=approval_id)
            else:
                write_problem = "nothing was written: writing needs approval — pass --yes (or answer y on a terminal)."
    finally:
        store.close()

    document = {
        "session_id": sid,
        "output": str(outcomes[0].path) if outcomes else None,
        "outputs": [tailoring.outcome_document(o) for o in outcomes],
        "score_before": round(result.score_before or 0.0, 1),
        "score_after": round(proposal.score_after, 1),
        "keyword_before": keyword_report(resume, job).score,
        "keyword_after": keyword_report(tailored, job).score,
        "why": explain(result.report, proposal.report_after) if result.report is not None else [],
        "facts": facts,
        "changes": [_change_document(resume, c) for c in changes],
        "blocked": sum(1 for c in changes if c.verdict == Verdict.BLOCKED),
        "gaps": [{"id": r.id, "text": r.text, "priority": r.priority.value} for r in result.report.gaps()],
        "tier": result.tier,
        "tokens": result.usage.total_tokens,
        "cost_usd": round(result.usage.cost_usd, 6),
        "instruction": {"text": args.instruct, "refined": sum(1 for c in changes if c.history),
                        "notes": instruct_notes} if args.instruct else None,
        "providers": result.providers,  # [{name, healthy, reason, tasks_served}]: why tasks left a provider
        "served": served_summary(result.tasks),  # "openai served 6 tasks; 3 fell back to offline: …"
        "unpriced_tokens": result.usage.unpriced_tokens,  # tokens of models with no price: cost_usd leaves them out
    }
    if args.json:
        common.print_json(document)
    else:
        _render(document, job, changes, result)
    if write_problem:
        print(f"resume-tui: {write_problem}", file=sys.stderr)
        return 2
    failed = [o for o in outcomes if not o.ok]
    if failed:
        print(f"resume-tui: {safe(failed[0].path)} failed verification: {safe(failed[0].problems[0])}",
              file=sys.stderr)
        return 1
    return 0


def _instructed(args, cfg, proposed, resume, job, facts, result) -> tuple[list[Change], list[str]]:
    """The proposals refined by `--instruct` (by rule, or by the chosen provider), usage added to the run's."""
    import asyncio

    from resume_tui.pipeline.refine import refine_all
    from resume_tui.providers.router import build_router

    text = " ".join(args.instruct.split())
    if not text:
        raise InputError("--instruct needs text, e.g. --instruct \"shorter\".")
    router = build_router(cfg, provider=common.provider_arg(args))

    async def go():
        try:
            return await refine_all(proposed, text, resume, job, facts=facts, router=router, settings=cfg)
        finally:
            if router is not None:
                await router.aclose()

    refined, notes, usage = asyncio.run(go())
    result.usage = result.usage + usage
    if not args.json:
        common.warn(notes)
    return refined, notes


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
    from rich.text import Text

    from resume_tui.commands.render import render_changes, render_report

    console = common.console()
    render_report(console, job, result.report)
    console.print()
    render_changes(console, changes)
    console.print()
    console.print(f"Fit {document['score_before']:.0f} → {document['score_after']:.0f}"
                  f" · Keywords {document['keyword_before']:.0f}% → {document['keyword_after']:.0f}%"
                  f" · {sum(c.status == ChangeStatus.ACCEPTED for c in changes)} applied,"
                  f" {document['blocked']} blocked by the guard")
    for sentence in document["why"]:
        console.print(Text(safe(sentence), style="dim"))
    if document["facts"]:
        from rich.text import Text

        console.print(Text(f"Declared by you: {safe('; '.join(document['facts']))}"))
    if result.tier != "normal":
        console.print(f"[yellow]Run tier: {result.tier}[/yellow] — some tasks fell back to the offline engine.")
    if document["tokens"]:
        unpriced = result.usage.unpriced_tokens
        cost = f"cost ≈ ${document['cost_usd']:.4f}" if not unpriced else (
            f"cost: unknown price for {unpriced:,} tokens (model not in the price table)"
            + (f" plus ≈ ${document['cost_usd']:.4f}" if document["cost_usd"] else ""))
        console.print(f"Tokens: {document['tokens']:,} · {cost}")
    for out in document["outputs"]:
        status = "verified" if out["verified"] else "FAILED verification"
        console.print(Text(f"Wrote {safe(out['path'])} ({out['format']}, {tailoring.size(out['bytes'])}) — {status}"))
        for note in out["notes"] + out["problems"]:
            console.print(Text.assemble(("  note: ", "yellow"), safe(note)))

