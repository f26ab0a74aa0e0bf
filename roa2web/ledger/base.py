"""The one interface both ledgers implement."""

from __future__ import annotations

import abc
import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, Protocol

from roa2web.ledger.breaker import BreakerState, CircuitBreaker
from roa2web.ledger.identity import LedgerIdentity, unknown
from roa2web.ledger.statements import STATEMENTS
from roa2web.problems import ServiceUnavailable

Row = dict[str, Any]
log = logging.getLogger("roa2web.ledger")
HEALTH_BACKSTOP_S = 1.0  # beyond the health query's own timeout, before its caller stops waiting
STREAM_BATCH_ROWS = 1000  # rows a streamed statement hands over at a time


class BatchCursor(Protocol):
    """One open statement of a ledger, read a batch at a time (`Ledger.stream`)."""

    async def next_batch(self) -> list[Row]:
        """The next rows (at most the batch size); empty once the statement has no more."""
        ...

    async def close(self) -> None:
        """Release the cursor and its connection (safe to call twice)."""
        ...


class LedgerError(ServiceUnavailable):
    """A ledger query failed (503: the message, which may quote SQL or paths, goes to the log only).

    A client only sees one when nothing cached could answer instead (a report's expired copy is
    served while the ledger is down).
    """

    kind = "ledger-error"
    title = "Eroare a contabilității (ROA)"
    public_detail = ("Contabilitatea (ROA) nu a putut răspunde la această cerere și nu există o copie salvată a "
                     "răspunsului; încercați din nou în curând.")


class LedgerUnavailable(LedgerError):
    """The ledger could not be reached or did not answer in time."""

    kind = "ledger-unavailable"
    title = "Contabilitatea (ROA) indisponibilă"
    public_detail = ("Contabilitatea (ROA) nu este disponibilă și nu există o copie salvată a acestui răspuns; "
                     "încercați din nou în curând.")


class LedgerCircuitOpen(LedgerUnavailable):
    """The ledger failed recently and is not asked again until a probe finds it back (503 at once, Retry-After)."""

    public_detail = ("Contabilitatea (ROA) nu este disponibilă în acest moment și nu există o copie salvată a "
                     "acestui răspuns; încercați din nou peste câteva secunde.")

    def __init__(self, detail: str, *, retry_after_s: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after_s)})


