"""Pilot tests of the Job screen's link field: fetched in a worker with a busy state, stored with
the session (not fetched again), refused offline; a posting with no requirement cannot go on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.posting_server import PostingServer, Route
from posting_pages import plain_page
from test_tui_support import make_app, settle
from textual.widgets import Input, TextArea

from resume_tui.models import WorkflowState


@pytest.fixture
def web() -> Iterator[PostingServer]:
    with PostingServer() as srv:
        srv.routes["/jobs/plain"] = Route(body=plain_page(), delay_s=0.4)
        yield srv


def screen_name(app) -> str:
    return type(app.screen).__name__


async def to_job_screen(pilot) -> None:
    app = pilot.app
    await pilot.press("n")
    await settle(pilot)
    field = app.screen.query_one("#path", Input)
    field.value = str(app.start_dir / "resume.md")
    field.focus()
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert screen_name(app) == "JobScreen"


async def test_link_is_fetched_in_a_worker_and_stored_with_the_session(tmp_path: Path, web: PostingServer) -> None:
    app = make_app(tmp_path)
    url = web.url("/jobs/plain")
    async with app.run_test(size=(120, 40)) as pilot:
        await to_job_screen(pilot)
        field = app.screen.query_one("#jd-url", Input)
        field.value = url
        field.focus()
        await pilot.press("enter")
        for _ in range(30):  # the page takes 0.4 s; wait for the worker to start, not a fixed time
            if field.loading:
                break
            await pilot.pause(0.01)
        assert field.loading and field.disabled, "the link field shows it is busy while the page is fetched"
        await settle(pilot)
        assert not field.loading and not field.disabled
        text = app.screen.query_one("#jd", TextArea).text
        assert "Apache Airflow" in text and "Privacy policy" not in text
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen_name(app) == "AnalysisScreen"
        job = app.flow.session.job
        assert job is not None and job.source_path == url and job.title == "Data Engineer"
        assert job.company == "Fjord Analytics"
        assert app.flow.session.settings.posting["url"] == url
        assert web.requests == ["/jobs/plain"]

        await pilot.press("escape")
        await settle(pilot)
        assert screen_name(app) == "JobScreen"
        field = app.screen.query_one("#jd-url", Input)
        assert field.value == url  # the link the job came from is shown again
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert web.requests == ["/jobs/plain"], "a page the session already fetched is not fetched again"
        assert "Apache Airflow" in app.screen.query_one("#jd", TextArea).text


async def test_link_refused_in_offline_mode(tmp_path: Path, web: PostingServer) -> None:
    app = make_app(tmp_path, offline=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_job_screen(pilot)
        field = app.screen.query_one("#jd-url", Input)
        field.value = web.url("/jobs/plain")
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("Offline mode sends nothing over the network" in m for m in messages), messages
        assert web.requests == [] and app.screen.query_one("#jd", TextArea).text == ""


async def test_posting_with_no_requirement_cannot_go_on(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_job_screen(pilot)
        app.screen.query_one("#jd", TextArea).load_text("Great team player")
        await settle(pilot)
        await pilot.pause(0.4)  # the preview is debounced
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen_name(app) == "JobScreen"
        assert app.flow.state == WorkflowState.RESUME_UPLOADED
        messages = [n.message for n in app._notifications]
        assert any("too short to analyse" in m for m in messages), messages
        warnings = app.screen.query_one("#jd-warnings .warnings-text")  # the panel wraps a Static
        assert "too short to analyse" in str(warnings.render())


async def test_pasted_front_matter_posting_is_read_from_its_values(tmp_path: Path) -> None:
    from posting_pages import FRONT_MATTER

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_job_screen(pilot)
        app.screen.query_one("#jd", TextArea).load_text(FRONT_MATTER)
        await pilot.pause(0.4)  # the preview is debounced
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen_name(app) == "AnalysisScreen"
        job = app.flow.session.job
        assert job is not None and job.title == "Site Reliability Engineer" and job.company == "Northwind Cloud"
        assert any("Terraform" in r.text for r in job.requirements)


async def test_saved_web_page_loads_from_the_file_field(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    page = app.start_dir / "posting.html"
    page.write_text(plain_page(), encoding="utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        await to_job_screen(pilot)
        field = app.screen.query_one("#jd-path", Input)
        field.value = str(page)
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        text = app.screen.query_one("#jd", TextArea).text
        assert "- Familiarity with dbt" in text and "Privacy policy" not in text
        await pilot.press("ctrl+n")
        await settle(pilot)
        job = app.flow.session.job
        assert job is not None and job.title == "Data Engineer" and job.source_path == str(page)
        assert app.flow.session.settings.posting is None  # only a fetched link has a record to reuse
