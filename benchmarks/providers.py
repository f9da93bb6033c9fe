"""Providers benchmark, against the loopback fake servers (no network, no keys).

Prints, per SDK (anthropic, openai, gemini):

* pipeline ÷ monolithic — total tokens (in + out) of a real pipeline run (run_pipeline with
  our Router, every task that has a model path going to the fake model), divided by one
  monolithic call asking for everything at once for the same resume + JD (target ≤ 1.5).
  The fake server counts what a provider bills: the system and message texts plus the
  output schema the model is given (~4 chars/token), not the HTTP/JSON envelope; answers
  are canned, schema-valid and the same content for both shapes.
* re-run tokens — tokens and requests reaching the server when the identical pipeline run
  is repeated (the response cache answers; target 0 and 0 requests)
* added latency per call — median time of our full path (ManagedProvider: cache lookup and
  store, budget, adapter, validation) minus the median of the bare SDK call with the same
  payload, server latency fixed (target < 5 ms)

With ../shared/corpus present, the token ratio is also measured for each resume there.

Usage: python benchmarks/providers.py [--latency 0.02] [--calls 40]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("RESUME_TUI_DATA_DIR", tempfile.mkdtemp(prefix="resume-tui-bench-"))
os.environ["NO_PROXY"] = "127.0.0.1,localhost"
for _var in [v for v in os.environ if v.upper().endswith("_PROXY") and v.upper() != "NO_PROXY"]:
    del os.environ[_var]

from fakes.llm_server import FakeLLMServer  # noqa: E402
from pydantic import BaseModel, Field  # noqa: E402

from resume_tui.analysis.requirements import parse_job_description  # noqa: E402
from resume_tui.config import Settings  # noqa: E402
from resume_tui.documents.ingest import parse_resume_text  # noqa: E402
from resume_tui.models import CustomizationLevel  # noqa: E402
from resume_tui.pipeline import prompts, run_pipeline  # noqa: E402
from resume_tui.pipeline.chunking import render_items  # noqa: E402
from resume_tui.pipeline.schemas import (  # noqa: E402
    HighlightOut,
    PlanOut,
    PlanStepOut,
    RequirementOut,
    RequirementsOut,
    SectionAnalysisOut,
    SectionRewriteOut,
)
from resume_tui.providers.base import LLMRequest, Message  # noqa: E402
from resume_tui.providers.cache import ResponseCache  # noqa: E402
from resume_tui.providers.jsonout import json_schema  # noqa: E402
from resume_tui.providers.router import Router  # noqa: E402

LEVEL = CustomizationLevel.MODERATE
KEY = "bench-key-000000"


class MonolithicOut(BaseModel):
    """Everything the micro-tasks produce, asked for in one call."""

    requirements: RequirementsOut = Field(default_factory=RequirementsOut)
    analyses: dict[str, SectionAnalysisOut] = Field(default_factory=dict)
    plan: PlanOut = Field(default_factory=PlanOut)
    rewrites: dict[str, SectionRewriteOut] = Field(default_factory=dict)


def load_inputs():
    data = resources.files("resume_tui.data")
    resume = parse_resume_text(data.joinpath("sample_resume.md").read_text(encoding="utf-8"))
    jd_text = data.joinpath("sample_jd.md").read_text(encoding="utf-8")
    return resume, jd_text, parse_job_description(jd_text)


def canned_answers(resume, job) -> dict[str, BaseModel]:
    """Plausible, schema-valid answers per task (the same content for both call shapes)."""
    reqs = RequirementsOut(title=job.title, company=job.company, requirements=[
        RequirementOut(text=r.text, category=r.category.value, priority=r.priority.value, keywords=r.keywords) for r in job.requirements])
    out: dict[str, BaseModel] = {"extract_requirements": reqs}
    for s in resume.sections:
        out[f"analyze_{s.id}"] = SectionAnalysisOut(highlights=[HighlightOut(item_id=i.id, quote=i.text[:60]) for i in s.items[:3]],
                                                    notes=[f"{s.kind.value} section reads well"])
        first = next((i for i in s.items if i.kind.value != "role"), None)
        out[f"customize_{s.id}"] = SectionRewriteOut(changes=[] if first is None else [
            {"action": "replace", "item_id": first.id, "after": first.text, "rationale": "align terminology",
             "requirement_ids": ["r1"], "evidence_item_ids": [first.id]}])
    out["generate_plan"] = PlanOut(steps=[PlanStepOut(section_id=s.id, goal="foreground relevant evidence", requirement_ids=["r1"])
                                          for s in resume.sections])
    return out


def sample_request(resume) -> LLMRequest:
    """One analyze_<section> request as the pipeline's prompt builder makes it: a typical micro-task."""
    section = max(resume.sections, key=lambda s: len(s.items))
    return LLMRequest(task=f"analyze_{section.id}", messages=prompts.analyze_messages(section, section.items),
                      schema=SectionAnalysisOut, level=LEVEL.value)


