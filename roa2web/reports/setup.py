"""`install_services(runtime)`: the report cache, its /health part, and the cached report service.

Services: `report_cache` (the TwoTierCache; the queue's housekeeping vacuums it by that name) and
`reports` (ReportService). Routes live in `roa2web.blueprints.reports`. With QUEUE_BACKEND=redis
the cache part also runs the cache bus (other instances' invalidations, `roa2web.cache.bus`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from roa2web.cache import TwoTierCache, open_report_cache
from roa2web.reports.periods import PeriodStates
from roa2web.reports.service import ReportService
from roa2web.runtime import Part, Runtime

if TYPE_CHECKING:
    from roa2web.cache.bus import CacheBus


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


def cache_part(cache: TwoTierCache, service: ReportService, bus: CacheBus | None = None) -> Part:
    """The cache as an optional part: figures in /health, and the cache bus when instances share Redis.

    "degraded" when its SQLite tier failed since the previous check (lookups then fall back to
    computing, writes are skipped), or when the bus has no connection to Redis or announcements
    wait to be sent (other instances may serve what was invalidated here, and this one theirs).
    """
    seen_errors = 0

    async def health() -> dict[str, Any]:
        nonlocal seen_errors
        figures = cache_health_figures(await service.stats())
        failing = figures["l2_errors"] > seen_errors
        seen_errors = figures["l2_errors"]
        if bus is not None:
            figures["bus"] = bus_figures = bus.figures()
            failing = failing or not bus_figures["connected"] or bus_figures["pending"] > 0
        return {"status": "degraded" if failing else "ok", **figures}

    async def start() -> None:
        if bus is not None:
            loop = asyncio.get_running_loop()
            bus.start(on_drop=lambda company_id: _on_loop(loop, service.periods.forget, company_id),
                      on_ledger=lambda: _on_loop(loop, _recheck_ledger, loop, service))

    async def stop() -> None:
        if bus is not None:
            await asyncio.to_thread(bus.stop)
        await service.periods.close()
        await asyncio.to_thread(cache.close)

    return Part("cache", health, start=start, stop=stop, required=False)


def _on_loop(loop: asyncio.AbstractEventLoop, call: Callable[..., None], *args: Any) -> None:
    """Run `call(*args)` on the app's loop from the bus thread (dropped if the loop is already closed)."""
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(call, *args)


def _recheck_ledger(loop: asyncio.AbstractEventLoop, service: ReportService) -> None:
    task = loop.create_task(service.recheck_ledger(), name="cache-bus-ledger")
    _rechecks.add(task)
    task.add_done_callback(_rechecks.discard)


_rechecks: set[asyncio.Task[None]] = set()  # running tasks are referenced until done


def install_services(runtime: Runtime) -> None:
    """Open DATA_DIR/cache.db for the core's ledger (keyed on its identity, followed when a probe sees it change).

    With QUEUE_BACKEND=redis, the cache bus (`roa2web.cache.bus`) keeps the instances' caches coherent.
    """
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
    bus = None
    if settings.queue_backend == "redis":
        from roa2web.cache.bus import CacheBus  # redis (the `scale` extra) only where it is used

        bus = CacheBus(settings.queue_url, settings.queue_name, cache)
        cache.announce_to(bus)
    runtime.services.report_cache = cache
    runtime.services.reports = service
    runtime.add_part(cache_part(cache, service, bus))
