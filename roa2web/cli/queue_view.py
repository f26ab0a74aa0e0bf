"""Rich renderings of the queue: the dashboard snapshot, job lists and one job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from roa2web.jobs.store import Job

_STATE_STYLE = {"queued": "yellow", "running": "cyan", "done": "green", "failed": "red", "cancelled": "magenta"}


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value < 120:
        return f"{value:.1f} s"
    return f"{value / 60:.1f} min"


def _time(value: dt.datetime | None) -> str:
    return value.astimezone().strftime("%H:%M:%S") if value else "-"


def _short(text: str | None, width: int = 70) -> str:
    if not text:
        return ""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _overview(snapshot: dict[str, Any]) -> Table:
    backend = snapshot["backend"]
    jobs = snapshot["jobs"]
    table = Table.grid(padding=(0, 2))
    reach = "[green]reachable[/]" if backend["reachable"] else f"[red]unreachable: {backend.get('error')}[/]"
    table.add_row("backend", f"{backend['kind']} queue {backend['queue']!r} — {reach}")
    table.add_row("pending", str(snapshot["pending"]), "scheduled", str(snapshot["scheduled"]))
    table.add_row(
        "jobs", "  ".join(f"[{_STATE_STYLE.get(state, 'white')}]{state} {count}[/]" for state, count in jobs.items())
    )
    table.add_row("oldest queued", _seconds(snapshot["oldest_queued_age_s"]))
    table.add_row("throughput", f"{snapshot['throughput_per_minute']:.1f} tasks/min (last 10 min)")
    table.add_row(
        "workers",
        f"{snapshot['workers_busy']} busy of {snapshot['workers_total']} configured, {snapshot['workers_alive']} alive,"
        f" in {len(snapshot['consumers'])} consumer(s)",
    )
    return table


def _running(snapshot: dict[str, Any]) -> Table:
    table = Table(title="running", expand=True, title_justify="left")
    for column in ("task", "job", "started", "elapsed", "progress", "attempt", "worker"):
        table.add_column(column)
    for job in snapshot["running"]:
        table.add_row(job["kind"], job["id"], _time(job["started_at"]), _seconds(job["elapsed_s"]),
                      f"{job['progress']}% {_short(job['message'], 30)}", str(job["attempts"]), job["worker"] or "")
    return table


def _recent(snapshot: dict[str, Any]) -> Table:
    table = Table(title="recent", expand=True, title_justify="left")
    for column in ("task", "job", "state", "finished", "duration", "error"):
        table.add_column(column)
    for job in snapshot["recent"]:
        state = job["state"]
        table.add_row(job["kind"], job["id"], f"[{_STATE_STYLE.get(state, 'white')}]{state}[/]",
                      _time(job["finished_at"]), _seconds(job["duration_s"]), _short(job["error"], 60))
    return table


def _tasks(snapshot: dict[str, Any]) -> Table:
    table = Table(title="per task (last 24 h)", expand=True, title_justify="left")
    for column in ("task", "executed", "completed", "errors", "mean", "p95"):
        table.add_column(column, justify="left" if column == "task" else "right")
    for row in snapshot["tasks"]:
        table.add_row(row["task"], str(row["executed"]), str(row["completed"]), str(row["errors"]),
                      _seconds(row["mean_s"]), _seconds(row["p95_s"]))
    return table


def _waiting(snapshot: dict[str, Any]) -> Table:
    table = Table(title="waiting and scheduled", expand=True, title_justify="left")
    for column in ("task", "job", "when"):
        table.add_column(column)
    for message in snapshot["waiting"]:
        table.add_row(message["task"], str(message["job_id"] or ""), "now")
    for message in snapshot["scheduled_messages"]:
        table.add_row(message["task"], str(message["job_id"] or ""), _time(message["eta"]))
    return table


def render_dashboard(snapshot: dict[str, Any]) -> RenderableType:
    """The whole dashboard for one snapshot."""
    title = f"ROA2WEB queue — {_time(snapshot['generated_at'])}"
    return Group(
        Panel(_overview(snapshot), title=title, title_align="left"),
        _running(snapshot), _waiting(snapshot), _recent(snapshot), _tasks(snapshot),
    )


def render_jobs(jobs: list[Job]) -> Table:
    """Jobs as a table, newest first."""
    table = Table(expand=True)
    for column in ("job", "task", "state", "progress", "attempts", "created", "finished", "error"):
        table.add_column(column)
    for job in jobs:
        table.add_row(job.id, job.kind, f"[{_STATE_STYLE.get(job.state, 'white')}]{job.state}[/]",
                      f"{job.progress}%", f"{job.attempts}/{job.max_attempts}",
                      job.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), _time(job.finished_at),
                      _short(job.error, 50))
    return table


def render_job(job: Job) -> Table:
    """Every field of one job."""
    table = Table.grid(padding=(0, 2))
    for key, value in job.to_dict().items():
        table.add_row(Text(key, style="bold"), Text("-" if value is None else str(value)))
    return table
