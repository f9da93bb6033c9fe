"""Untrusted text never drives the terminal (issue 19, item 4): escape sequences and Rich or
Textual markup inside a resume, a posting or a file name reach the screen as inert text."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from resume_tui.textsafe import clean_text, describe_removed, display_safe, mask_credentials

# What a hostile document can carry. Each sequence is one Rich never emits itself, so finding
# one in the output proves it came from the input.
CLEAR = "\x1b[2J\x1b[3J"
ALT_SCREEN = "\x1b[?1049h"
TITLE = "\x1b]0;PWNED-TITLE\x07"
HYPERLINK = "\x1b]8;;file:///etc/passwd\x1b\\click me\x1b]8;;\x1b\\"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
DCS = "\x1bP1$qm\x1b\\"
C1_CSI = "\x9b2J"
BIDI = "\u202eevil\u202c"
MARKUP = "[bold red]loud[/bold red] [link=file:///etc/passwd]link[/link] [/] [@click=app.quit]Haskell[/]"
FORBIDDEN = [b"\x1b[2J", b"\x1b[3J", b"\x1b[?1049h", b"\x1b]", b"\x1bP", b"\xc2\x9b", b"\xe2\x80\xae"]

RESUME = f"""# Jane {TITLE}Doe

jane@example.com · +1 555 010 0000

## Experience {CLEAR}

### Senior Engineer, Contoso — 2019 – Present

- Built Python services {HYPERLINK} on Kubernetes for 2 million users.
- Cut deploy time {CLIPBOARD} by 40% with Terraform {DCS} and Go.
- Wrote {BIDI} docs {C1_CSI} and {MARKUP} guides.

## Skills {ALT_SCREEN}

Python, Go, Kubernetes, Terraform
"""

POSTING = f"""# Platform Engineer {TITLE}

## Requirements

- 5+ years of Python {CLEAR} experience
- Kubernetes {HYPERLINK} in production
- Terraform {CLIPBOARD} and Go {DCS}
- Haskell {MARKUP} is a plus [Remote]
- Rust {BIDI} nice to have {ALT_SCREEN}
"""


def test_clean_text_removes_every_sequence_and_counts_them() -> None:
    text, removed = clean_text(RESUME)
    assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text
    assert "PWNED-TITLE" not in text  # an OSC's payload is part of the sequence
    assert "Built Python services click me on Kubernetes" in text
    assert "[bold red]loud" in text  # markup is text, not ours to remove
    assert "\u202e" in text  # bidi marks are kept in stored text (right-to-left resumes need them)
    assert removed
    note = describe_removed(removed, "cv.md")
    assert note and note.startswith("Removed ") and "terminal escape sequence" in note and "cv.md" in note


def test_display_safe_shows_bidi_overrides_visibly_and_masks_credentials() -> None:
    assert display_safe("a\u202eb") == "a<U+202E>b"
    assert display_safe("x\ny", single_line=True) == "x y"
    assert display_safe("\x1b]0;t\x07ok\x1b[31m") == "ok"
    assert mask_credentials("http://user:pass@host:8080/v1") == "http://***@host:8080/v1"
    assert "pass" not in display_safe("see https://user:pass@example.com/x")


def test_an_unterminated_sequence_is_removed_to_the_end_quickly() -> None:
    import time

    text = "ok " + "\x1b]52;c;" + "A" * 2_000_000
    started = time.perf_counter()
    cleaned, _ = clean_text(text)
    assert cleaned == "ok "
    assert time.perf_counter() - started < 1


# ---------------------------------------------------------------------------- the CLI on a pseudo-terminal


def _run_on_pty(args: list[str], cwd: Path) -> bytes:
    """Run `resume-tui ARGS` with stdout and stderr on a pseudo-terminal; every byte it wrote."""
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40", FORCE_COLOR="1")
    proc = subprocess.Popen([sys.executable, "-m", "resume_tui", *args], stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=slave, cwd=cwd, env=env)
    os.close(slave)
    out = bytearray()
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(master)
        proc.wait(timeout=60)
    assert proc.returncode is not None
    return bytes(out)


@pytest.fixture
def hostile_docs(tmp_path: Path) -> Path:
    (tmp_path / "resume.md").write_text(RESUME, encoding="utf-8")
    (tmp_path / "posting.md").write_text(POSTING, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ["inspect", "resume.md"],
        ["analyze", "resume.md", "posting.md"],
        ["tailor", "resume.md", "posting.md"],
    ],
    ids=["inspect", "analyze", "tailor"],
)
def test_commands_write_no_escape_sequence_from_the_input(hostile_docs: Path, args: list[str]) -> None:
    out = _run_on_pty(args, hostile_docs)
    assert b"Traceback" not in out, out.decode(errors="replace")[-2000:]
    for sequence in FORBIDDEN:
        assert sequence not in out, (sequence, out.decode(errors="replace")[-3000:])
    text = out.decode("utf-8", errors="replace")
    assert "PWNED-TITLE" not in text
    if args[0] == "inspect":
        assert "Built Python services click me" in text  # the text around a sequence survives
        assert "[bold red]loud" in text  # Rich markup shows as typed, not as style
        assert "Removed" in text and "terminal escape sequence" in text  # the warning names what went
        assert "<U+202E>" in text


def test_error_line_with_a_hostile_file_name_is_inert(tmp_path: Path) -> None:
    name = "cv\x1b]0;PWNED-TITLE\x07\x1b[2J\u202e.md"
    out = _run_on_pty(["inspect", name], tmp_path)
    for sequence in FORBIDDEN:
        assert sequence not in out, out
    assert b"does not exist" in out


def test_exported_file_keeps_the_text_minus_control_characters(hostile_docs: Path, capsys) -> None:
    from resume_tui import cli

    code = cli.main(["tailor", str(hostile_docs / "resume.md"), str(hostile_docs / "posting.md"),
                     "-o", str(hostile_docs / "out.md"), "--yes", "--accept", "none"])
    capsys.readouterr()
    assert code == 0
    code = cli.main(["tailor", str(hostile_docs / "resume.md"), str(hostile_docs / "posting.md"),
                     "-o", str(hostile_docs / "out.txt"), "--yes"])
    _, err = capsys.readouterr()
    assert code == 0, err
    written = (hostile_docs / "out.txt").read_text(encoding="utf-8")
    assert "\x1b" not in written and "\x07" not in written and "\x9b" not in written
    assert "Built Python services click me on Kubernetes" in written
    assert "Removed" in err and "escape sequence" in err


# ---------------------------------------------------------------------------- the TUI shows it inert


async def test_gap_report_shows_markup_from_the_posting_as_text() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    from resume_tui.analysis.engine import analyze
    from resume_tui.analysis.requirements import parse_job_description
    from resume_tui.documents.ingest import parse_resume_text
    from resume_tui.screens.fact import FactScreen
    from resume_tui.widgets.gap_report import GapReportView

    resume = parse_resume_text(RESUME.replace(MARKUP, ""))  # no Haskell: that requirement is a gap
    job = parse_job_description(POSTING)
    report = analyze(resume, job)
    haskell = next(r for r in job.requirements if "Haskell" in r.text)
    assert "[@click=app.quit]Haskell[/]" in haskell.text and "[Remote]" in haskell.text

    class Harness(App[None]):
        def compose(self) -> ComposeResult:
            yield GapReportView()

    app = Harness()
    async with app.run_test(size=(140, 40)) as pilot:
        view = app.query_one(GapReportView)
        view.show(report, job)  # '[/]' in a requirement used to raise MarkupError here
        await pilot.pause()
        gaps = str(app.query_one("#gaps", Static).render())
        assert "Haskell [bold red]loud[/bold red] [link=file:///etc/passwd]" in gaps  # shown as typed
        row = app.query_one("#requirements").get_row(haskell.id)
        assert "[@click=app.quit]Haskell[/]" in str(row[0]) and "[Remote]" in str(row[0])
        await pilot.click("#gaps")  # a click on the text must not run app.quit
        await pilot.pause()
        assert app.is_running and app.return_code is None
        await app.push_screen(FactScreen(haskell.text))
        await pilot.pause()
        body = str(app.screen.query(".dialog-body").first(Static).render())
        assert "[@click=app.quit]Haskell[/]" in body and "[Remote]" in body
        await pilot.click(".dialog-body")
        await pilot.pause()
        assert app.is_running and app.return_code is None


def test_model_text_with_escape_sequences_never_reaches_an_export() -> None:
    """Ingest cleans the document; a model's reply is cleaned at render time, with a note."""
    from resume_tui.documents.export import render
    from resume_tui.documents.ingest import parse_resume_text

    original = parse_resume_text(RESUME)
    section = original.sections[1]
    item = section.items[0].model_copy(update={"text": "Led the \x1b]52;c;cm0=\x07platform team\x1b[2J."})
    tailored = original.model_copy(update={"sections": [
        s.model_copy(update={"items": [item, *s.items[1:]]}) if s.id == section.id else s for s in original.sections
    ]})
    for fmt in ("md", "txt", "html", "docx"):
        data, notes = render(tailored, original, fmt)
        if fmt == "docx":
            import io
            import zipfile

            data = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
            assert b"platform team" in data
        assert b"\x1b" not in data and b"\x07" not in data, fmt
        assert any("Removed 2 terminal escape sequences from the tailored text" in n for n in notes), (fmt, notes)


