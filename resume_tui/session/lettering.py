"""The Flow's cover-letter calls (a mixin): compose, decide, edit, regenerate, plan and write.

The letter is kept in the session's settings (so it survives a restart) and every change to a
sentence goes back through the letter guard: a blocked sentence can never be accepted, an edited one
is judged again, and only sentences that may be written reach a file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resume_tui.analysis.letter import Letter, LetterGuard, LetterSentence, SentenceStatus, Tone, regenerate
from resume_tui.errors import InputError
from resume_tui.models import Session, Verdict
from resume_tui.session.refining import opened, spend
from resume_tui.session.services import letter as letters

if TYPE_CHECKING:
    from resume_tui.config import Settings
    from resume_tui.documents.verify import ExportOutcome
    from resume_tui.pipeline.letter import LetterResult
    from resume_tui.pipeline.letter_regen import Regenerated



class LetterSteps:
    session: Session
    settings: Settings
    router: Callable[[], Any]
    _changed: Callable[[], None]

    @property
    def user_facts(self) -> list[str]:  # provided by Flow
        raise NotImplementedError

    @property
    def letter(self) -> Letter | None:
        """The session's letter, or None when there is none or it was written for another resume, posting
        or set of declared facts (a letter naming the wrong company must never reach a file)."""
        data = self.session.settings.letter
        if not data or self.session.settings.letter_inputs != self._inputs_key():
            return None
        return Letter.model_validate(data)

    def _keep_letter(self, letter: Letter) -> None:
        self.session.settings.letter = letter.model_dump(mode="json")
        self.session.settings.letter_inputs = self._inputs_key()
        self._changed()

    def _inputs_key(self) -> str:
        import hashlib

        session = self.session
        parts = [session.resume.full_text() if session.resume else "", session.job.text if session.job else "",
                 *self.user_facts]
        return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:16]

    async def compose_letter(self, tone: Tone) -> LetterResult:
        """Write the letter from the session's gap report (the model's, guarded, when the session has one)."""
        session = self.session
        if session.resume is None or session.job is None:
            raise InputError("Import a resume and a job description first; the letter is built from both.")
        report = session.report or letters.report_for(session.resume, session.job, self.user_facts)
        async with opened(self.router()) as router:
            result = await letters.compose(session.resume, session.job, report, tone=tone, facts=self.user_facts,
                                           router=router, settings=self.settings)
        spend(session, result.usage)
        self._keep_letter(result.letter)
        return result

    def _guard(self) -> LetterGuard:
        session = self.session
        assert session.resume is not None and session.job is not None
        return LetterGuard(session.resume, session.job, self.user_facts)

    def _sentence(self, letter: Letter, sentence_id: str) -> LetterSentence:
        found = next((s for s in letter.sentences if s.id == sentence_id), None)
        if found is None:
            raise InputError("That sentence is no longer in the letter.")
        return found

    def _put(self, letter: Letter, new: LetterSentence) -> LetterSentence:
        sentences = [new if s.id == new.id else s for s in letter.sentences]
        self._keep_letter(letter.model_copy(update={"sentences": sentences}))
        return new

    def letter_decide(self, sentence_id: str, status: SentenceStatus) -> LetterSentence:
        """Keep or drop one sentence; a blocked one is never kept."""
        letter = self.letter
        if letter is None:
            raise InputError("Write the letter first (c).")
        sentence = self._sentence(letter, sentence_id)
        if status is SentenceStatus.ACCEPTED and sentence.verdict is Verdict.BLOCKED:
            raise InputError("A blocked sentence cannot be kept: " + (sentence.reasons[0] if sentence.reasons else
                                                                      "the guard found a claim your resume does not support."))
        return self._put(letter, sentence.model_copy(update={"status": status}))

    def letter_edit(self, sentence_id: str, text: str) -> LetterSentence:
        """A person's own wording, judged again by the guard (pending until kept)."""
        letter = self.letter
        if letter is None:
            raise InputError("Write the letter first (c).")
        text = " ".join(text.split())
        if not text:
            raise InputError("The sentence is empty; drop it instead (r).")
        sentence = self._sentence(letter, sentence_id)
        edited = sentence.model_copy(update={"text": text, "source": "user", "status": SentenceStatus.PENDING})
        return self._put(letter, regenerate(edited, self._guard()))

    async def letter_regenerate(self, sentence_id: str) -> Regenerated:
        """Write one sentence again: by the session's model from the same requirements and evidence (guarded;
        the offline sentence when the guard blocks it), else another offline phrasing. The letter changes
        only when there is a new sentence; the message says what happened and why."""
        from resume_tui.pipeline.letter_regen import regenerate_sentence

        letter = self.letter
        session = self.session
        if letter is None or session.resume is None or session.job is None:
            raise InputError("Write the letter first (c).")
        sentence = self._sentence(letter, sentence_id)
        async with opened(self.router()) as router:
            outcome = await regenerate_sentence(sentence, letter, session.resume, session.job, facts=self.user_facts,
                                                router=router, settings=self.settings)
        spend(session, outcome.usage)
        if outcome.sentence is not None:
            current = self.letter or letter
            self._put(current, outcome.sentence)
        return outcome

    def plan_letter(self, directory: str | Path, stem: str, formats: Sequence[str]) -> list[Any]:
        """The letter's files (the same folder and formats as the resume's, named <stem>.<fmt>)."""
        letter = self.letter
        if letter is None or self.session.resume is None:
            raise InputError("There is no letter to export; write it on the Letter screen (l) first.")
        folder = Path(str(directory).strip() or ".").expanduser()
        return letters.plan_letter([folder / f"{stem}.{fmt}" for fmt in formats], letter, self.session.resume)

    def write_letter(self, planned: Sequence[Any]) -> list[ExportOutcome]:
        """Write the approved letter files and read each back (disk only: safe in a thread)."""
        letter = self.letter
        assert letter is not None and self.session.resume is not None
        return letters.write_letter_files(planned, letter, self.session.resume)
