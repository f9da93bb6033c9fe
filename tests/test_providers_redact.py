"""Contact redaction against a recording loopback server: no request body carries the
resume's name, email, phone, location or links; answers get the real values back; an
answer that invents or alters a placeholder is refused; the cache is keyed on (and stores)
the redacted text; RESUME_TUI_REDACT and the loopback default behave as documented."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Literal

import pytest
from pydantic import BaseModel

from resume_tui.config import Settings, load_settings
from resume_tui.documents.ingest import parse_resume_text
from resume_tui.models import Usage
from resume_tui.providers.base import ErrorKind, LLMRequest, Message, ProviderError
from resume_tui.providers.cache import ResponseCache, cache_key
from resume_tui.providers.catalog import redaction_note, redaction_on
from resume_tui.providers.redact import AlteredPlaceholder, Redactor
from resume_tui.providers.router import Router

SECRET = "sk-test-SECRET-0123456789"
ANSWER = '{"label": "pos", "note": "ok"}'
SAMPLE = resources.files("resume_tui.data").joinpath("sample_resume.md").read_text(encoding="utf-8")
# Personal data in the body too, where prompts quote it (the contact block itself is never sent).
BODY_LINE = ("Maya Okafor's work: https://mayaokafor.dev/work and github.com/mayaokafor/parcel-tracker; "
             "questions to maya.okafor@example.com or +351 912 345 678.")
SAMPLE_PLUS = SAMPLE.replace("Comfortable owning services from design to on-call.",
                             "Comfortable owning services from design to on-call. " + BODY_LINE)
assert SAMPLE_PLUS != SAMPLE
JD = ("Senior Backend Engineer.\nRequirements:\n- 5+ years of Python\n- Kubernetes and Terraform\n"
      "- PostgreSQL\n- Experience with Kafka is a plus\nApply at https://jobs.example.org/backend")


class Note(BaseModel):
    label: Literal["pos", "neg"]
    note: str


def sample():
    return parse_resume_text(SAMPLE)


def personal(resume) -> dict[str, str]:
    c = resume.contact
    values = {"name": c.name, "email": c.email, "phone": c.phone, "location": c.location}
    values.update({f"link{i}": link for i, link in enumerate(c.links, 1)})
    assert all(values.values()) and len(c.links) == 2  # the sample resume has every kind
    return values


def leaks(text: str, values: dict[str, str]) -> list[str]:
    """Which personal values appear in `text` — the phone in any spacing, links with or without scheme."""
    found = [k for k, v in values.items() if k != "phone" and v.lower() in text.lower()]
    digits = [d for d in values["phone"] if d.isdigit()]
    if re.search(r"[\s().-]{0,3}".join(digits), text):
        found.append("phone")
    return found


def request_text(resume, extra: str = "") -> LLMRequest:
    body = resume.full_text() + "\n" + extra
    return LLMRequest(task="customize_s1", schema=Note, timeout_s=5.0,
                      messages=(Message("system", "Answer JSON."), Message("user", body)))


def hosted_like(url: str, **extra) -> Settings:
    """A provider on the loopback fake, with redaction forced on as it is for a hosted API."""
    return Settings.model_validate({"provider": "anthropic", "redact_contact": True, **extra,
                                    "providers": {"anthropic": {"api_key": SECRET, "base_url": url, "model": "m"}}})


# --------------------------------------------------------------------------- the redactor


def test_placeholders_are_stable_and_round_trip():
    resume = sample()
    r = Redactor()
    r.learn_resume(resume)
    text = resume.full_text() + "\nSee https://github.com/mayaokafor and MAYA OKAFOR, C++11 (2011-2020), ASP.NET/C#."
    red = r.redact(text)
    assert leaks(red, personal(resume)) == []
    assert "[NAME]" in red and "[EMAIL]" in red and "[PHONE]" in red and "[ADDRESS]" in red and "[LINK1]" in red
    assert "[LINK3]" in red  # the same link written with a scheme: its own placeholder, restored exactly
    assert "C++11 (2011-2020)" in red and "ASP.NET/C#" in red  # skills are not mistaken for phones or links
    assert r.redact(text) == red  # stable within a run
    assert r.restore(red) == text


@pytest.mark.parametrize("answer, why", [
    ("See [LINK7] for more", "not a placeholder that was sent"),
    ("Write to [EMAIL2]", "not a placeholder that was sent"),
    ("Code at [LINK1]/side-project", "joined to other text"),
    ("Contact [ EMAIL ]", "not a placeholder that was sent"),
])
def test_an_invented_or_altered_placeholder_is_caught(answer, why):
    r = Redactor()
    r.learn_resume(sample())
    with pytest.raises(AlteredPlaceholder) as info:
        r.restore(answer)
    assert why in str(info.value)
    assert r.restore("Profile: [LINK1].") == "Profile: github.com/mayaokafor."


# --------------------------------------------------------------------------- around a real SDK call


async def test_no_personal_value_reaches_the_server_and_the_answer_gets_them_back(srv):
    resume = sample()
    values = personal(resume)
    srv.answer('{"label": "pos", "note": "[NAME] can be reached at [EMAIL]; code at [LINK1]."}')
    router = Router(hosted_like(srv.url), cache=False)
    router.protect(resume)
    provider = router.chain_for("customize_s1", "moderate")[0]
    result = await provider.complete(request_text(resume))
    await router.aclose()
    (sent,) = srv.requests
    assert leaks(json.dumps(sent.body, ensure_ascii=False), values) == []
    assert result.value.note == f"{values['name']} can be reached at {values['email']}; code at {values['link1']}."


async def test_an_answer_that_alters_a_placeholder_is_refused_with_a_reason(srv):
    resume = sample()
    srv.answer('{"label": "pos", "note": "See [LINK7]"}')
    router = Router(hosted_like(srv.url), cache=False)
    router.protect(resume)
    with pytest.raises(ProviderError) as info:
        await router.chain_for("customize_s1", "moderate")[0].complete(request_text(resume))
    await router.aclose()
    assert info.value.kind == ErrorKind.VALIDATION_ERROR
    assert "[LINK7]" in info.value.message and "contact details stay exactly as in the resume" in info.value.message


async def test_the_cache_is_keyed_on_and_stores_the_redacted_text(srv, tmp_path: Path):
    srv.answer('{"label": "pos", "note": "Hello [NAME]"}')
    maya = sample()
    cache = ResponseCache(tmp_path / "cache.sqlite3")
    first = Router(hosted_like(srv.url), cache=cache)
    first.protect(maya)
    provider = first.chain_for("customize_s1", "moderate")[0]
    assert (await provider.complete(request_text(maya))).value.note == "Hello Maya Okafor"
    redacted = first.redactor.redact_request(request_text(maya))
    (key, stored), = cache._db().execute("SELECT key, value FROM cache").fetchall()
    assert key == cache_key(provider.inner.identity, provider.inner.model, redacted)
    assert "Maya" not in stored and "[NAME]" in stored

    # Another person, same structure: the same redacted prompt — a cache hit, restored with *their* name.
    other = parse_resume_text(SAMPLE.replace("Maya Okafor", "Ana Lima").replace("maya.okafor@", "ana.lima@")
                              .replace("mayaokafor", "analima").replace("+351 912 345 678", "+351 913 000 111"))
    second = Router(hosted_like(srv.url), cache=cache)
    second.protect(other)
    hit = await second.chain_for("customize_s1", "moderate")[0].complete(request_text(other))
    assert hit.cached and hit.value.note == "Hello Ana Lima" and len(srv.requests) == 1
    await second.aclose()


# --------------------------------------------------------------------------- when it is on


@pytest.mark.parametrize("provider, base_url, expected", [
    ("anthropic", None, True), ("gemini", None, True), ("claude_cli", None, True),
    ("openai", None, True), ("openai", "https://api.openai.com/v1", True), ("openai", "https://llm.example.com/v1", True),
    ("openai", "http://127.0.0.1:8080/v1", False), ("openai", "http://192.168.1.20:11434/v1", False),
    ("ollama", None, False), ("anthropic", "http://localhost:9000", False),
])
def test_on_for_hosted_off_for_loopback_and_private(provider, base_url, expected):
    section = {"base_url": base_url} if base_url else {}
    s = Settings.model_validate({"provider": provider, "providers": {provider: section}})
    assert redaction_on(s, provider) is expected
    forced = Settings.model_validate({"provider": provider, "redact_contact": not expected, "providers": {provider: section}})
    assert redaction_on(forced, provider) is (not expected)


def test_the_environment_forces_it_either_way(monkeypatch):
    monkeypatch.setenv("RESUME_TUI_REDACT", "1")
    assert redaction_on(load_settings(), "ollama") is True
    monkeypatch.setenv("RESUME_TUI_REDACT", "0")
    assert redaction_on(load_settings(), "anthropic") is False
    assert "off" in redaction_note(load_settings(), ["anthropic"])


def test_the_cost_question_and_doctor_say_so():
    from resume_tui.commands.doctor import _providers
    from resume_tui.screens.analysis import cost_question

    s = Settings.model_validate({"provider": "anthropic", "providers": {"anthropic": {"api_key": SECRET}}})
    text = cost_question(SimpleNamespace(settings=s, usage=Usage()), None)
    assert text.splitlines()[-1].startswith("Contact redaction: on")
    checks = {c.name: c for c in _providers(s, offline=True, timeout_s=1.0)}
    assert checks["contact redaction"].detail.startswith("on")
    local = Settings.model_validate({"provider": "ollama"})
    assert "off for ollama" in cost_question(SimpleNamespace(settings=local, usage=Usage()), None)


# --------------------------------------------------------------------------- whole commands


def _cli(args: list[str]) -> tuple[int, str, str]:
    from resume_tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def _configure(isolated_env: Path, url: str) -> None:
    config = isolated_env / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(f'provider = "openai"\n[providers.openai]\nbase_url = "{url}/v1"\nmodel = "m"\n',
                                        encoding="utf-8")


@pytest.mark.parametrize("command", ["tailor", "analyze"])
async def test_whole_command_sends_no_personal_data(srv, command, tmp_path: Path, isolated_env: Path, monkeypatch):
    """A whole run against a loopback server with redaction forced on: every prompt of every
    task is checked; the exported file still has every contact detail."""
    monkeypatch.setenv("RESUME_TUI_REDACT", "1")
    srv.state.default_answer = "{}"  # each task asks (and then falls back): every prompt is sent
    _configure(isolated_env, srv.url)
    (tmp_path / "r.md").write_text(SAMPLE_PLUS, encoding="utf-8")
    (tmp_path / "jd.md").write_text(JD, encoding="utf-8")
    out = tmp_path / "out.md"
    args = [command, str(tmp_path / "r.md"), str(tmp_path / "jd.md"), "--json"]
    if command == "tailor":
        args += ["-o", str(out), "--yes"]
    code, _stdout, stderr = await asyncio.to_thread(_cli, args)
    assert code == 0, stderr
    values = personal(sample())
    prompts = [json.dumps(r.body, ensure_ascii=False) for r in srv.requests]
    firsts = {r.body["messages"][-1]["content"].split(" ", 1)[0] for r in srv.requests}
    assert {"List", "Resume"} <= firsts and (command == "analyze" or {"Plan", "Propose"} <= firsts)  # every task kind
    assert {i: leaks(p, values) for i, p in enumerate(prompts) if leaks(p, values)} == {}
    joined = "".join(prompts)
    assert "[NAME]" in joined and "[EMAIL]" in joined and "[PHONE]" in joined and "[LINK" in joined
    assert "mayaokafor" not in joined and "jobs.example.org" not in joined  # every link, the posting's too
    if command == "tailor":
        written = out.read_text(encoding="utf-8")
        assert sorted(leaks(written, values)) == sorted(values)  # all of them, as written
        assert BODY_LINE in written


async def test_loopback_default_sends_the_text_as_written(srv, tmp_path: Path, isolated_env: Path):
    """Unset, redaction is off for a server on this machine: the user's own model sees the resume."""
    srv.state.default_answer = "{}"
    _configure(isolated_env, srv.url)
    (tmp_path / "r.md").write_text(SAMPLE_PLUS, encoding="utf-8")
    (tmp_path / "jd.md").write_text(JD, encoding="utf-8")
    code, _, stderr = await asyncio.to_thread(_cli, ["analyze", str(tmp_path / "r.md"), str(tmp_path / "jd.md"), "--json"])
    assert code == 0, stderr
    assert any("maya.okafor@example.com" in json.dumps(r.body) for r in srv.requests)


