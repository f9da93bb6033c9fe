"""Refining a change by instruction: the rules that need no model, the model caught when it ignores
the instruction or invents, and undo restoring exactly what was there."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fakes.letter_model import OneModelRouter, ScriptedModel

from resume_tui.analysis.guard import check_change
from resume_tui.analysis.posting_job import job_from_posting
from resume_tui.analysis.refine import Kind, NeedsModel, parse_instruction, refine_offline, undo
from resume_tui.config import load_settings
from resume_tui.documents.ingest import load_resume
from resume_tui.documents.postings import load_posting
from resume_tui.models import Change, ChangeAction, ChangeStatus, Verdict
from resume_tui.pipeline.refine import RefineOut, refine_change

DATA = Path(__file__).resolve().parents[1] / "resume_tui" / "data"
LINE = "Led the redesign of the shipment-tracking API in Python (FastAPI), cutting p95 latency from 480 ms to 120 ms."


@pytest.fixture(scope="module")
def pair():
    resume = load_resume(DATA / "sample_resume.md")
    job = job_from_posting(load_posting(str(DATA / "sample_jd.md"), load_settings()), resume)
    return resume, job


def proposal(resume, job, after: str = LINE, item: str = "s1.2", evidence: tuple[str, ...] = ()) -> Change:
    change = Change(id="c1", section_id="s1", item_id=item, action=ChangeAction.REPLACE,
                    before=resume.item(item).text, after=after, requirement_ids=["r1"],
                    evidence_item_ids=[item, *evidence],
                    rationale="Puts Python first.")
    return check_change(change, resume, job=job)


@pytest.mark.parametrize(("text", "kind", "word"), [
    ("shorter", Kind.SHORTEN, None),
    ("Make it more concise", Kind.SHORTEN, None),
    ("lead with the 480 → 120 ms result", Kind.LEAD_WITH_FIGURE, "480"),
    ("put the number first", Kind.LEAD_WITH_FIGURE, None),
    ("use the posting's word 'platform'", Kind.USE_WORD, "platform"),
    ("use PostgreSQL", Kind.USE_WORD, "PostgreSQL"),
    ("emphasise leadership", Kind.OTHER, None),
])
def test_instructions_are_read(text: str, kind: Kind, word: str | None) -> None:
    instruction = parse_instruction(text)
    assert instruction.kind is kind and instruction.word == word


def test_shorter_drops_the_trailing_clause(pair) -> None:
    resume, job = pair
    out = refine_offline(proposal(resume, job), parse_instruction("shorter"), job, "")
    assert out == "Led the redesign of the shipment-tracking API in Python (FastAPI)."


def test_single_clause_cannot_be_shortened_by_rule(pair) -> None:
    resume, job = pair
    with pytest.raises(NeedsModel, match="needs a model"):
        refine_offline(proposal(resume, job, "Mentored four engineers.", "s1.5"), parse_instruction("shorter"), job, "")


def test_lead_with_the_result_moves_the_figure_forward(pair) -> None:
    resume, job = pair
    out = refine_offline(proposal(resume, job), parse_instruction("lead with the 480 → 120 ms result"), job, "")
    assert out == "Cutting p95 latency from 480 ms to 120 ms — led the redesign of the shipment-tracking API in Python (FastAPI)."


def test_use_the_posting_word_for_a_word_naming_the_same_thing(pair) -> None:
    resume, job = pair
    line = "Wrote the loan-repayment scheduler in Go backed by Postgres, handling €40M in monthly repayments."
    change = proposal(resume, job, line, "s1.8")
    out = refine_offline(change, parse_instruction("use 'PostgreSQL'"), job, resume.item("s1.8").text)
    assert out == line.replace("Postgres", "PostgreSQL")


def test_use_a_word_the_evidence_does_not_support_is_refused(pair) -> None:
    resume, job = pair
    with pytest.raises(NeedsModel, match="cannot be used honestly"):
        refine_offline(proposal(resume, job), parse_instruction("use 'OpenTelemetry'"), job, resume.item("s1.2").text)


def run(pair, change, text, answer=None):
    resume, job = pair
    router = OneModelRouter(ScriptedModel(lambda r: RefineOut(after=answer))) if answer is not None else None
    return asyncio.run(refine_change(change, text, resume, job, router=router))


def test_offline_refinement_is_guarded_and_keeps_history(pair) -> None:
    change = proposal(*pair)
    outcome = run(pair, change, "shorter")
    new = outcome.change
    assert new is not None and new.after.endswith("(FastAPI).")
    assert new.verdict is not Verdict.BLOCKED and new.status is ChangeStatus.PENDING
    assert new.history == [change.model_copy(update={"history": []})]
    assert undo(new) == change  # exactly what was there


def test_other_instructions_say_plainly_they_need_a_model(pair) -> None:
    outcome = run(pair, proposal(*pair), "emphasise leadership")
    assert outcome.change is None and "needs a model" in outcome.message


def test_model_refinement_applies_and_undoes_exactly(pair) -> None:
    change = proposal(*pair)
    answer = "Redesigned the shipment-tracking API in Python (FastAPI), leading the work and cutting p95 latency from 480 ms to 120 ms."
    outcome = run(pair, change, "emphasise leadership", answer)
    assert outcome.change is not None and outcome.change.after == answer, outcome.message
    assert outcome.change.source == "fake/m1" and outcome.usage.total_tokens == 1300
    twice = run(pair, outcome.change, "shorter")
    assert twice.change is not None and len(twice.change.history) == 2
    assert undo(undo(twice.change)) == change
    assert undo(twice.change) == outcome.change


def test_model_that_invents_while_refining_is_caught(pair) -> None:
    change = proposal(*pair)
    outcome = run(pair, change, "emphasise leadership",
                  "Led a team of 12 engineers redesigning the shipment-tracking API in Rust, cutting latency by 90%.")
    assert outcome.change is None and "blocked" in outcome.message


@pytest.mark.parametrize(("instruction", "answer"), [
    ("emphasise leadership", LINE),  # the same text back
    ("make it sound more senior, but shorter", LINE[:-1] + " across the whole platform team and its services."),
    ("use the posting's word 'Terraform'", "Led the redesign of the shipment-tracking API in Python (FastAPI)."),
])
def test_model_that_ignores_the_instruction_is_caught(pair, instruction: str, answer: str) -> None:
    outcome = run(pair, proposal(*pair, evidence=("s1.3",)), instruction, answer)
    assert outcome.change is None and outcome.message.startswith("Not applied"), outcome.message


def test_flow_refine_and_undo(pair) -> None:
    from resume_tui.config import Settings
    from resume_tui.models import Session
    from resume_tui.session.flow import Flow

    resume, job = pair
    change = proposal(resume, job)
    flow = Flow(Settings(), Session(id="s", resume=resume, job=job, changes=[change]), offline=True)
    outcome = asyncio.run(flow.refine("c1", "shorter"))
    assert outcome.change is not None and flow.session.changes[0].after.endswith("(FastAPI).")
    assert flow.undo_refine("c1") == change and flow.session.changes[0] == change
    assert flow.undo_refine("c1") is None


def test_tailor_instruct_refines_the_run_and_says_what_needs_a_model(capsys) -> None:
    import json

    from resume_tui import cli

    code = cli.main(["tailor", str(DATA / "sample_resume.md"), str(DATA / "sample_jd.md"), "--instruct", "shorter", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["instruction"]["text"] == "shorter"
    assert doc["instruction"]["refined"] >= 1
    assert all(c["verdict"] != "blocked" or c["status"] != "accepted" for c in doc["changes"])
    code = cli.main(["tailor", str(DATA / "sample_resume.md"), str(DATA / "sample_jd.md"), "--instruct", "emphasise leadership"])
    err = capsys.readouterr().err
    assert code == 0 and "needs a model" in err


def test_flow_refine_by_model_counts_what_it_spent(pair) -> None:
    from resume_tui.config import Settings
    from resume_tui.models import Session
    from resume_tui.session.flow import Flow

    resume, job = pair
    change = proposal(resume, job)
    flow = Flow(Settings(), Session(id="s", resume=resume, job=job, changes=[change]), offline=True)
    answer = "Redesigned the shipment-tracking API in Python (FastAPI), cutting p95 latency from 480 ms to 120 ms."
    flow.router = lambda: OneModelRouter(ScriptedModel(lambda r: RefineOut(after=answer)))  # type: ignore[method-assign]
    outcome = asyncio.run(flow.refine("c1", "make it punchier"))
    assert outcome.change is not None and flow.session.changes[0].after == answer
    assert flow.usage.total_tokens == 1300
    assert flow.undo_refine("c1") == change
