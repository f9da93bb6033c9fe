"""Turning model text into a validated schema instance, and schemas into what each API accepts.

Kept separate from the adapters so every provider parses and validates the same way:
the same canned answer gives the same normalized result whatever produced it.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from resume_tui.providers.base import ErrorKind

_FENCE = re.compile(r"^\s*```(?:json|JSON)?\s*\n(.*?)\n?```\s*$", re.S)


class InvalidOutput(Exception):
    """The model answered, but not with schema-valid JSON; `detail` is safe to show the model."""

    def __init__(self, kind: ErrorKind, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


def json_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """The pydantic schema, closed (`additionalProperties: false`), without nested titles or defaults.

    Structured-output APIs (Anthropic output_config, OpenAI json_schema) want closed objects;
    closing them also keeps a model from smuggling extra keys into our domain objects. The
    per-property "title" pydantic adds ("Item Id", "Rationale"…) says nothing the property
    name does not, and is sent — and billed — with every micro-task call, so it is dropped.
    Cached per schema class: this runs on every call.
    """
    cached = _SCHEMAS.get(schema)
    if cached is None:
        cached = _SCHEMAS[schema] = _clean(copy.deepcopy(schema.model_json_schema()), top=True)
    return copy.deepcopy(cached)


_SCHEMAS: dict[type[BaseModel], dict[str, Any]] = {}


def _clean(node: Any, top: bool = False) -> Any:
    """Walk schema nodes (not the names under "properties"/"$defs") closing objects, dropping titles."""
    if isinstance(node, list):
        return [_clean(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if (key == "title" and not top and isinstance(value, str)) or key == "default":
            continue  # "default": we validate with pydantic, which fills defaults itself
        if key in ("properties", "$defs", "definitions") and isinstance(value, dict):
            out[key] = {name: _clean(sub) for name, sub in value.items()}
        else:
            out[key] = _clean(value)
    if out.get("type") == "object" and "properties" in out:
        out.setdefault("additionalProperties", False)
    return out


def schema_text(schema: type[BaseModel]) -> str:
    """Compact schema JSON for prompted-JSON modes (claude CLI, servers without json_schema)."""
    return json.dumps(json_schema(schema), separators=(",", ":"), sort_keys=True)


def extract_json(text: str) -> Any:
    """Parse a JSON answer, tolerating a ``` fence or prose around one object (local models do both)."""
    stripped = text.strip()
    m = _FENCE.match(stripped)
    if m:
        stripped = m.group(1).strip()
    try:
        return json.loads(stripped)
    except ValueError:
        pass
    start = stripped.find("{")
    end = stripped.rfind("}")
    if start != -1 and end > start:
        try:
            return json.loads(stripped[start : end + 1])
        except ValueError:
            pass
    raise InvalidOutput(ErrorKind.PARSE_ERROR, "the answer was not valid JSON")


def validate(schema: type[BaseModel], data: Any) -> BaseModel:
    """Validate parsed JSON (or already-parsed dict) into the schema; errors are short and keyless."""
    if isinstance(data, str):
        data = extract_json(data)
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        parts = []
        for err in exc.errors()[:5]:
            loc = ".".join(str(p) for p in err["loc"]) or "(root)"
            parts.append(f"{loc}: {err['msg']}")
        raise InvalidOutput(ErrorKind.VALIDATION_ERROR, "; ".join(parts)) from None
