"""Bullet order: the most relevant bullets first, within entries the parser is sure of."""

from __future__ import annotations

from resume_tui.analysis.rewrites.context import _Context, _req_order
from resume_tui.documents.segment.entries import detect_entries
from resume_tui.models import (
    Change,
    ChangeAction,
    Item,
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
        blocks = _blocks([section.items[i] for i in slots])
        if len(blocks) < 2:
            continue
        ranked = sorted(enumerate(blocks), key=lambda p: (-sum(ctx.relevance(i) for i in p[1]), p[0]))
        flat = [item for _, block in ranked for item in block]
        for slot, item in zip(slots, flat, strict=True):
            new_ids[slot] = item.id
        if [b[0].id for _, b in ranked] != [b[0].id for b in blocks]:
            top = ranked[0][1][0]
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


def _blocks(items: list[Item]) -> list[list[Item]]:
    """Bullets with the bullets nested under them: a block moves whole, its inner order kept."""
    blocks: list[list[Item]] = []
    for item in items:
        if item.depth > 0 and blocks:
            blocks[-1].append(item)
        else:
            blocks.append([item])
    return blocks
