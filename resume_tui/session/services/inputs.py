"""Step 1–2 inputs: a resume, a posting, a declared fact, the settings a session chose.

Every bad input becomes one InputError sentence saying what is wrong and what to do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from resume_tui.config import ProviderSettings, Settings
from resume_tui.errors import InputError
from resume_tui.models import JobDescription, Resume, SessionSettings, SourceFormat

MAX_FACT_CHARS = 300


def user_path(raw: str | Path, *, what: str) -> Path:
    """Turn what the user typed into a file path, or say plainly why it is not one."""
    text = str(raw).strip().strip("'\"")
    if not text:
        raise InputError(f"Type the path of the {what} file, or pick it in the tree.")
    path = Path(text).expanduser()
    if not path.exists():
        raise InputError(f"{path} does not exist; check the path (→ completes names as you type).")
    if path.is_dir():
        raise InputError(f"{path} is a folder; pick a file inside it.")
    return path


def read_resume(path: str | Path, *, max_bytes: int) -> Resume:
    """Parse a resume file (touches no state: safe in a thread)."""
    from resume_tui.documents.ingest import load_resume

    return load_resume(user_path(path, what="resume"), max_bytes=max_bytes)


def read_resume_text(text: str) -> Resume:
    from resume_tui.documents.ingest import parse_resume_text

    if not text.strip():
        raise InputError("The pasted resume is empty; paste its text or pick a file.")
    return parse_resume_text(text)


def check_resume(resume: Resume) -> None:
    if not any(section.items for section in resume.sections):
        # A header line alone (or an image saved as text) must not replace a real resume.
        raise InputError("No resume content was found beyond a header line; pick another file or paste the text.")


def preview_job(text: str, resume: Resume | None, extracted: Any = None) -> JobDescription:
    """The posting parsed, with the same pair warnings the CLI prints (language, hidden instructions)."""
    from resume_tui.analysis.checks import with_pair_warnings
    from resume_tui.analysis.requirements import parse_job_description

    if extracted is not None:
        job = parse_job_description(text, source_format=extracted.source_format, warnings=tuple(extracted.warnings))
    else:
        job = parse_job_description(text, source_format=SourceFormat.TEXT)
    return with_pair_warnings(resume, job) if resume is not None else job


def check_job(resume: Resume | None, job: JobDescription) -> None:
    if resume is None:
        raise InputError("Import a resume first (step 1), then the job description.")
    if not job.text.strip():
        raise InputError("The job description is empty; paste it or load it from a file.")


def clean_fact(text: str) -> str:
    """A declared fact as one short sentence, or the reason it is not one."""
    text = " ".join(text.split())
    if not text:
        raise InputError("Type the fact in one short sentence, e.g. “I have used Rust in production since 2022”.")
    if len(text) > MAX_FACT_CHARS:
        raise InputError(f"Keep the fact under {MAX_FACT_CHARS} characters: one sentence saying what is true.")
    return text


def merge_session_settings(cfg: Settings, chosen: SessionSettings) -> Settings:
    """Fold the session's choices into the run settings; what the session did not choose
    (None) keeps the config's value, so a fresh session runs exactly as configured."""
    budget = cfg.budget.model_copy(update={
        "max_usd": cfg.budget.max_usd if chosen.max_usd is None else chosen.max_usd,
        "max_tokens": cfg.budget.max_tokens if chosen.max_tokens is None else chosen.max_tokens,
    })
    provider = chosen.provider or cfg.provider
    update: dict[str, Any] = {
        "provider": provider,
        "level": chosen.level.value if chosen.level is not None else cfg.level,
        "budget": budget,
        "auto_approve": cfg.auto_approve if chosen.auto_approve is None else chosen.auto_approve,
    }
    model = chosen.model
    if model:
        providers = dict(cfg.providers)
        providers[provider] = (providers.get(provider) or ProviderSettings()).model_copy(update={"model": model})
        update["providers"] = providers
    return cfg.model_copy(update=update)
