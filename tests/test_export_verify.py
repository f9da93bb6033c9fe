"""Verification: every exported format is read back with our own ingest and checked."""

from __future__ import annotations

import sys
from pathlib import Path

import docx
import pytest
from lxml import etree

from resume_tui.documents.export import pdf as pdf_module
from resume_tui.documents.export import write_export
from resume_tui.documents.ingest import load_resume
from resume_tui.documents.verify import html_to_text, verify_export
from resume_tui.models import Change, ChangeAction, ChangeStatus, Item, ItemKind, Resume, SourceFormat

sys.path.insert(0, str(Path(__file__).parent))
from test_export_docx import build_docx  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[1] / "resume_tui" / "data" / "sample_resume.md"
FORMATS = ["docx", "pdf", "html", "md", "txt"]


def apply(resume: Resume, changes: list[Change]) -> Resume:
    """A minimal stand-in for analysis.apply so these tests depend on the export layer only."""
    out = resume.model_copy(deep=True)
    for n, change in enumerate(changes):
        section = out.section(change.section_id)
        ids = [i.id for i in section.items]
        if change.action == ChangeAction.REPLACE:
            item = section.items[ids.index(change.item_id)]
            item.text, item.spans = change.after, []
        elif change.action == ChangeAction.INSERT:
            at = ids.index(change.item_id) + 1 if change.item_id else 0
            kind = section.items[at - 1].kind if at else ItemKind.LINE
            section.items.insert(at, Item(id=f"{section.id}.n{n}", text=change.after, kind=kind))
        elif change.action == ChangeAction.DELETE:
            section.items.pop(ids.index(change.item_id))
        elif change.action == ChangeAction.REORDER:
            by_id = {i.id: i for i in section.items}
            section.items = [by_id[i] for i in change.order]
    return out


def first_with_bullets(resume: Resume):
    return next(s for s in resume.sections if sum(i.kind == ItemKind.BULLET for i in s.items) >= 3)


def changes_for(resume: Resume) -> list[Change]:
    section = first_with_bullets(resume)
    bullets = [i for i in section.items if i.kind == ItemKind.BULLET]
    first, second = bullets[0], bullets[1]
    order = [i.id for i in section.items]
    a, b = order.index(bullets[1].id), order.index(bullets[2].id)
    order[a], order[b] = order[b], order[a]
    return [
        Change(id="c1", section_id=section.id, item_id=first.id, action=ChangeAction.REPLACE, before=first.text,
               after=first.text.rstrip(".") + ", documented as an OpenAPI contract.", status=ChangeStatus.ACCEPTED),
        Change(id="c2", section_id=section.id, item_id=second.id, action=ChangeAction.INSERT,
               after="Wrote the on-call handbook for the platform team.", status=ChangeStatus.ACCEPTED),
        Change(id="c3", section_id=section.id, action=ChangeAction.REORDER, order=order, status=ChangeStatus.ACCEPTED),
    ]


def apply_in_order(resume: Resume, changes: list[Change]) -> Resume:
    tailored = apply(resume, changes[:2])
    # the reorder refers to the original ids; keep the inserted item after its anchor
    section = first_with_bullets(tailored)
    inserted = next(i for i in section.items if i.id.endswith(".n1"))
    rest = [i for i in section.items if i is not inserted]
    by_id = {i.id: i for i in rest}
    ordered = [by_id[i] for i in changes[2].order]
    anchor = ordered.index(by_id[changes[1].item_id])
    ordered.insert(anchor + 1, inserted)
    section.items = ordered
    return tailored


@pytest.mark.parametrize("fmt", FORMATS)
def test_sample_tailored_and_exported_reads_back_complete(tmp_path: Path, fmt: str):
    original = load_resume(SAMPLE)
    changes = changes_for(original)
    tailored = apply_in_order(original, changes)
    out = tmp_path / f"tailored.{fmt}"
    write_export(tailored, original, out, fmt)
    result = verify_export(out, fmt, tailored, changes)
    assert result.ok, result.problems


