"""`/api/tasks`: the queue as the dashboard shows it (admin), and one job's status (owner or admin)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field
from quart import Blueprint, Quart
from quart_schema import validate_response

from roa2web.blueprints.common import problems, runtime
from roa2web.blueprints.job_resource import JobOut, job_fields, links_of
from roa2web.jobs.service import JobNotFound, JobService
from roa2web.jobs.store import Job
from roa2web.runtime import Runtime
from roa2web.web.guards import current_principal, require_roles

blueprint = Blueprint("tasks", __name__, url_prefix="/api/tasks")


class TaskJobOut(JobOut):
    """The job resource, with what an operator needs besides: kind, attempts, owner, worker times."""

    kind: str = Field(examples=["report_export"])
    attempts: int
    max_attempts: int
    owner_id: str | None
    company_id: int | None
    cancel_requested: bool
    started_at: dt.datetime | None


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
        cancel_requested=job.cancel_requested, started_at=job.started_at,
    )


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
