"""The offline cover letter on every resume/posting pair of ../shared/corpus: length, what the guard
held back while composing, and an independent re-read of what a file would hold.

For each pair and tone: words, sentences, body paragraphs, requirements the letter cites, and whether it
explains being short (length_note). The re-read renders the letter to text as the exporter does, splits
the text into sentences again (ignoring the provenance each sentence claims) and checks each against the
whole resume with the plain resume guard: any sentence it blocks, or any figure the resume does not state,
is an unsupported claim. Across letters for different postings, no body sentence may be repeated word for
word. "Guard refusals" counts candidate frames the guard refused while composing (the composer then tried
the next one): none of them reaches a letter.

    python benchmarks/letter.py            # every pair, every tone
    python benchmarks/letter.py --tone plain
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"

from resume_tui.analysis.letter import Letter, LetterGuard, LetterSentence, Tone  # noqa: E402
from resume_tui.models import JobDescription, Resume, Verdict  # noqa: E402

_SENTENCE_END = re.compile(r"(?<=[.!?”])\s+(?=[A-Z“])")


def sentences_of(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def written_sentences(letter: Letter, resume: Resume) -> list[str]:
    """The sentences a .txt file of the letter holds, read back from the rendered bytes."""
    from resume_tui.analysis.letter import letter_document
    from resume_tui.documents.export import render

    document = letter_document(letter, resume)
    text = render(document, document, "txt")[0].decode("utf-8")
    lines = text.splitlines()[len(letter.contact_lines) + 1 :]  # the contact block is the resume's own
    body = [p for p in lines if p.strip() and p.strip() not in (letter.salutation, letter.sign_off, letter.name)]
    return [s for p in body for s in sentences_of(p)]


def unsupported(letter: Letter, resume: Resume, job: JobDescription) -> list[str]:
    """Sentences of the written letter the resume does not support, re-read without their provenance."""
    from resume_tui.analysis.guard import NEW_SUMMARY_SECTION, check_change
    from resume_tui.analysis.letter import mask_target
    from resume_tui.models import Change, ChangeAction

    every_item = [i.id for i in resume.items()]
    digits = set(re.findall(r"\d+", resume.full_text()))
    out = []
    for text in written_sentences(letter, resume):
        probe = mask_target(text, job)
        probe = probe[:1].lower() + probe[1:] if probe.split(" ", 1)[0].lower() in {"thank", "please"} else probe
        checked = check_change(Change(id="re", section_id=NEW_SUMMARY_SECTION, action=ChangeAction.INSERT, after=probe,
                                      requirement_ids=["r1"], evidence_item_ids=every_item), resume, job=job)
        if checked.verdict is Verdict.BLOCKED or not set(re.findall(r"\d+", text)) <= digits:
            out.append(text)
    return out


class CountingGuard(LetterGuard):
    """The letter guard, counting the candidate sentences it does not pass."""

    refused = 0

    def check(self, sentence: LetterSentence) -> LetterSentence:
        checked = super().check(sentence)
        if checked.verdict is not Verdict.SAFE:
            self.refused += 1
        return checked


def main(argv: list[str] | None = None) -> int:
    from resume_tui.analysis.engine import analyze
    from resume_tui.analysis.letter import offline_letter
    from resume_tui.analysis.posting_job import job_from_posting
    from resume_tui.config import load_settings
    from resume_tui.documents.ingest import load_resume
    from resume_tui.documents.postings import load_posting

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tone", choices=[t.value for t in Tone], action="append")
    args = parser.parse_args(argv)
    if not (CORPUS / "pairs.tsv").is_file():
        print(f"skipped: {CORPUS} is not present")
        return 0
    tones = [Tone(t) for t in args.tone] if args.tone else list(Tone)
    rows = list(csv.DictReader((CORPUS / "pairs.tsv").open(encoding="utf-8"), delimiter="\t"))
    cfg = load_settings()
    inputs = []
    for row in rows:
        resume = load_resume(CORPUS / row["resume_file"])
        job = job_from_posting(load_posting(str(CORPUS / row["jd_file"]), cfg), resume)
        inputs.append((row, resume, job, analyze(resume, job)))
    print(f"{'pair':<58} {'fit':<7} " + " ".join(f"{t.value:>6}" for t in tones) + "  note (plain)")
    words: dict[Tone, list[int]] = defaultdict(list)
    refused = blocked = 0
    bad: list[tuple[str, str]] = []
    repeated: dict[tuple[Tone, str], set[str]] = defaultdict(set)
    started = time.perf_counter()
    compose_s = 0.0
    for row, resume, job, report in inputs:
        cells = []
        note = ""
        for tone in tones:
            guard = CountingGuard(resume, job)
            t0 = time.perf_counter()
            letter = offline_letter(resume, job, report, tone=tone, guard=guard)
            compose_s += time.perf_counter() - t0
            refused += guard.refused
            blocked += sum(1 for s in letter.sentences if s.verdict is Verdict.BLOCKED)
            words[tone].append(letter.words())
            cells.append(f"{letter.words():>6}")
            bad += [(row["jd_file"], text) for text in unsupported(letter, resume, job)]
            closing = {s.text for s in letter.sentences if s.part.value == "closing"}
            for text in written_sentences(letter, resume):
                if text not in closing:
                    repeated[(tone, text)].add(row["jd_file"])
            if tone is Tone.PLAIN or not note:
                note = letter.length_note() or ""
        pair = f"{Path(row['resume_file']).stem[:28]} → {Path(row['jd_file']).stem[:26]}"
        print(f"{pair:<58} {row['fit']:<7} " + " ".join(cells) + f"  {note[:90]}")
    total = time.perf_counter() - started
    letters = len(inputs) * len(tones)
    print()
    for tone in tones:
        w = words[tone]
        print(f"{tone.value:>6}: words min {min(w)} · median {statistics.median(w):g} · max {max(w)} · "
              f"≥250: {sum(x >= 250 for x in w)}/{len(w)} · >400: {sum(x > 400 for x in w)}")
    shared = {text: jds for (_, text), jds in repeated.items() if len(jds) > 1}
    print(f"letters: {letters} · blocked sentences in them: {blocked} · guard refusals while composing: {refused}")
    print(f"unsupported claims on re-read: {len(bad)} · body sentences repeated across postings: {len(shared)}")
    print(f"time: {total:.1f} s in all ({compose_s / letters * 1000:.0f} ms per letter to compose, "
          f"the rest is the re-read)")
    for jd, text in bad[:10]:
        print(f"  UNSUPPORTED {jd}: {text}")
    for text, jds in list(shared.items())[:10]:
        print(f"  REPEATED in {sorted(jds)}: {text}")
    return 1 if bad or shared or blocked else 0


if __name__ == "__main__":
    raise SystemExit(main())
