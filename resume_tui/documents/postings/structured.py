"""Structured postings → Markdown text the requirement parser reads like any posting.

- a schema.org `JobPosting` (JSON file or a page's JSON-LD),
- a JSON Resume job (`title, company, description, responsibilities[], qualifications[], skills[]`),
- Markdown with YAML front matter whose *values* hold the posting (`description_markdown:`,
  `responsibilities_markdown:`, `requirements_markdown:` …), not only its body.

Each field becomes a `## Heading` with its value as text or `- bullets`, so a field named
"qualifications" is read as requirements and "benefits" as boilerplate. YAML is read with
PyYAML's `safe_load` (no object construction); every flattening is bounded in size so an
alias bomb or a deep structure cannot blow up memory.
"""

from __future__ import annotations

import json
import re
from typing import Any

from resume_tui.documents.postings.markup import find_job_posting, html_to_text
from resume_tui.errors import InputError

MAX_TEXT = 200_000  # characters of composed text (the parser reads no more than this)
MAX_FRONT_MATTER = 256 * 1024

# JSON-LD / JSON Resume fields in reading order → heading ("" = no heading)
_JOB_FIELDS = (
    ("description", ""),
    ("responsibilities", "Responsibilities"),
    ("qualifications", "Qualifications"),
    ("skills", "Skills"),
    ("educationRequirements", "Education"),
    ("experienceRequirements", "Experience"),
    ("experience", "Experience"),
)
_TITLE_KEYS = ("title", "position", "job_title", "jobtitle", "role", "name")
_JOB_TITLE_KEYS = ("position", "job_title", "jobtitle", "role")  # "title" alone is often a blog post's
_COMPANY_KEYS = ("company", "company_name", "companyname", "hiring_organization", "hiringorganization", "organization",
                 "employer")
# front-matter keys that carry posting text (with a _markdown/_md/_html suffix or without)
_CONTENT_KEYS = {
    "description": "", "summary": "", "about": "About the role", "about_the_role": "About the role",
    "responsibilities": "Responsibilities", "duties": "Responsibilities", "tasks": "Responsibilities",
    "requirements": "Requirements", "qualifications": "Qualifications", "skills": "Skills",
    "must_have": "Requirements", "nice_to_have": "Nice to have", "preferred": "Preferred qualifications",
    "preferred_qualifications": "Preferred qualifications", "education": "Education", "experience": "Experience",
    "benefits": "Benefits", "perks": "Benefits", "how_to_apply": "How to apply",
}
_SUFFIX = re.compile(r"_(?:markdown|md|html|text)$")


class _Budget:
    def __init__(self, limit: int = MAX_TEXT) -> None:
        self.left = limit

    def take(self, text: str) -> str:
        text = text[: max(self.left, 0)]
        self.left -= len(text)
        return text


def _plain(value: Any, budget: _Budget, depth: int = 0) -> str:
    """A scalar or small structure as one line of text (names of objects, items joined)."""
    budget.left -= 1  # every node costs something, so a deep or aliased structure ends too
    if budget.left <= 0 or depth > 6:
        return ""
    if isinstance(value, str):
        return budget.take(html_to_text(value) if "<" in value else value.strip())
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        months = value.get("monthsOfExperience")
        if isinstance(months, (int, float)) and months > 0:
            years = months / 12
            return f"{years:g} years of experience" if years >= 1 else f"{months:g} months of experience"
        for key in ("credentialCategory", "name", "description", "value", "text"):
            if value.get(key):
                inner = _plain(value[key], budget, depth + 1)
                keywords = value.get("keywords")
                if isinstance(keywords, list) and keywords:
                    inner += ": " + ", ".join(filter(None, (_plain(k, budget, depth + 1) for k in keywords[:50])))
                return inner
        return ""
    if isinstance(value, list):
        return ", ".join(filter(None, (_plain(v, budget, depth + 1) for v in value[:200])))
    return ""


def _block(heading: str, value: Any, budget: _Budget) -> str:
    """A `## heading` and the value: text as is, a list as bullets."""
    if isinstance(value, list):
        items = [_plain(v, budget) for v in value[:300]]
        body = "\n".join(f"- {' '.join(i.split())}" for i in items if i.strip())
    else:
        body = _plain(value, budget)
    if not body.strip():
        return ""
    return f"## {heading}\n\n{body}" if heading else body


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("legalName")
    if isinstance(value, list) and value:
        return _name(value[0])
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _location(job: dict[str, Any]) -> str | None:
    places = job.get("jobLocation")
    parts: list[str] = []
    for place in (places if isinstance(places, list) else [places])[:5]:
        address = place.get("address") if isinstance(place, dict) else None
        if isinstance(address, str):
            parts.append(address)
        elif isinstance(address, dict):
            country = address.get("addressCountry")
            country = country.get("name") if isinstance(country, dict) else country
            bits = [address.get("addressLocality"), address.get("addressRegion"), country]
            parts.append(", ".join(b for b in bits if isinstance(b, str) and b.strip()))
    if isinstance(job.get("location"), (str, dict)):  # JSON Resume job
        loc = job["location"]
        parts.append(loc if isinstance(loc, str) else ", ".join(str(v) for v in loc.values() if isinstance(v, str)))
    remote = str(job.get("jobLocationType") or "").upper() == "TELECOMMUTE" or bool(job.get("remote"))
    text = "; ".join(p for p in parts if p)
    if remote:
        text = f"{text} (remote)" if text else "Remote"
    return text or None


