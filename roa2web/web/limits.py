"""Rate limits: login per client and per username, and a general per-user limit.

The login limits are quart-rate-limiter decorators. The general limit runs on every request, so it
is a lean hook of its own (`install_user_limit`) with the library's algorithm (GCRA), keys (per
endpoint and user, else client address), headers and 429: the library's default limit cost ~40 µs
a request (three key computations, datetime arithmetic, async store calls), a quarter of a cached
report's whole time in the app; this costs a few µs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import timedelta

from quart import Quart, g, request
from quart_rate_limiter import QUART_RATE_LIMITER_EXEMPT_ATTRIBUTE, RateLimit, RateLimiter, RateLimitExceeded

from roa2web.settings import Settings
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


def install_user_limit(
    app: Quart, count: int, period_s: float, *, clock: Callable[[], float] = time.monotonic
) -> None:
    """At most `count` requests per `period_s` seconds per endpoint and user (anonymous: per address).

    Views marked `rate_exempt` are not counted. Must be installed after the auth guard (it reads
    `g.principal`). Answers 429 with Retry-After (the app's problem handler renders it) and adds
    RateLimit-Limit/-Remaining/-Reset to the responses it let through.
    """
    inverse = period_s / count  # seconds one request uses up
    limit_value = str(count).encode()
    window = period_s - inverse
    arrivals: dict[str, float] = {}  # theoretical arrival time per key (GCRA)
    prune_at = MAX_TRACKED_KEYS

    @app.before_request
    async def _limit_user() -> None:
        nonlocal prune_at
        endpoint = request._get_current_object().endpoint
        view = app.view_functions.get(endpoint) if endpoint else None
        if view is None or getattr(view, QUART_RATE_LIMITER_EXEMPT_ATTRIBUTE, False):
            return
        principal = g.get("principal")
        who = f"user:{principal.user_id}" if principal is not None else f"ip:{current_client_ip()}"
        key = f"{endpoint}|{who}"
        now = clock()
        arrival = max(arrivals.get(key, now), now)
        if arrival - now > window:
            raise RateLimitExceeded(math.ceil(arrival - window - now))
        if len(arrivals) >= prune_at:  # amortized: the next sweep waits until the map doubles
            for stale in [k for k, t in arrivals.items() if t <= now]:
                del arrivals[stale]
            prune_at = max(MAX_TRACKED_KEYS, 2 * len(arrivals))
        arrivals[key] = arrival + inverse
        separation = arrival + inverse - now
        # At the edge, unless a view's own, stricter limit (login) sets them: one set of headers, the view's.
        add_response_headers((
            (b"ratelimit-limit", limit_value),
            (b"ratelimit-remaining", str(int((period_s - separation) / inverse)).encode()),
            (b"ratelimit-reset", str(math.ceil(separation)).encode()),
        ))


LIMITED_BLUEPRINTS = ("auth",)  # the blueprints whose views carry `rate_limit` decorators (login)


def install_rate_limiter(app: Quart, settings: Settings) -> RateLimiter:
    """The library's limiter for the login limits, and the general per-user limit.

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
    install_user_limit(app, settings.rate_limit_per_user_per_minute, 60.0)
    return limiter
