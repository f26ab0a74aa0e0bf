"""`/api/tasks`: the queue's dashboard (admin), the caller's own jobs, one job's status (owner or admin)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field
from quart import Blueprint, Quart
from quart_schema import validate_querystring, validate_response

from roa2web.blueprints.common import problems, runtime
from roa2web.blueprints.job_resource import JobOut, JobStateName, job_fields, links_of
from roa2web.jobs.service import JobNotFound, JobService
from roa2web.jobs.store import Job
from roa2web.runtime import Runtime
from roa2web.web.guards import current_principal, require_roles

blueprint = Blueprint("tasks", __name__, url_prefix="/api/tasks")


class TaskJobOut(JobOut):
    """The job resource, with what an operator needs besides: kind, attempts, owner, worker times."""

    kind: str = Field(examples=["report_export"], description="what the job does, by its internal name: "
                      "report_export, ocr, receipts_export (a client words it for people)")
    attempts: int = Field(description="runs started so far (a retry after a transient failure is one more)")
    max_attempts: int
    owner_id: str | None = Field(description="the user who started it; null for the app's own jobs")
    company_id: int | None = Field(description="the company it is about, when it is about one")
    cancel_requested: bool = Field(description="a cancel was asked while it ran; it stops at its next step")
    started_at: dt.datetime | None = Field(description="when its last run started; null while it waits")
    receipt_id: str | None = Field(default=None, description="the receipt the job works on (an OCR reading "
                                   "fills it), for a link to it; null for jobs of no one receipt")


class MyJobsQuery(BaseModel):
    """Which of the caller's jobs: how many, and optionally only those in one state."""

    state: JobStateName | None = Field(default=None, description="only jobs in this state")
    limit: int = Field(50, ge=1, le=200, description="at most this many, newest first")


class MyJobList(BaseModel):
    """The caller's own jobs of every kind (report exports, OCR readings, receipt exports), newest first."""

    jobs: list[TaskJobOut] = Field(examples=[[{
        "job_id": "3f2a9c0e8b7d4e1f9a6b5c4d3e2f1a0b",
        "title": "Balanța de verificare, ianuarie 2025 – martie 2025 (XLSX)",
        "status_url": "/api/reports/exports/3f2a9c0e8b7d4e1f9a6b5c4d3e2f1a0b",
        "state": "running", "progress": 40, "message": "Se scrie fișierul", "downloads": {},
        "created_at": "2025-12-31T12:05:00Z", "finished_at": None, "error": None,
        "kind": "report_export", "attempts": 1, "max_attempts": 3, "owner_id": "7", "company_id": 1,
        "cancel_requested": False, "started_at": "2025-12-31T12:05:01Z", "receipt_id": None,
    }]])


class QueueDashboard(BaseModel):
    """The figures of `roa2web queue dashboard`."""

    generated_at: dt.datetime
    backend: dict[str, Any]
    pending: int | None = Field(description="messages waiting for a worker")
    scheduled: int | None = Field(description="messages scheduled for later (retries after backoff)")
    jobs: dict[str, int] = Field(description="jobs per state")
    oldest_queued_age_s: float | None
    running: list[dict[str, Any]]
    recent: list[dict[str, Any]]
    kinds: dict[str, dict[str, int]] = Field(description="jobs of the last 24 h per kind and state")
    tasks: list[dict[str, Any]] = Field(description="per task: executed, completed, errors, mean_s, p95_s")
    throughput: list[dict[str, Any]]
    throughput_per_minute: float
    consumers: list[dict[str, Any]] = Field(description="live consumers: id, host, pid, workers, workers_alive,"
                                            " workers_busy, started_at, seen_at")
    workers_busy: int = Field(description="worker threads running a job now, over the live consumers")
    workers_alive: int = Field(description="worker threads alive (the consumers' scheduler threads are not counted)")
    workers_total: int = Field(description="worker threads the live consumers started (QUEUE_WORKERS each)")


def task_job_out(job: Job) -> TaskJobOut:
    """The operator's view of a job: the job resource (with its module's links) and its bookkeeping."""
    status_url, downloads = links_of(job)
    return TaskJobOut(
        **job_fields(job, status_url=status_url, downloads=downloads), kind=job.kind, attempts=job.attempts,
        max_attempts=job.max_attempts, owner_id=job.owner_id, company_id=job.company_id,
        cancel_requested=job.cancel_requested, started_at=job.started_at, receipt_id=_receipt_id(job),
    )


def _receipt_id(job: Job) -> str | None:
    """The receipt a job's parameters name (an OCR reading's), if any."""
    receipt_id = job.params.get("receipt_id")
    return receipt_id if isinstance(receipt_id, str) else None


def _service() -> JobService:
    return runtime().jobs


async def visible_job(job_id: str) -> Job:
    """The job if the caller owns it or is an admin; 404 otherwise (no hint that it exists)."""
    job = await _service().get(job_id)
    principal = current_principal()
    if job is None or not (principal.is_admin or job.owner_id == principal.user_id):
        raise JobNotFound(job_id)
    return job


@blueprint.get("")
@require_roles("admin")
@validate_response(QueueDashboard, 200)
@problems(401, 403)
async def queue_dashboard() -> QueueDashboard:
    """Pending, scheduled and running work, recent outcomes, per-task timings, throughput, consumers."""
    figures = await _service().summary()
    return QueueDashboard(**{key: value for key, value in figures.items() if key in QueueDashboard.model_fields})


@blueprint.get("/mine")
@validate_querystring(MyJobsQuery)
@validate_response(MyJobList, 200)
@problems(400, 401)
async def my_jobs(query_args: MyJobsQuery) -> MyJobList:
    """The caller's own jobs of every kind, newest first (any logged-in user; an admin sees only theirs here)."""
    jobs = await _service().list(owner_id=current_principal().user_id, state=query_args.state, limit=query_args.limit)
    return MyJobList(jobs=[task_job_out(job) for job in jobs])


@blueprint.get("/<job_id>")
@validate_response(TaskJobOut, 200)
@problems(401, 404)
async def job_status(job_id: str) -> TaskJobOut:
    """One job's state and progress (its owner, or an admin)."""
    return task_job_out(await visible_job(job_id))


@blueprint.post("/<job_id>/cancel")
@validate_response(TaskJobOut, 200)
@problems(401, 404, 409)
async def cancel_job(job_id: str) -> TaskJobOut:
    """Cancel a queued job, or ask a running one to stop (its owner, or an admin)."""
    await visible_job(job_id)
    return task_job_out(await _service().cancel(job_id))  # JobStateError → 409


@blueprint.post("/<job_id>/retry")
@require_roles("admin")
@validate_response(TaskJobOut, 200)
@problems(401, 403, 404, 409)
async def retry_job(job_id: str) -> TaskJobOut:
    """Run a failed or cancelled job again (admin)."""
    return task_job_out(await _service().retry(job_id))  # JobNotFound → 404, JobStateError → 409


def install_routes(app: Quart, runtime: Runtime) -> None:
    """`/api/tasks`, and the report exports (`/api/reports/exports`) when the reports module is on."""
    app.register_blueprint(blueprint)
    if runtime.settings.module_reports_enabled:
        from roa2web.blueprints.exports import blueprint as exports_blueprint

        app.register_blueprint(exports_blueprint)
