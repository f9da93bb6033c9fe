"""Facts the user declared true, written where a reader (and an ATS) will find them.

A declared fact is the only addition any source may make to a resume. For each one the offline
engine proposes at most two changes, each citing the fact as its evidence ("declared by you"):
- the skills line: the declared skill appended to the first list line of a skills section, in the
  posting's own spelling when that provably names the same thing;
- the role the fact names: when the fact carries context naming one of the resume's employers
  ("Terraform — provisioned AWS accounts at Parcelio"), a bullet in that role made of the user's
  own words.
Nothing else is inferred. The guard checks these changes like any other, with the facts in its base.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from resume_tui.analysis.engine import analyze
from resume_tui.analysis.facts import USER_FACTS_ID
from resume_tui.analysis.guard import LENGTH_RANGE, NEW_SKILLS_SECTION, guard_changes
from resume_tui.analysis.guard.conservation import split_list
from resume_tui.analysis.keywords import posting_keywords
from resume_tui.analysis.lexicon import default_lexicon
from resume_tui.analysis.names import same_referent, squash
from resume_tui.models import Change, ChangeAction, Entry, GapReport, Item, JobDescription, Resume, Section, SectionKind

_SPLIT = re.compile(r"\s*(?:—|–|:| - )\s*", re.UNICODE)


def declared_id(index: int) -> str:
    """The evidence id of the n-th declared fact (1-based), as the gap report quotes it."""
    return f"{USER_FACTS_ID}.{index}"


def with_declared_changes(
    changes: Sequence[Change], resume: Resume, job: JobDescription, facts: Sequence[str]
) -> list[Change]:
    """A run's changes plus the ones that write the declared facts, all guarded with the facts: a
    model's change that uses a declared fact is no longer blocked, and nothing beyond them passes.
    `job` must carry the requirements the run used, so the declared changes cite the same ones."""
    if not facts:
        return list(changes)
    report = analyze(resume, job, facts=facts)
    occupied = {c.item_id for c in changes if c.action is ChangeAction.REPLACE and c.item_id}
    declared = propose_declared_changes(resume, job, report, facts, occupied=occupied)
    return guard_changes([*declared, *changes], resume, job=job, user_facts=facts)


def propose_declared_changes(
    resume: Resume, job: JobDescription, report: GapReport, facts: Sequence[str], *, occupied: Collection[str] = ()
) -> list[Change]:
    """Changes that write each declared fact into the resume, already guarded with the facts.

    `occupied`: items another proposed change already rewrites; a declared skill for such a line gets a
    line of its own instead, so two changes never replace one line."""
    lex = default_lexicon()
    wanted = {squash(s): k.name for k in posting_keywords(job, lex) for s in k.surfaces}
    lines = _skills_lines(resume)
    written = resume.full_text()
    places: dict[str, list[tuple[str, str]]] = {}  # where -> [(surface, evidence id)]
    changes: list[Change] = []
    for n, fact in enumerate((" ".join(f.split()) for f in facts), start=1):
        term = _term(fact, lex)
        if term is None:
            continue
        typed, category, canonicals = term
        surface = _posting_spelling(typed, wanted)
        reqs = _requirements_for(report, job, canonicals | {surface.lower()}, fact)
        if not _names(written, surface):
            places.setdefault(_place(resume, lines, category, lex), []).append((surface, declared_id(n)))
        entry = _entry_named(resume, fact)
        if entry is not None:
            section, found = entry
            bullet = _bullet_from(fact, typed, surface, found)
            if bullet:
                last = (found.item_ids or found.header_ids)[-1]
                changes.append(Change(
                    id=f"fact{n}-{found.id}", section_id=section.id, item_id=last, action=ChangeAction.INSERT,
                    after=bullet, rationale=f"Writes what you declared into the role it names: “{fact}”.",
                    requirement_ids=reqs, evidence_item_ids=[declared_id(n)], source="declared",
                ))
    changes[:0] = [_skills_change(resume, where, added, report, job, occupied) for where, added in places.items()]
    return guard_changes(changes, resume, job=job, user_facts=list(facts))


def _term(fact: str, lex) -> tuple[str, str, set[str]] | None:  # noqa: ANN001
    """The skill a fact declares: its first named skill, or — for a bare keyword the lexicon does not know
    ("QuickBooks Online") — the words as typed. Soft skills are not written as skills."""
    hits = [h for h in lex.find(fact, context_free=True) if h.category != "soft_skill"]
    if hits:
        return hits[0].surface, hits[0].category, {h.canonical.lower() for h in hits}
    if 1 <= len(fact.split()) <= 4 and not re.search(r"[.!?]$", fact):
        return fact, "", {fact.lower()}
    return None


def _place(resume: Resume, lines: list[tuple[Section, Item]], category: str, lex) -> str:  # noqa: ANN001
    """Where a declared skill goes: a certification into the certifications section, anything else onto the
    most similar skills line, else as a new line of the skills section, else into a new Skills section."""
    if category.startswith("cert"):
        certs = next((s for s in resume.sections if s.kind is SectionKind.CERTIFICATIONS and s.items), None)
        if certs is not None:
            return f"new:{certs.id}"
    line = _best_line(lines, category, lex)
    if line is not None:
        return f"line:{line[1].id}"
    skills = next((s for s in resume.sections if s.kind is SectionKind.SKILLS and s.items), None)
    return f"new:{skills.id}" if skills is not None else f"new:{NEW_SKILLS_SECTION}"


def _skills_change(resume: Resume, where: str, added: list[tuple[str, str]], report: GapReport,
                   job: JobDescription, occupied: Collection[str]) -> Change:
    names = [s for s, _ in added]
    reqs = _requirements_for(report, job, {s.lower() for s in names}, " ".join(names))
    evidence = [e for _, e in added]
    rationale = "Adds to your skills what you declared true: " + ", ".join(names) + "."
    kind, target = where.split(":", 1)
    if kind == "line":
        item = resume.item(target)
        section = resume.section_of(target)
        assert item is not None and section is not None
        if len(_append(item.text, names)) > LENGTH_RANGE[1] * len(item.text) or item.id in occupied:
            kind, target = "new", section.id  # a short line would more than double, or is being rewritten
    if kind == "line":
        assert item is not None and section is not None
        return Change(id=f"facts-{item.id}", section_id=section.id, item_id=item.id, action=ChangeAction.REPLACE,
                      before=item.text, after=_append(item.text, names), rationale=rationale, requirement_ids=reqs,
                      evidence_item_ids=[item.id, *evidence], source="declared")
    section = resume.section(target)
    last = section.items[-1].id if section is not None and section.items else None
    return Change(id=f"facts-{target.strip('+')}", section_id=target, item_id=last, action=ChangeAction.INSERT,
                  after=_capitalised(", ".join(names)), rationale=rationale, requirement_ids=reqs, evidence_item_ids=evidence,
                  source="declared")


def _posting_spelling(surface: str, wanted: dict[str, str]) -> str:
    """The posting's spelling of the declared skill when it provably names the same thing."""
    if squash(surface) in wanted:
        return wanted[squash(surface)]
    for name in wanted.values():
        if same_referent(surface, name):
            return name
    return surface


