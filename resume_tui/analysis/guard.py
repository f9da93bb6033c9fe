"""The honesty guard: every proposed change, from any source, is checked here before a person sees it.

A change may only say what the original resume (or a fact the user typed) already says. Anything new —
a skill, an employer, a bigger title, a degree, a certification, a figure, a date — is blocked with a
reason that names it; weaker problems (evidence cited from the wrong item, a big length change, no
provenance, a deletion) are flagged for the user to decide. Deterministic: same input, same verdict.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from resume_tui.analysis.facts import (
    RANKED_SENIORITY,
    ROLE_NOUNS,
    USER_FACTS_ID,
    Fact,
    FactBase,
    FactKind,
    build_fact_base,
    extract_facts,
    norm_text,
    title_words,
    words,
)
from resume_tui.models import Change, ChangeAction, ItemKind, JobDescription, Resume, Section, Verdict

# Sentinel section id for inserting a summary into a resume that has none (apply.py creates the section).
NEW_SUMMARY_SECTION = "+summary"
IDENTITY_SECTION_IDS = {"header", "contact", "identity", "name"}
LENGTH_RANGE = (0.5, 2.0)
MAX_ITEM_CHARS = 5_000  # longer than any real resume item; beyond it only the start is inspected

_INJECTION_RES = [
    re.compile(p, re.I)
    for p in (
        r"\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}\b(?:instructions?|prompts?|directions?|rules|guidelines)\b",
        r"\bsystem\s+prompt\b",
        r"\b(?:you are|act as|pretend to be|you're)\s+(?:now\s+)?(?:a|an|the)?\s*[\w -]{0,30}\b(?:assistant|ai|model|chatbot|gpt|llm)\b",
        r"\bas an? (?:ai|language model|llm)\b",
        r"\b(?:say|state|tell|write|claim|respond|answer|report|conclude)\b[^.\n]{0,30}\bthat the (?:candidate|applicant)\b",
        r"\bthe (?:candidate|applicant) is (?:a )?(?:perfect|ideal|the best|an? excellent|exceptional)\b",
        r"\b(?:rate|score|rank|mark)\s+(?:this|the)\s+(?:candidate|applicant|resume|cv)\b",
        r"\b(?:new|updated|additional)\s+instructions?\s*:",
        r"\b(?:do not|don't|never)\s+(?:mention|flag|report|reveal)\b",
        r"<\s*/?\s*(?:system|instructions?|prompt)\s*>",
    )
]

# Facts where support from a *different* item than the cited evidence is only a warning.
_CITABLE = {FactKind.SKILL, FactKind.NUMBER, FactKind.PERCENT, FactKind.MONEY, FactKind.YEAR, FactKind.DATE,
            FactKind.YEARS_EXP, FactKind.EMPLOYER, FactKind.CERTIFICATION, FactKind.DEGREE}
_KIND_WORD = {
    FactKind.NUMBER: "the figure", FactKind.PERCENT: "the percentage", FactKind.MONEY: "the amount",
    FactKind.YEAR: "the year", FactKind.DATE: "the date", FactKind.YEARS_EXP: "the experience claim",
    FactKind.DEGREE: "the degree", FactKind.CERTIFICATION: "the certification", FactKind.EMPLOYER: "the employer",
    FactKind.SKILL: "", FactKind.TITLE: "the title", FactKind.NAME: "",
}


@dataclass
class _Findings:
    blocked: list[str]
    flagged: list[str]

    def block(self, reason: str) -> None:
        if reason not in self.blocked:
            self.blocked.append(reason)

    def flag(self, reason: str) -> None:
        if reason not in self.flagged:
            self.flagged.append(reason)


# --------------------------------------------------------------------------- public API


def check_change(
    change: Change, original: Resume, *, job: JobDescription | None = None, user_facts: Sequence[str] = ()
) -> Change:
    """Return a copy of `change` with the guard's verdict and the reasons for it."""
    return _check(change, original, build_fact_base(original, user_facts), job)


