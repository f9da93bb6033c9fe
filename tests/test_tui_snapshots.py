"""Snapshots of every screen and modal at 80×24 and 120×40, stored in the top-level snapshots/.

Deterministic: fixed clock, manual pipeline clock (every elapsed time is 0.0s), the
bundled sample documents, animations off, no toasts on screen when the picture is taken.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_textual_snapshot
from test_tui_support import make_app, settle

from resume_tui.models import WorkflowState

# SVG snapshots of every screen at two sizes (seconds each): `pytest -m "not slow"` leaves them out of the inner loop.
pytestmark = pytest.mark.slow

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


class TopLevelSVG(pytest_textual_snapshot.SVGImageExtension):
    """Same SVG extension, but files live in <repo>/snapshots/<test module>/."""

    @classmethod
    def dirname(cls, *, test_location) -> str:
        return str(SNAPSHOTS / test_location.basename)


@pytest.fixture(autouse=True)
def _top_level_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pytest_textual_snapshot, "SVGImageExtension", TopLevelSVG)


async def _quiet(pilot) -> None:
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


def _goto(state: WorkflowState, *, accept_safe: bool = False):
    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(pilot)
        if state != WorkflowState.RESUME_UPLOADED:
            app.show_step(WorkflowState.GAP_ANALYZED if state != WorkflowState.JD_PROVIDED else state)
            await settle(pilot)
            await settle(pilot)
        if accept_safe:
            app.flow.accept_all_safe()
        if state in (WorkflowState.REWRITE_APPLIED, WorkflowState.EXPORTED):
            app.show_step(state)
            await settle(pilot)
        await _quiet(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_start_screen(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_quiet)


@pytest.mark.parametrize("size", SIZES)
def test_resume_screen(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=size, run_before=_goto(WorkflowState.RESUME_UPLOADED))


@pytest.mark.parametrize("size", SIZES)
def test_job_screen(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=size, run_before=_goto(WorkflowState.JD_PROVIDED))


@pytest.mark.parametrize("size", SIZES)
def test_analysis_gap_report(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=size, run_before=_goto(WorkflowState.GAP_ANALYZED))


@pytest.mark.parametrize("size", SIZES)
def test_analysis_tasks(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(
        make_app(tmp_path, demo=True), terminal_size=size, press=["t"], run_before=_goto(WorkflowState.GAP_ANALYZED)
    )


@pytest.mark.parametrize("size", SIZES)
def test_review_screen(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(
        make_app(tmp_path, demo=True), terminal_size=size, run_before=_goto(WorkflowState.REWRITE_APPLIED)
    )


@pytest.mark.parametrize("size", SIZES)
def test_export_screen(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(
        make_app(tmp_path, demo=True), terminal_size=size, run_before=_goto(WorkflowState.EXPORTED, accept_safe=True)
    )


@pytest.mark.parametrize("size", SIZES)
def test_approval_modal(snap_compare, tmp_path: Path, size) -> None:
    async def run_before(pilot) -> None:
        await _goto(WorkflowState.EXPORTED, accept_safe=True)(pilot)
        await pilot.press("ctrl+n")
        await _quiet(pilot)

    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_settings_screen(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=size, press=["f2"], run_before=_quiet)


@pytest.mark.parametrize("size", SIZES)
def test_cost_confirmation_modal(snap_compare, tmp_path: Path, size) -> None:
    """The real question text (cost_question) with a fixed estimate, so price-table or
    prompt changes elsewhere do not move this picture."""
    from resume_tui.config import BudgetSettings, ProviderSettings, Settings
    from resume_tui.models import Usage
    from resume_tui.providers.budget import Estimate
    from resume_tui.screens.analysis import cost_question
    from resume_tui.screens.confirm import ConfirmScreen

    settings = Settings(provider="anthropic", fallback=["openai"], budget=BudgetSettings(max_usd=1.0, max_tokens=200_000),
                        providers={"anthropic": ProviderSettings(api_key="k"), "openai": ProviderSettings(api_key="k")})
    app = make_app(tmp_path, demo=True, offline=False, settings=settings)
    app.flow.usage = Usage(input_tokens=2_400, output_tokens=600, cost_usd=0.012)

    async def run_before(pilot) -> None:
        await _quiet(pilot)
        estimate = Estimate(input_tokens=9_300, output_tokens=3_100, cost_usd=0.041, calls=14)
        pilot.app.push_screen(ConfirmScreen("Run the analysis with a model?", cost_question(pilot.app.flow, estimate), yes="Run"))
        await _quiet(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_review_screen_no_color(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With NO_COLOR the selected change (the second row, after j) must still stand out."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tmp_path, demo=True)
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24), press=["j"], run_before=_goto(WorkflowState.REWRITE_APPLIED))


def _checklist(*, declare: bool = False):
    """The skills checklist over the gap report; with `declare`, two ticked and saved, Review shown."""

    async def run_before(pilot) -> None:
        await _goto(WorkflowState.GAP_ANALYZED)(pilot)
        await pilot.press("k")
        await settle(pilot)
        if not declare:
            await pilot.press("space", "down")  # one ticked ("— I have this"), the cursor on the next
            await settle(pilot)
        if declare:
            await pilot.press("space", "down", "space", "ctrl+s")
            await settle(pilot)
            pilot.app.show_step(WorkflowState.REWRITE_APPLIED)
            await settle(pilot)
        await _quiet(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_skills_checklist(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=size, run_before=_checklist())


@pytest.mark.parametrize("size", SIZES)
def test_review_after_declaring_skills(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=size, run_before=_checklist(declare=True))


# ---------------------------------------------------------------- keys, sessions, narrow terminals (issue 14)

SIZES_WITH_NARROW = [*SIZES, pytest.param((60, 20), id="60x20")]


@pytest.mark.parametrize("size", SIZES_WITH_NARROW)
def test_help_screen(snap_compare, tmp_path: Path, size) -> None:
    """? on Review: every key of the screen (the footer shows only some), then the app's."""

    async def run_before(pilot) -> None:
        await _goto(WorkflowState.REWRITE_APPLIED)(pilot)
        await pilot.press("question_mark")
        await _quiet(pilot)

    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_rename_session_modal(snap_compare, tmp_path: Path, size) -> None:
    from resume_tui.screens.rename import RenameScreen

    async def run_before(pilot) -> None:
        await _quiet(pilot)
        pilot.app.push_screen(RenameScreen("Maya Okafor → Senior Platform Engineer @ Northwind Freight"))
        await _quiet(pilot)

    assert snap_compare(make_app(tmp_path, use_store=False), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_delete_session_modal(snap_compare, tmp_path: Path, size) -> None:
    from resume_tui.screens.confirm import ConfirmScreen
    from resume_tui.screens.start import delete_question

    async def run_before(pilot) -> None:
        await _quiet(pilot)
        question = delete_question("Maya Okafor → Senior Platform Engineer @ Northwind Freight")
        pilot.app.push_screen(ConfirmScreen("Delete this session?", question, yes="Delete", no="Keep"))
        await _quiet(pilot)

    assert snap_compare(make_app(tmp_path, use_store=False), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES_WITH_NARROW)
def test_gap_picker_modal(snap_compare, tmp_path: Path, size) -> None:
    """f on Review: the open gaps, each in full, to pick from."""

    async def run_before(pilot) -> None:
        await _goto(WorkflowState.REWRITE_APPLIED)(pilot)
        await pilot.press("f")
        await _quiet(pilot)

    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=size, run_before=run_before)


