"""The job resource: how every background job (report export, receipt export, OCR) looks to a client.

A POST that starts a job answers 202 with a `JobOut` (and `Location: status_url`); GET `status_url`
answers 200 with the same shape, `downloads` filled once the job is done. A module whose jobs have
more to say subclasses `JobOut` (OCR adds what it read) and builds it from `job_fields`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from roa2web.jobs.store import Job

JobStateName = Literal["queued", "running", "done", "failed", "cancelled"]
JobLinks = Callable[[Job], tuple[str, dict[str, str]]]
JobTitle = Callable[[Job], str]


class JobOut(BaseModel):
    """A background job: where it is, and what it produced once it is done."""

    job_id: str
    title: str = Field(examples=["Balanța de verificare, ianuarie 2025 – martie 2025 (XLSX)"],
                       description="what the job makes, in Romanian, for people: the report, its period and "
                                   "format; \"Citire bon (OCR)\"; \"Export în ROA, noiembrie 2025\"")
    status_url: str = Field(description="GET it to follow the job")
    state: JobStateName
    progress: int = Field(ge=0, le=100)
    message: str = Field(description="where the job is, in Romanian, for people; a failed job's says why when "
                                     "people can act on it (\"Eșuat: Firma 999 nu există în contabilitate.\")")
    downloads: dict[str, str] = Field(description="{format: url} of the files it wrote; {} until it is done")
    created_at: dt.datetime
    finished_at: dt.datetime | None
    error: str | None = Field(default=None, description="the operator's diagnostic of the last failure (exception "
                              "class and text, English where the code is), as in the log and `roa2web queue show`")


def job_fields(job: Job, *, status_url: str, downloads: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The `JobOut` fields of `job` (for a subclass of `JobOut` that adds its own)."""
    return {
        "job_id": job.id,
        "title": title_of(job),
        "status_url": status_url,
        "state": job.state.value,
        "progress": job.progress,
        "message": job.message,
        "downloads": dict(downloads or {}),
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "error": job.error,
    }


def job_out(job: Job, *, status_url: str, downloads: Mapping[str, str] | None = None) -> JobOut:
    """The job resource of `job`; `downloads` as the caller's module names its files."""
    return JobOut(**job_fields(job, status_url=status_url, downloads=downloads))


_LINKS: dict[str, JobLinks] = {}


def job_links(kind: str) -> Callable[[JobLinks], JobLinks]:
    """Register where jobs of `kind` live: `links(job) -> (status_url, downloads)`.

    The module's blueprint registers it, so `/api/tasks` shows a job with the same links as the
    module's own routes do.
    """

    def decorator(links: JobLinks) -> JobLinks:
        _LINKS[kind] = links
        return links

    return decorator


def links_of(job: Job) -> tuple[str, dict[str, str]]:
    """`(status_url, downloads)` of `job`: its module's, or `/api/tasks/<id>` with no downloads."""
    links = _LINKS.get(job.kind)
    return links(job) if links is not None else (f"/api/tasks/{job.id}", {})


_TITLES: dict[str, JobTitle] = {}


def job_title(kind: str) -> Callable[[JobTitle], JobTitle]:
    """Register how people read which job of `kind` it is: `title(job) -> Romanian text`.

    The module's blueprint registers it, next to its links, so every door shows the same title.
    """

    def decorator(title: JobTitle) -> JobTitle:
        _TITLES[kind] = title
        return title

    return decorator


def title_of(job: Job) -> str:
    """`job`'s Romanian title by its module, or its kind's internal name for a kind none registered."""
    title = _TITLES.get(job.kind)
    return title(job) if title is not None else job.kind
