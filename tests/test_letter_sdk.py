"""A whole `resume-tui letter` run through the real openai and anthropic SDKs against the loopback fake
server: the model's clean sentences are kept, an invented metric or employer is blocked and replaced
by the offline sentence (the written file is free of it), and with redaction on no request body
carries the person's name, email, phone or links while the written letter keeps them."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_providers_redact import SAMPLE_PLUS, leaks, personal, sample

DATA = Path(__file__).resolve().parents[1] / "resume_tui" / "data"
JD = (DATA / "sample_jd.md").read_text(encoding="utf-8")
ANSWER = "{}"

CLEAN = "At Parcelio, I led the redesign of the shipment-tracking API in Python (FastAPI), cutting p95 latency to 120 ms."
METRIC = "At Parcelio, I cut infrastructure costs by 37% in one quarter."
EMPLOYER = "Before Parcelio, I spent two years building search infrastructure at Google."


def _prompt(body: dict[str, Any]) -> str:
    content = body["messages"][-1]["content"]
    if isinstance(content, list):  # Anthropic content blocks
        content = "".join(block.get("text", "") for block in content)
    return content


def letter_model(body: dict[str, Any]) -> str:
    """Answers the letter task with one clean sentence and two inventions, each citing a real requirement
    and the resume line the prompt lists; any other task gets an unusable answer (it falls back offline)."""
    prompt = _prompt(body)
    if not prompt.startswith("Write a cover letter"):
        return "{}"
    reqs = re.findall(r"^(r\d+) \w+: (.*)$", prompt, re.M)
    lines = dict(re.findall(r"^(s\d+\.\d+): (.*)$", prompt, re.M))
    python = next(rid for rid, text in reqs if "Python" in text)
    line = next(i for i, text in lines.items() if "shipment-tracking" in text)
    heading = next(i for i, text in lines.items() if text.startswith("Senior Backend Engineer"))  # names Parcelio

    def said(text: str) -> dict[str, Any]:
        return {"text": text, "requirement_ids": [python], "evidence_item_ids": [line, heading]}

    return json.dumps({
        "opening": {"sentences": [{"text": "I am applying for the Senior Platform Engineer role at Northwind Freight.",
                                   "requirement_ids": [], "evidence_item_ids": []}]},
        "paragraphs": [{"sentences": [said(CLEAN), said(METRIC)]}, {"sentences": [said(EMPLOYER)]}],
        "closing": {"sentences": [{"text": "Thank you for your time.", "requirement_ids": [], "evidence_item_ids": []}]},
    })


def _configure(isolated_env: Path, url: str, provider: str, monkeypatch: pytest.MonkeyPatch) -> None:
    config = isolated_env / "config"
    config.mkdir(parents=True, exist_ok=True)
    if provider == "openai":
        body = f'provider = "openai"\n[providers.openai]\nbase_url = "{url}/v1"\nmodel = "m"\n'
    else:
        body = f'provider = "anthropic"\n[providers.anthropic]\nbase_url = "{url}"\n'
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-0123456789")
    (config / "config.toml").write_text(body, encoding="utf-8")


def _cli(args: list[str]) -> tuple[int, str, str]:
    from resume_tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


async def _letter(srv, tmp_path: Path, resume_text: str) -> tuple[int, dict[str, Any], str, Path]:
    (tmp_path / "r.md").write_text(resume_text, encoding="utf-8")
    (tmp_path / "jd.md").write_text(JD, encoding="utf-8")
    out = tmp_path / "letter.md"
    args = ["letter", str(tmp_path / "r.md"), str(tmp_path / "jd.md"), "-o", str(out), "--yes", "--json"]
    code, stdout, stderr = await asyncio.to_thread(_cli, args)
    return code, (json.loads(stdout) if stdout.strip() else {}), stderr, out


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
async def test_a_letter_through_the_real_sdk_keeps_clean_sentences_and_replaces_inventions(
        srv, provider: str, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    srv.state.default_answer = letter_model
    _configure(isolated_env, srv.url, provider, monkeypatch)
    code, doc, stderr, out = await _letter(srv, tmp_path, (DATA / "sample_resume.md").read_text(encoding="utf-8"))
    assert code == 0, stderr
    asked = [r for r in srv.requests if _prompt(r.body).startswith("Write a cover letter")]
    assert len(asked) == 1
    assert asked[0].path.startswith("/v1/messages" if provider == "anthropic" else "/v1/chat/completions")
    written = out.read_text(encoding="utf-8")
    assert CLEAN in written
    for invented in ("37%", "Google", "two years"):
        assert invented not in written, invented
    assert doc["source"].startswith(provider + "/") and doc["tokens"] > 0
    sentences = doc["sentences"]
    assert all(s["verdict"] == "safe" for s in sentences)
    model_said = [s for s in sentences if s["text"] == CLEAN]
    assert model_said and model_said[0]["source"].startswith(provider + "/")
    replaced = [s for s in sentences if s["reasons"] and s["reasons"][0].startswith("Replaces the model's sentence")]
    assert replaced and all(s["source"] == "offline" for s in replaced)
    assert doc["words"] <= 400


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
async def test_a_letter_through_the_real_sdk_sends_no_personal_data(
        srv, provider: str, tmp_path: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESUME_TUI_REDACT", "1")
    srv.state.default_answer = letter_model
    _configure(isolated_env, srv.url, provider, monkeypatch)
    code, doc, stderr, out = await _letter(srv, tmp_path, SAMPLE_PLUS)
    assert code == 0, stderr
    assert any(_prompt(r.body).startswith("Write a cover letter") for r in srv.requests)
    values = personal(sample())
    bodies = [json.dumps(r.body, ensure_ascii=False) for r in srv.requests]
    assert {i: leaks(b, values) for i, b in enumerate(bodies) if leaks(b, values)} == {}
    written = out.read_text(encoding="utf-8")
    assert leaks(written, values), "the person's own letter keeps their contact details"
    assert CLEAN in written and "Google" not in written

