"""Plain text: the ATS view — what an applicant tracking system keeps of the resume."""

from __future__ import annotations

from resume_tui.models import ItemKind, Resume

from ._layout import layout_of


def render_text(resume: Resume) -> bytes:
    layout = layout_of(resume)
    out: list[str] = []
    if layout.name:
        out.append(layout.name)
    out.extend(layout.contact_lines)
    for section in layout.sections:
        if out:
            out.append("")
        if section.title:
            out.append(section.title)
        for block in section.items:
            if block.kind == ItemKind.BULLET:
                out.append(f"- {block.text}")
            else:
                if block.kind == ItemKind.ROLE and out and out[-1] != "" and not out[-1] == section.title:
                    out.append("")
                out.append(block.text)
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")
