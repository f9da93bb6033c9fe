"""Entries: roles, degrees and projects found as structure (header fields + their own items)."""

from __future__ import annotations

import json

from resume_tui.documents.ingest import parse_resume_text
from resume_tui.documents.segment.entries import parse_header
from resume_tui.models import SectionKind

RESUME = """\
MARIA GONZALEZ
maria@example.com | (206) 555-0147

EXPERIENCE
Contoso Ltd, Seattle, WA
Senior Cloud Engineer, Jan 2020 – Present
• Led migration of 40 services to AKS, cutting hosting cost by 30%.
• Built API gateways with Azure API Management.

Northwind Traders, Portland, OR
Systems Administrator, Jun 2013 – Feb 2016
• Managed Windows Server for 800 users.

Data Analyst | Fabrikam Inc. | Mar 2011 – May 2013
• Built weekly dashboards in Tableau.
Intern | Fabrikam Inc. | Jun 2010 – Aug 2010

EDUCATION
University of Washington
B.S. Computer Science
GPA 3.8
Stanford University
M.S. Statistics
"""


def _section(resume, kind):
    return next(s for s in resume.sections if s.kind is kind)


def test_roles_are_entries_with_their_own_bullets() -> None:
    resume = parse_resume_text(RESUME)
    exp = _section(resume, SectionKind.EXPERIENCE)
    titles = [(e.title, e.organization, e.location, e.start, e.end) for e in exp.entries]
    assert titles == [
        ("Senior Cloud Engineer", "Contoso Ltd", "Seattle, WA", "Jan 2020", "Present"),
        ("Systems Administrator", "Northwind Traders", "Portland, OR", "Jun 2013", "Feb 2016"),
        ("Data Analyst", "Fabrikam Inc.", None, "Mar 2011", "May 2013"),
        ("Intern", "Fabrikam Inc.", None, "Jun 2010", "Aug 2010"),
    ]
    texts = [[resume.item(i).text for i in e.item_ids] for e in exp.entries]
    assert texts[0] == ["Led migration of 40 services to AKS, cutting hosting cost by 30%.",
                        "Built API gateways with Azure API Management."]
    assert texts[1] == ["Managed Windows Server for 800 users."]
    assert texts[3] == []
    # "Portland, OR" is a place, not a line ending in the word "or" to be joined with the next.
    assert [resume.item(i).text for i in exp.entries[1].header_ids] == [
        "Northwind Traders, Portland, OR", "Systems Administrator, Jun 2013 – Feb 2016"]
    assert all(e.confidence >= 0.9 for e in exp.entries[:3])


def test_undated_education_lines_name_their_degrees() -> None:
    resume = parse_resume_text(RESUME)
    edu = _section(resume, SectionKind.EDUCATION)
    assert [(e.title, e.organization) for e in edu.entries] == [
        ("B.S. Computer Science", "University of Washington"),
        ("M.S. Statistics", "Stanford University"),
    ]
    assert [resume.item(i).text for i in edu.entries[0].item_ids] == ["GPA 3.8"]
    assert edu.entries[0].confidence < 1.0  # no dates: the parser says it is less sure


def test_every_item_belongs_to_at_most_one_entry_and_headers_lead() -> None:
    resume = parse_resume_text(RESUME)
    for section in resume.sections:
        seen: list[str] = []
        for entry in section.entries:
            seen.extend(entry.header_ids + entry.item_ids)
            ids = [i.id for i in section.items]
            positions = [ids.index(i) for i in entry.header_ids + entry.item_ids]
            assert positions == sorted(positions) and positions == list(range(positions[0], positions[0] + len(positions)))
        assert len(seen) == len(set(seen))


def test_list_sections_have_no_entries() -> None:
    resume = parse_resume_text("Jane Doe\n\nSKILLS\nPython, SQL, Go\nCloud: Azure, AKS, ACR\n")
    assert _section(resume, SectionKind.SKILLS).entries == []


def test_header_fields_are_left_empty_when_unclear() -> None:
    fields = parse_header(["Skunkworks 2019 – 2020"])
    assert fields["start"] == "2019" and fields["end"] == "2020"
    assert fields["organization"] is None
    assert parse_header(["Bachelor of Science, School of Engineering, 2014"], SectionKind.EDUCATION)["title"] == (
        "Bachelor of Science")


