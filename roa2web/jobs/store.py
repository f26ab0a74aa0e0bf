"""Jobs, the truth about background work: the job record, the `jobs` table, inserting and reading.

Huey only carries "run job X" messages; whether X is queued, running or finished lives here.
State changes live in `transitions` (each one conditional UPDATE, so two workers, or a worker
and a recovering process, never both win), queries over many jobs in `jobs_admin`.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import asdict, dataclass
from typing import Any

import orjson
import peewee
from peewee_async import AioModel

from roa2web.appdb import AppDatabase, Migration

MIGRATIONS = (
    Migration(
        1,
        "jobs",
        (
            """CREATE TABLE jobs (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                params TEXT NOT NULL,
                owner_id TEXT,
                company_id BIGINT,
                state TEXT NOT NULL,
                progress INTEGER NOT NULL,
                message TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                max_attempts INTEGER NOT NULL,
                error TEXT,
                result_ref TEXT,
                task_id TEXT,
                worker TEXT,
                cancel_requested BOOLEAN NOT NULL,
                run_after TIMESTAMP,
                heartbeat_at TIMESTAMP,
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL,
                started_at TIMESTAMP,
                finished_at TIMESTAMP
            )""",
            "CREATE INDEX jobs_state_created ON jobs (state, created_at)",
            "CREATE INDEX jobs_owner_created ON jobs (owner_id, created_at)",
            "CREATE INDEX jobs_worker_state ON jobs (worker, state)",
        ),
    ),
)


class JobState(enum.StrEnum):
    """Where a job is in its life."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


STATE_LABELS = {
    JobState.QUEUED: "în așteptare",
    JobState.RUNNING: "în lucru",
    JobState.DONE: "finalizată",
    JobState.FAILED: "eșuată",
    JobState.CANCELLED: "anulată",
}  # how a person reads a job's state: "lucrarea este ..."
FINISHED = frozenset({JobState.DONE, JobState.FAILED, JobState.CANCELLED})


@dataclass(frozen=True)
class Job:
    """One unit of background work and its state. Times are aware UTC datetimes."""

    id: str
    kind: str
    params: dict[str, Any]
    owner_id: str | None
    company_id: int | None
    state: JobState
    progress: int
    message: str
    attempts: int
    max_attempts: int
    error: str | None
    result_ref: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    cancel_requested: bool = False
    worker: str | None = None
    heartbeat_at: dt.datetime | None = None
    run_after: dt.datetime | None = None
    task_id: str | None = None

    @property
    def finished(self) -> bool:
        """True once the job is done, failed or cancelled."""
        return self.state in FINISHED

    @property
    def duration_s(self) -> float | None:
        """Seconds from the last start to the finish (or to now while running)."""
        if self.started_at is None:
            return None
        end = self.finished_at or now_utc()
        return max((end - self.started_at).total_seconds(), 0.0)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly view (ISO times)."""
        values = asdict(self)
        for key, value in values.items():
            if isinstance(value, dt.datetime):
                values[key] = value.isoformat().replace("+00:00", "Z")
        values["state"] = str(self.state)
        return values


class JobRow(AioModel):
    """A row of the `jobs` table."""

    id = peewee.TextField(primary_key=True)
    kind = peewee.TextField()
    params = peewee.TextField()
    owner_id = peewee.TextField(null=True)
    company_id = peewee.BigIntegerField(null=True)
    state = peewee.TextField()
    progress = peewee.IntegerField()
    message = peewee.TextField()
    attempts = peewee.IntegerField()
    max_attempts = peewee.IntegerField()
    error = peewee.TextField(null=True)
    result_ref = peewee.TextField(null=True)
    task_id = peewee.TextField(null=True)
    worker = peewee.TextField(null=True)
    cancel_requested = peewee.BooleanField()
    run_after = peewee.DateTimeField(null=True)
    heartbeat_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()
    started_at = peewee.DateTimeField(null=True)
    finished_at = peewee.DateTimeField(null=True)

    class Meta:
        """The table's name."""

        table_name = "jobs"


def now_utc() -> dt.datetime:
    """The current time, aware UTC."""
    return dt.datetime.now(dt.UTC)


def db_time(value: dt.datetime) -> dt.datetime:
    """Stored times are naive UTC (portable across SQLite and PostgreSQL)."""
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def aware_utc(value: dt.datetime | str | None) -> dt.datetime | None:
    """A stored time (naive UTC, or ISO text from SQLite) as an aware UTC datetime."""
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def job_from_row(row: JobRow) -> Job:
    """The job a row holds."""
    created = aware_utc(row.created_at)
    assert created is not None
    return Job(
        id=row.id,
        kind=row.kind,
        params=orjson.loads(row.params),
        owner_id=row.owner_id,
        company_id=None if row.company_id is None else int(row.company_id),
        state=JobState(row.state),
        progress=int(row.progress),
        message=row.message,
        attempts=int(row.attempts),
        max_attempts=int(row.max_attempts),
        error=row.error,
        result_ref=row.result_ref,
        created_at=created,
        started_at=aware_utc(row.started_at),
        finished_at=aware_utc(row.finished_at),
        cancel_requested=bool(row.cancel_requested),
        worker=row.worker,
        heartbeat_at=aware_utc(row.heartbeat_at),
        run_after=aware_utc(row.run_after),
        task_id=row.task_id,
    )


def new_job_id() -> str:
    """A fresh job id."""
    return uuid.uuid4().hex


def one_line(text: str, limit: int = 2000) -> str:
    """`text` on one line (runs of whitespace as one space), at most `limit` characters."""
    return " ".join(text.split())[:limit]


async def insert_job(
    db: AppDatabase,
    *,
    kind: str,
    params: dict[str, Any],
    owner_id: str | None,
    company_id: int | None,
    max_attempts: int,
    task_id: str,
    job_id: str | None = None,
) -> Job:
    """A new queued job (the caller enqueues its task after this commits)."""
    now = db_time(now_utc())
    values: dict[str, Any] = {
        "id": job_id or new_job_id(),
        "kind": kind,
        "params": orjson.dumps(params, option=orjson.OPT_SORT_KEYS).decode(),
        "owner_id": owner_id,
        "company_id": company_id,
        "state": JobState.QUEUED.value,
        "progress": 0,
        "message": "În așteptare",
        "attempts": 0,
        "max_attempts": max_attempts,
        "task_id": task_id,
        "cancel_requested": False,
        "created_at": now,
        "updated_at": now,
    }
    # peewee-async 2.1 on PostgreSQL needs the RETURNING named
    await JobRow.insert(values).returning(JobRow.id).aio_execute(db)
    return job_from_row(JobRow(**values))


async def get_job(db: AppDatabase, job_id: str) -> Job | None:
    """The job with this id."""
    rows = await JobRow.select().where(JobRow.id == job_id).aio_execute(db)
    return job_from_row(rows[0]) if rows else None


async def list_jobs(
    db: AppDatabase,
    *,
    states: tuple[JobState, ...] = (),
    kind: str | None = None,
    owner_id: str | None = None,
    limit: int = 50,
) -> list[Job]:
    """Jobs, newest first, filtered by state(s), kind and owner."""
    query = JobRow.select()
    if states:
        query = query.where(JobRow.state.in_([str(state) for state in states]))
    if kind:
        query = query.where(JobRow.kind == kind)
    if owner_id is not None:
        query = query.where(JobRow.owner_id == owner_id)
    rows = await query.order_by(JobRow.created_at.desc(), JobRow.id.desc()).limit(limit).aio_execute(db)
    return [job_from_row(row) for row in rows]
