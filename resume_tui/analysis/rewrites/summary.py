"""A summary line made only of what the resume already says: its own title and years, and the skills the
posting asks for that some item evidences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from resume_tui.analysis.evidence import stem
from resume_tui.analysis.facts import ROLE_NOUNS, FactKind, extract_facts, skill_hits
from resume_tui.analysis.guard import LENGTH_RANGE, NEW_SUMMARY_SECTION
from resume_tui.analysis.names import same_referent
from resume_tui.analysis.rewrites.context import _Context, _req_order
from resume_tui.models import (
    Change,
    ChangeAction,
    CustomizationLevel,
    ItemKind,
    MatchStatus,
    Resume,
    Section,
    SectionKind,
)

_MAX_SUMMARY_SKILLS = 6


@dataclass
class _Strengths:
    title: str | None
    title_item: str | None
    years: str | None
    years_item: str | None
    skills: list[tuple[str, str, str]]  # (surface to write, canonical key, item id that evidences it)
    requirement_ids: list[str]


def _strengths(ctx: _Context) -> _Strengths:
    resume = ctx.resume
    title = title_item = None
    for section in resume.sections:
        if section.kind is not SectionKind.EXPERIENCE:
            continue
        for item in section.items:
            if item.kind is ItemKind.ROLE:
                found = [f for f in extract_facts(item.text) if f.kind is FactKind.TITLE]
                if found:
                    title, title_item = found[0].surface.strip(), item.id
                break
        if title:
            break
    years = years_item = None
    for item in resume.items():
        facts = extract_facts(item.text)
        found = [f for f in facts if f.kind is FactKind.YEARS_EXP]
        if found and re.search(r"experience|professional|career", item.text, re.I):
            years, years_item = found[0].surface.strip(), item.id
            # The title stated together with the years is the literal claim ("Backend engineer with 6 years").
            own_title = [f for f in facts if f.kind is FactKind.TITLE and f.start < found[0].start]
            if own_title:
                title, title_item = own_title[0].surface.strip(), item.id
                title = title[0].upper() + title[1:]
            break
    # Skills: those the posting asks for that some item evidences, most important requirement first.
    matched = {m.requirement_id for m in ctx.report.matches if m.status is not MatchStatus.MISSING}
    requirements = sorted(ctx.report.requirements or ctx.job.requirements,
                          key=lambda r: (-ctx.req_weight.get(r.id, 1.0), _req_order(r.id)))
    where: dict[str, str] = {}
    for section in resume.sections:  # experience first: a skill used beats a skill listed
        if section.kind is SectionKind.EXPERIENCE:
            for item in section.items:
                if item.kind is not ItemKind.ROLE:  # a role heading's words are a title, not a skill
                    for h in ctx.item_hits.get(item.id, []):
                        where.setdefault(h.canonical.lower(), item.id)
    for item in resume.items():
        if item.kind is not ItemKind.ROLE:
            for h in ctx.item_hits.get(item.id, []):
                where.setdefault(h.canonical.lower(), item.id)
    skills: list[tuple[str, str, str]] = []
    reqs: list[str] = []
    for req in requirements:
        if ctx.report.matches and req.id not in matched:
            continue
        keys = [k.lower() for k in req.keywords] or [h.canonical.lower() for h in skill_hits(req.text)]
        for key in keys:
            if key in where and all(key != s[1] for s in skills) and len(skills) < _MAX_SUMMARY_SKILLS:
                hit = next(h for h in ctx.item_hits[where[key]] if h.canonical.lower() == key)
                source = resume.item(where[key])
                if hit.surface.split()[-1].lower() in ROLE_NOUNS or _is_degree(hit, source.text if source else ""):
                    continue  # "Backend engineer" is a title and "Bachelor of Science" a degree, not skills
                named = hit.canonical != hit.canonical.lower() and getattr(hit, "category", "") not in {"domain", "soft_skill"}
                wanted = ctx.jd_surface.get(key)
                if named:
                    surface = wanted if wanted and same_referent(hit.surface, wanted) else hit.surface
                elif wanted and same_stems(hit.surface, wanted) and getattr(hit, "category", "") != "soft_skill" \
                        and wanted.split()[-1].lower().strip(".") not in ROLE_NOUNS:
                    surface = wanted  # a concept in the posting's own word form ("reports" for "reporting")
                else:
                    surface = hit.surface
                if " " not in surface and surface.islower() and surface != wanted:
                    continue  # a lone common word the posting does not use ("training") reads badly as a strength
                skills.append((surface, key, where[key]))
                if req.id not in reqs:
                    reqs.append(req.id)
        if years and req.years is not None and req.id not in reqs:  # a matched years-of-experience requirement
            reqs.append(req.id)
    return _Strengths(title, title_item, years, years_item, skills, reqs)


def same_stems(a: str, b: str) -> bool:
    """Word forms of one phrase: "reporting" / "reports", "automated testing" / "automation testing"."""
    wa, wb = re.findall(r"[a-z]+", a.lower()), re.findall(r"[a-z]+", b.lower())
    return len(wa) == len(wb) > 0 and all(stem(x)[:5] == stem(y)[:5] and x[:3] == y[:3] for x, y in zip(wa, wb, strict=True))


def _is_degree(hit, text: str) -> bool:
    return any(f.kind is FactKind.DEGREE and f.start < hit.end and hit.start < f.end for f in extract_facts(text))


def _lead_sentence(st: _Strengths) -> str | None:
    """"Backend engineer with 6 years of experience." — only the title and years the resume states."""
    if not st.title and not st.years:
        return None
    lead = st.title or "Professional"
    if st.years:
        years = st.years if re.search(r"experience", st.years, re.I) else f"{st.years} of experience"
        return f"{lead} with {years}."
    return f"{lead}."


def _skills_sentence(skills: list[str]) -> str | None:
    if not skills:
        return None
    listed = skills[0] if len(skills) == 1 else ", ".join(skills[:-1]) + " and " + skills[-1]
    return f"Skills relevant to this role: {listed}."


def _summary_sentence(st: _Strengths, n_skills: int) -> str | None:
    skills = _skills_sentence([s[0] for s in st.skills[:n_skills]])
    if skills is None:
        return None
    return " ".join(p for p in (_lead_sentence(st), skills) if p)


def _summary_evidence(st: _Strengths, n_skills: int) -> list[str]:
    ids = [st.title_item, st.years_item, *(s[2] for s in st.skills[:n_skills])]
    return list(dict.fromkeys(i for i in ids if i))


def _in_english(resume: Resume) -> bool:
    """The offline engine writes its summary lines in English ("Skills relevant to this role: …").
    In a resume written in another language such a line reads as pasted in from elsewhere, so none
    is written there; reorders and the resume's own words are language-neutral and still offered."""
    from resume_tui.documents.quality import guess_language

    return guess_language(resume.full_text()) in (None, "en")


