"""parse_job_description: the lines, clauses and cues together, plus title, company, priority
and category of each requirement.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from resume_tui.analysis.injection import contains_injection, find_injections
from resume_tui.analysis.lexicon import Lexicon, SkillHit, default_lexicon
from resume_tui.analysis.requirements.clauses import _Extractor, line_clauses, local_cue
from resume_tui.analysis.requirements.cues import (
    _ABOUT_CANDIDATE,
    _BOILER_PROSE,
    _BOILER_STRONG,
    _CRIT_CUE,
    _DEFAULT_PRIORITY,
    _DESC,
    _LOGISTICS,
    _NICE_CUE,
    _PROSE_CUE,
    _REQ,
    _RESP,
    _SOFT_WORDS,
    _TRAINING_PROVIDED,
    _kind_of,
)
from resume_tui.analysis.requirements.degrees import find_years
from resume_tui.analysis.requirements.lines import _HEADING_WORDS, _SLUG, _Line, _split_front_matter, _to_lines
from resume_tui.errors import InputError
from resume_tui.models import JobDescription, Priority, Requirement, RequirementCategory, SourceFormat
from resume_tui.textsafe import clean_text, describe_removed


def _title_company(meta: dict[str, str], lines: list[_Line]) -> tuple[str | None, str | None]:
    """Front matter, "Title: …"/"Company: …" labels, the first heading ("X — Y", "X at Y"), or a sentence."""
    title = meta.get("position") or meta.get("job_title") or meta.get("jobtitle") or None
    company = meta.get("company") or meta.get("companyname") or meta.get("employer") or meta.get("organization") or None
    meta_title = meta.get("title")
    if meta_title and not re.search(r"job openings?|apply|careers?|hiring", meta_title, re.I):
        t, c = _split_title(meta_title)
        title = title or t
        company = company or c
    for line in lines[:12]:
        m = re.match(r"^(?:job title|title|position|role|puesto(?: de trabajo)?|cargo|poste|stelle|vacancy)\s*:\s*(.+)$", line.text, re.I)
        if m and not title:
            title = m.group(1).strip()
        m = re.match(r"^(?:company|employer|organi[sz]ation|empresa|entreprise|unternehmen)\s*:\s*(.+)$", line.text, re.I)
        if m and not company:
            company = m.group(1).strip()
    if not title:
        for i, line in enumerate(lines[:6]):
            text = line.text.strip()
            if line.bullet:
                continue
            if _SLUG.match(text) or _HEADING_WORDS.match(text.rstrip(":")) or len(text.split()) > 12 or text.endswith("?"):
                continue
            if not (line.heading or i == 0 or (i <= 2 and not re.search(r"[.!?]$", text))):
                continue
            if re.search(r"[.!?]$", text) and not line.heading:
                continue
            title, c = _split_title(text)
            company = company or c
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if (  # "ACME CORP" / "Senior Accountant": a company line above the job title
                not c
                and not _JOB_WORD.search(text)
                and nxt is not None
                and not nxt.bullet
                and len(nxt.text.split()) <= 8
                and _JOB_WORD.search(nxt.text)
                and not re.search(r"[.!?]$", nxt.text)
            ):
                company = company or text
                title, c = _split_title(nxt.text)
                company = c or company
                break
            if line.heading and line.level and not company:
                nxt = lines[i + 1] if i + 1 < len(lines) else None
                if (
                    nxt is not None
                    and nxt.heading
                    and len(nxt.text.split()) <= 5
                    and _kind_of(nxt.text) == _DESC
                    and not re.search(r"remote|hybrid|on-?site|\d", nxt.text, re.I)
                ):
                    company = nxt.text.strip()
            break
    if not title:
        for line in lines:
            m = re.search(
                r"\b(?:seeking|hiring|looking for)\s+(?:an?|the)\s+((?:[A-Z][\w&/-]*\s?){1,5})|"
                r"\b(?:[Tt]he|[Oo]ur|[Aa]n?)\s+((?:[A-Z][\w&/-]*\s){1,4})(?:role|position)\b",
                line.text,
            )
            if m:
                title = (m.group(1) or m.group(2)).strip()
                break
    return (title or None), (company or None)


_JOB_WORD = re.compile(
    r"\b(?:engineer|developer|programmer|architect|manager|director|lead|head|officer|analyst|scientist|"
    r"accountant|bookkeeper|controller|auditor|nurse|physician|therapist|technician|teacher|tutor|instructor|"
    r"professor|designer|specialist|coordinator|assistant|associate|administrator|consultant|representative|"
    r"executive|intern|clerk|receptionist|recruiter|advisor|agent|planner|supervisor|operator|writer|editor|"
    r"marketer|strategist|desarrollador|ingeniero|enfermer[oa]|profesor|entwickler|ingenieur)s?\b",
    re.I,
)


def _split_title(text: str) -> tuple[str, str | None]:
    text = text.strip().strip("#").strip()
    for sep in (" — ", " – ", " | ", " @ ", " at "):
        if sep in text:
            left, right = text.split(sep, 1)
            if left.strip() and right.strip() and len(right.split()) <= 6:
                return left.strip(), right.strip()
    return text, None


def _priority_for(text: str, default: Priority) -> Priority:
    """A cue sets the priority of the whole line unless it sits in a later clause of its own."""
    nice = _NICE_CUE.search(text)
    if nice and not local_cue(text, nice):
        return Priority.NICE_TO_HAVE
    crit = _CRIT_CUE.search(text)
    if crit and not local_cue(text, crit):
        return Priority.CRITICAL
    return default


def _not_a_requirement(text: str, title: str | None) -> bool:
    """Boilerplate, an instruction to a model, the title again, logistics ("Full-time"), or an offer
    ("Flint will provide training …" is what the employer gives, not what the candidate needs)."""
    return (
        contains_injection(text)
        or bool(_BOILER_STRONG.search(text))
        or bool(title and text.rstrip(".") == title)
        or bool(_LOGISTICS.match(text))
        or bool(_TRAINING_PROVIDED.search(text))
    )


def _category_for(text: str, hits: list[SkillHit], years: float | None, degree: str | None, kind: str) -> RequirementCategory:
    if degree:
        return RequirementCategory.EDUCATION
    if years is not None:
        return RequirementCategory.EXPERIENCE
    cats = [h.category for h in hits]
    technical = any(c in ("technical_skill", "tool") for c in cats)
    if kind == _RESP and not re.match(r"^(?:strong|solid|excellent|proficien|experience|knowledge)", text, re.I):
        return RequirementCategory.RESPONSIBILITY
    if re.search(r"\b(?:licen[cs]e[ds]?|certifications?|certified|certificates?)\b", text, re.I):
        return RequirementCategory.EDUCATION
    if technical:
        return RequirementCategory.TECHNICAL_SKILL
    if "certification" in cats:
        return RequirementCategory.EDUCATION
    if "soft_skill" in cats and "domain" not in cats:
        return RequirementCategory.SOFT_SKILL
    if "domain" in cats:
        return RequirementCategory.DOMAIN
    if "soft_skill" in cats:
        return RequirementCategory.SOFT_SKILL
    if re.search(r"\bexperience\b", text, re.I):
        return RequirementCategory.EXPERIENCE
    if _SOFT_WORDS.search(text):
        return RequirementCategory.SOFT_SKILL
    if kind in (_RESP, _DESC):
        return RequirementCategory.RESPONSIBILITY
    return RequirementCategory.DOMAIN


# Bounds that keep parsing (and every later step, which is per requirement) linear and short.
MAX_POSTING_CHARS = 200_000
MAX_REQUIREMENTS = 300


def parse_job_description(
    text: str,
    *,
    source_format: SourceFormat = SourceFormat.TEXT,
    source_path: str | None = None,
    warnings: Sequence[str] = (),
    lexicon: Lexicon | None = None,
) -> JobDescription:
    """Parse a posting into a JobDescription with requirements r1, r2, … in JD order."""
    if text is None or not text.strip():
        raise InputError("The job description is empty: paste or load the text of the posting and try again.")
    text, removed = clean_text(text)  # pasted or fetched text may carry terminal escape sequences
    notes = list(warnings) + ([note] if (note := describe_removed(removed, "the job description")) else [])
    if len(text) > MAX_POSTING_CHARS:
        # A real posting is under 30 KB; past this every step would only burn time on noise.
        notes.append(
            f"The job description is {len(text) / 1e6:.1f} million characters; only its first "
            f"{MAX_POSTING_CHARS // 1000}k characters were read — paste just the posting."
        )
        text = text[:MAX_POSTING_CHARS]
    lex = lexicon or default_lexicon()
    from resume_tui.documents.quality import guess_language

    meta, body = _split_front_matter(text)
    injections = find_injections(text)
    lines = _to_lines(body)
    title, company = _title_company(meta, lines)

    clauses = line_clauses(lines, title)
    extractor = _Extractor(lex)
    requirements: list[Requirement] = []
    seen: set[str] = set()
    for clause in clauses:
        if len(requirements) >= MAX_REQUIREMENTS:
            notes.append(f"Only the first {MAX_REQUIREMENTS} requirements of the job description were kept.")
            break
        quote = clause.text.strip()
        if len(quote) < 3 or quote.lower() in seen or _not_a_requirement(quote, title):
            continue
        hits, years, degrees = extractor._signals(quote)
        signal = bool(hits) or years is not None or bool(degrees)
        if clause.prose:
            if not signal or not _PROSE_CUE.search(quote) or _BOILER_PROSE.search(quote):
                continue
            if clause.kind == _DESC and not _ABOUT_CANDIDATE.search(quote.replace("’", "'")):
                continue
        elif not signal and len(quote.split()) < 3:
            continue
        default = _DEFAULT_PRIORITY.get(clause.kind, Priority.IMPORTANT)
        if years is None and clause.kind == _REQ and re.search(r"\byears?\b", quote, re.I):
            years = find_years(quote, experience_context=True)
        degree = degrees[0] if degrees else None
        keywords: list[str] = []
        for h in hits:
            if h.canonical not in keywords:
                keywords.append(h.canonical)
        seen.add(quote.lower())
        requirements.append(
            Requirement(
                id=f"r{len(requirements) + 1}",
                text=quote,
                category=_category_for(quote, hits, years, degree, clause.kind),
                priority=_priority_for(quote, default),
                keywords=keywords,
                years=years,
                degree=degree,
            )
        )

    out_warnings = notes
    if not requirements:
        out_warnings.append(
            "No requirements were found in the job description; check that it is the full posting with its "
            "responsibilities and qualifications."
        )
    return JobDescription(
        text=text,
        title=title,
        company=company,
        requirements=requirements,
        language=guess_language(text),
        source_format=source_format,
        source_path=source_path,
        warnings=out_warnings,
        injection_attempts=injections,
    )
