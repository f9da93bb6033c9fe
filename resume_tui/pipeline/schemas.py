"""Pydantic schemas the model must answer in, one per task kind.

Every field has a default so a schema is cheap to construct (and a fake provider can
answer with `Schema()`); what the answer *means* is checked when it is mapped back to
domain objects in tasks.py (quotes must be verbatim, ids must exist).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class RequirementOut(_Out):
    text: str = Field(description="the requirement quoted verbatim from the job description")
    category: Literal["technical_skill", "soft_skill", "experience", "education", "domain", "responsibility"] = "technical_skill"
    priority: Literal["critical", "important", "nice_to_have"] = "important"
    keywords: list[str] = Field(default_factory=list, description="ATS keywords named by the requirement")
    years: float | None = None
    degree: str | None = None


class RequirementsOut(_Out):
    title: str | None = None
    company: str | None = None
    requirements: list[RequirementOut] = Field(default_factory=list)


class HighlightOut(_Out):
    item_id: str
    quote: str = Field(description="verbatim text from that item")
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
    item_id: str | None = Field(default=None, description="the item changed (insert: the item to insert after)")
    after: str = ""
    order: list[str] | None = Field(default=None, description="reorder only: every item id of the section in the new order")
    rationale: str = ""
    requirement_ids: list[str] = Field(default_factory=list)
    evidence_item_ids: list[str] = Field(default_factory=list)


class SectionRewriteOut(_Out):
    changes: list[ChangeOut] = Field(default_factory=list)
