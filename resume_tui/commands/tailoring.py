"""One headless tailoring as a session, the CLI side: `propose` runs the session service
(session/services/proposal.py) with the printing headless run, and `ask_approval` is the prompt
between proposing and `write_approved` — one for `tailor`'s files, one for every file of a batch.
Nothing is written before that approval.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

from resume_tui.commands import common
from resume_tui.models import Change, CustomizationLevel, JobDescription, Resume
from resume_tui.session.services import proposal as proposal_service
from resume_tui.session.services.proposal import (  # noqa: F401 - re-exported: tailor, batch and letter use them
    Proposal,
    outcome_document,
    with_declared,
    write_approved,
)
from resume_tui.textsafe import display_safe as safe


def propose(store: Any, resume: Resume, job: JobDescription, *, cfg: Any, level: CustomizationLevel,
            provider: str | None, accept: str, facts: list[str], show_progress: bool,
            settings: dict[str, Any] | None = None, who_facts: str = "--fact", spent: Any = None,
            adjust: Callable[[list[Change], Any], list[Change]] | None = None) -> Proposal:
    """proposal.propose with the CLI's run (progress and estimate on stderr) and a linked posting's record."""
    from resume_tui.commands.posting_cache import session_settings

    def run(*a: Any, **kw: Any) -> Any:
        return common.run_headless(*a, **kw)  # looked up per call: tests replace it

    return proposal_service.propose(store, resume, job, run=run, cfg=cfg, level=level, provider=provider, accept=accept,
                                    facts=facts, show_progress=show_progress,
                                    settings={**session_settings(job), **(settings or {})}, who_facts=who_facts,
                                    spent=spent, adjust=adjust)


def ask_approval(yes: bool, plans: Sequence[Any], *, extra: Sequence[str] = ()) -> tuple[bool, str]:
    """(approved?, who): `--yes`, or an explicit y on a terminal to the list of every file; never without one."""
    if yes:
        return True, "--yes"
    if not (sys.stdin and sys.stdin.isatty() and sys.stderr.isatty()):
        return False, "no terminal"
    print("resume-tui will write:", file=sys.stderr)
    for plan in plans:
        note = " (overwrites)" if plan.overwrites else ""
        print(f"  {safe(plan.path)}  [{plan.format}, ~{size(plan.approx_bytes)}]{note}", file=sys.stderr)
    for line in extra:
        print(f"  {safe(line)}", file=sys.stderr)
    try:
        answer = input("Write these files? [y/N] ")
    except EOFError:
        return False, "user"
    return answer.strip().lower() in {"y", "yes"}, "user"


def size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} B"
