"""Conservation: a change loses nothing and moves nothing across entries.

A reorder keeps exactly the same items, each inside its own entry (never across a role header,
never above the first one), and never moves a header."""

from __future__ import annotations

from resume_tui.analysis.guard.base import _Findings
from resume_tui.models import Change, ItemKind, Section


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
