"""Headings in the shapes real resumes give them: decorated ("— Skills —", "== EDUCACIÓN =="),
and ALL-CAPS headings run into their first line of text ("APTITUDES Python, SQL, Excel"),
which PDF text extraction produces when a heading and its text share a baseline.

Both are recognised only when the heading part is nothing but a section name, so a role line
in capitals ("PROJECT MANAGER Acme Corp") is never cut.
"""

from __future__ import annotations

import re

from resume_tui.documents.section_names import MAX_HEADING, _heading_words_only, _is_caps, section_kind_for_heading

_DECOR = r"[-–—=*~•·#_|:<>»«\[\]{}/\\+]"
_DECORATED = re.compile(rf"^{_DECOR}+[ \t]*([^\W\d_][^\n]{{0,{MAX_HEADING}}}?)[ \t]*{_DECOR}*$")
_CAPS_WORD = re.compile(r"^[^\W\d_a-zß-ÿ][^\W\d_a-zß-ÿ&/'’-]*:?$")


def undecorate(text: str) -> str | None:
    """ "— Skills —" → "Skills" when the words inside name a section, else None."""
    if len(text) > MAX_HEADING + 20:
        return None
    match = _DECORATED.match(text)
    if not match:
        return None
    inner = match.group(1).strip(" \t-–—=*~•·#_|:<>»«[]{}/\\+")
    if not inner or section_kind_for_heading(inner) is None or not _heading_words_only(inner):
        return None
    return inner


def split_run_in(text: str) -> tuple[str, str] | None:
    """ "APTITUDES Python, SQL" → ("APTITUDES", "Python, SQL"): the whole leading run of
    capitalised words must be a section name and the rest must read as ordinary text."""
    if len(text) > 300:
        return None
    tokens = text.split(" ")
    count = 0
    while count < len(tokens) and count < 6 and _CAPS_WORD.match(tokens[count]) and sum(ch.isalpha() for ch in tokens[count]) >= 2:
        count += 1
    if count == 0 or count == len(tokens):
        return None
    head = " ".join(tokens[:count]).rstrip(":")
    rest = " ".join(tokens[count:]).strip()
    if not rest or not any(ch.islower() for ch in rest[:40]) or not _is_caps(head):
        return None
    if section_kind_for_heading(head) is None or not _heading_words_only(head):
        return None
    return head, rest


_OPEN_ENDED = re.compile(r"\s(?:AND|&|OF|ET|Y|UND|E|EN)$")


def join_wrapped_headings(lines: list[str]) -> tuple[list[str], list[int], list[str]]:
    """A capitals heading wrapped onto two lines ("FELLOWSHIPS AND" / "RECOGNITIONS") is joined: the
    first line ends on a conjunction, both are short capitals and together they name a section.
    Returns the lines, each output line's first input line, and the joined headings."""
    out: list[str] = []
    firsts: list[int] = []
    joined: list[str] = []
    index = 0
    while index < len(lines):
        text = lines[index].strip()
        if index + 1 < len(lines) and len(text) <= 40 and _is_caps(text) and _OPEN_ENDED.search(text):
            following = lines[index + 1].strip()
            whole = f"{text} {following}"
            if 0 < len(following) <= 40 and _is_caps(following) and section_kind_for_heading(whole) is not None:
                out.append(whole)
                firsts.append(index)
                joined.append(whole)
                index += 2
                continue
        out.append(lines[index])
        firsts.append(index)
        index += 1
    return out, firsts, joined
