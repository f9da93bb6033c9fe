"""The JSON Resume schema (v1.2.1, shipped as package data): validation with one clear line per problem.

A resume that does not follow the schema is refused with the field named
("work[2].startDate: '2019-13' is not a valid date …"), never with a validator's traceback. The
schema's date pattern accepts month 13 and day 39, so real calendar dates are checked here too.
Files written for the pre-1.0 schema ("company", "website", "picture", "gpa") are common; their
old names are read as the new ones before validation, and the caller is told which were renamed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_VERSION = "1.2.1"
DATE_FIELDS = frozenset({"startDate", "endDate", "date", "releaseDate"})
DATE_HINT = "use YYYY, YYYY-MM or YYYY-MM-DD"
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

# Pre-1.0 names → v1 names, per place they occur (the old schema's "company", "website", "picture", "gpa").
OLD_NAMES: dict[str, dict[str, str]] = {
    "basics": {"picture": "image", "website": "url"},
    "work": {"company": "name", "website": "url"},
    "volunteer": {"website": "url"},
    "education": {"gpa": "score", "website": "url"},
    "publications": {"website": "url"},
    "projects": {"website": "url"},
    "awards": {"website": "url"},
    "certificates": {"website": "url"},
}


@cache
def schema() -> dict[str, Any]:
    """The official schema text, loaded once from resume_tui/data/jsonresume/schema.json."""
    text = resources.files("resume_tui").joinpath("data/jsonresume/schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def upgrade_old_names(doc: dict[str, Any]) -> list[str]:
    """Rename pre-1.0 fields in place (only where the v1 name is absent); returns "old → new" for each kind renamed."""
    renamed: dict[str, int] = {}

    def fix(obj: Any, table: dict[str, str]) -> None:
        if not isinstance(obj, dict):
            return
        for old, new in table.items():
            if old in obj and new not in obj:
                obj[new] = obj.pop(old)
                renamed[f"{old} → {new}"] = renamed.get(f"{old} → {new}", 0) + 1

    for key, table in OLD_NAMES.items():
        value = doc.get(key)
        for obj in value if isinstance(value, list) else [value]:
            fix(obj, table)
    return [f"{name} ({count}×)" if count > 1 else name for name, count in renamed.items()]


def field_path(parts: Any) -> str:
    """["work", 2, "startDate"] → "work[2].startDate"."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the top level"


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


_WANTED = {"object": "an object", "array": "a list", "string": "text", "number": "a number", "integer": "a whole number",
           "boolean": "true or false"}


def _sentence(error: Any) -> str:
    where = field_path(error.absolute_path)
    value = error.instance
    if error.validator == "pattern" and where.rsplit(".", 1)[-1] in DATE_FIELDS:
        return f"{where}: {value!r} is not a valid date ({DATE_HINT})"
    if error.validator == "type":
        wanted = error.validator_value
        wanted = " or ".join(_WANTED.get(str(w), str(w)) for w in (wanted if isinstance(wanted, list) else [wanted]))
        return f"{where}: should be {wanted}, not {_type_name(value)}"
    if error.validator == "format":
        return f"{where}: {value!r} is not a valid {'email address' if error.validator_value == 'email' else error.validator_value}"
    return f"{where}: {error.message}"


def _calendar_problems(doc: dict[str, Any]) -> Iterator[str]:
    """Dates the schema's pattern lets through but no calendar has ("2019-13", "2021-02-30")."""
    for key, value in doc.items():
        if not isinstance(value, list):
            continue
        for index, obj in enumerate(value):
            if not isinstance(obj, dict):
                continue
            for name in DATE_FIELDS & obj.keys():
                text = obj[name]
                if isinstance(text, str) and _ISO.match(text) and to_date(text) is None:
                    yield f"{key}[{index}].{name}: {text!r} is not a valid date ({DATE_HINT})"


def to_date(text: str) -> date | None:
    """A JSON Resume date ("2019", "2019-06", "2019-06-30") as a date (missing parts as 1), None when not a real date."""
    match = _ISO.match(text.strip())
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def problems(doc: Any) -> list[str]:
    """Every way `doc` breaks the schema, one line each naming the field (empty when valid)."""
    from jsonschema import Draft7Validator, FormatChecker

    if not isinstance(doc, dict):
        return [f"the top level should be an object, not {_type_name(doc)}"]
    validator = Draft7Validator(schema(), format_checker=FormatChecker(formats=["email"]))
    errors = sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
    lines = [_sentence(e) for e in errors]
    lines += [line for line in _calendar_problems(doc) if line not in lines]
    return lines
