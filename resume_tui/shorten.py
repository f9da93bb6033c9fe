"""A quoted line, kept short: white space folded to single spaces, cut with an ellipsis.

Guard reasons, read-back problems, the gap report and the CLI's tables quote a line of the
resume or posting inside a sentence; they all shorten it this one way. Bottom layer: imports
nothing of the package.
"""

from __future__ import annotations


def one_line(text: str, limit: int) -> str:
    """`text` on one line, at most `limit` characters; a cut ends in "…"."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
