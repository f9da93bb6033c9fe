"""Read an exported file back with our own ingest and check nothing was lost or garbled.

What an applicant tracking system sees is the extracted text, so that is what we check:
every accepted change's new text is there, every section title and item is there, the
contact details are intact, and everything appears in the order the resume has it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from resume_tui.errors import ResumeTuiError
from resume_tui.models import Change, ChangeAction, ChangeStatus, Resume, SourceFormat
from resume_tui.shorten import one_line

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
_QUOTES = {ord("‘"): "'", ord("’"): "'", ord("‚"): "'", ord("“"): '"', ord("”"): '"', ord("„"): '"'}
_BULLETS = re.compile(r"(?:(?<=\s)|^)[•◦▪▫●○■□‣⁃➢➤►](?=\s)")
_SPACE = re.compile(r"\s+")


@dataclass
class Verification:
    ok: bool
    problems: list[str] = field(default_factory=list)
    # Not failures: things worth showing (e.g. a heading read back as plain text).
    warnings: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    # Entities count as their characters: Markdown export writes "<" as "&lt;" (raw HTML is escaped).
    text = unicodedata.normalize("NFKC", html.unescape(text) if "&" in text else text).translate(_DASHES).translate(_QUOTES)
    text = text.replace("\u00ad", "")
    text = _BULLETS.sub(" ", text)
    return _SPACE.sub(" ", text).strip().casefold()


def _squash(text: str) -> str:
    """Letters and digits only: tolerant of hyphenation, spacing and punctuation drift."""
    return "".join(ch for ch in _norm(text) if ch.isalnum())


class _HTMLText(HTMLParser):
    """HTML → Markdown-ish text: headings and list items keep their structure, scripts/styles dropped."""

    _BLOCK = {"p", "div", "section", "header", "footer", "main", "article", "ul", "ol", "tr", "table", "br", "hr"}
    _PREFIX = {"h1": "# ", "h2": "## ", "h3": "### ", "h4": "#### ", "h5": "##### ", "h6": "###### ", "li": "- "}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:  # noqa: ANN001
        if tag in ("script", "style", "title", "head"):
            self._skip += 1
        elif tag in self._PREFIX:
            self.parts.append("\n\n" + self._PREFIX[tag])
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title", "head"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._PREFIX or tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(_SPACE.sub(" ", data))

    def text(self) -> str:
        lines = [line.strip() for line in "".join(self.parts).split("\n")]
        out: list[str] = []
        for line in lines:
            if line or (out and out[-1]):
                out.append(line)
        return "\n".join(out).strip() + "\n"


def html_to_text(html: str) -> str:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return parser.text()


def read_back(path: Path, fmt: str) -> Resume:
    """The exported file as our ingest parses it (HTML: tags stripped to Markdown-ish text)."""
    from resume_tui.documents import ingest

    if fmt in ("html", "htm"):
        raw = html_to_text(path.read_text(encoding="utf-8"))
        return ingest.parse_resume_text(raw, source_format=SourceFormat.MARKDOWN, source_path=str(path))
    return ingest.load_resume(path)


def _raw_text(path: Path, fmt: str) -> str:
    """The reader's plain extracted text (what an ATS keeps), used to confirm a suspected loss."""
    from resume_tui.documents import ingest

    if fmt in ("html", "htm"):
        return html_to_text(path.read_text(encoding="utf-8"))
    try:
        return ingest.read_document(path).text
    except ResumeTuiError:
        return ""


