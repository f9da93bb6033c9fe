"""JSON Resume (schema v1.2.1): the tailored resume as jsonresume.org tools read it — mapped from entries.

Each entry becomes one object whose fields are the entry's own (position, organisation, place,
dates as YYYY, YYYY-MM or YYYY-MM-DD), with its lines as summary and its bullets as highlights.
When the resume came from a JSON Resume, the user's own file is the base: every field resume-tui
does not show (urls, images, profiles, meta, extra keys) is kept and only the text that tailoring
touched is rewritten, so JSON Resume → resume-tui → JSON Resume loses nothing.

What the standard fields cannot hold is kept under our own "x-resume-tui" key (the schema allows
extra keys): header lines as written ("Jan 2020 – Present") when the fields alone would not give
them back, and the section titles and order. The document is validated against the schema before
anything is written; export notes name whatever other tools may not show.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from resume_tui.documents.jsonresume import fields as F
from resume_tui.documents.jsonresume.basics import basics_of, default_header, header_owner
from resume_tui.documents.jsonresume.schema import SCHEMA_VERSION, problems
from resume_tui.documents.readers.jsonresume import Imported, Place, layout_of, read_jsonresume
from resume_tui.errors import InputError, ResumeTuiError
from resume_tui.models import Entry, Item, ItemKind, Resume, Section, SectionKind, SourceFormat

SCHEMA_URL = f"https://raw.githubusercontent.com/jsonresume/resume-schema/v{SCHEMA_VERSION}/schema.json"
_PER_ITEM = frozenset({"awards", "certificates", "publications"})  # a loose line is one object (an award, a licence)


def render_jsonresume(tailored: Resume, original: Resume) -> tuple[bytes, list[str]]:
    """The JSON document and notes for the user; InputError when it would not be a valid JSON Resume."""
    notes: list[str] = []
    base = _base(original, notes)
    doc = _Writer(tailored, original, base, notes).document()
    found = problems(doc)
    if found:  # a bug of ours, never the user's: say so in one sentence instead of writing a bad file
        raise InputError(f"The JSON Resume export would break the schema ({found[0]}); nothing was written.")
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), notes


def key_for(section: Section) -> str:
    """The JSON Resume section a resume section goes to (sections JSON Resume lacks go to projects)."""
    if section.kind in F.KIND_KEYS:
        return F.KIND_KEYS[section.kind]
    return "references" if "referen" in section.title.lower() else "projects"


def _base(original: Resume, notes: list[str]) -> Imported | None:
    """The user's own JSON Resume, re-read, when the resume came from one and the file still says the same."""
    path = Path(original.source_path) if original.source_path else None
    if original.source_format is not SourceFormat.JSON_RESUME or path is None or not path.is_file():
        return None
    try:
        imported = read_jsonresume(path.read_bytes(), path.name, str(path))
    except (ResumeTuiError, OSError):
        imported = None
    if imported is None or [(i.id, i.text) for i in imported.resume.items()] != [(i.id, i.text) for i in original.items()]:
        notes.append(f"{path.name} changed since it was loaded, so fields resume-tui does not show (urls, images…) "
                     "were not carried over.")
        return None
    return imported


