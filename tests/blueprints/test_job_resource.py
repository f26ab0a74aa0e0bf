"""The job resource: every state of the job engine, spelled the same, and built from a job as it is."""

from __future__ import annotations

import datetime as dt
from typing import get_args

from roa2web.blueprints.job_resource import JobOut, JobStateName, job_out, job_title, links_of, title_of
from roa2web.jobs.store import Job, JobState


def _job(state: JobState, **changes):
    values = {"id": "abc", "kind": "nothing_registered", "params": {}, "owner_id": "u1", "company_id": 1,
              "state": state, "progress": 40, "message": "Se scrie fișierul", "attempts": 1, "max_attempts": 3,
              "error": None, "result_ref": None, "created_at": dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC),
              "started_at": None, "finished_at": None}
    return Job(**{**values, **changes})


def test_the_resource_names_every_engine_state():
    assert list(get_args(JobStateName)) == [state.value for state in JobState]


def test_job_out_copies_the_job_and_the_callers_links():
    finished = dt.datetime(2026, 1, 2, 3, 5, tzinfo=dt.UTC)
    out = job_out(_job(JobState.DONE, progress=100, finished_at=finished), status_url="/x/abc",
                  downloads={"csv": "/x/abc/csv"})
    assert out == JobOut(job_id="abc", title="nothing_registered", status_url="/x/abc", state="done", progress=100,
                         message="Se scrie fișierul",
                         downloads={"csv": "/x/abc/csv"}, created_at=_job(JobState.DONE).created_at,
                         finished_at=finished, error=None)
    assert out.model_dump(mode="json")["state"] == "done"


def test_a_kind_without_links_lives_under_api_tasks():
    assert links_of(_job(JobState.QUEUED)) == ("/api/tasks/abc", {})


def test_a_job_is_titled_by_its_kinds_module_or_by_its_kind():
    assert title_of(_job(JobState.QUEUED)) == "nothing_registered"

    @job_title("titled_for_a_test")
    def title(job: Job) -> str:
        return f"Lucrarea {job.params['n']}"

    titled = _job(JobState.RUNNING, kind="titled_for_a_test", params={"n": 7})
    assert title_of(titled) == "Lucrarea 7"
    assert job_out(titled, status_url="/x/abc").title == "Lucrarea 7"
