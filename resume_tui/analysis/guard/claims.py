"""Claims: every skill, figure, date, degree, certification, title and employer a change writes
must be stated by the original resume (or a fact the user declared), in the items it cites."""

from __future__ import annotations

import re
from bisect import bisect_right

from resume_tui.analysis.evidence import stem
from resume_tui.analysis.facts import (
    RANKED_SENIORITY,
    ROLE_NOUNS,
    USER_FACTS_ID,
    Fact,
    FactBase,
    FactKind,
    extract_facts,
    norm_text,
    title_words,
    words,
)
from resume_tui.analysis.guard.base import _Findings
from resume_tui.analysis.guard.provenance import _IDENTITY_KINDS
from resume_tui.analysis.names import aligned, same_referent, squash
from resume_tui.models import Change, ItemKind, Resume

# Facts where support from a *different* item than the cited evidence is only a warning.
_CITABLE = {FactKind.SKILL, FactKind.NUMBER, FactKind.PERCENT, FactKind.MONEY, FactKind.YEAR, FactKind.DATE,
            FactKind.YEARS_EXP, FactKind.EMPLOYER, FactKind.CERTIFICATION, FactKind.DEGREE}
_KIND_WORD = {
    FactKind.NUMBER: "the figure", FactKind.PERCENT: "the percentage", FactKind.MONEY: "the amount",
    FactKind.YEAR: "the year", FactKind.DATE: "the date", FactKind.YEARS_EXP: "the experience claim",
    FactKind.DEGREE: "the degree", FactKind.CERTIFICATION: "the certification", FactKind.EMPLOYER: "the employer",
    FactKind.SKILL: "", FactKind.TITLE: "the title", FactKind.NAME: "",
}


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
        if fact.kind is FactKind.SKILL and not fact.generic and (key in own or _support(fact, base)):
            covered.append((fact.start, fact.end))
            if not _stated(fact, base):
                f.block(_implied(fact, base))
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


def _stated(fact: Fact, base: FactBase) -> set[str]:
    """Items that *write* this skill — the same name or another name of it ("AKS" for "Azure Kubernetes
    Service") — as opposed to items the lexicon merely relates to it ("spreadsheets" for "Excel")."""
    out: set[str] = set()
    written = _forms(fact.surface, fact.value)
    for kind in (FactKind.SKILL, FactKind.CERTIFICATION):
        for surface, ids in base.surfaces.get((kind, fact.value), {}).items():
            if any(same_referent(r, w) or aligned(r, w) for r in _forms(surface, fact.value) for w in written):
                out |= ids
    return out


def _forms(surface: str, canonical: str) -> set[str]:
    """A surface and the skill's own name inside it ("Kubernetes clusters" also names "Kubernetes")."""
    forms = {surface.strip()}
    if squash(canonical) and squash(canonical) in squash(surface):
        forms.add(canonical)
    return forms


def _implied(fact: Fact, base: FactBase) -> str:
    written = sorted(base.surfaces.get((FactKind.SKILL, fact.value), {}))[:2]
    via = " or ".join(f"'{w}'" for w in written) if written else "a related skill"
    return (f"'{fact.surface.strip()}' is not written in your resume, only implied by {via}; "
            "it is added only if you declare it true.")


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
    if ws and all(base.has_word(w) or base.has_word(w.rstrip("s")) or base.has_word(w + "s") or _word_form(w, base)
                  for w in ws):
        return True  # the resume's own words, in this or another form ("reports" where it says "reporting")
    initials = "".join(w[0] for w in canonical.replace("-", " ").split())
    return len(initials) > 1 and surface.rstrip("s") == initials


def _word_form(word: str, base: FactBase) -> bool:
    """Another form of a word the resume uses: same light stem, same first letters."""
    target = stem(word)[:5]
    return len(word) >= 4 and any(w[:3] == word[:3] and stem(w)[:5] == target for w in base.words if len(w) >= 4)


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
