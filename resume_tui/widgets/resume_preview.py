"""What the parser made of a resume or a job description, in plain words."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from resume_tui.models import JobDescription, Priority, Resume
from resume_tui.textsafe import display_safe

_PRIORITY = {Priority.CRITICAL: "!!", Priority.IMPORTANT: "! ", Priority.NICE_TO_HAVE: "  "}


def plural(n: int, word: str) -> str:
    """"1 item", "2 items", "0 items"."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _safe(parts: list[Content | str | tuple[str, str]]) -> list[Content | str | tuple[str, str]]:
    """Document text as inert Content pieces: no control sequences, bidi overrides visible."""
    return [display_safe(p) if isinstance(p, str) else (display_safe(p[0]), p[1]) if isinstance(p, tuple) else p
            for p in parts]


def resume_content(resume: Resume) -> Content:
    contact = resume.contact
    who = " · ".join(p for p in (contact.name, contact.email, contact.phone, contact.location) if p)
    parts: list[Content | str | tuple[str, str]] = []
    parts.append((who or "(no contact details found)", "bold"))
    parts.append(f"\n{plural(len(resume.sections), 'section')}, {plural(len(resume.items()), 'item')} · {resume.source_format.value}")
    for section in resume.sections:
        title = section.title or "(untitled)"
        parts.append("\n")
        parts.append((f"\n{title}", "bold $text-accent"))
        parts.append((f"  {section.kind.value} · {plural(len(section.items), 'item')}", "$text-muted"))
        for item in section.items:
            parts.append(f"\n  {_preview_text(item.text)}")
    return Content.assemble(*_safe(parts))


PREVIEW_ITEM_CHARS = 2000


def _preview_text(text: str) -> str:
    """An item as the preview shows it: a huge one (a 2 MB paste on one line) is cut, and says so —
    the resume keeps every character; only this view is shortened, so it draws at once."""
    if len(text) <= PREVIEW_ITEM_CHARS:
        return text
    return f"{text[:PREVIEW_ITEM_CHARS]}… ({len(text) - PREVIEW_ITEM_CHARS:,} more characters, kept in full)"


def job_content(job: JobDescription) -> Content:
    parts: list[Content | str | tuple[str, str]] = []
    parts.append((job.title or "(no title found)", "bold"))
    parts.append(f" · {job.company or '(no company found)'}")
    if job.language:
        parts.append((f" · {job.language}", "$text-muted"))
    parts.append(f"\n{plural(len(job.requirements), 'requirement')} (!! critical, ! important)")
    for req in job.requirements:
        keywords = ", ".join(req.keywords)
        parts.append(f"\n{_PRIORITY[req.priority]} {req.text}")
        if keywords:
            parts.append((f"  [{keywords}]", "$text-muted"))
    if job.injection_attempts:
        parts.append(("\n\nIgnored instructions aimed at AI tools:", "bold $text-warning"))
        for sentence in job.injection_attempts:
            parts.append((f"\n  “{sentence}”", "$text-warning"))
    return Content.assemble(*_safe(parts))


class Preview(VerticalScroll, can_focus=True):
    """Scrollable parsed preview; focusable so the keyboard alone can scroll it."""

    DEFAULT_CSS = """
    Preview { border: round $panel-lighten-2; padding: 0 1; height: 1fr; }
    Preview:focus { border: round $accent; }
    """

    def compose(self):
        yield Static(id="preview-text")

    def show(self, content: Content | str, *, home: bool = True) -> None:
        """`home=False`: keep the offset (a reopened session scrolls back to where it was left)."""
        self.query_one("#preview-text", Static).update(content)
        if home:
            self.scroll_home(animate=False)


class Warnings(VerticalScroll, can_focus=True):
    """Parse warnings as a plain-words list that wraps (never cut mid-sentence) in a panel of
    at most six lines that scrolls (focusable, so the keyboard can scroll it); hidden when none."""

    DEFAULT_CSS = """
    Warnings { height: auto; max-height: 6; color: $text-warning; display: none; scrollbar-size-vertical: 1; }
    Warnings.-visible { display: block; }
    Warnings:focus { background: $boost; }
    Warnings > Static { width: 1fr; height: auto; }
    """

    def compose(self):
        yield Static(classes="warnings-text")

    def show(self, warnings: list[str], *, home: bool = True) -> None:
        self.set_class(bool(warnings), "-visible")
        self.can_focus = bool(warnings)
        self.query_one(".warnings-text", Static).update(Content(display_safe("\n".join(f"⚠ {w}" for w in warnings))))
        if home:
            self.scroll_home(animate=False)
