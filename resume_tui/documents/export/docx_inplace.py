"""Apply a tailored resume to the user's own DOCX, changing only what changed.

Items carry `Origin(paragraph=i)` (index in the body's paragraphs) or `Origin(table=(t, r, c))`
from ingest. Changed items are edited run by run (docx_runs), deleted ones removed,
reordered ones moved as XML elements within their section, inserted ones cloned from a
neighbour. Every other zip entry — styles, numbering, headers, footers, images — is copied
byte for byte (streamed, and only within the size limits of readers/docx_limits, so a
zip-bomb image is never copied: the clean DOCX is written instead); only the main document part is re-serialised, and untouched paragraphs
serialise exactly as they were.
"""

from __future__ import annotations

import copy
import io
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import qn
from lxml import etree

from resume_tui.documents.readers.docx_limits import (
    MAX_MEDIA_MEMBER,
    MAX_MEDIA_TOTAL,
    check_members,
    is_xml_part,
    safe_package,
    size_text,
)
from resume_tui.errors import InputError
from resume_tui.models import Item, ItemKind, Resume, Section

from ._layout import norm
from .docx_runs import content_span, edit_text, find_span, set_plain_text, text_of

_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_STRIP_IN_CLONE = {qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:commentRangeStart"), qn("w:commentRangeEnd")}


class InPlaceNotPossible(Exception):
    """The original DOCX cannot carry these changes faithfully; the caller writes a clean DOCX."""


@dataclass
class _Located:
    p: etree._Element
    span: tuple[int, int]  # the item's characters inside the paragraph text


class _Doc:
    def __init__(self, path: str) -> None:
        try:
            # The same bounded package the reader parsed: sizes checked, media never inflated.
            self.doc = Document(io.BytesIO(safe_package(Path(path).read_bytes(), Path(path).name)))
        except Exception as exc:  # python-docx raises many types for damaged packages
            raise InPlaceNotPossible(f"the original could not be reopened: {type(exc).__name__}") from None
        self.body = [p._p for p in self.doc.paragraphs]
        self.tables = self.doc.tables

    def cell_paragraphs(self, where: tuple[int, int, int]) -> list[etree._Element]:
        t, r, c = where
        try:
            cell = self.tables[t].rows[r].cells[c]
        except IndexError:
            return []
        return [p._p for p in cell.paragraphs]

    def locate(self, item: Item) -> _Located | None:
        origin = item.origin
        if origin is None or origin.part != "body":
            return None
        if origin.table is not None:
            candidates = self.cell_paragraphs(origin.table)
            if origin.paragraph is not None and 0 <= origin.paragraph < len(candidates):
                candidates = [candidates[origin.paragraph]] + candidates
        elif origin.paragraph is not None and 0 <= origin.paragraph < len(self.body):
            i = origin.paragraph
            # The recorded paragraph first, then its neighbours (a tolerant reader may have skipped empties).
            near = [i] + [j for k in range(1, 4) for j in (i - k, i + k) if 0 <= j < len(self.body)]
            candidates = [self.body[j] for j in near]
        else:
            return None
        for p in candidates:
            text = text_of(p)
            span = find_span(text, item.text)
            if span is not None:
                return _Located(p, span)
        # Text normalised by the reader (quotes, ligatures): accept the recorded paragraph if it is close.
        first = candidates[0] if candidates else None
        if first is not None:
            import difflib

            text = text_of(first)
            a, b = content_span(text)
            if difflib.SequenceMatcher(None, norm(text[a:b]), norm(item.text)).ratio() >= 0.85:
                return _Located(first, (a, b))
        return None


def _has_section_break(p: etree._Element) -> bool:
    ppr = p.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn("w:sectPr")) is not None


def _clone(template: etree._Element, text: str) -> etree._Element:
    clone = copy.deepcopy(template)
    for el in list(clone.iter()):
        if el.tag in _STRIP_IN_CLONE and el.getparent() is not None:
            el.getparent().remove(el)
    for attr in (f"{{{_W14}}}paraId", f"{{{_W14}}}textId"):
        clone.attrib.pop(attr, None)
    ppr = clone.find(qn("w:pPr"))
    if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
        ppr.remove(ppr.find(qn("w:sectPr")))
    set_plain_text(clone, text)
    return clone


def _clear(p: etree._Element) -> None:
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)


def render_docx_inplace(tailored: Resume, original: Resume) -> bytes:
    if not original.source_path:
        raise InPlaceNotPossible("the original file is unknown")
    doc = _Doc(original.source_path)
    located: dict[str, _Located] = {}
    for item in original.items():
        found = doc.locate(item)
        if found is not None:
            located[item.id] = found
    shared: dict[int, int] = {}
    for loc in located.values():
        shared[id(loc.p)] = shared.get(id(loc.p), 0) + 1

    for section in tailored.sections:
        before = original.section(section.id)
        if before is None:
            raise InPlaceNotPossible(f"section {section.title or section.id!r} is not in the original")
        _apply_section(doc, before, section, located, shared)

    return _repack(original.source_path, doc)