def guard_changes(
    changes: Iterable[Change], original: Resume, *, job: JobDescription | None = None, user_facts: Sequence[str] = ()
) -> list[Change]:
    """Check many changes against one fact base (built once)."""
    base = build_fact_base(original, user_facts)
    return [_check(c, original, base, job) for c in changes]


def injection_sentences(text: str) -> list[str]:
    """Sentences of `text` that instruct a model: the analysis detector plus the guard's own patterns."""
    found: list[str] = []
    try:
        from resume_tui.analysis.injection import find_injections
    except ImportError:  # the detector lives with the analysis colleague; the guard's patterns still apply
        find_injections = None
    if find_injections is not None:
        found.extend(find_injections(text))
    for rx in _INJECTION_RES:
        for m in rx.finditer(text):
            found.append(m.group(0))
    return list(dict.fromkeys(s.strip() for s in found if s.strip()))


# --------------------------------------------------------------------------- the checks


def _check(change: Change, original: Resume, base: FactBase, job: JobDescription | None) -> Change:
    f = _Findings([], [])
    section = original.section(change.section_id)
    new_summary = change.section_id == NEW_SUMMARY_SECTION and change.action is ChangeAction.INSERT
    if change.section_id.lower() in IDENTITY_SECTION_IDS:
        f.block("Contact and identity details are never changed.")
    elif section is None and not new_summary:
        f.block(f"Section '{change.section_id}' is not part of your resume, so this change has nowhere honest to go.")

    item = original.item(change.item_id) if change.item_id else None
    if section is not None and change.item_id and (item is None or original.section_of(change.item_id) is not section):
        if change.action is not ChangeAction.REORDER:
            f.block(f"Item '{change.item_id}' is not in section '{section.title or section.id}'.")
            item = None
    if change.action in (ChangeAction.REPLACE, ChangeAction.DELETE) and not change.item_id:
        f.block("A replace or delete must name the item it changes.")

    if change.action is ChangeAction.REORDER:
        if section is not None:
            _check_reorder(change, section, f)
    elif change.action is ChangeAction.DELETE:
        if item is not None and _holds_identity(item.text, original):
            f.block("Removes your name or contact details, which are never changed.")
        elif item is not None:
            what = "a whole role heading" if item.kind is ItemKind.ROLE else f"“{_short(item.text)}”"
            f.flag(f"Removes {what}; only you can decide whether to drop it.")
    else:
        original_text = item.text if (item is not None and change.action is ChangeAction.REPLACE) else ""
        if change.action is ChangeAction.REPLACE and item is not None:
            if change.before and norm_text(change.before) != norm_text(item.text):
                f.flag("The text this change replaces no longer matches your resume.")
            if not change.after.strip():
                f.flag("Empties the item; a deletion should be proposed as a deletion.")
            elif original_text:
                ratio = len(change.after.strip()) / max(1, len(original_text.strip()))
                if not LENGTH_RANGE[0] <= ratio <= LENGTH_RANGE[1]:
                    f.flag(
                        f"Changes the length from {len(original_text.strip())} to {len(change.after.strip())} "
                        f"characters (outside {LENGTH_RANGE[0]}–{LENGTH_RANGE[1]:g}× of the original)."
                    )
        probe = change
        if len(change.after) > MAX_ITEM_CHARS:
            f.block(f"Is {len(change.after):,} characters long, far too long for one resume item.")
            probe = change.model_copy(update={"after": change.after[:MAX_ITEM_CHARS]})
        _check_identity(probe.after, original_text, original, base, f)
        _check_injection(probe.after, job, f)
        _check_facts(probe, item, original_text, original, base, f)
        _check_responsibility(probe, original_text, original, f)
        _check_jd_copy(probe.after, base, job, f)

    _check_provenance(change, original, job, f)

    verdict = Verdict.BLOCKED if f.blocked else Verdict.FLAGGED if f.flagged else Verdict.SAFE
    return change.model_copy(update={"verdict": verdict, "reasons": f.blocked + f.flagged}, deep=True)