@pytest.mark.parametrize("command", ["letter", "batch"])
async def test_letter_and_batch_send_no_personal_data(srv, command, tmp_path: Path, isolated_env: Path, monkeypatch):
    """The cover letter and a batch run go through the same redaction as tailor: no prompt carries the
    name, email, phone or links, and the file written for the person still has them."""
    monkeypatch.setenv("RESUME_TUI_REDACT", "1")
    srv.state.default_answer = "{}"  # every model answer is unusable: each call is made, then falls back
    _configure(isolated_env, srv.url)
    (tmp_path / "r.md").write_text(SAMPLE_PLUS, encoding="utf-8")
    (tmp_path / "jd.md").write_text(JD, encoding="utf-8")
    if command == "letter":
        out = tmp_path / "letter.md"
        args = ["letter", str(tmp_path / "r.md"), str(tmp_path / "jd.md"), "-o", str(out), "--yes", "--json"]
    else:
        args = ["batch", str(tmp_path / "r.md"), str(tmp_path / "jd.md"), "-o", str(tmp_path / "out"),
                "--format", "md", "--top", "1", "--no-batch-api", "--yes", "--json"]
    code, _stdout, stderr = await asyncio.to_thread(_cli, args)
    assert code == 0, stderr
    assert srv.requests, "the provider was asked"
    values = personal(sample())
    prompts = [json.dumps(r.body, ensure_ascii=False) for r in srv.requests]
    assert {i: leaks(p, values) for i, p in enumerate(prompts) if leaks(p, values)} == {}
    assert "[NAME]" in "".join(prompts)
    if command == "letter":
        written = out.read_text(encoding="utf-8")
    else:
        files = [p for p in (tmp_path / "out").rglob("*.md") if not p.name.startswith("report")]
        assert files, sorted(str(p) for p in (tmp_path / "out").rglob("*"))
        written = files[0].read_text(encoding="utf-8")
    assert leaks(written, values), "the person's own file keeps their contact details"
