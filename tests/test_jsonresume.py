"""JSON Resume import: schema validation with errors naming the field, pre-1.0 names, exact entries."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from resume_tui.documents.ingest import load_resume, read_document
from resume_tui.documents.jsonresume.fields import object_of_line, to_iso
from resume_tui.documents.jsonresume.schema import problems, schema
from resume_tui.errors import InputError
from resume_tui.models import ItemKind, SectionKind, SourceFormat

SAMPLE = Path(__file__).parent / "data" / "jsonresume" / "jr01_richard_hendriks_sample.json"

# Modelled on a real pre-1.0 resume (company/website/picture/gpa, empty lists, an open-ended role).
OLD_SCHEMA: dict[str, Any] = {
    "basics": {
        "name": "Ron Adams", "label": "Software Architect", "picture": "", "email": "ron@example.com",
        "phone": "Upon request", "website": "https://ron.example.com/",
        "summary": "Building web products since 2000.",
        "location": {"postalCode": "02143", "city": "Somerville", "countryCode": "US", "region": "Massachusetts"},
        "profiles": [{"network": "GitHub", "username": "ronadams", "url": "https://github.com/ronadams/"}],
    },
    "work": [
        {"company": "Cinch Financial", "position": "Senior Engineer", "website": "https://cinch.example.com/",
         "startDate": "2016-11-07", "endDate": "2018-09-24", "summary": "Personal finance manager.",
         "highlights": ["Led a team of engineers.", "Raised code coverage from 6% to 33%."]},
        {"company": "visual assault, llc", "position": "Founder", "startDate": "2004-02-01",
         "highlights": ["Developed a Bitcoin card game."]},
    ],
    "volunteer": [], "awards": [], "publications": [],
    "education": [{"institution": "Northeastern University", "area": "Computer Science", "studyType": "Bachelor of Science",
                   "startDate": "1999-09-01", "endDate": "2004-05-01", "gpa": "", "courses": ["Algorithms", "Cognition"]}],
    "skills": [{"name": "Languages", "level": "Master", "keywords": ["Python", "JavaScript"]}],
    "languages": [{"language": "English", "fluency": "Native"}],
    "interests": [{"name": "Technology", "keywords": ["Privacy", "Cryptography"]}],
}
# Modelled on a real mixed-schema file: meta first, name+position with website, an end before the start,
# extra "pinned" keys, education without an end date, interests with a name only.
MIXED_TEXT = "\n" + json.dumps({
    "meta": {"theme": "elegant"},
    "basics": {"name": "Kyle Oliver", "picture": "https://example.com/a.png", "label": "Software Developer",
               "summary": "Six years of professional experience.", "website": "https://github.com/kyle",
               "email": "kyle@example.com", "location": {"city": "Cincinnati", "countryCode": "USA"}},
    "education": [{"startDate": "2018-08-12", "area": "Chemistry", "studyType": "Bachelors",
                   "institution": "The University of Cincinnati"}],
    "skills": [{"name": "Python/Etc  Packaging / App Dev", "keywords": ["Data Pipelines", "CLI Tools"]}],
    "work": [{"summary": "Red team utilities.", "pinned": True, "name": "Joint Research", "position": "AI Red Team",
              "startDate": "2025-11-06", "endDate": "2025-01-25", "highlights": ["Wrote an automation library."]},
             {"website": "https://kinetic.example.com/", "name": "Kinetic Vision", "location": "Cincinnati, OH",
              "position": "Software Developer II", "startDate": "2023-01-03", "endDate": "2025-10-16",
              "highlights": ["Wrote a computer vision package."]}],
    "interests": [{"name": "Open source development"}],
}, indent=2)


def write(tmp_path: Path, doc: Any, name: str = "resume.json") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def test_bundled_schema_is_the_official_v121_draft07() -> None:
    data = schema()
    assert data["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert {"basics", "work", "education", "skills", "projects", "certificates", "meta"} <= set(data["properties"])
    assert (Path(__file__).parents[1] / "resume_tui" / "data" / "jsonresume" / "LICENSE-schema.txt").is_file()


def test_official_sample_is_valid_and_maps_into_entries() -> None:
    assert problems(json.loads(SAMPLE.read_text(encoding="utf-8"))) == []
    resume = load_resume(SAMPLE)
    assert resume.source_format is SourceFormat.JSON_RESUME and resume.warnings == []
    assert resume.contact.name == "Richard Hendriks" and resume.contact.email == "richard.hendriks@mail.com"
    assert resume.contact.phone == "(912) 555-4321"
    assert "https://soundcloud.example.com/dandymusicnl" in resume.contact.links
    assert resume.header_lines[:2] == ["Richard Hendriks", "Programmer"]
    kinds = [s.kind for s in resume.sections]
    assert kinds[:4] == [SectionKind.SUMMARY, SectionKind.EXPERIENCE, SectionKind.VOLUNTEERING, SectionKind.EDUCATION]
    work = resume.sections[1]
    (entry,) = work.entries
    assert (entry.title, entry.organization, entry.location, entry.start, entry.end) == (
        "CEO/President", "Pied Piper", "Palo Alto, CA", "2013-12-01", "2014-12-01")
    assert [resume.item(i).kind for i in entry.header_ids] == [ItemKind.ROLE]
    bullets = [resume.item(i).text for i in entry.item_ids if resume.item(i).kind is ItemKind.BULLET]
    assert bullets[1] == "Successfully won Techcrunch Disrupt"
    education = next(s for s in resume.sections if s.kind is SectionKind.EDUCATION)
    assert education.entries[0].title == "Bachelor in Information Technology"
    assert education.entries[0].organization == "University of Oklahoma"
    skills = next(s for s in resume.sections if s.kind is SectionKind.SKILLS)
    assert [i.text for i in skills.items] == ["Web Development (Master): HTML, CSS, Javascript", "Compression (Master): Mpeg, MP4, GIF"]
    references = next(s for s in resume.sections if s.title == "References")
    assert references.entries[0].title == "Erlich Bachman"


def test_old_field_names_are_read_as_v1_and_named_in_a_warning(tmp_path: Path) -> None:
    resume = load_resume(write(tmp_path, OLD_SCHEMA))
    (warning,) = resume.warnings
    assert "pre-1.0" in warning and "company → name (2×)" in warning and "picture → image" in warning and "gpa → score" in warning
    work = next(s for s in resume.sections if s.kind is SectionKind.EXPERIENCE)
    assert [e.organization for e in work.entries] == ["Cinch Financial", "visual assault, llc"]
    founder = work.entries[1]
    assert founder.end == "Present"  # JSON Resume: no end date on a dated role means current
    assert resume.item(founder.header_ids[0]).text == "Founder — visual assault, llc | 2004-02-01 – Present"
    assert "https://ron.example.com/" in resume.contact.links
    assert not any(s.kind is SectionKind.AWARDS for s in resume.sections)  # empty lists make no section


def test_mixed_file_with_leading_blank_line_dates_out_of_order_and_extra_keys(tmp_path: Path) -> None:
    resume = load_resume(write(tmp_path, MIXED_TEXT))
    assert any("work[0] ends (2025-01-25) before it starts (2025-11-06)" in w for w in resume.warnings)
    assert [s.kind for s in resume.sections] == [SectionKind.SUMMARY, SectionKind.EDUCATION, SectionKind.SKILLS,
                                                 SectionKind.EXPERIENCE, SectionKind.INTERESTS]  # the file's order
    work = resume.sections[3]
    assert work.entries[0].start == "2025-11-06" and work.entries[0].end == "2025-01-25"  # kept as written
    assert work.entries[1].location == "Cincinnati, OH"
    education = resume.sections[1].entries[0]
    assert education.end is None  # no "Present" invented for a degree
    assert resume.sections[4].items[0].text == "Open source development"


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d["work"][0].update(startDate="2019-13"), "work[0].startDate: '2019-13' is not a valid date (use YYYY, YYYY-MM or YYYY-MM-DD)"),
    (lambda d: d["work"][0].update(endDate="June 2019"), "work[0].endDate: 'June 2019' is not a valid date"),
    (lambda d: d["education"][0].update(endDate="2021-02-30"), "education[0].endDate: '2021-02-30' is not a valid date"),
    (lambda d: d["work"][0].update(highlights="Led a team"), "work[0].highlights: should be a list, not text"),
    (lambda d: d["basics"].update(email="not-an-email"), "basics.email: 'not-an-email' is not a valid email address"),
    (lambda d: d["skills"][0].update(keywords=["Python", 3]), "skills[0].keywords[1]: should be text, not a number"),
    (lambda d: d.update(work={"name": "Acme"}), "work: should be a list, not an object"),
])
def test_schema_errors_name_the_field_in_one_sentence(tmp_path: Path, mutate, message: str) -> None:
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    mutate(doc)
    with pytest.raises(InputError) as caught:
        load_resume(write(tmp_path, doc))
    text = str(caught.value)
    assert text.startswith("resume.json is not a valid JSON Resume: ") and message in text
    assert "\n" not in text and "Traceback" not in text


def test_several_errors_are_counted(tmp_path: Path) -> None:
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    doc["work"][0]["startDate"] = "2019-13"
    doc["awards"][0]["date"] = "soon"
    doc["basics"]["name"] = 42
    with pytest.raises(InputError, match=r"\(and 2 more problems\)\.$"):
        load_resume(write(tmp_path, doc))


@pytest.mark.parametrize(("text", "message"), [
    ('{"basics": {"name": "A"},', "is not valid JSON (line 1, column"),
    ('{"name": "A", "items": []}', "is JSON but not a JSON Resume"),
    ("[1, 2]", "is JSON but not a JSON Resume"),
])
def test_not_json_resume_is_one_clear_sentence(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    if text.startswith("["):  # not sniffed as JSON (only "{" is): read as text, never as a JSON Resume
        assert load_resume(path).source_format is SourceFormat.TEXT
        return
    with pytest.raises(InputError, match=re.escape(message)):
        load_resume(path)


def test_read_document_gives_the_resume_text_for_verification() -> None:
    extracted = read_document(SAMPLE)
    assert extracted.source_format is SourceFormat.JSON_RESUME
    assert "CEO/President — Pied Piper" in extracted.text and "Won award at AIHacks 2016" in extracted.text


def test_json_named_txt_is_read_as_json_with_a_mismatch_warning(tmp_path: Path) -> None:
    path = write(tmp_path, SAMPLE.read_text(encoding="utf-8"), name="resume.txt")
    resume = load_resume(path)
    assert resume.source_format is SourceFormat.JSON_RESUME
    assert "named .txt but contains JSON data" in resume.warnings[0]


@pytest.mark.parametrize(("written", "iso"), [
    ("Jan 2020", "2020-01"), ("September 2019", "2019-09"), ("Sept. 2019", "2019-09"), ("01/2020", "2020-01"),
    ("2020", "2020"), ("2020-01-15", "2020-01-15"), ("Present", None), ("current", None), ("Summer 2019", "2019"),
    ("13/2020", "2020"), ("soon", None),
])
def test_written_dates_become_iso(written: str, iso: str | None) -> None:
    assert to_iso(written) == iso


@pytest.mark.parametrize(("key", "line", "obj"), [
    ("skills", "Web Development (Master): HTML, CSS", {"name": "Web Development", "level": "Master", "keywords": ["HTML", "CSS"]}),
    ("skills", "Python", {"name": "Python"}),
    ("skills", "Languages: C++, C#", {"name": "Languages", "keywords": ["C++", "C#"]}),
    ("skills", "Tools:  Git,,Docker", {"name": "Tools:  Git,,Docker"}),  # would not come back unchanged: kept whole
    ("languages", "English: Native", {"language": "English", "fluency": "Native"}),
    ("interests", "Hiking (weekends): Alps", {"name": "Hiking (weekends): Alps"}),
])
def test_list_lines_map_to_objects_exactly(key: str, line: str, obj: dict[str, Any]) -> None:
    assert object_of_line(key, line) == obj


def test_saved_header_lines_are_ignored_once_the_fields_were_edited_elsewhere(tmp_path: Path) -> None:
    doc = copy.deepcopy(OLD_SCHEMA)
    doc["work"][0].update(startDate="2016-11", endDate="2018-09")
    doc["work"][0]["x-resume-tui"] = {"header": ["Senior Engineer, Cinch Financial (Nov 2016 – Sep 2018)"]}
    resume = load_resume(write(tmp_path, doc))
    work = next(s for s in resume.sections if s.kind is SectionKind.EXPERIENCE)
    assert work.items[0].text == "Senior Engineer, Cinch Financial (Nov 2016 – Sep 2018)"  # still agrees with the fields
    doc["work"][0]["position"] = "Staff Engineer"  # edited in another tool: the fields win
    resume = load_resume(write(tmp_path, doc))
    work = next(s for s in resume.sections if s.kind is SectionKind.EXPERIENCE)
    assert work.items[0].text == "Staff Engineer — Cinch Financial | 2016-11 – 2018-09"


def test_a_resume_with_too_many_lines_is_refused_naming_the_limit(tmp_path: Path) -> None:
    doc = {"basics": {"name": "A"}, "work": [{"name": "Acme", "highlights": ["Did a thing."] * 20_001}]}
    with pytest.raises(InputError, match=r"20,002 lines, over the 20,000-line limit"):
        load_resume(write(tmp_path, doc))