def _compose(title: str | None, facts: list[str], blocks: list[str]) -> str:
    head = [f"# {title}"] if title else []
    if facts:
        head.append("\n".join(facts))
    return "\n\n".join([*head, *(b for b in blocks if b)]).strip() + "\n"


def job_posting_text(job: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """(text, title, company) of a schema.org JobPosting or a JSON Resume job."""
    budget = _Budget()
    title = _name(job.get("title")) or _name(job.get("name"))
    company = _name(job.get("hiringOrganization")) or _name(job.get("company"))
    facts = [f"Company: {company}"] if company else []
    if location := _location(job):
        facts.append(f"Location: {location}")
    employment = job.get("employmentType") or job.get("type")
    if employment := _plain(employment, budget):
        facts.append(f"Employment type: {employment.replace('_', ' ').lower()}")
    blocks: list[str] = []
    seen = ""
    for key, heading in _JOB_FIELDS:
        if key not in job:
            continue
        block = _block(heading, job[key], budget)
        body = " ".join(block.split("\n\n", 1)[-1].split()).lower()
        if block and body not in seen:  # pages often repeat the description's lists in these fields
            blocks.append(block)
            seen += " " + " ".join(block.split()).lower()
    return _compose(title, facts, blocks), title, company


def json_posting(text: str, *, where: str) -> tuple[str, str | None, str | None, str]:
    """(text, title, company, format label) of a JSON posting; InputError when it is not one."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"{where} is not valid JSON ({getattr(exc, 'msg', 'too deeply nested')}) — "
                         "fix it or save the posting as text.") from None
    objects = [d for d in (data if isinstance(data, list) else [data]) if isinstance(d, dict)]
    graph = [g for d in objects for g in (d.get("@graph") or []) if isinstance(g, dict)]
    job = find_job_posting(objects + graph)
    if job is not None:
        composed, title, company = job_posting_text(job)
        return composed, title, company, "JSON JobPosting"
    resume_job = next((d for d in objects if d.get("title") or d.get("position")), None)
    if resume_job is not None and any(k in resume_job for k in ("description", "responsibilities", "qualifications", "skills")):
        composed, title, company = job_posting_text(
            {**resume_job, "title": resume_job.get("title") or resume_job.get("position")})
        return composed, title, company, "JSON job"
    raise InputError(f"{where} is JSON but not a job posting — use a schema.org JobPosting or a JSON Resume job "
                     "(title, company, description, responsibilities, qualifications, skills).")


def split_front_matter(text: str) -> tuple[str, str] | None:
    """(YAML block, body) when the text opens with a `---` front matter block."""
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:])
    return None


def front_matter_posting(text: str, *, where: str) -> tuple[str, str | None, str | None, list[str]] | None:
    """(text, title, company, warnings) for Markdown with YAML front matter, None without one.

    The posting's fields come first (under headings named after their keys), then the body."""
    parts = split_front_matter(text)
    if parts is None:
        return None
    raw, body = parts
    if len(raw) > MAX_FRONT_MATTER:
        return body, None, None, [f"The front matter of {where} is over {MAX_FRONT_MATTER // 1024} KB and was skipped."]
    import yaml

    try:
        meta = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 2})" if mark is not None else ""
        return body, None, None, [f"The YAML front matter of {where} could not be read{line}; only the text after it was used."]
    except RecursionError:
        return body, None, None, [f"The YAML front matter of {where} is nested too deeply; only the text after it was used."]
    if not isinstance(meta, dict):
        return body, None, None, []
    lowered = {str(k).lower(): v for k, v in meta.items()}
    budget = _Budget()
    title = next((_plain(lowered[k], budget) for k in _TITLE_KEYS if isinstance(lowered.get(k), str)), None) or None
    company = next((_name(lowered[k]) for k in _COMPANY_KEYS if lowered.get(k)), None)
    blocks: list[str] = []
    for key, value in lowered.items():
        base = _SUFFIX.sub("", key)
        if base in _CONTENT_KEYS and (key != base or base != "description" or isinstance(value, (str, list))):
            blocks.append(_block(_CONTENT_KEYS[base], value, budget))
    if not any(blocks):
        # Only metadata up there (a blog post's layout, date, title): the text stays as written and
        # the parser reads the body; a job-specific key still names the job.
        job_title = next((_plain(lowered[k], budget) for k in _JOB_TITLE_KEYS if isinstance(lowered.get(k), str)), None)
        return text, job_title or None, company, []
    facts = [f"Company: {company}"] if company else []
    if isinstance(lowered.get("location"), str):
        facts.append(f"Location: {lowered['location']}")
    composed = _compose(title, facts, [*blocks, budget.take(body.strip())])
    return composed, title, company, []