def _skills_lines(resume: Resume) -> list[tuple[Section, Item]]:
    return [(section, item) for section in resume.sections if section.kind is SectionKind.SKILLS
            for item in section.items if split_list(item.text) is not None or "," in item.text]


def _best_line(lines: list[tuple[Section, Item]], category: str, lex) -> tuple[Section, Item] | None:  # noqa: ANN001
    """The skills line whose entries are most like the declared skill (same lexicon category), else the first."""
    if not lines:
        return None
    def likeness(pair: tuple[Section, Item]) -> int:
        return sum(h.category == category for h in lex.find(pair[1].text))
    best = max(lines, key=likeness)
    return best if likeness(best) > 0 else lines[0]


def _names(text: str, surface: str) -> bool:
    return re.search(rf"(?<![\w+#]){re.escape(surface)}(?![\w+#])", text, re.I) is not None


def _append(text: str, surfaces: list[str]) -> str:
    """"Cloud: Azure, AKS." + [Terraform] → "Cloud: Azure, AKS, Terraform." (the line's own separator)."""
    body = text.rstrip()
    end = ""
    if body and body[-1] in ".;":
        body, end = body[:-1], body[-1]
    body = body.rstrip(" ,")
    sep = next((s for s in (" | ", "; ", " · ", " • ") if s in body), ", ")
    return body + sep + sep.join(surfaces) + end


def _entry_named(resume: Resume, fact: str) -> tuple[Section, Entry] | None:
    """The role whose employer the fact names ("… at Parcelio")."""
    lowered = fact.lower()
    for section in resume.sections:
        for entry in section.entries:
            org = (entry.organization or "").strip()
            core = re.sub(r"\b(?:inc|ltd|llc|gmbh|corp|co|plc)\b\.?", "", org, flags=re.I).strip(" ,.")
            if len(core) >= 3 and re.search(rf"\b{re.escape(core.lower())}\b", lowered):
                return section, entry
    return None


def _bullet_from(fact: str, written: str, surface: str, entry: Entry) -> str | None:
    """The user's own words as a bullet: the context after "Skill —", the employer's name dropped."""
    parts = [p for p in _SPLIT.split(fact, maxsplit=1) if p]
    context = parts[1] if len(parts) == 2 and parts[0].lower() == written.lower() else fact
    org = (entry.organization or "").strip()
    if org:
        context = re.sub(rf"\s*\b(?:at|for|with)\s+{re.escape(org)}\b", "", context, flags=re.I)
        core = re.sub(r"\s*\b(?:Inc|Ltd|LLC|GmbH|Corp|Co|plc)\b\.?$", "", org).strip(" ,.")
        context = re.sub(rf"\s*\b(?:at|for|with)\s+{re.escape(core)}\b", "", context, flags=re.I)
    context = context.strip(" .,;")
    if len(context.split()) < 2:
        return None
    sentence = context[0].upper() + context[1:]
    if not _names(sentence, written) and not _names(sentence, surface):
        sentence += f" ({surface})"
    return sentence + "."


def _requirements_for(report: GapReport, job: JobDescription, canonicals: set[str], text: str) -> list[str]:
    """The requirements a declared skill serves: those whose keywords or text name it."""
    out: list[str] = []
    lowered = text.lower()
    for req in report.requirements or job.requirements:
        keys = {k.lower() for k in req.keywords}
        if keys & canonicals or any(_names(req.text, c) for c in canonicals) or any(k and _names(lowered, k) for k in keys):
            out.append(req.id)
    return out


def _capitalised(text: str) -> str:
    """A new line starts with a capital ("Infrastructure as code, Helm"); names keep their own case."""
    return text[:1].upper() + text[1:] if text[:1].islower() else text
