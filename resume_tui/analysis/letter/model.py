"""A cover letter as data: sentences that each carry their provenance and the guard's verdict.

A letter is a list of sentences, not a block of prose, because each sentence is a claim that has
to be traced: which requirements of the posting it serves, which resume items (or declared facts)
back it, and what the guard said. The salutation, sign-off and contact block are not claims and
are never guarded; everything between them is.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from resume_tui.models import ChangeStatus, Verdict


class Tone(StrEnum):
    PLAIN = "plain"
    WARM = "warm"
    FORMAL = "formal"


class Part(StrEnum):
    OPENING = "opening"  # names the role and the company
    BODY = "body"  # built on matched requirements and their evidence
    CLOSING = "closing"


# A sentence is decided like a resume change: pending, accepted or rejected.
SentenceStatus = ChangeStatus


class LetterSentence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str  # "p0.s1": paragraph 0, sentence 1
    text: str
    part: Part
    paragraph: int  # 0 = opening; body paragraphs follow; the closing is last
    requirement_ids: list[str] = Field(default_factory=list)
    evidence_item_ids: list[str] = Field(default_factory=list)
    verdict: Verdict = Verdict.SAFE
    reasons: list[str] = Field(default_factory=list)
    source: str = "offline"  # "offline" or "provider/model"
    status: SentenceStatus = SentenceStatus.PENDING
    # The offline sentence for the same requirements, kept so a blocked model sentence has an honest stand-in.
    fallback: str | None = None
    # Other offline phrasings of the same evidence (not yet guarded): what regenerate offers offline.
    alternatives: list[str] = Field(default_factory=list)


class Letter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tone: Tone = Tone.PLAIN
    title: str | None = None  # the role, as the posting names it
    company: str | None = None
    name: str = ""  # the signature: the resume's name
    contact_lines: list[str] = Field(default_factory=list)  # the resume's contact block, never changed
    salutation: str = "Dear hiring team,"
    sign_off: str = "Kind regards,"
    sentences: list[LetterSentence] = Field(default_factory=list)
    requirements: int = 0  # how many requirements the posting states
    backed: int = 0  # how many of them a resume line or declared fact backs (what the letter can argue)

    def length_note(self) -> str | None:
        """Why the letter is shorter than a page's ~250 words, in one sentence (None when it is not)."""
        words = self.words()
        if words >= MIN_WORDS or not self.requirements:
            return None
        if self.backed <= 3 or self.backed * 3 <= self.requirements:
            backed = "none" if not self.backed else f"only {self.backed}"
            return (f"{backed.capitalize()} of the posting's {self.requirements} requirements "
                    f"{'is' if self.backed == 1 else 'are'} backed by your resume, so the letter is {words} words "
                    "rather than padded with claims it cannot trace.")
        return (f"The letter is {words} words because your resume has only so many lines that back the posting's "
                f"{self.requirements} requirements, and none is repeated to pad it.")

    def paragraphs(self, *, kept_only: bool = True) -> list[list[LetterSentence]]:
        """Sentences grouped by paragraph in order; by default only those that may be written."""
        groups: dict[int, list[LetterSentence]] = {}
        for s in self.sentences:
            if kept_only and not writable(s):
                continue
            groups.setdefault(s.paragraph, []).append(s)
        return [groups[k] for k in sorted(groups)]

    def body_text(self) -> str:
        """Salutation, paragraphs and sign-off as plain text (what the word count reads)."""
        parts = [self.salutation]
        parts += [" ".join(s.text for s in para) for para in self.paragraphs()]
        parts += [self.sign_off, self.name]
        return "\n\n".join(p for p in parts if p)

    def words(self) -> int:
        return count_words(self.body_text())


def writable(sentence: LetterSentence) -> bool:
    """May this sentence reach a file? Never when blocked; a flagged one only once a person accepted it;
    a rejected one never."""
    if sentence.verdict is Verdict.BLOCKED or sentence.status is SentenceStatus.REJECTED:
        return False
    return sentence.verdict is Verdict.SAFE or sentence.status is SentenceStatus.ACCEPTED


MIN_WORDS = 250  # below this a letter says why it is short (the issue's ~250–400 words)
_WORD = re.compile(r"[\w’'+#./-]*\w[\w’'+#-]*", re.UNICODE)


def count_words(text: str) -> int:
    return len(_WORD.findall(text))
