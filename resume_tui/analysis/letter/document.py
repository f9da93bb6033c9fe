"""A letter as the document model the exporters already draw: the contact block on top, then one
untitled section whose lines are the salutation, the paragraphs, the sign-off and the name.

Reusing the resume exporters means a letter gets the same atomic write, the same DOCX/PDF/HTML/
Markdown/text renderers and the same read-back verification as a tailored resume.
"""

from __future__ import annotations

from resume_tui.analysis.letter.model import Letter
from resume_tui.models import Contact, Item, ItemKind, Resume, Section, SectionKind, SourceFormat


def letter_document(letter: Letter, resume: Resume) -> Resume:
    """The letter laid out as a one-section document (only sentences that may be written)."""
    lines = [letter.salutation]
    lines += [" ".join(s.text for s in para) for para in letter.paragraphs()]
    lines += [letter.sign_off, letter.name]
    items = [Item(id=f"s0.{n}", text=text, kind=ItemKind.LINE) for n, text in enumerate((x for x in lines if x), start=1)]
    c = resume.contact
    contact = Contact(name=c.name, email=c.email, phone=c.phone, location=c.location, links=list(c.links))
    return Resume(
        contact=contact, header_lines=list(letter.contact_lines), source_format=SourceFormat.TEXT,
        sections=[Section(id="s0", kind=SectionKind.OTHER, title="", items=items)],
    )
