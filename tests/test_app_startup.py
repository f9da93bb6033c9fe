"""Start-up stays light: the first screen needs neither pydantic nor the session layer.

Guards the time-to-first-paint work (benchmarks/tui.py): an import added at module level
to app.py, the start screen or the stepper would bring pydantic back before the first frame.
(DirectoryTree is not checked: textual.app imports it itself.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from test_tui_support import docs_dir, fixed_clock, settle

from resume_tui.app import ResumeTuiApp

FIRST_SCREEN = """
import sys
import resume_tui.app, resume_tui.screens.start
heavy = sorted(m for m in sys.modules if m.split(".")[0] == "pydantic" or m in (
    "resume_tui.models", "resume_tui.config", "resume_tui.session.flow", "resume_tui.session.store",
    "textual.widgets._data_table", "textual.widgets._text_area", "textual.widgets._tabbed_content"))
print(",".join(heavy))
"""


def test_first_screen_imports_no_pydantic_models_or_heavy_widgets() -> None:
    out = subprocess.run([sys.executable, "-c", FIRST_SCREEN], capture_output=True, text=True, check=True, cwd="/")
    assert out.stdout.strip() == "", f"imported before the first paint: {out.stdout.strip()}"


async def test_session_list_fills_in_after_the_first_frame(tmp_path: Path) -> None:
    app = ResumeTuiApp(start_dir=docs_dir(tmp_path), clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.store is not None, "the store opens right after the first paint"
        assert not app.has_flow, "no session is created just by looking at the start screen"
        assert app.store.list_sessions() == [], "no empty draft is stored on every launch"
        await pilot.press("n")
        await settle(pilot)
        assert app.has_flow and app.store.exists(app.flow.session.id)


async def test_start_up_freezes_the_long_lived_heap(tmp_path) -> None:
    """Start-up's objects are moved out of the collector's reach (heap.py), so a full collection
    later does not walk them while a screen paints."""
    import gc

    from test_tui_support import make_app, settle

    from resume_tui.heap import YOUNG_THRESHOLD

    gc.unfreeze()
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
