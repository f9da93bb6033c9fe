"""Refining one proposed change by a person's instruction ("shorter", "lead with the 480 → 120 ms
result", "use the posting's word 'platform'"), and the history that makes it undoable.

What can be done without a model is done here, deterministically: shorten by dropping trailing
clauses, move the clause with a figure to the front, or swap in the posting's word for a word that
names the same thing. Anything else says plainly that it needs a model. Whoever rewrites, the guard
checks the new version, and `follows` tells whether a rewrite did what was asked — a model that
ignores the instruction is caught the same way as one that invents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from resume_tui.models import Change, ChangeAction, ChangeStatus, JobDescription

_CLAUSE_BREAK = re.compile(r"\s*(?:[,;]\s+|\s+[–—-]\s+)")
_FIGURE = re.compile(r"\d")
_SHORTER = re.compile(r"\b(shorter|shorten|trim|tighten|cut it down|more concise|concise|brief)\b", re.I)
_QUOTED = re.compile(r"(?:(?<=\s)|^)[\"'“‘]([^\"'”’]{1,60})[\"'”’](?!\w)")


# Words an instruction to shorten may contain and still be only that ("make it a bit shorter, please").
_SHORTEN_WORDS = frozenset("shorter shorten trim tighten cut it down more concise brief make a bit little please the "
                           "line this much slightly".split())


class Kind(StrEnum):
    SHORTEN = "shorten"
    LEAD_WITH_FIGURE = "lead_with_figure"
    USE_WORD = "use_word"
    OTHER = "other"  # needs a model


@dataclass(frozen=True)
class Instruction:
    text: str
    kind: Kind
    word: str | None = None  # USE_WORD: the word to use; LEAD_WITH_FIGURE: a figure the person named


class NeedsModel(Exception):
    """The instruction cannot be carried out deterministically (one sentence saying why)."""


def parse_instruction(text: str) -> Instruction:
    """What a one-line instruction asks for, as far as rules can tell."""
    text = " ".join(text.split())
    low = text.lower()
    quoted = _QUOTED.search(text)
    if _SHORTER.search(low):
        rest = set(re.findall(r"[a-z]+", low)) - _SHORTEN_WORDS
        return Instruction(text, Kind.OTHER if rest else Kind.SHORTEN)  # "shorter and more senior": a model's job
    if re.search(r"\b(lead|start|open|begin)\w*\s+with\b|\b(number|figure|result|metric)s?\s+(first|forward)\b|"
                 r"\bmove\s+the\s+(number|figure|result|metric)", low):
        figure = re.search(r"\d[\d.,]*\s*%?", text)
        return Instruction(text, Kind.LEAD_WITH_FIGURE, figure.group(0).strip() if figure else None)
    word = re.search(r"\b(?:use|say|mention|include|write)\b\s+(?:the\s+(?:posting|job|jd)['’]?s?\s+(?:word|term)\s+)?"
                     r"(?:the\s+(?:word|term)\s+)?(.+)$", text, re.I)
    if word:
        raw = quoted.group(1) if quoted else word.group(1)
        raw = raw.strip(" .!\"'“”‘’")
        if raw and len(raw.split()) <= 4:
            return Instruction(text, Kind.USE_WORD, raw)
    return Instruction(text, Kind.OTHER)


def refine_offline(change: Change, instruction: Instruction, job: JobDescription | None,
                   evidence_text: str) -> str:
    """The change's text rewritten by rule, or NeedsModel saying why it cannot be."""
    if change.action not in (ChangeAction.REPLACE, ChangeAction.INSERT) or not change.after.strip():
        raise NeedsModel("Only a change that proposes text can be refined.")
    text = change.after.strip()
    if instruction.kind is Kind.SHORTEN:
        return _shorten(text)
    if instruction.kind is Kind.LEAD_WITH_FIGURE:
        return _lead_with_figure(text, instruction.word)
    if instruction.kind is Kind.USE_WORD and instruction.word:
        return _use_word(text, instruction.word, job, evidence_text)
    raise NeedsModel(f"“{instruction.text}” needs a model: offline, only “shorter”, “lead with the number” and "
                     "“use the word …” can be done.")


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_BREAK.split(text.rstrip(".")) if c.strip()]


