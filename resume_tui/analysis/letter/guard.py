"""The guard, applied to the sentences of a cover letter.

A letter sentence is a claim like any resume change: it goes through the very same `check_change`
(as a new line citing its evidence), so a skill, figure, employer, degree or title the resume does
not state is blocked exactly as it would be in the resume. Three things differ for a letter:

- The role and company being applied to are named on purpose ("the Senior Platform Engineer role at
  Northwind Freight"). Only those target phrases are set aside before the check; the same names used
  as a claim ("I worked at Northwind Freight") are still checked, and blocked.
- Restating the posting is not evidence. Copying its words (which only flags a resume change) or
  echoing a requirement with words the resume never uses is blocked: the letter must show, not repeat.
- Generic filler ("highly motivated team player") says nothing the resume shows: flagged, so it is
  never written without a person keeping it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from resume_tui.analysis.facts import COMMON_WORDS, words
from resume_tui.analysis.guard import NEW_SUMMARY_SECTION, change_checker
from resume_tui.analysis.letter.model import LetterSentence, Part
from resume_tui.models import Change, ChangeAction, JobDescription, Resume, Verdict

_ROLE_NOUNS = r"(?:role|position|opening|vacancy|post|job)"
_FILLER = re.compile(
    r"\b(highly[- ]motivated|team[- ]player|hard[- ]?working|self[- ]starter|go[- ]getter|results[- ]driven|"
    r"detail[- ]oriented|passionate about|think outside the box|proven track record|perfect fit|ideal candidate|"
    r"(?:fast|quick) learner|dynamic (?:individual|professional)|synerg\w*|excellent communication skills|"
    r"wear many hats|hit the ground running)\b",
    re.I,
)
_COPY_PREFIX = "Copies the job description word for word"
_NO_PROVENANCE = ("Does not say which job requirement it serves.", "Cites no item of your resume as evidence.")


class LetterGuard:
    """Checks letter sentences against one resume, posting and set of declared facts (fact base built once)."""

    def __init__(self, resume: Resume, job: JobDescription, facts: Sequence[str] = ()) -> None:
        self.resume = resume
        self.job = job
        self.facts = list(facts)
        self._check = change_checker(resume, job=job, user_facts=self.facts)
        self._resume_words = set(words(resume.full_text() + "\n" + "\n".join(self.facts)))

    def check(self, sentence: LetterSentence) -> LetterSentence:
        """A copy of `sentence` with the guard's verdict and reasons."""
        masked = _plain_start(mask_target(sentence.text, self.job))
        change = Change(
            id=sentence.id, section_id=NEW_SUMMARY_SECTION, action=ChangeAction.INSERT, after=masked,
            requirement_ids=list(sentence.requirement_ids), evidence_item_ids=list(sentence.evidence_item_ids),
        )
        checked = self._check(change)
        blocked: list[str] = list(checked.blocked)
        flagged: list[str] = []
        for reason in checked.flagged:
            if reason.startswith(_COPY_PREFIX):
                blocked.append("Repeats the posting word for word as if it were your experience" + reason[len(_COPY_PREFIX):])
            elif sentence.part is not Part.BODY and reason in _NO_PROVENANCE:
                continue  # an opening or closing line names the role; it claims no requirement
            else:
                flagged.append(reason)
        echoed = self._restated_requirement(masked)
        if echoed:
            blocked.append(f"Restates the posting's requirement {echoed} as a claim, in words your resume does not use.")
        filler = _FILLER.search(sentence.text)
        if filler:
            flagged.append(f"“{filler.group(0)}” is generic filler: it tells the reader nothing your resume shows.")
        verdict = Verdict.BLOCKED if blocked else Verdict.FLAGGED if flagged else Verdict.SAFE
        return sentence.model_copy(update={"verdict": verdict, "reasons": list(dict.fromkeys(blocked + flagged))})

    def check_all(self, sentences: Sequence[LetterSentence]) -> list[LetterSentence]:
        return [self.check(s) for s in sentences]

    def _restated_requirement(self, text: str) -> str | None:
        """The id of a requirement the sentence echoes: most of its content words, two or more of
        them words the resume itself never uses."""
        said = set(_content(text))
        for req in self.job.requirements:
            wanted = set(_content(req.text))
            if len(wanted) < 4:
                continue
            shared = wanted & said
            new = [w for w in shared if w not in self._resume_words]
            if len(shared) >= 0.6 * len(wanted) and len(new) >= 2:
                return req.id
        return None


# Words a letter sentence starts with that are not names ("Thank you…", "Reading the posting…").
_LETTER_STARTS = frozenset(
    "thank thanks please reading right most below looking having since given while although though here there "
    "another one like sincerely kind warm best recently currently today yes".split()
)


def _plain_start(text: str) -> str:
    """Lower-case a sentence's first word when it is an ordinary word, so the capital a sentence starts
    with is not read as a name the resume never mentions."""
    first = text.split(" ", 1)[0]
    word = first.strip("“”\"',;:").lower()
    if word.isalpha() and (word in COMMON_WORDS or word in _LETTER_STARTS):
        return text[:1].lower() + text[1:]
    return text


def _content(text: str) -> list[str]:
    return [w for w in words(text) if len(w) > 2 and w not in COMMON_WORDS]


def mask_target(text: str, job: JobDescription) -> str:
    """Set aside the phrases that name the role and company applied to ("the Platform Engineer role",
    "the position at Northwind", "join Northwind", "Northwind's"), and only those."""
    out = text
    title = (job.title or "").strip()
    company = (job.company or "").strip()
    if title:
        t = _flexible(title)
        out = re.sub(rf"\b(the|this|your|a)\s+{t}\s+({_ROLE_NOUNS})\b", r"\1 \2", out, flags=re.I)
        out = re.sub(rf"\b(apply(?:ing)?|application|applied)\s+(for|as)\s+(?:the\s+|a\s+)?{t}(?!\w)", r"\1 \2 this role",
                     out, flags=re.I)
    if company:
        c = _flexible(company)
        out = re.sub(rf"(?<!\bmy )(?<!\bour )\b({_ROLE_NOUNS}|team|teams)\s+(at|with|in)\s+{c}(?!\w)",
                     r"\1 \2 your company", out, flags=re.I)
        out = re.sub(rf"\b(join|joining|apply(?:ing)? to|bring to|contribute to|offer to)\s+{c}(?!\w)", r"\1 your company",
                     out, flags=re.I)
        out = re.sub(rf"\b{c}(?:['’]s)\b", "your company's", out, flags=re.I)
        out = re.sub(rf"^Dear {c}(?!\w)", "Dear", out, flags=re.I)
    return out


def _flexible(name: str) -> str:
    return r"\s+".join(re.escape(part) for part in name.split())