class _Writer:
    def __init__(self, tailored: Resume, original: Resume, base: Imported | None, notes: list[str]) -> None:
        self.resume, self.original, self.base, self.notes = tailored, original, base, notes
        self.arrays: dict[str, list[dict[str, Any]]] = {}
        self.summary: list[str] = []
        self.layout: list[dict[str, Any]] = []
        self.moved: list[str] = []
        self.extra: dict[str, int] = {}
        self.undated: list[str] = []
        self.partial: list[str] = []

    def document(self) -> dict[str, Any]:
        for section in self.resume.sections:
            self._section(section)
        doc: dict[str, Any] = copy.deepcopy(self.base.doc) if self.base else {"$schema": SCHEMA_URL}
        basics: dict[str, Any] = F.as_dict(doc.get("basics")) if self.base else basics_of(self.resume)
        if self.summary:
            if not _same_lines(basics.get("summary"), self.summary):
                basics["summary"] = "\n".join(self.summary)
        elif F.text(basics.get("summary")):
            basics["summary"] = ""  # every summary line was removed by tailoring
        doc["basics"] = basics
        for key in list(doc):
            if key in F.SECTIONS and key not in self.arrays and isinstance(doc[key], list) and doc[key]:
                doc[key] = []  # every object of it was removed by tailoring
        for key, objects in self.arrays.items():
            doc[key] = objects
        self._layout_note(doc)
        self._notes()
        return doc

    # ------------------------------------------------------------------ sections and objects

    def _section(self, section: Section) -> None:
        key = (self.base.section_keys.get(section.id) if self.base else None) or key_for(section)
        if key == "projects" and section.kind is not SectionKind.PROJECTS:
            self.moved.append(section.title or "the untitled first section")
        count, spec = 0, {}
        if key == "summary":
            kept = [i for i in section.items if i.text.strip()]
            self.summary += [_one_line(i.text) for i in kept]
            count = len(kept)
            if any(i.kind is not ItemKind.LINE for i in kept):
                spec["kinds"] = [i.kind.value for i in kept]  # basics.summary is plain text: bullets are noted here
        else:
            objects = [(self._index(key, unit[1]), self._object(key, section, unit)) for unit in self._units(section, key)]
            self._keep_silent(key, section, objects)
            self.arrays.setdefault(key, []).extend(obj for _, obj in objects)
            count = len(objects)
        self.layout.append({"key": key, "title": section.title, "kind": section.kind.value, "count": count} | spec)

    def _index(self, key: str, items: list[Item]) -> int | None:
        """The object of the user's file these items came from (None for new or converted text)."""
        return next((p.index for p in (self._place(i) for i in items) if p is not None and p.key == key), None)

    def _keep_silent(self, key: str, section: Section, objects: list[tuple[int | None, dict[str, Any]]]) -> None:
        """Objects of the user's file that show no line (only a url, or empty) stay, in their place."""
        if self.base is None or section.id not in self.base.ranges:
            return
        start, count = self.base.ranges[section.id]
        shown = {p.index for p in self.base.places.values() if p.key == key}
        for index in range(start, start + count):
            if index not in shown:
                at = next((n for n, (j, _) in enumerate(objects) if j is not None and j > index), len(objects))
                objects.insert(at, (index, copy.deepcopy(self.base.doc[key][index])))

    def _place(self, item: Item) -> Place | None:
        return self.base.places.get(item.id) if self.base else None

    def _units(self, section: Section, key: str) -> list[tuple[Entry | None, list[Item]]]:
        """The section's items grouped into the objects they become: an entry each, a line each in list-like
        sections, a run of loose lines otherwise (in the user's file: the object they came from)."""
        units: list[tuple[Entry | None, list[Item]]] = []
        unit_of: dict[Any, int] = {}
        previous: Any = None
        for item in section.items:
            if not item.text.strip():
                continue
            entry = section.entry_of(item.id)
            place = self._place(item)
            if key in F.LINE_KEYS:
                marker: Any = ("item", item.id)
            elif entry is not None:
                marker = ("entry", entry.id)
            elif place is not None:
                marker = ("object", place.index)
            elif key in _PER_ITEM or previous is None or previous[0] == "entry":
                marker = ("item", item.id)
            else:
                marker = previous  # a new loose line joins the loose lines right above it
            if marker not in unit_of:
                unit_of[marker] = len(units)
                units.append((entry, []))
            units[unit_of[marker]][1].append(item)
            previous = marker
        return units

    def _object(self, key: str, section: Section, unit: tuple[Entry | None, list[Item]]) -> dict[str, Any]:
        entry, items = unit
        places = [p for p in (self._place(i) for i in items) if p is not None and p.key == key]
        obj: dict[str, Any] = copy.deepcopy(self.base.doc[key][places[0].index]) if self.base and places else {}
        if key in F.LINE_KEYS:
            obj = self._line_object(key, obj, items[0], bool(places))
            if any(items[0].id in e.header_ids for e in section.entries):  # a group label ("Cloud:") over its skills
                obj[F.EXTENSION] = F.as_dict(obj.get(F.EXTENSION)) | {"group": True}
            return obj
        header = [i for i in items if entry is not None and i.id in entry.header_ids]
        if not header and entry is None and key in _PER_ITEM:
            header = items[:1]  # "Dean's List, 2019" or "• CPA": the line is the award or the licence itself
        body = [i for i in items if i not in header]
        if header and not self._unchanged(header, places):
            self._set_header(key, obj, section, entry, header)
            if entry is None:  # a loose line standing for an award or a licence: no entry when read back
                obj.setdefault(F.EXTENSION, {})["entry"] = False
        self._set_body(key, obj, body)
        self._keep_kinds(key, obj, body)
        unknown = [name for name, value in obj.items() if name not in F.STANDARD.get(key, obj.keys())
                   and name in F.BODY_RENDERED.get(key, ()) and value]
        for name in unknown:
            self.extra[f"{key}.{name}"] = self.extra.get(f"{key}.{name}", 0) + 1
        return obj

    def _unchanged(self, header: list[Item], places: list[Place]) -> bool:
        """The header is the user's own, untouched: its fields stay exactly as they were."""
        if not places:
            return False
        return all((o := self.original.item(i.id)) is not None and o.text == i.text for i in header)

    def _line_object(self, key: str, obj: dict[str, Any], item: Item, from_base: bool) -> dict[str, Any]:
        original = self.original.item(item.id)
        if from_base and original is not None and original.text == item.text:
            return obj
        known = [k for k in obj.get("keywords") or [] if isinstance(k, str)]
        for name in ("name", "level", "keywords", "language", "fluency", F.EXTENSION):
            obj.pop(name, None)
        obj.update(F.object_of_line(key, _one_line(item.text)))
        if known and obj.get("keywords"):  # "HTML5, HTML" stays one keyword when the line was only reordered
            obj["keywords"] = _regroup(", ".join(obj["keywords"]), known)
        if item.kind is not ItemKind.LINE:
            obj[F.EXTENSION] = {"kind": item.kind.value}  # a bulleted skill stays a bullet when read back
        return obj

    def _set_header(self, key: str, obj: dict[str, Any], section: Section, entry: Entry | None, header: list[Item]) -> None:
        texts = [_one_line(i.text) for i in header]
        fields: dict[str, str | None]
        changed = any((o := self.original.item(i.id)) is None or o.text != i.text for i in header)
        if entry is None or changed:
            from resume_tui.documents.segment.entries import parse_header

            fields = parse_header(texts, section.kind) if entry is not None else {"title": texts[0]}
        else:
            fields = {"title": entry.title, "organization": entry.organization, "location": entry.location,
                      "start": entry.start, "end": entry.end}
        names = F.HEADER_FIELDS.get(key, ("name", None, None, None, None))
        for name in [n for n in names if n] + (["area"] if key == "education" else []) + [F.EXTENSION]:
            obj.pop(name, None)
        title: str = fields.get("title") or ""
        org: str = fields.get("organization") or ""
        place: str = fields.get("location") or ""
        if key == "education" and " in " in title:
            obj["studyType"], obj["area"] = (part.strip() for part in title.split(" in ", 1))
        elif title and names[0]:
            obj[names[0]] = title
        for part, slot in ((org, names[1]), (place, names[2])):
            if part and slot:
                obj[slot] = part
        start, end = fields.get("start"), fields.get("end")
        iso_start: str | None = F.to_iso(start)
        iso_end: str | None = F.to_iso(end)
        if names[3] is None:  # one date only (awards, certificates, publications): the latest one written
            iso_start, iso_end = None, iso_end or iso_start
        for written, iso, slot in ((start, iso_start, names[3]), (end, iso_end, names[4])):
            if slot and iso:
                obj[slot] = iso
            elif written and not F.is_open_end(written) and not iso:
                self.undated.append(written)
        kinds = [i.kind.value for i in header]
        if [F.header_line(*F.header_fields(key, obj))] != texts or set(kinds) != {"role"}:
            obj[F.EXTENSION] = {"header": texts} | ({"kinds": kinds} if set(kinds) != {"role"} else {})
            held = " ".join(v for v in (title, org, place, start or "", end or "", obj.get("area") or "") if v).casefold()
            if [w for w in _WORDS.findall(" ".join(texts).casefold()) if w not in held]:
                self.partial.append(" / ".join(texts))  # words no standard field holds: other tools will not show them
            as_written = {name: value for name, value in (("start", start), ("end", end)) if value}
            if as_written:
                obj[F.EXTENSION]["dates"] = as_written  # the entry's dates as the header writes them ("Jan 2020")

    def _keep_kinds(self, key: str, obj: dict[str, Any], body: list[Item]) -> None:
        """Record the body's line/bullet kinds when the reader would not give them back (a line after bullets)."""
        from resume_tui.documents.readers.jsonresume import body_lines

        extension = F.as_dict(obj.get(F.EXTENSION))
        extension.pop("body", None)
        kinds = [i.kind.value for i in body]
        if [kind.value for kind, _, _ in body_lines(key, obj)] != kinds:
            extension["body"] = kinds
        if extension:
            obj[F.EXTENSION] = extension
        else:
            obj.pop(F.EXTENSION, None)

    def _set_body(self, key: str, obj: dict[str, Any], body: list[Item]) -> None:
        line_field, bullet_field = F.BODY_FIELDS.get(key, ("summary", "highlights"))
        values: dict[str, list[str]] = {}
        seen_bullet = False
        for item in body:
            place = self._place(item)
            text = _one_line(item.text)
            if place is not None and place.key == key and place.field != "header":
                name = place.field
            elif item.kind is ItemKind.LINE and (prefixed := _prefixed(key, text)):
                name = prefixed  # "Score: 3.8" under a degree, "Keywords: …" under a project
            else:
                seen_bullet = seen_bullet or item.kind is ItemKind.BULLET
                name = bullet_field if seen_bullet else line_field  # a line after bullets stays after them
            values.setdefault(name, []).append(text)
        for name in F.BODY_RENDERED.get(key, ()):
            texts = values.get(name)
            if texts is not None:
                if not _same_lines(obj.get(name), texts):  # unchanged text keeps its own spacing ("\n\n" paragraphs)
                    obj[name] = _field_value(name, texts)
            elif isinstance(obj.get(name), list) and obj[name]:
                obj[name] = []  # every line of it was removed by tailoring
            elif isinstance(obj.get(name), str) and obj[name].strip():
                obj[name] = ""

    # ------------------------------------------------------------------ basics, layout, notes

    def _layout_note(self, doc: dict[str, Any]) -> None:
        """Save the section titles and order, and the header lines, in meta when the standard ones differ."""
        extension: dict[str, Any] = {}
        if layout_of({k: v for k, v in doc.items() if k != "meta"})[0] != self.layout:
            extension["sections"] = self.layout
        if self.base is None and default_header(doc) != self.resume.header_lines and self.resume.header_lines:
            extension["header"] = list(self.resume.header_lines)
            extension["header_of"] = header_owner(doc)  # read back only while these are unchanged
        meta = F.as_dict(doc.get("meta"))
        meta.pop(F.EXTENSION, None)
        if extension:
            meta[F.EXTENSION] = extension
        if meta or "meta" in doc:
            doc["meta"] = meta  # in place when the file had one: its keys keep their order

    def _notes(self) -> None:
        if self.moved:
            self.notes.append(f"JSON Resume has no section for {', '.join(repr(t) for t in self.moved)}; "
                              "written under projects (JSON Resume themes show them there).")
        if self.extra:
            where = ", ".join(sorted(self.extra))
            self.notes.append(f"Some lines have no standard JSON Resume field and are kept as {where}: resume-tui reads "
                              "them back, other JSON Resume tools may not show them.")
        if self.undated:
            self.notes.append(f"Dates with no year or month to write as YYYY-MM ({', '.join(sorted(set(self.undated))[:3])}) "
                              "are kept only in the header line as written.")
        if self.partial:
            self.notes.append(f"{len(self.partial)} entry header(s) have words no JSON Resume field holds (e.g. "
                              f"{_short(self.partial[0])!r}): resume-tui keeps the header as written, other JSON Resume "
                              "tools show only the position, organisation, place and dates.")
        if any(i.spans for i in self.resume.items()):
            self.notes.append("JSON Resume has no bold or italics; the words are kept, the emphasis is not.")