def _check_reorder(change: Change, section: Section, f: _Findings) -> None:
    original_ids = [i.id for i in section.items]
    order = list(change.order or [])
    if sorted(order) != sorted(original_ids) or len(set(order)) != len(order):
        missing = [i for i in original_ids if i not in order]
        extra = [i for i in order if i not in original_ids]
        detail = (f" (missing {', '.join(missing)})" if missing else "") + (f" (unknown {', '.join(extra)})" if extra else "")
        f.block(f"A reorder must keep exactly the same items{detail}.")
        return
    kinds = {i.id: i.kind for i in section.items}

    def groups(ids: list[str]) -> dict[str, str | None]:
        current: str | None = None
        out: dict[str, str | None] = {}
        for item_id in ids:
            if kinds[item_id] is ItemKind.ROLE:
                current = item_id
            else:
                out[item_id] = current
        return out

    if groups(original_ids) != groups(order):
        f.block("Moves bullets from one role to another; bullets may only be reordered within their own role.")


def _check_identity(after: str, original_text: str, original: Resume, base: FactBase, f: _Findings) -> None:
    own = {key for key in base.by_key if key[0] in _IDENTITY_KINDS}  # header, contact and items
    contact = original.contact
    for fact in extract_facts(after):
        if fact.kind in _IDENTITY_KINDS and (fact.kind, fact.value) not in own:
            f.block(f"Contact details never change: '{fact.surface}' is not in your resume.")
    name = (contact.name or "").strip()
    if name and norm_text(name) in norm_text(original_text) and norm_text(name) not in norm_text(after):
        f.block("Your name is never changed.")
    kept = {(fa.kind, fa.value) for fa in extract_facts(after) if fa.kind in _IDENTITY_KINDS}
    for fact in extract_facts(original_text):
        if fact.kind in _IDENTITY_KINDS and (fact.kind, fact.value) not in kept:
            f.block(f"Removes your contact details ('{fact.surface}'), which are never changed.")
            break


def _holds_identity(text: str, original: Resume) -> bool:
    name = (original.contact.name or "").strip()
    if name and norm_text(name) in norm_text(text):
        return True
    return any(fa.kind in _IDENTITY_KINDS for fa in extract_facts(text))


_IDENTITY_KINDS = {FactKind.EMAIL, FactKind.PHONE, FactKind.URL}


def _check_injection(after: str, job: JobDescription | None, f: _Findings) -> None:
    hits = injection_sentences(after)
    if job is not None:
        after_norm = norm_text(after)
        for attempt in job.injection_attempts:
            attempt_words = norm_text(attempt).split()
            for k in range(0, max(1, len(attempt_words) - 3)):
                chunk = " ".join(attempt_words[k : k + 4])
                if len(attempt_words) >= 4 and chunk in after_norm:
                    hits.append(attempt)
                    break
    if hits:
        f.block(f"Contains an instruction aimed at an AI, not a fact about you: “{_short(hits[0])}”.")


def _check_jd_copy(after: str, base: FactBase, job: JobDescription | None, f: _Findings) -> None:
    """Six or more words copied from the posting (and not already in the resume) read as keyword stuffing."""
    if job is None or not job.text:
        return
    aw = words(after)
    jd = _joined_words(job.text)
    base_text = _joined_words(base.text)
    n = 6
    for k in range(0, len(aw) - n + 1):
        chunk = " " + " ".join(aw[k : k + n]) + " "
        if chunk in jd and chunk not in base_text:
            f.flag(f"Copies the job description word for word (“{chunk.strip()}”); say it in your own terms.")
            return


@lru_cache(maxsize=16)
def _joined_words(text: str) -> str:
    return " " + " ".join(words(text)) + " "


