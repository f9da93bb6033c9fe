"""A clean, single-column, ATS-friendly DOCX for resumes that did not come from a DOCX.

Built-in styles only (Title, Heading 1, List Bullet, Normal) so any word processor and any
applicant tracking system reads the structure; no tables, text boxes or columns.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from resume_tui.models import ItemKind, Resume

from ._layout import Block, layout_of, runs

FONT = "Calibri"


def _set_font(style, size: float, *, bold: bool | None = None, color: RGBColor | None = None) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    style.font.color.rgb = color or RGBColor(0x1E, 0x21, 0x26)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        fonts.set(qn("w:ascii"), FONT)
        fonts.set(qn("w:hAnsi"), FONT)


def _add_runs(paragraph, block: Block) -> None:
    for piece, span in runs(block):
        run = paragraph.add_run(piece)
        if span is not None:
            run.bold = span.bold or None
            run.italic = span.italic or None
            run.underline = span.underline or None


def render_docx_clean(resume: Resume) -> bytes:
    layout = layout_of(resume)
    doc = Document()
    for section in doc.sections:
        section.top_margin = section.bottom_margin = Cm(1.8)
        section.left_margin = section.right_margin = Cm(2.0)
    styles = doc.styles
    _set_font(styles["Normal"], 10.5)
    styles["Normal"].paragraph_format.space_after = Pt(3)
    _set_font(styles["Title"], 20, bold=True)
    title_fmt = styles["Title"].paragraph_format
    title_fmt.space_after = Pt(2)
    # The template's Title has a bottom border; a plain name reads cleaner and parses the same.
    ppr = styles["Title"].element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)
    _set_font(styles["Heading 1"], 12.5, bold=True, color=RGBColor(0x1F, 0x38, 0x64))
    styles["Heading 1"].paragraph_format.space_before = Pt(12)
    styles["Heading 1"].paragraph_format.space_after = Pt(3)
    styles["Heading 1"].paragraph_format.keep_with_next = True
    _set_font(styles["List Bullet"], 10.5)
    styles["List Bullet"].paragraph_format.space_after = Pt(2)

    props = doc.core_properties
    props.title = f"{layout.name} — Résumé" if layout.name else "Résumé"
    props.author = layout.name or ""
    props.comments = "Exported by resume-tui"

    if layout.name:
        doc.add_paragraph(layout.name, style="Title")
    for line in layout.contact_lines:
        para = doc.add_paragraph(line)
        para.alignment = WD_ALIGN_PARAGRAPH.LEFT
        for run in para.runs:
            run.font.color.rgb = RGBColor(0x55, 0x5A, 0x64)
            run.font.size = Pt(9.5)
    for block_section in layout.sections:
        if block_section.title:
            doc.add_paragraph(block_section.title, style="Heading 1")
        for block in block_section.items:
            if block.kind == ItemKind.BULLET:
                para = doc.add_paragraph(style="List Bullet")
                _add_runs(para, block)
            elif block.kind == ItemKind.ROLE:
                para = doc.add_paragraph()
                para.paragraph_format.space_before = Pt(6)
                para.paragraph_format.keep_with_next = True
                para.add_run(block.text).bold = True
            else:
                para = doc.add_paragraph()
                _add_runs(para, block)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
