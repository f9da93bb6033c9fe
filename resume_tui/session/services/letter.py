"""The cover letter as a service: compose it (model or offline), plan its files, write and verify them.

Shared by `resume-tui letter` and the TUI's Letter screen, so a letter written from either path is
planned, approved, verified and audited the same way as a tailored resume (it is laid out as a
document and goes through the same exporters and the same all-or-nothing verified write).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from resume_tui.analysis.letter import Letter, Tone, letter_document
from resume_tui.errors import InputError
from resume_tui.models import GapReport, JobDescription, Resume

if TYPE_CHECKING:
    from resume_tui.documents.verify import ExportOutcome
    from resume_tui.pipeline.letter import LetterResult

LETTER_FORMATS = ("docx", "pdf", "md", "txt", "html")


def report_for(resume: Resume, job: JobDescription, facts: Sequence[str] = ()) -> GapReport:
    """The deterministic gap report a letter is planned from (declared facts count as evidence)."""
    from resume_tui.analysis.engine import analyze

    return analyze(resume, job, facts=list(facts))


async def compose(resume: Resume, job: JobDescription, report: GapReport, *, tone: Tone, facts: Sequence[str] = (),
                  router: Any = None, settings: Any = None) -> LetterResult:
    from resume_tui.pipeline.letter import write_letter

    return await write_letter(resume, job, report, tone=tone, facts=facts, router=router, settings=settings)


def check_outputs(outputs: Sequence[str | os.PathLike[str]], resume: Resume, *, overwrite: bool = False) -> None:
    """Refuse a destination a letter cannot be written to, before any work: the format, the source
    file, a missing or unusable folder, an existing file without `overwrite`."""
    from resume_tui.documents.export import format_for_path, plan_writes

    for out in outputs:
        if format_for_path(out) not in LETTER_FORMATS:
            raise InputError(f"A letter is written as .docx, .pdf, .md, .txt or .html, not {out}.")
    for plan in plan_writes(list(outputs), source_path=resume.source_path):
        if plan.overwrites and not overwrite:
            raise InputError(f"{plan.path} already exists; pass --overwrite to replace it or choose another name.")


def plan_letter(outputs: Sequence[str | os.PathLike[str]], letter: Letter, resume: Resume) -> list[Any]:
    """The exact files the letter would be written to (sizes rendered in memory), for the approval."""
    from resume_tui.documents.export import format_for_path, plan_writes

    for out in outputs:
        if format_for_path(out) not in LETTER_FORMATS:
            raise InputError(f"A letter is written as .docx, .pdf, .md, .txt or .html, not {out}.")
    if not letter.paragraphs():
        raise InputError("The letter has no sentence that may be written; nothing to export.")
    document = letter_document(letter, resume)
    return plan_writes(list(outputs), source_path=resume.source_path, tailored=document, original=document)


def write_letter_files(planned: Sequence[Any], letter: Letter, resume: Resume) -> list[ExportOutcome]:
    """Write exactly the approved plan and read every file back (disk only: safe in a thread)."""
    from resume_tui.documents.verify import write_verified

    document = letter_document(letter, resume)
    return write_verified(planned, document, document.model_copy(update={"source_path": resume.source_path}), [])


def sentence_documents(letter: Letter) -> list[dict[str, Any]]:
    """The JSON form of each sentence: text, provenance and verdict."""
    return [
        {"id": s.id, "text": s.text, "part": s.part.value, "requirement_ids": s.requirement_ids,
         "evidence_item_ids": s.evidence_item_ids, "verdict": s.verdict.value, "reasons": s.reasons, "source": s.source}
        for para in letter.paragraphs() for s in para
    ]
