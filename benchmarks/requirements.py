"""Requirements a recruiter would list, evidence that supports them, and a score that orders fits (issue 13).

For every posting with a gold list (benchmarks/gold/requirements/, see its README for the matching rule):
recall and precision of the parsed requirements. For every resume/posting pair of ../shared/corpus and
/work/heldout (the four resumes set aside in ASIDE.txt are skipped without being opened): the share of
matched/partial rows whose quote contains the term that links it to the requirement, checked here
independently of the engine; and whether the Fit score orders good > partial > poor per resume, beside a
plain word-overlap baseline and the Keywords score.

    python benchmarks/requirements.py [-v]
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOLD = ROOT / "benchmarks" / "gold" / "requirements"
SETS = {"corpus": ROOT.parent / "shared" / "corpus", "heldout": Path("/work/heldout")}
ASIDE = ("h02_", "h05_", "h09_", "h12_")  # kept back for a final check: never loaded here

from resume_tui.analysis.engine import analyze  # noqa: E402
from resume_tui.analysis.evidence import LANGUAGE_WORDS, content_stems  # noqa: E402
from resume_tui.analysis.evidence.terms import is_specific  # noqa: E402
from resume_tui.analysis.lexicon import default_lexicon  # noqa: E402
from resume_tui.analysis.posting_job import job_from_posting  # noqa: E402
from resume_tui.analysis.requirements import find_degrees  # noqa: E402
from resume_tui.documents.ingest import load_resume  # noqa: E402
from resume_tui.documents.postings import load_posting  # noqa: E402
from resume_tui.models import MatchStatus  # noqa: E402

FIT_RANK = {"good": 2, "partial": 1, "poor": 0}
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"'}


def norm(text: str) -> str:
    """The README's normalisation: NFKC, ASCII dashes and quotes, no Markdown emphasis, one space, folded."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).translate(_QUOTES)
    return re.sub(r"\s+", " ", re.sub(r"[*_`]", "", text)).strip().casefold()


def _pairs(gold: list[str], extracted: list[str]) -> int:
    """Size of a maximum one-to-one pairing (augmenting paths; the lists are small)."""
    edges = [
        [j for j, e in enumerate(extracted) if g in e or (e in g and len(e) * 2 >= len(g))] for g in gold
    ]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(gold)))


def _job(path: Path):
    return job_from_posting(load_posting(str(path)), where=path.name)


def recall_precision(verbose: bool) -> tuple[int, int, int, int]:
    """Per posting file: paired/gold and paired/extracted; returns the totals."""
    print(f"{'posting':40} {'gold':>4} {'reqs':>4} {'paired':>6} {'recall':>6} {'prec':>6}")
    g_total = e_total = paired_gold = paired_ext = 0
    by_set: dict[str, list[int]] = {}  # set → [paired, gold, extracted]
    for gold_file in sorted(GOLD.glob("*.json")):
        doc = json.loads(gold_file.read_text(encoding="utf-8"))
        folder = SETS[doc["set"]]
        if not folder.is_dir():
            continue
        gold = [norm(r["text"]) for r in doc["requirements"]]
        for rel in doc["postings"]:
            job = _job(folder / rel)
            extracted = [norm(r.text) for r in job.requirements]
            paired = _pairs(gold, extracted)
            g_total += len(gold)
            e_total += len(extracted)
            paired_gold += paired
            paired_ext += paired
            tally = by_set.setdefault(doc["set"], [0, 0, 0])
            tally[0] += paired
            tally[1] += len(gold)
            tally[2] += len(extracted)
            print(f"{Path(rel).name[:40]:40} {len(gold):>4} {len(extracted):>4} {paired:>6} "
                  f"{paired / max(1, len(gold)):>6.2f} {paired / max(1, len(extracted)):>6.2f}")
            if verbose:
                for g in gold:
                    if not any(g in e or (e in g and len(e) * 2 >= len(g)) for e in extracted):
                        print(f"      MISSED  {g}")
                for e in extracted:
                    if not any(g in e or (e in g and len(e) * 2 >= len(g)) for g in gold):
                        print(f"      EXTRA   {e}")
    print(f"requirements: recall {paired_gold / max(1, g_total):.3f} ({paired_gold}/{g_total}), "
          f"precision {paired_ext / max(1, e_total):.3f} ({paired_ext}/{e_total})")
    for name, (paired, gold_n, ext_n) in by_set.items():
        print(f"  {name}: recall {paired / max(1, gold_n):.3f} ({paired}/{gold_n}), "
              f"precision {paired / max(1, ext_n):.3f} ({paired}/{ext_n})")
    return paired_gold, g_total, paired_ext, e_total


