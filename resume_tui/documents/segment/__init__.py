"""Split extracted lines into a header block, sections and items.

Headings are recognised from what the format knows (DOCX heading styles, Markdown #,
whole-line bold) and from what text shows (ALL CAPS, a trailing colon, a standalone
known section name). Every non-empty line outside the header ends up in exactly one
item, so nothing a user wrote is silently dropped. All patterns are linear and only run
on lines of bounded length.

    lines.py     raw lines → Line (markup, bullets, repairs)
    headings.py  which lines are section headings
    dates.py     dates, date ranges and role lines
    items.py     a section's lines → items (wrapped lines joined)
    document.py  the whole document: header, sections, warnings
"""

from resume_tui.documents.section_names import MAX_HEADING, section_kind_for_heading
from resume_tui.documents.segment.dates import DATE, DATE_RANGE, is_role_line
from resume_tui.documents.segment.document import Segmented, segment
from resume_tui.documents.segment.headings import HeadingCall, classify_heading
from resume_tui.documents.segment.items import build_items, document_vocabulary
from resume_tui.documents.segment.lines import MAX_PATTERN_LINE, Line, prepare_lines

__all__ = [
    "DATE",
    "DATE_RANGE",
    "MAX_HEADING",
    "MAX_PATTERN_LINE",
    "HeadingCall",
    "Line",
    "Segmented",
    "build_items",
    "classify_heading",
    "document_vocabulary",
    "is_role_line",
    "prepare_lines",
    "section_kind_for_heading",
    "segment",
]
