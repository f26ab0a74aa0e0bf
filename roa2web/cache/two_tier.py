"""The report cache: L1 in memory, L2 in SQLite, single-flight computation and STALE on failure.

Lookups (L1, then L2 promoted into L1) run inline on the caller's thread, including the event loop:
a whole L2 hit costs a fraction of a hop through `asyncio.to_thread` (`scripts/bench/cache_inprocess.py`).
Writes go to a worker thread from async code: a commit may wait for a WAL checkpoint or another
process's lock (a miss's p99 was 12-27 ms, nearly all of it the write).

Every key carries a tag of the ledger's identity (its location and generation): a cache opened for
one ledger never serves, not even as STALE, what was computed from another, such as the ledger a
regenerated demo replaced. A ledger whose generation cannot be read (its file is missing or
corrupt) keeps the tag of the last generation seen at its location, so that generation's copies
are served as STALE while it is down, as Oracle's are while Oracle is unreachable.

Invalidation bumps a generation counter before it deletes, and again (emptying L1 once more) after
the L2 delete. A computation or promotion that started under an older generation does not keep its
entry, and one that read L2 while the delete ran finds its promotion emptied, so no invalidated
data survives in either tier.

Several instances (QUEUE_BACKEND=redis) each have their own tiers: an observer (`announce_to`,
`roa2web.cache.bus.CacheBus`) is told of every invalidation and ledger change made here, and
tells the other instances, which apply it with `announce=False`.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import sqlite3
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from roa2web.cache.entry import CachedResponse, CacheOutcome
from roa2web.cache.flight import SingleFlight
from roa2web.cache.keys import cache_key, ledger_tag
from roa2web.cache.memory import MemoryTier
from roa2web.cache.stats import CacheStats
from roa2web.cache.store import SqliteTier
from roa2web.problems import disk_full

if TYPE_CHECKING:
    from roa2web.settings import Settings

log = logging.getLogger("roa2web.cache")
Found = tuple[CachedResponse, CacheOutcome]


class LedgerId(Protocol):
    """A ledger's identity (`roa2web.ledger.identity.LedgerIdentity`): location, and generation if known."""

    @property
    def location(self) -> str:
        """Where the ledger is."""
        ...

    @property
    def generation(self) -> str | None:
        """Which content is there; None when it could not be read."""
        ...


class CacheObserver(Protocol):
    """Told of this process's invalidations and ledger changes (to tell other instances)."""

    def invalidated(self, company_id: int | None, report: str | None) -> None:
        """Entries of `company_id` and/or `report` (None matches any) were dropped here."""
        ...

    def ledger_changed(self) -> None:
        """The cache now serves another ledger generation."""
        ...


