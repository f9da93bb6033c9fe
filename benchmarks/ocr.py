"""OCR of scanned resumes: seconds per page on this machine's cores, peak memory, word recall.

Each PDF page of the corpus (../shared/corpus) is drawn at 150 dpi, put back alone into an
image-only PDF (a scan with no text layer), and loaded as a resume, so the figures cover the
whole path a user's scan takes (pypdf image extraction, OCR, line grouping, segmentation).
Recall is the share of the original text layer's words that the OCR'd resume contains.
Then accents: the first page of the French and the Spanish resume kept in tests/data/corpus, read
the same way; of the original's words with an accented letter ("Expérience", "diseño"), how many
come back exactly, how many come back only without their accents, and how many accented letters
the OCR'd text holds at all (the bundled recognition model knows few of them).
Needs the extra: pip install "resume-tui[ocr]".

    python benchmarks/ocr.py [--pages N]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import resource
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"

from resume_tui.documents.ingest import load_resume  # noqa: E402
from resume_tui.documents.readers.ocr import ocr_available  # noqa: E402


def scan_of(pdf: bytes, index: int, dpi: int = 150) -> bytes:
    import pypdfium2
    from fpdf import FPDF

    document = pypdfium2.PdfDocument(pdf)
    image = document[index].render(scale=dpi / 72).to_pil().convert("L")
    document.close()
    png = io.BytesIO()
    image.save(png, format="PNG")
    width, height = (side * 72 / dpi for side in image.size)
    out = FPDF(unit="pt", format=(width, height))
    out.add_page()
    out.image(io.BytesIO(png.getvalue()), x=0, y=0, w=width, h=height)
    return bytes(out.output())


def _words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in re.findall(r"[^\W_]+", text))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=6, help="at most this many pages in all")
    args = parser.parse_args()
    if not ocr_available():
        print('OCR extra not installed (pip install "resume-tui[ocr]"); nothing measured')
        return 0
    from pypdf import PdfReader

    sources = sorted(CORPUS.glob("**/*.pdf")) if CORPUS.is_dir() else []
    if not sources:
        print("corpus not present; nothing measured")
        return 0
    print(f"cores: {os.cpu_count()}  (OCR threads: up to 2)")
    print(f"{'page':40} {'s':>6} {'recall':>7}")
    total_s = 0.0
    pages = 0
    hits = wanted = 0
    with tempfile.TemporaryDirectory() as tmp:
        for source in sources:
            data = source.read_bytes()
            for index, page in enumerate(PdfReader(io.BytesIO(data)).pages):
                if pages >= args.pages:
                    break
                original = _words(page.extract_text())
                path = Path(tmp) / f"{source.stem}_{index + 1}.pdf"
                path.write_bytes(scan_of(data, index))
                started = time.perf_counter()
                resume = load_resume(path)
                seconds = time.perf_counter() - started
                got = _words("\n".join(resume.header_lines) + "\n" + resume.full_text())
                hit = sum((original & got).values())
                total = sum(original.values())
                hits, wanted = hits + hit, wanted + total
                total_s += seconds
                pages += 1
                print(f"{source.stem[:34] + ' p' + str(index + 1):40} {seconds:>6.2f} {hit / max(1, total):>7.3f}")
    with tempfile.TemporaryDirectory() as accents_tmp:
        _accents(Path(accents_tmp))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{pages} page(s): {total_s / max(1, pages):.2f} s per page (engine load included in the first), "
          f"word recall {hits / max(1, wanted):.3f} ({hits}/{wanted}), peak RSS {peak_mb:.0f} MB")
    return 0


def _plain(word: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))


def _accents(tmp: Path) -> None:
    """Accented words of a French and a Spanish page: read back exactly, or only without accents."""
    data_dir = ROOT / "tests" / "data" / "corpus" / "resumes"
    exact = bare = total = letters = letters_read = 0
    for name in ("t03_physicien_fr_infographic.pdf", "t06_ingeniero_es_margin_dates.pdf"):
        source = data_dir / name
        if not source.exists():
            continue
        from pypdf import PdfReader

        data = source.read_bytes()
        text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
        accented = [w for w in re.findall(r"[^\W\d_]+", text) if _plain(w) != w]
        path = tmp / f"{source.stem}_scan.pdf"
        path.write_bytes(scan_of(data, 0))
        resume = load_resume(path)
        read = "\n".join(resume.header_lines) + "\n" + resume.full_text()
        got = {w.lower() for w in re.findall(r"[^\W\d_]+", read)}
        total += len(accented)
        exact += sum(w.lower() in got for w in accented)
        bare += sum(w.lower() not in got and _plain(w).lower() in got for w in accented)
        letters += sum(1 for w in accented for ch in w if _plain(ch) != ch)
        letters_read += sum(1 for ch in read if ch.isalpha() and _plain(ch) != ch)
    if total:
        print(f"accented words (fr + es page 1): {exact}/{total} read exactly, {bare} more read without their "
              f"accents; accented letters in the original {letters}, in the OCR'd text {letters_read}")


if __name__ == "__main__":
    raise SystemExit(main())
