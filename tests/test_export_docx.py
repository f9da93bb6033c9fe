"""DOCX export: changes applied inside the user's own document, everything else untouched."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from lxml import etree

from resume_tui.documents.export import render, write_export
from resume_tui.models import Contact, Item, ItemKind, Origin, Resume, Section, SectionKind, SourceFormat, TextSpan

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def build_docx(path: Path) -> None:
    """A resume with a header, several styles, bold/italic runs inside bullets and a table."""
    doc = docx.Document()
    header = doc.sections[0].header.paragraphs[0]
    header.text = "José Núñez · jose@example.com · +351 912 345 678"
    doc.add_paragraph("José Núñez", style="Title")  # p0
    doc.add_paragraph("Summary", style="Heading 1")  # p1
    summary = doc.add_paragraph()  # p2
    summary.add_run("Backend engineer with ")
    summary.add_run("six years").italic = True
    summary.add_run(" of experience in payments.")
    doc.add_paragraph("Experience", style="Heading 1")  # p3
    role = doc.add_paragraph()  # p4
    role.add_run("Senior Engineer — Acme, Lisbon (2020 – 2023)").bold = True
    b1 = doc.add_paragraph(style="List Bullet")  # p5
    b1.add_run("Python:").bold = True
    b1.add_run(" built the tracking API used by 40 clients.")
    b2 = doc.add_paragraph(style="List Bullet")  # p6
    b2.add_run("Cut p95 latency by ")
    strong = b2.add_run("half")
    strong.bold = True
    strong.font.size = Pt(11)
    b2.add_run(" with caching.")
    doc.add_paragraph("Mentored two engineers.", style="List Bullet")  # p7
    doc.add_paragraph("Skills", style="Heading 1")  # p8
    table = doc.add_table(rows=2, cols=2)  # t0
    table.cell(0, 0).text = "Languages"
    table.cell(0, 1).text = "Python, Go"
    table.cell(1, 0).text = "Tools"
    table.cell(1, 1).text = "Docker, Git"
    doc.add_paragraph("Education", style="Heading 2")  # p9
    edu = doc.add_paragraph("BSc Computer Science, University of Porto (2014 – 2018)")  # p10
    edu.runs[0].font.name = "Georgia"
    doc.save(path)


def original_resume(path: Path) -> Resume:
    """The Resume ingest produces for build_docx (origins per the ingest contract)."""

    def item(iid: str, text: str, kind: ItemKind, **origin) -> Item:
        return Item(id=iid, text=text, kind=kind, origin=Origin(**origin))

    return Resume(
        contact=Contact(name="José Núñez", email="jose@example.com", phone="+351 912 345 678"),
        header_lines=["José Núñez · jose@example.com · +351 912 345 678", "José Núñez"],
        source_format=SourceFormat.DOCX,
        source_path=str(path),
        sections=[
            Section(id="s0", kind=SectionKind.SUMMARY, title="Summary", origin=Origin(paragraph=1), items=[
                item("s0.0", "Backend engineer with six years of experience in payments.", ItemKind.LINE, paragraph=2),
            ]),
            Section(id="s1", kind=SectionKind.EXPERIENCE, title="Experience", origin=Origin(paragraph=3), items=[
                item("s1.0", "Senior Engineer — Acme, Lisbon (2020 – 2023)", ItemKind.ROLE, paragraph=4),
                item("s1.1", "Python: built the tracking API used by 40 clients.", ItemKind.BULLET, paragraph=5),
                item("s1.2", "Cut p95 latency by half with caching.", ItemKind.BULLET, paragraph=6),
                item("s1.3", "Mentored two engineers.", ItemKind.BULLET, paragraph=7),
            ]),
            Section(id="s2", kind=SectionKind.SKILLS, title="Skills", origin=Origin(paragraph=8), items=[
                item("s2.0", "Languages", ItemKind.LINE, table=(0, 0, 0)),
                item("s2.1", "Python, Go", ItemKind.LINE, table=(0, 0, 1)),
                item("s2.2", "Tools", ItemKind.LINE, table=(0, 1, 0)),
                item("s2.3", "Docker, Git", ItemKind.LINE, table=(0, 1, 1)),
            ]),
            Section(id="s3", kind=SectionKind.EDUCATION, title="Education", origin=Origin(paragraph=9), items=[
                item("s3.0", "BSc Computer Science, University of Porto (2014 – 2018)", ItemKind.LINE, paragraph=10),
            ]),
        ],
    )


def with_items(resume: Resume, section_id: str, items: list[Item]) -> Resume:
    sections = [s.model_copy(update={"items": items}) if s.id == section_id else s for s in resume.sections]
    return resume.model_copy(update={"sections": sections})


def replaced(resume: Resume, item_id: str, text: str) -> Resume:
    section = resume.section_of(item_id)
    items = [i.model_copy(update={"text": text, "spans": []}) if i.id == item_id else i for i in section.items]
    return with_items(resume, section.id, items)


def body_paragraphs(data: bytes) -> list[bytes]:
    document = docx.Document(io.BytesIO(data))
    return [etree.tostring(p._p) for p in document.paragraphs]


def table_xml(data: bytes) -> list[bytes]:
    document = docx.Document(io.BytesIO(data))
    return [etree.tostring(t._tbl) for t in document.tables]


def runs_of(p) -> list[tuple[str, bool | None, bool | None]]:
    return [(r.text, r.bold, r.italic) for r in p.runs]


@pytest.fixture
def source(tmp_path: Path) -> tuple[Path, Resume, bytes]:
    path = tmp_path / "cv.docx"
    build_docx(path)
    return path, original_resume(path), path.read_bytes()


def test_unchanged_resume_reproduces_every_paragraph_and_part(source):
    path, original, raw = source
    data, notes = render(original, original, "docx")
    assert notes == []
    assert body_paragraphs(data) == body_paragraphs(raw)
    assert table_xml(data) == table_xml(raw)
    with zipfile.ZipFile(io.BytesIO(data)) as new, zipfile.ZipFile(path) as old:
        assert new.namelist() == old.namelist()
        for name in old.namelist():
            if name != "word/document.xml":
                assert new.read(name) == old.read(name), name


def test_changed_bullet_keeps_bold_prefix_and_other_paragraphs_byte_identical(source):
    path, original, raw = source
    tailored = replaced(original, "s1.1", "Python: built the shipment-tracking REST API used by 40 clients.")
    data, notes = render(tailored, original, "docx")
    assert notes == []
    before, after = body_paragraphs(raw), body_paragraphs(data)
    assert len(before) == len(after)
    for index, (old, new) in enumerate(zip(before, after)):
        if index != 5:
            assert old == new, f"paragraph {index} changed"
    assert before[5] != after[5]
    p = docx.Document(io.BytesIO(data)).paragraphs[5]
    assert p.text == "Python: built the shipment-tracking REST API used by 40 clients."
    assert p.style.name == "List Bullet"
    assert p.runs[0].text == "Python:" and p.runs[0].bold is True
    assert all(r.bold is None for r in p.runs[1:])
    assert table_xml(data) == table_xml(raw)


def test_bold_word_in_the_middle_survives_a_rewrite_around_it(source):
    path, original, raw = source
    tailored = replaced(original, "s1.2", "Cut API p95 latency by half with Redis caching.")
    data, _ = render(tailored, original, "docx")
    p = docx.Document(io.BytesIO(data)).paragraphs[6]
    assert p.text == "Cut API p95 latency by half with Redis caching."
    bold = [r for r in p.runs if r.bold]
    assert [r.text for r in bold] == ["half"]
    assert bold[0].font.size == Pt(11)


def test_italic_run_in_summary_kept_when_the_end_changes(source):
    path, original, raw = source
    tailored = replaced(original, "s0.0", "Backend engineer with six years of experience in payments and logistics.")
    data, _ = render(tailored, original, "docx")
    p = docx.Document(io.BytesIO(data)).paragraphs[2]
    assert p.text.endswith("payments and logistics.")
    assert [r.text for r in p.runs if r.italic] == ["six years"]


def test_table_cell_edit_keeps_the_table(source):
    path, original, raw = source
    tailored = replaced(original, "s2.1", "Python, Go, SQL")
    data, _ = render(tailored, original, "docx")
    document = docx.Document(io.BytesIO(data))
    table = document.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [["Languages", "Python, Go, SQL"], ["Tools", "Docker, Git"]]
    assert body_paragraphs(data) == body_paragraphs(raw)
    old_rows = docx.Document(io.BytesIO(raw)).tables[0].rows
    assert etree.tostring(table.rows[1]._tr) == etree.tostring(old_rows[1]._tr)


def test_reorder_moves_paragraph_elements_within_the_section(source):
    path, original, raw = source
    section = original.section("s1")
    by_id = {i.id: i for i in section.items}
    tailored = with_items(original, "s1", [by_id[i] for i in ("s1.0", "s1.3", "s1.1", "s1.2")])
    data, _ = render(tailored, original, "docx")
    before, after = body_paragraphs(raw), body_paragraphs(data)
    assert after[:5] == before[:5]
    assert after[5:8] == [before[7], before[5], before[6]]
    assert after[8:] == before[8:]


def test_delete_removes_only_that_paragraph(source):
    path, original, raw = source
    section = original.section("s1")
    tailored = with_items(original, "s1", [i for i in section.items if i.id != "s1.2"])
    data, _ = render(tailored, original, "docx")
    before, after = body_paragraphs(raw), body_paragraphs(data)
    assert after == before[:6] + before[7:]


def test_inserted_bullet_clones_its_neighbours_formatting(source):
    path, original, raw = source
    section = original.section("s1")
    new = Item(id="s1.4", text="Ran the weekly design review.", kind=ItemKind.BULLET)
    tailored = with_items(original, "s1", [*section.items[:3], new, section.items[3]])
    data, _ = render(tailored, original, "docx")
    document = docx.Document(io.BytesIO(data))
    before = body_paragraphs(raw)
    after = body_paragraphs(data)
    assert len(after) == len(before) + 1
    assert after[:7] == before[:7] and after[8:] == before[7:]
    inserted = document.paragraphs[7]
    assert inserted.text == "Ran the weekly design review."
    assert inserted.style.name == "List Bullet"
    old_ppr = docx.Document(io.BytesIO(raw)).paragraphs[6]._p.pPr
    assert etree.tostring(inserted._p.pPr) == etree.tostring(old_ppr)


def test_insert_at_section_start_and_into_table_cell_section(source):
    path, original, raw = source
    edu = original.section("s3")
    first = Item(id="s3.1", text="AWS Certified Developer (2022)", kind=ItemKind.LINE)
    tailored = with_items(original, "s3", [first, *edu.items])
    data, _ = render(tailored, original, "docx")
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert texts[9:] == ["Education", "AWS Certified Developer (2022)", "BSc Computer Science, University of Porto (2014 – 2018)"]
    assert document.paragraphs[10].runs[0].font.name == "Georgia"


def test_header_footer_styles_numbering_are_byte_identical_after_changes(source):
    path, original, raw = source
    tailored = replaced(original, "s1.3", "Mentored four engineers through their first on-call rotation.")
    data, _ = render(tailored, original, "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as new, zipfile.ZipFile(path) as old:
        headers = [n for n in old.namelist() if "header" in n or "styles" in n or "numbering" in n]
        assert any("header" in n for n in headers)
        for name in headers:
            assert new.read(name) == old.read(name)


def test_several_changes_at_once(source):
    path, original, raw = source
    tailored = replaced(original, "s1.1", "Python: designed the tracking API used by 40 clients.")
    tailored = replaced(tailored, "s2.3", "Docker, Git, Kubernetes")
    tailored = replaced(tailored, "s0.0", "Backend engineer with six years of experience in payments and logistics.")
    data, notes = render(tailored, original, "docx")
    assert notes == []
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[5].text == "Python: designed the tracking API used by 40 clients."
    assert document.tables[0].cell(1, 1).text == "Docker, Git, Kubernetes"
    before, after = body_paragraphs(raw), body_paragraphs(data)
    assert [i for i, (a, b) in enumerate(zip(before, after)) if a != b] == [2, 5]


def test_soft_break_lines_sharing_a_paragraph_are_edited_separately(tmp_path: Path):
    path = tmp_path / "soft.docx"
    doc = docx.Document()
    doc.add_paragraph("Experience", style="Heading 1")
    p = doc.add_paragraph()
    run = p.add_run("Engineer, Acme")
    run.bold = True
    run.add_break()
    p.add_run("Built billing in Python.")
    doc.save(path)
    original = Resume(source_format=SourceFormat.DOCX, source_path=str(path), sections=[
        Section(id="s0", kind=SectionKind.EXPERIENCE, title="Experience", origin=Origin(paragraph=0), items=[
            Item(id="s0.0", text="Engineer, Acme", kind=ItemKind.ROLE, origin=Origin(paragraph=1)),
            Item(id="s0.1", text="Built billing in Python.", origin=Origin(paragraph=1)),
        ]),
    ])
    tailored = replaced(original, "s0.1", "Built the billing service in Python and Go.")
    data, notes = render(tailored, original, "docx")
    assert notes == []
    para = docx.Document(io.BytesIO(data)).paragraphs[1]
    assert para.text == "Engineer, Acme\nBuilt the billing service in Python and Go."
    assert para.runs[0].bold is True and para.runs[0].text == "Engineer, Acme\n"
    assert all(r.bold is None for r in para.runs[1:])


def test_unlocatable_change_falls_back_to_a_clean_docx_and_says_so(source):
    path, original, raw = source
    lost = original.model_copy(deep=True)
    lost.sections[1].items[1].origin = None
    tailored = replaced(lost, "s1.1", "Python: built the tracking API used by 45 clients.")
    data, notes = render(tailored, lost, "docx")
    assert notes and "clean DOCX" in notes[0]
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "Python: built the tracking API used by 45 clients." in texts


def test_clean_docx_for_non_docx_sources_uses_real_styles(tmp_path: Path):
    resume = Resume(
        contact=Contact(name="Zoë Łukasz", email="zoe@example.com"),
        header_lines=["Zoë Łukasz", "zoe@example.com · Kraków"],
        source_format=SourceFormat.MARKDOWN,
        sections=[
            Section(id="s0", kind=SectionKind.EXPERIENCE, title="Experience", items=[
                Item(id="s0.0", text="Data Engineer — Allegro (2019 – 2024)", kind=ItemKind.ROLE),
                Item(id="s0.1", text="Built Spark pipelines in Scala.", kind=ItemKind.BULLET,
                     spans=[TextSpan(start=6, end=11, bold=True)]),
            ]),
        ],
    )
    out = tmp_path / "out.docx"
    written = write_export(resume, resume, out, "docx")
    document = docx.Document(out)
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert styled[0] == ("Title", "Zoë Łukasz")
    assert ("Heading 1", "Experience") in styled
    assert ("List Bullet", "Built Spark pipelines in Scala.") in styled
    bullet = next(p for p in document.paragraphs if p.style.name == "List Bullet")
    assert [r.text for r in bullet.runs if r.bold] == ["Spark"]
    assert not document.tables
    assert written.bytes == out.stat().st_size


def test_deleting_one_soft_break_line_removes_it_and_its_break(tmp_path: Path):
    path = tmp_path / "soft.docx"
    doc = docx.Document()
    doc.add_paragraph("Skills", style="Heading 1")
    p = doc.add_paragraph()
    first = p.add_run("Python, Go")
    first.add_break()
    p.add_run("Kubernetes")
    p.runs[-1].add_break()
    p.add_run("Terraform")
    doc.save(path)
    original = Resume(source_format=SourceFormat.DOCX, source_path=str(path), sections=[
        Section(id="s0", kind=SectionKind.SKILLS, title="Skills", origin=Origin(paragraph=0), items=[
            Item(id="s0.0", text="Python, Go", origin=Origin(paragraph=1)),
            Item(id="s0.1", text="Kubernetes", origin=Origin(paragraph=1)),
            Item(id="s0.2", text="Terraform", origin=Origin(paragraph=1)),
        ]),
    ])
    tailored = replaced(original, "s0.0", "Python, Go, SQL")
    section = tailored.section("s0")
    tailored = with_items(tailored, "s0", [i for i in section.items if i.id != "s0.1"])
    data, notes = render(tailored, original, "docx")
    assert notes == []
    assert docx.Document(io.BytesIO(data)).paragraphs[1].text == "Python, Go, SQL\nTerraform"
