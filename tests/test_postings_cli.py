"""`analyze` / `tailor` with a posting link against a loopback server; offline and too-short refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.posting_server import PostingServer, Route
from posting_pages import jsonld_page, plain_page

from resume_tui import cli

DATA = Path(__file__).resolve().parents[1] / "resume_tui" / "data"
RESUME = DATA / "sample_resume.md"


@pytest.fixture
def web() -> Iterator[PostingServer]:
    with PostingServer() as srv:
        srv.routes["/jobs/ld"] = Route(body=jsonld_page())
        srv.routes["/jobs/plain"] = Route(body=plain_page())
        yield srv


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_a_link(capsys, web: PostingServer) -> None:
    code, out, err = run_cli(capsys, "analyze", str(RESUME), web.url("/jobs/ld"), "--json")
    assert code == 0, err
    doc = json.loads(out)
    texts = [r["text"] for r in doc["requirements"]]
    assert any("Python" in t for t in texts) and any("Kubernetes" in t for t in texts)
    assert web.requests == ["/jobs/ld"]


def test_tailor_stores_the_fetched_posting_and_a_rerun_does_not_fetch(capsys, web: PostingServer, tmp_path: Path) -> None:
    url = web.url("/jobs/plain")
    code, out, err = run_cli(capsys, "tailor", str(RESUME), url, "--json", "--accept", "none")
    assert code == 0, err
    sid = json.loads(out)["session_id"]
    assert web.requests == ["/jobs/plain"]

    from resume_tui.config import load_settings
    from resume_tui.session.store import open_store

    with open_store(load_settings()) as store:
        session = store.get_session(sid)
    posting = session.settings.posting
    assert posting is not None and posting["url"] == url and posting["format"] == "web page"
    assert session.job is not None and session.job.source_path == url and "Apache Airflow" in session.job.text

    web.routes.pop("/jobs/plain")  # a re-run must not need the page any more
    code, out, err = run_cli(capsys, "analyze", str(RESUME), url, "--json")
    assert code == 0, err
    assert "Using the posting fetched from this link" in err and web.requests == ["/jobs/plain"]
    assert any("Airflow" in r["text"] for r in json.loads(out)["requirements"])

    code, _, err = run_cli(capsys, "analyze", str(RESUME), url, "--refetch")
    assert code == 2 and "does not exist (HTTP 404)" in err and web.requests == ["/jobs/plain", "/jobs/plain"]


def test_offline_refuses_a_link(capsys, web: PostingServer) -> None:
    code, out, err = run_cli(capsys, "analyze", str(RESUME), web.url("/jobs/ld"), "--offline")
    assert code == 2 and out == ""
    assert "Offline mode sends nothing over the network" in err and err.count("\n") == 1
    assert web.requests == []


def test_offline_contradicting_a_provider_is_refused(capsys, tmp_path: Path) -> None:
    jd = tmp_path / "jd.md"
    jd.write_text("## Requirements\n- Experience with Python\n")
    code, _, err = run_cli(capsys, "analyze", str(RESUME), str(jd), "--offline", "--provider", "anthropic")
    assert code == 2 and "cannot use --provider anthropic" in err


def test_too_short_posting_stops_before_analysis(capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jd = tmp_path / "jd.txt"
    jd.write_text("Great team player\n")

    def no_run(*args, **kwargs):  # pragma: no cover - reaching it is the failure
        raise AssertionError("the pipeline ran on a posting with no requirement")

    from resume_tui.commands import common

    monkeypatch.setattr(common, "run_headless", no_run)
    for command in ("analyze", "tailor"):
        code, out, err = run_cli(capsys, command, str(RESUME), str(jd))
        assert code == 2 and out == ""
        assert "too short to analyse" in err and "3 words" in err


def test_a_link_to_a_404_is_one_line(capsys, web: PostingServer) -> None:
    code, _, err = run_cli(capsys, "analyze", str(RESUME), web.url("/nope"))
    assert code == 2 and err.count("\n") == 1 and "HTTP 404" in err and "Traceback" not in err
