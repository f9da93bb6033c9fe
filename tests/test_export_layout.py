"""The header block every format draws: name once, contact details never dropped nor duplicated."""

from __future__ import annotations

from resume_tui.documents.export._layout import layout_of
from resume_tui.models import Contact, Item, Resume, Section, SectionKind


def test_name_line_is_not_repeated_in_the_contact_lines():
    resume = Resume(contact=Contact(name="Zoë Adler", email="zoe@example.com"),
                    header_lines=["Zoë Adler", "zoe@example.com · Berlin"])
    layout = layout_of(resume)
    assert layout.name == "Zoë Adler"
    assert layout.contact_lines == ["zoe@example.com · Berlin"]


def test_contact_details_missing_from_the_header_are_added_once():
    resume = Resume(
        contact=Contact(name="Zoë Adler", email="zoe@example.com", phone="+49 30 1234567",
                        links=["https://www.linkedin.com/in/zoe-adler", "https://github.com/zoe/project-x",
                               "https://github.com/zoe"]),
        header_lines=["Zoë Adler", "LinkedIn · GitHub · +49 (30) 123-4567"],
    )
    layout = layout_of(resume)
    assert layout.contact_lines == [
        "LinkedIn · GitHub · +49 (30) 123-4567",
        "zoe@example.com · https://www.linkedin.com/in/zoe-adler · https://github.com/zoe",
    ]


def test_contact_left_inside_the_first_section_is_not_duplicated():
    resume = Resume(
        contact=Contact(email="zoe@example.com"),
        sections=[Section(id="s0", kind=SectionKind.OTHER, title="Zoë Adler",
                          items=[Item(id="s0.0", text="Engineer · zoe@example.com")])],
    )
    assert layout_of(resume).contact_lines == []


def test_stale_spans_are_dropped_and_control_characters_cleaned():
    from resume_tui.models import TextSpan

    resume = Resume(sections=[Section(id="s0", kind=SectionKind.SKILLS, title="Skills", items=[
        Item(id="s0.0", text="Go\x0b and\tRust", spans=[TextSpan(start=0, end=2, bold=True)]),
        Item(id="s0.1", text="Python", spans=[TextSpan(start=0, end=40, bold=True)]),
    ])])
    blocks = layout_of(resume).sections[0].items
    assert blocks[0].text == "Go and Rust" and blocks[0].spans == []
    assert blocks[1].spans == []
