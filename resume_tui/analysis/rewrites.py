"""Offline, honest rewrites: only wording, order and a summary made of what the resume already says.

Three kinds of change, each carrying the requirements it serves and the items that prove it:
(a) terminology — use the posting's name for a skill the item already shows ("k8s" → "Kubernetes");
(b) order — skills and bullets most relevant to the posting first (bullets never leave their role);
(c) summary — a line built from evidenced strengths: the resume's own title, its stated years, its
skills that the posting asks for. Unmet requirements produce no text; they stay gaps for the user.
Every change goes through the guard before it is returned.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from resume_tui.analysis.facts import ROLE_NOUNS, FactKind, extract_facts, skill_hits
from resume_tui.analysis.guard import LENGTH_RANGE, NEW_SUMMARY_SECTION, guard_changes
from resume_tui.analysis.names import name_runs, same_referent, squash, tokens
from resume_tui.documents.segment.entries import detect_entries
from resume_tui.models import (
    PRIORITY_WEIGHT,
    Change,
    ChangeAction,
    CustomizationLevel,
    GapReport,
    Item,
    ItemKind,
    JobDescription,
    MatchStatus,
    Resume,
    Section,
    SectionKind,
)

_REORDERED_KINDS = {SectionKind.EXPERIENCE, SectionKind.PROJECTS, SectionKind.SKILLS, SectionKind.VOLUNTEERING}
_LIST_SEPARATORS = (", ", "; ", " | ", " · ", " • ")
_MAX_SUMMARY_SKILLS = 6
MIN_REORDER_CONFIDENCE = 0.6  # entries the parser is less sure of are never reordered inside


# --------------------------------------------------------------------------- public API


def propose_changes(
    resume: Resume, job: JobDescription, report: GapReport, level: CustomizationLevel
) -> list[Change]:
    """All offline changes for the resume, already guarded."""
    ctx = _Context.build(resume, job, report)
    changes: list[Change] = []
    for section in resume.sections:
        changes.extend(_section_changes(ctx, section, level))
    changes.extend(_missing_summary(ctx, level, for_section=resume.sections[0].id if resume.sections else None))
    return guard_changes(changes, resume, job=job)


def propose_section_changes(
    resume: Resume, section_id: str, job: JobDescription, report: GapReport, level: CustomizationLevel
) -> list[Change]:
    """The offline changes for one section (the pipeline's customize_<section> task), already guarded.

    A resume without a summary gets its new summary (extensive level) from the first section's call,
    so that the union over sections equals `propose_changes`.
    """
    section = resume.section(section_id)
    if section is None:
        return []
    ctx = _Context.build(resume, job, report)
    changes = _section_changes(ctx, section, level)
    changes.extend(_missing_summary(ctx, level, for_section=section_id))
    return guard_changes(changes, resume, job=job)


# --------------------------------------------------------------------------- context


@dataclass
class _Context:
    resume: Resume
    job: JobDescription
    report: GapReport
    jd_surface: dict[str, str] = field(default_factory=dict)  # canonical (lower) -> the posting's wording
    skill_weight: dict[str, float] = field(default_factory=dict)  # canonical (lower) -> max requirement weight
    skill_reqs: dict[str, list[str]] = field(default_factory=dict)  # canonical (lower) -> requirement ids
    req_weight: dict[str, float] = field(default_factory=dict)
    item_hits: dict[str, list] = field(default_factory=dict)  # item id -> lexicon hits

    @classmethod
    def build(cls, resume: Resume, job: JobDescription, report: GapReport) -> _Context:
        ctx = cls(resume=resume, job=job, report=report)
        requirements = report.requirements or job.requirements
        counts: dict[str, Counter[str]] = {}
        first_seen: dict[str, dict[str, int]] = {}
        for hit in skill_hits(job.text):
            if getattr(hit, "fuzzy", False):
                continue
            key = hit.canonical.lower()
            counts.setdefault(key, Counter())[hit.surface] += 1
            first_seen.setdefault(key, {}).setdefault(hit.surface, hit.start)
        for key, counter in counts.items():
            ctx.jd_surface[key] = min(counter, key=lambda s: (-counter[s], first_seen[key][s]))
        for req in requirements:
            weight = PRIORITY_WEIGHT.get(req.priority, 1.0)
            ctx.req_weight[req.id] = weight
            keys = {k.lower() for k in req.keywords} | {h.canonical.lower() for h in skill_hits(req.text)}
            for key in sorted(keys):
                ctx.skill_weight[key] = max(ctx.skill_weight.get(key, 0.0), weight)
                ctx.skill_reqs.setdefault(key, [])
                if req.id not in ctx.skill_reqs[key]:
                    ctx.skill_reqs[key].append(req.id)
        for item in resume.items():
            ctx.item_hits[item.id] = [h for h in skill_hits(item.text) if not getattr(h, "fuzzy", False)]
        return ctx

    def relevance(self, item: Item) -> float:
        """How much an item speaks to the posting: its evidence strength plus the weight of its skills."""
        score = sum(self.req_weight.get(e.requirement_id, 1.0) * e.strength
                    for e in self.report.evidence if e.item_id == item.id)
        keys = {h.canonical.lower() for h in self.item_hits.get(item.id, [])}
        return score + sum(self.skill_weight.get(k, 0.0) for k in keys)


# --------------------------------------------------------------------------- per section


def _section_changes(ctx: _Context, section: Section, level: CustomizationLevel) -> list[Change]:
    changes: list[Change] = []
    for item in section.items:
        if item.kind is ItemKind.ROLE or section.kind is SectionKind.EDUCATION:
            continue  # role headings and degree names are kept exactly as written
        change = _item_rewrite(ctx, section, item)
        if change is not None:
            changes.append(change)
    if section.kind in _REORDERED_KINDS:
        change = _reorder(ctx, section)
        if change is not None:
            changes.append(change)
    first_summary = next((s.id for s in ctx.resume.sections if s.kind is SectionKind.SUMMARY), None)
    if section.kind is SectionKind.SUMMARY and section.id == first_summary and level is not CustomizationLevel.LIGHT:
        edited = {c.item_id: c.after for c in changes if c.action is ChangeAction.REPLACE}
        summary = _summary_change(ctx, section, level, edited)
        if summary is not None:
            changes = [c for c in changes if not (summary.action is ChangeAction.REPLACE and c.item_id == summary.item_id)]
            changes.append(summary)
    return _within_length(section, changes)


def _item_rewrite(ctx: _Context, section: Section, item: Item) -> Change | None:
    """Terminology alignment, plus list reordering for skills lines, as one replace per item."""
    text, aligned, reqs = _align_terms(ctx, item)
    reordered = False
    if section.kind is SectionKind.SKILLS or _looks_like_list(item.text):
        new_text, moved = _reorder_list(ctx, text)
        if moved:
            reordered, text = True, new_text
            for h in skill_hits(new_text):
                for rid in ctx.skill_reqs.get(h.canonical.lower(), []):
                    if rid not in reqs:
                        reqs.append(rid)
    if text == item.text or len(text) > LENGTH_RANGE[1] * len(item.text):
        return None  # nothing to do, or the posting's names would more than double a short line
    parts = []
    if aligned:
        pairs = ", ".join(f"'{old}' → '{new}'" for old, new in aligned)
        parts.append(f"Adds the posting's name for tools this line already names ({pairs}).")
    if reordered:
        parts.append("Lists the skills the posting asks for first.")
    return Change(
        id=f"{item.id}-wording",
        section_id=section.id,
        item_id=item.id,
        action=ChangeAction.REPLACE,
        before=item.text,
        after=text,
        rationale=" ".join(parts),
        requirement_ids=sorted(reqs, key=_req_order),
        evidence_item_ids=[item.id],
        source="offline",
    )


def _align_terms(ctx: _Context, item: Item) -> tuple[str, list[tuple[str, str]], list[str]]:
    text = item.text
    aligned: list[tuple[str, str]] = []
    reqs: list[str] = []
    hits = sorted(ctx.item_hits.get(item.id, []), key=lambda h: h.start, reverse=True)
    lowered = item.text.lower()
    names = _name_spans(item.text)
    for hit in hits:
        key = hit.canonical.lower()
        wanted = ctx.jd_surface.get(key)
        rids = ctx.skill_reqs.get(key, [])
        if not wanted or not rids or wanted == hit.surface or wanted.lower() == hit.surface.lower():
            continue
        if wanted.lower() in lowered:
            continue  # the line already uses the posting's word too
        if not same_referent(hit.surface, wanted) or _in_company(ctx, wanted):
            continue  # only another name of the same thing, never a related one ("spreadsheets" ≠ "Excel")
        if any(s <= hit.start and hit.end <= e and (s, e) != (hit.start, hit.end) for s, e in names):
            continue  # never inside a longer name ("API" in "Azure API Management")
        if getattr(hit, "category", "") in {"domain", "soft_skill"} or hit.canonical == hit.canonical.lower():
            continue  # concepts keep the resume's own words; only names of tools are aligned
        if _is_abbreviation(hit.surface, wanted):
            # Keep the user's own term and write the posting's beside it: "AKS (Azure Kubernetes Service)".
            wanted = f"{hit.surface} ({wanted})"
        text = text[: hit.start] + wanted + text[hit.end :]
        aligned.append((hit.surface, wanted))
        reqs.extend(r for r in rids if r not in reqs)
    aligned.reverse()
    return text, aligned, reqs


def _in_company(ctx: _Context, wanted: str) -> bool:
    names = " ".join(x for x in (ctx.job.company, ctx.job.title) if x).lower()
    return bool(names) and wanted.lower() in names.split() and wanted.lower() not in {
        h.canonical.lower() for h in skill_hits(wanted)}


def _is_abbreviation(surface: str, wanted: str) -> bool:
    """An acronym or numeronym and its spelled-out form (both are kept); spelling variants are replaced."""
    short, long = sorted((squash(surface), squash(wanted)), key=len)
    return not (long.startswith(short) or long.endswith(short))


def _name_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the multi-word names in a line, which alignment never edits inside."""
    toks = tokens(text)
    return [(toks[s].start, toks[e - 1].end) for s, e in name_runs(text)]


def _split_list(text: str) -> tuple[str, list[str], str, str] | None:
    """'Label: a, b, c.' → ('Label: ', [a, b, c], ', ', '.') with separators at bracket depth 0."""
    label = ""
    body = text
    m = re.match(r"^([^,:;|]{1,40}:\s*)(.*)$", text)
    if m:
        label, body = m.group(1), m.group(2)
    trailing = re.search(r"[.,;]+\s*$", body)
    end = trailing.group(0) if trailing else ""
    body = body[: len(body) - len(end)]
    for sep in _LIST_SEPARATORS:
        parts, depth, current = [], 0, ""
        i = 0
        while i < len(body):
            ch = body[i]
            depth += ch in "([{"
            depth -= ch in ")]}"
            if depth == 0 and body.startswith(sep, i):
                parts.append(current)
                current = ""
                i += len(sep)
                continue
            current += ch
            i += 1
        parts.append(current)
        if len(parts) >= 3 and all(p.strip() for p in parts) and max(len(p.split()) for p in parts) <= 6:
            return label, parts, sep, end
    return None


def _looks_like_list(text: str) -> bool:
    return _split_list(text) is not None and ":" in text[:42]


def _reorder_list(ctx: _Context, text: str) -> tuple[str, bool]:
    split = _split_list(text)
    if split is None:
        return text, False
    label, parts, sep, end = split
    # Skills are found in the whole line (a lone "Go" needs its neighbours to count), then given to their entry.
    hits = [h for h in skill_hits(text) if not getattr(h, "fuzzy", False)]
    weights = []
    cursor = len(label)
    for part in parts:
        start, end_at = cursor, cursor + len(part)
        keys = {h.canonical.lower() for h in hits if start <= h.start < end_at}
        weights.append(sum(ctx.skill_weight.get(k, 0.0) for k in keys))
        cursor = end_at + len(sep)
    scored = sorted(enumerate(parts), key=lambda p: (-weights[p[0]], p[0]))
    order = [p for _, p in scored]
    if order == parts:
        return text, False
    return label + sep.join(order) + end, True


def _reorder(ctx: _Context, section: Section) -> Change | None:
    """Most relevant bullets first, within each entry the parser is sure of; headers, entries and
    other lines keep their places (chronology is the user's to change, never the engine's)."""
    ids = [i.id for i in section.items]
    new_ids = list(ids)
    position = {item_id: index for index, item_id in enumerate(ids)}
    groups: list[list[int]] = []
    entries = section.entries or detect_entries(section)
    if section.kind is SectionKind.SKILLS and not entries:
        groups.append(list(range(len(ids))))
    for entry in entries:
        if entry.confidence < MIN_REORDER_CONFIDENCE:
            continue  # unsure where this role ends: leave its lines exactly as they are
        bullets = [position[i] for i in entry.item_ids if section.items[position[i]].kind is ItemKind.BULLET]
        # Only a contiguous run of bullets moves, so a detail line between them keeps its neighbours.
        if bullets and bullets == list(range(bullets[0], bullets[0] + len(bullets))):
            groups.append(bullets)
    moved_reqs: list[str] = []
    for slots in groups:
        if len(slots) < 2:
            continue
        items = [section.items[i] for i in slots]
        ranked = sorted(enumerate(items), key=lambda p: (-ctx.relevance(p[1]), p[0]))
        for slot, (_, item) in zip(slots, ranked):
            new_ids[slot] = item.id
        if [it.id for _, it in ranked] != [it.id for it in items]:
            top = ranked[0][1]
            for e in ctx.report.evidence:
                if e.item_id == top.id and e.requirement_id not in moved_reqs:
                    moved_reqs.append(e.requirement_id)
            for h in ctx.item_hits.get(top.id, []):
                for rid in ctx.skill_reqs.get(h.canonical.lower(), []):
                    if rid not in moved_reqs:
                        moved_reqs.append(rid)
    if new_ids == ids:
        return None
    what = "skills" if section.kind is SectionKind.SKILLS else "bullets within each role"
    return Change(
        id=f"{section.id}-order",
        section_id=section.id,
        action=ChangeAction.REORDER,
        order=new_ids,
        before="\n".join(section.items[ids.index(i)].text for i in ids),
        after="\n".join(section.items[ids.index(i)].text for i in new_ids),
        rationale=f"Puts the {what} that match the posting's most important requirements first.",
        requirement_ids=sorted(moved_reqs, key=_req_order),
        evidence_item_ids=[i for i in new_ids if section.items[ids.index(i)].kind is not ItemKind.ROLE],
        source="offline",
    )


# --------------------------------------------------------------------------- summary


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
                if hit.surface.split()[-1].lower() in ROLE_NOUNS or _is_degree(hit, resume.item(where[key]).text):
                    continue  # "Backend engineer" is a title and "Bachelor of Science" a degree, not skills
                if " " not in hit.surface and hit.surface.islower() and hit.canonical == hit.canonical.lower():
                    continue  # a lone common word ("training") reads badly in a list of strengths
                named = hit.canonical != hit.canonical.lower() and getattr(hit, "category", "") not in {"domain", "soft_skill"}
                wanted = ctx.jd_surface.get(key)
                surface = wanted if named and wanted and same_referent(hit.surface, wanted) else hit.surface
                skills.append((surface, key, where[key]))
                if req.id not in reqs:
                    reqs.append(req.id)
        if years and req.years is not None and req.id not in reqs:  # a matched years-of-experience requirement
            reqs.append(req.id)
    return _Strengths(title, title_item, years, years_item, skills, reqs)


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


def _summary_change(
    ctx: _Context, section: Section, level: CustomizationLevel, edited: dict[str | None, str]
) -> Change | None:
    if not section.items:
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
        skills = _skills_sentence([sk[0] for sk in fresh[:n]])
        parts = ([lead] if lead else []) + sentences[:1] + ([skills] if skills else []) + sentences[1:]
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
    if any(s.kind is SectionKind.SUMMARY for s in resume.sections):
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


def _within_length(section: Section, changes: list[Change]) -> list[Change]:
    """Drop the summary/insert changes that would push the section outside 0.5–2× of its length."""
    original = sum(len(i.text) for i in section.items)
    if original == 0:
        return changes
    kept: list[Change] = []
    total = original
    for change in sorted(changes, key=lambda c: c.action is ChangeAction.INSERT):
        delta = 0
        if change.action is ChangeAction.REPLACE:
            item = next((i for i in section.items if i.id == change.item_id), None)
            delta = len(change.after) - (len(item.text) if item else 0)
        elif change.action is ChangeAction.INSERT:
            delta = len(change.after)
        if not LENGTH_RANGE[0] * original <= total + delta <= LENGTH_RANGE[1] * original:
            continue
        total += delta
        kept.append(change)
    order = {id(c): n for n, c in enumerate(changes)}
    return sorted(kept, key=lambda c: order[id(c)])


def _req_order(rid: str) -> tuple[int, str]:
    m = re.match(r"[a-z]*(\d+)", rid)
    return (int(m.group(1)) if m else 10**6, rid)
