"""The cover letter: every sentence traced to the resume and guarded like a resume change."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from fakes.letter_model import OneModelRouter, ScriptedModel, letter_answer

from resume_tui import cli
from resume_tui.analysis.engine import analyze
from resume_tui.analysis.letter import (
    LetterGuard,
    LetterSentence,
    Part,
    SentenceStatus,
    Tone,
    count_words,
    offline_letter,
    writable,
)
from resume_tui.analysis.posting_job import job_from_posting
from resume_tui.config import load_settings
from resume_tui.documents.ingest import load_resume
from resume_tui.documents.postings import load_posting
from resume_tui.models import Verdict
from resume_tui.pipeline.letter import write_letter

DATA = Path(__file__).resolve().parents[1] / "resume_tui" / "data"
RESUME = DATA / "sample_resume.md"
JD = DATA / "sample_jd.md"

# What a model might write that the sample resume does not support, one kind of invention each.
INVENTED = {
    "metric": "At Parcelio I cut infrastructure costs by 37% in one quarter.",
    "employer": "Before Parcelio I spent two years building search infrastructure at Google.",
    "degree": "I hold a PhD in Distributed Systems from the University of Porto.",
    "skill": "I have shipped production services in Rust and Elixir.",
    "copied requirement": "I have hands-on experience running production workloads on Kubernetes (k8s).",
    "copied nice-to-have": "I bring experience with OpenTelemetry or distributed tracing.",
    "copied soft requirement": "I offer excellent communication skills and a collaborative mindset.",
}


@pytest.fixture(scope="module")
def pair():
    resume = load_resume(RESUME)
    job = job_from_posting(load_posting(str(JD), load_settings()), resume)
    return resume, job, analyze(resume, job)


def sentence(text: str, part: Part = Part.BODY, reqs=("r2",), evidence=("s1.3",)) -> LetterSentence:
    return LetterSentence(id="p1.s1", text=text, part=part, paragraph=1, requirement_ids=list(reqs),
                          evidence_item_ids=list(evidence))


@pytest.mark.parametrize("kind", sorted(INVENTED))
def test_guard_blocks_each_invention(pair, kind: str) -> None:
    resume, job, _ = pair
    checked = LetterGuard(resume, job).check(sentence(INVENTED[kind]))
    assert checked.verdict is Verdict.BLOCKED, (kind, checked.reasons)
    assert checked.reasons and not writable(checked)


def test_guard_passes_a_sentence_made_of_the_resume(pair) -> None:
    resume, job, _ = pair
    text = "At Parcelio, I moved 14 services from VMs to Kubernetes on AWS (EKS) with Terraform."
    checked = LetterGuard(resume, job).check(sentence(text, evidence=("s1.3", "s1.1")))
    assert checked.verdict is Verdict.SAFE, checked.reasons


def test_naming_the_role_applied_to_is_not_a_claim_but_working_there_is(pair) -> None:
    resume, job, _ = pair
    guard = LetterGuard(resume, job)
    opening = guard.check(sentence("I am applying for the Senior Platform Engineer role at Northwind Freight.",
                                   Part.OPENING, (), ()))
    assert opening.verdict is Verdict.SAFE, opening.reasons
    claim = guard.check(sentence("I worked at Northwind Freight as a Senior Platform Engineer.", Part.OPENING, (), ()))
    assert claim.verdict is Verdict.BLOCKED


def test_generic_filler_is_never_written_unreviewed(pair) -> None:
    resume, job, _ = pair
    checked = LetterGuard(resume, job).check(sentence("I am a highly motivated team player.", Part.CLOSING, (), ()))
    assert checked.verdict is not Verdict.SAFE and not writable(checked)
    assert any("filler" in r for r in checked.reasons)


@pytest.mark.parametrize("tone", list(Tone))
def test_offline_letter_is_specific_guarded_and_short(pair, tone: Tone) -> None:
    resume, job, report = pair
    letter = offline_letter(resume, job, report, tone=tone)
    text = letter.body_text()
    assert "Senior Platform Engineer" in text and "Northwind Freight" in text  # opening names role and company
    assert letter.contact_lines and letter.contact_lines[0] == "Maya Okafor"
    assert 200 <= letter.words() <= 400
    body = [s for s in letter.sentences if s.part is Part.BODY]
    assert len({s.paragraph for s in body}) in (2, 3)
    assert all(s.verdict is Verdict.SAFE for s in letter.sentences)
    assert all(s.requirement_ids and s.evidence_item_ids for s in body)
    for s in body:  # each body sentence cites items that exist, and quotes or restates one of them
        assert all(resume.item(i) is not None for i in s.evidence_item_ids)
    assert "highly motivated" not in text.lower() and "team player" not in text.lower()
    assert count_words(text) == letter.words()


def letter_with(pair, answer, facts=()):
    resume, job, report = pair
    model = ScriptedModel(answer)
    result = asyncio.run(write_letter(resume, job, report, tone=Tone.PLAIN, facts=facts, router=OneModelRouter(model)))
    assert model.calls and model.calls[0].task == "write_letter"
    return result


def test_model_letter_keeps_clean_sentences_and_replaces_inventions(pair) -> None:
    clean = ("I led the redesign of the shipment-tracking API in Python (FastAPI), cutting p95 latency from 480 ms "
             "to 120 ms.", ["r1"], ["s1.2"])
    answer = letter_answer(
        opening=[("I am applying for the Senior Platform Engineer role at Northwind Freight.", [], [])],
        paragraphs=[[clean, (INVENTED["metric"], ["r2"], ["s1.3"])],
                    [(INVENTED["employer"], ["r1"], ["s1.2"]), (INVENTED["skill"], ["r17"], ["s2.1"])],
                    [(INVENTED["degree"], ["r13"], ["s3.1"]), (INVENTED["copied requirement"], ["r8"], ["s1.3"])]],
        closing=[("Thank you for your time.", [], [])],
    )
    result = letter_with(pair, answer)
    text = result.letter.body_text()
    assert clean[0] in text
    for kind, invented in INVENTED.items():
        assert invented not in text, kind
    assert all(s.verdict is Verdict.SAFE for para in result.letter.paragraphs() for s in para)
    replaced = [s for s in result.letter.sentences if s.reasons and s.reasons[0].startswith("Replaces the model's")]
    assert replaced, "a blocked sentence with a requirement gives way to the offline sentence for it"
    assert result.source == "fake/m1" and result.usage.total_tokens == 1300
    assert result.letter.words() <= 400


def test_model_that_only_invents_leaves_an_offline_letter(pair) -> None:
    answer = letter_answer(opening=[(INVENTED["employer"], [], [])],
                           paragraphs=[[(v, ["r1"], ["s1.2"])] for v in INVENTED.values()], closing=[])
    result = letter_with(pair, answer)
    for invented in INVENTED.values():
        assert invented not in result.letter.body_text()
    assert "Senior Platform Engineer" in result.letter.body_text()


def test_declared_fact_backs_a_sentence_the_resume_cannot(pair) -> None:
    resume, job, _ = pair
    guard = LetterGuard(resume, job, ["Rust"])
    checked = guard.check(sentence("I have also written services in Rust.", reqs=("r17",), evidence=("user.1",)))
    assert checked.verdict is not Verdict.BLOCKED, checked.reasons


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_letter_json_and_files(tmp_path: Path, capsys) -> None:
    outs = [tmp_path / f"letter.{ext}" for ext in ("md", "txt", "html", "docx", "pdf")]
    args = ["letter", str(RESUME), str(JD), "--tone", "formal", "--yes", "--json"]
    for out in outs:
        args += ["-o", str(out)]
    code, out, err = run_cli(capsys, *args)
    assert code == 0, err
    doc = json.loads(out)
    assert {"output", "sentences", "words", "tokens", "cost_usd"} <= set(doc)
    assert doc["output"] == str(outs[0]) and doc["tokens"] == 0 and doc["cost_usd"] == 0
    assert all(o.is_file() for o in outs)
    assert all(o["verified"] for o in doc["outputs"])
    for s in doc["sentences"]:
        assert set(s) >= {"text", "requirement_ids", "evidence_item_ids", "verdict"} and s["verdict"] == "safe"
    written = outs[0].read_text(encoding="utf-8")
    assert "Yours sincerely," in written and "maya.okafor@example.com" in written
    assert doc["words"] <= 400
    from pypdf import PdfReader

    assert len(PdfReader(str(outs[-1])).pages) == 1


def test_cli_letter_needs_approval_and_a_letter_format(tmp_path: Path, capsys) -> None:
    out = tmp_path / "letter.md"
    code, _, err = run_cli(capsys, "letter", str(RESUME), str(JD), "-o", str(out))
    assert code == 2 and "approval" in err and not out.exists()
    code, _, err = run_cli(capsys, "letter", str(RESUME), str(JD), "-o", str(tmp_path / "letter.json"), "--yes")
    assert code == 2 and err.startswith("resume-tui: ") and "Traceback" not in err
    out.write_text("mine", encoding="utf-8")
    code, _, err = run_cli(capsys, "letter", str(RESUME), str(JD), "-o", str(out), "--yes")
    assert code == 2 and "already exists" in err and out.read_text(encoding="utf-8") == "mine"


def test_cli_letter_without_output_prints_the_letter(capsys) -> None:
    code, out, err = run_cli(capsys, "letter", str(RESUME), str(JD), "--tone", "warm")
    assert code == 0, err
    assert "Warm regards," in out and "Northwind Freight" in out


def test_a_kept_letter_is_dropped_when_the_posting_changes(pair) -> None:
    import asyncio as aio

    from resume_tui.config import Settings
    from resume_tui.models import Session
    from resume_tui.session.flow import Flow

    resume, job, _ = pair
    flow = Flow(Settings(), Session(id="s", resume=resume, job=job), offline=True)
    aio.run(flow.compose_letter(Tone.WARM))
    assert flow.letter is not None and flow.letter.tone is Tone.WARM
    blocked = flow.letter_edit(flow.letter.sentences[1].id, "I spent five years at Google.")
    assert blocked.verdict is Verdict.BLOCKED
    with pytest.raises(Exception, match="cannot be kept"):
        flow.letter_decide(blocked.id, SentenceStatus.ACCEPTED)
    assert "Google" not in flow.letter.body_text()
    flow.session.job = job.model_copy(update={"text": job.text + "\nAlso: Rust.", "company": "Other Co"})
    assert flow.letter is None  # written for another posting: never exported by mistake


def test_a_long_model_letter_is_cut_to_400_words(pair) -> None:
    line = ("I led the redesign of the shipment-tracking API in Python (FastAPI), cutting p95 latency from 480 ms "
            "to 120 ms.", ["r1"], ["s1.2"])
    answer = letter_answer(opening=[("I am applying for the Senior Platform Engineer role at Northwind Freight.", [], [])],
                           paragraphs=[[line] * 12 for _ in range(3)], closing=[("Thank you for your time.", [], [])] * 30)
    result = letter_with(pair, answer)
    assert result.letter.words() <= 400
    texts = [s.text for s in result.letter.sentences]
    assert len(texts) == len(set(texts))
