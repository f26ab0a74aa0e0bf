"""`install_services(runtime)`: the report cache, its /health part, and the cached report service.

Services: `report_cache` (the TwoTierCache; the queue's housekeeping vacuums it by that name) and
`reports` (ReportService). Routes live in `roa2web.blueprints.reports`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from roa2web.cache import TwoTierCache, open_report_cache
from roa2web.reports.periods import PeriodStates
from roa2web.reports.service import ReportService
from roa2web.runtime import Part, Runtime


def cache_health_figures(stats: dict[str, Any]) -> dict[str, Any]:
    """The /health view of the cache's stats: entries, bytes and hit ratio per tier, overall hit ratio."""
    l1, l2 = stats["l1"], stats["l2"]
    lookups = l1["hits"] + l1["misses"]
    hits = l1["hits"] + l2["hits"]
    return {
        "entries": {"l1": l1["entries"], "l2": l2["entries"], "l2_expired": l2["expired_entries"]},
        "bytes": {"l1": l1["bytes"], "l2": l2["bytes"]},
        "hit_ratio": {
            "l1": l1["hit_ratio"],
            "l2": l2["hit_ratio"],
            "overall": round(hits / lookups, 4) if lookups else 0.0,
        },
        "stale_served": stats["stale"],
        "computes": stats["computes"],
        "coalesced": stats["coalesced"],
        "in_flight": stats["in_flight"],
        "l2_errors": stats["l2_errors"],
        "ledger": stats["ledger"],
    }


def cache_part(cache: TwoTierCache, service: ReportService) -> Part:
    """The cache as an optional part: figures in /health.

    "degraded" when its SQLite tier failed since the previous check (lookups then fall back to
    computing, writes are skipped).
    """
    seen_errors = 0

    async def health() -> dict[str, Any]:
        nonlocal seen_errors
        figures = cache_health_figures(await service.stats())
        failing = figures["l2_errors"] > seen_errors
        seen_errors = figures["l2_errors"]
        return {"status": "degraded" if failing else "ok", **figures}

    async def stop() -> None:
        await service.periods.close()
        await asyncio.to_thread(cache.close)

    return Part("cache", health, stop=stop, required=False)


def install_services(runtime: Runtime) -> None:
    """Open DATA_DIR/cache.db for the core's ledger (keyed on its identity, followed when a probe sees it change)."""
    settings = runtime.settings
    ledger = runtime.ledger
    cache = open_report_cache(settings, ledger.identity)
    service = ReportService(
        ledger,
        cache,
        PeriodStates(ledger),
        ttl_open_s=settings.reports_ttl_open_s,
        ttl_closed_s=settings.reports_ttl_closed_s,
        ttl_overrides=settings.reports_ttl_overrides,
    )
    runtime.services.report_cache = cache
    runtime.services.reports = service
    runtime.add_part(cache_part(cache, service))
