"""Section headings: which lines are headings, and which section kind a heading names.

Known names in many phrasings map to a SectionKind; unknown headings are kept as OTHER
sections with their title. Only lines of bounded length are examined.
"""

from __future__ import annotations

from dataclasses import dataclass

from resume_tui.documents.contact import is_contact_line
from resume_tui.documents.section_names import (
    MAX_HEADING,
    _heading_words_only,
    _is_caps,
    section_kind_for_heading,
)
from resume_tui.documents.segment.dates import is_role_line
from resume_tui.documents.segment.lines import Line
from resume_tui.models import SectionKind


@dataclass
class HeadingCall:
    kind: SectionKind
    known: bool


def classify_heading(line: Line, main_level: int | None) -> HeadingCall | None:
    """Is this line a section heading, and of which kind?"""
    text = line.text
    if line.blank or line.bullet or len(text) > MAX_HEADING:
        return None
    kind = section_kind_for_heading(text)
    if line.hint == "title":
        # Word's Title style holds the name; it is a section only if it names one.
        return HeadingCall(kind, True) if kind not in (None, SectionKind.OTHER) and _heading_words_only(text) else None
    level = line.level
    strong = level is not None and (main_level is None or level <= main_level)
    if level is not None and not strong:
        # A deeper heading style: a section when it is only a section name (documents mix
        # Heading 1 and Heading 2 for sections), else a role/sub-heading item.
        if kind not in (None, SectionKind.OTHER) and _heading_words_only(text) and not text.endswith("."):
            return HeadingCall(kind, True)
        return None
    if kind is not None:
        if main_level is not None and text.endswith(":") and not (strong or line.hint == "bold" or _is_caps(text)):
            # Sections here carry heading levels (Markdown "##", Word heading styles): a plain
            # "Projekte:" line is a label within a role, not a section that takes the roles after it.
            return None
        colon = text.endswith(":") and len(text.split()) <= 3 and _heading_words_only(text)
        weak = strong or line.hint == "bold" or _is_caps(text) or colon
        if weak or (len(text.split()) <= 4 and _heading_words_only(text) and not text.endswith(".")):
            return HeadingCall(kind, True)
        return None
    if strong:
        return HeadingCall(SectionKind.OTHER, False)
    return None


def _unknown_weak_heading(line: Line) -> bool:
    """ALL CAPS or whole-bold short line that is not a role line: an unnamed heading."""
    text = line.text
    if line.blank or line.bullet or len(text) > 50 or len(text.split()) > 6:
        return False
    if not (_is_caps(text) or line.hint == "bold"):
        return False
    if is_role_line(text) or is_contact_line(text) or text.endswith((".", ",")):
        return False
    return any(ch.isalpha() for ch in text)


# ------------------------------------------------------------------ items