# --------------------------------------------------------------------------- quotes

_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&+#]{1,9}s?\b")
_RANGE = re.compile(
    r"(?:19|20)\d\d\s*(?:-|–|—|to)\s*(?:[a-z]{3,9}\.?,?\s+)?(?:(?:19|20)\d\d|present|current|now)|\b\d+\+?\s*(?:years?|yrs?)\b",
    re.I,
)


def quote_link(req_text: str, quote: str, keywords: list[str], *, years: bool, degree: bool) -> str:
    """How the quote is tied to the requirement: "term" when it contains one of its skills (any alias),
    one of its acronyms, a degree or a date range when those are asked, the language named, or — for a
    requirement naming no skill — one of its content words; "implied" when it names only a narrower
    skill the lexicon says shows an asked one (MySQL for SQL); "none" otherwise."""
    lex = default_lexicon()
    asked = set(keywords) | {h.canonical for h in lex.find(req_text, context_free=True)}
    shown = {h.canonical for h in lex.find(quote, context_free=True)}
    if asked & shown:
        return "term"
    if any(re.search(rf"\b{re.escape(a)}\b", quote) for a in _ACRONYM.findall(req_text)):
        return "term"
    if degree and find_degrees(quote):
        return "term"
    if years and _RANGE.search(quote):
        return "term"
    for lang, words in LANGUAGE_WORDS.items():
        if re.search(rf"\b(?:{words})\b", req_text, re.I):
            from resume_tui.documents.quality import guess_language

            if re.search(rf"\b(?:{words})\b", quote, re.I) or guess_language(quote) == lang:
                return "term"
    if any(re.search(rf"(?<!\w){re.escape(term.lower())}(?!\w)", quote.lower()) for term in asked):
        return "term"  # written as the lexicon would not split it ("Machine learning-based")
    generic = not any(is_specific(c, lex) for c in asked) and not _ACRONYM.search(req_text)
    if generic and content_stems(req_text) & content_stems(quote):
        return "term"  # a requirement naming no tool is tied by its own words
    if asked & {broader for c in shown for broader in lex.implied_by(c)}:
        return "implied"
    return "none"


def names_specific(req_text: str, quote: str) -> bool | None:
    """For a requirement naming a tool, credential or acronym: does the quote name one of them (any alias)?
    None when the requirement names none."""
    lex = default_lexicon()
    specific = {h.canonical for h in lex.find(req_text, context_free=True) if is_specific(h.canonical, lex)}
    acronyms = set(_ACRONYM.findall(req_text)) - {"USA", "ASAP"}
    if not specific and not acronyms:
        return None
    shown = {h.canonical for h in lex.find(quote, context_free=True)}
    return bool(specific & shown) or any(re.search(rf"\b{re.escape(a)}\b", quote) for a in acronyms)


def _pair_rows(folder: Path) -> list[dict[str, str]]:
    rows = list(csv.DictReader((folder / "pairs.tsv").open(encoding="utf-8"), delimiter="\t"))
    return [r for r in rows if not Path(r["resume_file"]).name.startswith(ASIDE)]


def _overlap_baseline(resume_text: str, job_text: str) -> float:
    """The plain scorer the Fit score must beat: the share of the posting's content words in the resume."""
    jd = content_stems(job_text)
    return len(jd & content_stems(resume_text)) / max(1, len(jd))