_WORDS = re.compile(r"[^\W\d_]{2,}")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _regroup(joined: str, known: list[str]) -> list[str]:
    """Split a keyword list at ", " but keep the user's own keywords whole when they contain ", " themselves."""
    out: list[str] = []
    rest = joined
    longest_first = sorted(set(known), key=len, reverse=True)
    while rest:
        match = next((k for k in longest_first if rest == k or rest.startswith(k + ", ")), None)
        piece = match if match is not None else rest.split(", ", 1)[0]
        out.append(piece)
        rest = rest[len(piece) + 2 :] if len(rest) > len(piece) else ""
    return out


def _same_lines(value: Any, texts: list[str]) -> bool:
    """A text field that still reads as these lines (so it is left exactly as the user wrote it)."""
    return isinstance(value, str) and [line.strip() for line in value.split("\n") if line.strip()] == texts


def _one_line(text: str) -> str:
    """An item's text on one line (a JSON Resume reader splits summaries at newlines), spacing otherwise kept."""
    return " ".join(part.strip() for part in text.strip().split("\n") if part.strip())


def _prefixed(key: str, text: str) -> str | None:
    for name, prefix, where in (("score", F.SCORE_PREFIX, "education"), ("keywords", F.KEYWORDS_PREFIX, "projects"),
                                ("roles", F.ROLES_PREFIX, "projects")):
        if key == where and text.startswith(prefix) and len(text) > len(prefix):
            return name
    return None


def _field_value(name: str, texts: list[str]) -> Any:
    if name in ("highlights", "courses"):
        return texts
    if name in ("keywords", "roles"):
        prefix = F.KEYWORDS_PREFIX if name == "keywords" else F.ROLES_PREFIX
        joined = ", ".join(texts)
        return (joined.removeprefix(prefix) if joined.startswith(prefix) else joined).split(", ")
    if name == "score":
        joined = " ".join(texts)
        return joined.removeprefix(F.SCORE_PREFIX)
    return "\n".join(texts)
