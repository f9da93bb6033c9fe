"""Triage: one resume against many postings — gather them, analyse each once, rank them by fit.

Shared by `resume-tui batch` and the Postings board. A POSTING argument is a file, a folder
of postings, an http(s) link, or a text file listing paths/links one per line; every form the
postings reader takes is accepted. A posting that cannot be read or is too short becomes a row
with its error and never stops the others. Postings with the same text are analysed once (the
later ones point at the first). Ranking is the deterministic offline Fit score (then Keywords),
so it is reproducible, free, and the same for every provider setting.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resume_tui.errors import InputError
from resume_tui.models import PRIORITY_WEIGHT, GapReport, JobDescription, Resume

# Files a folder of postings contributes (anything else there is skipped, not an error).
POSTING_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".text", ".pdf", ".docx", ".html", ".htm", ".xhtml", ".json"})
MAX_LIST_LINES = 1000
TOP_GAPS = 3

Loader = Callable[[str], JobDescription]
Progress = Callable[[int, int, "Row"], None]


@dataclass
class Row:
    """One posting of a batch: where it came from, what the analysis found, what became of it."""

    position: int  # input order, 1-based
    source: str
    status: str = "pending"  # ok | error | duplicate
    error: str | None = None
    duplicate_of: int | None = None  # the position of the first posting with the same text
    job: JobDescription | None = None
    report: GapReport | None = None
    text_sha: str | None = None
    rank: int | None = None
    selected: bool = False
    session_id: str | None = None
    folder: str | None = None  # where its tailored files go
    outputs: list[dict[str, Any]] = field(default_factory=list)
    tailor_error: str | None = None

    @property
    def title(self) -> str:
        return (self.job.title if self.job else None) or ""

    @property
    def company(self) -> str:
        return (self.job.company if self.job else None) or ""

    @property
    def fit(self) -> float | None:
        return round(self.report.score, 1) if self.report else None

    @property
    def keywords(self) -> float | None:
        return round(self.report.keyword_score, 1) if self.report else None

    def top_gaps(self, n: int = TOP_GAPS) -> list[str]:
        """The first unmet requirements, most important first (posting order within a priority)."""
        if self.report is None:
            return []
        gaps = sorted(self.report.gaps(), key=lambda req: -PRIORITY_WEIGHT[req.priority])
        return [req.text for req in gaps[:n]]


# --------------------------------------------------------------------------- sources


def is_url(text: str) -> bool:
    from resume_tui.documents.postings import is_url as posting_url

    return posting_url(text)


def expand_sources(arguments: Sequence[str]) -> list[tuple[str, str | None]]:
    """Every posting the arguments name, in order: (source, None), or (argument, why it names none)."""
    out: list[tuple[str, str | None]] = []
    for raw in arguments:
        text = raw.strip()
        if not text:
            continue
        if is_url(text):
            out.append((text, None))
            continue
        path = Path(text).expanduser()
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")
                           and p.suffix.lower() in POSTING_SUFFIXES)
            if not files:
                out.append((text, f"{path} holds no posting file (.md, .txt, .pdf, .docx, .html or .json)."))
            out.extend((str(p), None) for p in files)
            continue
        listed = _listed(path) if path.is_file() else None
        if listed is not None:
            out.extend(listed)
        else:
            out.append((text, None))  # a missing path is reported by the loader, with its sentence
    return out


_LIST_LINE = re.compile(r"^\s*(#.*)?$")


def _listed(path: Path) -> list[tuple[str, str | None]] | None:
    """The entries of a list file (one path or link a line, # comments), or None when `path` is a posting.

    A file is a list only when every non-comment line is a link or an existing path, so a posting
    whose first lines happen to be links is still read as a posting."""
    if path.suffix.lower() not in {".txt", ".list", ".lst", ""} or path.stat().st_size > 256 * 1024:
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    entries = [line.strip() for line in lines if not _LIST_LINE.match(line)]
    if not entries or len(entries) > MAX_LIST_LINES:
        return None
    resolved: list[tuple[str, str | None]] = []
    for entry in entries:
        if is_url(entry):
            resolved.append((entry, None))
            continue
        candidate = Path(entry).expanduser()
        if not candidate.is_absolute():
            candidate = path.parent / candidate
        if not candidate.exists():
            return None
        if candidate.is_dir():
            resolved.extend(expand_sources([str(candidate)]))
        else:
            resolved.append((str(candidate), None))
    return resolved


# --------------------------------------------------------------------------- analysis


def text_key(text: str) -> str:
    """Postings with the same words (spacing and case aside) are the same posting."""
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def analyse(resume: Resume, sources: Iterable[tuple[str, str | None]], load: Loader,
            progress: Progress | None = None) -> list[Row]:
    """Load and analyse every source against `resume` (indexed once); errors stay in their row."""
    from resume_tui.analysis.engine import ResumeAnalyzer

    analyzer = ResumeAnalyzer(resume)
    items = list(sources)
    rows: list[Row] = []
    seen: dict[str, Row] = {}
    for position, (source, problem) in enumerate(items, start=1):
        row = Row(position=position, source=source)
        rows.append(row)
        try:
            if problem:
                raise InputError(problem)
            job = load(source)
            row.job = job
            row.text_sha = text_key(job.text)
            first = seen.get(row.text_sha)
            if first is not None:
                row.status, row.duplicate_of, row.report = "duplicate", first.position, first.report
            else:
                seen[row.text_sha] = row
                row.report = analyzer.analyze(job)
                row.status = "ok"
        except InputError as exc:
            row.status, row.error = "error", exc.message
        except Exception as exc:  # noqa: BLE001 - one unreadable posting never stops the batch
            row.status, row.error = "error", f"{source} could not be analysed ({type(exc).__name__})."
        if progress is not None:
            progress(position, len(items), row)
    return rows


def rank(rows: Sequence[Row]) -> list[Row]:
    """Analysed postings by Fit, then Keywords, then input order; duplicates and errors after them."""
    scored = sorted((r for r in rows if r.status == "ok"),
                    key=lambda r: (-(r.fit or 0.0), -(r.keywords or 0.0), r.position))
    for number, row in enumerate(scored, start=1):
        row.rank = number
    rest = [r for r in rows if r.status != "ok"]
    return scored + sorted(rest, key=lambda r: (r.status != "duplicate", r.position))


def select(ranked: Sequence[Row], *, top: int | None, min_fit: float | None) -> list[Row]:
    """The postings to tailor: the best `top` (all when None) of those at or above `min_fit`."""
    chosen = [r for r in ranked if r.status == "ok" and (min_fit is None or (r.fit or 0.0) >= min_fit)]
    if top is not None:
        chosen = chosen[: max(0, top)]
    for row in chosen:
        row.selected = True
    return chosen


# --------------------------------------------------------------------------- folders


def slug(text: str, limit: int = 60) -> str:
    """A folder-name-safe form of free text: letters, digits and single hyphens, lower case."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned[:limit].rstrip("-")


def folder_names(rows: Sequence[Row]) -> dict[int, str]:
    """`<company>-<title>` per row (position → name), sanitised and unique within the batch."""
    names: dict[int, str] = {}
    used: set[str] = set()
    for row in rows:
        base = "-".join(p for p in (slug(row.company, 40), slug(row.title, 50)) if p)
        if not base:
            base = slug(Path(row.source).stem if not is_url(row.source) else row.source.split("//", 1)[-1]) or "posting"
        name, n = base, 2
        while name in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        names[row.position] = name
    return names


# --------------------------------------------------------------------------- sessions


def batch_settings(batch_id: str, row: Row) -> dict[str, Any]:
    """What a batch posting's session remembers of its batch (the Postings board reads it)."""
    return {"origin": "batch", "batch": {"id": batch_id, "rank": row.rank, "fit": row.fit, "keywords": row.keywords,
                                         "source": row.source, "top_gaps": row.top_gaps()}}


def record_analysed(store: Any, resume: Resume, row: Row, settings: dict[str, Any]) -> str:
    """An analysed posting that is not tailored is still a session (gap analysed), reviewable and trackable later."""
    from resume_tui.models import WorkflowState as State

    assert row.job is not None and row.report is not None
    session = store.create_session(settings=settings)
    store.advance(session.id, State.RESUME_UPLOADED, resume=resume)
    store.advance(session.id, State.JD_PROVIDED, job=row.job)
    store.advance(session.id, State.GAP_ANALYZED, report=row.report)
    return str(session.id)
