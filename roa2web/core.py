"""The parts every configuration has: the ledger, the app database and auth (assembly, like `app`)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from roa2web.auth.providers import AuthProvider, LocalProvider, OracleProvider
from roa2web.auth.secret import ensure_secret, secret_path
from roa2web.auth.service import AuthService
from roa2web.auth.throttle import LoginThrottle
from roa2web.databases import database_parts
from roa2web.ledger.base import Ledger, LedgerError
from roa2web.ledger.breaker import BreakerState
from roa2web.ledger.factory import build_ledger
from roa2web.rates.health import rates_part
from roa2web.rates.service import ExchangeRates
from roa2web.runtime import Part, Runtime
from roa2web.scratch import scratch_dir, sweep_leftovers
from roa2web.settings import Settings

log = logging.getLogger("roa2web.auth")

HEALTH_ANSWER_S = 0.3  # within the runtime's 0.4 s per part: /health answers fast whatever the ledger does


def ledger_part(ledger: Ledger, answer_within_s: float = HEALTH_ANSWER_S) -> Part:
    """The ledger as a part: its health runs the ledger's health query and shows its circuit breaker.

    "ok" when the query answered; "down" when it failed, did not answer within `answer_within_s`
    (it goes on in the background, up to LEDGER_HEALTH_TIMEOUT_S, and its outcome feeds the
    breaker), or the breaker is open (its recovery task probes the ledger; /health does not add
    queries to a ledger known to be down). The figures name the breaker's state and last error.
    """

    async def health() -> dict[str, Any]:
        error: str | None = None
        if ledger.breaker.state is BreakerState.CLOSED:
            try:
                await asyncio.wait_for(asyncio.shield(ledger.probe()), answer_within_s)
            except TimeoutError:
                error = f"the health query has not answered within {int(answer_within_s * 1000)} ms"
            except LedgerError as exc:
                error = str(exc)
        breaker = ledger.breaker.snapshot()
        if error is None and breaker["state"] != BreakerState.CLOSED:
            error = f"breaker {breaker['state']}: {breaker['last_error']}"
        figures = {"breaker": breaker, "latency_ms": ledger.last_health_ms, **ledger.stats()}
        return {"status": "ok", **figures} if error is None else {"status": "down", "error": error, **figures}

    # Required for serving reports, but a down Oracle must not stop the process from starting.
    return Part("ledger", health, start=ledger.start, stop=ledger.close, required=False)


def _signing_secret(settings: Settings) -> str:
    """JWT_SECRET_KEY, or DATA_DIR's secret file (written now if missing: `roa2web serve` refuses that off loopback)."""
    secret, written = ensure_secret(settings)
    if written:
        log.warning("no JWT secret was set: wrote a new random one to %s", secret_path(settings))
    elif secret.weakness:
        log.warning("the JWT secret from %s %s: any token signed with it is accepted", secret.source, secret.weakness)
    return secret.value


def install_core(runtime: Runtime) -> None:
    """Build the ledger, the app database, the exchange rates and the auth service into `runtime`."""
    settings = runtime.settings
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    sweep_leftovers(scratch_dir(settings.data_dir))
    ledger = build_ledger(settings)
    runtime.services.ledger = ledger
    runtime.add_part(ledger_part(ledger))

    parts = database_parts(settings)
    for part in parts.values():
        runtime.add_part(part.part())
    app_db = runtime.services.app_db = parts["app_db"].db
    if "data_entry_db" in parts:
        runtime.services.data_entry_db = parts["data_entry_db"].db
    rates = runtime.services.rates = ExchangeRates(app_db)
    runtime.add_part(rates_part(rates, fetch_url=settings.bnr_rates_fetch_url))

    provider: AuthProvider = OracleProvider(app_db, ledger) if settings.use_oracle_auth else LocalProvider(app_db)
    runtime.services.auth = AuthService(
        app_db,
        provider,
        secret=_signing_secret(settings),
        access_lifetime=dt.timedelta(minutes=settings.access_token_minutes),
        refresh_lifetime=dt.timedelta(days=settings.refresh_token_days),
        throttle=LoginThrottle(
            per_client=settings.login_rate_limit,
            per_username=settings.login_rate_limit_per_username,
            period_s=settings.login_rate_period_s,
        ),
        state_cache_s=settings.token_check_cache_s,
    )