def verify_export(path: str | Path, fmt: str, tailored: Resume, applied: Sequence[Change]) -> Verification:
    path = Path(path)
    fmt = fmt.lower().lstrip(".")
    if not path.is_file():
        return Verification(False, [f"{path} was not written."])
    try:
        parsed = read_back(path, fmt)
    except ResumeTuiError as exc:
        return Verification(False, [f"{path.name} cannot be read back: {exc}"])
    except Exception as exc:  # a reader bug must surface as a failed check, not a crash after writing
        return Verification(False, [f"{path.name} cannot be read back ({type(exc).__name__}: {exc})."])
    result = check_against(parsed, "", tailored, applied, name=path.name)
    if fmt == "json":  # structured both ways: every line and entry must come back exactly, not just be findable
        result.problems += _structure_problems(parsed, tailored, path.name)
        result.ok = not result.problems
        return result
    if not result.ok:
        # Segmentation may have split or merged lines; judge on the raw extracted text before failing.
        try:
            raw = _raw_text(path, fmt)
        except Exception:  # noqa: BLE001 - the parse above already succeeded; keep its verdict
            raw = ""
        if raw:
            result = check_against(parsed, raw, tailored, applied, name=path.name)
    return result


def _structure_problems(parsed: Resume, tailored: Resume, name: str) -> list[str]:
    """A JSON Resume read back: the same sections, lines (in order) and entries as the tailored resume."""
    def lines(resume: Resume) -> list[tuple[str, list[str], int]]:
        return [(s.title, [" ".join(i.text.split()) for i in s.items if i.text.strip()], len(s.entries))
                for s in resume.sections]

    for want, got in zip(lines(tailored), lines(parsed)):
        if want[1] != got[1]:
            missing = next((t for t in want[1] if t not in got[1]), None)
            what = f"{one_line(missing, 70)!r} is missing" if missing else "its lines read back in another order"
            return [f"{name}: in {want[0] or 'the first section'}, {what}."]
        if want[2] != got[2]:
            return [f"{name}: {want[0] or 'the first section'} reads back with {got[2]} entries instead of {want[2]}."]
    if len(parsed.sections) != len(tailored.sections):
        return [f"{name} reads back with {len(parsed.sections)} sections instead of {len(tailored.sections)}."]
    return []


def check_against(parsed: Resume, raw: str, tailored: Resume, applied: Sequence[Change], *, name: str = "the file") -> Verification:
    """Compare what was read back with what should be there (separate from I/O for tests)."""
    problems: list[str] = []
    warnings: list[str] = []
    parsed_text = parsed.full_text()
    # What an ATS would see: the reader's raw text when available, plus the parsed structure.
    seen = _norm(raw + "\n" + parsed_text) if raw else _norm(parsed_text)
    seen_squashed = _squash(raw or parsed_text)
    ordered = _norm(raw) if raw else _norm(parsed_text)

    def present(text: str) -> bool:
        n = _norm(text)
        return not n or n in seen or _squash(text) in seen_squashed

    # Contact details.
    contact = tailored.contact
    for label, value in (("name", contact.name), ("email", contact.email), ("phone", contact.phone)):
        if not value:
            continue
        if label == "phone":
            digits = "".join(ch for ch in value if ch.isdigit())
            if digits and digits not in "".join(ch for ch in seen if ch.isdigit()):
                problems.append(f"The phone number {value} is missing from {name}.")
        elif not present(value):
            problems.append(f"The {label} {value!r} is missing from {name}.")
    if contact.email and parsed.contact.email and parsed.contact.email.casefold() != contact.email.casefold():
        problems.append(f"{name} reads back with email {parsed.contact.email!r} instead of {contact.email!r}.")

    # Every accepted change.
    for change in applied:
        if change.status == ChangeStatus.REJECTED:
            continue
        if change.action in (ChangeAction.REPLACE, ChangeAction.INSERT) and change.after.strip():
            if not present(change.after):
                problems.append(f"Accepted change {change.id} is missing: {one_line(change.after, 70)!r}.")
        elif change.action == ChangeAction.DELETE and change.before.strip():
            still_wanted = any(_norm(i.text) == _norm(change.before) for i in tailored.items())
            if not still_wanted and any(_norm(i.text) == _norm(change.before) for i in parsed.items()):
                problems.append(f"Deleted line from change {change.id} is still there: {one_line(change.before, 70)!r}.")

    # Sections and items, in reading order.
    parsed_titles = {_norm(s.title) for s in parsed.sections if s.title}
    cursor = 0
    order_broken = False
    for section in tailored.sections:
        pieces = ([("section", section.title)] if section.title.strip() else []) + [("item", i.text) for i in section.items]
        if section.title.strip():
            if not present(section.title):
                problems.append(f"The section {section.title!r} is missing from {name}.")
            elif _norm(section.title) not in parsed_titles:
                warnings.append(f"The heading {section.title!r} reads back as ordinary text, not a section heading.")
        for kind, text in pieces:
            if kind == "item" and not present(text):
                problems.append(f"A line of {section.title or 'the resume'} is missing: {one_line(text, 70)!r}.")
                continue
            n = _norm(text)
            if not n:
                continue
            at = ordered.find(n, cursor)
            if at >= 0:
                cursor = at + len(n)
            elif ordered.find(n) >= 0 and not order_broken:
                order_broken = True
                problems.append(f"{name} reads out of order around {one_line(text, 70)!r}.")
    if not parsed.sections and tailored.sections:
        problems.append(f"{name} reads back with no sections.")
    return Verification(ok=not problems, problems=problems, warnings=warnings)


