"""Segmentation: headings in many phrasings, items, roles, contact, and never losing text."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resume_tui.documents.contact import extract_contact, find_links, find_phone, looks_like_name
from resume_tui.documents.ingest import parse_resume_text
from resume_tui.documents.readers.base import normalize_newlines
from resume_tui.documents.readers.cleanup import collapse_repeats, join_letter_spaced, strip_icon_junk
from resume_tui.documents.segment import is_role_line, section_kind_for_heading
from resume_tui.errors import InputError
from resume_tui.models import ItemKind, SectionKind, SourceFormat
from resume_tui.textsafe import strip_controls


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Summary", SectionKind.SUMMARY),
        ("Professional Profile", SectionKind.SUMMARY),
        ("Career Objective:", SectionKind.SUMMARY),
        ("About Me", SectionKind.SUMMARY),
        ("Experience", SectionKind.EXPERIENCE),
        ("WORK HISTORY", SectionKind.EXPERIENCE),
        ("Employment", SectionKind.EXPERIENCE),
        ("Professional Experience", SectionKind.EXPERIENCE),
        ("Clinical Experience", SectionKind.EXPERIENCE),
        ("Teaching Experience", SectionKind.EXPERIENCE),
        ("Research Experience", SectionKind.EXPERIENCE),
        ("Skills", SectionKind.SKILLS),
        ("Technical Skills", SectionKind.SKILLS),
        ("Core Competencies", SectionKind.SKILLS),
        ("Skills & Interests", SectionKind.SKILLS),
        ("Education", SectionKind.EDUCATION),
        ("Academic Background", SectionKind.EDUCATION),
        ("Projects", SectionKind.PROJECTS),
        ("Personal Projects", SectionKind.PROJECTS),
        ("Certifications", SectionKind.CERTIFICATIONS),
        ("Licenses & Certifications", SectionKind.CERTIFICATIONS),
        ("Licensure", SectionKind.CERTIFICATIONS),
        ("Publications", SectionKind.PUBLICATIONS),
        ("Volunteering", SectionKind.VOLUNTEERING),
        ("Volunteer Experience", SectionKind.VOLUNTEERING),
        ("Community Involvement", SectionKind.VOLUNTEERING),
        ("Honors and Awards", SectionKind.AWARDS),
        ("Languages", SectionKind.LANGUAGES),
        ("Interests", SectionKind.INTERESTS),
        ("Hobbies", SectionKind.INTERESTS),
        ("References", SectionKind.OTHER),
        ("Summary of Skills", SectionKind.SKILLS),
        ("Summary of Qualifications", SectionKind.SUMMARY),
        ("Languages & Tools", SectionKind.SKILLS),
        ("Education & Training", SectionKind.EDUCATION),
        ("Leadership Experience", SectionKind.EXPERIENCE),
        ("R ESEARCH E XPERIENCE", SectionKind.EXPERIENCE),
    ],
)
def test_section_names(heading: str, kind: SectionKind) -> None:
    assert section_kind_for_heading(heading) is kind


@pytest.mark.parametrize("text", ["Led a team of five engineers", "Python, Go, SQL", "Jane Doe", "Acme Corp"])
def test_non_headings(text: str) -> None:
    assert section_kind_for_heading(text) is None


@pytest.mark.parametrize(
    "style",
    ["{t}", "{T}", "{t}:", "## {t}", "**{t}**", "{T}\n" + "-" * 10],
)
def test_heading_styles(style: str) -> None:
    heading = style.format(t="Work Experience", T="WORK EXPERIENCE")
    fmt = SourceFormat.MARKDOWN if ("#" in style or "**" in style) else SourceFormat.TEXT
    text = f"Jane Doe\njane@example.com\n\n{heading}\nEngineer, Acme, 2019 - 2021\n- Built things\n\nEducation\nBSc, MIT"
    resume = parse_resume_text(text, source_format=fmt)
    assert [s.kind for s in resume.sections] == [SectionKind.EXPERIENCE, SectionKind.EDUCATION]
    assert resume.sections[0].title.strip("*:# ").lower() == "work experience"


def test_unknown_headings_are_kept_as_other() -> None:
    text = "Experience\nEngineer, Acme, 2019 - 2021\n\n## Side Quests\nSailing across the Baltic\n\nSkills\nPython"
    resume = parse_resume_text(text, source_format=SourceFormat.MARKDOWN)
    assert [(s.kind, s.title) for s in resume.sections] == [
        (SectionKind.EXPERIENCE, "Experience"),
        (SectionKind.OTHER, "Side Quests"),
        (SectionKind.SKILLS, "Skills"),
    ]
    assert resume.sections[1].items[0].text == "Sailing across the Baltic"


def test_unknown_caps_heading_after_other_section_starts_a_section() -> None:
    text = "Jane Doe\n\nEXPERIENCE\nEngineer at Acme 2019 - 2021\n\nREFERENCES\nOn request\n\nVOLUNTEER WORK\nFood bank driver"
    resume = parse_resume_text(text)
    assert [s.kind for s in resume.sections] == [SectionKind.EXPERIENCE, SectionKind.OTHER, SectionKind.VOLUNTEERING]


@pytest.mark.parametrize("marker", ["•", "-", "*", "▪", "–", "●", "1.", "2)", "⋄", "+", "\uf0b7", "➢", "»"])
def test_bullet_markers(marker: str) -> None:
    resume = parse_resume_text(f"Skills\n{marker} Python and Go\n{marker} Kubernetes")
    items = resume.sections[0].items
    assert [(i.kind, i.text) for i in items] == [(ItemKind.BULLET, "Python and Go"), (ItemKind.BULLET, "Kubernetes")]


def test_wrapped_bullets_are_joined() -> None:
    text = (
        "Experience\n"
        "• Led the migration of the payment ledger to\n"
        "PostgreSQL, cutting costs by 30%\n"
        "• Mentored four engineers and ran the\n"
        "hiring loop\n"
        "• Wrote docs."
    )
    items = parse_resume_text(text).sections[0].items
    assert [i.text for i in items] == [
        "Led the migration of the payment ledger to PostgreSQL, cutting costs by 30%",
        "Mentored four engineers and ran the hiring loop",
        "Wrote docs.",
    ]


def test_inline_glyph_bullets_are_split() -> None:
    text = "Experience\n⋄ Developed pipelines ⋄ Model testing ⋄ Data analysis and\nvisualization ⋄ Teamwork"
    items = parse_resume_text(text).sections[0].items
    assert [i.text for i in items] == ["Developed pipelines", "Model testing", "Data analysis and visualization", "Teamwork"]


def test_roles() -> None:
    text = (
        "Experience\n"
        "Senior Engineer — Acme, 2019–2023\n"
        "- Built the platform\n"
        "Gilmore Financial, New Orleans, LA\n"
        "Oct. 2021 – Current\n"
        "- Audited accounts\n"
        "Data Analyst | Jan 2015 to Dec 2017\n"
    )
    items = parse_resume_text(text).sections[0].items
    assert [i.kind for i in items] == [
        ItemKind.ROLE,
        ItemKind.BULLET,
        ItemKind.ROLE,
        ItemKind.ROLE,
        ItemKind.BULLET,
        ItemKind.ROLE,
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Engineer, Acme, 2019 - Present", True),
        ("Mar 2012 to Dec 2013", True),
        ("2025.02–pres.", True),
        ("Nurse (12/2014-01/2016)", True),
        ("Led a team that grew revenue in 2019 by 20% through a new product launch across EMEA.", False),
        ("Python, Go", False),
    ],
)
def test_role_line_detection(line: str, expected: bool) -> None:
    assert is_role_line(line) is expected


def test_contact_block() -> None:
    text = (
        "JANE Q. DOE\n"
        "Senior Data Engineer\n"
        "Austin, TX | (512) 555-0199 | jane@doe.dev | https://github.com/janedoe | linkedin.com/in/jqd\n\n"
        "Summary\nData engineer.\n"
    )
    resume = parse_resume_text(text)
    contact = resume.contact
    assert contact.name == "JANE Q. DOE"
    assert contact.email == "jane@doe.dev"
    assert contact.phone == "(512) 555-0199"
    assert contact.location == "Austin, TX"
    assert contact.links == ["https://github.com/janedoe", "linkedin.com/in/jqd"]
    assert resume.header_lines == ["JANE Q. DOE", "Senior Data Engineer", text.splitlines()[2]]
    assert resume.sections[0].kind == SectionKind.SUMMARY


def test_resume_without_name_or_contact() -> None:
    text = "### Objective\n\nA teaching position in chemistry.\n\n### Education\n\nBSc Chemistry, DePaul University, 2011"
    resume = parse_resume_text(text, source_format=SourceFormat.MARKDOWN)
    assert resume.contact.name is None and resume.contact.email is None and resume.contact.phone is None
    assert resume.header_lines == []
    assert [s.kind for s in resume.sections] == [SectionKind.SUMMARY, SectionKind.EDUCATION]


def test_linkedin_paste_without_headings() -> None:
    text = (
        "Minnie01\n\nSr. System Reliability EngineerSr. System Reliability Engineer\n\n"
        "Disney Experiences · Full-time Jul 2025 - Present · 3 mos\n\n"
        "Senior member of a team managing 800+ production Unix/Linux servers\n\n"
        "* On-premises OpenStack private cloud\n"
    )
    resume = parse_resume_text(text, source_format=SourceFormat.MARKDOWN)
    assert len(resume.sections) == 1 and resume.sections[0].kind == SectionKind.OTHER
    assert any("No section headings" in w for w in resume.warnings)
    texts = [i.text for i in resume.items()]
    assert "On-premises OpenStack private cloud" in texts
    assert any(i.kind == ItemKind.ROLE for i in resume.items())


def test_contact_found_in_sidebar_when_header_has_none() -> None:
    text = "Athul SIVAN\n\nCONTACT DETAILS\nathul@example.com\n+49 1754 5758 410\n\nEXPERIENCE\nIntern 2020 - 2021"
    resume = parse_resume_text(text)
    assert resume.contact.email == "athul@example.com" and resume.contact.phone == "+49 1754 5758 410"
    assert "athul@example.com" in resume.full_text()  # still in its item too


def test_helpers() -> None:
    assert looks_like_name("David M. Everly Jr, MSN, CRNP") == "David M. Everly Jr"
    assert looks_like_name("Experience") is None
    assert looks_like_name("Minnie01") is None
    assert looks_like_name("Juan de la Cruz") == "Juan de la Cruz"
    assert looks_like_name("María José García-López") == "María José García-López"
    assert find_phone("555.123.4567") == "555.123.4567"
    assert find_phone("+44 (0)20 7946 0958") == "+44 (0)20 7946 0958"
    assert find_phone("GPA 3.75, 2018.10") is None
    assert find_phone("2019 - 2023") is None
    assert find_phone("Call +1 (415) 555-0100 today") == "+1 (415) 555-0100"
    assert extract_contact([], []).name is None


def test_empty_text_is_refused() -> None:
    with pytest.raises(InputError):
        parse_resume_text(" \n\t\n")


def test_ids_are_deterministic() -> None:
    text = "Summary\nEngineer.\n\nSkills\n- Python\n- Go\n"
    first, second = parse_resume_text(text), parse_resume_text(text)
    assert first == second
    assert [i.id for i in first.items()] == ["s0.1", "s1.1", "s1.2"]


# ------------------------------------------------------------------ property tests

_LIST_NUMBER = re.compile(r"^\d{1,3}[.)]$|^\(\d{1,3}\)$")


def _tokens_of_input(text: str) -> Counter[str]:
    """Non-whitespace tokens that carry content. Markup is ignored on both sides: tokens
    without a letter or digit ('-', '•', '##') and list numbers ('1.', '2)') that ingest
    strips as markers."""
    return Counter(
        word
        for word in text.split()
        if any(ch.isalnum() for ch in word) and not _LIST_NUMBER.match(word)
    )


def _tokens_of_resume(resume) -> Counter[str]:  # noqa: ANN001
    return _tokens_of_input(resume.full_text())


def _assert_no_text_lost(resume, text: str) -> None:  # noqa: ANN001
    """Every token of the input is in the resume, except what a warning owns up to: doubled
    phrases and letter-spaced words (checked against the repair functions, whose own
    property test proves they only drop exact copies), and running page headers (kept once
    in the header lines)."""
    notes = " ".join(resume.warnings)
    if any(word in notes for word in ("Duplicated text", "Letter-spaced", "Icon-font")):
        text = "\n".join(
            collapse_repeats(join_letter_spaced(strip_icon_junk(line.strip())))[0] for line in text.split("\n")
        )
    got, expected = _tokens_of_resume(resume), _tokens_of_input(text)
    if "page headers/footers" in notes:
        assert not got - expected
        assert set(expected - got) <= set(_tokens_of_input("\n".join(resume.header_lines)))
    else:
        assert got == expected


_alphabet = st.sampled_from(
    list("abcdeXYZ019 \t\n.,:-•*#|@()–") + ["Experience", "SKILLS", "2019 - 2021", "jane@x.io", "\n\n", "- ", "## "]
)
_texts = st.lists(_alphabet, min_size=1, max_size=120).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_texts)
def test_parse_never_crashes_and_never_loses_text(text: str) -> None:
    if not text.strip():
        with pytest.raises(InputError):
            parse_resume_text(text)
        return
    resume = parse_resume_text(text)
    _assert_no_text_lost(resume, text)
    ids = [s.id for s in resume.sections]
    assert ids == [f"s{n}" for n in range(len(ids))]
    for section in resume.sections:
        assert [i.id for i in section.items] == [f"{section.id}.{n}" for n in range(1, len(section.items) + 1)]


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_any_unicode_never_crashes(text: str) -> None:
    # NUL bytes and terminal control sequences are dropped on purpose (never content; a warning says so).
    cleaned = strip_controls(normalize_newlines(text))
    for fmt in (SourceFormat.TEXT, SourceFormat.MARKDOWN, SourceFormat.PDF):
        try:
            resume = parse_resume_text(text, source_format=fmt)
        except InputError:
            assert not cleaned.strip()
            continue
        if fmt == SourceFormat.TEXT:
            _assert_no_text_lost(resume, cleaned)


def test_long_pathological_lines_finish() -> None:
    for line in ("*" * 100_000, "(" * 100_000, "- " * 50_000, "2019 - " * 20_000, "a@" * 50_000, "[x](" * 25_000):
        resume = parse_resume_text("Experience\n" + line, source_format=SourceFormat.MARKDOWN)
        assert resume.sections


def test_pdf_hyphenation_is_joined_but_compounds_kept() -> None:
    text = (
        "Summary\nWith extensive experi-\nence in data-\ndriven analysis and a data-driven mindset, "
        "I used fluore-\nscent probes and attribu-\ntion models."
    )
    item = parse_resume_text(text, source_format=SourceFormat.PDF).sections[0].items[0]
    assert "extensive experience in data-driven analysis" in item.text
    assert "attribution models" in item.text
    assert "fluore-scent probes" in item.text  # unknown split with no suffix cue keeps the hyphen, never loses it


def test_inline_caps_heading_is_split() -> None:
    resume = parse_resume_text("Jane Doe\n\nSUMMARY: Nurse with ICU experience.\nSKILLS: Triage, ACLS\n")
    assert [(s.kind, s.title, [i.text for i in s.items]) for s in resume.sections] == [
        (SectionKind.SUMMARY, "SUMMARY:", ["Nurse with ICU experience."]),
        (SectionKind.SKILLS, "SKILLS:", ["Triage, ACLS"]),
    ]
    # Title-case labels inside a section stay items ("Languages: Python" under skills).
    resume = parse_resume_text("Skills\nLanguages: Python, Go\nTools: Git")
    assert [s.kind for s in resume.sections] == [SectionKind.SKILLS]


def test_escaped_markdown_markers_stay_literal_text() -> None:
    md = "Projects\n\n1\\. First line that starts with a number\n\n\\- not a bullet\n\n\\# not a heading\n"
    items = parse_resume_text(md, source_format=SourceFormat.MARKDOWN).sections[0].items
    assert [(i.kind, i.text) for i in items] == [
        (ItemKind.LINE, "1. First line that starts with a number"),
        (ItemKind.LINE, "- not a bullet"),
        (ItemKind.LINE, "# not a heading"),
    ]


def test_pdf_prose_wraps_join_but_lists_do_not() -> None:
    text = (
        "Profile\nWith a PhD in Quantitative Cell\nBiology, I have extensive experience\n"
        "in image processing and data analysis\nwith Python.\n\n"
        "Credentials\nISC2 – Certified in Cybersecurity\nEpic Physician Builder\nRegistered Nurse\n"
    )
    resume = parse_resume_text(text, source_format=SourceFormat.PDF)
    assert [i.text for i in resume.sections[0].items] == [
        "With a PhD in Quantitative Cell Biology, I have extensive experience in image processing and data analysis with Python."
    ]
    assert [i.text for i in resume.sections[1].items] == [
        "ISC2 – Certified in Cybersecurity",
        "Epic Physician Builder",
        "Registered Nurse",
    ]


def test_lowercase_skill_lines_stay_separate() -> None:
    text = (
        "Experience\nBuilt the data platform used by the analytics and finance teams across the whole company and\n"
        "its partners.\n\nSkills\nPython\nnumpy\npandas\nscikit-learn\n"
    )
    resume = parse_resume_text(text)
    assert [i.text for i in resume.sections[1].items] == ["Python", "numpy", "pandas", "scikit-learn"]
    assert resume.sections[0].items[0].text.endswith("and its partners.")


LINKEDIN_EXPERIENCE = (
    "Minnie Mouse\n\nSr. System Reliability Engineer\n\n"
    "Disney Experiences · Full-time Jul 2025 - Present · 3 mos Jul 2025 to Present · 3 mos Orlando, Florida\n\n"
    "Acme Corp logo\n\nSenior System Engineer\n\n"
    "Acme Corp · Full-time Feb 2022 - Jul 2025 · 3 yrs 6 mos Feb 2022 to Jul 2025 · 3 yrs 6 mos Orlando, Florida, "
    "United States\n\n"
    "Ran 800 servers for the whole campus and its branches.\n\n"
    "Unix Systems Analyst\n\nUniversity of Idaho Jan 2001 - Oct 2005 · 4 yrs 10 mos Jan 2001 to Oct 2005 · "
    "4 yrs 10 mos Moscow, ID\n\nManaged 50 production systems.\n"
)


def test_a_headless_run_of_linkedin_jobs_is_one_experience_section_with_a_role_per_job() -> None:
    resume = parse_resume_text(LINKEDIN_EXPERIENCE, source_format=SourceFormat.MARKDOWN)
    (section,) = resume.sections
    assert section.kind == SectionKind.EXPERIENCE and section.title == ""
    assert any("dated jobs" in w for w in resume.warnings)
    headers = [[resume.item(i).text for i in e.header_ids] for e in section.entries]
    # (The first title line sits in the name block here, as a headline under the name.)
    assert [h[0].split(" · ")[0] for h in headers] == ["Disney Experiences", "Senior System Engineer", "Unix Systems Analyst"]
    assert section.entries[1].organization == "Acme Corp" and section.entries[2].start == "Jan 2001"
    assert "Acme Corp logo" in [resume.item(i).text for i in section.entries[0].item_ids]  # image text: not a header
    assert "Ran 800 servers for the whole campus and its branches." in [resume.item(i).text for i in section.entries[1].item_ids]


def test_a_headless_run_of_degrees_is_not_called_experience() -> None:
    text = LINKEDIN_EXPERIENCE.replace("Senior System Engineer", "Master of Science in Physics")
    resume = parse_resume_text(text, source_format=SourceFormat.MARKDOWN)
    assert [s.kind for s in resume.sections] == [SectionKind.OTHER]


def test_a_long_role_line_is_measured_without_its_dates_and_durations() -> None:
    line = ("The Walt Disney Company · Full-time Feb 2022 - Jul 2025 · 3 yrs 6 mos Feb 2022 to Jul 2025 · 3 yrs 6 mos "
            "Orlando, Florida, United States")
    assert is_role_line(line)
    sentence = ("Between 2019 - 2021 I led the migration of all of our services to the new platform and trained "
                "every one of the forty engineers who would run it after I left the team.")
    assert not is_role_line(sentence)


def test_a_postal_code_and_city_is_a_location_but_a_street_or_a_year_is_not() -> None:
    # "City, Region" is preferred wherever it is; the postal-code line is the fallback.
    assert extract_contact(["Ana Ruiz", "28054 Madrid", "Sevilla, España", "ana@example.es"]).location == "Sevilla, España"
    assert extract_contact(["Ana Ruiz", "Calle Mayor 8", "28054 Madrid", "ana@example.es"]).location == "28054 Madrid"
    assert extract_contact(["Jo Park", "10130 Lockwood Drive", "jo@example.com"]).location is None
    assert extract_contact(["Jo Park", "2019 Berlin", "jo@example.com"]).location is None


def test_a_note_in_parentheses_is_not_a_heading_and_a_month_year_leads_a_timeline_line() -> None:
    from resume_tui.documents.segment.dates import LEADING_DATE

    assert section_kind_for_heading("(PROJET PRIVÉ)") is None and section_kind_for_heading("PROJETS") is not None
    assert LEADING_DATE.match("6/2019 Licence d'Études") and LEADING_DATE.match("März 2018 Praktikum bei Siemens")
    assert not LEADING_DATE.match("2019 was a record year") and not LEADING_DATE.match("6/2019")


def test_a_profile_link_without_scheme_is_found_whole() -> None:
    assert find_links("www.jankuester.com · twitter.com/kuester_jan") == ["www.jankuester.com", "twitter.com/kuester_jan"]
    assert find_links("stackoverflow.com/users/12854948") == ["stackoverflow.com/users/12854948"]
    assert find_links("see inbox.com for details") == []
