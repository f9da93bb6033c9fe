"""Time export + read-back verification per format: the bundled sample and a generated 10-page CV.

Run: .venv/bin/python benchmarks/export.py [--repeat N]
Target: under 1 s per format (export + verify) for the sample.
"pdf·docx" is the PDF of a DOCX-sourced resume, drawn in the DOCX's look; its page counts
against real Word documents are in benchmarks/pdf_look.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import docx

from resume_tui.documents.export import write_export
from resume_tui.documents.ingest import load_resume
from resume_tui.documents.verify import verify_export
from resume_tui.models import Resume

SAMPLE = Path(__file__).resolve().parents[1] / "resume_tui" / "data" / "sample_resume.md"
FORMATS = ("docx", "pdf", "pdf·docx", "html", "md", "txt")


def long_cv_markdown(roles: int = 24, bullets: int = 7) -> str:
    """A long academic-style CV in Markdown (~10 PDF pages)."""
    lines = ["# Dr. Ana Łukasiewicz-Núñez", "",
             "Research Engineer · Zürich · ana.lukasiewicz@example.org · +41 44 123 45 67 · github.com/analuk", ""]
    lines += ["## Summary", "", "Research engineer with 20 years across distributed systems, data platforms "
              "and applied machine learning; led teams of up to 25 and published 30 papers.", ""]
    lines += ["## Experience", ""]
    for r in range(roles):
        lines += [f"### Principal Engineer {r + 1} — Company {r + 1} AG, Zürich ({1990 + r} – {1991 + r})", ""]
        for b in range(bullets):
            lines.append(f"- Project {r + 1}.{b + 1}: designed and shipped a streaming pipeline in Scala and Kafka "
                         f"that cut end-to-end latency from {400 + b} ms to {90 + b} ms for {r + 2} million users.")
        lines.append("")
    lines += ["## Publications", ""]
    lines += [f"- Łukasiewicz-Núñez, A. et al. ({2000 + p}). Paper number {p + 1} on consensus protocols. "
              f"Proc. of Conference {p + 1}." for p in range(30)]
    lines += ["", "## Skills", "", "- Scala, Python, Go, Kafka, Flink, Kubernetes, PostgreSQL", "",
              "## Education", "", "- PhD Computer Science, ETH Zürich (1988 – 1992)", ""]
    return "\n".join(lines)


def docx_original(resume_md: Path, folder: Path) -> Resume:
    """Render the Markdown as a DOCX and re-ingest it, so the DOCX in-place path is timed too."""
    text = resume_md.read_text(encoding="utf-8")
    document = docx.Document()
    for line in text.splitlines():
        if line.startswith("# "):
            document.add_paragraph(line[2:], style="Title")
        elif line.startswith("## "):
            document.add_paragraph(line[3:], style="Heading 1")
        elif line.startswith("### "):
            document.add_paragraph().add_run(line[4:]).bold = True
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line.strip():
            document.add_paragraph(line)
    path = folder / f"{resume_md.stem}-source.docx"
    document.save(path)
    return load_resume(path)


def tweak(resume: Resume) -> Resume:
    """Change one bullet so the in-place DOCX path has real work to do."""
    out = resume.model_copy(deep=True)
    for item in out.items():
        if item.kind.value == "bullet":
            item.text = item.text.rstrip(".") + ", with zero downtime."
            item.spans = []
            break
    return out


def bench(label: str, source: Path, folder: Path, repeat: int) -> list[tuple[str, str, float, float, int, bool]]:
    rows = []
    md_original = load_resume(source)
    docx_orig = docx_original(source, folder)
    for label_fmt in FORMATS:
        fmt = label_fmt.split("·")[0]
        original = docx_orig if label_fmt in ("docx", "pdf·docx") else md_original
        tailored = tweak(original)
        exports, verifies = [], []
        ok, size = True, 0
        for n in range(repeat):
            out = folder / f"{label}-{label_fmt.replace('·', '-')}-{n}.{fmt}"
            t0 = time.perf_counter()
            written = write_export(tailored, original, out, fmt)
            t1 = time.perf_counter()
            check = verify_export(out, fmt, tailored, [])
            t2 = time.perf_counter()
            exports.append(t1 - t0)
            verifies.append(t2 - t1)
            ok = ok and check.ok
            size = written.bytes
            if not check.ok:
                print(f"  {label} {label_fmt}: verification failed: {check.problems[:3]}", file=sys.stderr)
        rows.append((label, label_fmt, statistics.median(exports), statistics.median(verifies), size, ok))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        long_md = folder / "long_cv.md"
        long_md.write_text(long_cv_markdown(), encoding="utf-8")
        rows = bench("sample", SAMPLE, folder, args.repeat) + bench("10-page", long_md, folder, args.repeat)
        pages = _pdf_pages(folder / "10-page-pdf-0.pdf")
        look_pages = _pdf_pages(folder / "10-page-pdf-docx-0.pdf")
    print(f"{'document':<9} {'format':<8} {'export s':>9} {'verify s':>9} {'total s':>8} {'bytes':>8}  verified")
    for label, fmt, exp, ver, size, ok in rows:
        print(f"{label:<9} {fmt:<8} {exp:>9.3f} {ver:>9.3f} {exp + ver:>8.3f} {size:>8}  {'yes' if ok else 'NO'}")
    print(f"(median of {args.repeat}; the generated CV is {pages} PDF pages, {look_pages} in its DOCX's look)")
    slow = [r for r in rows if r[0] == "sample" and r[2] + r[3] >= 1.0]
    failed = [r for r in rows if not r[5]]
    return 1 if slow or failed else 0


def _pdf_pages(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(path).pages) if path.exists() else 0


if __name__ == "__main__":
    raise SystemExit(main())