def test_review_screen_narrow(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=(60, 20),
                        run_before=_goto(WorkflowState.REWRITE_APPLIED))


def test_analysis_tasks_narrow(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=(60, 20), press=["t"],
                        run_before=_goto(WorkflowState.GAP_ANALYZED))


def test_approval_modal_narrow(snap_compare, tmp_path: Path) -> None:
    async def run_before(pilot) -> None:
        await _goto(WorkflowState.EXPORTED, accept_safe=True)(pilot)
        await pilot.press("ctrl+n")
        await _quiet(pilot)

    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=(60, 20), run_before=run_before)


def test_start_screen_narrow(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=(60, 20), run_before=_quiet)


@pytest.mark.parametrize("size", [*SIZES, pytest.param((60, 20), id="60x20")])
def test_rerun_drop_question(snap_compare, tmp_path: Path, size) -> None:
    """The question a re-run asks before dropping decisions on changes it no longer proposes (the
    real text, from a Merge over the demo's own changes: one accepted, one edited then rejected)."""
    from resume_tui.models import ChangeStatus
    from resume_tui.screens.confirm import ConfirmScreen
    from resume_tui.session.services.rerun import Merge

    async def run_before(pilot) -> None:
        await _goto(WorkflowState.GAP_ANALYZED)(pilot)
        changes = pilot.app.flow.session.changes
        dropped = [changes[0].model_copy(update={"status": ChangeStatus.ACCEPTED}),
                   changes[1].model_copy(update={"status": ChangeStatus.REJECTED, "proposed": changes[1].after,
                                                 "after": changes[1].after + " (edited)"})]
        merged = Merge(list(changes), kept=2, dropped=dropped)
        pilot.app.push_screen(ConfirmScreen(merged.question(), merged.detail(), yes="Continue", no="Keep review"))
        await _quiet(pilot)

    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=size, run_before=run_before)


