"""The ledger's circuit breaker: after failures, stop asking a ledger that is down until a probe says it is back.

Closed: every call goes to the ledger; `failures` consecutive failures, or one that means the
ledger cannot be reached or did not answer in time (`trip`), open it. Open: calls are refused at
once (a report then serves its expired copy, or a quick 503); after `cool_down_s` a single probe
is let through (half-open). The probe's success closes the breaker, its failure opens it again
for another cool-down.

A call admitted while closed gets a ticket (the number of times the breaker has opened so far):
its outcome only counts if the breaker has not opened since, so a slow call that started before
the ledger was known to be down neither closes nor re-opens it.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from enum import StrEnum
from typing import Any


class BreakerState(StrEnum):
    """Where the breaker stands."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class CircuitBreaker:
    """Consecutive failures, the state and the last error of one ledger; safe to share between threads."""

    def __init__(self, *, failures: int, cool_down_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        if failures < 1 or cool_down_s <= 0:
            raise ValueError("a breaker needs failures >= 1 and cool_down_s > 0")
        self.failures = failures
        self.cool_down_s = cool_down_s
        self._clock = clock
        self._lock = threading.Lock()
        self._state = BreakerState.CLOSED
        self._consecutive = 0
        self._opened_at = 0.0
        self._openings = 0
        self._rejected = 0
        self._last_error: str | None = None
        self._last_error_at: float | None = None

    @property
    def state(self) -> BreakerState:
        """Closed, open or half-open (a probe is running)."""
        return self._state

    @property
    def last_error(self) -> str | None:
        """The message of the last failure counted (operator English: it may name paths or hosts)."""
        return self._last_error

    def admit(self) -> int | None:
        """A ticket for a call to the ledger while closed; None (the call is refused, and counted) otherwise."""
        with self._lock:
            if self._state is BreakerState.CLOSED:
                return self._openings
            self._rejected += 1
            return None

    def probe_due_in(self) -> float:
        """Seconds until an open breaker lets its probe through (0: now; 0 too when not open)."""
        with self._lock:
            if self._state is not BreakerState.OPEN:
                return 0.0
            return max(0.0, self._opened_at + self.cool_down_s - self._clock())

    def probe_ticket(self) -> int | None:
        """A ticket for a health query: while closed; once open with its cool-down over (it goes half-open).

        None while the cool-down runs or a half-open probe is already out.
        """
        with self._lock:
            if self._state is BreakerState.CLOSED:
                return self._openings
            if self._state is BreakerState.HALF_OPEN or self._clock() < self._opened_at + self.cool_down_s:
                return None
            self._state = BreakerState.HALF_OPEN
            return self._openings

    def succeeded(self, ticket: int) -> bool:
        """A call or probe with `ticket` succeeded: close the breaker (True when this closed an open one)."""
        with self._lock:
            if ticket != self._openings:
                return False
            reopened = self._state is not BreakerState.CLOSED
            self._state = BreakerState.CLOSED
            self._consecutive = 0
            return reopened

    def failed(self, ticket: int, error: str, *, trip: bool = False) -> bool:
        """A call or probe with `ticket` failed with `error`; True when this opened the breaker.

        `trip`: the failure alone opens it (timeout, unreachable); a half-open probe's failure always does.
        """
        with self._lock:
            if ticket != self._openings:
                return False
            self._last_error = error
            self._last_error_at = self._clock()
            self._consecutive += 1
            if trip or self._state is BreakerState.HALF_OPEN or self._consecutive >= self.failures:
                self._state = BreakerState.OPEN
                self._opened_at = self._clock()
                self._openings += 1
                return True
            return False

    def retry_after_s(self) -> int:
        """Whole seconds a client should wait before asking again: the rest of the cool-down, at least 1."""
        return max(1, math.ceil(self.probe_due_in()))

    def snapshot(self) -> dict[str, Any]:
        """Figures for /health: state, consecutive failures, openings, refused calls, the last error and its age."""
        with self._lock:
            now = self._clock()
            figures: dict[str, Any] = {
                "state": str(self._state),
                "consecutive_failures": self._consecutive,
                "failure_threshold": self.failures,
                "cool_down_s": self.cool_down_s,
                "openings": self._openings,
                "rejected_calls": self._rejected,
                "last_error": self._last_error,
                "last_error_age_s": None if self._last_error_at is None else round(now - self._last_error_at, 1),
            }
            if self._state is BreakerState.OPEN:
                figures["probe_in_s"] = round(max(0.0, self._opened_at + self.cool_down_s - now), 1)
            return figures