def _check_provenance(change: Change, original: Resume, job: JobDescription | None, f: _Findings) -> None:
    if change.action is ChangeAction.REORDER:
        return
    if not change.requirement_ids:
        f.flag("Does not say which job requirement it serves.")
    elif job is not None and job.requirements:
        known = {r.id for r in job.requirements}
        unknown = [r for r in change.requirement_ids if r not in known]
        if unknown:
            f.flag(f"Cites requirements the job description does not have: {', '.join(unknown)}.")
    if change.action is ChangeAction.DELETE:
        return
    if not change.evidence_item_ids:
        f.flag("Cites no item of your resume as evidence.")
    else:
        unknown = [i for i in change.evidence_item_ids if i != USER_FACTS_ID and original.item(i) is None]
        if unknown:
            f.flag(f"Cites evidence that is not in your resume: {', '.join(unknown)}.")


# --------------------------------------------------------------------------- facts


def _check_facts(
    change: Change, item, original_text: str, original: Resume, base: FactBase, f: _Findings
) -> None:
    after = change.after
    own = {(fa.kind, fa.value) for fa in extract_facts(original_text)}
    cited = set(change.evidence_item_ids) | {USER_FACTS_ID, "header"}
    if change.item_id:
        cited.add(change.item_id)
    facts = extract_facts(after)
    covered: list[tuple[int, int]] = []  # spans already judged (skills, titles, orgs…), so names are not re-reported

    role_item = item is not None and item.kind is ItemKind.ROLE
    seen: set[tuple[FactKind, str]] = set()
    for fact in facts:
        if fact.kind is FactKind.NAME or fact.kind in _IDENTITY_KINDS:
            continue
        key = (fact.kind, fact.value)
        if key in seen:
            covered.append((fact.start, fact.end))  # judged with its first occurrence
            continue
        seen.add(key)
        if fact.kind is FactKind.TITLE:
            _check_title(fact, original_text, role_item, base, cited, f)
            covered.append((fact.start, fact.end))
            continue
        if key in own:
            covered.append((fact.start, fact.end))
            continue
        if role_item and fact.kind in (FactKind.YEAR, FactKind.DATE, FactKind.EMPLOYER):
            covered.append((fact.start, fact.end))
            label = {FactKind.EMPLOYER: "employer"}.get(fact.kind, "dates")
            f.block(f"Changes this role's {label}: '{fact.surface.strip()}' is not in the role as written.")
            continue
        sources = _support(fact, base)
        covered.append((fact.start, fact.end))
        if not sources and fact.kind is FactKind.SKILL and fact.category == "soft_skill":
            # "reliable", "results-driven": a trait, not a checkable fact — the user decides.
            f.flag(f"'{fact.surface.strip()}' is not something your resume shows; keep it only if it is true.")
        elif not sources:
            f.block(_unsupported(fact))
        elif fact.generic:
            continue  # concepts such as "leadership" are judged on wording, not on which item says them
        elif fact.kind in _CITABLE and not (sources & cited):
            where = ", ".join(sorted(sources)[:3])
            label = _KIND_WORD.get(fact.kind, "")
            subject = f"{label} '{fact.surface}'".strip()
            f.flag(f"{subject[0].upper() + subject[1:]} is in your resume ({where}) but not in the items this change cites.")

    own_words = set(words(original_text))
    covered.sort()
    starts = [s for s, _ in covered]
    reach: list[int] = []  # running max of span ends, so "inside any covered span" is one bisect
    for _, e in covered:
        reach.append(max(e, reach[-1]) if reach else e)
    judged: set[str] = set()
    for fact in facts:
        if fact.kind is not FactKind.NAME or fact.value in judged:
            continue
        k = bisect_right(starts, fact.start)
        if k and reach[k - 1] > fact.start:
            continue
        judged.add(fact.value)
        if base.has_word(fact.value) or fact.value in own_words:
            continue
        parts = re.split(r"[-/&.]", fact.value)
        if len(parts) > 1 and all(p and base.has_word(p) for p in parts):
            continue
        if _tool_like(fact, after):
            f.block(f"'{fact.surface}' does not appear anywhere in your resume.")
        else:
            f.flag(f"'{fact.surface}' does not appear anywhere in your resume; keep it only if it is true.")


_LEADERSHIP = re.compile(
    r"\b(led|lead|leading|managed|manage|managing|headed|directed|supervised|oversaw|owned|founded|co-founded|"
    r"spearheaded|architected|launched|built and led|hired)\b",
    re.I,
)


