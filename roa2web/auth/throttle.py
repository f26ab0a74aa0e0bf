"""Failed-login limits: sliding windows of failures per client, and per username for failing clients.

The rule (DESIGN.md §10), counting failed logins only:

* **per client address**: at most `per_client` failures in any `period_s` window, whatever the
  usernames. The window slides: each failure is forgotten exactly `period_s` after it happened, so
  there is no burst-then-refill (a token bucket would let a guesser in again after one refill
  interval).
* **per username**: once `per_username` failures from all clients together fall in the window
  (a guess spread over many addresses), a client that itself failed on that username in the window
  is refused too. A client with no failure on it is never refused because of others' failures: the
  account's owner, on their own machine, still logs in while someone else guesses their password
  (OWASP: lock-outs that an attacker can trigger are a denial of service). A fresh address gets at
  most one failure before it is held back; its own per-client limit bounds it anyway.

A success does not count. An attempt reserves its place before the password is checked (so that
parallel guesses cannot all pass the check before the first failure is written down) and gives it
back when it succeeds or fails for another reason (the ledger is down). A refusal says truthfully
when the next attempt will be let through (`retry_after_s`).

State is in this process's memory, bounded to `max_keys` keys (least recently used go first; each
key holds at most twice its limit of timestamps). Several instances each count their own failures.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from roa2web.problems import TooManyRequests


class LoginThrottled(TooManyRequests):
    """Too many failed logins from this client (or on this username from this client)."""

    kind = "too-many-login-failures"


@dataclass(frozen=True)
class LoginAttempt:
    """A place reserved in the failure windows: it stays a failure unless given back (`release`)."""

    keys: tuple[tuple[str, int], ...]  # (key, the limit its window is bounded to)
    at: float


class LoginThrottle:
    """Sliding-window failure counts per client, per username and per (username, client)."""

    def __init__(
        self,
        *,
        per_client: int,
        per_username: int,
        period_s: float,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Limits and window; `clock` is monotonic seconds (a test may pass its own)."""
        self.per_client = per_client
        self.per_username = per_username
        self.period_s = period_s
        self.max_keys = max_keys
        self.clock = clock
        self._windows: OrderedDict[str, deque[float]] = OrderedDict()

    def begin(self, client: str, username: str) -> LoginAttempt:
        """Reserve a place for one login attempt, or raise LoginThrottled with a truthful Retry-After."""
        now = self.clock()
        name = username.strip().lower()
        client_key, user_key, pair_key = f"c:{client}", f"u:{name}", f"p:{client}\x00{name}"
        waits = []
        by_client = self._window(client_key, now)
        if len(by_client) >= self.per_client:
            waits.append(self._free_at(by_client, self.per_client) - now)
        by_user, by_pair = self._window(user_key, now), self._window(pair_key, now)
        if by_pair and len(by_user) >= self.per_username:
            # let through when the username's count falls below its limit, or this client's failures on it expire
            waits.append(min(self._free_at(by_user, self.per_username), by_pair[-1] + self.period_s) - now)
        if waits:
            retry_after = max(1, math.ceil(max(waits)))
            raise LoginThrottled(
                f"Prea multe autentificări eșuate; încercați din nou peste {retry_after} secunde.",
                headers={"Retry-After": str(retry_after)},
            )
        attempt = LoginAttempt(
            ((client_key, self.per_client), (user_key, self.per_username), (pair_key, self.per_client)), now
        )
        for key, limit in attempt.keys:
            self._record(key, limit, now)
        return attempt

    def release(self, attempt: LoginAttempt) -> None:
        """Give a reserved place back: the login succeeded, or failed for another reason than the credentials."""
        for key, _ in attempt.keys:
            window = self._windows.get(key)
            if window is not None and attempt.at in window:
                window.remove(attempt.at)
                if not window:
                    del self._windows[key]

    @property
    def keys_held(self) -> int:
        """How many keys are in memory (bounded by `max_keys`)."""
        return len(self._windows)

    def _window(self, key: str, now: float) -> deque[float]:
        """The failures of `key` still inside the window (oldest first); expired ones are dropped."""
        window = self._windows.get(key)
        if window is None:
            return deque()
        while window and window[0] <= now - self.period_s:
            window.popleft()
        if not window:
            del self._windows[key]
        return window

    def _free_at(self, window: deque[float], limit: int) -> float:
        """When the window will hold fewer than `limit` failures (it holds at least `limit`)."""
        return window[len(window) - limit] + self.period_s

    def _record(self, key: str, limit: int, now: float) -> None:
        """Add a failure to `key`'s window, which keeps its newest `2 * limit` timestamps.

        A decision needs the newest `limit`; the margin keeps a released attempt that had pushed an
        old failure out from leaving fewer.
        """
        window = self._windows.get(key)
        if window is None:
            while len(self._windows) >= self.max_keys:
                self._windows.popitem(last=False)
            window = self._windows[key] = deque(maxlen=2 * limit)
        else:
            self._windows.move_to_end(key)
        window.append(now)
