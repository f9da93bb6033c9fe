"""Shortening text for a fixed-width cell: at a word boundary, with an ellipsis, never mid-word
when a boundary is near ("PROFESSIONAL S" read as a different word)."""

from __future__ import annotations


def ellipsize(text: str, width: int) -> str:
    """`text` on one line in at most `width` cells; cut at the last space that keeps at least
    half the room, else (one long word) mid-word — always ending with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    room = text[: width - 1]
    space = room.rfind(" ")
    if space >= (width - 1) // 2:
        room = room[:space]
    return room.rstrip(" ,;:-–—") + "…"