def _summary_change(
    ctx: _Context, section: Section, level: CustomizationLevel, edited: dict[str | None, str]
) -> Change | None:
    if not section.items or not _in_english(ctx.resume):
        return None
    st = _strengths(ctx)
    original_len = sum(len(i.text) for i in section.items)
    if level is CustomizationLevel.MODERATE:
        # Append one line of strengths, unless the summary already names them all.
        text = "\n".join(edited.get(i.id, i.text) for i in section.items).lower()
        fresh = [s for s in st.skills if s[0].lower() not in text]
        if not fresh:
            return None
        for n in range(len(st.skills), 1, -1):
            skills = [s[0] for s in st.skills[:n]]
            line = "Relevant strengths: " + ", ".join(skills) + "."
            if len(line) <= original_len:
                last = section.items[-1]
                return Change(
                    id=f"{section.id}-summary", section_id=section.id, item_id=last.id, action=ChangeAction.INSERT,
                    after=line,
                    rationale="Adds a line naming the strengths the posting asks for that your resume already shows.",
                    requirement_ids=sorted(st.requirement_ids, key=_req_order),
                    evidence_item_ids=list(dict.fromkeys(s[2] for s in st.skills[:n])),
                    source="offline",
                )
        return None
    # Extensive: open with the stated title and years, then the evidenced skills the summary does not name yet,
    # keeping every original sentence word for word (the years stay attached to what the resume says they cover).
    first = section.items[0]
    current = edited.get(first.id, first.text)
    sentences = _sentences(current)
    lowered = current.lower()
    fresh = [sk for sk in st.skills if sk[0].lower() not in lowered and sk[1] not in lowered]
    states_lead = any(_restates(x, st) for x in sentences)
    lead = None if states_lead else _lead_sentence(st)
    others = original_len - len(first.text)
    for n in range(len(fresh), 0, -1):  # no evidenced skill to add: leave the summary alone
        sentence = _skills_sentence([sk[0] for sk in fresh[:n]])
        parts = ([lead] if lead else []) + sentences[:1] + ([sentence] if sentence else []) + sentences[1:]
        text = " ".join(parts).strip()
        ratio = len(text) / max(1, len(first.text))
        if text == first.text or not LENGTH_RANGE[0] <= ratio <= LENGTH_RANGE[1]:
            continue
        if len(text) + others > LENGTH_RANGE[1] * original_len:
            continue
        cited = list(dict.fromkeys([first.id, *(i for i in (st.title_item, st.years_item) if lead and i),
                                    *(sk[2] for sk in fresh[:n])]))
        used = [sk[0] for sk in fresh[:n]]
        reqs = [r for r in st.requirement_ids if lead or any(r in ctx.skill_reqs.get(sk[1], []) for sk in fresh[:n])]
        return Change(
            id=f"{section.id}-summary", section_id=section.id, item_id=first.id, action=ChangeAction.REPLACE,
            before=first.text, after=text,
            rationale="Adds to your summary the strengths the posting asks for, built only from your resume"
            + (f": skills {', '.join(used)}" if used else "") + (" and your stated title and years" if lead else "")
            + "; your own sentences are kept as written.",
            requirement_ids=sorted(reqs or st.requirement_ids, key=_req_order),
            evidence_item_ids=cited,
            source="offline",
        )
    return None


