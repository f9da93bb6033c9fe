"""Reading order of PDF pages whose layout defeats plain extraction: a sidebar drawn after the main
column (kept in its own order, not interleaved row by row), rotated section labels in a margin (put
before the section they label), and the dates such templates write ("2011 / 11")."""

from __future__ import annotations

from pathlib import Path

from resume_tui.documents.ingest import load_resume
from resume_tui.documents.readers.pdf_order import Chunk, join_split_dates, place_rotated_labels, shattered
from resume_tui.documents.segment.dates import DATE_RANGE, is_role_line

DATA = Path(__file__).parent / "data" / "corpus" / "resumes"


def test_rows_broken_into_chunks_are_shattered_but_a_sidebar_is_not() -> None:
    layout = ["Name", "Hilton OnQ , Micros Opera PMS", "Experience", "Cook Jan 2010 to Dec 2011", "Did things"]
    chunked = ["Name", "Hilton OnQ", ",", "Micros", "Opera PMS", "Experience", "Cook", "Jan 2010", "to", "Dec 2011"]
    assert shattered(chunked, layout)
    # A sidebar drawn after the main column: more plain lines than layout rows, but no two consecutive
    # plain lines are pieces of one row, so plain order (column by column) is the right one.
    layout = ["EXPERIENCE          CONTACT", "Cook 2010 - 2011    Bremen", "Did things          +49 176",
              "Baked bread         TOOLS", "EDUCATION           Git"]
    plain = ["EXPERIENCE", "Cook 2010 - 2011", "Did things", "Baked bread", "EDUCATION",
             "CONTACT", "Bremen", "+49 176", "TOOLS", "Git"]
    assert not shattered(plain, layout)


def test_a_right_hand_sidebar_does_not_interleave_with_the_roles() -> None:
    resume = load_resume(DATA / "t05_engineer_sidebar.pdf")
    experience = next(s for s in resume.sections if s.title == "EXPERIENCE")
    texts = [item.text for item in experience.items]
    assert texts[:3] == [
        "Fullstack Javascript Engineer University of Bremen, 2016/09 - now",
        "Invent a realtime classroom management using Meteor and React",
        "Design software architecture and leading development",
    ]
    assert not any("JavaScript" == t or "Git" == t for t in texts)  # sidebar skills stay in their sections
    assert len(experience.entries) == 4
    tools = next(s for s in resume.sections if s.title == "TOOLS")
    assert [i.text for i in tools.items] == ["Webstorm /code_fork SourceTree", "Terminal /f1fc Inkscape /_407 Blender"]


def test_a_year_slash_month_date_ends_a_role_line() -> None:
    assert is_role_line("Project Management Simulation Training Getoq Consulting, 2011 / 11")
    assert is_role_line("Graduated as M.Sc. Digital Media (University of Bremen) 2015 / 07")
    assert not is_role_line("Sold 2011 / 11 units.")
    match = DATE_RANGE.search("University of Bremen, 2012 - 2014")
    assert match is not None and match.group(0) == "2012 - 2014"  # a spaced hyphen is still a range


def test_a_rotated_margin_label_moves_to_the_top_of_the_block_beside_it() -> None:
    # A label drawn downwards from y=535 beside lines at 577…307 (centred on them), after them in the
    # stream; the lines above the block (633) are farther apart than the block's own spacing.
    rows = [(633, "Activities: games"), (577, "Engineer (Uni) 2016 - now"), (558, "Invent a classroom app"),
            (542, "Design software"), (518, "Consultant (We4IT) 2014 - 2016"), (500, "Realize projects"),
            (483, "Integrate engines"), (459, "Scientist (Uni) 2012 - 2014"), (441, "Invented a framework")]
    chunks = [Chunk(text, 40, y, 10, 0) for y, text in rows] + [Chunk("EXPERIENCE", 522, 535, 29.7, -90)]
    lines = [text for _, text in rows] + ["EXPERIENCE", "Footer"]
    placed = place_rotated_labels(lines, chunks)
    assert placed == ["Activities: games", "EXPERIENCE", *[text for _, text in rows[1:]], "Footer"]
    assert sorted(placed) == sorted(lines)  # moved, never lost
    # A rotated line beside nothing, or a long rotated sentence (a watermark), stays where it was drawn.
    assert place_rotated_labels(lines, [*chunks[:-1], Chunk("EXPERIENCE", 522, 90, 29.7, -90)]) == lines
    sentence = "Draft copy not for distribution here"
    assert place_rotated_labels([*lines[:-2], sentence], [*chunks[:-1], Chunk(sentence, 522, 535, 10, 90)])[-1] == sentence


def test_rotated_section_names_head_their_sections() -> None:
    resume = load_resume(DATA / "t04_engineer_rotated_labels.pdf")
    by_title = {s.title: s for s in resume.sections}
    assert len(by_title["EXPERIENCE"].entries) == 5 and len(by_title["EDUCATION"].entries) == 4
    assert by_title["EXPERIENCE"].items[0].text.startswith("Fullstack Javascript Engineer")
    assert by_title["EDUCATION"].items[0].text.startswith("Graduated as M.Sc. Digital Media")


def test_a_date_cell_broken_over_lines_is_joined_back() -> None:
    lines = ["2013", "- 2015", "(3 años)", "Indra. Perseus.", "2016", "(3 meses)", "Fraunhofer IESE", "- Led a team"]
    assert join_split_dates(lines) == [
        "2013 - 2015 (3 años)", "Indra. Perseus.", "2016 (3 meses)", "Fraunhofer IESE", "- Led a team"
    ]
    # Text after a date is never glued to it, and a real bullet under a heading stays a bullet.
    assert join_split_dates(["2016", "- Led the migration of 40 services"]) == ["2016", "- Led the migration of 40 services"]


def test_a_margin_date_column_opens_each_entry_of_a_spanish_cv() -> None:
    resume = load_resume(DATA / "t06_ingeniero_es_margin_dates.pdf")
    by_title = {s.title: s for s in resume.sections}
    projects = by_title["Proyectos"]
    headers = [[resume.item(i).text for i in e.header_ids] for e in projects.entries]
    assert len(headers) == 8
    assert headers[0] == ["2016 (3 meses)", "Fraunhofer Institude for Experimental Software Engineering (IE- SE) . FahrBar app."]
    assert headers[3] == ["2013 - 2015 (3 años)", "Indra. Perseus."]
    assert len(by_title["Formación académica"].entries) == 3 and len(by_title["Experiencia laboral"].entries) == 3
    assert resume.contact.location == "28054 Madrid"