def _check_responsibility(change: Change, original_text: str, original: Resume, f: _Findings) -> None:
    """Leadership or ownership verbs the cited items never use can overstate a role: the user should check."""
    cited_text = " ".join(
        [original_text] + [i.text for i in (original.item(x) for x in change.evidence_item_ids) if i is not None]
    ).lower()
    for m in _LEADERSHIP.finditer(change.after):
        verb = m.group(1).lower()
        stem = verb[:4]
        if not re.search(rf"\b{re.escape(stem)}", cited_text) and not (stem == "lead" and re.search(r"\bled\b", cited_text)) \
                and not (stem == "led" and re.search(r"\blead", cited_text)):
            f.flag(f"Says '{m.group(1)}', which the cited items never claim; keep it only if it is true.")
            return


def _support(fact: Fact, base: FactBase) -> set[str]:
    """Ids of the resume items (or 'user'/'header') that state this fact, canonically compared."""
    kind, value = fact.kind, fact.value
    if kind is FactKind.NUMBER:
        out: set[str] = set()
        for k in (FactKind.NUMBER, FactKind.PERCENT, FactKind.YEARS_EXP, FactKind.YEAR):
            out |= base.sources(k, value)
        for (k, v), ids in base.by_key.items():
            if k is FactKind.MONEY and v.split(" ", 1)[1] == value:
                out |= ids
        return out
    if kind is FactKind.YEARS_EXP:
        out = set()
        for (k, v), ids in base.by_key.items():
            if k is FactKind.YEARS_EXP and float(v) >= float(value):
                out |= ids
        return out
    if kind is FactKind.YEAR:
        out = set(base.sources(FactKind.YEAR, value))
        for (k, v), ids in base.by_key.items():
            if k is FactKind.DATE and v.startswith(value):
                out |= ids
        return out
    if kind is FactKind.CERTIFICATION and value.startswith("claim:"):
        return set(base.sources(kind, value))
    if kind is FactKind.CERTIFICATION:
        out = set(base.sources(kind, value)) | set(base.sources(FactKind.SKILL, value.lower()))
        return out | base.phrase_sources(fact.surface)
    if kind is FactKind.SKILL:
        out = set(base.sources(kind, value)) | set(base.sources(FactKind.CERTIFICATION, value))
        if out and fact.generic and not _generic_wording_ok(fact, base):
            return set()  # "Freight" for "logistics": same concept to the lexicon, new words to a reader
        return out
    if kind is FactKind.EMPLOYER:
        out = set(base.sources(kind, value)) | base.phrase_sources(fact.surface)
        if not out:
            org_words = [w for w in words(fact.surface) if w not in {"of", "the", "and", "for", "de", "at"}]
            if org_words and all(base.has_word(w) for w in org_words):
                out = {sid for sid, ws in base.item_words.items() if set(org_words) <= ws} or {"resume"}
        return out
    return set(base.sources(kind, value))


def _generic_wording_ok(fact: Fact, base: FactBase) -> bool:
    """A concept may be named by its canonical phrase, its initials, or words the resume already uses."""
    surface = norm_text(fact.surface)
    canonical = norm_text(fact.canonical or fact.value)
    if surface in (canonical, canonical + "s") or base.phrase_sources(fact.surface):
        return True
    ws = words(fact.surface)
    if ws and all(base.has_word(w) or base.has_word(w.rstrip("s")) or base.has_word(w + "s") for w in ws):
        return True
    initials = "".join(w[0] for w in canonical.replace("-", " ").split())
    return len(initials) > 1 and surface.rstrip("s") == initials


