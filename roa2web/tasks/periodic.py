"""Housekeeping steps of the core and the reports module.

Expired refresh tokens, Telegram linking codes expired a day ago, the report cache's L2 vacuum and
the BNR exchange rates' fetch (when due);
the engine runs them with its own steps, and the exports step is in `tasks.exports`.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from roa2web.auth.store import delete_expired_refresh_tokens
from roa2web.jobs.housekeeping import housekeeping
from roa2web.rates.fetch import FetchSettings, fetch_if_due
from roa2web.runtime import Runtime


@housekeeping("refresh_tokens")
async def delete_expired_tokens(runtime: Runtime) -> int:
    """Refresh tokens past their expiry."""
    return await delete_expired_refresh_tokens(runtime.app_db)


@housekeeping("telegram_codes")
async def delete_old_linking_codes(runtime: Runtime) -> int:
    """Telegram linking codes (web and e-mailed) that expired over a day ago; 0 when the module is off."""
    links = runtime.services.chat_links
    return 0 if links is None else await links.delete_old_codes()


@housekeeping("report_cache")
async def vacuum_report_cache(runtime: Runtime) -> int:
    """Report cache entries (L2) staler than CACHE_STALE_MAX_AGE_S; 0 when the reports module is off."""
    cache = runtime.services.report_cache
    if cache is None:
        return 0
    return int(await asyncio.to_thread(cache.vacuum, float(runtime.settings.cache_stale_max_age_s)))


@housekeeping("exchange_rates")
async def fetch_exchange_rates(runtime: Runtime) -> int:
    """The BNR's daily feed when a fetch is due (roa2web.rates.fetch); how many rates were stored, 0 when off."""
    settings = runtime.settings
    url = settings.bnr_rates_fetch_url
    if url is None:
        return 0
    fetch = FetchSettings(url, settings.bnr_rates_timeout_s, dt.timedelta(minutes=settings.bnr_rates_retry_minutes))
    return await fetch_if_due(runtime.rates, fetch)
