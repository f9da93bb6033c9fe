"""The PDF export of a DOCX resume keeps the DOCX's look: page, margins, fonts, sizes, spacing, order, pages."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import docx
import pypdf
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from resume_tui.documents.export import render, write_export
from resume_tui.documents.export._layout import layout_of
from resume_tui.documents.export.docx_look import read_look
from resume_tui.documents.export.pdf_faces import face_for, stand_in_note
from resume_tui.documents.export.pdf_pieces import pieces_of
from resume_tui.documents.ingest import load_resume
from resume_tui.documents.verify import verify_export
from resume_tui.models import Item, ItemKind, Resume

ROOT = Path(__file__).resolve().parents[1]
MM_PT = 72 / 25.4


def styled_docx(path: Path, *, font: str = "Georgia", bullets: int = 3, roles: int = 2) -> Path:
    """An A4 resume with its own margins, fonts, sizes, spacing, a centred name and list bullets."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(15), Mm(12)
    section.left_margin, section.right_margin = Mm(20), Mm(17)
    normal = document.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.0
    heading = document.styles["Heading 1"]
    heading.font.name = "Arial"
    heading.font.size = Pt(13)
    heading.paragraph_format.space_before = Pt(14)
    heading.paragraph_format.space_after = Pt(3)
    name = document.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = name.add_run("Maya Okafor")
    run.bold = True
    run.font.size = Pt(20)
    contact = document.add_paragraph("maya.okafor@example.com · +44 20 7946 0958 · London")
    contact.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("Summary", style="Heading 1")
    document.add_paragraph("Data engineer who builds reliable pipelines in Python and SQL for analytics teams.")
    document.add_paragraph("Experience", style="Heading 1")
    for r in range(roles):
        role = document.add_paragraph()
        role.add_run(f"Senior Data Engineer — Firm {r + 1} Ltd, London (201{r} – 202{r})").bold = True
        role.paragraph_format.space_before = Pt(8)
        for b in range(bullets):
            item = document.add_paragraph(style="List Bullet")
            item.add_run(f"Role {r + 1} bullet {b + 1}: moved the ")
            item.add_run("nightly batch").bold = True
            item.add_run(" to streaming, cutting report latency from 6 hours to 9 minutes for 40 analysts.")
    document.add_paragraph("Skills", style="Heading 1")
    document.add_paragraph("Python, SQL, Airflow, Kafka, dbt")
    document.save(path)
    return path


def text_positions(data: bytes) -> list[tuple[int, str, float, float, float, str]]:
    """(page, text, x pt, y pt, font size, font name) of every text-showing operation."""
    out: list[tuple[int, str, float, float, float, str]] = []
    for number, page in enumerate(pypdf.PdfReader(io.BytesIO(data)).pages):
        def visit(text, cm, tm, font, size, number=number):  # noqa: ANN001
            if text.strip():
                out.append((number, text, tm[4], tm[5], size, str((font or {}).get("/BaseFont", ""))))

        page.extract_text(visitor_text=visit)
    return out


def flat(text: str) -> str:
    return " ".join(text.split())


def test_page_margins_fonts_sizes_and_spacing_are_read_from_the_docx(tmp_path: Path):
    look = read_look(styled_docx(tmp_path / "cv.docx"))
    assert look is not None
    assert look.page == pytest.approx((210, 297), abs=0.1)
    assert look.margins == pytest.approx((15, 17, 12, 20), abs=0.1)  # top, right, bottom, left
    name, contact, summary_head, summary = (look.paragraphs[i] for i in range(4))
    assert (name.size, name.bold, name.align) == (20, True, "C")
    assert (contact.family, contact.size, contact.bold, contact.align) == ("Georgia", 10.5, False, "C")
    assert (summary_head.family, summary_head.size, summary_head.before, summary_head.after) == ("Arial", 13, 14, 3)
    assert (summary.family, summary.size, summary.after, summary.line) == ("Georgia", 10.5, 4, 1.0)
    role = look.paragraphs[5]
    assert role.bold and role.before == 8
    bullet = look.paragraphs[6]
    assert bullet.numbered and bullet.left > 0 and bullet.first < 0  # Word's hanging list indent
    assert not bullet.bold  # only "nightly batch" is bold, not the whole paragraph


def test_theme_fonts_and_document_defaults_are_followed(tmp_path: Path):
    path = tmp_path / "plain.docx"
    document = docx.Document()  # python-docx's template: Normal in the theme's minor font, no sizes stated
    document.add_paragraph("Plain paragraph")
    document.save(path)
    look = read_look(path)
    assert look is not None
    plain = look.paragraphs[0]
    assert plain.family == "Cambria" and plain.size == 11  # theme minor font, docDefaults size
    assert look.page == pytest.approx((215.9, 279.4), abs=0.1)


