"""The letter's body paragraphs and its length: points grouped by requirement and employer, every line
new evidence, a short letter that says why; regenerate, offline (another frame) and with a model (same
evidence only, guarded, the offline sentence back when the model's is blocked)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from fakes.letter_model import OneModelRouter, ScriptedModel

from resume_tui import cli
from resume_tui.analysis.engine import analyze
from resume_tui.analysis.letter import (
    LetterGuard,
    Part,
    Point,
    Tone,
    offline_alternative,
    offline_letter,
)
from resume_tui.analysis.letter.paragraphs import group_points
from resume_tui.analysis.letter.plan import clip_quote, is_meta_line
from resume_tui.analysis.posting_job import job_from_posting
from resume_tui.config import Settings, load_settings
from resume_tui.documents.ingest import load_resume, parse_resume_text
from resume_tui.documents.postings import load_posting
from resume_tui.models import Priority, Requirement, RequirementCategory, Session, Verdict
from resume_tui.pipeline.letter_regen import SentenceOut, regenerate_sentence

DATA = Path(__file__).resolve().parents[1] / "resume_tui" / "data"
RESUME = DATA / "sample_resume.md"
JD = DATA / "sample_jd.md"


@pytest.fixture(scope="module")
def pair():
    resume = load_resume(RESUME)
    job = job_from_posting(load_posting(str(JD), load_settings()), resume)
    return resume, job, analyze(resume, job)


def req(rid: str, *keywords: str) -> Requirement:
    return Requirement(id=rid, text=f"Experience with {' and '.join(keywords) or 'things'}", keywords=list(keywords),
                       category=RequirementCategory.TECHNICAL_SKILL, priority=Priority.IMPORTANT)


def point(requirement: Requirement, item: str, *, terms: tuple[str, ...] | None = None, org: str | None = None,
          rank: int = 0) -> Point:
    return Point(requirement, tuple(requirement.keywords) if terms is None else terms, item, f"Did work {item}",
                 entry_title="Engineer" if org else None, entry_org=org, rank=rank)


# ------------------------------------------------------------------ paragraphs


def test_each_paragraph_leads_with_a_different_requirement_and_its_own_further_lines() -> None:
    python, k8s, kafka = req("r1", "Python"), req("r2", "Kubernetes"), req("r3", "Kafka")
    points = [point(python, "a"), point(k8s, "b"), point(kafka, "c"), point(python, "d"), point(k8s, "e")]
    paragraphs = group_points(points)
    assert [p.lead.item_id for p in paragraphs] == ["a", "b", "c"]
    assert [s.item_id for s in paragraphs[0].support] == ["d"]  # another example of Python, under Python
    assert [s.item_id for s in paragraphs[1].support] == ["e"]


def test_a_second_requirement_with_the_same_term_supports_rather_than_leads() -> None:
    first, second, other = req("r1", "Kubernetes"), req("r2", "Kubernetes"), req("r3", "Go")
    paragraphs = group_points([point(first, "a"), point(second, "b"), point(other, "c")])
    assert [p.lead.item_id for p in paragraphs] == ["a", "c"]  # no two paragraphs "for Kubernetes"
    assert [s.item_id for p in paragraphs for s in p.support] == ["b"]  # but the other work is still evidence


def test_a_list_line_that_only_repeats_an_argued_term_is_left_out() -> None:
    kafka, pg = req("r1", "Kafka"), req("r2", "PostgreSQL")
    skills_line = point(req("r9", "Kafka"), "skills", rank=3)
    paragraphs = group_points([point(kafka, "a"), point(pg, "b"), skills_line])
    assert "skills" not in [s.item_id for p in paragraphs for s in p.points]


def test_a_line_from_the_same_employer_joins_that_employers_paragraph() -> None:
    a, b, c = req("r1", "Python"), req("r2", "Terraform"), req("r3", "SQL")
    points = [point(a, "a", org="Parcelio"), point(b, "b", org="Lendwise"), point(c, "c", org="Parcelio")]
    paragraphs = group_points(points, max_paragraphs=2)
    assert [p.lead.item_id for p in paragraphs] == ["a", "b"]
    assert [s.item_id for s in paragraphs[0].support] == ["c"]


def test_lines_framed_by_the_role_alone_are_rationed() -> None:
    bare = [point(req(f"r{i}"), f"x{i}", terms=()) for i in range(6)]
    paragraphs = group_points([point(req("r10", "Go"), "lead"), *bare], max_paragraphs=1)
    role_only = [s for p in paragraphs for s in p.support if not s.keywords]
    assert len(role_only) == 1  # one per paragraph: "Also relevant to the role, …" once, not six times


def test_dated_header_lines_are_not_evidence_and_quotes_close_their_parentheses() -> None:
    assert is_meta_line("University of Washington · Full-time Nov 2005 - Feb 2022 · 16 yrs 4 mos")
    assert not is_meta_line("Moved 14 services from VMs to Kubernetes on AWS (EKS) in 2021")
    quote, clipped = clip_quote("WellSpan Pulmonology & Critical Care Medicine (May 2019", [])
    assert quote == "WellSpan Pulmonology & Critical Care Medicine" and clipped


def test_pasted_logo_text_and_garbled_names_never_reach_the_letter() -> None:
    resume = parse_resume_text(
        "Ana Lima\nana@example.com\n\nExperience\nSite Reliability Engineer, Disney logo\nJan 2022 – Present\n"
        "- Managed Kubernetes clusters for internal service teams\n")
    job = job_from_posting(load_posting_text("Site Reliability Engineer at Roadie\nRequirements:\n- Kubernetes\n"), resume)
    letter = offline_letter(resume, job, analyze(resume, job))
    assert "logo" not in letter.body_text()


def load_posting_text(text: str):
    from resume_tui.documents.postings import posting_from_text

    return posting_from_text(text, where="test")


# ------------------------------------------------------------------ length


@pytest.mark.parametrize("tone", list(Tone))
def test_the_sample_letter_is_a_page_of_evidence(pair, tone: Tone) -> None:
    resume, job, report = pair
    letter = offline_letter(resume, job, report, tone=tone)
    assert 250 <= letter.words() <= 400 and letter.length_note() is None
    body = [s for s in letter.sentences if s.part is Part.BODY]
    assert len({s.paragraph for s in body}) == 3
    assert all(s.requirement_ids and s.evidence_item_ids for s in body)
    # more evidence than the three leads: the paragraphs carry further lines of the resume
    cited = {i for s in body for i in s.evidence_item_ids if resume.item(i) is not None}
    assert len(cited) >= 8
    opening = letter.sentences[0].text
    assert "Senior Backend Engineer at Parcelio" in opening  # the current role, as the resume writes it


def test_the_letter_never_pads_a_thin_resume_and_says_why(tmp_path: Path, capsys) -> None:
    resume_text = "Ana Lima\nana@example.com\n\nSkills\nPython\n"
    posting = ("Data Engineer at Acme\nRequirements:\n- Python\n- Spark\n- Airflow\n- Snowflake\n- dbt\n"
               "- Kubernetes\n- Terraform\n")
    (tmp_path / "r.md").write_text(resume_text, encoding="utf-8")
    (tmp_path / "jd.md").write_text(posting, encoding="utf-8")
    code = cli.main(["letter", str(tmp_path / "r.md"), str(tmp_path / "jd.md"), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    assert doc["words"] < 250
    note = doc["length_note"]
    assert note and note.count(".") == 1 and f"{doc['words']} words" in note and "backed by your resume" in note
    assert not any(w in json.dumps(doc["sentences"]) for w in ("Spark", "Airflow", "Snowflake"))
    code = cli.main(["letter", str(tmp_path / "r.md"), str(tmp_path / "jd.md")])
    out, _ = capsys.readouterr()
    assert note in " ".join(out.split())


# ------------------------------------------------------------------ regenerate


def body_sentence(letter):
    return next(s for s in letter.sentences if s.part is Part.BODY and len(s.alternatives) >= 2)


def test_offline_regenerate_gives_another_guarded_phrasing_of_the_same_evidence(pair) -> None:
    resume, job, report = pair
    letter = offline_letter(resume, job, report)
    guard = LetterGuard(resume, job)
    sentence = body_sentence(letter)
    seen = {sentence.text}
    current = sentence
    for _ in range(2):
        other = offline_alternative(current, letter, guard)
        assert other is not None and other.text not in seen
        assert other.verdict is Verdict.SAFE and other.source == "offline"
        assert (other.requirement_ids, other.evidence_item_ids) == (sentence.requirement_ids, sentence.evidence_item_ids)
        seen.add(other.text)
        current = other


def test_offline_regenerate_says_when_there_is_no_other_phrasing(pair) -> None:
    resume, job, report = pair
    letter = offline_letter(resume, job, report)
    closing = next(s for s in letter.sentences if s.part is Part.CLOSING)
    outcome = asyncio.run(regenerate_sentence(closing, letter, resume, job))
    assert outcome.sentence is None and "no other offline phrasing" in outcome.message


def test_flow_regenerate_offline_changes_the_kept_letter(pair) -> None:
    from resume_tui.session.flow import Flow

    resume, job, _ = pair
    flow = Flow(Settings(), Session(id="s", resume=resume, job=job), offline=True)
    asyncio.run(flow.compose_letter(Tone.PLAIN))
    assert flow.letter is not None
    sentence = body_sentence(flow.letter)
    outcome = asyncio.run(flow.letter_regenerate(sentence.id))
    assert outcome.sentence is not None
    kept = next(s for s in flow.letter.sentences if s.id == sentence.id)
    assert kept.text == outcome.sentence.text != sentence.text


def regenerate_with(pair, text: str):
    """Regenerate the body sentence that cites the shipment-tracking line, the model answering `text`."""
    resume, job, report = pair
    letter = offline_letter(resume, job, report)
    sentence = next(s for s in letter.sentences if s.part is Part.BODY and any(
        "shipment-tracking" in (resume.item(i).text if resume.item(i) else "") for i in s.evidence_item_ids))
    model = ScriptedModel(lambda request: SentenceOut(text=text))
    outcome = asyncio.run(regenerate_sentence(sentence, letter, resume, job, router=OneModelRouter(model)))
    return sentence, model, outcome


def test_regenerate_with_a_provider_asks_the_model_for_that_sentence_only(pair) -> None:
    resume, _, _ = pair
    clean = "At Parcelio, I led the redesign of the shipment-tracking API in Python (FastAPI), cutting p95 latency to 120 ms."
    sentence, model, outcome = regenerate_with(pair, clean)
    assert len(model.calls) == 1 and model.calls[0].task == "rewrite_letter_sentence"
    prompt = model.calls[0].messages[-1].content
    assert sentence.text in prompt
    cited = [resume.item(i).text for i in sentence.evidence_item_ids if resume.item(i) is not None]
    assert all(" ".join(c.split())[:60] in prompt for c in cited)
    others = [i for i in resume.items() if i.id not in sentence.evidence_item_ids and len(i.text) > 40]
    assert not any(" ".join(i.text.split()) in prompt for i in others)  # nothing beyond its own evidence
    new = outcome.sentence
    assert new is not None and new.text == clean and new.source == "fake/m1"
    assert (new.requirement_ids, new.evidence_item_ids) == (sentence.requirement_ids, sentence.evidence_item_ids)
    assert new.verdict is Verdict.SAFE and "Rewritten by fake/m1" in outcome.message
    assert outcome.usage.total_tokens == 1300


@pytest.mark.parametrize("invented", [
    "At Parcelio I cut infrastructure costs by 37% in one quarter.",
    "Before Parcelio I spent two years building search infrastructure at Google.",
])
def test_a_blocked_model_sentence_gives_back_the_offline_one_with_the_reason(pair, invented: str) -> None:
    sentence, _, outcome = regenerate_with(pair, invented)
    new = outcome.sentence
    assert new is not None and new.text != invented and new.source == "offline" and new.verdict is Verdict.SAFE
    assert outcome.message.startswith("The guard blocked the model's sentence (")
    assert (new.requirement_ids, new.evidence_item_ids) == (sentence.requirement_ids, sentence.evidence_item_ids)


def test_flow_regenerate_with_a_provider_keeps_the_models_sentence_and_counts_its_cost(pair) -> None:
    from resume_tui.session.flow import Flow

    resume, job, _ = pair
    flow = Flow(Settings(), Session(id="s", resume=resume, job=job), offline=True)
    asyncio.run(flow.compose_letter(Tone.PLAIN))
    assert flow.letter is not None
    target = next(s for s in flow.letter.sentences if s.part is Part.BODY and any(
        "shipment-tracking" in (resume.item(i).text if resume.item(i) else "") for i in s.evidence_item_ids))
    clean = "At Parcelio, I led the redesign of the shipment-tracking API in Python (FastAPI), cutting p95 latency to 120 ms."
    model = ScriptedModel(lambda request: SentenceOut(text=clean))
    flow.router = lambda: OneModelRouter(model)  # type: ignore[method-assign]
    outcome = asyncio.run(flow.letter_regenerate(target.id))
    kept = next(s for s in flow.letter.sentences if s.id == target.id)
    assert kept.text == clean and kept.source == "fake/m1" and outcome.usage.total_tokens == 1300
    assert flow.session.settings.spent.total_tokens == 1300  # the sentence's call counts toward the budget
    invented = ScriptedModel(lambda request: SentenceOut(text="At Parcelio, I cut AWS costs by 37% in one quarter."))
    flow.router = lambda: OneModelRouter(invented)  # type: ignore[method-assign]
    outcome = asyncio.run(flow.letter_regenerate(target.id))
    kept = next(s for s in flow.letter.sentences if s.id == target.id)
    assert "37%" not in flow.letter.body_text() and kept.source == "offline" and kept.text == target.text
    assert "blocked" in outcome.message and "offline sentence is back" in outcome.message
