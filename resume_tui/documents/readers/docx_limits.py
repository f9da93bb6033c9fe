"""Bounded work on any DOCX: check the package before python-docx sees it.

python-docx reads every part of a package into memory, images included, and a ZIP member
may inflate 1000:1 — a 4 MB file with a 4 GB image part took 8 GB. So before parsing:
every member's uncompressed size and the total are checked against limits (the refusal
names the sizes); parts a resume does not need (images, fonts, embedded files) are
replaced by empty bytes in an in-memory copy and are never inflated; and the body is
counted (paragraphs, table cells, characters) so a document beyond what any resume
needs is refused in milliseconds instead of parsed for minutes.

Entities are never expanded and DTDs never loaded: python-docx's parser has
resolve_entities=False and lxml neither loads external DTDs nor uses the network; a
package whose XML declares a DOCTYPE is refused outright, since Word never writes one.
"""

from __future__ import annotations

import io
import time
import zipfile

from resume_tui.errors import InputError

MAX_MEMBERS = 2_000
# XML becomes an lxml tree ~5-10x its size: these keep a parse well under 300 MB.
MAX_XML_MEMBER = 10 * 1024 * 1024  # one XML part (document.xml of a 10-page resume is < 1 MB)
MAX_XML_TOTAL = 25 * 1024 * 1024  # all XML parts together
MAX_MEDIA_MEMBER = 25 * 1024 * 1024  # an image or embedded file copied into an in-place export
MAX_MEDIA_TOTAL = 100 * 1024 * 1024
MAX_PARAGRAPHS = 10_000
MAX_TABLE_CELLS = 10_000
MAX_CHARACTERS = 1_000_000
CPU_BUDGET_S = 15.0  # per document, CPU time of the reading thread (the largest allowed takes ~3 s)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def size_text(size: int) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB"
    if size >= 1024**2:
        return f"{size / 1024**2:.1f} MB"
    return f"{size / 1024:.0f} KB"


def is_xml_part(filename: str) -> bool:
    """Parts python-docx parses (XML and relationships); everything else is payload."""
    return filename.lower().endswith((".xml", ".rels"))


def _damaged(name: str) -> InputError:
    return InputError(f"{name} is a damaged Word document — open it in Word and save it again as .docx.")


def check_members(infos: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse a package whose members (declared uncompressed sizes) exceed the limits.

    Python's zipfile never inflates a member past its declared size (it stops and fails
    the CRC check), so the declared sizes bound the work."""
    if len(infos) > MAX_MEMBERS:
        raise InputError(
            f"{name} holds {len(infos):,} files inside, over the {MAX_MEMBERS:,} limit for a Word document — "
            "save it again from Word as .docx."
        )
    xml_total = 0
    for info in infos:
        if is_xml_part(info.filename):
            if info.file_size > MAX_XML_MEMBER:
                raise InputError(
                    f"{name} is refused: its part {info.filename} expands to {size_text(info.file_size)}, "
                    f"over the {size_text(MAX_XML_MEMBER)} limit per part — save it again from Word as .docx or PDF."
                )
            xml_total += info.file_size
    if xml_total > MAX_XML_TOTAL:
        raise InputError(
            f"{name} is refused: its XML parts expand to {size_text(xml_total)} in total, over the "
            f"{size_text(MAX_XML_TOTAL)} limit — save it again from Word as .docx or PDF."
        )


def safe_package(data: bytes, name: str) -> bytes:
    """An in-memory copy of the DOCX with only the XML parts filled in (checked first)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            check_members(infos, name)
            if "word/document.xml" not in {i.filename for i in infos}:
                raise _damaged(name)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
                seen: set[str] = set()
                for info in infos:
                    if info.filename in seen or info.is_dir():
                        continue
                    seen.add(info.filename)
                    blob = archive.read(info) if is_xml_part(info.filename) else b""
                    if b"<!DOCTYPE" in blob[:65536] or b"<!ENTITY" in blob[:65536]:
                        raise InputError(
                            f"{name} is refused: its part {info.filename} declares a DTD or entities, which Word "
                            "never writes (it is a known attack) — save it again from Word as .docx."
                        )
                    copy.writestr(info.filename, blob)
            return out.getvalue()
    except InputError:
        raise
    except Exception as exc:  # BadZipFile, CRC errors, truncated members, bad compression…
        raise _damaged(name) from exc


def check_body(body, name: str) -> None:  # noqa: ANN001 - an lxml element
    """Count the body before extracting it: refuse documents beyond what a resume needs."""
    paragraphs = cells = chars = 0
    for element in body.iter(f"{_W}p", f"{_W}tc", f"{_W}t"):
        tag = element.tag
        if tag == f"{_W}p":
            paragraphs += 1
            if paragraphs > MAX_PARAGRAPHS:
                raise InputError(
                    f"{name} has more than {MAX_PARAGRAPHS:,} paragraphs, over the limit for a resume or posting "
                    "— load only the resume (or the posting) itself."
                )
        elif tag == f"{_W}tc":
            cells += 1
            if cells > MAX_TABLE_CELLS:
                raise InputError(
                    f"{name} has more than {MAX_TABLE_CELLS:,} table cells, over the limit for a resume or "
                    "posting — load only the resume (or the posting) itself."
                )
        else:
            chars += len(element.text or "")
            if chars > MAX_CHARACTERS:
                raise InputError(
                    f"{name} has more than {MAX_CHARACTERS:,} characters of text, over the limit for a resume "
                    "or posting — load only the resume (or the posting) itself."
                )


class CpuBudget:
    """Refuse, in one sentence, a document that has used up its CPU time (the reading
    thread's own time, so other threads of the TUI do not count against it)."""

    def __init__(self, name: str, seconds: float | None = None) -> None:
        self.name = name
        self.seconds = CPU_BUDGET_S if seconds is None else seconds
        self.started = time.thread_time()

    def check(self) -> None:
        if time.thread_time() - self.started > self.seconds:
            raise InputError(
                f"{self.name} needed more than {self.seconds:.0f} s of processing, over the limit for a resume or "
                "posting — save a shorter version as .docx or PDF."
            )
