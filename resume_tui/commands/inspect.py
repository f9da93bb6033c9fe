"""`resume-tui inspect RESUME [--json]`: what the parser made of a resume, so a user can trust it."""

from __future__ import annotations

from resume_tui.commands import common
from resume_tui.models import Entry, Resume, Section


def add_arguments(parser) -> None:
    common.add_resume_argument(parser)
    common.add_json_argument(parser)


def run(args) -> int:
    cfg = common.settings()
    resume = common.load_resume_arg(args.resume, cfg)
    if args.json:
        common.print_json(inspect_document(resume))
    else:
        from resume_tui.commands.render import render_resume

        render_resume(common.console(), resume)
    return 0


def inspect_document(resume: Resume) -> dict:
    """The `inspect --json` contract from DESIGN §8."""
    contact = resume.contact
    return {
        "source_format": resume.source_format.value,
        "contact": {"name": contact.name, "email": contact.email, "phone": contact.phone, "links": contact.links},
        "sections": [
            {
                "kind": section.kind.value,
                "title": section.title,
                "items": [{"id": item.id, "text": item.text} for item in section.items],
                "entries": [_entry_json(entry, section) for entry in section.entries],
            }
            for section in resume.sections
        ],
        "warnings": resume.warnings,
    }


def _entry_json(entry: Entry, section: Section) -> dict:
    """One role/degree/project: its header fields, header lines and the items under it."""
    texts = {item.id: item.text for item in section.items}
    return {
        "id": entry.id,
        "title": entry.title,
        "organization": entry.organization,
        "location": entry.location,
        "start": entry.start,
        "end": entry.end,
        "confidence": entry.confidence,
        "header": [{"id": i, "text": texts[i]} for i in entry.header_ids if i in texts],
        "items": [{"id": i, "text": texts[i]} for i in entry.item_ids if i in texts],
    }
