"""The one shape every reader returns, so segmentation never cares about the format."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from resume_tui.models import Origin, SourceFormat, TextSpan

# Every character str.splitlines() treats as a break, mapped to "\n" so that
# `text.split("\n")` and per-line metadata always line up.
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def normalize_newlines(text: str) -> str:
    return _BREAKS.sub("\n", text.replace("\x00", ""))


@dataclass
class ExtractedText:
    """Text of a document, one entry of `lines` (an Origin) per line of `text`.

    `hints` carries what the source format knew about a line and plain text cannot show
    ("h1".."h6" heading styles, "bold" whole-line emphasis, "bullet" list paragraphs);
    `spans` the bold/italic runs of each line; `links` hyperlink targets (DOCX links
    hide their URL behind words like "LinkedIn").
    """

    text: str
    source_format: SourceFormat
    warnings: list[str] = field(default_factory=list)
    lines: list[Origin] = field(default_factory=list)
    hints: list[str | None] = field(default_factory=list)
    spans: list[list[TextSpan]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        count = self.text.count("\n") + 1
        if not self.lines:
            self.lines = [Origin(line=i + 1) for i in range(count)]
        if not self.hints:
            self.hints = [None] * count
        if not self.spans:
            self.spans = [[] for _ in range(count)]
