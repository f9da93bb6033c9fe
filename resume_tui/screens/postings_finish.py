"""The Postings board finishing a batch job whose provider batches have all ended, as `batch --resume` would.

Three steps, each asked or shown before the next: the postings are read and ranked in a thread
(session/services/batch_job.py); with a paid provider the cost of tailoring the chosen ones is
asked first (the confirm modal, as before any paid run); then their sessions are made and the
chosen ones tailored (the batches' answers come from the response cache, nothing is sent twice);
finally the approval modal lists every file — each tailored resume and the three reports — and
only an approval writes them. A refusal keeps the sessions and leaves the writing to
`resume-tui batch --resume JOB`. The job lock keeps a `batch --resume` of the same job out
while a step runs.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.reactive import reactive
from textual.screen import Screen

from resume_tui.textsafe import display_safe


class FinishesBatchJobs(Screen[None]):
    """The finishing half of the Postings board (a mixin: the board owns the panel that shows `finishing`)."""

    finishing: reactive[str] = reactive("")  # the job being finished (ranking, tailoring, the approval, files)

    def start_finish(self, job_id: str, spent: Any = None) -> None:
        """Finish one job whose batches all ended (`b` again finishes the next one)."""
        self.finishing = job_id
        self._rank(job_id, spent)

    def _locked(self, job_id: str, step: Any) -> Any:
        """Run `step()` under the job's lock; None (and one sentence) when another process holds it."""
        from resume_tui.session.services.batch_pending import job_lock

        lock = job_lock(self.app.store, job_id)  # type: ignore[attr-defined]
        if not lock.try_acquire():
            self.app.call_from_thread(self._finish_failed, f"Another resume-tui is working on batch {job_id} right "
                                      "now; press b again when it is done.")
            return None
        try:
            return step()
        except Exception as exc:  # noqa: BLE001 - one sentence, the board stays
            self.app.call_from_thread(self._finish_failed, exc)
            return None
        finally:
            lock.release()

    @work(thread=True, group="batch-finish", exclusive=True, exit_on_error=False)
    def _rank(self, job_id: str, spent: Any) -> None:
        from resume_tui.session.services import batch_job

        store, settings = self.app.store, self.app.settings  # type: ignore[attr-defined]
        ranked = self._locked(job_id, lambda: batch_job.rank_job(store, settings, job_id))
        if ranked is None:
            return
        if ranked.estimate:
            self.app.call_from_thread(self._confirm_cost, ranked, spent)
        else:
            self._tailor_now(ranked, spent)

    def _confirm_cost(self, ranked: Any, spent: Any) -> None:
        from resume_tui.screens.confirm import ConfirmScreen

        def answered(go: bool | None) -> None:
            if go:
                self._tailor(ranked, spent)
            else:
                self.finishing = ""
                self.notify("Not tailored; nothing was made or written. b asks again.", timeout=6)
                self.load()

        n = len(ranked.selected)
        self.app.push_screen(ConfirmScreen(
            f"Tailor {n} posting{'s' if n != 1 else ''} of batch {ranked.job_id} with a model?",
            f"Estimate (at most: the batches' answers are reused): {ranked.estimate}. The other postings are kept "
            "as analysed sessions; no file is written before you approve the list.", yes="Tailor"), answered)

    @work(thread=True, group="batch-finish", exclusive=True, exit_on_error=False)
    def _tailor(self, ranked: Any, spent: Any) -> None:
        self._tailor_now(ranked, spent)

    def _tailor_now(self, ranked: Any, spent: Any) -> None:
        from resume_tui.session.services import batch_job

        store, settings = self.app.store, self.app.settings  # type: ignore[attr-defined]
        prepared = self._locked(ranked.job_id, lambda: batch_job.tailor_job(store, settings, ranked, spent=spent))
        if prepared is not None:
            self.app.call_from_thread(self._ask_approval, prepared)

    def _ask_approval(self, prepared: Any) -> None:
        """The sessions exist now (the board shows them); every file waits for the approval modal."""
        from resume_tui.screens.approval import ApprovalScreen

        def decided(approved: list[Any] | None) -> None:
            self._write(prepared, approved is not None)

        self.load()
        self.app.push_screen(ApprovalScreen(prepared.files), decided)

    @work(thread=True, group="batch-finish", exclusive=True, exit_on_error=False)
    def _write(self, prepared: Any, approved: bool) -> None:
        from resume_tui.session.services import batch_job

        store = self.app.store  # type: ignore[attr-defined]
        doc = self._locked(prepared.job_id, lambda: batch_job.finish(store, prepared, approved=approved))
        if doc is None:
            return
        trouble = bool(prepared.problem or not approved or any(r.tailor_error for r in prepared.ranked))
        self.app.call_from_thread(self._finished, batch_job.sentence(prepared, doc, approved=approved), trouble)

    def _finished(self, sentence: str, trouble: bool) -> None:
        self.finishing = ""
        self.notify(display_safe(sentence), severity="warning" if trouble else "information", timeout=12)
        self.load()

    def _finish_failed(self, problem: Any) -> None:
        self.finishing = ""
        if isinstance(problem, str):
            self.notify(problem, severity="warning", timeout=8)
        else:
            self.app.show_error(problem)  # type: ignore[attr-defined]
        self.load()

    def load(self) -> None:  # the board's reload
        raise NotImplementedError
