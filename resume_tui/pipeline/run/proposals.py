"""change_proposed events: provisional as each customize task finishes, settled at the end.

The run's final list is authoritative: assemble_validate re-guards every change in
whole-resume context, so `settle` re-emits any change whose verdict or text it altered and
withdraws any provisional change that is not in the final list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from resume_tui.models import Change
from resume_tui.pipeline.events import EventBus, EventType


class ChangeProposals:
    """The changes emitted so far in one run, by id, as last emitted."""

    def __init__(self, bus: EventBus) -> None:
        self.bus = bus
        self._proposed: dict[str, dict[str, Any]] = {}

    def live(self, task_name: str, value: Any) -> None:
        """`change_proposed` (`provisional: true`, the per-section guard's verdict) for a
        customize task's changes the moment it completes."""
        if not task_name.startswith("customize_") or not isinstance(value, list):
            return
        for change in value:
            if isinstance(change, Change):
                data = change.model_dump(mode="json")
                self._proposed[change.id] = data
                self.bus.emit(EventType.CHANGE_PROPOSED, change=data, provisional=True, task=task_name)

    def settle(self, changes: Sequence[Change]) -> None:
        """Settle the proposed changes: a change not yet emitted, or emitted with another
        verdict/text, is (re-)emitted with `provisional: false`; a provisional change that is
        not in the final list (the offline tier replaced the model's) is withdrawn with
        `change_rejected` by "pipeline". After this, the last `change_proposed` per change id
        is its final form, and run_completed's `change_ids` lists the final set in order."""
        final_ids = set()
        for change in changes:
            final_ids.add(change.id)
            data = change.model_dump(mode="json")
            if self._proposed.get(change.id) != data:
                self._proposed[change.id] = data
                self.bus.emit(EventType.CHANGE_PROPOSED, change=data, provisional=False)
        for change_id in [i for i in self._proposed if i not in final_ids]:
            del self._proposed[change_id]
            self.bus.emit(EventType.CHANGE_REJECTED, change_id=change_id, who="pipeline", reason="superseded by the final result")
