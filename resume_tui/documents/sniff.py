"""Identify a file by its bytes, never by its name.

Resumes arrive renamed, mis-saved and exported from odd tools; the extension is only a
hint. `sniff` reads a small head of the file (and a zip's directory) and says what it
really is so ingest can pick a reader or refuse with a clear sentence.
"""

from __future__ import annotations

import zipfile
from enum import StrEnum
from pathlib import Path

SUPPORTED = "PDF, DOCX, Markdown (.md), plain text (.txt) or JSON Resume (.json)"
HEAD_BYTES = 8192


class Kind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    TEXT = "text"
    JSON = "json"  # text that opens with "{": a JSON Resume (the reader says so if it is not one)
    DAMAGED_DOCX = "damaged_docx"  # a Word package (word/ parts) without word/document.xml
    EMPTY = "empty"
    DOC = "doc"  # legacy OLE Word (or other OLE Office file)
    ODT = "odt"
    RTF = "rtf"
    IMAGE = "image"
    OFFICE_OTHER = "office"  # xlsx, pptx, ods…
    ZIP = "zip"
    CORRUPT_ZIP = "corrupt_zip"
    BINARY = "binary"


_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
)

# Human names for refusals.
DESCRIPTION: dict[Kind, str] = {
    Kind.DOC: "a legacy Word .doc (or other old Office) file",
    Kind.ODT: "an OpenDocument file",
    Kind.RTF: "an RTF file",
    Kind.IMAGE: "an image",
    Kind.OFFICE_OTHER: "a spreadsheet or presentation",
    Kind.ZIP: "a zip archive",
    Kind.BINARY: "a binary file",
}

# Extensions and the kind their content should have (for mismatch warnings).
EXPECTED: dict[str, Kind] = {
    ".pdf": Kind.PDF,
    ".docx": Kind.DOCX,
    ".md": Kind.TEXT,
    ".markdown": Kind.TEXT,
    ".txt": Kind.TEXT,
    ".text": Kind.TEXT,
    ".json": Kind.JSON,
    ".doc": Kind.DOC,
    ".odt": Kind.ODT,
    ".rtf": Kind.RTF,
}


def _looks_like_utf16(head: bytes) -> bool:
    """BOM-less UTF-16: NUL bytes on one parity of mostly-ASCII text."""
    sample = head[:4096]
    if len(sample) < 8:
        return False
    even = sample[0::2]
    odd = sample[1::2]
    for zeros, chars in ((even, odd), (odd, even)):
        if zeros.count(0) > 0.4 * len(zeros):
            printable = sum(1 for b in chars if b >= 0x20 or b in (9, 10, 13))
            return printable > 0.8 * len(chars)
    return False


def sniff_bytes(head: bytes) -> Kind:
    """Classify by magic numbers alone (zip containers need `sniff` for their directory)."""
    if not head:
        return Kind.EMPTY
    if b"%PDF-" in head[:1024]:
        return Kind.PDF
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return Kind.ZIP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Kind.DOC
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"{\\rtf"):
        return Kind.RTF
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return Kind.IMAGE
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypavif"):
        return Kind.IMAGE
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(head):
        return Kind.TEXT
    if b"\x00" in head:
        return Kind.BINARY
    if not head.strip():
        return Kind.EMPTY
    return Kind.TEXT


def _zip_kind(path: Path) -> Kind:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return Kind.DOCX
            if "mimetype" in names:
                with archive.open("mimetype") as member:  # never inflate more than we look at
                    mimetype = member.read(200)
                if b"opendocument" in mimetype:
                    return Kind.ODT if b"text" in mimetype else Kind.OFFICE_OTHER
            if any(name.startswith(("xl/", "ppt/")) for name in names):
                return Kind.OFFICE_OTHER
            if any(name.startswith("word/") for name in names):
                return Kind.DAMAGED_DOCX  # Word's own parts are there, the body is not
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as member:
                    types = member.read(65536)
                word = b"wordprocessingml" in types or path.suffix.lower() == ".docx"
                return Kind.DAMAGED_DOCX if word else Kind.OFFICE_OTHER
            return Kind.ZIP
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, EOFError, NotImplementedError):
        return Kind.CORRUPT_ZIP


def sniff(path: Path, head: bytes) -> Kind:
    """What the file at `path` (whose first bytes are `head`) really contains."""
    kind = sniff_bytes(head)
    if kind is Kind.ZIP:
        return _zip_kind(path)
    if kind is Kind.TEXT and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return Kind.JSON
    return kind


def extension_mismatch(path: Path, kind: Kind) -> str | None:
    """A warning when the name promises one format and the bytes hold another."""
    expected = EXPECTED.get(path.suffix.lower())
    if expected is None or expected is kind:
        return None
    return (
        f"{path.name} is named {path.suffix.lower()} but contains {kind.value.upper()} data; "
        "it was read as its content, not its name."
    )
