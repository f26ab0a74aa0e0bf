"""Reports served through the two-tier cache: what the HTTP door (and the bot) call.

`ReportService.get(report, params)` returns the serialized report and how it was found. Each
cached report names its builder and the last month it depends on, which picks its lifetime: a
report whose last month is closed is cached for REPORTS_TTL_CLOSED_S, otherwise for
REPORTS_TTL_OPEN_S, unless REPORTS_TTL_OVERRIDES names that report and state
(`ttl_overrides`, keys "report:open" / "report:closed"). A ledger failure with an expired copy
in the cache serves that copy (STALE); without one, the LedgerError propagates. For
`stale_first_s` after a failure, reports with an expired copy get it at once (no new wait on
the ledger); once that time has passed, the next miss asks the ledger again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from roa2web.cache import CachedResponse, CacheOutcome, TwoTierCache
from roa2web.ledger.base import Ledger, LedgerError
from roa2web.reports.aging import invoice_aging
from roa2web.reports.dashboard import dashboard
from roa2web.reports.invoices import list_invoices
from roa2web.reports.money import dumps
from roa2web.reports.periods import Month, PeriodStates
from roa2web.reports.treasury import treasury
from roa2web.reports.trial_balance import trial_balance


def _month_of(day: dt.date) -> Month:
    return day.year, day.month


def _as_is(params: Mapping[str, Any]) -> Mapping[str, Any]:
    return params


def _as_of_today(params: Mapping[str, Any]) -> Mapping[str, Any]:
    if params.get("as_of") is None:
        return {**params, "as_of": dt.date.today()}
    return params


@dataclass(frozen=True, slots=True)
class CachedReport:
    """A report the cache serves: its builder, the last month its figures depend on, and how to
    resolve defaults that depend on the day (so the cache key names the day the figures are for)."""

    name: str
    builder: Callable[..., Awaitable[Any]]
    last_month: Callable[[Mapping[str, Any]], Month]
    resolve: Callable[[Mapping[str, Any]], Mapping[str, Any]] = _as_is


CACHED_REPORTS: dict[str, CachedReport] = {
    spec.name: spec
    for spec in (
        CachedReport("dashboard", dashboard, lambda p: (p["year"], p["month"])),
        CachedReport("invoices", list_invoices, lambda p: _month_of(p["as_of"]), _as_of_today),
        CachedReport("invoices_aging", invoice_aging, lambda p: _month_of(p["as_of"])),
        CachedReport("treasury", treasury, lambda p: _month_of(p["date_to"])),
        CachedReport("trial_balance", trial_balance, lambda p: (p["year"], p["month_to"])),
    )
}


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
        stale_first_s: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ledger = ledger
        self.cache = cache
        self.periods = periods
        self.ttl_open_s = ttl_open_s
        self.ttl_closed_s = ttl_closed_s
        self.ttl_overrides = dict(ttl_overrides or {})
        self.stale_first_s = stale_first_s
        self._clock = clock
        self._ledger_failed_at: float | None = None

    def ttl_s(self, report: str, *, closed: bool) -> float:
        """Lifetime of a freshly computed `report`: its override for the period state, else the default."""
        default = self.ttl_closed_s if closed else self.ttl_open_s
        return self.ttl_overrides.get(f"{report}:{'closed' if closed else 'open'}", default)

    async def get(self, report: str, params: Mapping[str, Any]) -> tuple[CachedResponse, CacheOutcome]:
        """The serialized `report` for validated `params` (its builder's keyword arguments, company_id included).

        `params`, completed where a default depends on the day (invoices' `as_of` = today; the
        mapping itself is never changed), form the cache key.
        Raises ReportParameterError for parameters the builder refuses and LedgerError when the ledger
        fails and no copy, fresh or expired, is cached.
        """
        spec = CACHED_REPORTS[report]
        params = spec.resolve(params)
        company_id: int = params["company_id"]
        month = spec.last_month(params)
        closed = self.periods.known_closed(company_id, month)
        if closed is None:
            closed = await self.periods.is_closed(company_id, month)
        failing = self._ledger_failing()
        try:
            found = await self.cache.get_or_compute(
                report,
                company_id,
                params,
                lambda: self._build(spec, params),
                self.ttl_s(report, closed=closed),
                stale_on=(LedgerError,),
                stale_first=failing,
            )
        except LedgerError:
            self._ledger_failed_at = self._clock()
            raise
        outcome = found[1]
        if outcome is CacheOutcome.MISS:
            self._ledger_failed_at = None  # the ledger answered
        elif outcome is CacheOutcome.STALE and not failing:  # the ledger was asked, and failed
            self._ledger_failed_at = self._clock()
        return found

    def _ledger_failing(self) -> bool:
        """Whether the ledger failed a report less than `stale_first_s` ago: then an expired copy is
        served at once, rather than after asking a ledger that may hang up to its timeout again."""
        failed_at = self._ledger_failed_at
        return failed_at is not None and self._clock() - failed_at < self.stale_first_s

    async def _build(self, spec: CachedReport, params: Mapping[str, Any]) -> bytes:
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