class TwoTierCache:
    """Serialized report responses, shared by the event loop and worker threads of one process.

    Sync methods (`get`, `put`, `invalidate`, `clear`, `vacuum`, `stats`) suit worker threads;
    from async code, call the ones that write (`put`, `invalidate`, `clear`, `vacuum`) through
    `asyncio.to_thread`. `get_or_compute` is the async door and never writes on the event loop.
    """

    def __init__(
        self,
        path: Path,
        *,
        ledger: LedgerId,
        l1_max_entries: int,
        l1_ttl_s: float,
        stale_max_age_s: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._clock = clock
        self._stale_max_age_s = stale_max_age_s
        self._memory = MemoryTier(max_entries=l1_max_entries, ttl_s=l1_ttl_s, clock=clock)
        self._store = SqliteTier(path)
        self._stats = CacheStats()
        self._flights: SingleFlight[CachedResponse] = SingleFlight()
        self._generations = itertools.count(1)
        self._generation = 0
        self.path = path
        self.ledger = self._tag_of(ledger)
        self._observer: CacheObserver | None = None

    def announce_to(self, observer: CacheObserver | None) -> None:
        """Tell `observer` (None: no one) of every announced invalidation and ledger change from now on."""
        self._observer = observer

    def _tag_of(self, ledger: LedgerId) -> str:
        """The key tag of `ledger`'s generation; for an unreadable one, the last generation seen there."""
        if ledger.generation is not None:
            tag = ledger_tag(f"{ledger.location}#{ledger.generation}")
            self._store.remember_ledger(ledger.location, tag)
            return tag
        known = self._store.ledger_tag(ledger.location)
        if known is None:
            return ledger_tag(f"{ledger.location}#unreadable:{uuid.uuid4()}")
        log.warning("the ledger at %s cannot be read: its last generation's copies may be served", ledger.location)
        return known

    def use_ledger(self, ledger: LedgerId, *, announce: bool = True) -> None:
        """Key entries on `ledger` from now on (the ledger was replaced while the process ran). Blocking.

        With `announce`, the observer is told when the tag changed.
        """
        tag = self._tag_of(ledger)
        if tag != self.ledger:
            log.warning("the report cache now serves the ledger at %s#%s", ledger.location, ledger.generation)
            self.ledger = tag
            if announce and self._observer is not None:
                self._observer.ledger_changed()

    def _key(self, report: str, company_id: int | None, params: Mapping[str, Any]) -> str:
        return cache_key(report, company_id, params, ledger=self.ledger)

    # --- lookups
    def get(self, report: str, company_id: int | None, params: Mapping[str, Any]) -> CachedResponse | None:
        """The fresh cached response for these arguments from either tier, else None."""
        found = self._lookup(self._key(report, company_id, params), report)
        return None if found is None else found[0]

    async def get_or_compute(
        self,
        report: str,
        company_id: int | None,
        params: Mapping[str, Any],
        compute: Callable[[], Awaitable[bytes]],
        ttl_s: float,
        *,
        stale_on: tuple[type[BaseException], ...] = (),
        stale_first: bool = False,
    ) -> tuple[CachedResponse, CacheOutcome]:
        """The cached response, or `compute()`'s bytes cached for `ttl_s` seconds, and how it was found.

        Concurrent misses for one key in this event loop run `compute` once and share its result or
        exception. If it raises one of `stale_on` and L2 holds an expired entry no older than the
        stale window, that entry is returned as STALE; otherwise the exception propagates. With
        `stale_first` (the source is known to be failing), such an entry is returned without
        calling `compute` at all.
        """
        if ttl_s <= 0:
            raise ValueError(f"ttl_s must be positive, got {ttl_s}")
        key = self._key(report, company_id, params)
        found = self._lookup(key, report)
        if found is not None:
            return found
        if stale_first and (stale := self._stale(key, report)) is not None:
            return stale
        self._stats.record_compute(joined=self._flights.running(key))
        try:
            entry = await self._flights.run(
                key, lambda: self._compute_and_store(key, report, company_id, compute, ttl_s)
            )
        except stale_on:
            stale = self._stale(key, report)
            if stale is None:
                raise
            return stale
        return entry, CacheOutcome.MISS

    def _from_memory(self, key: str, report: str) -> tuple[CachedResponse | None, int]:
        """The L1 entry (its hit counted) or None, and the nanoseconds the lookup took."""
        started = time.perf_counter_ns()
        entry = self._memory.get(key)
        l1_ns = time.perf_counter_ns() - started
        if entry is not None:
            self._stats.record_lookup(report, l1_ns=l1_ns, l2_ns=None, hit=True)
        return entry, l1_ns

    def _lookup(self, key: str, report: str) -> Found | None:
        entry, l1_ns = self._from_memory(key, report)
        if entry is not None:
            return entry, CacheOutcome.HIT_L1
        l2_started = time.perf_counter_ns()
        generation = self._generation
        stored = self._read_l2(key)
        l2_ns = time.perf_counter_ns() - l2_started
        if stored is None or not stored.is_fresh(self._clock()):
            self._stats.record_lookup(report, l1_ns=l1_ns, l2_ns=l2_ns, hit=False)
            return None
        self._memory.put(key, stored)
        if self._generation != generation:  # invalidated while we read: do not resurrect it
            self._memory.discard(key)
        self._stats.record_lookup(report, l1_ns=l1_ns, l2_ns=l2_ns, hit=True)
        return stored, CacheOutcome.HIT_L2

    def _read_l2(self, key: str) -> CachedResponse | None:
        try:
            return self._store.get(key)
        except sqlite3.Error:
            self._stats.record_l2_error()
            log.warning("cache L2 read failed for %s", key, exc_info=True)
            return None

    def _stale(self, key: str, report: str) -> Found | None:
        stored = self._read_l2(key)
        now = self._clock()
        if stored is None or now - stored.created > self._stale_max_age_s:
            return None
        if stored.is_fresh(now):  # another process refreshed it meanwhile
            return stored, CacheOutcome.HIT_L2
        self._stats.record_stale(report)
        log.warning("serving STALE %s (age %.0f s)", key, now - stored.created)
        return stored, CacheOutcome.STALE

    # --- writes
    async def _compute_and_store(
        self,
        key: str,
        report: str,
        company_id: int | None,
        compute: Callable[[], Awaitable[bytes]],
        ttl_s: float,
    ) -> CachedResponse:
        generation = self._generation
        try:
            body = await compute()
        except Exception:
            self._stats.record_compute_error()
            raise
        entry = CachedResponse.build(body, report=report, company_id=company_id, ttl_s=ttl_s, now=self._clock())
        await asyncio.to_thread(self._store_entry, key, entry, generation)
        return entry

    def put(
        self, report: str, company_id: int | None, params: Mapping[str, Any], body: bytes, ttl_s: float
    ) -> CachedResponse:
        """Cache `body` for these arguments for `ttl_s` seconds in both tiers (blocking) and return it."""
        if ttl_s <= 0:
            raise ValueError(f"ttl_s must be positive, got {ttl_s}")
        entry = CachedResponse.build(body, report=report, company_id=company_id, ttl_s=ttl_s, now=self._clock())
        self._store_entry(self._key(report, company_id, params), entry, None)
        return entry

    def _store_entry(self, key: str, entry: CachedResponse, generation: int | None) -> None:
        """Write both tiers, unless an invalidation happened since `generation` (None: always write)."""
        if generation is not None and generation != self._generation:
            return
        self._memory.put(key, entry)
        self._write_l2(self._store.put, key, entry)
        if generation is not None and generation != self._generation:  # invalidated while we wrote
            self._memory.discard(key)
            self._write_l2(self._store.delete, key)

    def _write_l2(self, write: Callable[..., None], *args: Any) -> None:
        try:
            write(*args)
        except sqlite3.Error as exc:
            self._stats.record_l2_error()
            full = disk_full(exc)  # the operator's to fix: no traceback for it
            log.warning("cache L2 %s failed for %s%s", write.__name__, args[0], " (disk full)" if full else "",
                        exc_info=not full)

    # --- maintenance
    def invalidate(self, company_id: int | None = None, report: str | None = None, *, announce: bool = True) -> int:
        """Remove the entries of `company_id` and/or `report` (None matches any) from both tiers.

        Returns how many distinct keys were removed. Blocking. With `announce`, the observer is
        told afterwards (other instances drop theirs); without, this process alone drops them.
        """
        self._generation = next(self._generations)
        keys = self._memory.invalidate(company_id, report)
        try:
            keys |= self._store.invalidate(company_id, report)
        finally:
            # A lookup that began after the first bump may have read L2 before the delete and promoted
            # what it read: it either finds L1 emptied again, or the generation changed under it.
            self._generation = next(self._generations)
            keys |= self._memory.invalidate(company_id, report)
            if announce and self._observer is not None:
                self._observer.invalidated(company_id, report)
        log.info("cache invalidated company=%s report=%s: %d entries", company_id, report, len(keys))
        return len(keys)

    def forget_memory(self) -> None:
        """Empty L1 only (what it holds comes back from L2 on the next lookup)."""
        self._generation = next(self._generations)
        self._memory.invalidate()

    def bus_epoch(self, channel: str) -> int | None:
        """The epoch of the last message of `channel` these tiers are known to reflect (L2), if any."""
        value = self._store.meta(f"bus_epoch:{channel}")
        return None if value is None else int(value)

    def remember_bus_epoch(self, channel: str, epoch: int) -> None:
        """Record that these tiers reflect every message of `channel` up to `epoch`. Blocking."""
        self._store.set_meta(f"bus_epoch:{channel}", str(epoch))

    def clear(self) -> int:
        """Remove every entry from both tiers; return how many distinct keys were removed. Blocking."""
        return self.invalidate()

    def vacuum(self, older_than_s: float | None = None) -> int:
        """Delete L2 entries expired for longer than `older_than_s` (default: the stale window). Blocking."""
        window = self._stale_max_age_s if older_than_s is None else older_than_s
        return self._store.delete_expired_before(self._clock() - window)

    def stats(self) -> dict[str, Any]:
        """Counters and sizes per tier, per report hits/misses/stale, as a JSON-ready dict."""
        try:
            l2_figures = self._store.figures(self._clock())
        except sqlite3.Error:
            self._stats.record_l2_error()
            l2_figures = (0, 0, 0)
        figures = self._stats.snapshot(self._memory.figures(), l2_figures)
        figures["l1"].update(max_entries=self._memory.max_entries, ttl_s=self._memory.ttl_s)
        figures["l2"]["path"] = str(self.path)
        figures["in_flight"] = len(self._flights)
        figures["ledger"] = self.ledger
        return figures

    def close(self) -> None:
        """Close the SQLite connections; call once no thread uses the cache any more."""
        self._store.close()


def open_report_cache(settings: Settings, ledger: LedgerId) -> TwoTierCache:
    """The report cache at DATA_DIR/cache.db for `ledger`, sized from settings."""
    return TwoTierCache(
        settings.data_path("cache.db"),
        ledger=ledger,
        l1_max_entries=settings.cache_l1_max_entries,
        l1_ttl_s=settings.cache_l1_ttl_s,
        stale_max_age_s=settings.cache_stale_max_age_s,
    )