def monolithic_request(resume, job) -> LLMRequest:
    body = "\n\n".join(f"[{s.id}] {s.title or s.kind.value}\n{render_items(s.items)}" for s in resume.sections)
    user = (
        "Tailor this resume to the job description in one pass. 1) List the job's requirements, each quoted verbatim, "
        "classified, prioritised, with keywords. 2) For each resume section id, give highlights (item id, verbatim quote, "
        f"skills) and notes. 3) Plan at most one step per section. {prompts.LEVEL_RULES[LEVEL]} 4) For each section id, "
        "propose changes naming item ids, requirement ids and evidence item ids; keep each section within half to double "
        "its length.\n<job>\n" + job.text + "\n</job>\n<resume>\n" + body + "\n</resume>"
    )
    return LLMRequest(task="monolithic", messages=(Message("system", prompts.SYSTEM), Message("user", user)),
                      schema=MonolithicOut, max_output_tokens=8192, level=LEVEL.value)


def schema_title(body: dict) -> str | None:
    for path in (("output_config", "format", "schema"), ("response_format", "json_schema", "schema"),
                 ("generationConfig", "responseJsonSchema")):
        node = body
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            return node.get("title")
    return None


def settings_for(family: str, url: str) -> Settings:
    base = url + "/v1" if family == "openai" else url
    return Settings.model_validate({"provider": family, "providers": {family: {"api_key": KEY, "base_url": base, "timeout_s": 10}}})


async def token_counts(family: str, srv: FakeLLMServer, resume, job) -> tuple[int, int, int, int]:
    """(tokens of the real pipeline run, its model calls, monolithic tokens, calls the pipeline
    answered from a model rather than offline), as the fake server counted them."""
    answers = canned_answers(resume, job)
    install_answers(srv, resume, answers)
    router = Router(settings_for(family, srv.url), cache=False)
    result = await run_pipeline(resume, job.text, level=LEVEL, router=router, settings=Settings())
    micro_tokens, micro_calls = router.budget.spent.total_tokens, len(srv.requests)
    by_model = sum(1 for t in result.tasks if t.provider and t.provider != "offline")
    await router.aclose()
    mono_router = Router(settings_for(family, srv.url), cache=False)
    mono_tokens = await run_all(mono_router, [monolithic_request(resume, job)])
    await mono_router.aclose()
    return micro_tokens, micro_calls, mono_tokens, by_model


def install_answers(srv: FakeLLMServer, resume, answers) -> None:
    mono_answer = MonolithicOut(
        requirements=answers["extract_requirements"],
        analyses={s.id: answers[f"analyze_{s.id}"] for s in resume.sections},
        plan=answers["generate_plan"],
        rewrites={s.id: answers[f"customize_{s.id}"] for s in resume.sections},
    ).model_dump_json()
    by_title = {type(v).__name__: v.model_dump_json() for v in answers.values()}
    task_answers = {k: v.model_dump_json() for k, v in answers.items()}

    def answer(body: dict) -> str:
        title = schema_title(body)
        if title == "MonolithicOut":
            return mono_answer
        if title in ("SectionAnalysisOut", "SectionRewriteOut"):  # per section: find whose item ids are quoted
            text = json.dumps(body)
            prefix = "analyze_" if title == "SectionAnalysisOut" else "customize_"
            quoted = [s for s in resume.sections if f"[{s.id}." in text]
            if len(quoted) > 1:  # a batched call for several small sections: the answer covers each of them
                parts = [answers[prefix + s.id] for s in quoted]
                if title == "SectionAnalysisOut":
                    return SectionAnalysisOut(highlights=[h for p in parts for h in p.highlights],
                                              notes=[n for p in parts for n in p.notes]).model_dump_json()
                return SectionRewriteOut(changes=[c for p in parts for c in p.changes]).model_dump_json()
            if quoted:
                return task_answers[prefix + quoted[0].id]
        return by_title[title]

    srv.reset()
    srv.state.default_answer = answer
    srv.state.count_tokens = True