def _shorten(text: str) -> str:
    """Drop the last clause (after a comma, semicolon or dash); a line of one clause cannot be shortened by rule."""
    spans = [m.start() for m in _CLAUSE_BREAK.finditer(text.rstrip("."))]
    if not spans:
        raise NeedsModel("This line is a single clause, so there is no trailing clause to drop; shortening it needs a model.")
    cut = text[: spans[-1]].rstrip(" ,;–—-")
    return cut + ("." if text.rstrip().endswith(".") else "")


def _lead_with_figure(text: str, figure: str | None) -> str:
    clauses = _clauses(text)
    if len(clauses) < 2:
        raise NeedsModel("This line is one clause, so its figure cannot be moved forward by rule; that needs a model.")
    wanted = [i for i, c in enumerate(clauses) if (figure and figure.replace(" ", "") in c.replace(" ", ""))]
    with_figure = wanted or [i for i, c in enumerate(clauses) if _FIGURE.search(c)]
    if not with_figure:
        raise NeedsModel("This line has no figure to lead with.")
    index = with_figure[0]
    if index == 0:
        raise NeedsModel("The figure is already in the first clause.")
    lead = clauses[index]
    rest = [c for i, c in enumerate(clauses) if i != index]
    lead = lead[:1].upper() + lead[1:]
    tail = ", ".join(rest)
    if tail[:1].isupper() and not tail.split(" ", 1)[0].isupper():
        tail = tail[:1].lower() + tail[1:]
    return f"{lead} — {tail}" + ("." if text.rstrip().endswith(".") else "")


def _use_word(text: str, word: str, job: JobDescription | None, evidence_text: str) -> str:
    from resume_tui.analysis.evidence import stem
    from resume_tui.analysis.lexicon import default_lexicon

    if job is not None and job.text and word.lower() not in job.text.lower():
        raise NeedsModel(f"The posting does not use “{word}”, so there is no posting word to match.")
    if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.I):
        raise NeedsModel(f"The line already says “{word}”.")
    lex = default_lexicon()
    target = lex.canonical(word)
    target_stem = stem(word.lower())
    tokens = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z][\w+#-]*(?:\.[A-Za-z]+)*", text)]
    for n in (3, 2, 1):
        for k in range(len(tokens) - n + 1):
            start, end = tokens[k][0], tokens[k + n - 1][1]
            phrase = text[start:end]
            single = n == 1 and " " not in word
            if (target and lex.canonical(phrase) == target) or (single and stem(phrase.lower()) == target_stem):
                return text[:start] + word + text[end:]
    if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", evidence_text, re.I):
        raise NeedsModel(f"Your resume supports “{word}”, but no word here names the same thing; working it in needs a model.")
    raise NeedsModel(f"Nothing in this line or its evidence says “{word}”, so it cannot be used honestly.")


def follows(instruction: Instruction, before: str, after: str) -> str | None:
    """Why a rewrite ignores the instruction (None when it does what was asked, as far as rules can tell)."""
    if " ".join(after.split()) == " ".join(before.split()):
        return "The rewrite is the same text as before."
    if _SHORTER.search(instruction.text) and len(after.strip()) >= len(before.strip()):
        return f"Asked to shorten, the rewrite is {len(after.strip())} characters against {len(before.strip())}."
    if instruction.kind is Kind.LEAD_WITH_FIGURE:
        first = _clauses(after)[0] if _clauses(after) else after
        if not _FIGURE.search(first) or (instruction.word and instruction.word.replace(" ", "") not in first.replace(" ", "")):
            return "Asked to lead with the figure, the rewrite does not start with it."
    if instruction.kind is Kind.USE_WORD and instruction.word and instruction.word.lower() not in after.lower():
        return f"Asked to use “{instruction.word}”, the rewrite does not."
    return None


def new_version(change: Change, after: str, *, instruction: str, source: str) -> Change:
    """The refined change (pending, to be guarded), with the version it replaces kept in its history."""
    previous = change.model_copy(update={"history": []}, deep=True)
    rationale = f"Refined by “{instruction}” ({source})."
    return change.model_copy(update={
        "after": after, "status": ChangeStatus.PENDING, "source": source, "rationale": rationale,
        "history": [*change.history, previous],
    })


def undo(change: Change) -> Change | None:
    """The version before the last refinement, exactly as it was (None when there is none)."""
    if not change.history:
        return None
    previous = change.history[-1]
    return previous.model_copy(update={"history": list(change.history[:-1])}, deep=True)