def test_docx_source_round_trip_through_ingest_keeps_untouched_xml(tmp_path: Path):
    source = tmp_path / "cv.docx"
    build_docx(source)
    original = load_resume(source)
    changes = changes_for(original)
    tailored = apply_in_order(original, changes)
    out = tmp_path / "cv-tailored.docx"
    written = write_export(tailored, original, out, "docx")
    assert written.notes == ()
    result = verify_export(out, "docx", tailored, changes)
    assert result.ok, result.problems
    old = [etree.tostring(p._p) for p in docx.Document(source).paragraphs]
    new = [etree.tostring(p._p) for p in docx.Document(out).paragraphs]
    changed_text = {changes[0].before}
    untouched = [x for x, p in zip(old, docx.Document(source).paragraphs) if p.text not in changed_text]
    for xml in untouched:
        assert xml in new
    assert len(new) == len(old) + 1
    bullet = next(p for p in docx.Document(out).paragraphs if p.text == changes[0].after)
    assert bullet.runs[0].bold and bullet.runs[0].text == "Python:"


def test_missing_accepted_change_fails_verification(tmp_path: Path):
    original = load_resume(SAMPLE)
    out = tmp_path / "cv.md"
    write_export(original, original, out, "md")
    claimed = Change(id="c9", section_id=original.sections[1].id, item_id=original.sections[1].items[0].id,
                     action=ChangeAction.REPLACE, after="Led a team of forty engineers.", status=ChangeStatus.ACCEPTED)
    result = verify_export(out, "md", original, [claimed])
    assert not result.ok
    assert any("c9" in p for p in result.problems)


def test_lost_item_and_lost_section_fail_verification(tmp_path: Path):
    original = load_resume(SAMPLE)
    out = tmp_path / "cv.txt"
    write_export(original, original, out, "txt")
    text = out.read_text(encoding="utf-8")
    bullet = first_with_bullets(original).items[-1].text
    text = text.replace(bullet, "").replace("Volunteering", "")
    text = text.replace("Mentor at Code for Portugal, teaching Python to career changers (2019 – present)", "")
    out.write_text(text, encoding="utf-8")
    result = verify_export(out, "txt", original, [])
    assert not result.ok
    assert any(bullet[:30] in p for p in result.problems)
    assert any("Volunteering" in p for p in result.problems)


def test_out_of_order_sections_fail_verification(tmp_path: Path):
    original = load_resume(SAMPLE)
    out = tmp_path / "cv.md"
    write_export(original, original, out, "md")
    text = out.read_text(encoding="utf-8")
    head, rest = text.split("## Summary", 1)
    summary, tail = rest.split("## Experience", 1)
    out.write_text(head + "## Experience" + tail.rstrip("\n") + "\n\n## Summary" + summary, encoding="utf-8")
    result = verify_export(out, "md", original, [])
    assert not result.ok
    assert any("out of order" in p for p in result.problems)


def test_contact_change_fails_verification(tmp_path: Path):
    original = load_resume(SAMPLE)
    out = tmp_path / "cv.txt"
    write_export(original, original, out, "txt")
    out.write_text(out.read_text(encoding="utf-8").replace("maya.okafor@example.com", "someone@else.org"), encoding="utf-8")
    result = verify_export(out, "txt", original, [])
    assert not result.ok and any("email" in p for p in result.problems)


def test_unreadable_or_missing_output_is_a_failed_verification_not_a_crash(tmp_path: Path):
    original = load_resume(SAMPLE)
    missing = verify_export(tmp_path / "nope.pdf", "pdf", original, [])
    assert not missing.ok and "not written" in missing.problems[0]
    broken = tmp_path / "cv.pdf"
    broken.write_bytes(b"%PDF-1.7\n garbage that is not a pdf")
    result = verify_export(broken, "pdf", original, [])
    assert not result.ok and "cannot be read back" in result.problems[0]