def test_font_classes_and_the_stand_in_note():
    assert face_for("Calibri").face == "sans" and face_for("Arial").face == "sans"
    assert face_for("Helvetica Neue").face == "sans"
    assert face_for("Times New Roman").face == "serif" and face_for("Cambria Bold").face == "serif"
    assert face_for("Georgia").face == "serif" and face_for("EB Garamond").face == "serif"
    assert face_for("Calibri").width < 0.85  # Calibri sets narrower than DejaVu Sans
    note = stand_in_note(["Calibri", "Georgia"])
    assert note and "DejaVu Sans for Calibri" in note and "DejaVu Serif for Georgia (width estimated)" in note


def test_pdf_has_the_docx_page_margins_sizes_and_faces(tmp_path: Path):
    resume = load_resume(styled_docx(tmp_path / "cv.docx"))
    data, notes = render(resume, resume, "pdf")
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(210 * MM_PT, abs=0.5)
    assert float(page.mediabox.height) == pytest.approx(297 * MM_PT, abs=0.5)
    runs = text_positions(data)
    by_text = {flat(text): (x, y, size, font) for _, text, x, y, size, font in runs}
    name_x, _, name_size, name_font = by_text["Maya Okafor"]
    assert name_size == pytest.approx(20) and "DejaVuSerifBold" in name_font  # Georgia → DejaVu Serif, bold
    assert name_x > 60 * MM_PT  # centred on the page, not at the margin
    head = by_text["Experience"]
    assert head[2] == pytest.approx(13) and "DejaVuSans" in head[3]  # Heading 1 in Arial → DejaVu Sans
    summary = next(v for k, v in by_text.items() if k.startswith("Data engineer"))
    assert summary[0] == pytest.approx(20 * MM_PT, abs=0.5)  # the left margin
    assert summary[2] == pytest.approx(10.5) and "DejaVuSerif" in summary[3]
    bullets = [v for k, v in by_text.items() if k.startswith("Role 1 bullet")]
    assert bullets and all(x > 20 * MM_PT + 5 for x, *_ in bullets)  # indented as the list is
    assert any("nightly batch" in flat(t) and "Bold" in f for _, t, *_, f in runs)  # the bold span stays bold
    assert any("DejaVu Serif for Georgia" in n for n in notes)
    content = page.get_contents()
    assert content is not None and b" Tz" in content.get_data()  # glyphs narrowed to the source font's width


def test_paragraph_spacing_is_the_larger_of_after_and_before(tmp_path: Path):
    path = tmp_path / "gap.docx"
    document = docx.Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    first = document.add_paragraph("First paragraph of the summary text.")
    first.paragraph_format.space_after = Pt(24)
    first.paragraph_format.line_spacing = 1.0
    second = document.add_paragraph("Second paragraph of the summary text.")
    second.paragraph_format.space_before = Pt(6)
    second.paragraph_format.line_spacing = 1.0
    document.save(path)
    resume = load_resume(path)
    data, _ = render(resume, resume, "pdf")
    ys = {flat(t)[:5]: y for _, t, _, y, _, _ in text_positions(data)}
    line = face_for("Arial").line_em * 10
    assert ys["First"] - ys["Secon"] == pytest.approx(line + 24, abs=0.3)


def test_every_word_of_the_tailored_resume_is_in_the_pdf_in_order(tmp_path: Path):
    source = styled_docx(tmp_path / "cv.docx", roles=6, bullets=5)
    original = load_resume(source)
    tailored = original.model_copy(deep=True)
    bullet = next(i for i in tailored.items() if i.kind == ItemKind.BULLET)
    bullet.text = "Rewrote the **pipeline** in __Python__ -- with 3x throughput [see](notes) and zero downtime."
    bullet.spans = []
    experience = next(s for s in tailored.sections if s.title == "Experience")
    experience.items.append(Item(id="added", kind=ItemKind.BULLET, text="Mentored four junior engineers on dbt."))
    out = tmp_path / "cv.pdf"
    write_export(tailored, original, out, "pdf")
    check = verify_export(out, "pdf", tailored, [])
    assert check.ok, check.problems
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) >= 2
    whole = flat(" ".join(page.extract_text() or "" for page in reader.pages))
    cursor = 0
    for item in tailored.items():
        at = whole.find(flat(item.text), cursor)
        assert at >= 0, f"missing or out of order: {item.text}"
        cursor = at
    for section in tailored.sections:
        assert section.title in whole


