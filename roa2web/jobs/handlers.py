"""The job-handler contract: what a module writes to run work in the background.

A handler is a plain (sync) function registered by kind at import time::

    @job_handler("report_export")
    def export_report(ctx: JobContext) -> str | None:
        rows = ctx.run(build_rows(ctx.runtime.ledger, ctx.params))  # async work: on the loop
        ctx.progress(50, "Se scrie fișierul")                                  # CPU work: right here
        return str(path)                                                      # the job's result_ref

It runs in a Huey worker thread. Raise `TransientJobError` for failures worth another attempt
(with backoff), `PermanentJobError` (or anything else not in `retry_on`) to fail at once, and
`JobInterrupted` when a shutdown took away what the job needs (the attempt is given back).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from roa2web.jobs.store import Job

if TYPE_CHECKING:
    from roa2web.runtime import Runtime


class TransientJobError(Exception):
    """A failure that may pass (a locked file, a ledger timeout): try again later."""


class PermanentJobError(Exception):
    """A failure another attempt cannot fix (bad parameters, a missing report): fail now."""


class JobInterrupted(Exception):
    """The process is stopping under the job (a service it needs was closed).

    This attempt does not count, and the job waits, queued, for a later one (the next start of a
    consumer).
    """


class JobCancelled(Exception):
    """Raised by `JobContext.raise_if_cancelled()`; the job ends `cancelled`."""


class JobBridge(Protocol):
    """What a context needs from the runner that owns it (state writes go through the loop)."""

    def run[T](self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the process's event loop and wait for it."""
        ...

    def progress(self, job: Job, percent: int, message: str) -> None:
        """Persist a running job's progress."""
        ...

    def cancelled(self, job: Job) -> bool:
        """Whether a cancel was requested for the job."""
        ...


class JobContext:
    """Everything a handler gets: its job, parameters, the runtime, and the loop bridge."""

    def __init__(self, job: Job, runtime: Runtime, bridge: JobBridge) -> None:
        self.job = job
        self.params: dict[str, Any] = dict(job.params)
        self.runtime = runtime
        self._bridge = bridge

    def run[T](self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` on the process's asyncio loop and block this thread until it returns."""
        return self._bridge.run(coro)

    def progress(self, percent: int, message: str = "") -> None:
        """Record progress (0-100) and a short message users may see (Romanian, sentence case, no final stop)."""
        self._bridge.progress(self.job, percent, message)

    def cancelled(self) -> bool:
        """True when someone cancelled this job; stop soon (return, or `raise_if_cancelled()`)."""
        return self._bridge.cancelled(self.job)

    def raise_if_cancelled(self) -> None:
        """Stop the handler right here if the job was cancelled."""
        if self.cancelled():
            raise JobCancelled(self.job.id)


Handler = Callable[[JobContext], str | None]
_KIND = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class HandlerSpec:
    """A registered handler and its retry policy."""

    kind: str
    func: Handler
    max_attempts: int | None
    retry_on: tuple[type[Exception], ...]


_HANDLERS: dict[str, HandlerSpec] = {}


def job_handler(
    kind: str,
    *,
    max_attempts: int | None = None,
    retry_on: tuple[type[Exception], ...] = (TransientJobError,),
) -> Callable[[Handler], Handler]:
    """Register `func` as the handler of jobs of `kind` (max_attempts None = QUEUE_MAX_ATTEMPTS)."""
    if not _KIND.match(kind):
        raise ValueError(f"job kind {kind!r} must be lower-case letters, digits and _")
    if max_attempts is not None and max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")

    def decorator(func: Handler) -> Handler:
        existing = _HANDLERS.get(kind)
        if existing is not None and existing.func is not func and _qualname(existing.func) != _qualname(func):
            raise ValueError(f"job kind {kind!r} already has a handler: {_qualname(existing.func)}")
        _HANDLERS[kind] = HandlerSpec(kind, func, max_attempts, tuple(retry_on))
        return func

    return decorator


def _qualname(func: Callable[..., Any]) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def handler_for(kind: str) -> HandlerSpec | None:
    """The handler registered for `kind`."""
    return _HANDLERS.get(kind)


def registered_kinds() -> list[str]:
    """Every kind with a handler in this process."""
    return sorted(_HANDLERS)
