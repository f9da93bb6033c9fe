"""Pydantic schemas the model must answer in, one per task kind.

The JSON schema of each is sent — and billed — with every micro-task call, so it is kept
lean: full field names (the model reads them), but no descriptions (the prompt says what a
field means once), no nullable unions (an absent value is the empty default; a model that
still answers `null` is accepted as the default) and nested objects inlined rather than
sent as `$defs` + `$ref`. Every field has a default so a schema is cheap to construct (a
fake provider can answer `Schema()`); what an answer *means* is checked when it is mapped
back to domain objects in tasks.py (quotes must be verbatim, ids must exist).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
        return _inline(defs[ref.removeprefix("#/$defs/")], defs)
    return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")

    @field_validator("*", mode="before")
    @classmethod
    def _null_is_default(cls, value: Any, info) -> Any:
        field = cls.model_fields[info.field_name]
        if value is None and not field.is_required():
            return field.get_default(call_default_factory=True)
        return value

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Nested models inlined (no `$defs`): shorter, and accepted by every structured-output API."""
        schema = super().model_json_schema(*args, **kwargs)
        defs = schema.get("$defs", {})
        return _inline(schema, defs) if defs else schema


class RequirementOut(_Out):
    text: str
    category: Literal["technical_skill", "soft_skill", "experience", "education", "domain", "responsibility"] = "technical_skill"
    priority: Literal["critical", "important", "nice_to_have"] = "important"
    keywords: list[str] = Field(default_factory=list)
    years: float = 0  # 0: none stated
    degree: str = ""


class RequirementsOut(_Out):
    title: str = ""
    company: str = ""
    requirements: list[RequirementOut] = Field(default_factory=list)


class HighlightOut(_Out):
    item_id: str
    quote: str
    skills: list[str] = Field(default_factory=list)


class SectionAnalysisOut(_Out):
    highlights: list[HighlightOut] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class PlanStepOut(_Out):
    section_id: str
    goal: str
    requirement_ids: list[str] = Field(default_factory=list)


class PlanOut(_Out):
    steps: list[PlanStepOut] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class ChangeOut(_Out):
    action: Literal["replace", "insert", "delete", "reorder"] = "replace"
    item_id: str = ""  # the item changed (insert: the item to insert after; "" = at the top)
    after: str = ""
    order: list[str] = Field(default_factory=list)  # reorder only: every item id of the section
    rationale: str = ""
    requirement_ids: list[str] = Field(default_factory=list)
    evidence_item_ids: list[str] = Field(default_factory=list)


class SectionRewriteOut(_Out):
    changes: list[ChangeOut] = Field(default_factory=list)
