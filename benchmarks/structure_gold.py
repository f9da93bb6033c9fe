"""Structure accuracy against hand-made gold (benchmarks/gold/README.md): contact fields, sections
found in reading order, entry counts per section, roles found.

Gold files: benchmarks/gold/entries/*.json for the shared corpus (../shared/corpus) and
tests/data/corpus/gold/*.json for the resumes kept in the repository (tests/data/corpus/SOURCES.md).
A file without "contact" or "sections" is measured on what it has.

- contact: each of name, email, phone, location the gold names counts once, links once (all gold
  links found). Name and email compare case-insensitively; phone by its digits (a masked
  "+49 176 313 XXX XX" is "49176313"); location when one contains the other; links without scheme,
  "www." or a trailing slash.
- sections: gold sections matched in order (a longest common subsequence) by title (spaces ignored)
  and kind; anywhere in the document when the gold says "sections_any_order" (several columns).
- entries: for each section kind the gold lists, right when the parsed resume has as many entries
  of that kind as the gold has.
- roles: gold entries found by their header fragments, paired one to one in document order
  (entries_gold.score).

    python benchmarks/structure_gold.py [-v] [--code ../main]   # --code: measure another checkout's parser
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
if "--code" in sys.argv:  # "before" figures: import the parser of another checkout
    sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--code") + 1]).resolve()))
    import resume_tui.documents.ingest  # noqa: F401 - cached now, so entries_gold's own path insert cannot switch it
CORPUS = ROOT.parent / "shared" / "corpus"
SOURCES = [
    (ROOT / "benchmarks" / "gold" / "entries", CORPUS),
    (ROOT / "tests" / "data" / "corpus" / "gold", ROOT / "tests" / "data" / "corpus"),
]

from entries_gold import score as roles_score  # noqa: E402

from resume_tui.documents.ingest import load_resume  # noqa: E402


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.misses.append(what)

    @property
    def ratio(self) -> float:
        return self.right / self.total if self.total else 1.0


def _n(text: str) -> str:
    return " ".join(text.replace("*", " ").split()).lower()


def _link(url: str) -> str:
    url = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().lower())
    return url.rstrip("/")


def contact_checks(resume, gold: dict) -> list[tuple[bool, str]]:
    want = gold.get("contact")
    if not want:
        return []
    got = resume.contact
    checks = []
    if want.get("name"):
        checks.append((_n(got.name or "") == _n(want["name"]), f"name {got.name!r} ≠ {want['name']!r}"))
    if want.get("email"):
        checks.append(((got.email or "").lower() == want["email"].lower(), f"email {got.email!r} ≠ {want['email']!r}"))
    if want.get("phone"):
        digits = re.sub(r"\D", "", want["phone"])
        checks.append((re.sub(r"\D", "", got.phone or "") == digits, f"phone {got.phone!r} ≠ {want['phone']!r}"))
    if want.get("location"):
        a, b = _n(got.location or ""), _n(want["location"])
        checks.append((bool(a) and (a in b or b in a), f"location {got.location!r} ≠ {want['location']!r}"))
    if want.get("links"):
        have = {_link(link) for link in got.links}
        missing = [link for link in want["links"] if _link(link) not in have]
        checks.append((not missing, f"links missing {missing}"))
    return checks


def _squeezed(text: str) -> str:
    return "".join(_n(text).split())  # "R ESEARCH E XPERIENCE" (letter-spaced small caps) = "Research Experience"


def _same_section(parsed, gold: dict) -> bool:
    return parsed.kind.value == gold["kind"] and _squeezed(gold["title"]) in _squeezed(parsed.title or "")


def section_checks(resume, gold: dict) -> list[tuple[bool, str]]:
    wanted = gold.get("sections")
    if not wanted:
        return []
    parsed = resume.sections
    if gold.get("sections_any_order"):
        # Several columns: no one reading order between them, so each section is looked up anywhere
        # (each parsed section used once).
        used: set[int] = set()
        checks = []
        for section in wanted:
            index = next((k for k, p in enumerate(parsed) if k not in used and _same_section(p, section)), None)
            if index is not None:
                used.add(index)
            checks.append((index is not None, f"section {section['kind']}:{section['title']!r}"))
        return checks
    # Longest common subsequence: each gold section found in reading order.
    rows = [[0] * (len(parsed) + 1) for _ in range(len(wanted) + 1)]
    for i in range(len(wanted) - 1, -1, -1):
        for j in range(len(parsed) - 1, -1, -1):
            rows[i][j] = rows[i + 1][j + 1] + 1 if _same_section(parsed[j], wanted[i]) else max(rows[i + 1][j], rows[i][j + 1])
    found: set[int] = set()
    i = j = 0
    while i < len(wanted) and j < len(parsed):
        if _same_section(parsed[j], wanted[i]):
            found.add(i)
            i, j = i + 1, j + 1
        elif rows[i + 1][j] >= rows[i][j + 1]:
            i += 1
        else:
            j += 1
    return [(k in found, f"section {s['kind']}:{s['title']!r}") for k, s in enumerate(wanted)]


def entry_count_checks(resume, gold: dict) -> list[tuple[bool, str]]:
    kinds = dict.fromkeys(e["section"] for e in gold["entries"])
    checks = []
    for kind in kinds:
        want = sum(e["section"] == kind for e in gold["entries"])
        got = sum(len(s.entries) for s in resume.sections if s.kind.value == kind)
        checks.append((want == got, f"{kind} entries {got} ≠ {want}"))
    return checks


def report(sources=SOURCES, verbose: bool = False) -> dict[str, Tally] | None:
    tallies = {name: Tally() for name in ("contact", "sections", "entries", "roles")}
    rows = []
    for gold_dir, base in sources:
        if not gold_dir.is_dir() or not base.is_dir():
            continue
        for path in sorted(gold_dir.glob("*.json")):
            gold = json.loads(path.read_text(encoding="utf-8"))
            documents = [gold["document"]] if isinstance(gold["document"], str) else gold["document"]
            for document in documents:
                source = base / document
                if not source.exists():
                    continue
                resume = load_resume(source)
                per: dict[str, Tally] = {name: Tally() for name in tallies}
                for name, checks in (
                    ("contact", contact_checks(resume, gold)),
                    ("sections", section_checks(resume, gold)),
                    ("entries", entry_count_checks(resume, gold)),
                ):
                    for ok, what in checks:
                        per[name].add(ok, what)
                        tallies[name].add(ok, f"{Path(document).stem}: {what}")
                found, wanted, _right, _total = roles_score(resume, gold)
                for k in range(wanted):
                    per["roles"].add(k < found, "role")
                    tallies["roles"].add(k < found, f"{Path(document).stem}: role")
                rows.append((Path(document).stem, per))
    if not rows:
        print("structure: no gold files or documents; nothing measured")
        return None
    print()
    print(f"{'document':40} {'contact':>8} {'sections':>9} {'entries':>8} {'roles':>7}")
    for stem, per in rows:
        cells = " ".join(f"{per[n].right:>3}/{per[n].total:<4}" for n in ("contact", "sections", "entries", "roles"))
        print(f"{stem[:40]:40} {cells}")
        if verbose:
            for name in ("contact", "sections", "entries"):
                for miss in per[name].misses:
                    print(f"      miss {miss}")
    print("accuracy: " + ", ".join(f"{n} {t.ratio:.3f} ({t.right}/{t.total})" for n, t in tallies.items()))
    return tallies


if __name__ == "__main__":
    report(verbose="-v" in sys.argv)
