"""A letter as the document model the exporters already draw: the contact block on top, then one
untitled section per paragraph: the salutation, the paragraphs, the sign-off with the name.

Reusing the resume exporters means a letter gets the same atomic write, the same DOCX/PDF/HTML/
Markdown/text renderers and the same read-back verification as a tailored resume.
"""

from __future__ import annotations

from resume_tui.analysis.letter.model import Letter
from resume_tui.models import Contact, Item, ItemKind, Resume, Section, SectionKind, SourceFormat


def letter_document(letter: Letter, resume: Resume) -> Resume:
    """The letter laid out as a one-section document (only sentences that may be written)."""
    blocks = [[letter.salutation]] + [[" ".join(s.text for s in para)] for para in letter.paragraphs()]
    blocks.append([x for x in (letter.sign_off, letter.name) if x])
    sections = []
    for n, lines in enumerate(b for b in blocks if any(x.strip() for x in b)):
        # One untitled section per paragraph: every exporter leaves a blank line between sections.
        items = [Item(id=f"s{n}.{k}", text=text, kind=ItemKind.LINE) for k, text in enumerate(lines, start=1) if text]
        sections.append(Section(id=f"s{n}", kind=SectionKind.OTHER, title="", items=items))
    c = resume.contact
    contact = Contact(name=c.name, email=c.email, phone=c.phone, location=c.location, links=list(c.links))
    return Resume(
        contact=contact, header_lines=list(letter.contact_lines), source_format=SourceFormat.TEXT,
        sections=sections,
    )
