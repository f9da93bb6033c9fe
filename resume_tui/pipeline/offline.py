"""The deterministic engine each task falls back to, as one injectable object.

By default it calls the analysis layer; tests of orchestration can pass a lighter
engine with the same methods. Imports are lazy so that importing the pipeline stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from resume_tui.models import Change, CustomizationLevel, GapReport, JobDescription, Resume


class OfflineEngine(Protocol):
    def parse_job(self, job: JobDescription) -> JobDescription: ...

    def analyze(self, resume: Resume, job: JobDescription) -> GapReport: ...

    def section_changes(
        self, resume: Resume, section_id: str, job: JobDescription, report: GapReport, level: CustomizationLevel
    ) -> list[Change]: ...

    def guard(self, changes: Sequence[Change], original: Resume, job: JobDescription | None) -> list[Change]: ...
    # Engines may also take `user_facts=` on guard and apply (AnalysisEngine does): the declared facts.

    def apply(self, resume: Resume, changes: Sequence[Change], job: JobDescription | None = None) -> Resume: ...

    def score(self, resume: Resume, job: JobDescription) -> float: ...


class AnalysisEngine:
    """The real offline engine: analysis/ requirements, engine, rewrites, guard, apply, score."""

    def parse_job(self, job: JobDescription) -> JobDescription:
        from resume_tui.analysis.requirements import parse_job_description

        parsed = parse_job_description(
            job.text, source_format=job.source_format, source_path=job.source_path, warnings=tuple(job.warnings)
        )
        # Keep what the caller already knew (title typed by the user, detected language).
        update = {k: getattr(job, k) for k in ("title", "company", "language") if getattr(job, k)}
        return parsed.model_copy(update=update) if update else parsed

    def analyze(self, resume: Resume, job: JobDescription) -> GapReport:
        from resume_tui.analysis.engine import analyze

        return analyze(resume, job)

    def section_changes(
        self, resume: Resume, section_id: str, job: JobDescription, report: GapReport, level: CustomizationLevel
    ) -> list[Change]:
        from resume_tui.analysis.rewrites import propose_section_changes

        return propose_section_changes(resume, section_id, job, report, level)

    def guard(
        self, changes: Sequence[Change], original: Resume, job: JobDescription | None, user_facts: Sequence[str] = ()
    ) -> list[Change]:
        from resume_tui.analysis.guard import guard_changes

        return guard_changes(list(changes), original, job=job, user_facts=user_facts)

    def apply(
        self, resume: Resume, changes: Sequence[Change], job: JobDescription | None = None, user_facts: Sequence[str] = ()
    ) -> Resume:
        from resume_tui.analysis.apply import apply_changes

        return apply_changes(resume, changes, job=job, user_facts=user_facts)

    def score(self, resume: Resume, job: JobDescription) -> float:
        from resume_tui.analysis.score import score_resume

        return score_resume(resume, job)