def _apply_section(doc: _Doc, before: Section, after: Section, located: dict[str, _Located], shared: dict[int, int]) -> None:
    old = {item.id: item for item in before.items}
    new_ids = [item.id for item in after.items]
    # 1. Text edits, right to left inside shared paragraphs so earlier offsets stay valid.
    edits = [
        (item, old[item.id]) for item in after.items if item.id in old and item.text != old[item.id].text
    ]
    for item, was in sorted(edits, key=lambda pair: -located[pair[1].id].span[0] if pair[1].id in located else 0):
        loc = located.get(was.id)
        if loc is None:
            raise InPlaceNotPossible(f"the line {was.text[:40]!r} could not be found in the original")
        edit_text(loc.p, loc.span[0], loc.span[1], item.text)
    # 2. Deletions.
    for item_id, was in old.items():
        if item_id in new_ids:
            continue
        loc = located.get(item_id)
        if loc is None:
            raise InPlaceNotPossible(f"the deleted line {was.text[:40]!r} could not be found in the original")
        parent = loc.p.getparent()
        lone_in_cell = parent is not None and parent.tag == qn("w:tc") and len(parent.findall(qn("w:p"))) == 1
        if shared.get(id(loc.p), 1) > 1:
            # Other lines of this paragraph may have been edited already: find the text again.
            span = find_span(text_of(loc.p), was.text) or loc.span
            end = span[1] + 1 if text_of(loc.p)[span[1] : span[1] + 1] == "\n" else span[1]
            start = span[0] - 1 if end == span[1] and span[0] > 0 and text_of(loc.p)[span[0] - 1] == "\n" else span[0]
            edit_text(loc.p, start, end, "")
        elif lone_in_cell or _has_section_break(loc.p):
            _clear(loc.p)
        elif parent is not None:
            parent.remove(loc.p)
    # 3. Reorder the surviving items' paragraphs among the slots they occupied.
    kept_old = [item.id for item in before.items if item.id in new_ids]
    kept_new = [i for i in new_ids if i in old]
    if kept_old != kept_new:
        elements = []
        for item_id in kept_old:
            loc = located.get(item_id)
            if loc is None or shared.get(id(loc.p), 1) > 1 or _has_section_break(loc.p):
                raise InPlaceNotPossible("a reordered line shares its paragraph with another or ends a page section")
            elements.append(loc.p)
        by_id = dict(zip(kept_old, elements))
        holders = []
        for el in elements:
            holder = etree.Comment("slot")
            el.addprevious(holder)
            el.getparent().remove(el)
            holders.append(holder)
        for holder, item_id in zip(holders, kept_new):
            holder.getparent().replace(holder, by_id[item_id])
    # 4. Insertions, cloned from a neighbour of the same kind where possible.
    placed: dict[str, etree._Element] = {i: located[i].p for i in kept_new if i in located}
    for index, item in enumerate(after.items):
        if item.id in old:
            continue
        template = _template_for(item, after.items, index, placed, doc)
        if template is None:
            raise InPlaceNotPossible(f"no paragraph to model the new line {item.text[:40]!r} on")
        clone = _clone(template, item.text)
        prev = next((placed[after.items[j].id] for j in range(index - 1, -1, -1) if after.items[j].id in placed), None)
        if prev is not None:
            prev.addnext(clone)
        else:
            nxt = next((placed[after.items[j].id] for j in range(index + 1, len(after.items)) if after.items[j].id in placed), None)
            heading = _heading_p(doc, before)
            if nxt is not None:
                nxt.addprevious(clone)
            elif heading is not None:
                heading.addnext(clone)
            else:
                raise InPlaceNotPossible(f"no place for the new line {item.text[:40]!r}")
        placed[item.id] = clone


def _heading_p(doc: _Doc, section: Section) -> etree._Element | None:
    origin = section.origin
    if origin is not None and origin.paragraph is not None and origin.table is None and 0 <= origin.paragraph < len(doc.body):
        return doc.body[origin.paragraph]
    return None


def _template_for(item: Item, items: list[Item], index: int, placed: dict[str, etree._Element], doc: _Doc) -> etree._Element | None:
    """The nearest placed paragraph of the same kind (a bullet looks like a bullet), else any neighbour."""
    order = [j for k in range(1, len(items)) for j in (index - k, index + k) if 0 <= j < len(items)]
    same = [items[j].id for j in order if items[j].kind == item.kind and items[j].id in placed]
    if same:
        return placed[same[0]]
    if item.kind == ItemKind.BULLET:
        return None if not placed else next(placed[items[j].id] for j in order if items[j].id in placed)
    anyone = [items[j].id for j in order if items[j].id in placed]
    return placed[anyone[0]] if anyone else None


def _repack(source_path: str, doc: _Doc) -> bytes:
    """Copy the original package entry by entry, swapping in only the re-serialised main part."""
    part = doc.doc.part
    name = str(part.partname).lstrip("/")
    xml = serialize_part_xml(part.element)
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(source_path) as src, zipfile.ZipFile(out, "w") as dst:
            infos = src.infolist()
            _check_payload(infos)
            for info in infos:
                if info.filename == name:
                    dst.writestr(info, xml, compress_type=info.compress_type)
                    continue
                # Streamed member by member: never a whole inflated member in memory at once.
                with src.open(info) as reader, dst.open(info, "w", force_zip64=True) as writer:
                    shutil.copyfileobj(reader, writer, 1 << 20)
    except InputError as exc:
        raise InPlaceNotPossible(exc.message) from None
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, EOFError) as exc:
        raise InPlaceNotPossible(f"the original could not be re-read: {exc}") from None
    return out.getvalue()


def _check_payload(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse to copy an oversized member (a zip bomb image) into the export: the clean
    DOCX fallback is written instead, so a bomb never reaches the output."""
    check_members(infos, "the original")
    total = 0
    for info in infos:
        if is_xml_part(info.filename):
            continue
        if info.file_size > MAX_MEDIA_MEMBER:
            raise InPlaceNotPossible(
                f"its embedded file {info.filename} expands to {size_text(info.file_size)}, over the "
                f"{size_text(MAX_MEDIA_MEMBER)} limit, and is not copied"
            )
        total += info.file_size
    if total > MAX_MEDIA_TOTAL:
        raise InPlaceNotPossible(f"its embedded files expand to {size_text(total)}, over the {size_text(MAX_MEDIA_TOTAL)} limit")
