"""The crash window of a provider-batch submission: the provider has accepted the batch, we die before
saving its id. The intent ("submitting", the key of the request set, each request) is in SQLite
first; on collect the provider is asked for its recent batches and the match is adopted — nothing
is sent twice. When the provider has no such batch, the stored requests are sent, and we say so.

In-process (a simulated crash right after create, or right after the intent is recorded) for the
three SDKs against the loopback fake, and for real: `resume-tui batch` SIGKILLed by the fake
server the moment its create arrives, then `batch --resume`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fakes.batch_server import BatchState, FakeBatchServer
from test_batch_api_cli import RESUME, _model, configure, interactive_extracts, postings, run_cli  # noqa: F401

from resume_tui.pipeline.schemas import RequirementsOut
from resume_tui.providers.base import LLMRequest, Message
from resume_tui.providers.cache import ResponseCache, cache_key
from resume_tui.providers.prices import PriceTable
from resume_tui.session.repos.batches import BatchItemRow
from resume_tui.session.services import batch_api, batch_pending
from resume_tui.session.services.batch_reconcile import encode_request

FAMILIES = ["anthropic", "openai", "gemini"]
ANSWER = '{"title": "t", "company": "c", "requirements": []}'


class Crash(BaseException):
    """The process dies here (nothing after it runs)."""


async def submit_and_crash(store, cfg, job: str, groups, *, after: str) -> None:
    """`batch_api.submit`, dying right after `after` ("record": the intent saved, create never sent;
    "create": the provider accepted the batch, its id never saved)."""
    repo = store.batches
    if after == "record":
        def record_then_crash(*args, **kwargs):
            type(repo).record(repo, *args, **kwargs)
            raise Crash

        repo.record = record_then_crash
    else:
        def crash(*args, **kwargs):
            raise Crash

        repo.submitted = crash
    try:
        with pytest.raises(Crash):
            await batch_api.submit(store, cfg, job, groups)
    finally:
        vars(repo).pop("record", None)
        vars(repo).pop("submitted", None)


def group(family: str, salt: str = "", n: int = 3) -> batch_api.Group:
    g = batch_api.Group(provider=family, family=family, model="m", price_name=family)
    for i in range(n):
        req = LLMRequest(task=f"extract_{i}", messages=(Message("user", f"posting {salt}{i}"),), schema=RequirementsOut,
                         max_output_tokens=100)
        key = cache_key(family, "m", req)
        g.items.append((BatchItemRow(key[:64], key, req.task, batch_api._schema_name(RequirementsOut),
                                     request=encode_request(req)), req))
    return g


@pytest.fixture
def fake():
    with FakeBatchServer(BatchState(answer=lambda params: ANSWER)) as srv:
        yield srv


@pytest.fixture
def env(isolated_env: Path, monkeypatch, fake):
    def setup(family: str):
        from resume_tui.config import load_settings
        from resume_tui.session.store import open_store

        configure(isolated_env, monkeypatch, fake, family)
        cfg = load_settings()
        store = open_store(cfg)
        return cfg, store, ResponseCache(store.path), PriceTable(None)

    return setup


async def collect(store, cfg, cache, prices, job: str) -> batch_api.Collected:
    return await batch_api.collect(store, cfg, cache, prices, job, wait_s=0.0, poll_s=0.0)


@pytest.mark.parametrize("family", FAMILIES)
async def test_crash_after_create_is_reconciled_not_resent(family, env, fake) -> None:
    cfg, store, cache, prices = env(family)
    job = store.batches.create_job({})
    g = group(family)

    await submit_and_crash(store, cfg, job, [g], after="create")  # the provider answered; we never saved its id
    [row] = store.batches.batches(job)
    assert row.state == "submitting" and row.remote_id is None and len(fake.state.batches) == 1
    assert store.batches.pending_keys() == {r.cache_key for r, _ in g.items}  # a new plan would not send them again

    got = await collect(store, cfg, cache, prices, job)
    [remote] = fake.state.batches.values()
    assert len(fake.state.batches) == 1, "the requests were sent a second time"
    assert any("nothing was sent again" in n for n in got.notes), got.notes
    [row] = store.batches.batches(job)
    assert row.remote_id is not None and row.remote_id.split("/")[-1] == remote.id
    while got.pending:
        got = await collect(store, cfg, cache, prices, job)
    assert got.done == 3 and all(cache.get(r.cache_key, RequirementsOut) for r, _ in g.items)
    store.close()
    cache.close()


@pytest.mark.parametrize("family", FAMILIES)
async def test_crash_before_create_resends_and_says_so(family, env, fake) -> None:
    cfg, store, cache, prices = env(family)
    job = store.batches.create_job({})
    g = group(family)
    await submit_and_crash(store, cfg, job, [g], after="record")  # the intent is saved; create never sent
    assert not fake.state.batches

    got = await collect(store, cfg, cache, prices, job)
    assert len(fake.state.batches) == 1
    assert any("never reached the provider, so it was sent again" in n for n in got.notes), got.notes
    [sent] = fake.state.batches.values()
    assert sorted(cid for cid, _ in sent.items) == sorted(r.custom_id for r, _ in g.items)
    while got.pending:
        got = await collect(store, cfg, cache, prices, job)
    assert got.done == 3
    # a second collect has nothing left to reconcile: still one batch
    await collect(store, cfg, cache, prices, job)
    assert len(fake.state.batches) == 1
    store.close()
    cache.close()


async def test_anthropic_does_not_adopt_an_ended_batch_with_other_requests(env, fake) -> None:
    """Same size, same minute, but its results carry other custom ids: not ours, so ours is sent."""
    from resume_tui.providers.batch_api import BatchItem

    cfg, store, cache, prices = env("anthropic")
    other = group("anthropic", salt="someone else's ")
    client = batch_api._client(cfg, "anthropic", "anthropic", "m")
    stranger = await client.submit([BatchItem(r.custom_id, req) for r, req in other.items])
    while not (await client.poll(stranger)).final:
        pass
    await client.aclose()

    job = store.batches.create_job({})
    g = group("anthropic")
    await submit_and_crash(store, cfg, job, [g], after="record")  # the intent is saved; create never sent
    got = await collect(store, cfg, cache, prices, job)
    assert len(fake.state.batches) == 2 and any("sent again" in n for n in got.notes)
    [row] = store.batches.batches(job)
    assert row.remote_id != stranger
    store.close()
    cache.close()


async def test_a_job_another_process_is_working_on_is_left_alone(env, fake) -> None:
    cfg, store, cache, prices = env("openai")
    job = store.batches.create_job({})
    await submit_and_crash(store, cfg, job, [group("openai")], after="record")  # the intent is saved; create never sent
    holder = batch_pending.job_lock(store, job)
    assert holder.try_acquire()  # as if a `resume-tui batch` were still submitting this job
    try:
        outcome = await batch_pending.collect_open(store, cfg)
    finally:
        holder.release()
    assert outcome.busy == [job] and not fake.state.batches and "left to the `resume-tui batch`" in outcome.sentence()
    outcome = await batch_pending.collect_open(store, cfg)
    assert not outcome.busy and len(fake.state.batches) == 1
    store.close()
    cache.close()


@pytest.mark.slow
@pytest.mark.parametrize(("family", "dropped"), [*[(f, False) for f in FAMILIES], ("anthropic", True)])
@pytest.mark.e2e
def test_kill_9_between_create_and_save_then_resume(family, dropped, tmp_path, isolated_env, monkeypatch,
                                                    postings, capsys) -> None:  # noqa: F811
    """dropped: the kill came before the create reached the provider — then `--resume` sends it, and says so."""
    with FakeBatchServer(BatchState(answer=_model)) as fake:
        configure(isolated_env, monkeypatch, fake, family)
        fake.state.polls_to_finish = 0
        fake.state.drop_create = dropped
        proc = subprocess.Popen([sys.executable, "-m", "resume_tui", "batch", str(RESUME), *map(str, postings), "-o",
                                 str(tmp_path / "out"), "--top", "3", "--format", "md", "--yes", "--json"],
                                env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        fake.state.kill_on_create = proc.pid  # the server accepts the create, then kills the client before answering
        try:
            proc.wait(timeout=90)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == -9, proc.stderr.read().decode() if proc.stderr else ""
        assert len(fake.state.batches) == (0 if dropped else 1) and not (tmp_path / "out").exists()

        from resume_tui.config import load_settings
        from resume_tui.session.store import open_store

        with open_store(load_settings()) as store:
            [row] = store.batches.batches()
            assert row.state == "submitting" and row.remote_id is None and row.request_key

        code, doc, err = run_cli(capsys, "batch", "--resume", "--yes", "--json")
        assert code == 0, err
        assert len(fake.state.batches) == 1, err  # sent once in all: never twice
        assert ("never reached the provider, so it was sent again" if dropped else "nothing was sent again") in err
        assert interactive_extracts(fake) == 0  # every posting's reading came from the one batch
        assert doc["counts"]["tailored"] == 3 and (tmp_path / "out" / "report.json").exists()


async def test_a_provider_that_cannot_be_asked_leaves_the_intent_for_next_time(env, fake) -> None:
    """Asking fails (the provider is unreachable): nothing is resent on a guess; the row waits for the next collect."""
    cfg, store, cache, prices = env("openai")
    job = store.batches.create_job({})
    await submit_and_crash(store, cfg, job, [group("openai")], after="create")
    dead = cfg.model_copy(update={"providers": {"openai": cfg.providers["openai"].model_copy(update={
        "base_url": "http://127.0.0.1:9/v1"})}})
    got = await collect(store, dead, cache, prices, job)
    assert any("could not check an interrupted batch submission" in n for n in got.notes), got.notes
    [row] = store.batches.batches(job)
    assert row.state == "submitting" and len(fake.state.batches) == 1 and got.pending == 1
    got = await collect(store, cfg, cache, prices, job)  # reachable again: adopted, not resent
    assert len(fake.state.batches) == 1 and store.batches.batches(job)[0].remote_id is not None
    store.close()
    cache.close()


def test_a_version_1_database_gains_the_new_columns(tmp_path: Path) -> None:
    import sqlite3

    from resume_tui.session.repos import batches as repo_module
    from resume_tui.session.store import Store

    path = tmp_path / "data" / "resume-tui.sqlite3"
    with Store.open(path) as store:
        with store.db.tx() as conn:  # the tables exactly as version 1 made them
            for statement in repo_module._SCHEMA:
                conn.execute(statement)  # (version 2's columns are added by ALTER TABLE, not in these)
            conn.execute("INSERT INTO provider_batches (id, job_id, provider, family, model, remote_id, state, "
                         "created_at, updated_at) VALUES ('pb1', 'b1', 'anthropic', 'anthropic', 'm', NULL, 'submitting', "
                         "'2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')")
    conn = sqlite3.connect(path)
    assert "request_key" not in {r[1] for r in conn.execute("PRAGMA table_info(provider_batches)")}
    conn.close()
    with Store.open(path) as store:
        [old] = store.batches.batches()
        assert old.request_key == "" and old.state == "submitting"
        with store.db.read() as c:
            assert c.execute("SELECT version FROM schema_version WHERE component = 'provider_batches'").fetchone()[0] == 2