@dataclass(frozen=True)
class ExportOutcome:
    """One approved file: what was written and whether it read back intact."""

    path: Path
    format: str
    bytes: int
    sha256: str
    overwrote: bool
    ok: bool
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # things to tell the user that are not failures


def write_verified(planned: Sequence, tailored: Resume, original: Resume, applied: Sequence[Change]) -> list[ExportOutcome]:
    """Write exactly the approved plan (PlannedWrite list), then verify each file by parsing it back.

    All or nothing: every file is rendered before any is written, and if one cannot be
    written the earlier ones are undone (created files removed, replaced files restored)
    before the InputError propagates — so no file is left on disk without its audit row.
    A file that fails the read-back check does not stay under the approved name: it is
    moved to "<stem>.unverified<suffix>" and whatever it replaced is put back.

    The one export path both the TUI and the CLI use; it touches only the disk, so it is
    safe in a worker thread. Recording the writes in the audit log is the caller's job.
    """
    from resume_tui.documents.atomic import WriteBatch
    from resume_tui.documents.export import prepare_export
    from resume_tui.errors import InputError

    for item in planned:
        folder = Path(item.path).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"The folder {folder} cannot be created ({exc.strerror or exc}); choose another destination.") from None
    try:
        prepared = [prepare_export(tailored, original, item.path, item.format, overwrite=item.overwrites)
                    for item in planned]
    except InputError as exc:
        raise InputError(exc.message + " Nothing was written.") from None
    batch = WriteBatch()
    outcomes: list[ExportOutcome] = []
    try:
        for item, ready in zip(planned, prepared):
            written = batch.write(ready.path, ready.data, overwrite=bool(item.overwrites))
            check = verify_export(written.path, ready.format, tailored, applied)
            path, overwrote, problems = Path(written.path), bool(item.overwrites), list(check.problems)
            if not check.ok:
                kept = batch.set_aside(path)
                restored = " and the file it would have replaced was put back" if overwrote else ""
                problems.append(f"It was not left at {path.name}: it is kept as {kept.name} for inspection{restored}.")
                path, overwrote = kept, False
            outcomes.append(ExportOutcome(
                path=path, format=ready.format, bytes=written.bytes, sha256=written.sha256,
                overwrote=overwrote, ok=check.ok, problems=tuple(problems),
                notes=ready.notes + tuple(check.warnings),
            ))
    except InputError as exc:
        batch.rollback()
        done = " Nothing was written." if len(prepared) > 1 else ""
        raise InputError(exc.message + done) from None
    except BaseException:
        batch.rollback()
        raise
    batch.commit()
    return outcomes