# ---------------------------------------------------------------- fallbacks explained, settings that persist (issue 14)


def test_settings_screen_narrow(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=(60, 20), press=["f2"], run_before=_quiet)


@pytest.mark.parametrize("size", SIZES_WITH_NARROW)
def test_settings_provider_not_set_up(snap_compare, tmp_path: Path, size) -> None:
    """openai chosen with no key in the environment: the screen says so before any run."""
    from resume_tui.config import ProviderSettings, Settings

    settings = Settings(provider="openai", providers={"openai": ProviderSettings(model="gpt-4o-mini")})
    app = make_app(tmp_path, demo=True, offline=False, settings=settings)
    assert snap_compare(app, terminal_size=size, press=["f2"], run_before=_quiet)


class _Refused:
    """openai after its server went away: every call fails at once with the breaker's reason."""

    name, model = "openai", "gpt-4o-mini"

    async def complete(self, request):
        from resume_tui.providers.base import ErrorKind, ProviderError

        raise ProviderError(ErrorKind.API_ERROR, "openai: connection refused at http://127.0.0.1:9/v1 — later tasks "
                            "went to the offline engine", "openai", unreachable="refused", unhealthy=True)

    async def aclose(self) -> None:
        return None


@pytest.mark.parametrize("size", SIZES_WITH_NARROW)
def test_analysis_fallback_reason(snap_compare, tmp_path: Path, size) -> None:
    """The Tasks tab after a run whose analyze tasks fell back: each such row says why, under it."""
    from test_pipeline_fakes import FakeRouter, ScriptedProvider

    from resume_tui.config import ProviderSettings, Settings

    settings = Settings(provider="openai", providers={"openai": ProviderSettings(api_key="k", model="gpt-4o-mini")})
    app = make_app(tmp_path, demo=True, offline=False, settings=settings)
    router = FakeRouter(ScriptedProvider(name="openai", model="gpt-4o-mini"), per_task={"analyze_": [_Refused()]})
    app.flow.router = lambda: router  # type: ignore[method-assign]

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.show_step(WorkflowState.GAP_ANALYZED)
        await settle(pilot)
        await pilot.press("y")  # the cost question of a paid run
        await settle(pilot)
        await settle(pilot)
        await pilot.press("t")
        await _quiet(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