def test_inspect_shows_entries(tmp_path, capsys) -> None:
    from resume_tui.cli import main

    path = tmp_path / "cv.txt"
    path.write_text(RESUME, encoding="utf-8")
    assert main(["inspect", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    exp = next(s for s in data["sections"] if s["kind"] == "experience")
    first = exp["entries"][0]
    assert first["title"] == "Senior Cloud Engineer" and first["organization"] == "Contoso Ltd"
    assert [i["text"] for i in first["items"]][0].startswith("Led migration")
    assert "items" in exp and len(exp["items"]) >= 8  # the flat list stays for compatibility
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Senior Cloud Engineer — Contoso Ltd · Seattle, WA · Jan 2020 – Present" in out


def test_a_docx_bullet_wrapped_by_a_soft_break_is_one_item_and_exports_whole(tmp_path) -> None:
    import docx

    from resume_tui.documents.export import render
    from resume_tui.documents.ingest import load_resume

    document = docx.Document()
    document.add_paragraph("Jane Roe")
    document.add_paragraph("jane@example.com")
    document.add_heading("Experience", 1)
    document.add_paragraph("Senior Cloud Engineer, Contoso Ltd, Jan 2020 – Present")
    wrapped = document.add_paragraph("Designed and", style="List Bullet")
    wrapped.add_run().add_break()
    wrapped.add_run("tested platform integrations with Service Bus.")
    document.add_paragraph("Led migration of 40 services to AKS.", style="List Bullet")
    two_lines = document.add_paragraph("Python", style="List Bullet")
    two_lines.add_run().add_break()
    two_lines.add_run("Go")  # a soft break between two entries of a list is not a wrapped sentence
    path = tmp_path / "cv.docx"
    document.save(str(path))
    resume = load_resume(path)
    texts = [i.text for i in resume.items()]
    assert "Designed and tested platform integrations with Service Bus." in texts
    assert "Python" in texts and "Go" in texts
    exp = next(s for s in resume.sections if s.kind is SectionKind.EXPERIENCE)
    (entry,) = exp.entries
    assert [resume.item(i).text for i in entry.item_ids][0].startswith("Designed and tested")
    data, _ = render(resume, resume, "docx")
    out = docx.Document(__import__("io").BytesIO(data))
    assert any("Designed and" in p.text and "tested platform" in p.text for p in out.paragraphs)


DATED_LIST = """\
JANE DOE
jane@example.com

EXPERIENCE
Nurse Practitioner, Hershey Medical Center 2017 – 2019
Staff Nurse, Meritus Medical Center 2014 – 2017

PROJECTS
Transfer Note Template 2025
Problem List Initiative 2024
Perceptions of Heart Failure Terminality 2017
• Selected MSN Research Abstract
• 1st place Award

MEMBERSHIPS
ISC2 Member 2025
Critical Care Committee 2023
Nursing Honor Society 2016
"""


def test_a_run_of_one_line_dated_items_is_a_list_not_entries() -> None:
    resume = parse_resume_text(DATED_LIST)
    projects = _section(resume, SectionKind.PROJECTS)
    assert [e.title for e in projects.entries] == ["Perceptions of Heart Failure Terminality"]
    assert [i.text for i in projects.items][:2] == ["Transfer Note Template 2025", "Problem List Initiative 2024"]
    memberships = next(s for s in resume.sections if s.title == "MEMBERSHIPS")
    assert memberships.entries == [] and len(memberships.items) == 3  # kept as lines, none lost
    # Jobs with no details are still entries, each of them.
    assert len(_section(resume, SectionKind.EXPERIENCE).entries) == 2


def test_punctuation_between_fields_does_not_count_as_words_of_a_degree_line() -> None:
    text = ("X\n\nEDUCATION\nN/A , Business Administration 1999 Jefferson College , City , State\n"
            "High School Diploma , College Prep. studies 1998 Sainte Genevieve Senior High , City , State\n"
            "Awarded a leadership scholarship to Jefferson College\n")
    education = _section(parse_resume_text(text), SectionKind.EDUCATION)
    assert len(education.entries) == 2


TIMELINE = """\
JEAN DUPONT
jean@example.fr

EXPÉRIENCE
6/2019 Licence d'Études Fondamentales (LEF)
• Filière : Science Matière Physique
9/2019 Débuter à apprendre Python
12/2019 Début du Projet MathPy
• Calculatrice Scientifique Moderne
4/2020 Mis le projet MathPy dans GitHub
(PROJET PRIVÉ)
Projet MathPy est constamment mis à jour
"""


def test_a_timeline_of_month_year_lines_is_one_entry_per_date() -> None:
    resume = parse_resume_text(TIMELINE)
    (section,) = [s for s in resume.sections if s.title == "EXPÉRIENCE"]  # "(PROJET PRIVÉ)" is a note, not a heading
    headers = [resume.item(e.header_ids[0]).text for e in section.entries]
    assert headers == ["6/2019 Licence d'Études Fondamentales (LEF)", "9/2019 Débuter à apprendre Python",
                       "12/2019 Début du Projet MathPy", "4/2020 Mis le projet MathPy dans GitHub (PROJET PRIVÉ)"]
    texts = [i.text for i in section.items]
    assert "Projet MathPy est constamment mis à jour" in " ".join(texts)  # nothing lost
