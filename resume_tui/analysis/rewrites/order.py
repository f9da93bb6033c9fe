"""Bullet order: the most relevant bullets first, within entries the parser is sure of."""

from __future__ import annotations

from resume_tui.analysis.rewrites.context import _Context, _req_order
from resume_tui.documents.segment.entries import detect_entries
from resume_tui.models import (
    Change,
    ChangeAction,
    ItemKind,
    Section,
    SectionKind,
)

MIN_REORDER_CONFIDENCE = 0.6  # entries the parser is less sure of are never reordered inside


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
