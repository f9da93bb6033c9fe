"""What the headless commands share: loading inputs, JSON output, the console."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from resume_tui.config import Settings, load_settings
from resume_tui.errors import InputError
from resume_tui.models import JobDescription, Resume
from resume_tui.textsafe import display_safe


def add_resume_argument(parser) -> None:
    parser.add_argument("resume", metavar="RESUME", help="resume file: PDF, DOCX, Markdown, plain text or JSON Resume (.json)")


def add_jd_argument(parser) -> None:
    parser.add_argument(
        "jd", metavar="JD",
        help="the job posting: a file (PDF, DOCX, Markdown, text, a saved .html page, JSON), "
        "an http(s):// link, or - to read it from stdin",
    )
    parser.add_argument("--offline", action="store_true",
                        help="send nothing over the network: no link is fetched and only the offline engine runs")
    parser.add_argument("--refetch", action="store_true",
                        help="fetch a linked posting again even if an earlier session stored it")


def provider_arg(args) -> str | None:
    """The provider to use: --offline forces the offline engine and refuses any other."""
    provider = getattr(args, "provider", None)
    if getattr(args, "offline", False):
        if provider not in (None, "offline"):
            raise InputError(f"--offline sends nothing over the network, so it cannot use --provider {provider}; "
                             "drop one of the two.")
        return "offline"
    return provider


def add_fact_argument(parser) -> None:
    parser.add_argument(
        "--fact", action="append", default=[], metavar="TEXT",
        help="something true that your resume does not say (repeatable): a skill ('Terraform') or a short sentence "
        "('Terraform — provisioned AWS accounts at Parcelio'); the only addition any change may use",
    )


def declared_facts(args) -> list[str]:
    """The --fact values, whitespace-normalised, empty ones refused with a sentence."""
    from resume_tui.errors import InputError

    facts = [" ".join(f.split()) for f in getattr(args, "fact", []) or []]
    if any(not f for f in facts):
        raise InputError("--fact needs text: a skill ('Terraform') or one sentence saying what is true.")
    if any(len(f) > 300 for f in facts):
        raise InputError("Keep each --fact under 300 characters: one sentence saying what is true.")
    return list(dict.fromkeys(facts))


def add_json_argument(parser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")


def settings() -> Settings:
    return load_settings()


def load_resume_arg(path: str, cfg: Settings) -> Resume:
    from resume_tui.documents.ingest import load_resume

    def ocr_page(page: int, pages: int) -> None:
        # A scan read by OCR takes seconds a page: say so on a terminal (not in piped or JSON runs).
        if sys.stderr.isatty():
            print(f"resume-tui: reading page {page} of {pages} of {Path(path).name} by OCR…", file=sys.stderr, flush=True)

    return load_resume(Path(path), max_bytes=cfg.max_file_bytes, progress=ocr_page)


def load_inputs(args: Any) -> tuple[Settings, list[str], Resume, JobDescription]:
    """What analyze, tailor and letter start from: the settings, the declared facts, the resume and the
    posting (read in that order, so a bad resume is reported before a link is fetched), warnings shown."""
    cfg = settings()
    facts = declared_facts(args)
    resume = load_resume_arg(args.resume, cfg)
    job = load_job_arg(args.jd, cfg, resume, offline=args.offline, refetch=args.refetch)
    warn(resume.warnings + job.warnings)
    return cfg, facts, resume, job


def load_job_arg(path: str, cfg: Settings, resume: Resume | None = None, *, offline: bool = False,
                 refetch: bool = False) -> JobDescription:
    """Read the posting (file, URL or stdin) and parse it; refuse an empty or too-short one
    before any analysis or model call."""
    from resume_tui.analysis.posting_job import job_from_posting, require_requirements
    from resume_tui.documents.postings import is_url, load_posting, posting_from_text

    if path == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError("JD is '-' but nothing was piped in; pipe the job description text or pass a file.")
        from resume_tui.textsafe import clean_text, describe_removed

        text, removed = clean_text(sys.stdin.read(cfg.max_file_bytes + 1))
        if len(text.encode("utf-8", "ignore")) > cfg.max_file_bytes:
            raise InputError(
                f"The job description on stdin is larger than the {cfg.limits.max_file_mb:g} MB limit; "
                "paste only the posting, or raise limits.max_file_mb in the config."
            )
        warnings = [note] if (note := describe_removed(removed, "the job description on stdin")) else []
        where = "stdin"
        posting = posting_from_text(text, where="The job description on stdin", warnings=warnings) if text.strip() else None
    elif is_url(path):
        from resume_tui.commands.posting_cache import remember, stored_posting

        where = path.strip()
        posting = None if refetch else stored_posting(where, cfg)
        if posting is None:
            posting = load_posting(where, cfg, offline=offline)
        remember(posting)
    else:
        where = path
        posting = load_posting(path, cfg)
    if posting is None or not posting.text.strip():
        raise InputError(f"The job description from {where} is empty; paste or save the posting's text and try again.")
    job = job_from_posting(posting, resume)
    return require_requirements(job, where)


def print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def console():
    """A rich console on stdout (honours NO_COLOR and non-TTY output). Document text is passed
    to it as `rich.text.Text` run through `textsafe.display_safe`, never as markup."""
    from rich.console import Console

    return Console(highlight=False)


def err_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def warn(messages: list[str]) -> None:

    for message in messages:
        print(f"resume-tui: warning: {display_safe(message)}", file=sys.stderr)


def run_headless(resume: Resume, job: JobDescription, *, cfg: Settings, level, provider: str | None = None,
                 show_progress: bool = True, analyze_only: bool = False, sinks: list | None = None,
                 session_id: str = "", facts: Sequence[str] = (), spent=None, announce_estimate: bool | None = None):
    """Run the pipeline to completion for a headless command; map its outcome to our errors.

    The router is built first so a misconfigured `--provider` fails before any work; the
    pre-run cost estimate for paid providers goes to stderr (unless `announce_estimate` is False:
    `batch` prints one for the whole batch). `spent` (a Usage) is what earlier runs of the same
    command already used, so the budget caps hold for all of them together.
    """
    import asyncio

    from resume_tui.commands.progress import progress_sink
    from resume_tui.errors import BudgetExceeded, Cancelled, NoProviderError
    from resume_tui.pipeline import run_pipeline
    from resume_tui.providers.router import build_router

    extra = {}
    if spent is not None:
        from resume_tui.providers.budget import Budget

        extra["budget"] = Budget.from_settings(cfg, spent=spent)
    router = build_router(cfg, provider=provider, **extra)
    warn(_not_set_up(cfg, provider))  # a chosen provider without a key must not mean a silent offline run
    announce = show_progress if announce_estimate is None else announce_estimate
    if router is not None and announce and not analyze_only:
        estimate = router.estimate_texts([s.text() for s in resume.sections], job.text, str(level))
        print(f"resume-tui: estimate before running: {estimate.describe()}", file=sys.stderr)

    async def go():
        try:
            with progress_sink(enabled=show_progress) as progress:
                return await run_pipeline(resume, job, level=level, router=router, settings=cfg,
                                          sinks=[*progress, *(sinks or [])], analyze_only=analyze_only,
                                          session_id=session_id, facts=facts)
        finally:
            if router is not None:
                await router.aclose()

    result = asyncio.run(go())
    if not result.providers:  # no router: only the chosen providers that are not set up
        result.providers = [{"name": sentence.split(" ", 1)[0], "healthy": False, "reason": sentence, "tasks_served": 0}
                            for sentence in _not_set_up(cfg, provider)]
    warn([p["reason"] for p in result.providers if not p["healthy"] and p["reason"] and "not set up" not in p["reason"]])
    if router is not None:  # who served what, and why tasks fell back (the same sentence the TUI shows)
        from resume_tui.pipeline.run.summary import served_summary

        served = served_summary(result.tasks)
        if served:
            print(f"resume-tui: {display_safe(served)}", file=sys.stderr)
    if result.budget_exceeded:
        raise BudgetExceeded(
            (result.error or "The session's token or cost cap was reached")
            + "; finished work was kept. Raise budget.max_usd / budget.max_tokens in the config or use --provider offline."
        )
    if result.status == "cancelled":
        raise Cancelled("cancelled; nothing was written.")
    if result.status == "failed" or result.report is None:
        raise NoProviderError(result.error or "The run failed and no provider, offline included, could finish it.")
    return result


def _not_set_up(cfg: Settings, provider: str | None) -> list[str]:
    """Sentences for chosen providers that cannot be tried (`--provider` itself already failed if so)."""
    from resume_tui.providers.catalog import not_set_up

    if provider == "offline":
        return []
    return list(not_set_up(cfg, [n for n in cfg.chain() if n != provider]).values())
