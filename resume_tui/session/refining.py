"""The Flow's refine-by-instruction calls (a mixin, so the Flow module stays one screenful per concept).

A refinement replaces a proposal only after the guard re-checked it, and keeps the version it
replaced in the change's history, so `undo_refine` puts back exactly what was there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from resume_tui.models import Change, Session, Usage

if TYPE_CHECKING:
    from resume_tui.config import Settings
    from resume_tui.pipeline.refine import Refined


def spend(session: Session, usage: Usage) -> None:
    """Add a model call's usage to what the session spent (the budget caps count it, as for runs)."""
    if usage.total_tokens or usage.cost_usd:
        session.settings.spent = session.settings.spent + usage


@asynccontextmanager
async def opened(router: Any) -> AsyncIterator[Any]:
    """The session's provider chain for one model call (None offline), closed however the call ends."""
    try:
        yield router
    finally:
        if router is not None:
            await router.aclose()


class RefineSteps:
    session: Session
    settings: Settings
    router: Callable[[], Any]
    _decided: Callable[[], None]

    @property
    def user_facts(self) -> list[str]:  # provided by Flow
        raise NotImplementedError

    async def refine(self, change_id: str, instruction: str) -> Refined:
        """Rewrite one change by instruction (by rule, else by the session's model); the new version
        replaces the proposal only when the guard lets it and it did what was asked."""
        from resume_tui.pipeline.refine import refine_change

        session = self.session
        assert session.resume is not None
        change = self._find(change_id)
        async with opened(self.router()) as router:
            outcome = await refine_change(change, instruction, session.resume, session.job, facts=self.user_facts,
                                          router=router, settings=self.settings)
        spend(session, outcome.usage)
        if outcome.change is not None:
            self._replace(change, outcome.change)
        return outcome

    def undo_refine(self, change_id: str) -> Change | None:
        """Back to the version before the last refinement, exactly; None when it was never refined."""
        from resume_tui.analysis.refine import undo

        change = self._find(change_id)
        previous = undo(change)
        if previous is not None:
            self._replace(change, previous)
        return previous

    def _find(self, change_id: str) -> Change:
        return next(c for c in self.session.changes if c.id == change_id)

    def _replace(self, old: Change, new: Change) -> None:
        changes = self.session.changes
        changes[changes.index(old)] = new
        self._decided()
