"""Export a tailored resume to DOCX, PDF, HTML, Markdown, plain text or JSON Resume — atomically.

`plan_writes` tells the approval screen exactly what would be written (path, format,
size, overwrite?) without touching the disk; `write_export` renders one file and moves it
into place atomically, refusing the source file and (unless approved) existing files.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resume_tui.documents.atomic import atomic_write, same_file
from resume_tui.errors import InputError
from resume_tui.models import Resume, SourceFormat
from resume_tui.textsafe import clean_text, describe_removed

from .html import render_html
from .markdown import render_markdown
from .text import render_text

# fpdf2 and python-docx are imported on first use: they cost ~0.3 s at start-up otherwise.

__all__ = [
    "FORMATS",
    "PlannedWrite",
    "PreparedExport",
    "check_destination",
    "prepare_export",
    "WrittenFile",
    "format_for_path",
    "plan_writes",
    "render",
    "write_export",
]

# Canonical format name → file extensions it accepts.
FORMATS: dict[str, tuple[str, ...]] = {
    "docx": (".docx",),
    "pdf": (".pdf",),
    "html": (".html", ".htm"),
    "md": (".md", ".markdown"),
    "txt": (".txt", ".text"),
    "json": (".json",),  # JSON Resume (jsonresume.org, schema v1.2.1)
}
_ALIASES = {"markdown": "md", "text": "txt", "htm": "html", "plain": "txt", "jsonresume": "json", "json-resume": "json"}
_MAX_NAME_BYTES = 255
_TYPICAL_BYTES = {"docx": 38_000, "pdf": 34_000, "html": 9_000, "md": 3_500, "txt": 3_200, "json": 7_000}


@dataclass(frozen=True)
class PlannedWrite:
    path: Path
    format: str
    approx_bytes: int
    overwrites: bool


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    format: str
    bytes: int
    sha256: str
    # What the user should know about this file (in-place DOCX fell back to a clean one, a glyph could not be drawn…).
    notes: tuple[str, ...] = field(default=())


def normalise_format(fmt: str) -> str:
    key = fmt.lower().lstrip(".").strip()
    key = _ALIASES.get(key, key)
    if key not in FORMATS:
        raise InputError(f"Unknown export format {fmt!r}; use one of docx, pdf, html, md, txt or json.")
    return key


def format_for_path(path: str | os.PathLike[str]) -> str:
    suffix = Path(path).suffix.lower()
    for fmt, suffixes in FORMATS.items():
        if suffix in suffixes:
            return fmt
    shown = suffix or "no extension"
    raise InputError(
        f"Cannot tell the export format of {Path(path).name} ({shown}); name it .docx, .pdf, .html, .md, .txt or .json (JSON Resume)."
    )


def _refuse_source(path: Path, source_path: str | None) -> None:
    if source_path and same_file(path, source_path):
        raise InputError(
            f"{path} is the resume you imported; choose another file name so the original is never overwritten."
        )


def plan_writes(
    outputs: Sequence[str | os.PathLike[str]],
    *,
    source_path: str | None,
    tailored: Resume | None = None,
    original: Resume | None = None,
) -> list[PlannedWrite]:
    """What would be written, for the approval modal; nothing touches the disk.

    With `tailored` given the sizes are exact (the files are rendered in memory); without
    it they are typical sizes for a one- or two-page resume.
    """
    plans: list[PlannedWrite] = []
    seen: list[Path] = []
    for raw in outputs:
        path = Path(raw).expanduser()
        fmt = format_for_path(path)
        _refuse_source(path, source_path)
        if any(same_file(path, earlier) for earlier in seen):
            raise InputError(f"{path} is listed twice; give each output its own file name.")
        seen.append(path)
        check_destination(path)
        if path.is_dir():
            raise InputError(f"{path} is a folder; give a file name such as {path / ('resume.' + fmt)}.")
        if tailored is not None:
            size = len(render(tailored, original or tailored, fmt)[0])
        else:
            size = _TYPICAL_BYTES[fmt]
        plans.append(PlannedWrite(path=path, format=fmt, approx_bytes=size, overwrites=path.exists()))
    return plans


def render(tailored: Resume, original: Resume, fmt: str) -> tuple[bytes, list[str]]:
    """The bytes of one export plus notes for the user; no disk writes."""
    fmt = normalise_format(fmt)
    tailored, cleaned = _without_controls(tailored)
    if fmt == "docx":
        data, notes = _render_docx(tailored, original)
    elif fmt == "pdf":
        from .pdf import render_pdf

        data, notes = render_pdf(tailored, original)
    elif fmt == "html":
        data, notes = render_html(tailored), []
    elif fmt == "md":
        data, notes = render_markdown(tailored), []
    elif fmt == "json":
        from .jsonresume import render_jsonresume

        data, notes = render_jsonresume(tailored, original)
    else:
        data, notes = render_text(tailored), []
    return data, cleaned + list(notes)


def _without_controls(resume: Resume) -> tuple[Resume, list[str]]:
    """The resume minus escape sequences and control characters (a model's reply can carry
    them even though ingest removed the document's own), and a note naming what went."""
    removed: Counter[str] = Counter()

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            text, found = clean_text(value)
            removed.update(found)
            return text
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    data = walk(resume.model_dump())
    if not removed:
        return resume, []
    note = describe_removed(removed, "the tailored text")
    return Resume.model_validate(data), [note] if note else []


def _render_docx(tailored: Resume, original: Resume) -> tuple[bytes, list[str]]:
    from .docx_clean import render_docx_clean
    from .docx_inplace import InPlaceNotPossible, render_docx_inplace

    source = original.source_path
    if original.source_format == SourceFormat.DOCX and source and Path(source).is_file():
        try:
            return render_docx_inplace(tailored, original), []
        except InPlaceNotPossible as why:
            return render_docx_clean(tailored), [
                f"Could not apply the changes inside your original DOCX ({why}); wrote a clean DOCX instead."
            ]
    return render_docx_clean(tailored), []


def write_export(
    tailored: Resume,
    original: Resume,
    path: str | os.PathLike[str],
    fmt: str,
    *,
    overwrite: bool = False,
) -> WrittenFile:
    """Render `tailored` as `fmt` and write it atomically to `path` (never over the source)."""
    prepared = prepare_export(tailored, original, path, fmt, overwrite=overwrite)
    result = atomic_write(prepared.path, prepared.data, overwrite=overwrite)
    return WrittenFile(path=result.path, format=prepared.format, bytes=result.bytes, sha256=result.sha256,
                       notes=prepared.notes)


@dataclass(frozen=True)
class PreparedExport:
    """One file rendered in memory and checked, not yet written."""

    path: Path
    format: str
    data: bytes
    notes: tuple[str, ...]


def prepare_export(
    tailored: Resume, original: Resume, path: str | os.PathLike[str], fmt: str, *, overwrite: bool = False
) -> PreparedExport:
    """Every check and the rendering of `write_export`, with no disk write — so a batch can
    render all its files before writing any (a failed render then leaves nothing behind)."""
    path = Path(path).expanduser()
    fmt = normalise_format(fmt)
    for source in (original.source_path, tailored.source_path):
        _refuse_source(path, source)
    check_destination(path)
    if path.exists() and not overwrite:
        raise InputError(f"{path} already exists; approve overwriting it or choose another file name.")
    if not path.parent.is_dir():
        raise InputError(f"The folder {path.parent} does not exist; create it or choose another destination.")
    data, notes = render(tailored, original, fmt)
    return PreparedExport(path=path, format=fmt, data=data, notes=tuple(notes))


def check_destination(path: Path) -> None:
    """One sentence for a destination no file system takes: a name over 255 bytes, or a
    "folder" on the way that is a file (`-o /etc/passwd/x.md`)."""
    if len(path.name.encode("utf-8", "surrogateescape")) > _MAX_NAME_BYTES:
        raise InputError(
            f"The file name {path.name[:40]}… is {len(path.name.encode('utf-8', 'surrogateescape'))} bytes long, "
            f"over the {_MAX_NAME_BYTES}-byte limit of most file systems; choose a shorter name."
        )
    for parent in path.parents:
        try:
            if parent.exists():
                if not parent.is_dir():
                    raise InputError(f"{parent} is a file, not a folder, so {path} cannot be written; choose another destination.")
                return
        except OSError as exc:
            raise InputError(f"{path} cannot be written ({exc.strerror or exc}); choose another destination.") from None