def test_an_added_item_takes_the_look_of_its_kind(tmp_path: Path):
    source = styled_docx(tmp_path / "cv.docx")
    resume = load_resume(source)
    experience = next(s for s in resume.sections if s.title == "Experience")
    experience.items.append(Item(id="new", kind=ItemKind.BULLET, text="A bullet the tailoring added."))
    look = read_look(source)
    assert look is not None
    pieces = pieces_of(layout_of(resume), look)
    added = next(p for p in pieces if p.text == "A bullet the tailoring added.")
    existing = next(p for p in pieces if p.text.startswith("Role 2 bullet 3"))
    assert added.look == existing.look and added.key != existing.key


def test_non_docx_sources_keep_the_generic_layout(tmp_path: Path):
    md = tmp_path / "cv.md"
    md.write_text("# Maya Okafor\n\nmaya@example.com\n\n## Skills\n\n- Python, SQL\n", encoding="utf-8")
    resume = load_resume(md)
    data, notes = render(resume, resume, "pdf")
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(210 * MM_PT, abs=0.5)  # the generic A4 layout
    assert not any("DOCX" in n for n in notes)
    docx_resume = load_resume(styled_docx(tmp_path / "gone.docx"))
    Path(docx_resume.source_path or "").unlink()
    data, notes = render(docx_resume, docx_resume, "pdf")  # the source is gone: generic layout, still complete
    assert not any("DOCX" in n for n in notes)
    assert "Maya Okafor" in flat(pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text())


def test_a_damaged_source_falls_back_to_the_generic_layout(tmp_path: Path):
    resume = load_resume(styled_docx(tmp_path / "cv.docx"))
    Path(resume.source_path or "").write_bytes(b"PK\x03\x04 not a zip any more")
    data, notes = render(resume, resume, "pdf")
    assert data.startswith(b"%PDF-") and not any("DOCX" in n for n in notes)


