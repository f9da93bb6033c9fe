"""A loaded posting → the JobDescription the analysis uses, or a refusal when it is too short.

Shared by the CLI and the Job screen so both stop the same way, before any analysis or
model call, when a posting names no requirement: scoring such a posting would show
"0/100 · no unmatched requirements", which tells the user nothing true.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from resume_tui.errors import InputError
from resume_tui.models import JobDescription, Resume

if TYPE_CHECKING:
    from resume_tui.documents.postings import Posting


def job_from_posting(posting: Posting, resume: Resume | None = None, *, where: str = "the posting") -> JobDescription:
    """Parse the posting's text; keep the title and company the source states; add pair warnings."""
    from resume_tui.analysis.checks import with_pair_warnings
    from resume_tui.analysis.requirements import parse_job_description

    job = parse_job_description(posting.text, source_format=posting.source_format, source_path=posting.source_path,
                                warnings=posting.warnings)
    update = {k: v for k, v in (("title", posting.title), ("company", posting.company)) if v}
    if update:
        job = job.model_copy(update=update)
    return with_pair_warnings(resume, job) if resume is not None else job


def too_short(job: JobDescription, where: str = "the posting") -> InputError | None:
    """The refusal for a posting with no requirement, or None when there is something to analyse."""
    if job.requirements:
        return None
    words = len(job.text.split())
    return InputError(
        f"The job description from {where} is too short to analyse: no requirement (a skill, duty or qualification) "
        f"was found in its {words} word{'s' if words != 1 else ''} — give the whole posting."
    )


def require_requirements(job: JobDescription, where: str = "the posting") -> JobDescription:
    refusal = too_short(job, where)
    if refusal is not None:
        raise refusal
    return job
