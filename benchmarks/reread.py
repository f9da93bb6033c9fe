"""An independent re-read of an exported resume: is every original bullet still under its own role,
every skill and figure still there, and nothing claimed that the original does not say?

"Independent" means it does not use the project's reader or segmenter on the exported file: a PDF is
read with poppler's `pdftotext`, a DOCX with python-docx's raw paragraph text, Markdown/text as bytes.
It then works on whitespace-normalised text positions only. Used by benchmarks/corpus.py and by the
corpus tests (issue 11).

    python benchmarks/reread.py RESUME JD          # tailor offline, export docx+pdf+md, re-read, report
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from resume_tui.analysis.facts import FactKind, build_fact_base, extract_facts  # noqa: E402
from resume_tui.models import Change, ChangeAction, Resume  # noqa: E402

_KEPT = {FactKind.SKILL, FactKind.NUMBER, FactKind.PERCENT, FactKind.MONEY, FactKind.YEAR, FactKind.DATE}
_NAMES = _KEPT | {FactKind.NAME}  # names must all survive; a new one is not a claim by itself (sentence case)


@dataclass
class Reread:
    bullets: int = 0
    misplaced: list[str] = field(default_factory=list)  # bullets not found under their own header
    missing_facts: list[str] = field(default_factory=list)  # original skills/figures absent from the file
    unsupported: list[str] = field(default_factory=list)  # claims in the file the original does not state

    @property
    def ok(self) -> bool:
        return not (self.misplaced or self.missing_facts or self.unsupported)


def norm(text: str) -> str:
    """Lower-case words, digits and figure signs only: layout, bullets and odd glyphs differ by format."""
    text = text.replace("\u00ad", "").replace("ﬁ", "fi").replace("ﬂ", "fl")
    text = re.sub(r"[^\w%$€£.,/+#-]+", " ", text)
    return " ".join(text.split()).lower()


def raw_text(path: Path) -> str:
    """The file's text without the project's own reader."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        if shutil.which("pdftotext") is None:
            raise RuntimeError("pdftotext (poppler-utils) is needed to re-read a PDF independently")
        return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    if suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
        return "\n".join(parts)
    return path.read_text(encoding="utf-8", errors="replace")


def reread(path: Path, original: Resume, applied: list[Change]) -> Reread:
    """Check the exported file at `path` against the original resume and the changes applied to it."""
    raw = " ".join(raw_text(path).split())
    text = norm(raw)
    replaced = {c.item_id: c.after for c in applied if c.action is ChangeAction.REPLACE and c.item_id}
    out = Reread()
    cursor = 0
    for section in original.sections:
        for n, entry in enumerate(section.entries):
            header = norm(replaced.get(entry.header_ids[0], original.item(entry.header_ids[0]).text))
            start = _find(text, header, cursor)
            last = norm(original.item(entry.header_ids[-1]).text)
            body_from = _find(text, last, max(start, 0)) + len(last) if start >= 0 else -1
            nxt = section.entries[n + 1] if n + 1 < len(section.entries) else None
            end = _find(text, norm(original.item(nxt.header_ids[0]).text), max(body_from, 0)) if nxt else len(text)
            if end < 0:
                end = len(text)
            for item_id in entry.item_ids:
                out.bullets += 1
                bullet = norm(replaced.get(item_id, original.item(item_id).text))
                at = _find(text, bullet, max(body_from, 0))
                if start < 0 or at < 0 or at > end:
                    out.misplaced.append(f"{item_id}: {bullet[:60]}")
            cursor = max(cursor, start, 0)
    have = {(f.kind, f.value) for f in extract_facts(raw)}
    squashed = re.sub(r"[^a-z0-9%]", "", text)
    for fact in extract_facts(original.full_text()):
        if fact.kind in _NAMES and (fact.kind, fact.value) not in have:
            if re.sub(r"[^a-z0-9%]", "", fact.surface.lower()) not in squashed:
                out.missing_facts.append(f"{fact.kind.value}: {fact.surface.strip()}")
    base = build_fact_base(original)
    # The whole original read as one text too: "R (basic)" counts as a skill only beside other tools.
    whole = {(f.kind, f.value) for f in extract_facts(original.full_text())}
    for fact in extract_facts(raw):
        if fact.kind in _KEPT and not base.sources(fact.kind, fact.value) and (fact.kind, fact.value) not in whole \
                and not fact.generic:
            if fact.kind is FactKind.NUMBER and any(v.endswith(" " + fact.value) for (k, v) in base.by_key if k is FactKind.MONEY):
                continue
            out.unsupported.append(f"{fact.kind.value}: {fact.surface.strip()}")
    out.missing_facts = sorted(set(out.missing_facts))
    out.unsupported = sorted(set(out.unsupported))
    return out


def _find(text: str, needle: str, start: int = 0) -> int:
    """Position of `needle` in `text`, tolerating line-break hyphenation and a cut at 80 characters."""
    if not needle:
        return start
    at = text.find(needle, start)
    if at < 0 and len(needle) > 80:
        at = text.find(needle[:80], start)
    return at


def main(argv: list[str]) -> int:
    import asyncio
    import tempfile

    from resume_tui.analysis.apply import apply_changes
    from resume_tui.analysis.requirements import parse_job_description
    from resume_tui.documents.export import render
    from resume_tui.documents.ingest import load_resume, read_document
    from resume_tui.models import ChangeStatus, CustomizationLevel, Verdict
    from resume_tui.pipeline import run_pipeline

    resume = load_resume(argv[0])
    jd = read_document(argv[1])
    job = parse_job_description(jd.text, source_format=jd.source_format)
    result = asyncio.run(run_pipeline(resume, job, level=CustomizationLevel.MODERATE))
    accepted = [c.model_copy(update={"status": ChangeStatus.ACCEPTED}) for c in result.changes if c.verdict == Verdict.SAFE]
    tailored = apply_changes(resume, accepted)
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("docx", "pdf", "md"):
            data, _ = render(tailored, resume, fmt)
            path = Path(tmp) / f"out.{fmt}"
            path.write_bytes(data)
            r = reread(path, resume, accepted)
            print(f"{fmt}: bullets {r.bullets}, misplaced {len(r.misplaced)}, missing {len(r.missing_facts)}, "
                  f"unsupported {len(r.unsupported)}")
            for line in r.misplaced + r.missing_facts + r.unsupported:
                print("   ", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
