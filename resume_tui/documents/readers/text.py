"""Plain text and Markdown: decode any common encoding (BOMs, UTF-16, cp1252/Latin-1)."""

from __future__ import annotations

import codecs
import re

from resume_tui.documents.readers.base import ExtractedText, normalize_newlines
from resume_tui.documents.readers.codepages import best_latin_decoding
from resume_tui.errors import InputError
from resume_tui.models import SourceFormat

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DETECT_SAMPLE = 256 * 1024
# Encodings of other scripts that charset-normalizer may propose and we accept as they are;
# between Latin-script code pages (cp1252, cp1250, …) the letters decide (codepages.py).
_OTHER_SCRIPTS = ("1251", "1253", "1255", "1256", "koi8", "8859_5", "8859_7", "8859_6", "8859_8", "mac_cyrillic", "shift_jis", "gb", "big5", "euc", "cp932", "cp949", "utf_16", "utf_32")


def _utf16_guess(data: bytes) -> str | None:
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * max(len(odd), 1):
        return "utf-16-le"
    if even.count(0) > 0.4 * max(len(even), 1):
        return "utf-16-be"
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Never raises on odd bytes: falls back with replacement."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), name
    utf16 = _utf16_guess(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly, "utf-8 (with bad bytes replaced)"
    guess: str | None = None
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:_DETECT_SAMPLE]).best()
        guess = best.encoding if best is not None else None
    except Exception:  # detection is best effort; cp1252 below is a sound default
        guess = None
    if guess and any(tag in guess.lower() for tag in _OTHER_SCRIPTS):
        try:
            return data.decode(guess), guess
        except (UnicodeDecodeError, LookupError):
            pass
    # Latin-script text: the code page whose letters read as one language wins (cp1252, a
    # superset of Latin-1's printable range, on a tie); undefined bytes become U+FFFD.
    return best_latin_decoding(data, guess)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few stray bytes (a pasted cp1252 dash): keep UTF-8 and replace only
    the bad bytes, rather than re-reading the whole file in a legacy code page, which garbles
    every real UTF-8 character. Needs at least twice as many valid multi-byte characters as
    bad bytes; a file with none is legacy-encoded, not damaged UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f" and ch != "\ufffd")
    return text if good >= 2 * bad and good > 0 else None


# HTML that Markdown resumes use for layout: collapsible blocks, line breaks, bold, centring.
_LAYOUT_TAGS = "details|summary|br|b|i|u|em|strong|span|div|p|center|small|sub|sup|font|hr"
_TAG_RE = re.compile(rf"</?(?:{_LAYOUT_TAGS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
_TAG_ONLY_LINE_RE = re.compile(rf"^[ \t]*(?:</?(?:{_LAYOUT_TAGS})(?:\s[^<>]*)?/?>[ \t]*)+$", re.IGNORECASE | re.MULTILINE)


def strip_layout_html(text: str) -> tuple[str, list[str]]:
    """Markdown with HTML layout tags (`<details><summary>Duties</summary>`, `<br>`): the tags go,
    their text stays. Read as text, a `<details>` line became a section of its own and the role's
    bullets were filed under it, away from their role. Returns the text and the tags removed."""
    found = sorted({m.group(0).strip("</>").split()[0].lower() for m in _TAG_RE.finditer(text)})
    if not found:
        return text, []
    text = _TAG_ONLY_LINE_RE.sub("", text)
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)  # a line break, as Markdown renders it
    return _TAG_RE.sub("", text), found


def as_markdown(extracted: ExtractedText) -> None:
    """Mark text read from a Markdown file as such, its HTML layout tags read for their text."""
    extracted.source_format = SourceFormat.MARKDOWN
    extracted.text, tags = strip_layout_html(extracted.text)
    extracted.text = re.sub(r"(?<!\\)\\[ \t]*$", "", extracted.text, flags=re.MULTILINE)  # "Berlin\": a hard line break
    if tags:
        shown = ", ".join(f"<{t}>" for t in tags)
        extracted.warnings.append(f"HTML layout tags ({shown}) were read for their text only; exports do not keep them.")


def read_text(data: bytes, source_format: SourceFormat, name: str = "The file") -> ExtractedText:
    text, encoding = decode_bytes(data)
    text = normalize_newlines(text)
    warnings = []
    if not text.strip():
        raise InputError(f"{name} is empty (it has no text) — choose the file that contains your document.")
    if not encoding.startswith("utf"):
        warnings.append(f"Text was decoded as {encoding}.")
    elif "replaced" in encoding:
        bad = text.count("\ufffd")
        warnings.append(f"{name} is UTF-8 with {bad} invalid byte(s); they were replaced with \ufffd and the rest kept.")
    return ExtractedText(text=text, source_format=source_format, warnings=warnings)
