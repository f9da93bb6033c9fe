"""Markdown and HTML exports write one emphasis per span of same-formatted runs (Word splits a bold
phrase into runs at every edit): "**Process Improvement**", never "**Process** **Improvement**"."""

from __future__ import annotations

import io
from pathlib import Path

from resume_tui.documents.export.html import render_html
from resume_tui.documents.export.markdown import render_markdown
from resume_tui.documents.ingest import load_resume
from resume_tui.models import Item, ItemKind, Resume, Section, SectionKind, TextSpan


def _docx_with_split_bold(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Jane Doe")
    document.add_paragraph("Experience", style="Heading 1")
    document.add_paragraph("Engineer, Acme Corp, 2019 - 2021")
    bullet = document.add_paragraph(style="List Bullet")
    bullet.add_run("Led ")
    for text in ("Process", " ", "Improvement"):  # one bold phrase in three runs, as Word saves an edited phrase
        bullet.add_run(text).bold = True
    bullet.add_run(" across ")
    bullet.add_run("three").italic = True
    bullet.add_run(" ")
    bullet.add_run("sites").bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_docx_bold_phrase_split_across_runs_is_one_bold_span(tmp_path: Path) -> None:
    resume = load_resume(_docx_with_split_bold(tmp_path / "cv.docx"))
    item = next(i for i in resume.items() if i.text.startswith("Led Process"))
    assert len([s for s in item.spans if s.bold]) >= 2  # the reader keeps Word's runs…
    markdown = render_markdown(resume).decode()
    assert "- Led **Process Improvement** across *three* **sites**" in markdown  # …the export merges them
    assert "**Process** **Improvement**" not in markdown
    html = render_html(resume).decode()
    assert "Led <strong>Process Improvement</strong> across <em>three</em> <strong>sites</strong>" in html


def test_different_formatting_or_words_between_are_not_merged() -> None:
    text = "Cut costs and Improved uptime"
    spans = [TextSpan(start=0, end=9, bold=True), TextSpan(start=14, end=22, bold=True),
             TextSpan(start=23, end=29, italic=True)]
    resume = Resume(sections=[Section(id="s0", kind=SectionKind.EXPERIENCE, title="Experience",
                                      items=[Item(id="s0.1", text=text, kind=ItemKind.BULLET, spans=spans)])])
    markdown = render_markdown(resume).decode()
    assert "- **Cut costs** and **Improved** *uptime*" in markdown
