"""Untrusted text never drives a terminal: strip control sequences from documents, postings,
file names and model output.

A resume or posting (often fetched from the web) can carry escape sequences that clear the
screen, retitle the window, plant an OSC 8 hyperlink to a local file or write the
clipboard (OSC 52). Two uses, one module at the bottom of the layers so every other layer
may import it:

- `clean_text` for text we keep (ingest, exports): removes ESC/CSI/OSC/DCS sequences and
  other C0/C1 control characters, keeps newlines and tabs, keeps bidi marks (legitimate in
  right-to-left text), and counts what went so a warning can name it;
- `display_safe` for text we print: the same, plus bidi overrides/isolates shown as
  visible `<U+202E>` so reordered text cannot disguise what it says.
"""

from __future__ import annotations

import re
from collections import Counter

# ESC-introduced string sequences (OSC, DCS, SOS, PM, APC) run to BEL or ST (ESC \ or 0x9C);
# an unterminated one runs to the end of the text — all of it is the attacker's payload.
_STRING_SEQ = r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c|$)"
# CSI: ESC [ or 0x9B, parameter and intermediate bytes, one final byte.
_CSI = r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
# Any other escape: ESC, optional intermediates, one final byte (ESC c resets the terminal).
_OTHER_ESC = r"\x1b[\x20-\x2f]*[\x30-\x7e]?"
_SEQUENCES = re.compile(f"{_STRING_SEQ}|{_CSI}|{_OTHER_ESC}")
# C0 except tab and newline, DEL, and C1.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi embeddings, overrides and isolates: they reorder what a reader sees.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")

# user[:password]@ in a URL ("http://user:pass@host", "https://TOKEN@host"): never printed.
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")

ESCAPES = "terminal escape sequences"
CONTROLS = "control characters"


def clean_text(text: str) -> tuple[str, Counter[str]]:
    """`text` without escape sequences and control characters (newline and tab kept),
    and how many of each were removed."""
    removed: Counter[str] = Counter()
    if not _needs_work(text):
        return text, removed
    text, escapes = _SEQUENCES.subn("", text)
    text, controls = _CONTROLS.subn("", text)
    if escapes:
        removed[ESCAPES] = escapes
    if controls:
        removed[CONTROLS] = controls
    return text, removed


def strip_controls(text: str) -> str:
    """`clean_text` without the count."""
    return clean_text(text)[0]


def mask_credentials(text: str) -> str:
    """"http://user:pass@host/v1" → "http://***@host/v1"."""
    return _URL_CREDENTIALS.sub(r"\1***@", text) if "@" in text else text


def display_safe(text: object, *, single_line: bool = False) -> str:
    """Text for a terminal: no control sequences, bidi overrides shown as <U+XXXX>, no
    credentials inside URLs; `single_line` also turns newlines and tabs into spaces."""
    value = mask_credentials(strip_controls(str(text)))
    if _BIDI.search(value):
        value = _BIDI.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", value)
    if single_line:
        value = value.replace("\n", " ").replace("\t", " ")
    return value


def describe_removed(removed: Counter[str], where: str) -> str | None:
    """"Removed 3 terminal escape sequences and 2 control characters from cv.pdf." or None."""
    if not removed:
        return None
    parts = [f"{count} {kind if count != 1 else kind[:-1]}" for kind, count in removed.items()]
    return f"Removed {' and '.join(parts)} from {where}; the rest of the text is kept as it was."


def _needs_work(text: str) -> bool:
    return bool(_CONTROLS.search(text))
