"""The domain model shared by every layer (documents → analysis → pipeline → UI).

Plain pydantic v2 models, no behaviour beyond small derived helpers, so that the same
objects can be persisted, sent to a model as a JSON schema, and rendered by the TUI.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


def utcnow() -> datetime:
    return datetime.now(UTC)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


# --------------------------------------------------------------------------- resume


class SourceFormat(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    MARKDOWN = "md"
    TEXT = "txt"
    JSON_RESUME = "json"  # jsonresume.org: read straight into sections and entries, not segmented


class SectionKind(StrEnum):
    SUMMARY = "summary"
    EXPERIENCE = "experience"
    SKILLS = "skills"
    EDUCATION = "education"
    PROJECTS = "projects"
    CERTIFICATIONS = "certifications"
    PUBLICATIONS = "publications"
    VOLUNTEERING = "volunteering"
    AWARDS = "awards"
    LANGUAGES = "languages"
    INTERESTS = "interests"
    OTHER = "other"


class ItemKind(StrEnum):
    ROLE = "role"  # a heading line inside a section: "Senior Engineer — Acme, 2019–2023"
    BULLET = "bullet"  # a bulleted line
    LINE = "line"  # any other line / paragraph


class TextSpan(_Model):
    """Inline formatting inside an item's text (character offsets), kept for faithful export."""

    start: int
    end: int
    bold: bool = False
    italic: bool = False
    underline: bool = False


class Origin(_Model):
    """Where an item came from in the source document (for tracing and in-place export)."""

    line: int | None = None  # 1-based line in the extracted text
    page: int | None = None  # 1-based PDF page
    paragraph: int | None = None  # 0-based index into the DOCX body's paragraphs (document order)
    table: tuple[int, int, int] | None = None  # DOCX (table, row, cell) when the text lives in a table
    part: Literal["body", "header", "footer"] = "body"
    ocr: bool = False  # read from a page image by OCR: check names and numbers against the scan


class Item(_Model):
    id: str  # stable within a resume: "<section id>.<n>", e.g. "s2.3"
    text: str
    kind: ItemKind = ItemKind.LINE
    spans: list[TextSpan] = Field(default_factory=list)
    origin: Origin | None = None
    depth: int = 0  # 1 for a bullet nested under the bullet above it: the two move together or not at all


class Entry(_Model):
    """A role, degree or project: header lines (title / organisation / place / dates) and its own items.
    Entries are a structure laid over the section's items (which stay one flat list in reading
    order, as every exporter and the evidence index read them): `header_ids` are the items that
    form the header, `item_ids` the bullets and detail lines under it. A reorder may move an item
    only within its own entry, and never a header.
    """

    id: str  # "<section id>.e<n>", e.g. "s2.e1"
    title: str | None = None
    organization: str | None = None
    location: str | None = None
    start: str | None = None  # as written ("Jan 2020")
    end: str | None = None  # as written ("Present")
    header_ids: list[str] = Field(default_factory=list)
    item_ids: list[str] = Field(default_factory=list)
    # How sure the parser is of this entry's boundaries (1.0: a dated header with a title and an
    # organisation; lower when the header was inferred from layout alone). The offline engine does
    # not reorder inside entries it is unsure of.
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


class Section(_Model):
    id: str  # "s0", "s1", … in reading order
    kind: SectionKind
    title: str  # the heading exactly as written ("" for the untitled first block)
    items: list[Item] = Field(default_factory=list)
    origin: Origin | None = None  # where the heading was
    entries: list[Entry] = Field(default_factory=list)  # empty for list-like sections (skills, summary)

    def text(self) -> str:
        return "\n".join(i.text for i in self.items)

    def entry_of(self, item_id: str) -> Entry | None:
        """The entry an item belongs to (as header or body), None for items outside every entry."""
        return next((e for e in self.entries if item_id in e.item_ids or item_id in e.header_ids), None)


class Contact(_Model):
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    links: list[str] = Field(default_factory=list)


class Resume(_Model):
    contact: Contact = Field(default_factory=Contact)
    sections: list[Section] = Field(default_factory=list)
    source_format: SourceFormat = SourceFormat.TEXT
    source_path: str | None = None
    warnings: list[str] = Field(default_factory=list)
    # The contact block's lines as written (name, headline, email line…), never changed.
    header_lines: list[str] = Field(default_factory=list)

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, item_id: str) -> Item | None:
        for section in self.sections:
            for item in section.items:
                if item.id == item_id:
                    return item
        return None

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def section_of(self, item_id: str) -> Section | None:
        return next((s for s in self.sections if any(i.id == item_id for i in s.items)), None)

    def full_text(self) -> str:
        parts = list(self.header_lines)
        for section in self.sections:
            if section.title:
                parts.append(section.title)
            parts.extend(i.text for i in section.items)
        return "\n".join(parts)


# --------------------------------------------------------------------------- job


class RequirementCategory(StrEnum):
    TECHNICAL_SKILL = "technical_skill"
    SOFT_SKILL = "soft_skill"
    EXPERIENCE = "experience"
    EDUCATION = "education"
    DOMAIN = "domain"
    RESPONSIBILITY = "responsibility"


class Priority(StrEnum):
    CRITICAL = "critical"
    IMPORTANT = "important"
    NICE_TO_HAVE = "nice_to_have"


PRIORITY_WEIGHT: dict[Priority, float] = {
    Priority.CRITICAL: 3.0,
    Priority.IMPORTANT: 2.0,
    Priority.NICE_TO_HAVE: 1.0,
}


