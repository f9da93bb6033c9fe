"""Structure found on real documents: DOCX label tables and heading levels, running page
headers/footers, icon-font junk, letter-spaced names, LinkedIn's doubled text."""

from __future__ import annotations

import io
from pathlib import Path

from resume_tui.documents.ingest import load_resume
from resume_tui.models import ItemKind, SectionKind


def _docx_bytes(document) -> bytes:  # noqa: ANN001
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_label_value_table_rows_are_items_not_headings(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Jane Doe")
    document.add_paragraph("jane@example.com")
    document.add_paragraph("Experience", style="Heading 1")
    document.add_paragraph("Engineer, Acme, 2019 - 2021")
    document.add_paragraph("Skills", style="Heading 1")
    table = document.add_table(rows=4, cols=2)
    table.cell(0, 0).text = "Languages"
    table.cell(0, 1).text = "Python, Go, SQL"
    table.cell(1, 0).paragraphs[0].add_run("Tools").bold = True
    table.cell(1, 1).text = "Docker"
    table.cell(2, 0).text = "Frameworks:"
    table.cell(2, 1).text = "Django"
    table.cell(3, 0).text = "Python"  # a grid of plain values stays cell by cell
    table.cell(3, 1).text = "Terraform"
    document.add_paragraph("Education", style="Heading 1")
    document.add_paragraph("BSc Mathematics, MIT, 2012 - 2016")
    path = tmp_path / "cv.docx"
    path.write_bytes(_docx_bytes(document))

    resume = load_resume(path)
    assert [s.kind for s in resume.sections] == [SectionKind.EXPERIENCE, SectionKind.SKILLS, SectionKind.EDUCATION]
    skills = resume.sections[1]
    assert [i.text for i in skills.items] == [
        "Languages: Python, Go, SQL",
        "Tools: Docker",
        "Frameworks: Django",
        "Python",
        "Terraform",
    ]
    assert skills.items[0].origin.table == (0, 0, 1)
    tools = skills.items[1]
    assert [(s.start, s.end, s.bold) for s in tools.spans] == [(0, 5, True)]


def test_docx_heading_levels(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Jane Doe", style="Title")
    document.add_paragraph("jane@example.com | +1 415 555 0100")
    document.add_paragraph("Experience", style="Heading 1")
    document.add_paragraph("Senior Engineer — Acme", style="Heading 3")
    document.add_paragraph("Led the payments team", style="List Bullet")
    document.add_paragraph("Project Manager — Initech", style="Heading 3")  # "project" is not a section here
    document.add_paragraph("Ran the migration", style="List Bullet")
    document.add_paragraph("Education", style="Heading 2")  # mixed levels still name sections
    document.add_paragraph("BSc Mathematics, MIT, 2012 - 2016")
    document.add_paragraph("Technical Skills", style="Heading 4")
    document.add_paragraph("Python, Go")
    path = tmp_path / "cv.docx"
    path.write_bytes(_docx_bytes(document))

    resume = load_resume(path)
    assert resume.contact.name == "Jane Doe"
    assert [(s.kind, s.title) for s in resume.sections] == [
        (SectionKind.EXPERIENCE, "Experience"),
        (SectionKind.EDUCATION, "Education"),
        (SectionKind.SKILLS, "Technical Skills"),
    ]
    experience = resume.sections[0].items
    assert [(i.kind, i.text) for i in experience] == [
        (ItemKind.ROLE, "Senior Engineer — Acme"),
        (ItemKind.BULLET, "Led the payments team"),
        (ItemKind.ROLE, "Project Manager — Initech"),
        (ItemKind.BULLET, "Ran the migration"),
    ]


def test_docx_custom_style_based_on_heading_is_a_heading(tmp_path: Path) -> None:
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    custom = document.styles.add_style("Section Head", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = document.styles["Heading 2"]
    document.add_paragraph("Jane Doe")
    document.add_paragraph("Work History", style="Section Head")
    document.add_paragraph("Engineer, Acme, 2019 - 2021")
    document.add_paragraph("Awards", style="Section Head")
    document.add_paragraph("Employee of the year")
    path = tmp_path / "cv.docx"
    path.write_bytes(_docx_bytes(document))
    resume = load_resume(path)
    assert [s.kind for s in resume.sections] == [SectionKind.EXPERIENCE, SectionKind.AWARDS]


def _paged_pdf(pages: list[list[str]], footer: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=10)
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        for i, text in enumerate(lines):
            pdf.set_xy(15, 15 + i * 6)
            pdf.cell(180, 6, text)
        if footer:
            pdf.set_xy(15, 280)
            pdf.cell(180, 6, footer)
            pdf.set_xy(15, 286)
            pdf.cell(180, 6, f"Page {number} of {len(pages)}")
    return bytes(pdf.output())


def test_pdf_running_footer_is_not_an_item(tmp_path: Path) -> None:
    footer = "Jane Q. Doe - www.janedoe.dev"
    pages = [
        ["Jane Q. Doe", "jane@example.com", "", "Experience", "Senior Engineer, Acme, 2019 - 2021",
         "- Led the payments team"],
        ["- Cut latency by 40%", "", "Education", "BSc Mathematics, MIT, 2012 - 2016"],
        ["Skills", "Python, Go"],
    ]
    path = tmp_path / "cv.pdf"
    path.write_bytes(_paged_pdf(pages, footer))
    resume = load_resume(path)
    texts = [i.text for i in resume.items()]
    assert not any("janedoe.dev" in t or t.startswith("Page ") for t in texts), texts
    assert [s.kind for s in resume.sections] == [SectionKind.EXPERIENCE, SectionKind.EDUCATION, SectionKind.SKILLS]
    assert "Cut latency by 40%" in texts
    assert resume.header_lines.count(footer) == 1  # kept once, where contact reads it
    assert resume.contact.links == ["www.janedoe.dev"]  # contact still reads the footer
    assert any("page headers/footers" in w for w in resume.warnings)


def test_repeated_header_block_in_a_text_rendering_is_dropped_once() -> None:
    from resume_tui.documents.ingest import parse_resume_text

    text = (
        "David Q. Everly, MSN\n\nhttps://www.example.org/\n\nExperience\nNurse, Acme Hospital, 2019 - 2021\n"
        "Nurse, Mercy Hospital, 2017 - 2019\n\n\nDavid Q. Everly, MSN\n\nhttps://www.example.org/\n\n"
        "Experience\nClerk, Mercy Hospital, 2015 - 2017\n"
    )
    resume = parse_resume_text(text)
    texts = [i.text for i in resume.items()]
    assert texts == ["Nurse, Acme Hospital, 2019 - 2021", "Nurse, Mercy Hospital, 2017 - 2019",
                     "Clerk, Mercy Hospital, 2015 - 2017"]
    assert resume.header_lines == ["David Q. Everly, MSN", "https://www.example.org/"]
    assert resume.contact.name == "David Q. Everly"


def test_a_title_repeated_in_a_role_is_not_a_running_header() -> None:
    from resume_tui.documents.ingest import parse_resume_text

    text = "Jane Doe\nData Analyst\n\nExperience\nData Analyst\nAcme, 2019 - 2021\n"
    resume = parse_resume_text(text)
    assert "Data Analyst" in [i.text for i in resume.items()]


def test_docx_layout_table_with_section_names_in_the_left_column_keeps_headings(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Jane Doe")
    document.add_paragraph("jane@example.com")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Summary"
    table.cell(0, 1).text = "Backend engineer who ships reliable payment systems."
    table.cell(1, 0).text = "Experience"
    table.cell(1, 1).text = "Engineer, Acme, 2019 - 2021"
    table.cell(1, 1).add_paragraph("Led the payments team")
    path = tmp_path / "cv.docx"
    path.write_bytes(_docx_bytes(document))
    resume = load_resume(path)
    assert [s.kind for s in resume.sections] == [SectionKind.SUMMARY, SectionKind.EXPERIENCE]
    assert resume.sections[0].items[0].text == "Backend engineer who ships reliable payment systems."
