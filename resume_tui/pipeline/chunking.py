"""Split long inputs so that no single model request exceeds a token budget.

Order of preference: whole sections, then paragraphs (blank-line or line blocks), then raw
characters, so a chunk boundary falls where a human would put it whenever possible.
Tokens are estimated as characters ÷ 4 (good enough for budgeting, no tokenizer needed).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from resume_tui.models import Item, Resume, Section

CHARS_PER_TOKEN = 4


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def _split_chars(text: str, max_chars: int) -> list[str]:
    """Last resort: cut at whitespace near the limit, else hard-cut."""
    out: list[str] = []
    while len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars + 1)
        if cut <= max_chars // 2:
            cut = max_chars
        out.append(text[:cut])
        text = text[cut:].lstrip(" ")
    if text:
        out.append(text)
    return out


def _paragraphs(text: str) -> list[str]:
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) > 1:
        return blocks
    return [line for line in text.split("\n") if line.strip()] or [text]


def chunk_text(text: str, max_tokens: int) -> list[str]:
    """Pack paragraphs greedily into chunks of at most `max_tokens` (estimated)."""
    if max_tokens < 1:
        raise ValueError("max_tokens must be positive")
    max_chars = max_tokens * CHARS_PER_TOKEN
    if len(text) <= max_chars:
        return [text] if text.strip() else []
    pieces: list[str] = []
    for para in _paragraphs(text):
        pieces.extend(_split_chars(para, max_chars) if len(para) > max_chars else [para])
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}\n\n{piece}" if current else piece
        if len(candidate) <= max_chars:
            current = candidate
        else:
            if current:
                chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks


def _item_line(item: Item) -> str:
    return f"[{item.id}] {item.text}"


def chunk_items(items: Sequence[Item], max_tokens: int) -> list[list[Item]]:
    """Group a section's items (never splitting one) so each group's rendering fits the budget.

    An item longer than the budget on its own gets a group of its own; callers that must
    respect the budget strictly then cut its text with `chunk_text`.
    """
    max_chars = max_tokens * CHARS_PER_TOKEN
    groups: list[list[Item]] = []
    current: list[Item] = []
    size = 0
    for item in items:
        length = len(_item_line(item)) + 1
        if current and size + length > max_chars:
            groups.append(current)
            current, size = [], 0
        current.append(item)
        size += length
    if current:
        groups.append(current)
    return groups


def render_items(items: Sequence[Item]) -> str:
    return "\n".join(_item_line(i) for i in items)


def chunk_resume(resume: Resume, max_tokens: int) -> list[list[Section]]:
    """Whole sections packed together while they fit; an oversized section is split by items."""
    max_chars = max_tokens * CHARS_PER_TOKEN
    out: list[list[Section]] = []
    current: list[Section] = []
    size = 0
    for section in resume.sections:
        text = f"{section.title}\n{render_items(section.items)}"
        if len(text) > max_chars:
            if current:
                out.append(current)
                current, size = [], 0
            for group in chunk_items(section.items, max_tokens):
                out.append([section.model_copy(update={"items": group})])
            continue
        if current and size + len(text) > max_chars:
            out.append(current)
            current, size = [], 0
        current.append(section)
        size += len(text)
    if current:
        out.append(current)
    return out
