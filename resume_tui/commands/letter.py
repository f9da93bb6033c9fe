"""`resume-tui letter RESUME JD -o OUT…`: a cover letter whose every sentence is traced and guarded.

Offline it is built from templates filled with the resume's own lines; with `--provider` a model
writes it from the same evidence and each of its sentences is guarded, the unsafe ones replaced by
the offline sentence for the same requirement. Writing needs the same approval as `tailor` (`--yes`
or a "y" on a terminal), and every write is audited in a session of its own.
"""

from __future__ import annotations

import sys

from resume_tui.commands import common
from resume_tui.errors import InputError
from resume_tui.textsafe import display_safe as safe


def add_arguments(parser) -> None:
    from resume_tui.analysis.letter import Tone

    common.add_resume_argument(parser)
    common.add_jd_argument(parser)
    parser.add_argument("-o", "--output", action="append", default=[], metavar="OUT",
                        help="file to write: .docx, .pdf, .html, .md or .txt (repeat for several formats)")
    parser.add_argument("--provider", default=None, help="provider to write with (offline, anthropic, openai, gemini, claude_cli)")
    parser.add_argument("--tone", choices=[t.value for t in Tone], default=Tone.PLAIN.value, help="how the letter sounds")
    parser.add_argument("--yes", action="store_true", help="approve writing the output files (needed without a terminal)")
    parser.add_argument("--overwrite", action="store_true", help="allow replacing existing output files")
    common.add_fact_argument(parser)
    common.add_json_argument(parser)


def run(args) -> int:
    import asyncio

    from resume_tui.analysis.letter import Tone
    from resume_tui.commands import tailoring
    from resume_tui.providers.router import build_router
    from resume_tui.session.services import export
    from resume_tui.session.services import letter as letters
    from resume_tui.session.store import open_store

    cfg, facts, resume, job = common.load_inputs(args)
    letters.check_outputs(args.output, resume, overwrite=args.overwrite)  # before any work or model call

    report = letters.report_for(resume, job, facts)
    router = build_router(cfg, provider=common.provider_arg(args))

    async def go():
        try:
            return await letters.compose(resume, job, report, tone=Tone(args.tone), facts=facts, router=router, settings=cfg)
        finally:
            if router is not None:
                await router.aclose()

    result = asyncio.run(go())
    letter = result.letter
    common.warn(result.notes)

    outcomes: list = []
    write_problem: str | None = None
    if args.output:
        plans = letters.plan_letter(args.output, letter, resume)
        for plan in plans:
            if plan.overwrites and not args.overwrite:
                raise InputError(f"{plan.path} already exists; pass --overwrite to replace it or choose another name.")
        store = open_store(cfg)
        try:
            session = store.create_session(settings={"origin": "cli-letter", "tone": args.tone})
            approved, who = tailoring.ask_approval(args.yes, plans)
            approval_id = store.record_approval(session.id, decision="granted" if approved else "rejected", who=who,
                                                subject=export.approval_subject(plans), action="export_letter")
            if approved:
                outcomes = letters.write_letter_files(plans, letter, resume)
                for outcome in outcomes:
                    export.record_write(store, session.id, outcome, who=who, approval_id=approval_id)
            else:
                write_problem = "nothing was written: writing needs approval — pass --yes (or answer y on a terminal)."
        finally:
            store.close()

    document = {
        "output": str(outcomes[0].path) if outcomes else None,
        "outputs": [tailoring.outcome_document(o) for o in outcomes],
        "tone": args.tone,
        "sentences": letters.sentence_documents(letter),
        "words": letter.words(),
        "length_note": letter.length_note(),  # why it is under ~250 words, when it is
        "source": result.source,
        "facts": facts,
        "tokens": result.usage.total_tokens,
        "cost_usd": round(result.usage.cost_usd, 6),
    }
    if args.json:
        common.print_json(document)
    else:
        _render(letter, document, tailoring.size)
    if write_problem:
        print(f"resume-tui: {write_problem}", file=sys.stderr)
        return 2
    failed = [o for o in outcomes if not o.ok]
    if failed:
        print(f"resume-tui: {safe(failed[0].path)} failed verification: {safe(failed[0].problems[0])}", file=sys.stderr)
        return 1
    return 0


def _render(letter, document: dict, size) -> None:
    from rich.text import Text

    console = common.console()
    for line in letter.contact_lines:
        console.print(Text(safe(line)))
    console.print()
    console.print(Text(safe(letter.salutation)))
    for para in letter.paragraphs():
        console.print()
        console.print(Text(safe(" ".join(s.text for s in para))))
    console.print()
    console.print(Text(safe(letter.sign_off)))
    console.print(Text(safe(letter.name)))
    console.print()
    console.print(f"{document['words']} words · {len(document['sentences'])} sentences, each traced to your resume"
                  f" · written by {document['source']}")
    if document["length_note"]:
        console.print(Text(safe(document["length_note"])))
    if document["tokens"]:
        console.print(f"Tokens: {document['tokens']:,} · cost ≈ ${document['cost_usd']:.4f}")
    for out in document["outputs"]:
        status = "verified" if out["verified"] else "FAILED verification"
        console.print(Text(f"Wrote {safe(out['path'])} ({out['format']}, {size(out['bytes'])}) — {status}"))