async def run_all(router: Router, requests) -> int:
    total = 0
    for request in requests:
        result = await router.chain_for(request.task, request.level)[0].complete(request)
        total += result.usage.total_tokens
    return total


async def rerun_cost(family: str, srv: FakeLLMServer, resume, job) -> tuple[int, int]:
    """Tokens and requests reaching the server when the identical pipeline run is repeated (cache on)."""
    install_answers(srv, resume, canned_answers(resume, job))
    path = Path(os.environ["RESUME_TUI_DATA_DIR"]) / f"bench-{family}.sqlite3"
    first = Router(settings_for(family, srv.url), cache=ResponseCache(path))
    await run_pipeline(resume, job.text, level=LEVEL, router=first, settings=Settings())
    await first.aclose()
    before = len(srv.requests)
    again = Router(settings_for(family, srv.url), cache=ResponseCache(path))
    await run_pipeline(resume, job.text, level=LEVEL, router=again, settings=Settings())
    tokens = again.budget.spent.total_tokens
    await again.aclose()
    return tokens, len(srv.requests) - before


def corpus_pairs():
    corpus = ROOT.parent / "shared" / "corpus"
    if not (corpus / "pairs.tsv").exists():
        return []
    import csv

    from resume_tui.documents.ingest import load_resume, read_document

    seen, out = set(), []
    with open(corpus / "pairs.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["resume_file"] in seen:
                continue
            seen.add(row["resume_file"])
            try:
                resume = load_resume(corpus / row["resume_file"])
                job = parse_job_description(read_document(corpus / row["jd_file"]).text)
            except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
                print(f"  skipped {row['resume_file']}: {exc}")
                continue
            out.append((row["resume_file"], row["jd_file"], resume, job))
    return out


async def raw_call(family: str, client, request: LLMRequest) -> None:
    """The bare SDK call with the same payload our adapter sends (no cache, budget or validation)."""
    system = request.messages[0].content
    chat = [{"role": m.role, "content": m.content} for m in request.messages[1:]]
    schema = json_schema(request.schema)
    if family == "anthropic":
        await client.messages.create(model="m", max_tokens=request.max_output_tokens, system=system, messages=chat,
                                     output_config={"format": {"type": "json_schema", "schema": schema}})
    elif family == "openai":  # the fake is on loopback, so — like our adapter for a local server — stream
        stream = await client.chat.completions.create(
            model="m", messages=[{"role": "system", "content": system}, *chat], max_tokens=request.max_output_tokens,
            temperature=0, stream=True, stream_options={"include_usage": True},
            response_format={"type": "json_schema", "json_schema": {"name": "x", "strict": False, "schema": schema}})
        async for _ in stream:
            pass
    else:
        from google.genai import types

        await client.aio.models.generate_content(model="m", contents=chat[0]["content"], config=types.GenerateContentConfig(
            system_instruction=system, response_mime_type="application/json", response_json_schema=schema,
            max_output_tokens=request.max_output_tokens, temperature=0))


def make_raw_client(family: str, url: str):
    if family == "anthropic":
        import anthropic

        return anthropic.AsyncAnthropic(api_key=KEY, base_url=url, max_retries=0, timeout=10)
    if family == "openai":
        import openai

        return openai.AsyncOpenAI(api_key=KEY, base_url=url + "/v1", max_retries=0, timeout=10)
    from google import genai
    from google.genai import types

    return genai.Client(api_key=KEY, http_options=types.HttpOptions(base_url=url, timeout=10_000))


async def added_latency(family: str, srv: FakeLLMServer, latency: float, calls: int, resume, job, answers) -> tuple[float, float]:
    srv.reset()
    srv.state.latency_s = latency
    sample = sample_request(resume)
    srv.state.default_answer = answers[sample.task].model_dump_json()
    cache = ResponseCache(Path(os.environ["RESUME_TUI_DATA_DIR"]) / f"lat-{family}.sqlite3")
    router = Router(settings_for(family, srv.url), cache=cache)
    provider = router.chain_for(sample.task, sample.level)[0]
    raw = make_raw_client(family, srv.url)

    def variant(i: int) -> LLMRequest:  # distinct prompts: every call is a cache miss
        msgs = (sample.messages[0], Message("user", sample.messages[1].content + f"\n(run {i})"))
        return LLMRequest(task=sample.task, messages=msgs, schema=sample.schema, level=sample.level)

    for i in range(3):  # warm both paths (imports, connections)
        await provider.complete(variant(-1 - i))
        await raw_call(family, raw, variant(-1 - i))
    ours, bare = [], []
    for i in range(calls):  # interleaved so drift hits both equally
        t = time.perf_counter()
        await raw_call(family, raw, variant(10_000 + i))
        bare.append(time.perf_counter() - t)
        t = time.perf_counter()
        await provider.complete(variant(i))
        ours.append(time.perf_counter() - t)
    await router.aclose()
    if family == "gemini":
        await raw.aio.aclose()
    else:
        await raw.close()
    return statistics.median(ours) * 1000, statistics.median(bare) * 1000


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.02, help="fixed server latency per call, seconds")
    parser.add_argument("--calls", type=int, default=40, help="calls per SDK for the latency measurement")
    parser.add_argument("--no-corpus", action="store_true", help="skip the ../shared/corpus pairs")
    args = parser.parse_args()
    resume, jd_text, job = load_inputs()
    answers = canned_answers(resume, job)
    print(f"sample: {len(resume.sections)} sections, {len(resume.full_text())} chars; JD: {len(jd_text)} chars, "
          f"{len(job.requirements)} requirements")
    ok = True
    ratios: list[float] = []
    with FakeLLMServer() as srv:
        for family in ("anthropic", "openai", "gemini"):
            micro, calls, mono, by_model = await token_counts(family, srv, resume, job)
            rerun, rerun_requests = await rerun_cost(family, srv, resume, job)
            ours, bare = await added_latency(family, srv, args.latency, args.calls, resume, job, answers)
            ratio = micro / mono
            added = ours - bare
            ratios.append(ratio)
            ok &= rerun == 0 and rerun_requests == 0 and added < 5
            print(f"{family:9s}  pipeline {micro:6d} tok in {calls:2d} calls ({by_model} tasks by the model) / monolithic "
                  f"{mono:6d} tok = {ratio:4.2f} (target ≤ 1.5)   re-run: {rerun} tok, {rerun_requests} requests (target 0)   "
                  f"latency: ours {ours:6.2f} ms vs bare SDK {bare:6.2f} ms → added {added:+5.2f} ms (target < 5)")
        pairs = [] if args.no_corpus else corpus_pairs()
        if pairs:
            print("corpus (anthropic wire format):")
            corpus_ratios = []
            for rfile, jfile, cres, cjob in pairs:
                micro, calls, mono, by_model = await token_counts("anthropic", srv, cres, cjob)
                corpus_ratios.append(micro / mono)
                print(f"  {Path(rfile).name:34s} {Path(jfile).name:30s} {len(cres.full_text()):6d} chars: "
                      f"pipeline {micro:6d} tok in {calls:2d} calls / monolithic {mono:6d} = {micro / mono:4.2f}")
            print(f"  median {statistics.median(corpus_ratios):4.2f}, max {max(corpus_ratios):4.2f}")
            ratios.extend(corpus_ratios)
    token_ok = max(ratios) <= 1.5
    print("latency and re-run targets met" if ok else "LATENCY OR RE-RUN TARGET MISSED")
    print("token ratio target met" if token_ok else "TOKEN RATIO TARGET MISSED (the figure is set by the pipeline's prompt shapes)")
    return 0 if ok and token_ok else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
