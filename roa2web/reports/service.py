"""Reports served through the two-tier cache: what the HTTP door (and the bot) call.

`ReportService.get(report, params)` returns the serialized report and how it was found. Each
cached report (`registry.REPORTS[name].cached`) names its builder and the last month it depends
on, which picks its lifetime: a
report whose last month is closed is cached for REPORTS_TTL_CLOSED_S, otherwise for
REPORTS_TTL_OPEN_S, unless REPORTS_TTL_OVERRIDES names that report and state
(`ttl_overrides`, keys "report:open" / "report:closed"; a key naming no cached report fails the
service's construction, hence startup and `roa2web check`). A ledger failure with an expired copy
in the cache serves that copy (STALE); without one, the LedgerError propagates. While the
ledger's circuit breaker is open (`roa2web.ledger.breaker`), reports with an expired copy get it
at once, and the others a LedgerCircuitOpen at once (503 with Retry-After): nothing waits on a
ledger known to be down. The cache follows the ledger's identity: once a probe finds the file
replaced, reports are keyed on the new one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from typing import Any

from roa2web.cache import CachedResponse, CacheOutcome, TwoTierCache
from roa2web.companies import ensure_company_exists
from roa2web.ledger.base import Ledger, LedgerError
from roa2web.ledger.breaker import BreakerState
from roa2web.reports.money import dumps
from roa2web.reports.periods import PeriodStates
from roa2web.reports.registry import CachedReport, cached_report, cached_report_names
from roa2web.settings import SettingsError


def check_ttl_overrides(ttl_overrides: Mapping[str, float]) -> None:
    """SettingsError naming REPORTS_TTL_OVERRIDES when a key ("report:open|closed") names no cached report."""
    known = cached_report_names()
    for key in ttl_overrides:
        report = key.partition(":")[0]
        if report not in known:
            raise SettingsError(f"REPORTS_TTL_OVERRIDES: unknown report {report!r} (known: {', '.join(known)})")


class ReportService:
    """Cached report bodies for the doors; invalidation and figures for the cache endpoints."""

    def __init__(
        self,
        ledger: Ledger,
        cache: TwoTierCache,
        periods: PeriodStates,
        *,
        ttl_open_s: float,
        ttl_closed_s: float,
        ttl_overrides: Mapping[str, float] | None = None,
    ) -> None:
        self.ledger = ledger
        self.cache = cache
        self.periods = periods
        self.ttl_open_s = ttl_open_s
        self.ttl_closed_s = ttl_closed_s
        self.ttl_overrides = dict(ttl_overrides or {})
        check_ttl_overrides(self.ttl_overrides)
        self._identity = ledger.identity

    def ttl_s(self, report: str, *, closed: bool) -> float:
        """Lifetime of a freshly computed `report`: its override for the period state, else the default."""
        default = self.ttl_closed_s if closed else self.ttl_open_s
        return self.ttl_overrides.get(f"{report}:{'closed' if closed else 'open'}", default)

    async def get(self, report: str, params: Mapping[str, Any]) -> tuple[CachedResponse, CacheOutcome]:
        """The serialized `report` for validated `params` (its builder's keyword arguments, company_id included).

        `params`, completed where a default depends on the day (invoices' `as_of` = today; the
        mapping itself is never changed), form the cache key.
        Raises ReportParameterError for parameters the builder refuses, CompanyNotFound for a company
        the ledger lacks, and LedgerError when the ledger fails and no copy, fresh or expired, is cached.
        """
        spec = cached_report(report)
        params = spec.resolve(params)
        company_id: int = params["company_id"]
        month = spec.last_month(params)
        closed = self.periods.known_closed(company_id, month)
        if closed is None:
            closed = await self.periods.is_closed(company_id, month)
        await self._follow_ledger()
        return await self.cache.get_or_compute(
            report,
            company_id,
            params,
            lambda: self._build(spec, params),
            self.ttl_s(report, closed=closed),
            stale_on=(LedgerError,),
            stale_first=self.ledger.breaker.state is not BreakerState.CLOSED,
        )

    async def _follow_ledger(self, *, announce: bool = True) -> None:
        """Key the cache on the ledger's identity again if a probe found it changed (a replaced file).

        With `announce`, other instances are told (they re-read their ledger's identity).
        """
        identity = self.ledger.identity
        if identity != self._identity:
            self._identity = identity
            await asyncio.to_thread(self.cache.use_ledger, identity, announce=announce)

    async def recheck_ledger(self) -> None:
        """Probe the ledger now and follow its identity (another instance saw its ledger replaced)."""
        with contextlib.suppress(LedgerError):
            await self.ledger.probe()
        await self._follow_ledger(announce=False)

    async def _build(self, spec: CachedReport, params: Mapping[str, Any]) -> bytes:
        """The report's bytes; CompanyNotFound (never cached) when the ledger has no such company.

        Only a miss asks the ledger whether the company exists: one small query beside the report's own.
        """
        await ensure_company_exists(self.ledger, params["company_id"])
        return dumps(await spec.builder(self.ledger, **params))

    async def invalidate(self, company_id: int | None = None, report: str | None = None) -> int:
        """Drop cached reports of `company_id` and/or `report` (None matches any); how many were removed.

        The company's calendar is forgotten too, so a reopened month gets the short lifetime again.
        """
        self.periods.forget(company_id)
        return await asyncio.to_thread(self.cache.invalidate, company_id, report)

    async def stats(self) -> dict[str, Any]:
        """The cache's figures per tier and per report (reads the SQLite tier off the event loop)."""
        return await asyncio.to_thread(self.cache.stats)

