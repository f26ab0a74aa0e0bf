"""Two-tier report cache (memory, then SQLite) holding serialized responses; no web framework here.

Used by the reports blueprint (`get_or_compute`, the X-Cache header is `CacheOutcome.value`) and by
worker threads (`get`, `put`, `invalidate`).
"""

from roa2web.cache.entry import CachedResponse, CacheOutcome, etag_of
from roa2web.cache.keys import cache_key, normalize_params
from roa2web.cache.two_tier import TwoTierCache, open_report_cache

__all__ = [
    "CacheOutcome",
    "CachedResponse",
    "TwoTierCache",
    "cache_key",
    "etag_of",
    "normalize_params",
    "open_report_cache",
]
