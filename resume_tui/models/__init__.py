"""The one domain model shared by every layer (documents → analysis → pipeline → UI).

Plain pydantic v2 models, no behaviour beyond small derived helpers, so that the same
objects can be persisted, sent to a model as a JSON schema, and rendered by the TUI.
`domain` holds the resume, posting, analysis and run models; `session` the session
document and its typed settings. Import them from here.
"""

from resume_tui.models.domain import (
    PRIORITY_WEIGHT,
    Change,
    ChangeAction,
    ChangeStatus,
    Contact,
    CustomizationLevel,
    Entry,
    Evidence,
    GapReport,
    Item,
    ItemKind,
    JobDescription,
    MatchStatus,
    Origin,
    Plan,
    PlanStep,
    Priority,
    Requirement,
    RequirementCategory,
    RequirementMatch,
    Resume,
    Run,
    RunStatus,
    Section,
    SectionKind,
    SourceFormat,
    TaskRecord,
    TaskStatus,
    TextSpan,
    Usage,
    Verdict,
    WorkflowState,
    utcnow,
)
from resume_tui.models.session import Session, SessionSettings, UserFact

__all__ = [
    "PRIORITY_WEIGHT", "Change", "ChangeAction", "ChangeStatus", "Contact", "CustomizationLevel", "Entry", "Evidence",
    "GapReport", "Item", "ItemKind", "JobDescription", "MatchStatus", "Origin", "Plan", "PlanStep", "Priority",
    "Requirement", "RequirementCategory", "RequirementMatch", "Resume", "Run", "RunStatus", "Section", "SectionKind",
    "Session", "SessionSettings", "SourceFormat", "TaskRecord", "TaskStatus", "TextSpan", "Usage", "UserFact", "Verdict",
    "WorkflowState", "utcnow",
]
