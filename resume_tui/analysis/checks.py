"""Checks on the pair (resume, job description) that deserve a warning before analysis."""

from __future__ import annotations

from resume_tui.models import JobDescription, Resume

LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "sv": "Swedish", "da": "Danish",
    "no": "Norwegian", "fi": "Finnish", "tr": "Turkish", "ru": "Russian", "cs": "Czech",
}


def with_pair_warnings(resume: Resume, job: JobDescription) -> JobDescription:
    """The job with `input_warnings` added to its own warnings (once each): what the CLI and TUI show."""
    extra = [w for w in input_warnings(resume, job) if w not in job.warnings]
    return job.model_copy(update={"warnings": [*job.warnings, *extra]}) if extra else job


def input_warnings(resume: Resume, job: JobDescription) -> list[str]:
    """Plain-language warnings about the pair: language mismatch, instructions hidden in the JD."""
    from resume_tui.documents.quality import guess_language

    warnings: list[str] = []
    resume_lang = guess_language(resume.full_text())
    job_lang = job.language or guess_language(job.text)
    if resume_lang and job_lang and resume_lang != job_lang:
        warnings.append(
            f"The job description looks {LANGUAGE_NAMES.get(job_lang, job_lang)} but your resume looks "
            f"{LANGUAGE_NAMES.get(resume_lang, resume_lang)}; matching works best in one language, "
            "so consider a resume in the posting's language."
        )
    if job.injection_attempts:
        sample = job.injection_attempts[0]
        sample = sample if len(sample) <= 80 else sample[:77] + "…"
        warnings.append(
            f"The job description contains {len(job.injection_attempts)} sentence(s) that read like instructions "
            f"to an AI (e.g. \"{sample}\"); they are treated as plain text and ignored."
        )
    return warnings
