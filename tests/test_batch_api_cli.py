"""`resume-tui batch` with a provider: first model calls through the provider's batch API (loopback fake),
answers used through the response cache and checked like any answer, failures sent interactively,
`--no-batch-api`, and a kill -9 while a batch is pending, then `--resume` collecting it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.batch_server import BatchState, FakeBatchServer

from resume_tui import cli

DATA = Path(__file__).resolve().parents[1] / "resume_tui" / "data"
RESUME = DATA / "sample_resume.md"

POSTINGS = {
    "platform": (DATA / "sample_jd.md").read_text(),
    "nurse": "# ICU Nurse — Mercy Hospital\n\n## Requirements\n- Active RN license and BLS certification.\n"
             "- 2+ years of ICU nursing experience.\n- Experience with Epic charting.\n",
    "data": "# Data Analyst — Contoso\n\n## Requirements\n- Advanced SQL and Tableau dashboards.\n"
            "- Python (pandas) for analysis.\n- Statistics and A/B testing.\n",
}


def _schema_name(params: dict) -> str:
    if "generationConfig" in params:
        return params["generationConfig"].get("responseJsonSchema", {}).get("title", "")
    if "output_config" in params:
        return params["output_config"]["format"]["schema"].get("title", "")
    return params.get("response_format", {}).get("json_schema", {}).get("name", "")


def _model(params: dict) -> str:
    """A plausible model: requirements quoted from the posting it read, empty answers elsewhere."""
    from resume_tui.analysis.requirements import parse_job_description

    text = json.dumps(params, ensure_ascii=False)
    if _schema_name(params) == "RequirementsOut":
        for body in POSTINGS.values():
            job = parse_job_description(body)
            if json.dumps(job.requirements[0].text, ensure_ascii=False)[1:-1] in text:
                return json.dumps({"requirements": [{"text": r.text, "category": r.category.value,
                                                     "priority": r.priority.value, "keywords": r.keywords}
                                                    for r in job.requirements]})
    return "{}"


@pytest.fixture
def fake() -> Iterator[FakeBatchServer]:
    with FakeBatchServer(BatchState(answer=_model)) as srv:
        yield srv


@pytest.fixture
def postings(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "postings"
    folder.mkdir()
    for name, body in POSTINGS.items():
        (folder / f"{name}.md").write_text(body)
    return sorted(folder.iterdir())


def configure(isolated_env: Path, monkeypatch, fake: FakeBatchServer, family: str, threshold: int = 1) -> None:
    config = isolated_env / "config"
    config.mkdir(parents=True, exist_ok=True)
    base = fake.url + "/v1" if family == "openai" else fake.url
    (config / "config.toml").write_text(
        f'provider = "{family}"\n[providers.{family}]\nbase_url = "{base}"\nmodel = "m"\n'
        f"[batch_api]\nthreshold = {threshold}\npoll_s = 0.05\nwait_s = 30\n", encoding="utf-8")
    monkeypatch.setenv({"anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY", "gemini": "GEMINI_API_KEY"}[family],
                       "k-test-batch")


def run_cli(capsys, *argv: str) -> tuple[int, dict, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else {}, err


def interactive_extracts(fake: FakeBatchServer) -> int:
    return sum(1 for body in fake.state.interactive if _schema_name(body) == "RequirementsOut")


@pytest.mark.parametrize("family", ["anthropic", "openai", "gemini"])
def test_first_calls_go_through_the_batch_api(family, capsys, tmp_path, isolated_env, monkeypatch, fake, postings) -> None:
    configure(isolated_env, monkeypatch, fake, family)
    code, doc, err = run_cli(capsys, "batch", str(RESUME), *map(str, postings), "-o", str(tmp_path / "out"),
                             "--top", "3", "--format", "md", "--yes", "--json")
    assert code == 0, err
    [batch] = fake.state.batches.values()
    tasks = sorted(_schema_name(params) for _, params in batch.items)
    # three postings read once each; the resume's sections read once for all three (the same request)
    assert tasks.count("RequirementsOut") == 3 and tasks.count("SectionAnalysisOut") == 1
    assert interactive_extracts(fake) == 0  # every posting's reading came from the batch, via the cache
    assert "batch: ~50% of the interactive price" in (doc["estimate"] or "")
    assert doc["counts"]["tailored"] == 3 and all(p["outputs"] for p in doc["postings"] if p["selected"])

    from resume_tui.config import load_settings
    from resume_tui.session.store import open_store

    with open_store(load_settings()) as store:
        [stored] = store.batches.batches(doc["batch_id"])
        assert stored.state == "ended" and stored.remote_id.split("/")[-1] == batch.id
        assert {i.state for i in stored.items} == {"done"} and stored.cost_usd >= 0
        assert store.batches.job(doc["batch_id"])[1] == "done"


def test_failed_batch_requests_are_sent_interactively(capsys, tmp_path, isolated_env, monkeypatch, fake, postings) -> None:
    configure(isolated_env, monkeypatch, fake, "anthropic")
    fake.state.fail_if = lambda params: "Mercy Hospital" in json.dumps(params)  # the nurse posting's reading fails
    code, doc, err = run_cli(capsys, "batch", str(RESUME), *map(str, postings), "-o", str(tmp_path / "out"),
                             "--top", "3", "--format", "md", "--yes", "--json")
    assert code == 0, err
    assert interactive_extracts(fake) == 1  # only the failed one, once
    assert doc["counts"]["tailored"] == 3


def test_below_the_threshold_or_no_batch_api_means_interactive(capsys, tmp_path, isolated_env, monkeypatch, fake,
                                                                postings) -> None:
    configure(isolated_env, monkeypatch, fake, "anthropic", threshold=20)
    code, doc, err = run_cli(capsys, "batch", str(RESUME), *map(str, postings), "-o", str(tmp_path / "a"),
                             "--top", "3", "--format", "md", "--yes", "--json")
    assert code == 0, err
    assert not fake.state.batches and interactive_extracts(fake) == 3
    configure(isolated_env, monkeypatch, fake, "anthropic", threshold=0)
    fake.state.interactive.clear()
    (postings[0].parent / "extra.md").write_text(POSTINGS["data"].replace("Contoso", "Fabrikam"))
    code, doc, err = run_cli(capsys, "batch", str(RESUME), str(postings[0].parent), "-o", str(tmp_path / "b"),
                             "--top", "4", "--format", "md", "--yes", "--json", "--no-batch-api")
    assert code == 0, err
    assert not fake.state.batches and interactive_extracts(fake) == 1  # the three others are cached from the first run


@pytest.mark.slow
@pytest.mark.e2e
def test_kill_9_while_pending_then_resume_collects_without_resending(tmp_path, isolated_env, monkeypatch, fake,
                                                                     postings, capsys) -> None:
    configure(isolated_env, monkeypatch, fake, "anthropic")
    fake.state.polls_to_finish = 10**6  # the provider takes its time
    proc = subprocess.Popen([sys.executable, "-m", "resume_tui", "batch", str(RESUME), *map(str, postings), "-o",
                             str(tmp_path / "out"), "--top", "3", "--format", "md", "--yes", "--json"],
                            env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not any(b.reads >= 2 for b in fake.state.batches.values()):  # submitted and polled: pending
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "the batch was never submitted"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not (tmp_path / "out").exists()
    [batch] = fake.state.batches.values()
    assert not batch.ended

    fake.state.polls_to_finish = 0  # the provider finishes
    code, doc, err = run_cli(capsys, "batch", "--resume", "--yes", "--json")
    assert code == 0, err
    assert len(fake.state.batches) == 1  # collected, not submitted again
    assert ("GET", f"/v1/messages/batches/{batch.id}/results") in fake.state.requests
    assert interactive_extracts(fake) == 0
    assert doc["counts"]["tailored"] == 3 and (tmp_path / "out" / "report.json").exists()
    code, _, err = run_cli(capsys, "batch", "--resume", "--yes", "--json")
    assert code == 2 and "No batch is waiting" in err


def test_an_expired_batch_keeps_what_finished_and_the_rest_goes_interactive(capsys, tmp_path, isolated_env,
                                                                            monkeypatch, fake, postings) -> None:
    configure(isolated_env, monkeypatch, fake, "openai")
    fake.state.expire, fake.state.finish_before_end = True, 2  # two of the four requests answered in time
    code, doc, err = run_cli(capsys, "batch", str(RESUME), *map(str, postings), "-o", str(tmp_path / "out"),
                             "--top", "3", "--format", "md", "--yes", "--json")
    assert code == 0, err
    [batch] = fake.state.batches.values()
    answered = [_schema_name(p) for _, p in batch.items[:2]]
    assert interactive_extracts(fake) == 3 - answered.count("RequirementsOut")
    assert doc["counts"]["tailored"] == 3

    from resume_tui.config import load_settings
    from resume_tui.session.store import open_store

    with open_store(load_settings()) as store:
        [stored] = store.batches.batches(doc["batch_id"])
        assert stored.state == "expired" and sorted(i.state for i in stored.items) == ["done", "done", "failed", "failed"]
        assert all("expired" in (i.error or "") for i in stored.items if i.state == "failed")


def test_a_batch_over_the_budget_is_not_submitted(capsys, tmp_path, isolated_env, monkeypatch, fake, postings) -> None:
    configure(isolated_env, monkeypatch, fake, "anthropic")
    config = isolated_env / "config" / "config.toml"
    config.write_text(config.read_text() + "[budget]\nmax_usd = 0.01\n[prices.m]\ninput = 100000.0\noutput = 100000.0\n",
                      encoding="utf-8")
    code, doc, err = run_cli(capsys, "batch", str(RESUME), *map(str, postings), "-o", str(tmp_path / "out"),
                             "--top", "3", "--format", "md", "--yes", "--json")
    assert not fake.state.batches  # never submitted what the cap cannot pay for
    assert "budget.max_usd" in err
    assert code in (0, 3), err


def test_ctrl_c_while_waiting_says_how_to_collect_later(capsys, tmp_path, isolated_env, monkeypatch, fake,
                                                        postings) -> None:
    from resume_tui.session.services import batch_api

    configure(isolated_env, monkeypatch, fake, "anthropic")
    real_collect = batch_api.collect

    async def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_api, "collect", interrupted)
    code, doc, err = run_cli(capsys, "batch", str(RESUME), *map(str, postings), "-o", str(tmp_path / "out"),
                             "--top", "3", "--format", "md", "--yes", "--json")
    assert code == 130 and "batch --resume b" in err and "no request is sent again" in err
    assert len(fake.state.batches) == 1 and not (tmp_path / "out").exists()

    monkeypatch.setattr(batch_api, "collect", real_collect)
    code, doc, err = run_cli(capsys, "batch", "--resume", "--yes", "--json")
    assert code == 0, err
    assert len(fake.state.batches) == 1 and interactive_extracts(fake) == 0 and doc["counts"]["tailored"] == 3