def test_tui_previews_and_diffs_show_no_control_sequences() -> None:
    """Defence in depth for text that did not come through ingest (a model's reply)."""
    from resume_tui.documents.ingest import parse_resume_text
    from resume_tui.widgets.diff_view import word_diff
    from resume_tui.widgets.resume_preview import resume_content

    resume = parse_resume_text(RESUME)
    item = resume.sections[1].items[0]
    dirty = item.model_copy(update={"text": f"Led {TITLE}the {CLEAR}team{BIDI}"})
    section = resume.sections[1].model_copy(update={"items": [dirty, *resume.sections[1].items[1:]]})
    resume = resume.model_copy(update={"sections": [resume.sections[0], section, *resume.sections[2:]]})
    shown = resume_content(resume).plain
    assert "\x1b" not in shown and "PWNED" not in shown and "<U+202E>" in shown
    left, right = word_diff(item.text, dirty.text)
    assert "\x1b" not in right.plain and "Led the team<U+202E>evil<U+202C>" in right.plain


async def test_file_picker_shows_hostile_file_names_inert(tmp_path: Path) -> None:
    from textual.app import App, ComposeResult

    from resume_tui.widgets.file_picker import FilePicker

    (tmp_path / "cv\x1b]0;PWNED\x07[@click=app.quit]x[b]\u202e.md").write_text("Jane Doe\n")

    class Harness(App[None]):
        def compose(self) -> ComposeResult:
            yield FilePicker(tmp_path)

    app = Harness()
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause(0.3)
        labels = [str(node.label) for node in app.query_one(FilePicker).root.children]
        assert labels and all("\x1b" not in label and "PWNED" not in label for label in labels)
        assert any("[@click=app.quit]x[b]<U+202E>.md" in label for label in labels)
        await pilot.click(FilePicker)
        assert app.is_running
