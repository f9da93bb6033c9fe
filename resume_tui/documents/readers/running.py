"""Running page headers and footers: the same lines at the top or bottom of every page.

A name/URL block or "Page 2 of 3" printed on each page is page furniture, not content;
left in, it lands as an item in whatever section the page break falls in. Two signals:
- with page numbers (PDF): a line repeated in the top or bottom zone of two or more pages
  (page numbers normalised, so "Page 1 of 2" and "Page 2 of 2" match);
- without them (text renderings, DOCX bodies): a later block of two or more lines that
  repeats the document's header block and holds its name or a contact line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence

ZONE = 3  # non-blank lines at the top and at the bottom of a page that may be furniture
MAX_LINE = 200
_NUMBER = re.compile(r"\b\d{1,3}\b")
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?#(?:\s*(?:of|/)\s*#)?$|^[-–—]\s*#\s*[-–—]$", re.IGNORECASE)


def _key(text: str) -> str:
    """Normalise a line so that page-numbered variants compare equal."""
    return " ".join(_NUMBER.sub("#", text.lower()).split())


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(_key(text)))


def _worth(text: str) -> bool:
    key = _key(text)
    return len(text) <= MAX_LINE and (is_page_number(text) or sum(ch.isalpha() for ch in key) >= 3)


def paged_running_lines(
    texts: Sequence[str], pages: Sequence[int | None], protected: Callable[[int], bool]
) -> set[int]:
    """Indices of lines repeated in the top/bottom zone of ≥ 2 pages (`protected` lines, e.g.
    section headings, never count)."""
    by_page: dict[int, list[int]] = defaultdict(list)
    for index, (text, page) in enumerate(zip(texts, pages)):
        if page is not None and text.strip():
            by_page[page].append(index)
    if len(by_page) < 2:
        return set()
    where: dict[str, set[int]] = defaultdict(set)
    zone_lines: dict[str, list[int]] = defaultdict(list)
    for page, indices in by_page.items():
        zone = indices[:ZONE] + [i for i in indices[-ZONE:] if i not in indices[:ZONE]]
        for index in zone:
            if protected(index) or not _worth(texts[index]):
                continue
            key = _key(texts[index])
            where[key].add(page)
            zone_lines[key].append(index)
    return {index for key, found in where.items() if len(found) >= 2 for index in zone_lines[key]}


def repeated_header_blocks(
    texts: Sequence[str],
    header_count: int,
    anchor: Callable[[str], bool],
    protected: Callable[[int], bool],
) -> set[int]:
    """Indices after the header of blocks (≥ 2 lines, blanks between them allowed) that
    repeat header lines and include an `anchor` line (the name or a contact line)."""
    header = {_key(t) for t in texts[:header_count] if t.strip() and len(t) <= MAX_LINE}
    if not any(anchor(t) for t in texts[:header_count] if t.strip()):
        return set()
    found: set[int] = set()
    block: list[int] = []

    def close() -> None:
        if len(block) >= 2 and any(anchor(texts[i]) for i in block):
            found.update(block)
        block.clear()

    for index in range(header_count, len(texts)):
        text = texts[index]
        if not text.strip():
            continue
        if len(text) <= MAX_LINE and not protected(index) and _key(text) in header:
            block.append(index)
        else:
            close()
    close()
    return found