def _unsupported(fact: Fact) -> str:
    s = fact.surface.strip()
    if fact.kind is FactKind.SKILL:
        return f"'{s}' does not appear anywhere in your resume."
    if fact.kind is FactKind.YEARS_EXP:
        return f"'{s}' of experience is more than your resume states."
    if fact.kind is FactKind.DEGREE:
        return f"The degree '{s}' does not appear in your resume."
    if fact.kind is FactKind.CERTIFICATION and fact.value.startswith("claim:"):
        return f"Claims to be '{s}', which your resume never says."
    if fact.kind is FactKind.CERTIFICATION:
        return f"The certification '{s}' does not appear in your resume."
    if fact.kind is FactKind.EMPLOYER:
        return f"The employer or organisation '{s}' does not appear in your resume."
    label = _KIND_WORD.get(fact.kind, "")
    return f"{label[0].upper() + label[1:]} '{s}' does not appear in your resume." if label else (
        f"'{s}' does not appear in your resume."
    )


def _seniority(tw: list[str]) -> set[str]:
    return {w for w in tw[:-1] if w in RANKED_SENIORITY} | ({tw[-1]} if tw[-1] in RANKED_SENIORITY and len(tw) == 1 else set())


def _head(tw: list[str]) -> str:
    if "of" in tw:
        return tw[tw.index("of") - 1] if tw.index("of") > 0 else tw[-1]
    return tw[-1]


def _check_title(fact: Fact, original_text: str, role_item: bool, base: FactBase, cited: set[str], f: _Findings) -> None:
    tw = title_words(fact.value)
    head = _head(tw)
    levels = _seniority(tw)
    own_titles = [title_words(x.value) for x in extract_facts(original_text) if x.kind is FactKind.TITLE]
    base_titles = [(title_words(v), ids) for (k, v), ids in base.by_key.items() if k is FactKind.TITLE]

    def supports(candidates: list[list[str]]) -> bool:
        for cw in candidates:
            if _head(cw) == head and levels <= _seniority(cw):
                return True
        return False

    others_ok = all(base.has_word(w) or w in RANKED_SENIORITY or w in {"of", "for", "and", "&"} for w in tw)
    if role_item:
        # A role's own heading: its title may not change level or become a different job.
        if own_titles and not supports(own_titles):
            before = " ".join(own_titles[0])
            f.block(f"Changes this role's title from '{before}' to '{fact.surface.strip()}'; a title is never inflated.")
        elif not own_titles and not any(_head(cw) == head for cw, _ in base_titles):
            f.block(f"The title '{fact.surface.strip()}' does not appear in your resume.")
        return
    if supports(own_titles) and others_ok:
        return
    matching = [(cw, ids) for cw, ids in base_titles if _head(cw) == head and levels <= _seniority(cw)]
    if matching and others_ok:
        ids = set().union(*(ids for _, ids in matching))
        if not ids & cited:
            f.flag(f"The title '{fact.surface.strip()}' is in your resume but not in the items this change cites.")
        return
    same_head = [cw for cw, _ in base_titles if _head(cw) == head]
    if same_head and not supports(same_head):
        best = max(same_head, key=lambda cw: max((RANKED_SENIORITY.get(w, 0) for w in cw), default=0))
        f.block(f"Inflates the title: your resume says '{' '.join(best)}', not '{fact.surface.strip()}'.")
    elif not same_head and head in ROLE_NOUNS:
        f.block(f"The title '{fact.surface.strip()}' does not appear in your resume.")
    elif not others_ok:
        f.block(f"The title '{fact.surface.strip()}' does not appear in your resume.")


def _tool_like(fact: Fact, text: str) -> bool:
    """A name that reads as a tool, product or organisation (blocked) rather than an ordinary word (flagged)."""
    token = fact.surface
    if token.isupper() or any(ch.isdigit() for ch in token) or re.search(r"[a-z][A-Z]", token) or "#" in token or "+" in token:
        return True
    before = text[max(0, fact.start - 40) : fact.start].rstrip()
    prev = before.split()[-1].lower().strip("(") if before.split() else ""
    if prev in {"using", "with", "in", "on", "via", "and", "or", "including", "like", "at", "for", "joined", "to", "from"}:
        return True
    return bool(before) and before[-1] in ",/(&+" or text[fact.end : fact.end + 2].lstrip()[:1] in {",", "/"}


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
