"""Write safety: planning touches nothing, the source and existing files are refused, writes are atomic."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from resume_tui.documents import atomic
from resume_tui.documents import export as export_pkg
from resume_tui.documents.export import plan_writes, write_export
from resume_tui.errors import InputError
from resume_tui.models import Contact, Item, ItemKind, Resume, Section, SectionKind, SourceFormat

FORMATS = ["docx", "pdf", "html", "md", "txt", "json"]


def resume(source: Path | None = None) -> Resume:
    return Resume(
        contact=Contact(name="Zoë Adler", email="zoe@example.com"),
        header_lines=["Zoë Adler", "zoe@example.com"],
        source_format=SourceFormat.MARKDOWN,
        source_path=str(source) if source else None,
        sections=[Section(id="s0", kind=SectionKind.SKILLS, title="Skills",
                          items=[Item(id="s0.0", kind=ItemKind.BULLET, text="Python, SQL & <HTML>")])],
    )


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_plan_lists_every_output_without_writing(tmp_path: Path):
    (tmp_path / "old.pdf").write_bytes(b"%PDF-old")
    outputs = [tmp_path / f"cv.{fmt}" for fmt in ("docx", "html", "md", "txt")] + [tmp_path / "old.pdf"]
    before = listing(tmp_path)
    plans = plan_writes(outputs, source_path=None)
    assert listing(tmp_path) == before
    assert [p.format for p in plans] == ["docx", "html", "md", "txt", "pdf"]
    assert [p.overwrites for p in plans] == [False, False, False, False, True]
    assert all(p.approx_bytes > 0 for p in plans)


def test_plan_with_the_resume_gives_exact_sizes(tmp_path: Path):
    r = resume()
    plans = plan_writes([tmp_path / "a.md", tmp_path / "a.txt"], source_path=None, tailored=r, original=r)
    written = [write_export(r, r, p.path, p.format) for p in plans]
    assert [p.approx_bytes for p in plans] == [w.bytes for w in written]


@pytest.mark.parametrize("name", ["cv.rtf", "cv", "cv.pages", "cv.doc"])
def test_unknown_extension_is_one_clear_sentence(tmp_path: Path, name: str):
    with pytest.raises(InputError) as err:
        plan_writes([tmp_path / name], source_path=None)
    message = str(err.value)
    assert ".docx, .pdf, .html, .md, .txt or .json" in message and message.count(".") >= 1 and "\n" not in message


def test_source_file_is_refused_even_by_another_spelling(tmp_path: Path):
    source = tmp_path / "in" / "resume.md"
    source.parent.mkdir()
    source.write_text("# Zoë\n", encoding="utf-8")
    sneaky = tmp_path / "in" / ".." / "in" / "resume.md"
    with pytest.raises(InputError, match="resume you imported"):
        plan_writes([sneaky], source_path=str(source))
    with pytest.raises(InputError, match="resume you imported"):
        write_export(resume(source), resume(source), sneaky, "md", overwrite=True)
    assert source.read_text(encoding="utf-8") == "# Zoë\n"


def test_source_hard_link_is_refused(tmp_path: Path):
    source = tmp_path / "resume.txt"
    source.write_text("x", encoding="utf-8")
    link = tmp_path / "alias.txt"
    os.link(source, link)
    with pytest.raises(InputError):
        write_export(resume(source), resume(source), link, "txt", overwrite=True)
    assert source.read_text(encoding="utf-8") == "x"


def test_duplicate_outputs_are_refused(tmp_path: Path):
    with pytest.raises(InputError, match="twice"):
        plan_writes([tmp_path / "a.md", tmp_path / "." / "a.md"], source_path=None)


def test_existing_file_is_not_overwritten_without_consent(tmp_path: Path):
    out = tmp_path / "cv.html"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="already exists"):
        write_export(resume(), resume(), out, "html")
    assert out.read_text(encoding="utf-8") == "keep me"
    assert listing(tmp_path) == ["cv.html"]
    written = write_export(resume(), resume(), out, "html", overwrite=True)
    assert "Zoë Adler" in out.read_text(encoding="utf-8")
    assert written.bytes == out.stat().st_size


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_writes_atomically_and_leaves_no_temp_files(tmp_path: Path, fmt: str):
    out = tmp_path / f"cv.{fmt}"
    written = write_export(resume(), resume(), out, fmt)
    assert written.path == out and out.stat().st_size == written.bytes > 0
    assert listing(tmp_path) == [out.name]


def test_crash_during_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "cv.pdf"

    def exploding_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic.os, "fsync", exploding_fsync)
    with pytest.raises(InputError, match="Could not write"):
        write_export(resume(), resume(), out, "pdf")
    assert listing(tmp_path) == []


def test_crash_during_write_keeps_the_old_file_when_overwriting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "cv.txt"
    out.write_text("previous version", encoding="utf-8")

    def boom(src, dst):  # noqa: ANN001
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_export(resume(), resume(), out, "txt", overwrite=True)
    assert out.read_text(encoding="utf-8") == "previous version"
    assert listing(tmp_path) == ["cv.txt"]


def test_crash_while_rendering_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def broken(*args, **kwargs):
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(export_pkg, "render_html", broken)
    with pytest.raises(RuntimeError):
        write_export(resume(), resume(), tmp_path / "cv.html", "html")
    assert listing(tmp_path) == []


def test_missing_folder_and_unknown_format_are_input_errors(tmp_path: Path):
    with pytest.raises(InputError, match="does not exist"):
        write_export(resume(), resume(), tmp_path / "nope" / "cv.md", "md")
    with pytest.raises(InputError, match="Unknown export format"):
        write_export(resume(), resume(), tmp_path / "cv.md", "rtf")


def test_html_is_escaped_and_self_contained(tmp_path: Path):
    out = tmp_path / "cv.html"
    write_export(resume(), resume(), out, "html")
    html = out.read_text(encoding="utf-8")
    assert "&lt;HTML&gt;" in html and "<HTML>" not in html
    assert "Python, SQL &amp;" in html
    assert "@media print" in html and "<script" not in html
    assert "http://" not in html and "https://" not in html
