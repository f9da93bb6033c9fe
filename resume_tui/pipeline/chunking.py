"""Split long inputs so that no single model request exceeds a token budget.

Order of preference: whole sections, then paragraphs (blank-line or line blocks), then raw
characters, so a chunk boundary falls where a human would put it whenever possible.
Tokens are estimated as characters ÷ 4 (good enough for budgeting, no tokenizer needed).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from resume_tui.models import Item, Resume, Section

T = TypeVar("T")

CHARS_PER_TOKEN = 4


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def request_tokens(request) -> int:
    """Estimated input tokens of an LLMRequest (its messages' text)."""
    return estimate_tokens("".join(m.content for m in request.messages))


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


def _pieces(text: str, max_chars: int) -> list[str]:
    """Blank-line paragraphs; a paragraph too long is split by lines, a line too long by characters."""
    out: list[str] = []
    for block in (b for b in re.split(r"\n\s*\n", text) if b.strip()):
        if len(block) <= max_chars:
            out.append(block)
            continue
        for line in (ln for ln in block.split("\n") if ln.strip()):
            out.extend(_split_chars(line, max_chars) if len(line) > max_chars else [line])
    return out


def chunk_text(text: str, max_tokens: int) -> list[str]:
    """Pack paragraphs (then lines, then character runs) greedily into chunks of ≤ `max_tokens`."""
    if max_tokens < 1:
        raise ValueError("max_tokens must be positive")
    max_chars = max_tokens * CHARS_PER_TOKEN
    if len(text) <= max_chars:
        return [text] if text.strip() else []
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, max_chars):
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
    return pack(items, lambda item: len(_item_line(item)) + 1, max_tokens * CHARS_PER_TOKEN)


def pack(things: Iterable[T], size_of: Callable[[T], int], limit: int) -> list[list[T]]:
    """Consecutive groups in order, each closed when the next thing would take it over `limit`
    (one thing over the limit alone is a group of its own)."""
    groups: list[list[T]] = []
    current: list[T] = []
    size = 0
    for thing in things:
        length = size_of(thing)
        if current and size + length > limit:
            groups.append(current)
            current, size = [], 0
        current.append(thing)
        size += length
    if current:
        groups.append(current)
    return groups


def split_oversized(items: Sequence[Item], max_tokens: int) -> list[Item]:
    """Cut any item longer than the budget into character pieces that keep the item's id.

    Only for reading tasks (analysis): a quote from a piece is still a quote from the item.
    """
    max_chars = max(1, max_tokens * CHARS_PER_TOKEN - len(_item_line(Item(id="x" * 12, text=""))) - 1)
    out: list[Item] = []
    for item in items:
        if len(_item_line(item)) + 1 <= max_tokens * CHARS_PER_TOKEN:
            out.append(item)
            continue
        out.extend(item.model_copy(update={"text": piece}) for piece in _split_chars(item.text, max_chars))
    return out


def fits(item: Item, max_tokens: int) -> bool:
    return len(_item_line(item)) + 1 <= max_tokens * CHARS_PER_TOKEN


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
