"""The run summary in one sentence: which provider served what, and why tasks fell back.

"openai served 6 tasks; 3 fell back to offline: connection refused at http://127.0.0.1:9/v1".
The TUI shows it when a run ends and the CLI prints it to stderr, from the same task records
the store keeps, so the three never disagree. Reasons are the tasks' own (their `error`, in
the provider's words); the same reason is said once with its count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from resume_tui.models import TaskRecord, TaskStatus

MAX_REASONS = 2  # more distinct reasons than this: the rest are counted, each task row has its own


def _who(provider: str | None) -> str:
    return (provider or "offline").split("/", 1)[0]


def short_reason(error: str) -> str:
    """A task's error without the provider label and the breaker's "— later tasks went to …" tail."""
    head, sep, rest = error.partition(": ")
    text = rest if sep and " " not in head else error
    text = text.split(" — later tasks went to ", 1)[0].rstrip(".")
    return "the " + text[4:] if text.startswith("The ") else text  # mid-sentence


def _tasks(n: int) -> str:
    return f"{n} task" if n == 1 else f"{n} tasks"


def served_summary(records: Iterable[TaskRecord]) -> str:
    """One sentence for the end of a run; "" when nothing ran."""
    done = [r for r in records if r.status == TaskStatus.COMPLETED]
    if not done:
        return ""
    first = Counter(_who(r.provider) for r in done if not r.fallback)
    fell = [r for r in done if r.fallback]
    models = [name for name in first if name != "offline"]
    if not models and not fell:
        return "the offline engine served every task" if len(done) > 1 else "the offline engine served the task"
    parts = [f"{name} served {_tasks(first[name])}" for name in models]
    by_dest = Counter(_who(r.provider) for r in fell)
    for dest, count in by_dest.items():
        reasons = Counter(short_reason(r.error) for r in fell if _who(r.provider) == dest and r.error)
        said = [f"{text}" + (f" ({n}×)" if len(reasons) > 1 else "") for text, n in reasons.most_common(MAX_REASONS)]
        more = len(reasons) - len(said)
        why = "; ".join(said) + (f"; and {more} other reason{'s' if more > 1 else ''}" if more > 0 else "")
        target = "offline" if dest == "offline" else dest
        parts.append(f"{count} fell back to {target}" + (f": {why}" if why else ""))
    if first.get("offline"):
        parts.append(f"{_tasks(first['offline'])} ran offline by design")
    return "; ".join(parts)
