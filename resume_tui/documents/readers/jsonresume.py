"""Read a JSON Resume (jsonresume.org, schema v1.2.1) straight into the resume model.

The file is already structured, so nothing is guessed: each work, education or project object
becomes an entry whose title, organisation, place and dates are the fields themselves, with its
header line, summary lines and highlight bullets as items. Rendering text and re-parsing it would
only lose that. Alongside the resume the reader returns where each item's text came from (which
object, which field): the JSON Resume exporter uses it to write a tailored resume back into the
user's own file, keeping every field resume-tui does not show (urls, images, meta…).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from resume_tui.documents.jsonresume import fields as F
from resume_tui.documents.jsonresume.basics import contact_of
from resume_tui.documents.jsonresume.schema import problems, to_date, upgrade_old_names
from resume_tui.errors import InputError
from resume_tui.models import Entry, Item, ItemKind, Resume, Section, SectionKind, SourceFormat

MAX_LINES = 20_000
_KNOWN_TOP = frozenset(F.SECTIONS) - {"summary"} | {"basics", "meta"}


@dataclass(frozen=True)
class Place:
    """Where an item's text lives: doc[key][index][field] ("summary": the index-th line of basics.summary)."""

    key: str
    index: int
    field: str


@dataclass
class Imported:
    resume: Resume
    doc: dict[str, Any]  # the document as read (old field names already renamed)
    places: dict[str, Place] = field(default_factory=dict)  # item id → where it came from
    section_keys: dict[str, str] = field(default_factory=dict)  # section id → JSON Resume key
    ranges: dict[str, tuple[int, int]] = field(default_factory=dict)  # section id → (first object, how many)


def parse_json(data: bytes, name: str) -> dict[str, Any]:
    """The JSON object in `data`, or one sentence saying why it is not one."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{name} is not UTF-8 text, so it cannot be a JSON Resume — save it as UTF-8 and load it again.") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}) — "
                         "fix it in an editor and load it again.") from None
    except RecursionError:
        raise InputError(f"{name} is nested too deeply to be a resume.") from None
    if not isinstance(doc, dict) or not (_KNOWN_TOP & doc.keys()):
        raise InputError(f"{name} is JSON but not a JSON Resume (it has none of basics, work, education, skills…) — "
                         "see jsonresume.org/schema.")
    return doc


def read_jsonresume(data: bytes, name: str, source_path: str | None = None) -> Imported:
    """Validate and map a JSON Resume; InputError naming the first bad field when it breaks the schema."""
    doc = parse_json(data, name)
    renamed = upgrade_old_names(doc)
    found = problems(doc)
    if found:
        more = f" (and {len(found) - 1} more problem{'s' * (len(found) > 2)})" if len(found) > 1 else ""
        raise InputError(f"{name} is not a valid JSON Resume: {found[0]}{more}.")
    warnings = [f"{name} uses pre-1.0 JSON Resume field names, read as their v1 names: {', '.join(renamed)}."] if renamed else []
    warnings += _date_order_warnings(doc)
    builder = _Builder(doc)
    layout, note = layout_of(doc)
    if note:
        warnings.append(note)
    for spec in layout:
        builder.section(spec)
    lines = sum(len(s.items) for s in builder.sections)
    if lines > MAX_LINES:  # every later step works per line, as for a text resume (ingest.MAX_RESUME_LINES)
        raise InputError(f"{name} has {lines:,} lines, over the {MAX_LINES:,}-line limit for a resume — "
                         "load only the resume itself.")
    contact, header = contact_of(doc)
    resume = Resume(contact=contact, sections=builder.sections, source_format=SourceFormat.JSON_RESUME,
                    source_path=source_path, warnings=warnings, header_lines=header)
    return Imported(resume=resume, doc=doc, places=builder.places, section_keys=builder.section_keys,
                    ranges=builder.ranges)


def summary_lines(doc: dict[str, Any]) -> list[str]:
    basics = F.as_dict(doc.get("basics"))
    return [line.strip() for line in F.text(basics.get("summary")).split("\n") if line.strip()]


def units(doc: dict[str, Any], key: str) -> int:
    """How many objects (summary: lines) a section key holds."""
    if key == "summary":
        return len(summary_lines(doc))
    value = doc.get(key)
    return len(value) if isinstance(value, list) else 0


def layout_of(doc: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    """The sections to build, in order: the layout resume-tui saved in meta when it still fits the file,
    otherwise one section per JSON Resume key in the file's own order."""
    meta = F.as_dict(doc.get("meta"))
    saved = (meta.get(F.EXTENSION) or {}).get("sections") if isinstance(meta.get(F.EXTENSION), dict) else None
    default = [{"key": key, "title": F.SECTIONS[key][1], "kind": F.SECTIONS[key][0].value, "count": units(doc, key)}
               for key in (["summary" if k == "basics" else k for k in doc]) if key in F.SECTIONS and units(doc, key)]
    if not isinstance(saved, list):
        return default, None
    totals: dict[str, int] = {}
    try:
        for spec in saved:
            key, count = spec["key"], int(spec["count"])
            if key not in F.SECTIONS or count < 0 or not isinstance(spec["title"], str):
                raise ValueError(key)
            SectionKind(spec["kind"])
            totals[key] = totals.get(key, 0) + count
        fits = all(totals.get(key, 0) == units(doc, key) for key in F.SECTIONS)
    except (KeyError, TypeError, ValueError):
        fits = False
    if not fits:
        return default, ("The section titles resume-tui saved in this file no longer match its content (it was edited "
                         "elsewhere); JSON Resume's own section names are used.")
    return saved, None


