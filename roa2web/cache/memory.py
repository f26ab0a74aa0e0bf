"""L1: a TTL + LRU map in memory. cachetools is not thread-safe, so every access takes one lock."""

from __future__ import annotations

import threading
from collections.abc import Callable

from cachetools import TTLCache

from roa2web.cache.entry import CachedResponse


class MemoryTier:
    """Up to `max_entries` responses, each kept at most `ttl_s` and never past its own expiry."""

    def __init__(self, *, max_entries: int, ttl_s: float, clock: Callable[[], float]) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._entries: TTLCache[str, CachedResponse] = TTLCache(maxsize=max_entries, ttl=ttl_s, timer=clock)
        self.max_entries = max_entries
        self.ttl_s = ttl_s

    def get(self, key: str) -> CachedResponse | None:
        """The fresh entry under `key` (an entry past its own expiry is dropped), else None."""
        now = self._clock()
        with self._lock:
            try:  # one lookup: `get` would ask `in` first, then look the key up again
                entry = self._entries[key]
            except KeyError:
                return None
            if not entry.is_fresh(now):
                self._entries.pop(key, None)
                return None
        return entry

    def put(self, key: str, entry: CachedResponse) -> None:
        """Store `entry`, evicting the least recently used one when full."""
        with self._lock:
            self._entries[key] = entry

    def discard(self, key: str) -> None:
        """Forget `key` if present."""
        with self._lock:
            self._entries.pop(key, None)

    def invalidate(self, company_id: int | None = None, report: str | None = None) -> set[str]:
        """Drop the entries of `company_id` and/or `report` (None matches any) and return their keys."""
        with self._lock, self._entries.timer:
            self._entries.expire()
            keys = {
                key
                for key, entry in self._entries.items()
                if (company_id is None or entry.company_id == company_id) and (report is None or entry.report == report)
            }
            for key in keys:
                self._entries.pop(key, None)
        return keys

    def figures(self) -> tuple[int, int]:
        """(entries, body bytes) currently held, expired entries removed first."""
        with self._lock, self._entries.timer:
            self._entries.expire()
            return len(self._entries), sum(len(entry.body) for entry in self._entries.values())
