"""Rate limits: login per client and per username, and a general per-user limit.

The login limits are quart-rate-limiter decorators. The general limit runs on every request, so it
is a lean gate of its own (`UserLimit`) with the library's algorithm (GCRA), keys (per
endpoint and user, else client address), headers and 429: the library's default limit cost ~40 µs
a request (three key computations, datetime arithmetic, async store calls), a quarter of a cached
report's whole time in the app; this costs a few µs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import timedelta

from quart import Quart, Request, g, request
from quart_rate_limiter import QUART_RATE_LIMITER_EXEMPT_ATTRIBUTE, RateLimit, RateLimiter, RateLimitExceeded

from roa2web.auth.principal import Principal
from roa2web.settings import Settings
from roa2web.web.gates import View
from roa2web.web.request_context import add_response_headers, current_client_ip

MAX_TRACKED_KEYS = 10_000  # beyond this, keys whose allowance has fully recovered are forgotten


async def client_key() -> str:
    """Limit by the client's address (as resolved through trusted proxies)."""
    return f"ip:{current_client_ip()}"


async def login_username_key() -> str:
    """Limit login attempts per username, whoever sends them."""
    data = await request.get_json(silent=True)
    username = str(data.get("username", "")) if isinstance(data, dict) else ""
    return f"login-user:{username.strip().lower()}"


def login_limits(settings: Settings) -> list[RateLimit]:
    """The two limits every login attempt counts against."""
    period = timedelta(seconds=settings.login_rate_period_s)
    return [
        RateLimit(settings.login_rate_limit, period, key_function=client_key),
        RateLimit(settings.login_rate_limit, period, key_function=login_username_key),
    ]


class UserLimit:
    """A gate (see `gates`): at most `count` requests per `period_s` seconds per endpoint and user
    (anonymous: per address).

    Views marked `rate_exempt` are not counted. Runs after the auth gate (it reads `g.principal`).
    Answers 429 with Retry-After (the app's problem handler renders it) and adds
    RateLimit-Limit/-Remaining/-Reset to the responses it let through.
    """

    def __init__(self, count: int, period_s: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._period_s = period_s
        self._inverse = period_s / count  # seconds one request uses up
        self._window = period_s - self._inverse
        self._limit_value = str(count).encode()
        self._clock = clock
        self._arrivals: dict[tuple[str | None, str, str], float] = {}  # GCRA: per (endpoint, "user"|"ip", who)
        self._prune_at = MAX_TRACKED_KEYS

    def _key(self, endpoint: str | None, principal: Principal | None) -> tuple[str | None, str, str]:
        who = ("user", principal.user_id) if principal is not None else ("ip", current_client_ip())
        return (endpoint, *who)

    def allows(self, endpoint: str | None, principal: Principal | None) -> bool:
        """Whether `admit` would let this request through now (nothing is counted)."""
        now = self._clock()
        return max(self._arrivals.get(self._key(endpoint, principal), now), now) - now <= self._window

    def admit(self, endpoint: str | None, principal: Principal | None) -> None:
        """Count one request to `endpoint` by `principal` (None: by the client's address), or raise
        RateLimitExceeded, counting nothing, when its allowance is used up."""
        key = self._key(endpoint, principal)
        arrivals, now = self._arrivals, self._clock()
        arrival = max(arrivals.get(key, now), now)
        if arrival - now > self._window:
            raise RateLimitExceeded(math.ceil(arrival - self._window - now))
        if len(arrivals) >= self._prune_at:  # amortized: the next sweep waits until the map doubles
            for stale in [k for k, t in arrivals.items() if t <= now]:
                del arrivals[stale]
            self._prune_at = max(MAX_TRACKED_KEYS, 2 * len(arrivals))
        arrivals[key] = arrival + self._inverse
        separation = arrival + self._inverse - now
        # At the edge, unless a view's own, stricter limit (login) sets them: one set of headers, the view's.
        add_response_headers((
            (b"ratelimit-limit", self._limit_value),
            (b"ratelimit-remaining", str(int((self._period_s - separation) / self._inverse)).encode()),
            (b"ratelimit-reset", str(math.ceil(separation)).encode()),
        ))

    def __call__(self, req: Request, view: View) -> None:
        """The gate: unmatched routes and exempt views are not counted."""
        if view is None or getattr(view, QUART_RATE_LIMITER_EXEMPT_ATTRIBUTE, False):
            return
        self.admit(req.endpoint, g.get("principal"))


LIMITED_BLUEPRINTS = ("auth",)  # the blueprints whose views carry `rate_limit` decorators (login)


def install_login_limiter(app: Quart) -> RateLimiter:
    """The library's limiter, for the login limits (`login_limits`, decorators on the auth views).

    `RateLimiter.init_app` would hook every request of the app, though only the auth blueprint's
    views carry limits of their own; for every other request the library's hooks found nothing to
    do and still cost ~15 µs (a cached report's reply takes ~240 µs in the app). So its hooks run
    for the limited blueprints only, which gives the same limits and the same headers there.
    """
    limiter = RateLimiter(key_function=client_key)
    app.config.setdefault("QUART_RATE_LIMITER_ENABLED", True)
    for blueprint in LIMITED_BLUEPRINTS:
        app.before_request_funcs[blueprint].append(limiter._before_request)
        app.after_request_funcs[blueprint].append(limiter._after_request)
    app.before_serving(limiter._before_serving)
    app.after_serving(limiter._after_serving)
    return limiter
