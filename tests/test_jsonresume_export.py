"""JSON Resume export: mapped from entries, validated before writing, re-read as verification, and
JSON Resume → resume-tui → JSON Resume loses nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from test_jsonresume import MIXED_TEXT, OLD_SCHEMA, SAMPLE, write

from resume_tui import cli
from resume_tui.analysis.apply import apply_changes
from resume_tui.documents.export import plan_writes, render, write_export
from resume_tui.documents.ingest import load_resume, parse_resume_text
from resume_tui.documents.jsonresume.schema import problems, upgrade_old_names
from resume_tui.documents.verify import check_against, verify_export, write_verified
from resume_tui.errors import InputError
from resume_tui.models import Change, ChangeAction, ChangeStatus, Contact, ItemKind, Resume, SectionKind

DATA = Path(__file__).resolve().parents[1] / "resume_tui" / "data"


def exported(resume: Resume, original: Resume | None = None) -> tuple[dict[str, Any], list[str]]:
    data, notes = render(resume, original or resume, "json")
    return json.loads(data), notes


def shape(resume: Resume) -> list[tuple[str, str, list[tuple[str, str]], list[tuple[Any, ...]]]]:
    """Everything the model says about a resume's text: sections, items (kind, text) and entries' fields."""
    return [(s.title, s.kind.value, [(i.kind.value, i.text) for i in s.items],
             [(e.title, e.organization, e.location, e.start, e.end, len(e.header_ids), len(e.item_ids)) for e in s.entries])
            for s in resume.sections]


SILENT = copy.deepcopy(OLD_SCHEMA)  # objects that show no line: kept in their place all the same
SILENT["skills"].insert(0, {"name": "", "level": "", "keywords": []})
SILENT["work"].insert(1, {"url": "https://example.com/only-a-link"})
SILENT["basics"]["summary"] = "First paragraph.\n\nSecond paragraph.  "  # its spacing is the user's
SILENT["work"][0]["summary"] = "Personal finance manager.\n\nSeries A."


@pytest.mark.parametrize("source", ["sample", "old", "mixed", "silent"])
def test_json_resume_round_trip_loses_nothing(tmp_path: Path, source: str) -> None:
    doc_or_text = {"sample": SAMPLE.read_text(encoding="utf-8"), "old": OLD_SCHEMA, "mixed": MIXED_TEXT,
                   "silent": SILENT}[source]
    path = write(tmp_path, doc_or_text)
    resume = load_resume(path)
    out, notes = exported(resume)
    expected = json.loads(path.read_text(encoding="utf-8"))
    upgrade_old_names(expected)  # written back under the v1 names
    assert out == expected and notes == []
    assert list(out) == list(expected)  # the file's own key order too
    assert problems(out) == []


def test_tailored_text_is_written_into_the_users_own_file(tmp_path: Path) -> None:
    path = write(tmp_path, SAMPLE.read_text(encoding="utf-8"))
    resume = load_resume(path)
    work = next(s for s in resume.sections if s.kind is SectionKind.EXPERIENCE)
    bullets = [i for i in work.items if i.kind is ItemKind.BULLET]
    order = [i.id for i in work.items]
    a, b = order.index(bullets[0].id), order.index(bullets[2].id)
    order[a], order[b] = order[b], order[a]
    changes = [
        Change(id="c1", section_id=work.id, item_id=bullets[1].id, action=ChangeAction.REPLACE, before=bullets[1].text,
               after="Won TechCrunch Disrupt with a compression demo", status=ChangeStatus.ACCEPTED),
        Change(id="c2", section_id=work.id, action=ChangeAction.REORDER, order=order, status=ChangeStatus.ACCEPTED),
    ]
    tailored = apply_changes(resume, changes)
    out, _ = exported(tailored, resume)
    job = out["work"][0]
    assert job["highlights"] == ["Optimized an algorithm that holds the current world record for Weisman Scores",
                                 "Won TechCrunch Disrupt with a compression demo",
                                 "Build an algorithm for artist to detect if their music was violating copy right infringement laws"]
    assert job["url"] == "http://piedpiper.example.com" and job["startDate"] == "2013-12-01"  # untouched fields kept
    assert out["basics"]["profiles"][1]["username"] == "dandymusicnl" and out["meta"]["version"] == "v1.0.0"
    assert out["projects"][0]["roles"] == ["Team lead", "Designer"]
    reread = tmp_path / "out.json"
    reread.write_text(json.dumps(out), encoding="utf-8")
    assert verify_export(reread, "json", tailored, changes).ok


def test_resume_from_markdown_maps_entries_to_fields(tmp_path: Path) -> None:
    resume = load_resume(DATA / "sample_resume.md")
    out, notes = exported(resume)
    assert problems(out) == [] and out["basics"]["name"] == "Maya Okafor"
    assert out["basics"]["email"] == "maya.okafor@example.com"
    work = out["work"]
    experience = next(s for s in resume.sections if s.kind is SectionKind.EXPERIENCE)
    assert len(work) == len(experience.entries)
    first = experience.entries[0]
    assert work[0]["position"] == first.title and work[0]["name"] == first.organization
    for job in work:
        for name in ("startDate", "endDate"):
            assert name not in job or len(job[name]) in (4, 7, 10)
    bullets = [resume.item(i).text for i in first.item_ids
               if resume.item(i).kind is ItemKind.BULLET]
    assert work[0]["highlights"] == bullets
    assert out["meta"]["x-resume-tui"]["sections"][0]["title"] == resume.sections[0].title
    back = tmp_path / "maya.json"
    back.write_bytes(render(resume, resume, "json")[0])
    assert shape(load_resume(back)) == shape(resume) and load_resume(back).header_lines == resume.header_lines


def test_dates_as_written_stay_in_the_header_and_become_iso_fields(tmp_path: Path) -> None:
    resume = parse_resume_text(
        "Jane Doe\njane@example.com\n\nExperience\nSenior Engineer, Acme Corp, Jan 2020 – Present\n- Built the billing system\n\n"
        "Engineer, Beta LLC, 06/2016 - Dec 2019\n- Ran the release train\n"
    )
    out, _ = exported(resume)
    first, second = out["work"]
    assert (first["position"], first["name"], first["startDate"]) == ("Senior Engineer", "Acme Corp", "2020-01")
    assert "endDate" not in first  # "Present": JSON Resume leaves the end out
    assert (second["startDate"], second["endDate"]) == ("2016-06", "2019-12")
    assert first["x-resume-tui"]["header"] == ["Senior Engineer, Acme Corp, Jan 2020 – Present"]
    path = write(tmp_path, out)
    assert shape(load_resume(path)) == shape(resume)


def test_export_is_validated_before_writing(tmp_path: Path) -> None:
    resume = parse_resume_text("Jane Doe\n\nSkills\nPython, SQL\n").model_copy(
        update={"contact": Contact(name="Jane Doe", email="jane at example")})
    with pytest.raises(InputError, match=r"basics\.email: 'jane at example' is not a valid email address.*nothing was written"):
        render(resume, resume, "json")
    target = tmp_path / "jane.json"
    with pytest.raises(InputError):
        write_export(resume, resume, target, "json")
    assert not [p for p in tmp_path.iterdir() if "jane" in p.name]  # no file, no temporary left behind


def test_verification_catches_a_lost_line_or_entry(tmp_path: Path) -> None:
    resume = load_resume(SAMPLE)
    out, _ = exported(resume)
    out["work"][0]["highlights"].pop()
    path = write(tmp_path, out, "lossy.json")
    result = verify_export(path, "json", resume, [])
    assert not result.ok and "Optimized an algorithm" in " ".join(result.problems)
    parsed = load_resume(path)
    assert not check_against(parsed, "", resume, []).ok


def test_write_verified_writes_json_that_reads_back(tmp_path: Path) -> None:
    resume = load_resume(DATA / "sample_resume.md")
    plans = plan_writes([tmp_path / "maya.json"], source_path=resume.source_path, tailored=resume, original=resume)
    (outcome,) = write_verified(plans, resume, resume, [])
    assert outcome.ok and outcome.format == "json", outcome.problems
    assert problems(json.loads((tmp_path / "maya.json").read_text(encoding="utf-8"))) == []


@pytest.mark.slow
def test_tailor_writes_json_resume_end_to_end(capsys, tmp_path: Path) -> None:
    out_file = tmp_path / "tailored.json"
    code = cli.main(["tailor", str(DATA / "sample_resume.md"), str(DATA / "sample_jd.md"), "-o", str(out_file), "--yes", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    assert doc["outputs"][0]["verified"] is True and out_file.exists()
    written = json.loads(out_file.read_text(encoding="utf-8"))
    assert problems(written) == [] and written["basics"]["name"] == "Maya Okafor"
    lines = {i.text for i in load_resume(out_file).items()}  # skills lines are fields in the file: read them back
    accepted = [c for c in doc["changes"] if c["status"] == "accepted" and c["action"] in {"replace", "insert"}]
    assert accepted and all(c["after"] in lines for c in accepted)
    # and a JSON Resume in, JSON Resume out: the user's fields carried over
    second = tmp_path / "again.json"
    code = cli.main(["tailor", str(SAMPLE), str(DATA / "sample_jd.md"), "-o", str(second), "--yes", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    again = json.loads(second.read_text(encoding="utf-8"))
    assert again["basics"]["profiles"] == json.loads(SAMPLE.read_text(encoding="utf-8"))["basics"]["profiles"]


@pytest.mark.slow
@pytest.mark.corpus
def test_every_corpus_resume_round_trips_through_json_resume(corpus: Path, tmp_path: Path) -> None:
    files = sorted(p for folder in ("resumes", "formats") for p in (corpus / folder).glob("*") if p.is_file())
    checked = 0
    for path in files:
        try:
            resume = load_resume(path)
        except InputError:
            continue
        out = tmp_path / (path.name + ".json")
        out.write_bytes(render(resume, resume, "json")[0])
        back = load_resume(out)
        want = [(s.title, [(i.kind, i.text) for i in s.items]) for s in resume.sections]
        got = [(s.title, [(i.kind, i.text) for i in s.items]) for s in back.sections]
        assert got == want, path.name  # every item's text and kind, in every section, in order
        assert back.header_lines == resume.header_lines, path.name
        assert (back.contact.name, back.contact.email) == (resume.contact.name, resume.contact.email), path.name
        assert verify_export(out, "json", resume, []).ok, path.name
        checked += 1
    assert checked >= 10


def test_reordered_skills_line_keeps_keywords_that_contain_commas_whole(tmp_path: Path) -> None:
    doc = copy.deepcopy(OLD_SCHEMA)
    doc["skills"][0]["keywords"] = ["Python", "HTML5, HTML", "Bash"]
    path = write(tmp_path, doc)
    resume = load_resume(path)
    skills = next(s for s in resume.sections if s.kind is SectionKind.SKILLS)
    line = skills.items[0]
    assert line.text == "Languages (Master): Python, HTML5, HTML, Bash"
    change = Change(id="c1", section_id=skills.id, item_id=line.id, action=ChangeAction.REPLACE, before=line.text,
                    after="Languages (Master): Bash, HTML5, HTML, Python", status=ChangeStatus.ACCEPTED)
    out, _ = exported(apply_changes(resume, [change]), resume)
    assert out["skills"][0] == {"name": "Languages", "level": "Master", "keywords": ["Bash", "HTML5, HTML", "Python"]}


def test_header_words_no_field_holds_are_named_in_the_notes() -> None:
    resume = parse_resume_text("Jane Doe\njane@example.com\n\nExperience\n"
                               "Senior Engineer, Acme Corp, Platform Guild, Jan 2020 – Present\n- Built the billing system\n")
    out, notes = exported(resume)
    assert out["work"][0]["x-resume-tui"]["header"] == ["Senior Engineer, Acme Corp, Platform Guild, Jan 2020 – Present"]
    assert any("1 entry header(s) have words no JSON Resume field holds" in n and "Platform Guild" in n for n in notes)


def test_a_bulleted_licence_is_the_certificate_name_and_reads_back_as_a_bullet(tmp_path: Path) -> None:
    resume = parse_resume_text("Jane Doe\njane@example.com\n\nCertifications\n- Certified Public Accountant (CPA)\n"
                               "- Certified Financial Analyst (CFA)\n\nSkills\nExcel, SQL\n")
    out, _ = exported(resume)
    assert [c["name"] for c in out["certificates"]] == ["Certified Public Accountant (CPA)", "Certified Financial Analyst (CFA)"]
    back = load_resume(write(tmp_path, out))
    assert shape(back) == shape(resume)
    assert [i.kind for i in back.sections[0].items] == [ItemKind.BULLET, ItemKind.BULLET] and not back.sections[0].entries