class _Builder:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.sections: list[Section] = []
        self.places: dict[str, Place] = {}
        self.section_keys: dict[str, str] = {}
        self.ranges: dict[str, tuple[int, int]] = {}
        self.cursor: dict[str, int] = {}

    def section(self, spec: dict[str, Any]) -> None:
        key, count = spec["key"], int(spec["count"])
        section = Section(id=f"s{len(self.sections)}", kind=SectionKind(spec["kind"]), title=spec["title"])
        self.sections.append(section)
        self.section_keys[section.id] = key
        start = self.cursor.get(key, 0)
        self.cursor[key] = start + count
        self.ranges[section.id] = (start, count)
        if key == "summary":
            kinds = spec.get("kinds") if isinstance(spec.get("kinds"), list) and len(spec["kinds"]) == count else None
            for index, line in enumerate(summary_lines(self.doc)[start : start + count], start=start):
                kind = kinds[index - start] if kinds and kinds[index - start] in ItemKind._value2member_map_ else "line"
                self._item(section, line, ItemKind(kind), Place(key, index, "summary"))
            return
        for index in range(start, start + count):
            obj = self.doc[key][index]
            obj = F.as_dict(obj)
            if key in F.LINE_KEYS:
                saved = F.as_dict(obj.get(F.EXTENSION))
                kind = ItemKind(saved["kind"]) if saved.get("kind") in ItemKind._value2member_map_ else ItemKind.LINE
                item_id = self._item(section, F.line_of(key, obj), kind, Place(key, index, "line"))
                if item_id and saved.get("group") is True:  # a label over the lines below it, as segmentation groups them
                    section.entries.append(Entry(id=f"{section.id}.e{len(section.entries) + 1}",
                                                 title=section.items[-1].text.rstrip(":"), header_ids=[item_id], confidence=0.8))
                elif item_id and section.entries:
                    section.entries[-1].item_ids.append(item_id)
            else:
                self._entry(section, key, index, obj)

    def _item(self, section: Section, text: str, kind: ItemKind, place: Place) -> str | None:
        if not text.strip():
            return None
        item = Item(id=f"{section.id}.{len(section.items) + 1}", text=text, kind=kind)
        section.items.append(item)
        self.places[item.id] = place
        return item.id

    def _entry(self, section: Section, key: str, index: int, obj: dict[str, Any]) -> None:
        title, org, place, start, end = F.header_fields(key, obj)
        header = [(ItemKind.ROLE, F.header_line(title, org, place, start, end))]
        written = _written_header(obj, (title, org, place, start, end))
        if written:
            header = written
            start, end = _written_dates(obj, start, end)
        header_ids = [i for kind, line in header if (i := self._item(section, line, kind, Place(key, index, "header")))]
        body_ids: list[str] = []
        lines = body_lines(key, obj)
        saved = F.as_dict(obj.get(F.EXTENSION))
        kinds = saved.get("body") if isinstance(saved.get("body"), list) else None
        if kinds is not None and len(kinds) == len(lines) and all(k in ItemKind._value2member_map_ for k in kinds):
            lines = [(ItemKind(k), line, name) for k, (_, line, name) in zip(kinds, lines)]
        for kind, line, name in lines:
            if item_id := self._item(section, line, kind, Place(key, index, name)):
                body_ids.append(item_id)
        if header_ids and saved.get("entry") is not False:
            section.entries.append(Entry(
                id=f"{section.id}.e{len(section.entries) + 1}", title=title or None, organization=org or None,
                location=place or None, start=start or None, end=end or None, header_ids=header_ids, item_ids=body_ids,
            ))


