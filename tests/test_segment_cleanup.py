"""Line repairs: icon-font junk, letter-spaced names, LinkedIn's doubled text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resume_tui.documents.ingest import parse_resume_text
from resume_tui.documents.readers.cleanup import collapse_repeats, join_letter_spaced, strip_icon_junk
from resume_tui.models import SectionKind, SourceFormat


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/re\u2640y athul@example.com", "athul@example.com"),
        ("/ne +49 1754 5758 410", "+49 1754 5758 410"),
        ("/\u2640nedn www.linkedin.com/in/athul", "www.linkedin.com/in/athul"),
        ("\u00ef athul@example.com", "athul@example.com"),
        ("\u00d3 +49 1754 5758 410", "+49 1754 5758 410"),
        ("\u00af www.linkedin.com/in/athul", "www.linkedin.com/in/athul"),
        ("\uf0e0 jane@example.com \uf095 +1 415 555 0100", "jane@example.com +1 415 555 0100"),
        # separators and ordinary words stay
        ("Seattle | jane@example.com", "Seattle | jane@example.com"),
        ("Email: jane@example.com", "Email: jane@example.com"),
        ("\u2640 volunteer since 2019", "\u2640 volunteer since 2019"),
    ],
)
def test_strip_icon_junk(line: str, expected: str) -> None:
    assert strip_icon_junk(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Athul S I VAN", "Athul SIVAN"),
        ("A T H U L  S I V A N", "ATHUL SIVAN"),
        ("J A N E  D O E", "JANE DOE"),
        ("J. R. Smith", "J. R. Smith"),
        ("U S Army", "U S Army"),
        ("Mary J K Rowling", "Mary J K Rowling"),
        ("D A T A S C I E N C E I N T E R N at Acme", "D A T A S C I E N C E I N T E R N at Acme"),
    ],
)
def test_join_letter_spaced(line: str, expected: str) -> None:
    assert join_letter_spaced(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Sr. System Reliability EngineerSr. System Reliability Engineer", "Sr. System Reliability Engineer"),
        ("Senior System Engineer Senior System Engineer", "Senior System Engineer"),
        ("WeyerhaeuserWeyerhaeuser May 1999 - Dec 1999", "Weyerhaeuser May 1999 - Dec 1999"),
        (
            "Acme Corp · Full-timeAcme Corp · Full-time Jul 2025 - Present · 3 mosJul 2025 to Present · 3 mos",
            "Acme Corp · Full-time Jul 2025 - Present · 3 mosJul 2025 to Present · 3 mos",  # not exact: kept
        ),
        ("Moscow, IDMoscow, ID", "Moscow, ID"),
        # ordinary text
        ("Walla Walla, WA", "Walla Walla, WA"),
        ("Led the the team", "Led the the team"),
        ("Engineering Engineering Manager", "Engineering Engineering Manager"),
        ("Python, Go, Python", "Python, Go, Python"),
    ],
)
def test_collapse_repeats(line: str, expected: str) -> None:
    assert collapse_repeats(line)[0] == expected


_pieces = st.sampled_from(["Senior ", "Engineer", "Acme", " ", "·", "Sr.", "a", "B", "2019", "Full-time", "Data", "- ", "we ship."])


@settings(max_examples=400, deadline=None)
@given(st.lists(_pieces, min_size=1, max_size=30).map("".join))
def test_collapse_repeats_only_drops_exact_copies(line: str) -> None:
    new, removed = collapse_repeats(line)
    rebuilt = new
    for position, piece in reversed(removed):
        before = rebuilt[:position]
        copy = piece.lstrip(" ")
        assert before.endswith(copy), (line, position, piece)  # each removed piece repeats what precedes it
        rebuilt = before + piece + rebuilt[position:]
    assert rebuilt == line


def test_long_lines_stay_fast() -> None:
    for line in ("ab " * 5000, "Ab" * 5000, "a" * 100_000 + "B", "xY " * 3000):
        assert collapse_repeats(line)[0]


def test_icon_junk_and_letter_spaced_name_in_a_two_column_rendering() -> None:
    text = (
        "Athul S I VAN\n\nC ONTACT DE TAILS\n\u00ef athul@example.com\n\u00d3 +49 1754 5758 410\n"
        "/\u2640nedn www.linkedin.com/in/athul\n\nEXPERIENCE\nData Science Intern, Acme 2025 - present\n"
    )
    resume = parse_resume_text(text)
    assert resume.contact.name == "Athul SIVAN"
    lines = resume.full_text().split("\n")
    for cleaned in ("athul@example.com", "+49 1754 5758 410", "www.linkedin.com/in/athul"):
        assert cleaned in lines
    assert resume.contact.links == ["www.linkedin.com/in/athul"]
    assert any("Icon-font" in w for w in resume.warnings) and any("Letter-spaced" in w for w in resume.warnings)


def test_linkedin_doubled_titles_are_kept_once_with_a_warning() -> None:
    text = (
        "Minnie01\n\nSr. System Reliability EngineerSr. System Reliability Engineer\n\n"
        "Disney Experiences · Full-timeDisney Experiences · Full-time Jul 2025 - Present · 3 mos\n\n"
        "Senior System Engineer Senior System Engineer\n\n"
        "Managed 800 Linux servers for the university\n"
    )
    for fmt in (SourceFormat.TEXT, SourceFormat.MARKDOWN):
        resume = parse_resume_text(text, source_format=fmt)
        texts = resume.full_text().split("\n")
        assert "Sr. System Reliability Engineer" in texts
        assert "Disney Experiences · Full-time Jul 2025 - Present · 3 mos" in texts
        assert "Senior System Engineer" in texts
        assert "Managed 800 Linux servers for the university" in texts
        assert any("Duplicated text was removed from 3 line(s)" in w for w in resume.warnings)


def test_contact_lines_cleaned_of_icons_are_not_joined_as_wraps() -> None:
    text = (
        "Jane Doe\n\nEXPERIENCE\nData Intern, Acme 2020 - 2021\n\nCONTACT DETAILS\n"
        "/re\u2640y jane@example.com\n/ne +49 1754 5758 410\n/\u2640nedn www.linkedin.com/in/jane\n"
    )
    resume = parse_resume_text(text, source_format=SourceFormat.PDF)
    contact = resume.sections[-1]
    assert [i.text for i in contact.items] == ["jane@example.com", "+49 1754 5758 410", "www.linkedin.com/in/jane"]


def test_a_deduplicated_job_title_is_not_taken_for_the_name() -> None:
    resume = parse_resume_text("Minnie01\n\nSr. System Reliability EngineerSr. System Reliability Engineer\n\nLed things.\n")
    assert resume.contact.name is None


def test_displaced_summary_heading_gets_its_paragraph_back() -> None:
    text = (
        "Jane Q. Doe, MSN\n\nSummary\n\nEducation\n\n"
        "As a nurse practitioner and aspiring engineer, I use data to improve\n"
        "clinical workflows and am excited to apply these skills in new settings.\n"
        "Master of Science in Nursing\n\nState University - Graduation May 2017\n"
    )
    resume = parse_resume_text(text)
    summary, education = resume.sections[0], resume.sections[1]
    assert summary.kind == SectionKind.SUMMARY and education.kind == SectionKind.EDUCATION
    assert [i.id for i in summary.items] == ["s0.1"]
    assert summary.items[0].text.startswith("As a nurse practitioner")
    assert [i.text for i in education.items] == ["Master of Science in Nursing", "State University - Graduation May 2017"]
    assert [i.id for i in education.items] == ["s1.1", "s1.2"]
    assert any("displaced" in w for w in resume.warnings)


def test_prose_stays_when_the_summary_is_not_empty_or_the_section_is_only_prose() -> None:
    with_summary = (
        "Summary\nNurse with ten years of care experience.\n\nEducation\n"
        "I studied part time while working full time in the emergency department.\nBSc Nursing, 2014 - 2017\n"
    )
    resume = parse_resume_text(with_summary)
    assert len(resume.sections[0].items) == 1 and len(resume.sections[1].items) == 2
    only_prose = "Summary\n\nEducation\nI studied part time while working in the emergency department.\n"
    resume = parse_resume_text(only_prose)
    assert resume.sections[0].items == [] and len(resume.sections[1].items) == 1


def test_doubled_line_behind_a_list_marker() -> None:
    line = "- we built things and shipped them.we built things and shipped them."
    assert collapse_repeats(line)[0] == "- we built things and shipped them."


def test_separators_before_contact_details_stay() -> None:
    assert strip_icon_junk("(408)·472·8760 \u22c4 kmhoo@example.com") == "(408)·472·8760 \u22c4 kmhoo@example.com"
    assert strip_icon_junk("Berlin \u00b7 jane@example.com") == "Berlin \u00b7 jane@example.com"
    assert strip_icon_junk("\u260e +1 415 555 0100 \u2709 jane@example.com") == "+1 415 555 0100 jane@example.com"
