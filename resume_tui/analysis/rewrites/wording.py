"""Terminology alignment and skills-line ordering, as one replace per item: the posting's name for a tool the
line already names (kept beside the user's own), and the skills the posting asks for first."""

from __future__ import annotations

import re

from resume_tui.analysis.facts import skill_hits
from resume_tui.analysis.guard import LENGTH_RANGE
from resume_tui.analysis.names import name_runs, same_referent, split_outside_brackets, squash, tokens
from resume_tui.analysis.rewrites.context import _Context, _req_order
from resume_tui.models import (
    Change,
    ChangeAction,
    Item,
    Section,
    SectionKind,
)

_LIST_SEPARATORS = (", ", "; ", " | ", " · ", " • ")


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
        parts = split_outside_brackets(body, sep)
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

