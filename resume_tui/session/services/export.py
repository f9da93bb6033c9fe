"""Step 5: the tailored resume, the files an export would write, writing them, auditing them.

Shared by the export screen and `resume-tui tailor`: the same apply, the same plan, the
same verified write and the same audit rows, so a file written from either path is
accounted for the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resume_tui.errors import InputError
from resume_tui.models import Change, JobDescription, Resume

if TYPE_CHECKING:
    from resume_tui.documents.verify import ExportOutcome


def tailored_resume(resume: Resume, accepted: Sequence[Change], job: JobDescription | None, facts: list[str]) -> Resume:
    """The resume with exactly the accepted changes applied."""
    from resume_tui.analysis.apply import apply_changes

    return apply_changes(resume, list(accepted), job=job, user_facts=facts)


def default_stem(resume: Resume | None) -> str:
    name = (resume.contact.name if resume else None) or "resume"
    return "-".join(name.lower().split()) + "-tailored"


def plan_export(
    directory: str | Path, stem: str, formats: Sequence[str], resume: Resume | None, tailored: Any
) -> list[Any]:
    """The exact files an export would write (exact sizes: rendered in memory, not written).

    `tailored` is called only once the destination is known to be usable.
    """
    from resume_tui.documents.export import plan_writes

    if not formats:
        raise InputError("Pick at least one format to export.")
    stem = stem.strip()
    if not stem or "/" in stem or "\\" in stem:
        raise InputError("Give the file name without a folder or extension, e.g. maya-tailored.")
    folder = Path(str(directory).strip() or ".").expanduser()
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is a file, not a folder; pick a folder to export into.")
    if resume is None:
        raise InputError("Import a resume first; there is nothing to export yet.")
    outputs = [folder / f"{stem}.{fmt}" for fmt in formats]
    return plan_writes(outputs, source_path=resume.source_path, tailored=tailored(), original=resume)


def write_files(planned: Sequence[Any], tailored: Resume, original: Resume, accepted: Sequence[Change]) -> list[ExportOutcome]:
    """Write exactly the approved plan, then verify each file by parsing it back (disk only: safe in a thread)."""
    from resume_tui.documents.verify import write_verified

    return write_verified(planned, tailored, original, list(accepted))


def approval_subject(plans: Sequence[Any]) -> list[dict[str, Any]]:
    """What an approval covered, as the audit log keeps it."""
    return [{"path": str(p.path), "format": p.format, "overwrites": bool(p.overwrites)} for p in plans]


def record_write(
    store: Any,
    session_id: str,
    outcome: ExportOutcome,
    *,
    who: str,
    approval_id: int | Future[Any] | None,
    run_id: str | None = None,
) -> None:
    """One audit row per written file: path, hash, size, format, who approved, created or overwritten.

    Through the TUI's store thread the approval id is a Future, settled by then (same thread, earlier job)."""
    if isinstance(approval_id, Future):
        try:
            approval_id = approval_id.result()
        except Exception:  # noqa: BLE001 - the approval row failed; still account for the write
            approval_id = None
    store.record_file_write(
        session_id,
        path=outcome.path,
        sha256=outcome.sha256,
        bytes=outcome.bytes,
        format=outcome.format,
        who=who,
        action="overwrite" if outcome.overwrote else "create",
        approval_id=approval_id,
        run_id=run_id,
    )
