"""Rate limits, by quart-rate-limiter as published.

Every request counts against a general limit per endpoint and user (a request without a user: per
client address). Views marked `rate_exempt` (health, docs) are not counted. Failed logins have
limits of their own, counted by the auth service (`roa2web.auth.throttle`): only failures count,
which a limit checked before the view cannot know. A refused request is the
library's RateLimitExceeded (a 429 with Retry-After; the app's problem handler renders it), and
responses carry its RateLimit-Limit/-Remaining/-Reset headers.
"""

from __future__ import annotations

from datetime import timedelta

from quart import Quart, g
from quart_rate_limiter import RateLimit, RateLimiter

from roa2web.settings import Settings
from roa2web.web.request_context import current_client_ip


async def client_key() -> str:
    """Limit by the client's address (as resolved through trusted proxies)."""
    return f"ip:{current_client_ip()}"


async def user_key() -> str:
    """Limit by the authenticated user (`g.principal`, set by the token check), else by the client's address."""
    principal = g.get("principal")
    return f"user:{principal.user_id}" if principal is not None else await client_key()


def install_rate_limits(app: Quart, settings: Settings) -> RateLimiter:
    """The app's limiter: RATE_LIMIT_PER_USER_PER_MINUTE per endpoint and user on every non-exempt view.

    Install after the token check's before-request hook, so that `user_key` finds the caller.
    """
    per_user = RateLimit(settings.rate_limit_per_user_per_minute, timedelta(minutes=1))
    return RateLimiter(app, key_function=user_key, default_limits=[per_user])
