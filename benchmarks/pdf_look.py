"""Does the PDF export of a DOCX resume keep its look? Page count against the source, text verified.

For every DOCX in ../shared/corpus and tests/data/corpus (never /work/heldout), export the
resume to PDF as resume-tui does (the DOCX's page, margins, fonts, sizes and spacing) and
compare its page count with the source document's:

- a LibreOffice rendering beside the DOCX (same name, .pdf, Producer "LibreOffice") when
  there is one: the corpus's formats/ folder has them;
- else docProps/app.xml <Pages>, which Word writes on save — trusted only when the same
  file's <Words> is within half of the document's own word count (converters such as pandoc
  copy a template app.xml, whose <Pages> says nothing about this document).

Each export is also read back with the project's verification (every word in order).
Target: within ±1 page of the source on every file. Exit status 1 when one misses it.

    python benchmarks/pdf_look.py                # the table
    python benchmarks/pdf_look.py --png DIR      # and page images (pdftoppm -r 50) to look at
    python benchmarks/pdf_look.py --fonts        # re-measure the font width table (pdf_faces.py)
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPORA = (ROOT.parent / "shared" / "corpus", ROOT / "tests" / "data" / "corpus")


def corpus_docx() -> list[Path]:
    found: list[Path] = []
    for folder in CORPORA:
        if folder.is_dir():
            found.extend(sorted(folder.rglob("*.docx")))
    return found


def pdf_pages(data: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def _document_words(path: Path) -> int:
    import docx

    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    texts += ["".join(t.text or "" for t in box.iter()) for box in document.element.body.xpath(".//w:txbxContent")]
    return sum(len(text.split()) for text in texts)


def reference_pages(path: Path) -> tuple[int, str] | None:
    """(pages, how it was known) for the source DOCX, or None when nothing trustworthy says."""
    rendering = path.with_suffix(".pdf")
    if rendering.is_file():
        import pypdf

        reader = pypdf.PdfReader(rendering)
        producer = str((reader.metadata or {}).get("/Producer", ""))
        if "libreoffice" in producer.lower():
            return len(reader.pages), "LibreOffice PDF"
    try:
        app = zipfile.ZipFile(path).read("docProps/app.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile):
        return None
    pages, words = re.search(r"<Pages>(\d+)</Pages>", app), re.search(r"<Words>(\d+)</Words>", app)
    if not pages or not words:
        return None
    actual = _document_words(path)
    if actual and abs(int(words.group(1)) - actual) <= 0.5 * actual:
        return int(pages.group(1)), "Word app.xml"
    return None


def measure(path: Path) -> dict[str, object]:
    from resume_tui.documents.export import write_export
    from resume_tui.documents.ingest import load_resume
    from resume_tui.documents.verify import verify_export

    resume = load_resume(path)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{path.stem}.pdf"
        t0 = time.perf_counter()
        written = write_export(resume, resume, out, "pdf")
        seconds = time.perf_counter() - t0
        check = verify_export(out, "pdf", resume, [])
        data = out.read_bytes()
    ref = reference_pages(path)
    ours = pdf_pages(data)
    return {
        "file": path.name,
        "source": ref[0] if ref else None,
        "how": ref[1] if ref else "unknown",
        "ours": ours,
        "ok": ref is None or abs(ours - ref[0]) <= 1,
        "verified": check.ok,
        "seconds": seconds,
        "notes": written.notes,
        "data": data,
    }


def render_png(data: bytes, stem: str, folder: Path) -> None:
    if not shutil.which("pdftoppm"):
        print("pdftoppm is not installed: no page images", file=sys.stderr)
        return
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / f"{stem}.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(folder / stem)], check=True)


def measure_fonts() -> None:
    """Print the width and line-height table of pdf_faces.py from the metric-compatible open fonts
    installed here (Debian: fonts-crosextra-carlito, fonts-crosextra-caladea, fonts-liberation2,
    fonts-texgyre, fonts-ebgaramond), measured on the corpus resumes' own text."""
    from fontTools.ttLib import TTFont

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in (CORPORA[0] / "resumes").glob("*.[mt][dx]*")]
    text = "".join(ch for ch in " ".join(texts) if ch.isprintable() and ord(ch) < 0x2100) or "The quick brown fox"

    def width(path: str) -> float:
        font = TTFont(path)
        cmap, hmtx, upm = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
        return sum(hmtx[cmap.get(ord(ch)) or cmap[ord("?")]][0] for ch in text) / upm

    def line(path: str) -> float:
        """Single line spacing as Word sets it: the font's ascender + descender + line gap."""
        hhea = TTFont(path)["hhea"]
        return (hhea.ascent - hhea.descent + hhea.lineGap) / TTFont(path)["head"].unitsPerEm

    dejavu = "/usr/share/fonts/truetype/dejavu/"
    base = {("sans", ""): width(dejavu + "DejaVuSans.ttf"), ("sans", "b"): width(dejavu + "DejaVuSans-Bold.ttf"),
            ("serif", ""): width(dejavu + "DejaVuSerif.ttf"), ("serif", "b"): width(dejavu + "DejaVuSerif-Bold.ttf")}
    crosextra, liberation = "/usr/share/fonts/truetype/crosextra/", "/usr/share/fonts/truetype/liberation2/"
    gyre, garamond = "/usr/share/texmf/fonts/opentype/public/tex-gyre/", "/usr/share/fonts/opentype/ebgaramond/"
    rows = [
        ("calibri", "sans", crosextra + "Carlito-Regular.ttf", crosextra + "Carlito-Bold.ttf"),
        ("cambria", "serif", crosextra + "Caladea-Regular.ttf", crosextra + "Caladea-Bold.ttf"),
        ("arial", "sans", liberation + "LiberationSans-Regular.ttf", liberation + "LiberationSans-Bold.ttf"),
        ("times new roman", "serif", liberation + "LiberationSerif-Regular.ttf", liberation + "LiberationSerif-Bold.ttf"),
        ("courier new", "sans", liberation + "LiberationMono-Regular.ttf", liberation + "LiberationMono-Bold.ttf"),
        ("helvetica", "sans", gyre + "texgyreheros-regular.otf", gyre + "texgyreheros-bold.otf"),
        ("arial narrow", "sans", gyre + "texgyreheroscn-regular.otf", gyre + "texgyreheroscn-bold.otf"),
        ("palatino", "serif", gyre + "texgyrepagella-regular.otf", gyre + "texgyrepagella-bold.otf"),
        ("bookman old style", "serif", gyre + "texgyrebonum-regular.otf", gyre + "texgyrebonum-bold.otf"),
        ("century schoolbook", "serif", gyre + "texgyreschola-regular.otf", gyre + "texgyreschola-bold.otf"),
        ("century gothic", "sans", gyre + "texgyreadventor-regular.otf", gyre + "texgyreadventor-bold.otf"),
        ("garamond", "serif", garamond + "EBGaramond12-Regular.otf", garamond + "EBGaramond12-Bold.otf"),
    ]
    for name, face, regular, bold in rows:
        if not (Path(regular).is_file() and Path(bold).is_file()):
            print(f"{name}: not installed here")
            continue
        print(f'"{name}": ("{face}", {width(regular) / base[(face, "")]:.3f}, '
              f'{width(bold) / base[(face, "b")]:.3f}, {line(regular):.3f}),')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", type=Path, help="write page images (50 dpi) of every export here")
    parser.add_argument("--fonts", action="store_true", help="re-measure the font table and exit")
    args = parser.parse_args()
    if args.fonts:
        measure_fonts()
        return 0
    files = corpus_docx()
    if not files:
        print("no corpus DOCX present; nothing to do")
        return 0
    rows = [measure(path) for path in files]
    print(f"{'document':<42} {'source':>6}  {'measured by':<16} {'PDF':>4} {'±1':>3}  verified  {'s':>5}")
    for row in rows:
        source = row["source"] if row["source"] is not None else "?"
        print(f"{row['file']:<42} {source:>6}  {row['how']:<16} {row['ours']:>4} {'yes' if row['ok'] else 'NO':>3}  "
              f"{'yes' if row['verified'] else 'NO':<8}  {row['seconds']:>5.2f}")
        if args.png:
            render_png(row["data"], Path(str(row["file"])).stem, args.png)  # type: ignore[arg-type]
    exact = sum(1 for r in rows if r["source"] is not None and r["source"] == r["ours"])
    known = sum(1 for r in rows if r["source"] is not None)
    print(f"same page count {exact}/{known}, within ±1 {sum(1 for r in rows if r['ok'] and r['source'] is not None)}/{known}, "
          f"verified {sum(1 for r in rows if r['verified'])}/{len(rows)}")
    for row in rows[:1]:
        for note in row["notes"]:  # type: ignore[attr-defined]
            print(f"note ({row['file']}): {note}")
    return 0 if all(r["ok"] and r["verified"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