def test_pdf_without_a_font_for_the_name_fails_verification(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pdf_module, "find_fallback_fonts", lambda chars: [])
    original = load_resume(SAMPLE)
    tailored = original.model_copy(deep=True)
    tailored.contact.name = "王小明"
    tailored.header_lines = ["王小明", *tailored.header_lines]
    out = tmp_path / "cv.pdf"
    written = write_export(tailored, original, out, "pdf")
    assert written.notes
    result = verify_export(out, "pdf", tailored, [])
    assert not result.ok and any("王小明" in p for p in result.problems)


def test_html_to_text_keeps_structure_and_unescapes():
    html = "<html><head><style>h1{}</style><title>x</title></head><body><h1>Zoë</h1><h2>Skills</h2><ul><li>C &amp; C++</li></ul></body></html>"
    assert html_to_text(html).split("\n") == ["# Zoë", "", "## Skills", "", "- C & C++", ""]


def test_markdown_escapes_markup_and_keeps_bold_runs(tmp_path: Path):
    from resume_tui.documents.ingest import parse_resume_text
    from resume_tui.models import Contact, Section, SectionKind, TextSpan

    texts = ["C++ & *nix tooling, __init__ hooks, [draft] notes", "1. First line that starts with a number",
             "# not a heading", "- not a bullet", "Python: built the API"]
    resume = Resume(
        contact=Contact(name="Zoë Adler", email="zoe@example.com"),
        header_lines=["Zoë Adler", "zoe@example.com"],
        sections=[Section(id="s0", kind=SectionKind.PROJECTS, title="Projects", items=[
            Item(id=f"s0.{n}", text=t, kind=ItemKind.BULLET if n == 4 else ItemKind.LINE,
                 spans=[TextSpan(start=0, end=7, bold=True)] if n == 4 else [])
            for n, t in enumerate(texts)])],
    )
    out = tmp_path / "cv.md"
    write_export(resume, resume, out, "md")
    back = parse_resume_text(out.read_text(encoding="utf-8"), source_format=SourceFormat.MARKDOWN)
    got = [i.text for i in back.items()]
    for text in texts[0], texts[2], texts[4]:
        assert text in got, (text, got)
    # Ingest reads an escaped leading list marker ("1\\.", "\\-") as a list item on purpose (pandoc
    # output escapes real bullets); the words survive either way.
    for text in texts[1], texts[3]:
        assert any(text.endswith(g) for g in got), (text, got)
    bullet = next(i for i in back.items() if i.text == "Python: built the API")
    assert any(s.bold and (s.start, s.end) == (0, 7) for s in bullet.spans)
    assert verify_export(out, "md", resume, []).ok


def _random_resume_test():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from resume_tui.models import Contact, Section, SectionKind

    word = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Po", "Pd", "Ps", "Pe", "Sm", "Sc"),
                                          max_codepoint=0x4FF), min_size=1, max_size=12)
    line = st.lists(word, min_size=3, max_size=12).map(" ".join)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(texts=st.lists(line, min_size=1, max_size=5), fmt=st.sampled_from(FORMATS))
    def check(tmp_path_factory, texts, fmt):
        resume = Resume(
            contact=Contact(name="Zoë Adler", email="zoe@example.com"),
            header_lines=["Zoë Adler", "zoe@example.com"],
            sections=[Section(id="s0", kind=SectionKind.EXPERIENCE, title="Experience",
                              items=[Item(id=f"s0.{i}", kind=ItemKind.BULLET, text=t) for i, t in enumerate(texts)])],
        )
        out = tmp_path_factory.mktemp("h") / f"cv.{fmt}"
        write_export(resume, resume, out, fmt)
        result = verify_export(out, fmt, resume, [])
        assert result.ok, (fmt, texts, result.problems)

    return check


def test_any_latin_greek_cyrillic_text_survives_every_format(tmp_path_factory):
    _random_resume_test()(tmp_path_factory)