def _lines(value: Any) -> list[str]:
    return [line.strip() for line in F.text(value).split("\n") if line.strip()]


def _strings(value: Any) -> list[str]:
    return [F.text(v) for v in value if F.text(v)] if isinstance(value, list) else []


def body_lines(key: str, obj: dict[str, Any]) -> list[tuple[ItemKind, str, str]]:
    """The object's lines under its header, in the order a resume shows them, each with its field."""
    out: list[tuple[ItemKind, str, str]] = []
    if key == "work":
        out += [(ItemKind.LINE, line, "description") for line in _lines(obj.get("description"))]
    line_field, bullet_field = F.BODY_FIELDS.get(key, ("summary", "highlights"))
    out += [(ItemKind.LINE, line, line_field) for line in _lines(obj.get(line_field))]
    if key == "education" and F.text(obj.get("score")):
        out.append((ItemKind.LINE, F.SCORE_PREFIX + F.text(obj.get("score")), "score"))
    if key == "projects":
        for name, prefix in (("roles", F.ROLES_PREFIX), ("keywords", F.KEYWORDS_PREFIX)):
            if _strings(obj.get(name)):
                out.append((ItemKind.LINE, prefix + ", ".join(_strings(obj.get(name))), name))
    if key == "education":
        out += [(ItemKind.BULLET, course, "courses") for course in _strings(obj.get("courses"))]
    out += [(ItemKind.BULLET, line, bullet_field) for line in _strings(obj.get(bullet_field))]
    return out


def _written_header(obj: dict[str, Any], values: tuple[str, ...]) -> list[tuple[ItemKind, str]] | None:
    """The header lines as the original resume wrote them ("Jan 2020 – Present"), saved by our exporter, when
    they still say what the fields say (a field edited in another tool wins over them)."""
    saved = obj.get(F.EXTENSION)
    lines = saved.get("header") if isinstance(saved, dict) else None
    if not isinstance(lines, list) or not lines or not all(isinstance(x, str) and x.strip() for x in lines):
        return None
    kinds = F.as_dict(saved).get("kinds") or []
    joined = F.squash(" ".join(lines))
    title, org, place, start, end = values
    if not all(F.squash(v) in joined for v in (title, org, place) if v):
        return None
    dates = {F.to_iso(d) for d in _dates_in(" ".join(lines))}
    if any(d and not F.is_open_end(d) and d not in dates for d in (start, end)):
        return None
    out = []
    for n, line in enumerate(lines):
        kind = kinds[n] if n < len(kinds) and kinds[n] in ItemKind._value2member_map_ else "role"
        out.append((ItemKind(kind), line))
    return out


def _written_dates(obj: dict[str, Any], start: str, end: str) -> tuple[str, str]:
    """The entry's dates as its saved header writes them, when they are the same dates as the fields."""
    dates = F.as_dict(F.as_dict(obj.get(F.EXTENSION)).get("dates"))
    out = []
    for value, written in ((start, dates.get("start")), (end, dates.get("end"))):
        if not isinstance(written, str):
            out.append(value)
        elif F.to_iso(written) == (value or None) or (F.is_open_end(written) and value in ("", F.OPEN_END)):
            out.append(written)
        else:
            out.append(value)
    return out[0], out[1]


def _dates_in(text: str) -> list[str]:
    from resume_tui.documents.segment.dates import DATE

    return [m.group(0) for m in DATE.finditer(text[:1000])]


def _date_order_warnings(doc: dict[str, Any]) -> list[str]:
    out = []
    for key, value in doc.items():
        for index, obj in enumerate(value if isinstance(value, list) else []):
            if not isinstance(obj, dict):
                continue
            start, end = to_date(F.text(obj.get("startDate"))), to_date(F.text(obj.get("endDate")))
            if start and end and end < start:
                out.append(f"{key}[{index}] ends ({obj['endDate']}) before it starts ({obj['startDate']}); "
                           "kept as written — check the dates.")
    return out
