"""Entry detection measured against gold files written by reading each corpus resume (benchmarks/gold/).

Roles found: a gold entry counts as found when a parsed entry's header lines contain all its header
fragments; gold and parsed entries pair one to one in document order ("Digital Analyst" is not found
again inside the "Senior Digital Analyst" entry already paired). Bullets attached: of the gold bullets of found entries, the share whose item sits in that
same parsed entry. Both are case- and whitespace-insensitive (see benchmarks/gold/README.md).

    python benchmarks/entries_gold.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"
GOLD = ROOT / "benchmarks" / "gold" / "entries"

from resume_tui.documents.ingest import load_resume  # noqa: E402


def _n(text: str) -> str:
    return " ".join(text.replace("*", " ").split()).lower()


def score(resume, gold: dict) -> tuple[int, int, int, int]:
    """(roles found, roles in gold, bullets attached right, bullets of found roles)."""
    parsed = []
    for section in resume.sections:
        for entry in section.entries:
            header = _n(" ".join(resume.item(i).text for i in entry.header_ids))
            body = [_n(resume.item(i).text) for i in entry.item_ids]
            parsed.append((header, body))
    found = right = total = 0
    cursor = 0  # gold and parsed entries pair one to one, in document order
    for want in gold["entries"]:
        index = next((k for k in range(cursor, len(parsed)) if all(_n(h) in parsed[k][0] for h in want["header"])), None)
        if index is None:
            continue
        match = parsed[index]
        cursor = index + 1
        found += 1
        for bullet in want["bullets"]:
            total += 1
            right += any(b.startswith(_n(bullet)) or _n(bullet) in b for b in match[1])
    return found, len(gold["entries"]), right, total


def report(directory: Path = GOLD, corpus: Path = CORPUS) -> tuple[float, float] | None:
    files = sorted(directory.glob("*.json")) if directory.is_dir() else []
    if not files or not corpus.is_dir():
        print("entries: no gold files or no corpus; nothing measured")
        return None
    print()
    print(f"{'document':40} {'roles':>9} {'bullets':>11}")
    sums = [0, 0, 0, 0]
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        documents = [gold["document"]] if isinstance(gold["document"], str) else gold["document"]
        for document in documents:
            source = corpus / document
            if not source.exists():
                continue
            found, wanted, right, total = score(load_resume(source), gold)
            sums = [a + b for a, b in zip(sums, (found, wanted, right, total), strict=True)]
            print(f"{document[:40]:40} {found:>4}/{wanted:<4} {right:>5}/{total:<5}")
    roles = sums[0] / max(1, sums[1])
    bullets = sums[2] / max(1, sums[3])
    print(f"roles found {roles:.3f} ({sums[0]}/{sums[1]}), bullets attached to the right role {bullets:.3f} "
          f"({sums[2]}/{sums[3]})")
    return roles, bullets


if __name__ == "__main__":
    report(Path(sys.argv[1]) if len(sys.argv) > 1 else GOLD, Path(sys.argv[2]) if len(sys.argv) > 2 else CORPUS)