def pairs_report(verbose: bool) -> dict[str, tuple[int, int]]:
    rows_checked = rows_ok = rows_implied = 0
    strict = [0, 0]  # matched rows naming a tool/credential/acronym; those whose every quote names one
    scores: list[tuple[str, str, str, float, float, float]] = []
    print()
    print(f"{'set':7} {'resume':34} {'jd':30} {'fit':7} {'Fit':>5} {'Kw':>5} {'base':>5} {'rows':>4} {'quoted':>6}")
    for set_name, folder in SETS.items():
        if not folder.is_dir():
            continue
        jobs: dict[str, object] = {}
        for row in _pair_rows(folder):
            resume = load_resume(folder / row["resume_file"])
            job = jobs.get(row["jd_file"]) or _job(folder / row["jd_file"])
            jobs[row["jd_file"]] = job
            report = analyze(resume, job)  # type: ignore[arg-type]
            reqs = {r.id: r for r in report.requirements}
            n = ok = implied = 0
            for m in report.matches:
                if m.status == MatchStatus.MISSING:
                    continue
                req = reqs[m.requirement_id]
                quotes = report.evidence_for(req.id)
                links = [
                    quote_link(req.text, e.quote, req.keywords, years=req.years is not None, degree=req.degree is not None)
                    for e in quotes
                ]
                n += 1
                ok += bool(links) and all(link == "term" for link in links)
                if m.status == MatchStatus.MATCHED:
                    named = [names_specific(req.text, e.quote) for e in quotes]
                    if named and named[0] is not None:
                        strict[0] += 1
                        strict[1] += all(named)
                        if verbose and not all(named):
                            print(f"      UNNAMED [matched] {req.text[:60]} — {quotes[named.index(False)].quote[:80]}")
                implied += bool(links) and "none" not in links and "term" not in links[:1] and "implied" in links
                if verbose and (not links or "term" != links[0] or "none" in links):
                    bad = next((e.quote for e, link in zip(quotes, links, strict=True) if link != "term"), "(no quote)")
                    print(f"      QUOTE {links} [{m.status.value}] {req.text[:60]} — {bad[:80]}")
            rows_implied += implied
            rows_checked += n
            rows_ok += ok
            base = 100 * _overlap_baseline(resume.full_text(), job.text)  # type: ignore[attr-defined]
            key = f"{set_name}:{row['resume_file']}"
            scores.append((key, row["jd_file"], row["fit"], report.score, report.keyword_score, base))
            print(f"{set_name:7} {Path(row['resume_file']).stem[:34]:34} {Path(row['jd_file']).stem[:30]:30} "
                  f"{row['fit']:7} {report.score:5.1f} {report.keyword_score:5.1f} {base:5.1f} {n:>4} {ok:>6}")
    print(f"matched/partial rows whose every quote contains the term or an alias: {rows_ok / max(1, rows_checked):.3f} "
          f"({rows_ok}/{rows_checked}); rows whose quote names a narrower skill that implies it: {rows_implied}")
    print(f"matched rows whose requirement names a tool, credential or acronym and whose every quote names it "
          f"(or an alias): {strict[1] / max(1, strict[0]):.3f} ({strict[1]}/{strict[0]})")
    out: dict[str, tuple[int, int]] = {}
    for label, col in (("Fit", 3), ("Keywords", 4), ("word-overlap baseline", 5)):
        right, total = _ordering(scores, col, show=verbose or col == 3)
        out[label] = (right, total)
        per_set = ", ".join(
            "{}: {}/{}".format(name, *_ordering([r for r in scores if r[0].startswith(name + ":")], col, show=False))
            for name in SETS
        )
        print(f"ordering good > partial > poor per resume, {label}: {right}/{total} ({per_set})")
    return out


def _ordering(scores: list[tuple[str, str, str, float, float, float]], col: int, *, show: bool) -> tuple[int, int]:
    right = total = 0
    by_resume: dict[str, list[tuple[str, str, float]]] = {}
    for row in scores:
        by_resume.setdefault(row[0], []).append((row[2], row[1], float(row[col])))
    for resume, fits in by_resume.items():
        for fit_a, jd_a, a in fits:
            for fit_b, jd_b, b in fits:
                if FIT_RANK[fit_a] > FIT_RANK[fit_b]:
                    total += 1
                    right += a > b
                    if a <= b and show:
                        print(f"      ORDER {Path(resume).stem}: {fit_a} {Path(jd_a).stem} {a:.1f} <= "
                              f"{fit_b} {Path(jd_b).stem} {b:.1f}")
    return right, total


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    if not any(folder.is_dir() for folder in SETS.values()):
        print("no corpus present; nothing to do")
        return 0
    recall_precision(verbose)
    pairs_report(verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
