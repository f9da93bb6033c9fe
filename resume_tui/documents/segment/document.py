"""The whole document: a header block (contact), then sections of items, with warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resume_tui.documents.contact import (
    extract_contact,
    is_contact_line,
    looks_like_name,
)
from resume_tui.documents.readers.running import (
    is_page_number,
    paged_running_lines,
    repeated_header_blocks,
)
from resume_tui.documents.section_names import _is_caps, section_kind_for_heading
from resume_tui.documents.segment.dates import DATE_RANGE, is_role_line
from resume_tui.documents.segment.entries import detect_entries
from resume_tui.documents.segment.headings import (
    HeadingCall,
    _unknown_weak_heading,
    classify_heading,
)
from resume_tui.documents.segment.items import build_items, document_vocabulary
from resume_tui.documents.segment.lines import MAX_PATTERN_LINE, Line
from resume_tui.models import (
    Contact,
    Item,
    ItemKind,
    Section,
    SectionKind,
    SourceFormat,
)


@dataclass
class Segmented:
    contact: Contact
    header_lines: list[str]
    sections: list[Section]
    warnings: list[str]


def _main_level(lines: list[Line]) -> int | None:
    levels = [ln.level for ln in lines if ln.level is not None]
    if not levels:
        return None
    known = [ln.level for ln in lines if ln.level is not None and section_kind_for_heading(ln.text) not in (None,)]
    return min(known) if known else min(levels)


def _header_length(lines: list[Line], limit: int) -> int:
    """How many leading lines form the contact/identity block."""
    count = 0
    nonblank = 0
    seen_name = False
    for index, line in enumerate(lines[:limit]):
        if line.blank:
            count = index + 1
            continue
        text = line.text
        if nonblank >= 8 or line.bullet or len(text) > MAX_PATTERN_LINE:
            break
        if is_contact_line(text):
            pass
        elif not seen_name and looks_like_name(text):
            seen_name = True
        elif (
            len(text.split()) <= 10
            and not text.endswith(".")
            and not is_role_line(text)
            and (nonblank == 0 or seen_name or _is_caps(text))
            and nonblank < 3
        ):
            pass
        else:
            break
        nonblank += 1
        count = index + 1
    return count


def _drop_running_lines(
    lines: list[Line], header_count: int, calls: list[HeadingCall | None], header: list[str]
) -> tuple[list[str], str | None]:
    """Blank running page headers/footers so they never become items; keep one copy of each
    (page numbers aside) in the header lines, where contact extraction still sees them."""
    texts = [ln.text for ln in lines]
    protected = lambda i: calls[i] is not None  # noqa: E731 - a heading at a page top is content
    drop = paged_running_lines(texts, [ln.origin.page for ln in lines], protected)
    drop |= repeated_header_blocks(texts, header_count, lambda t: bool(looks_like_name(t) or is_contact_line(t)), protected)
    if not drop:
        return header, None
    header = list(header)
    seen = {" ".join(t.split()) for t in header}
    for index in sorted(drop):
        text = lines[index].text
        if index >= header_count and not is_page_number(text) and " ".join(text.split()) not in seen:
            header.append(text)
            seen.add(" ".join(text.split()))
    for index in drop:
        if index >= header_count:
            lines[index].text = ""
    removed = sum(1 for i in drop if i >= header_count)
    if not removed:
        return header, None
    dropped = [texts[i] for i in sorted(drop)]
    example = next((t for t in dropped if not is_page_number(t)), dropped[0])
    return header, (
        f"{removed} line(s) repeated at the top or bottom of pages (e.g. {example[:60]!r}) were read as page "
        "headers/footers and kept out of the sections."
    )


def _prose_item(item: Item) -> bool:
    """A sentence-like line: several words, mostly lower-case, no dates (not an entry title)."""
    words = item.text.split()
    if item.kind != ItemKind.LINE or len(words) < 6 or len(item.text) > 2000 or DATE_RANGE.search(item.text):
        return False
    return sum(1 for w in words if w[0].islower()) * 2 >= len(words)


def _reclaim_displaced_prose(sections: list[Section]) -> list[str]:
    """An empty Summary heading directly followed by another heading whose section opens
    with a paragraph: the paragraph is the summary's (sidebar headings get displaced in
    pdftotext/Word renderings: "Summary / Education / <summary prose> / <degrees>").
    Only whole paragraphs (ending in a full stop) move, and the next section keeps the rest."""
    notes: list[str] = []
    for first, second in zip(sections, sections[1:]):
        if first.kind != SectionKind.SUMMARY or first.items or second.kind == SectionKind.SUMMARY:
            continue
        run = 0
        while run < len(second.items) and _prose_item(second.items[run]):
            run += 1
        while run and not second.items[run - 1].text.rstrip().endswith((".", "!", "?")):
            run -= 1
        if run == 0 or run == len(second.items):
            continue
        moved, kept = second.items[:run], second.items[run:]
        first.items = [item.model_copy(update={"id": f"{first.id}.{n}"}) for n, item in enumerate(moved, start=1)]
        second.items = [item.model_copy(update={"id": f"{second.id}.{n}"}) for n, item in enumerate(kept, start=1)]
        notes.append(
            f"The paragraph at the top of '{second.title}' was read as the text of the empty '{first.title}' "
            "heading above it (the two headings looked displaced)."
        )
    return notes


def _keep_subheadings_in_their_role(lines: list[Line], calls: list[HeadingCall | None]) -> None:
    """A heading styled deeper than a role heading above it in the same section ("### Lead Engineer" then
    "#### Key Achievements:") belongs to that role, not a section of its own: its bullets stay with the role."""
    section_level: int | None = None  # heading level of the current section, once inside one
    section_kind: SectionKind | None = None
    role_level: int | None = None
    for index, line in enumerate(lines):
        level = line.level
        call = calls[index]
        if call is not None:
            if role_level is not None and level is not None and level > role_level:
                calls[index] = None  # a sub-heading of the role above ("Key Achievements:")
                line.hint = None  # a label line inside the role, not a new role header
                continue
            if section_kind is not None and call.kind is section_kind and level is not None \
                    and section_level is not None and level > section_level:
                calls[index] = None  # "### Programming" under "## Technical Skills": a group, not a section
                continue
            section_level, section_kind, role_level = level, call.kind, None
            continue
        if level is None or section_level is None or level <= section_level:
            continue
        if role_level is None or level < role_level:
            role_level = level  # a heading inside the section that is not a section: a role


def segment(
    lines: list[Line],
    source_format: SourceFormat,
    *,
    extra_links: list[str] = (),  # type: ignore[assignment]
) -> Segmented:
    warnings: list[str] = []
    main_level = _main_level(lines)
    calls = [classify_heading(line, main_level) for line in lines]
    # "# Jane Doe" is the name, not an unnamed section: unknown headings above the first
    # known one that look like a name or contact line belong to the header.
    for index, call in enumerate(calls):
        if call is not None and call.known:
            break
        if call is not None and (looks_like_name(lines[index].text) or is_contact_line(lines[index].text)):
            calls[index] = None
    _keep_subheadings_in_their_role(lines, calls)
    first_heading = next((i for i, call in enumerate(calls) if call is not None), None)
    limit = first_heading if first_heading is not None else len(lines)
    header_count = _header_length(lines, limit)
    header = [ln.text for ln in lines[:header_count] if not ln.blank]
    header, running_warning = _drop_running_lines(lines, header_count, calls, header)
    if running_warning:
        warnings.append(running_warning)

    # Group lines into (title line, body lines) blocks.
    blocks: list[tuple[Line | None, HeadingCall | None, list[Line]]] = []
    current_title: Line | None = None
    current_call: HeadingCall | None = None
    body: list[Line] = []
    for index in range(header_count, len(lines)):
        line = lines[index]
        call = calls[index]
        if call is None and _unknown_weak_heading(line) and (
            current_call is None or current_call.kind == SectionKind.OTHER
        ) and index > (first_heading if first_heading is not None else len(lines)):
            call = HeadingCall(SectionKind.OTHER, False)
        if call is not None:
            if current_title is not None or any(not ln.blank for ln in body):
                blocks.append((current_title, current_call, body))
            current_title, current_call, body = line, call, []
            continue
        body.append(line)
    if current_title is not None or any(not ln.blank for ln in body):
        blocks.append((current_title, current_call, body))

    vocabulary = document_vocabulary(lines) if source_format == SourceFormat.PDF else frozenset()
    lengths = sorted(len(ln.text) for ln in lines if ln.text and len(ln.text) <= MAX_PATTERN_LINE)
    wrap = lengths[int(len(lengths) * 0.9)] if lengths else 0  # typical full line width
    sections: list[Section] = []
    for title_line, call, body_lines in blocks:
        section_id = f"s{len(sections)}"
        if title_line is None:
            kind = SectionKind.OTHER
            prose = [ln for ln in body_lines if not ln.blank]
            if blocks and len(blocks) > 1 and prose and all(not ln.bullet for ln in prose):
                words = sum(len(ln.text.split()) for ln in prose) / len(prose)
                if words >= 8 and not any(is_role_line(ln.text) for ln in prose):
                    kind = SectionKind.SUMMARY
            title, origin = "", None
        else:
            kind = call.kind if call else SectionKind.OTHER
            title, origin = title_line.text, title_line.origin
        items = build_items(body_lines, section_id, kind, source_format, vocabulary, wrap)
        sections.append(Section(id=section_id, kind=kind, title=title, items=items, origin=origin))
    warnings.extend(_reclaim_displaced_prose(sections))
    for section in sections:
        section.entries = detect_entries(section)

    if not any(s.kind != SectionKind.OTHER or s.title for s in sections):
        if _headless_work_history(sections):
            warnings.append(
                "No section headings were recognised; the resume is a run of dated jobs, so it is kept as one "
                "work-experience section; add headings such as Experience, Education and Skills for a better analysis."
            )
        elif sections:
            warnings.append(
                "No section headings were recognised, so the resume is kept as one section; "
                "add headings such as Experience, Education and Skills for a better analysis."
            )
        else:
            warnings.append("The resume has no content beyond its header.")
    elif not any(s.kind != SectionKind.OTHER for s in sections):
        warnings.append(
            "None of the headings is a standard section name (Experience, Education, Skills…); "
            "all sections are kept as 'other'."
        )
    extra = [ln.text for ln in lines[header_count : header_count + 80] if not ln.blank]
    contact = extract_contact(header, extra, list(extra_links))
    return Segmented(contact=contact, header_lines=header, sections=sections, warnings=warnings)

_DEGREE_LINE = re.compile(
    r"\b(?:bachelor|master|ph\.?d|doctorate|mba|m\.?sc|b\.?sc|b\.[as]\.|m\.[as]\.|diploma|degree|licenciatura)",
    re.IGNORECASE,
)


def _headless_work_history(sections: list[Section]) -> bool:
    """A document with no headings at all whose one section is a run of dated jobs (a LinkedIn
    Experience list pasted on its own) is a work history: its section is experience, so its roles
    are read and measured as roles (its title stays empty: no heading is invented). Nothing else is assumed; a resume with a degree line stays as
    it was, since its dated entries could be studies."""
    if len(sections) != 1:
        return False
    section = sections[0]
    dated = [e for e in section.entries if e.end is not None]
    headers = " ".join(item.text for e in section.entries for item in section.items if item.id in e.header_ids)
    if len(dated) < 3 or len(dated) < 0.8 * len(section.entries) or _DEGREE_LINE.search(headers):
        return False
    section.kind = SectionKind.EXPERIENCE
    section.entries = detect_entries(section)
    return True
