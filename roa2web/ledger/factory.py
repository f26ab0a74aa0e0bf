"""Pick the ledger from settings: Oracle when configured, else the embedded SQLite file."""

from __future__ import annotations

from typing import Any

from roa2web.ledger.base import Ledger
from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.settings import Settings


def build_ledger(settings: Settings) -> Ledger:
    """The ledger this process reads."""
    if settings.oracle_configured:
        from roa2web.ledger.oracle import OracleLedger

        return OracleLedger(
            dsn=settings.oracle_connect_dsn,
            user=settings.oracle_user or "",
            password=settings.oracle_password.get_secret_value() if settings.oracle_password else "",
            pool_min=settings.oracle_pool_min,
            pool_max=settings.oracle_pool_max,
            timeout_s=settings.ledger_timeout_s,
            verify_function=settings.oracle_auth_function,
            **_breaker(settings),
        )
    return EmbeddedLedger(settings.embedded_ledger_path, timeout_s=settings.ledger_timeout_s, **_breaker(settings))


def _breaker(settings: Settings) -> dict[str, Any]:
    return {
        "health_timeout_s": settings.ledger_health_timeout_s,
        "breaker_failures": settings.ledger_breaker_failures,
        "breaker_cool_down_s": settings.ledger_breaker_cool_down_s,
    }
