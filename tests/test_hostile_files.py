"""Hostile documents: each is built here, fed to ingest, and must end fast, in bounded memory,
with either a normal result or one sentence naming the limit it crossed (issue 19, item 1)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from fakes import hostile

from resume_tui.documents.ingest import load_resume
from resume_tui.documents.readers import docx_limits
from resume_tui.errors import InputError

TESTS = Path(__file__).resolve().parent


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _timed_load(path: Path) -> tuple[float, object]:
    started = time.perf_counter()
    try:
        outcome: object = load_resume(path)
    except InputError as exc:
        outcome = exc
    return time.perf_counter() - started, outcome


# ---------------------------------------------------------------------------- DOCX


def test_zip_bomb_image_is_never_inflated(tmp_path: Path) -> None:
    path = _write(tmp_path, "bomb.docx", hostile.zip_bomb_image(256 << 20))
    elapsed, outcome = _timed_load(path)
    assert not isinstance(outcome, InputError), outcome  # the text is fine: the image is simply not read
    assert "Jane Doe" in outcome.contact.name  # type: ignore[attr-defined]
    assert elapsed < 2


def test_bloated_styles_part_is_refused_with_its_size(tmp_path: Path) -> None:
    path = _write(tmp_path, "styles.docx", hostile.bloated_styles(120 << 20))
    elapsed, outcome = _timed_load(path)
    assert isinstance(outcome, InputError)
    assert "word/styles.xml" in str(outcome) and "MB" in str(outcome) and "limit" in str(outcome)
    assert elapsed < 1


def test_fifty_thousand_paragraphs_are_refused_naming_the_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, "long.docx", hostile.many_paragraphs(50_000))
    elapsed, outcome = _timed_load(path)
    assert isinstance(outcome, InputError)
    assert f"{docx_limits.MAX_PARAGRAPHS:,} paragraphs" in str(outcome)
    assert elapsed < 5


def test_five_thousand_row_table_is_refused_naming_a_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, "table.docx", hostile.big_table(5_000))
    elapsed, outcome = _timed_load(path)
    assert isinstance(outcome, InputError)
    assert "over the limit" in str(outcome)
    assert elapsed < 5


def test_largest_allowed_docx_parses_in_linear_time(tmp_path: Path) -> None:
    """Just under the paragraph limit: read in full, well under 5 s (it was minutes)."""
    count = docx_limits.MAX_PARAGRAPHS - 10
    path = _write(tmp_path, "big.docx", hostile.many_paragraphs(count))
    elapsed, outcome = _timed_load(path)
    assert not isinstance(outcome, InputError), outcome
    assert len(outcome.items()) >= count  # type: ignore[attr-defined]
    assert elapsed < 5


def test_billion_laughs_is_refused_without_expanding(tmp_path: Path) -> None:
    path = _write(tmp_path, "lol.docx", hostile.billion_laughs())
    elapsed, outcome = _timed_load(path)
    assert isinstance(outcome, InputError)
    assert "DTD or entities" in str(outcome)
    assert elapsed < 1


def test_external_entity_is_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    path = _write(tmp_path, "xxe.docx", hostile.external_entity(secret.as_uri()))
    _, outcome = _timed_load(path)
    assert isinstance(outcome, InputError)
    assert "TOP-SECRET-VALUE" not in str(outcome)


def test_python_docx_parser_itself_never_resolves_entities(tmp_path: Path) -> None:
    """Belt and braces: even past our DOCTYPE refusal, the XML parser does not read the file."""
    from docx.oxml.parser import parse_xml

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    xml = hostile.document_xml(
        '<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>',
        prolog=f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>',
    )
    from lxml import etree

    element = parse_xml(xml.encode())
    assert b"TOP-SECRET-VALUE" not in etree.tostring(element)


def test_too_many_members_and_xml_total_are_refused_with_sizes() -> None:
    infos = [zipfile.ZipInfo(f"word/part{i}.xml") for i in range(docx_limits.MAX_MEMBERS + 1)]
    with pytest.raises(InputError, match="2,001 files"):
        docx_limits.check_members(infos, "x.docx")
    parts = []
    for i in range(4):
        info = zipfile.ZipInfo(f"word/p{i}.xml")
        info.file_size = 9 << 20
        parts.append(info)
    with pytest.raises(InputError, match=r"36\.0 MB in total, over the 25\.0 MB limit"):
        docx_limits.check_members(parts, "x.docx")


def test_in_place_export_never_copies_a_bomb_member(tmp_path: Path) -> None:
    """The resume reads fine (its image is skipped), but the DOCX export must not carry the
    oversized image: the clean DOCX is written instead, with a note saying why."""
    from resume_tui.documents.export import render

    size = docx_limits.MAX_MEDIA_MEMBER + (8 << 20)
    path = _write(tmp_path, "bomb.docx", hostile.zip_bomb_image(size))
    resume = load_resume(path)
    data, notes = render(resume, resume, "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as out:
        assert max(i.file_size for i in out.infolist()) < docx_limits.MAX_MEDIA_MEMBER
        assert not any(i.filename.startswith("word/media/") for i in out.infolist())
    assert notes and "word/media/image1.png" in notes[0] and "clean DOCX" in notes[0]


# ---------------------------------------------------------------------------- PDF


def test_pdf_with_a_looping_page_tree_is_refused_fast(tmp_path: Path) -> None:
    path = _write(tmp_path, "loop.pdf", hostile.looping_page_tree())
    elapsed, outcome = _timed_load(path)
    assert isinstance(outcome, InputError)
    assert "page tree" in str(outcome)
    assert elapsed < 2


def test_two_thousand_blank_pages_are_bounded(tmp_path: Path) -> None:
    path = _write(tmp_path, "blank.pdf", hostile.blank_pages(2_000))
    elapsed, outcome = _timed_load(path)
    assert isinstance(outcome, InputError)
    assert "no extractable text" in str(outcome)
    assert elapsed < 3


def test_pdf_operator_bomb_is_refused_naming_the_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, "ops.pdf", hostile.operator_bomb(400_000))
    assert path.stat().st_size < 40_000
    elapsed, outcome = _timed_load(path)
    assert isinstance(outcome, InputError)
    assert "drawing instructions" in str(outcome) and "250,000" in str(outcome)
    assert elapsed < 6


def test_pdf_cpu_budget_refuses_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from resume_tui.documents.readers import pdf

    monkeypatch.setattr(pdf, "CPU_BUDGET_S", 0.0)
    path = _write(tmp_path, "cv.pdf", hostile.text_pdf())
    with pytest.raises(InputError, match=r"more than 0 s of processing"):
        load_resume(path)


def test_a_plain_text_pdf_still_reads(tmp_path: Path) -> None:
    resume = load_resume(_write(tmp_path, "cv.pdf", hostile.text_pdf()))
    assert resume.contact.name == "Jane Doe"


# ---------------------------------------------------------------------------- peak memory, in a child


_CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    from resume_tui.documents.ingest import load_resume
    from resume_tui.errors import InputError
    started = time.perf_counter()
    try:
        load_resume(sys.argv[1]); outcome = "ok"
    except InputError as exc:
        outcome = str(exc)
    print(json.dumps({"outcome": outcome, "seconds": time.perf_counter() - started}))
    """
)


