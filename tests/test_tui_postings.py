"""The Postings board: reachable from the start screen (p), ranked rows with bars and tracker states,
sort / filter / mark, Enter opens the posting's session and going back from its first step returns to
the board. Snapshots at 80×24 and 120×40 (in snapshots/test_tui_postings/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import pytest_textual_snapshot
from test_tui_support import make_app, settle
from textual.widgets import DataTable

from resume_tui import cli

pytestmark = pytest.mark.slow

DATA = Path(__file__).resolve().parents[1] / "resume_tui" / "data"
RESUME = DATA / "sample_resume.md"
SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

NURSE = "# ICU Nurse — Mercy Hospital\n\n## Requirements\n- Active RN license and BLS certification.\n" \
        "- 2+ years of ICU nursing experience.\n- Experience with Epic charting.\n"
DATA_JD = "# Data Analyst — Contoso\n\n## Requirements\n- Advanced SQL and Tableau dashboards.\n" \
          "- Python (pandas) for analysis and Kubernetes basics.\n- Statistics and A/B testing.\n"


class TopLevelSVG(pytest_textual_snapshot.SVGImageExtension):
    @classmethod
    def dirname(cls, *, test_location) -> str:
        return str(SNAPSHOTS / test_location.basename)


@pytest.fixture(autouse=True)
def _top_level_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pytest_textual_snapshot, "SVGImageExtension", TopLevelSVG)


def seed_batch(tmp_path: Path, capsys) -> dict:
    """A batch of three postings (the best one tailored), with fixed dates so pictures do not move."""
    folder = tmp_path / "postings"
    folder.mkdir()
    (folder / "platform.md").write_text((DATA / "sample_jd.md").read_text())
    (folder / "nurse.md").write_text(NURSE)
    (folder / "data.md").write_text(DATA_JD)
    code = cli.main(["batch", str(RESUME), str(folder), "-o", str(tmp_path / "out"), "--top", "1", "--format", "md",
                     "--yes", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    from resume_tui.session.store import Store

    with Store.open(tmp_path / "data" / "resume-tui.sqlite3") as store:
        for n, posting in enumerate(doc["postings"]):
            with store.db.tx() as conn:
                conn.execute("UPDATE sessions SET updated_at = ? WHERE id = ?",
                             (f"2026-01-1{n + 1}T09:00:00+00:00", posting["session_id"]))
    return doc


@pytest.fixture
def seeded(tmp_path: Path, capsys) -> dict:
    return seed_batch(tmp_path, capsys)  # a sync fixture: the CLI runs its own event loop


def table_rows(app) -> list[tuple[str, ...]]:
    table = app.screen.query_one("#postings-table", DataTable)
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def open_board(pilot) -> None:
    await settle(pilot)
    await pilot.press("p")
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


async def test_board_then_session_then_back(tmp_path: Path, seeded: dict) -> None:
    doc = seeded
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(pilot)
        assert type(app.screen).__name__ == "PostingsScreen"
        rows = table_rows(app)
        assert [r[4] for r in rows][0] == "Senior Platform Engineer" and len(rows) == 3
        assert rows[0][3] == "exported" and rows[1][3] == "analysed" and "maya-okafor-tailored.md" in rows[0][7]
        assert "█" in rows[0][1]

        await pilot.press("j", "i")  # the second posting: an interview
        await settle(pilot)
        assert table_rows(app)[1][3] == "interview"
        await pilot.press("f")  # only "analysed"
        await settle(pilot)
        assert [r[3] for r in table_rows(app)] == ["analysed"]
        await pilot.press(*["f"] * (8 - 1))  # back round to all
        await settle(pilot)
        await pilot.press("s")  # by keywords
        await settle(pilot)
        assert len(table_rows(app)) == 3

        await pilot.press("s", "s", "s", "s")  # round to fit again
        await pilot.press("home", "enter")
        await settle(pilot)
        assert app.flow.session.id == doc["postings"][0]["session_id"]
        assert type(app.screen).__name__ != "PostingsScreen"
        for _ in range(6):  # back, step by step, past the first step
            if type(app.screen).__name__ == "PostingsScreen":
                break
            await pilot.press("escape")
            await settle(pilot)
        assert type(app.screen).__name__ == "PostingsScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "StartScreen"


@pytest.mark.parametrize("size", SIZES)
def test_postings_board(snap_compare, tmp_path: Path, size, seeded: dict) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=open_board)


# ------------------------------------------------------------------ provider batches waiting

def seed_waiting(tmp_path: Path) -> None:
    """Two provider batches a `batch` run left waiting (fixed ids and times, so pictures do not move)."""
    from resume_tui.session.repos.batches import BatchItemRow
    from resume_tui.session.store import Store

    with Store.open(tmp_path / "data" / "resume-tui.sqlite3") as store:
        job = store.batches.create_job({}, job_id="b20260112a")
        for provider, n, remote in (("anthropic", 4, "msgbatch_1"), ("openai", 2, None)):
            items = [BatchItemRow(f"{provider}{i:062d}", f"{provider}{i:062d}", "extract_requirements",
                                  "resume_tui.pipeline.schemas:RequirementsOut") for i in range(n)]
            local = store.batches.record(job, provider, provider, "claude-x" if provider == "anthropic" else "gpt-x",
                                         items, request_key=f"key-{provider}")
            if remote:
                store.batches.submitted(local, remote)
            with store.db.tx() as conn:
                conn.execute("UPDATE provider_batches SET created_at = ? WHERE id = ?",
                             ("2026-01-12T08:30:00+00:00" if remote else "2026-01-12T08:41:00+00:00", local))


@pytest.mark.parametrize("size", SIZES)
def test_postings_board_with_batches_waiting(snap_compare, tmp_path: Path, size, seeded: dict) -> None:
    seed_waiting(tmp_path)
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=open_board)


async def test_start_screen_says_batches_are_waiting(tmp_path: Path, seeded: dict) -> None:
    from textual.widgets import Static

    seed_waiting(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        line = app.screen.query_one("#batches-waiting", Static)
        assert line.has_class("-shown") and "2 provider batches waiting (6 requests)" in str(line.render())


@pytest.fixture
def waiting_job(tmp_path: Path, isolated_env: Path, monkeypatch, capsys):
    """`resume-tui batch` against the loopback provider, which takes its time: it leaves one provider batch
    waiting (a sync fixture: the CLI runs its own event loop)."""
    from fakes.batch_server import BatchState, FakeBatchServer
    from test_batch_api_cli import POSTINGS, _model, configure

    folder = tmp_path / "postings"
    folder.mkdir()
    for name, body in POSTINGS.items():
        (folder / f"{name}.md").write_text(body)
    with FakeBatchServer(BatchState(answer=_model, polls_to_finish=10**6)) as fake:
        configure(isolated_env, monkeypatch, fake, "anthropic")
        config = isolated_env / "config" / "config.toml"
        config.write_text(config.read_text().replace("wait_s = 30", "wait_s = 0.2"), encoding="utf-8")
        code = cli.main(["batch", str(RESUME), str(folder), "-o", str(tmp_path / "out"), "--top", "3", "--format",
                         "md", "--yes", "--json"])
        out, err = capsys.readouterr()
        assert code == 0 and "still running" in err, err
        yield fake, json.loads(out)["batch_id"]


async def test_board_collects_waiting_batches_like_batch_resume(tmp_path: Path, waiting_job, capsys) -> None:
    """The board lists the waiting batch, `b` collects it in a worker (busy meanwhile), the answers land
    where `batch --resume` finds them: it then finishes the job without sending any request again, and
    the board shows its postings."""
    import asyncio

    from test_batch_api_cli import interactive_extracts

    from resume_tui.config import load_settings
    from resume_tui.session.store import open_store

    fake, job_id = waiting_job
    [remote] = fake.state.batches.values()
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(pilot)
        panel = app.screen.query_one("#postings-batches")
        text = str(panel.render())
        assert f"1 provider batch waiting (job {job_id})" in text and "anthropic/m · 4 requests" in text
        assert "running" in text and not table_rows(app)  # no posting is a session yet
        from resume_tui.screens.help import key_rows

        assert any(r.keys == "b" and r.description == "Collect batches" for r in key_rows(app.screen))  # in `?`

        fake.state.polls_to_finish = 0  # the provider has finished
        busy: list[tuple[bool, bool]] = []
        app.screen.watch(app.screen, "collecting", lambda on: busy.append((on, panel.has_class("-busy"))), init=False)
        await pilot.press("b")
        await settle(pilot)
        assert busy == [(True, True), (False, False)]  # busy while the worker ran, then not
        notes = [n.message for n in app._notifications]
        assert any("4 answers collected" in n for n in notes), notes
        text = str(panel.render())
        assert f"`resume-tui batch --resume {job_id}`" in text and "waiting" not in text

        with open_store(load_settings()) as store:
            [stored] = store.batches.batches(job_id)
            assert stored.state == "ended" and {i.state for i in stored.items} == {"done"}
        assert len(fake.state.batches) == 1
        assert ("GET", f"/v1/messages/batches/{remote.id}/results") in fake.state.requests

        # `batch --resume` finishes the job from what the board collected: nothing is sent again
        code = await asyncio.to_thread(cli.main, ["batch", "--resume", job_id, "--yes", "--json"])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert len(fake.state.batches) == 1 and interactive_extracts(fake) == 0
        app.screen.load()
        await settle(pilot)
        assert len(table_rows(app)) == 3 and not app.screen.query_one("#postings-batches").has_class("-shown")

        assert "b" not in app.screen.active_bindings  # nothing left to collect: the key leaves the footer and `?`


async def test_collect_without_a_provider_key_says_so_in_one_sentence(tmp_path: Path, seeded: dict) -> None:
    """No key configured any more: each batch is left waiting and the reason is one sentence, never a traceback."""
    seed_waiting(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_board(pilot)
        await pilot.press("b")
        await settle(pilot)
        notes = [str(n.message) for n in app._notifications]
        assert "0 answers collected; 2 batches still waiting." in notes, notes
        assert any("No Anthropic API key is set" in n for n in notes) and any("No OpenAI API key" in n for n in notes)
        assert not any("Traceback" in n or "went wrong" in n for n in notes)
        assert "2 provider batches waiting" in str(app.screen.query_one("#postings-batches").render())
