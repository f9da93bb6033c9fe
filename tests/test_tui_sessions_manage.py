"""Sessions can be renamed and deleted from the start screen (delete asks first), and demo
sessions are marked as such and do not pile up: only the newest is kept (issue 14, item 5)."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import make_app, settle
from textual.widgets import Input, OptionList

from resume_tui.session.housekeeping import demo_ids
from resume_tui.session.store import Store


def rows(app) -> dict[str, str]:
    options = app.screen.query_one("#sessions", OptionList)
    shown = {}
    for index in range(options.option_count):
        option = options.get_option_at_index(index)
        if option.id and not option.id.startswith("__"):
            shown[option.id] = str(option.prompt)
    return shown


async def highlight(pilot, session_id: str) -> None:
    options = pilot.app.screen.query_one("#sessions", OptionList)
    options.highlighted = options.get_option_index(session_id)
    await pilot.pause()


async def demo_then_back(pilot) -> str:
    """From the start screen: d opens a demo, Esc comes back; returns the demo's id."""
    app = pilot.app
    await pilot.press("d")
    await settle(pilot)
    sid = app.flow.session.id
    await pilot.press("escape")
    await settle(pilot)
    await settle(pilot)
    assert type(app.screen).__name__ == "StartScreen"
    return sid


def store_at(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "data" / "resume-tui.sqlite3")


async def test_demo_sessions_are_marked_and_only_the_newest_is_kept(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = await demo_then_back(pilot)
        assert "demo ·" in rows(app)[first]
        second = await demo_then_back(pilot)
        assert second != first
        assert list(rows(app)) == [second], "the older demo was pruned; the newest is kept"
        assert "demo ·" in rows(app)[second]
    with store_at(tmp_path) as store:
        assert demo_ids(store) == {second}
        assert [s.id for s in store.list_sessions() if s.state.value != "draft"] == [second]


async def test_rename_a_session_from_the_start_screen(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        sid = await demo_then_back(pilot)
        await highlight(pilot, sid)
        await pilot.press("r")
        await settle(pilot)
        assert type(app.screen).__name__ == "RenameScreen"
        field = app.screen.query_one("#name", Input)
        assert field.has_focus and field.value  # the current name, selected: typing replaces it
        await pilot.press(*"Acme platform role")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "StartScreen"
        assert "Acme platform role" in rows(app)[sid]
        # Esc keeps the name; an empty name is refused with one sentence
        await highlight(pilot, sid)
        await pilot.press("r")
        await settle(pilot)
        app.screen.query_one("#name", Input).value = "   "
        await pilot.press("enter")
        await settle(pilot)
        assert "cannot be empty" in list(app._notifications)[-1].message
        # the open session saves again later: the name must survive it
        app.flow.session.settings.origin = "touched"
        app.flow._persist()
        await settle(pilot)
    with store_at(tmp_path) as store:
        assert store.list_sessions()[0].title == "Acme platform role"


async def test_delete_asks_first_and_then_removes_the_session(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        sid = await demo_then_back(pilot)  # still open (and locked) in this window
        await highlight(pilot, sid)
        await pilot.press("x")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmScreen"
        assert app.screen.query_one("#no").has_focus, "the safe answer is the default"
        await pilot.press("n")
        await settle(pilot)
        assert sid in rows(app), "No keeps it"
        await highlight(pilot, sid)
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        assert rows(app) == {}
        assert "deleted" in list(app._notifications)[-1].message
        # the window starts afresh: a new session works
        await pilot.press("n")
        await settle(pilot)
        assert app.flow.session.id != sid
    with store_at(tmp_path) as store:
        assert not store.exists(sid)


async def test_rename_and_delete_need_a_saved_session_highlighted(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("r", "x"):
            await pilot.press(key)
            await settle(pilot)
            assert type(app.screen).__name__ == "StartScreen"
            assert "Highlight a saved session" in list(app._notifications)[-1].message
