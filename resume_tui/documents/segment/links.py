"""Links that a PDF or a narrow column wrapped across two lines ("linkedin.com/in/juan-carlos-"
then "larico-depaz") are joined back, so the contact block keeps the whole address.

Only a link that ends where an address cannot end (after "-", "/", "_", "=", "?", "&", ".")
is joined, and only with a next line that is one address-like token (not a capitalised word
or a section heading, which start the next part of the document).
"""

from __future__ import annotations

import re

from resume_tui.documents.section_names import section_kind_for_heading

_LINK_AT_END = re.compile(
    r"(?:https?://|www\.|\b(?:linkedin|github|gitlab)\.com/)[^\s<>()\[\]|,;]{0,200}[-/_=?&]$", re.IGNORECASE
)
_CONTINUATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_/.%?=&#~]{0,120}$")


def join_wrapped_links(lines: list[str]) -> tuple[list[str], list[int], list[str]]:
    """(lines with wrapped links joined, index of each output line's first input line, the joined links)."""
    out: list[str] = []
    firsts: list[int] = []
    joined: list[str] = []
    index = 0
    while index < len(lines):
        text = lines[index]
        stripped = text.rstrip()
        if index + 1 < len(lines) and len(stripped) <= 300 and _LINK_AT_END.search(stripped):
            following = lines[index + 1].strip()
            if _continues(following):
                out.append(stripped + following)
                firsts.append(index)
                joined.append(_LINK_AT_END.search(stripped).group(0) + following)  # type: ignore[union-attr]
                index += 2
                continue
        out.append(text)
        firsts.append(index)
        index += 1
    return out, firsts, joined


def _continues(following: str) -> bool:
    if not _CONTINUATION.match(following) or "@" in following or following.lower().startswith(("http", "www.")):
        return False
    if following.isalpha() and following[:1].isupper():
        return False  # "Experience", "Lima": a word of the document, not the rest of an address
    return section_kind_for_heading(following) is None