@pytest.mark.slow
def test_corpus_docx_keep_their_page_count_within_one(corpus: Path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from pdf_look import corpus_docx, reference_pages

    checked = 0
    for path in corpus_docx():
        reference = reference_pages(path)
        resume: Resume = load_resume(path)
        data, _ = render(resume, resume, "pdf")
        pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
        if reference is not None:
            checked += 1
            assert abs(pages - reference[0]) <= 1, f"{path.name}: {pages} PDF pages, the source has {reference[0]}"
    assert checked >= 3


def test_a_word_wider_than_the_line_is_split_not_cut_off(tmp_path: Path):
    path = tmp_path / "url.docx"
    document = docx.Document()
    document.add_paragraph("Portfolio")
    url = "https://example.org/" + "/".join(f"segment{n:02d}" for n in range(30))
    document.add_paragraph(url)
    document.add_paragraph("Skills", style="Heading 1")
    document.add_paragraph("Python, SQL")
    document.save(path)
    resume = load_resume(path)
    out = tmp_path / "url.pdf"
    write_export(resume, resume, out, "pdf")
    assert verify_export(out, "pdf", resume, []).ok
    data = out.read_bytes()
    width = float(pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox.width)
    pieces = [(x, t) for _, t, x, *_ in text_positions(data) if "segment" in t]
    assert len(pieces) >= 2  # the address runs over two lines or more
    assert "".join(flat(t) for _, t in pieces).replace(" ", "") == url
    assert all(x < width for x, _ in pieces)


def test_tab_stops_place_each_part_of_a_line():
    from resume_tui.documents.export.pdf_tabs import tab_starts

    # A right-aligned stop at 500 pt: the date ends on it.
    assert tab_starts([100, 80], [0, 1], 72, 72, 600, ((500.0, "right"),), 36) == [72, 72 + 500 - 80]
    # No custom stops: each tab goes to the next multiple of the default stop, from the margin.
    assert tab_starts([50, 20, 20], [0, 2, 1], 72, 72, 600, (), 36) == [72, 72 + 108, 72 + 144]
    # A centre stop, and a part that would go back over the text before it starts after it instead.
    assert tab_starts([10, 40], [0, 1], 0, 0, 600, ((100.0, "center"),), 36) == [0, 80]
    assert tab_starts([90, 40], [0, 1], 0, 0, 600, ((100.0, "right"),), 36) == [0, 90]
    # Not on one line: the caller wraps the text as words instead.
    assert tab_starts([300, 400], [0, 1], 0, 0, 600, (), 36) is None


def test_a_dated_role_line_puts_its_date_at_the_right_tab_stop(tmp_path: Path):
    from docx.enum.text import WD_TAB_ALIGNMENT

    path = tmp_path / "tabs.docx"
    document = docx.Document()
    section = document.sections[0]
    document.add_paragraph("Experience", style="Heading 1")
    role = document.add_paragraph()
    stop = section.page_width - section.left_margin - section.right_margin
    role.paragraph_format.tab_stops.add_tab_stop(stop, WD_TAB_ALIGNMENT.RIGHT)
    role.add_run("Staff Engineer, Acme\tJan 2020 – Present").bold = True
    document.add_paragraph("Cut the build time from 40 to 12 minutes for 30 engineers.", style="List Bullet")
    document.save(path)
    resume = load_resume(path)
    out = tmp_path / "tabs.pdf"
    write_export(resume, resume, out, "pdf")
    assert verify_export(out, "pdf", resume, []).ok
    runs = text_positions(out.read_bytes())
    title = next(r for r in runs if r[1].startswith("Staff"))
    date = next(r for r in runs if r[1].startswith("Jan"))
    assert abs(date[3] - title[3]) < 0.5  # one line
    right_edge = (section.page_width - section.right_margin) / 12700  # EMU → pt
    assert right_edge - 120 < date[2] < right_edge - 40  # the date ends at the margin, not after the title
    text = flat(pypdf.PdfReader(out).pages[0].extract_text())
    assert "Acme Jan 2020" in text  # read back with a space, never run together


def test_list_marks_follow_the_numbering_definition(tmp_path: Path):
    from resume_tui.documents.export.docx_styles import _MARKS

    assert _MARKS["o"] == "◦" and _MARKS["\uf0a7"] == "▪"
    look = read_look(styled_docx(tmp_path / "cv.docx"))
    assert look is not None
    assert look.paragraphs[6].mark == "•"  # python-docx's List Bullet: Symbol's bullet


def test_pale_text_is_drawn_dark_and_a_bold_font_name_is_named_once():
    from resume_tui.documents.export.pdf_look import ink

    assert ink((255, 255, 255)) == (0, 0, 0)  # white sidebar text would vanish on white paper
    assert ink((31, 56, 100)) == (31, 56, 100) and ink(None) == (0, 0, 0)
    note = stand_in_note(["Cambria Bold", "Cambria"])
    assert note and note.count("Cambria") == 1


def test_bullets_are_drawn_where_the_source_shows_them_and_cells_keep_their_look(tmp_path: Path):
    path = tmp_path / "marks.docx"
    document = docx.Document()
    heading = document.add_paragraph(style="List Bullet")  # a heading styled as a list, numbering switched off
    heading.add_run("PROFESSIONAL EXPERIENCE").bold = True
    num = heading._p.get_or_add_pPr().get_or_add_numPr()
    num.get_or_add_numId().val = 0
    document.add_paragraph("Teacher, Lincoln Elementary (2014 – 2020)")
    document.add_paragraph("• Planned daily lessons for 28 pupils\n• Ran the reading club")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].add_run("Languages:").font.size = Pt(8)
    value = table.cell(0, 1).paragraphs[0].add_run("English, Spanish, French")
    value.font.size = Pt(8)
    document.save(path)
    resume = load_resume(path)
    data, _ = render(resume, resume, "pdf")
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    lines = [flat(line) for line in text.splitlines() if line.strip()]
    assert not any(line.startswith("•") and "PROFESSIONAL" in line for line in lines)
    assert sum(1 for line in lines if line.startswith("•")) == 2  # the two typed bullets, drawn back
    sizes = {round(size, 1) for _, t, _, _, size, _ in text_positions(data) if "Spanish" in t}
    assert sizes == {8.0}  # the table cell's own size


def test_a_runs_horizontal_scale_narrows_its_text(tmp_path: Path):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    path = tmp_path / "scaled.docx"
    document = docx.Document()
    run = document.add_paragraph().add_run("Condensed line set at ninety percent width")
    scale = OxmlElement("w:w")
    scale.set(qn("w:val"), "90")
    run._r.get_or_add_rPr().append(scale)
    document.add_paragraph("Plain line")
    document.save(path)
    look = read_look(path)
    assert look is not None
    assert look.paragraphs[0].scale == pytest.approx(0.9) and look.paragraphs[1].scale == 1.0


def test_the_repos_own_word_resume_keeps_its_page_count():
    """tests/data/corpus's DOCX (saved by Word: its app.xml page count is current) — runs without ../shared."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from pdf_look import reference_pages

    path = ROOT / "tests" / "data" / "corpus" / "resumes" / "t01_solutions_architect_textboxes.docx"
    reference = reference_pages(path)
    assert reference == (3, "Word app.xml")
    resume = load_resume(path)
    data, notes = render(resume, resume, "pdf")
    assert abs(len(pypdf.PdfReader(io.BytesIO(data)).pages) - reference[0]) <= 1
    assert any("DejaVu Sans for Arial" in note for note in notes)
