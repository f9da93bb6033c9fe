"""Chunking: section → paragraph → characters, and no request over the token budget."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_pipeline_fakes import FakeRouter, ScriptedProvider, StubEngine, job, make_resume

from resume_tui.models import Item, JobDescription, Section, SectionKind
from resume_tui.pipeline import Orchestrator
from resume_tui.pipeline.chunking import (
    CHARS_PER_TOKEN,
    chunk_items,
    chunk_resume,
    chunk_text,
    estimate_tokens,
    request_tokens,
    split_oversized,
)


def test_estimate_is_chars_over_four():
    assert estimate_tokens("") == 0 and estimate_tokens("abcd") == 1 and estimate_tokens("abcde") == 2


def test_short_text_is_one_chunk_and_blank_text_none():
    assert chunk_text("hello world", 10) == ["hello world"]
    assert chunk_text("   \n ", 10) == []


def test_paragraph_boundaries_are_preferred():
    paras = ["alpha " * 10, "beta " * 10, "gamma " * 10]
    text = "\n\n".join(p.strip() for p in paras)
    chunks = chunk_text(text, 20)  # 80 chars: one paragraph (≈ 50–60 chars) per chunk
    assert [c.split()[0] for c in chunks] == ["alpha", "beta", "gamma"]
    assert all(len(c) <= 80 for c in chunks)


def test_a_paragraph_longer_than_the_budget_is_cut_by_characters():
    text = "word " * 500
    chunks = chunk_text(text, 25)
    assert len(chunks) > 1 and all(len(c) <= 100 for c in chunks)
    assert " ".join(c.strip() for c in chunks).split() == text.split()


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=3000), st.integers(min_value=1, max_value=300))
def test_no_chunk_exceeds_the_budget_and_no_text_is_lost(text, budget):
    chunks = chunk_text(text, budget)
    assert all(len(c) <= budget * CHARS_PER_TOKEN for c in chunks)
    squash = lambda s: "".join(s.split())  # noqa: E731
    assert squash("".join(chunks)) == squash(text)


def test_items_are_grouped_without_splitting_and_resume_by_section():
    items = [Item(id=f"s1.{n}", text="x" * 60) for n in range(10)]
    groups = chunk_items(items, 40)  # 160 chars → two 68-char lines per group
    assert [len(g) for g in groups] == [2] * 5
    assert [i.id for g in groups for i in g] == [i.id for i in items]
    resume = make_resume()
    packed = chunk_resume(resume, 10_000)
    assert len(packed) == 1 and [s.id for s in packed[0]] == [s.id for s in resume.sections]
    big = resume.model_copy(update={"sections": [Section(id="s0", kind=SectionKind.EXPERIENCE, title="Exp", items=items)]})
    assert len(chunk_resume(big, 40)) == 5


def test_oversized_items_are_split_into_pieces_that_keep_their_id():
    item = Item(id="s1.0", text="long " * 200)
    pieces = split_oversized([item], 50)
    assert len(pieces) > 1 and {p.id for p in pieces} == {"s1.0"}
    assert all(len(f"[{p.id}] {p.text}") + 1 <= 200 for p in pieces)


async def test_no_request_exceeds_the_configured_budget_on_a_long_cv():
    budget = 400  # tokens ≈ 1600 characters per request
    long_jd = "Role overview\n\n" + "\n".join(f"- Requirement {n}: experience with Python and Kubernetes at scale" for n in range(150))
    resume = make_resume()
    bullets = [Item(id=f"s1.{n}", text=f"Delivered project {n} in Python on Kubernetes, improving reliability." * 2) for n in range(80)]
    sections = [s if s.id != "s1" else s.model_copy(update={"items": bullets}) for s in resume.sections]
    resume = resume.model_copy(update={"sections": sections})
    provider = ScriptedProvider()
    seen: list[int] = []
    original = provider.complete

    async def spy(request):
        seen.append(request_tokens(request))
        return await original(request)

    provider.complete = spy  # type: ignore[method-assign]
    o = Orchestrator(resume, JobDescription(text=long_jd), router=FakeRouter(provider), engine=StubEngine(), max_request_tokens=budget)
    result = await o.run()
    assert result.status == "completed"
    assert seen and max(seen) <= budget
    assert provider.calls.count("extract_requirements") > 1 and provider.calls.count("analyze_s1") > 1
    assert len(result.job.requirements) == 150  # merged across chunks, ids renumbered in order
    assert [r.id for r in result.job.requirements[:3]] == ["r1", "r2", "r3"]


async def test_a_request_that_cannot_fit_goes_offline_instead():
    provider = ScriptedProvider()
    o = Orchestrator(make_resume(), job(), router=FakeRouter(provider), engine=StubEngine(), max_request_tokens=50)
    result = await o.run()
    assert result.status == "completed" and provider.calls == []
    assert {t.provider for t in result.tasks} == {"offline"}