def _missing_summary(ctx: _Context, level: CustomizationLevel, *, for_section: str | None) -> list[Change]:
    """Extensive level on a resume without a summary: create one (from the first section's task only)."""
    resume = ctx.resume
    if level is not CustomizationLevel.EXTENSIVE or not resume.sections or for_section != resume.sections[0].id:
        return []
    if any(s.kind is SectionKind.SUMMARY for s in resume.sections) or not _in_english(resume):
        return []
    st = _strengths(ctx)
    n = min(len(st.skills), _MAX_SUMMARY_SKILLS)
    sentence = _summary_sentence(st, n)
    if sentence is None:
        return []
    return [Change(
        id="summary-new", section_id=NEW_SUMMARY_SECTION, action=ChangeAction.INSERT, after=sentence,
        rationale="Your resume has no summary; this one is built only from what it already says: "
        + _strength_words(st, n) + ".",
        requirement_ids=sorted(st.requirement_ids, key=_req_order),
        evidence_item_ids=_summary_evidence(st, n),
        source="offline",
    )]


def _strength_words(st: _Strengths, n: int) -> str:
    bits = []
    if st.title:
        bits.append(f"your title '{st.title}'")
    if st.years:
        bits.append(f"'{st.years}'")
    bits.append("skills " + ", ".join(s[0] for s in st.skills[:n]))
    return ", ".join(bits)


def _restates(sentence: str, st: _Strengths) -> bool:
    """A sentence that states a title or years the new opening already states would repeat it."""
    kinds = {f.kind for f in extract_facts(sentence)}
    return (FactKind.YEARS_EXP in kinds and st.years is not None) or (FactKind.TITLE in kinds and st.title is not None)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if s.strip()]


# --------------------------------------------------------------------------- helpers

