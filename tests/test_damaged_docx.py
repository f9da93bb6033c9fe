"""A Word file without its body (word/document.xml) is named as a damaged Word file, not a spreadsheet."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from resume_tui.documents.ingest import load_resume
from resume_tui.documents.sniff import Kind, sniff
from resume_tui.errors import InputError


def _real_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Experience", style="Heading 1")
    document.add_paragraph("Engineer, Acme, 2019 - 2021")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _without(data: bytes, *dropped: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename not in dropped:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


@pytest.mark.parametrize("name", ["cv.docx", "cv.bin"])
def test_docx_without_document_xml_is_a_damaged_word_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(_without(_real_docx(), "word/document.xml"))
    assert sniff(path, path.read_bytes()[:8192]) is Kind.DAMAGED_DOCX
    with pytest.raises(InputError) as caught:
        load_resume(path)
    message = str(caught.value)
    assert f"{name} is a damaged Word file (no document body)" in message
    assert "spreadsheet" not in message and "presentation" not in message and "\n" not in message


def test_only_the_package_skeleton_left_named_docx_is_damaged_word(tmp_path: Path) -> None:
    data = _real_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        words = [n for n in archive.namelist() if n.startswith("word/")]
    path = tmp_path / "cv.docx"
    path.write_bytes(_without(data, *words))  # [Content_Types].xml and _rels only
    with pytest.raises(InputError, match=r"damaged Word file \(no document body\)"):
        load_resume(path)


@pytest.mark.parametrize(("member", "expected"), [("xl/workbook.xml", Kind.OFFICE_OTHER), ("ppt/presentation.xml", Kind.OFFICE_OTHER)])
def test_real_spreadsheets_and_presentations_are_still_named_so(tmp_path: Path, member: str, expected: Kind) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    path = tmp_path / "cv.zip"
    path.write_bytes(buffer.getvalue())
    assert sniff(path, path.read_bytes()[:8192]) is expected
    with pytest.raises(InputError, match="spreadsheet or presentation"):
        load_resume(path)