_WRAPPER = textwrap.dedent(
    """
    import json, resource, subprocess, sys
    proc = subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2]], capture_output=True, text=True)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"rc": proc.returncode, "out": proc.stdout, "err": proc.stderr[-2000:], "peak_kb": peak_kb}))
    """
)


def _child_peak_mb(path: Path) -> tuple[float, dict]:
    """Run ingest in a fresh grandchild and read its peak RSS from a fresh parent's
    RUSAGE_CHILDREN (so no earlier child of the test process can be the one measured)."""
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, _CHILD, str(path)], capture_output=True, text=True,
                          timeout=120)
    report = json.loads(proc.stdout)
    assert report["rc"] == 0, report["err"]
    return report["peak_kb"] / 1024, json.loads(report["out"])


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KB on Linux")
@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("bomb.docx", lambda: hostile.zip_bomb_image(600 << 20)),
        ("styles.docx", lambda: hostile.bloated_styles(200 << 20)),
        ("ops.pdf", lambda: hostile.operator_bomb(400_000)),
    ],
)
def test_peak_memory_stays_under_300_mb(tmp_path: Path, name: str, build) -> None:  # noqa: ANN001
    path = _write(tmp_path, name, build())
    peak_mb, result = _child_peak_mb(path)
    assert peak_mb < 300, (peak_mb, result)
    assert result["seconds"] < 10


def test_an_oversized_text_resume_is_refused_naming_the_limit(tmp_path: Path) -> None:
    from resume_tui.documents.ingest import MAX_RESUME_LINES

    path = _write(tmp_path, "huge.txt", ("- Built Python services for many users.\n" * 200_000).encode())
    elapsed, outcome = _timed_load(path)
    assert isinstance(outcome, InputError)
    assert f"{MAX_RESUME_LINES:,}-line limit" in str(outcome) and "huge.txt" in str(outcome)
    assert elapsed < 3


def test_docx_cpu_budget_refuses_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_limits, "CPU_BUDGET_S", 0.0)
    path = _write(tmp_path, "cv.docx", hostile.docx())
    with pytest.raises(InputError, match=r"cv.docx needed more than 0 s of processing"):
        load_resume(path)