class Ledger(abc.ABC):
    """Read-only access to the ledger contract through named statements, behind a circuit breaker.

    Every statement is written once in Oracle's dialect with `:name` binds
    (see `roa2web.ledger.statements`); implementations run it as they must. Calls go through
    `breaker` (`roa2web.ledger.breaker`): while it is open they fail at once with
    LedgerCircuitOpen, and a recovery task probes the ledger with its health query after each
    cool-down; the probe's success closes the breaker. Every successful health query also
    re-reads the ledger's identity, so a ledger file replaced while the process runs is seen
    under its new identity.
    """

    kind: str

    def __init__(
        self,
        *,
        timeout_s: float = 10.0,
        health_timeout_s: float = 2.0,
        breaker_failures: int = 3,
        breaker_cool_down_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.timeout_s = timeout_s
        self.health_timeout_s = health_timeout_s
        self.breaker = CircuitBreaker(failures=breaker_failures, cool_down_s=breaker_cool_down_s, clock=clock)
        self.queries = 0  # statements run since start; tests use it to count ledger work
        self.health_queries = 0
        self.stream_batches = 0  # batches handed over by `stream`; tests use it to see rows read lazily
        self.last_health_ms: float | None = None
        self._identity: LedgerIdentity | None = None
        self._probe: asyncio.Task[None] | None = None
        self._recovery: asyncio.Task[None] | None = None

    @property
    def identity(self) -> LedgerIdentity:
        """Which ledger this is (`roa2web.ledger.identity`): the report cache is keyed on it.

        Read when first asked (the app asks when it is assembled), then again by every successful
        health query (`probe`): a ledger replaced while the process runs is seen under its new
        identity once a probe has run (every /health, and each recovery after a failure).
        """
        if self._identity is None:
            self._identity = self._read_identity()
        return self._identity

    def _read_identity(self) -> LedgerIdentity:
        """The identity of a ledger that cannot name itself: its own, shared with no other process."""
        return unknown(self.kind)

    async def fetch(self, statement: str, **binds: Any) -> list[Row]:
        """Run the named statement with `binds` and return its rows as dicts (lower-case keys).

        LedgerCircuitOpen at once while the breaker is open.
        """
        if statement not in STATEMENTS:
            raise KeyError(f"unknown ledger statement {statement!r}")
        return await self.guarded(statement, lambda: self._fetch(statement, STATEMENTS[statement], binds))

    async def stream(self, statement: str, *, batch_rows: int = STREAM_BATCH_ROWS,
                     **binds: Any) -> AsyncIterator[list[Row]]:
        """Run the named statement and yield its rows `batch_rows` at a time from one open cursor.

        For results too large to hold (an export of every journal line): only one batch is in
        memory at a time, and the next one is read when the caller asks for it. Every batch is
        bounded by `timeout_s`. The statement counts once in `queries` and once with the breaker
        (LedgerCircuitOpen at once while it is open); a failure on any batch counts as its failure.
        Close the iterator (`aclose`) when stopping early: that releases the cursor.
        """
        if statement not in STATEMENTS:
            raise KeyError(f"unknown ledger statement {statement!r}")
        if batch_rows < 1:
            raise ValueError("batch_rows must be at least 1")
        ticket = self.breaker.admit()
        if ticket is None:
            raise LedgerCircuitOpen(
                f"ledger breaker {self.breaker.state}: {statement} not run (last error: {self.breaker.last_error})",
                retry_after_s=self.breaker.retry_after_s(),
            )
        self.queries += 1
        try:
            cursor = await self._open_cursor(statement, STATEMENTS[statement], binds, batch_rows)
            try:
                while batch := await cursor.next_batch():
                    self.stream_batches += 1
                    yield batch
            finally:
                await cursor.close()
        except LedgerError as exc:
            self._failed(ticket, exc, trip=isinstance(exc, LedgerUnavailable))
            raise
        self.breaker.succeeded(ticket)

    async def guarded[T](self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        """Await `call()` (one ledger call, counted in `queries`) through the breaker."""
        ticket = self.breaker.admit()
        if ticket is None:
            raise LedgerCircuitOpen(
                f"ledger breaker {self.breaker.state}: {what} not run (last error: {self.breaker.last_error})",
                retry_after_s=self.breaker.retry_after_s(),
            )
        self.queries += 1
        try:
            result = await call()
        except LedgerError as exc:
            self._failed(ticket, exc, trip=isinstance(exc, LedgerUnavailable))
            raise
        self.breaker.succeeded(ticket)
        return result

    def _failed(self, ticket: int, error: LedgerError, *, trip: bool) -> None:
        self._forget_connections()
        if self.breaker.failed(ticket, str(error), trip=trip):
            log.warning("ledger breaker opened (%s); next probe in %.1f s", error, self.breaker.cool_down_s)
            self._start_recovery()

    def _start_recovery(self) -> None:
        if self._recovery is None or self._recovery.done():
            self._recovery = asyncio.get_running_loop().create_task(self._recover(), name="ledger-recovery")

    async def _recover(self) -> None:
        """While the breaker is not closed: wait out the cool-down, then probe."""
        while self.breaker.state is not BreakerState.CLOSED:
            await asyncio.sleep(self.breaker.probe_due_in())
            with contextlib.suppress(LedgerError):
                await self.probe()

    async def probe(self) -> None:
        """Run the health query now, fed to the breaker (one at a time: concurrent callers share it).

        While the breaker is closed, or open with its cool-down over (then this is the half-open
        probe), the query runs, bounded by `health_timeout_s`; otherwise LedgerCircuitOpen at once.
        Raises the query's LedgerError; on success the identity is read again.
        """
        if self._probe is None or self._probe.done():
            self._probe = asyncio.get_running_loop().create_task(self._probe_once(), name="ledger-probe")
        await asyncio.shield(self._probe)

    async def _probe_once(self) -> None:
        ticket = self.breaker.probe_ticket()
        if ticket is None:
            raise LedgerCircuitOpen(f"ledger breaker {self.breaker.state}: the probe waits for the cool-down",
                                    retry_after_s=self.breaker.retry_after_s())
        self.health_queries += 1
        started = time.perf_counter()
        backstop_s = self.health_timeout_s + HEALTH_BACKSTOP_S  # the query bounds itself; this, anything else
        try:
            identity = await asyncio.wait_for(self._health_query(), backstop_s)
        except TimeoutError as exc:
            error = LedgerUnavailable(f"the ledger's health query took longer than {backstop_s}s")
            self._failed(ticket, error, trip=True)
            raise error from exc
        except LedgerError as exc:
            self._failed(ticket, exc, trip=True)
            raise
        self.last_health_ms = round((time.perf_counter() - started) * 1000, 2)
        if identity.generation is not None and identity != self._identity:
            if self._identity is not None:
                log.warning("the ledger was replaced: %s is now %s", self._identity, identity)
                self._forget_connections()
            self._identity = identity
        if self.breaker.succeeded(ticket):
            log.warning("the ledger answers again: breaker closed")
            self._forget_connections()

    async def ping(self) -> None:
        """Raise LedgerError unless the ledger answers its health query in time (`probe`)."""
        await self.probe()

    @abc.abstractmethod
    async def _fetch(self, name: str, sql: str, binds: Mapping[str, Any]) -> list[Row]: ...

    async def _open_cursor(self, name: str, sql: str, binds: Mapping[str, Any], batch_rows: int) -> BatchCursor:
        """Execute the statement on a connection of its own and return its cursor (LedgerError on failure)."""
        raise NotImplementedError(f"the {self.kind} ledger cannot stream statements")

    @abc.abstractmethod
    async def _health_query(self) -> LedgerIdentity:
        """Run a real query on the ledger, bounded by `health_timeout_s`, and return its identity as read now.

        Raises LedgerError (LedgerUnavailable when it did not answer in time).
        """

    def _forget_connections(self) -> None:  # noqa: B027 - optional hook
        """Drop open connections, so the next call reconnects (a file may have been replaced meanwhile)."""

    @abc.abstractmethod
    def stats(self) -> dict[str, Any]:
        """Figures for /health (pool sizes, path, ...)."""

    async def start(self) -> None:  # noqa: B027 - optional hook
        """Open pools or connections; the default needs nothing."""

    async def close(self) -> None:
        """Stop probing; subclasses release pools or connections too."""
        for task in (self._recovery, self._probe):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, LedgerError):
                    await task


def as_date(value: Any) -> dt.date:
    """Normalize a ledger date (ISO text from SQLite, datetime from Oracle) to a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
