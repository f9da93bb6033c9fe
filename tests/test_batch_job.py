"""The batch-finishing service the Postings board uses (session/services/batch_job.py): a stored job is
ranked, its postings become sessions, the selected ones are tailored, every file is planned but none is
written before `finish` is told it was approved; a refusal writes nothing and the board stops offering
the job. Offline, no provider: the same steps `batch --resume` runs (test_batch_cli covers the command)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from resume_tui.config import Settings
from resume_tui.errors import InputError
from resume_tui.session.repos.batches import BatchItemRow
from resume_tui.session.services import batch_job, batch_pending
from resume_tui.session.store import Store

DATA = Path(__file__).resolve().parents[1] / "resume_tui" / "data"
NURSE = "# ICU Nurse — Mercy Hospital\n\n## Requirements\n- Active RN license and BLS certification.\n" \
        "- 2+ years of ICU nursing experience.\n- Experience with Epic charting.\n"
DATA_JD = "# Data Analyst — Contoso\n\n## Requirements\n- Advanced SQL and Tableau dashboards.\n" \
          "- Python (pandas) for analysis and Kubernetes basics.\n- Statistics and A/B testing.\n"


@pytest.fixture
def job(tmp_path: Path, isolated_env: Path):
    """A job as `batch` keeps it (offline, top 1, Markdown) whose one provider batch has ended."""
    folder = tmp_path / "postings"
    folder.mkdir()
    (folder / "nurse.md").write_text(NURSE)
    (folder / "platform.md").write_text((DATA / "sample_jd.md").read_text())
    (folder / "data.md").write_text(DATA_JD)
    kept = {"resume": str(DATA / "sample_resume.md"), "postings": [str(folder)], "output_dir": str(tmp_path / "out"),
            "top": 1, "min_fit": None, "format": "md", "provider": None, "level": None, "accept": "safe",
            "overwrite": False, "offline": True, "refetch": False, "no_batch_api": False}
    store = Store.open(tmp_path / "data" / "resume-tui.sqlite3")
    job_id = store.batches.create_job(kept)
    local = store.batches.record(job_id, "anthropic", "anthropic", "m",
                                 [BatchItemRow("k" * 64, "k" * 64, "extract_requirements", "x:Y")], request_key="r")
    store.batches.close(local, "ended")
    yield store, job_id, tmp_path / "out"
    store.close()


def test_prepare_ranks_makes_sessions_and_plans_every_file_without_writing(job) -> None:
    store, job_id, out = job
    assert batch_pending.finishable(store) == [job_id]
    ranked = batch_job.rank_job(store, Settings(), job_id)
    assert ranked.estimate is None and store.list_sessions() == []  # offline: nothing to price; nothing made yet
    prepared = batch_job.tailor_job(store, Settings(), ranked)
    ok = [r for r in prepared.ranked if r.status == "ok"]
    assert [r.title for r in ok][0] == "Senior Platform Engineer" and [r.rank for r in ok] == [1, 2, 3]
    assert [r.fit for r in ok] == sorted((r.fit for r in ok), reverse=True)
    assert [r.title for r in prepared.selected] == ["Senior Platform Engineer"] and len(prepared.proposals) == 1
    assert all(r.session_id for r in ok) and len(store.list_sessions()) == 3  # every posting is a session
    names = [Path(f.path).name for f in prepared.files]
    assert names == ["maya-okafor-tailored.md", "report.md", "report.csv", "report.json"]
    assert all(f.approx_bytes > 0 for f in prepared.files)
    assert not out.exists()  # nothing written before the approval

    doc = batch_job.finish(store, prepared, approved=True)
    for f in prepared.files:
        assert Path(f.path).is_file()
    assert json.loads((out / "report.json").read_text())["counts"] == doc["counts"]
    assert [row["title"] for row in csv.DictReader(io.StringIO((out / "report.csv").read_text()))][0] == \
        "Senior Platform Engineer"
    assert doc["postings"][0]["outputs"][0]["verified"] is True
    assert store.batches.job(job_id)[1] == "done" and batch_pending.finishable(store) == []
    sentence = batch_job.sentence(prepared, doc, approved=True)
    assert sentence.startswith(f"Batch {job_id} finished: 3 postings ranked, 1 tailored, 1 file and the reports "
                               f"written to {out}")


def test_a_refusal_writes_nothing_and_the_job_is_no_longer_offered(job) -> None:
    store, job_id, out = job
    prepared = batch_job.prepare(store, Settings(), job_id)
    doc = batch_job.finish(store, prepared, approved=False)
    assert not out.exists() and doc["reports"] == {} and doc["counts"]["tailored"] == 0
    assert batch_pending.finishable(store) == []
    assert store.batches.job(job_id)[1] == batch_pending.UNWRITTEN  # `batch --resume JOB` can still write it
    assert "nothing was written (not approved)" in batch_job.sentence(prepared, doc, approved=False)


def test_existing_reports_are_refused_before_any_work(job) -> None:
    store, job_id, out = job
    out.mkdir()
    (out / "report.csv").write_text("mine")
    with pytest.raises(InputError, match="report.csv already exists"):
        batch_job.prepare(store, Settings(), job_id)
    assert store.list_sessions() == [] and (out / "report.csv").read_text() == "mine"