class Requirement(_Model):
    id: str  # "r1", "r2", … in JD order
    text: str  # a quote from the JD
    category: RequirementCategory
    priority: Priority
    keywords: list[str] = Field(default_factory=list)  # canonical ATS keywords
    years: float | None = None  # "5+ years of …" → 5
    degree: str | None = None  # "bachelor" | "master" | "phd" | "associate" | "diploma"


class JobDescription(_Model):
    text: str
    title: str | None = None
    company: str | None = None
    requirements: list[Requirement] = Field(default_factory=list)
    language: str | None = None  # ISO 639-1 guess ("en", "de", …)
    source_format: SourceFormat = SourceFormat.TEXT
    source_path: str | None = None
    warnings: list[str] = Field(default_factory=list)
    # Sentences of the JD that look like instructions to a model; kept only as data.
    injection_attempts: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- analysis


class MatchStatus(StrEnum):
    MATCHED = "matched"
    PARTIAL = "partial"
    MISSING = "missing"


class Evidence(_Model):
    requirement_id: str
    item_id: str
    quote: str  # the supporting text, verbatim from the resume item
    strength: float = Field(ge=0.0, le=1.0)


class RequirementMatch(_Model):
    requirement_id: str
    status: MatchStatus
    strength: float = Field(ge=0.0, le=1.0)  # best evidence strength (0 when missing)
    matched_keywords: list[str] = Field(default_factory=list)
    missing_keywords: list[str] = Field(default_factory=list)


class GapReport(_Model):
    score: float = Field(ge=0.0, le=100.0)  # 0–100, weighted by priority, reproducible
    requirements: list[Requirement] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    matches: list[RequirementMatch] = Field(default_factory=list)
    missing_keywords: list[str] = Field(default_factory=list)
    # Keywords: the share of the posting's ATS keywords written verbatim in the resume (analysis/keywords.py)
    keyword_score: float = Field(default=0.0, ge=0.0, le=100.0)
    keywords_matched: list[str] = Field(default_factory=list)
    keywords_missing: list[str] = Field(default_factory=list)

    def match_for(self, requirement_id: str) -> RequirementMatch | None:
        return next((m for m in self.matches if m.requirement_id == requirement_id), None)

    def evidence_for(self, requirement_id: str) -> list[Evidence]:
        return [e for e in self.evidence if e.requirement_id == requirement_id]

    def gaps(self) -> list[Requirement]:
        """Requirements with no evidence: shown to the user as "add only if true", never written."""
        missing = {m.requirement_id for m in self.matches if m.status == MatchStatus.MISSING}
        return [r for r in self.requirements if r.id in missing]


class CustomizationLevel(StrEnum):
    LIGHT = "light"  # terminology + ordering only
    MODERATE = "moderate"  # + bullet rewrites
    EXTENSIVE = "extensive"  # + summary rewrite, restructuring


class PlanStep(_Model):
    section_id: str
    goal: str
    requirement_ids: list[str] = Field(default_factory=list)


class Plan(_Model):
    level: CustomizationLevel = CustomizationLevel.MODERATE
    steps: list[PlanStep] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    source: str = "offline"


class ChangeAction(StrEnum):
    REPLACE = "replace"
    INSERT = "insert"  # a new item after item_id (or first in the section when item_id is None)
    DELETE = "delete"
    REORDER = "reorder"  # `order` holds the section's item ids in their new order


class Verdict(StrEnum):
    SAFE = "safe"
    FLAGGED = "flagged"
    BLOCKED = "blocked"


class ChangeStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Change(_Model):
    id: str
    section_id: str
    item_id: str | None = None
    action: ChangeAction
    before: str = ""
    after: str = ""
    order: list[str] | None = None  # for REORDER
    rationale: str = ""
    requirement_ids: list[str] = Field(default_factory=list)
    evidence_item_ids: list[str] = Field(default_factory=list)
    verdict: Verdict = Verdict.SAFE
    reasons: list[str] = Field(default_factory=list)
    status: ChangeStatus = ChangeStatus.PENDING
    source: str = "offline"  # "offline" or "provider/model"
    proposed: str | None = None  # the run's own text once a person edited `after` (a re-run matches on it)
    history: list[Change] = Field(default_factory=list)  # earlier versions (refined by instruction), oldest first


# --------------------------------------------------------------------------- runs


class TaskStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class Usage(_Model):
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    cached: bool = False
    # Tokens of calls to a model missing from the price table: not in cost_usd, so a cost shown
    # for them would be a false "$0"; they are said as "unknown price" and the cap counts them.
    unpriced_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cost_usd=self.cost_usd + other.cost_usd,
            cached=self.cached and other.cached,
            unpriced_tokens=self.unpriced_tokens + other.unpriced_tokens,
        )

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


class TaskRecord(_Model):
    name: str
    deps: list[str] = Field(default_factory=list)
    status: TaskStatus = TaskStatus.PENDING
    started_at: datetime | None = None
    finished_at: datetime | None = None
    attempts: int = 0
    usage: Usage = Field(default_factory=Usage)
    provider: str | None = None  # "offline", "anthropic/claude-…", …
    fallback: bool = False  # served by a provider later in the chain than the first
    error: str | None = None
    progress: float = 0.0  # 0..1 within the task


class WorkflowState(StrEnum):
    DRAFT = "draft"
    RESUME_UPLOADED = "resume_uploaded"
    JD_PROVIDED = "jd_provided"
    GAP_ANALYZED = "gap_analyzed"
    REWRITE_APPLIED = "rewrite_applied"
    EXPORTED = "exported"
    CANCELLED = "cancelled"


class RunStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    PARTIAL = "partial"
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    CANCELLED = "cancelled"


class Run(_Model):
    id: str
    session_id: str
    status: RunStatus = RunStatus.RUNNING
    level: CustomizationLevel = CustomizationLevel.MODERATE
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    tasks: list[TaskRecord] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
