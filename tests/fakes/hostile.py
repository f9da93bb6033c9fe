"""Builders for hostile documents: each returns the bytes of a file an attacker (or a broken
tool) could hand us. Built in code, never stored, so a test shows exactly what it feeds in.
Shared by tests/test_hostile_files.py and benchmarks/ingest_limits.py.
"""

from __future__ import annotations

import io
import zipfile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "{overrides}</Types>"
)
_STYLES_CT = (
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_IMAGE_REL = (
    '<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
    'Target="media/image{n}.png"/>'
)
_STYLES_REL = (
    '<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
)

RESUME_LINES = [
    "Jane Doe",
    "jane@example.com · +1 555 010 0000",
    "Experience",
    "Senior Engineer, Contoso — 2019 – Present",
    "Built Python services on Kubernetes for 2 million users.",
    "Education",
    "BSc Computer Science, State University, 2015",
]


def _p(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def document_xml(body: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    )


def docx(body: str | None = None, *, prolog: str = "", styles: bytes | None = None,
         images: dict[int, tuple[int, int]] | None = None, raw_document: bytes | None = None) -> bytes:
    """A minimal valid DOCX. `images`: {n: (uncompressed size, ...)} adds word/media/image{n}.png
    filled with zeros (highly compressible: a bomb when large); `styles` adds a styles part."""
    body = body if body is not None else "".join(_p(line) for line in RESUME_LINES)
    rels = []
    overrides = ""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if styles is not None:
            overrides += _STYLES_CT
            rels.append(_STYLES_REL)
        for n in images or {}:
            rels.append(_IMAGE_REL.format(n=n))
        z.writestr("[Content_Types].xml", _CT.format(overrides=overrides))
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr(
            "word/_rels/document.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels) + "</Relationships>",
        )
        z.writestr("word/document.xml", raw_document if raw_document is not None else document_xml(body, prolog))
        if styles is not None:
            z.writestr("word/styles.xml", styles)
        for n, (size, _) in (images or {}).items():
            with z.open(f"word/media/image{n}.png", "w", force_zip64=True) as fh:
                fh.write(b"\x89PNG\r\n\x1a\n")
                chunk = b"\0" * (1 << 20)
                left = size - 8
                while left > 0:
                    fh.write(chunk[: min(left, len(chunk))])
                    left -= len(chunk)
    return out.getvalue()


def zip_bomb_image(size: int = 1 << 30) -> bytes:
    """A resume whose image part inflates to `size` bytes (1 GB by default) from ~1 MB."""
    return docx(images={1: (size, 0)})


def bloated_styles(size: int = 300 << 20) -> bytes:
    """A styles part of `size` bytes of one repeated empty style (compresses ~1000:1)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}">'.encode()
    style = b'<w:style w:type="paragraph" w:styleId="x"><w:name w:val="x"/></w:style>'
    return docx(styles=head + style * (size // len(style)) + b"</w:styles>")


def many_paragraphs(count: int = 50_000) -> bytes:
    lines = RESUME_LINES[:4] + [f"Delivered project number {i} on time and under budget." for i in range(count)]
    return docx("".join(_p(line) for line in lines))


def big_table(rows: int = 5_000, cols: int = 3) -> bytes:
    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc>{_p(f'row {r} cell {c}')}</w:tc>" for c in range(cols)) + "</w:tr>"
        for r in range(rows)
    )
    return docx("".join(_p(line) for line in RESUME_LINES) + f"<w:tbl>{cells}</w:tbl>")


def billion_laughs(levels: int = 10) -> bytes:
    """Entity expansion: &lol9; would expand to 10^9 "lol"s if entities were resolved."""
    ents = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, levels)
    )
    prolog = f"<!DOCTYPE w:document [{ents}]>"
    body = "".join(_p(line) for line in RESUME_LINES) + _p(f"&lol{levels - 1};")
    return docx(body, prolog=prolog)


def external_entity(target: str) -> bytes:
    """An external entity pointing at a local file (or URL): must never be read."""
    prolog = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{target}">]>'
    body = "".join(_p(line) for line in RESUME_LINES) + _p("Secret: &xxe;")
    return docx(body, prolog=prolog)


# ---------------------------------------------------------------------------- PDF


def _pdf(objects: list[bytes], root: int = 1) -> bytes:
    """Assemble numbered objects (1-based) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _stream(data: bytes) -> bytes:
    return f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def text_pdf(lines: list[str] | None = None) -> bytes:
    lines = lines or RESUME_LINES
    ops = b"BT /F1 11 Tf 72 720 Td 14 TL " + b" ".join(
        b"(" + line.encode("latin-1", "replace") + b") Tj T*" for line in lines) + b" ET"
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(ops),
        _FONT,
    ])


def looping_page_tree() -> bytes:
    """A /Pages node whose kid is itself (and a second node pointing back): an endless tree."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
    ])


def blank_pages(count: int = 2_000) -> bytes:
    kids = " ".join(f"{3 + i} 0 R" for i in range(count)).encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * count
    return _pdf(objects)


def operator_bomb(repeats: int = 400_000) -> bytes:
    """A tiny compressed content stream that expands to hundreds of thousands of text operators."""
    import zlib

    ops = b"BT /F1 1 Tf " + b"1 0 0 1 0 0 Tm (x) Tj " * repeats + b"ET"
    data = zlib.compress(ops, 9)
    stream = f"<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode() + data + b"\nendstream"
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        stream,
        _FONT,
    ])
