"""Counters for /health and the dashboard: per tier, per report, stale serves and compute work."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class TierCounters:
    """Lookups one tier answered (hits) or passed on (misses), and the time they took."""

    hits: int = 0
    misses: int = 0
    lookup_ns: int = 0

    def as_dict(self, entries: int, size: int) -> dict[str, Any]:
        """JSON-ready figures, with the tier's current `entries` and body bytes."""
        lookups = self.hits + self.misses
        return {
            "hits": self.hits,
            "misses": self.misses,
            "hit_ratio": round(self.hits / lookups, 4) if lookups else 0.0,
            "entries": entries,
            "bytes": size,
            "mean_lookup_us": round(self.lookup_ns / lookups / 1000, 2) if lookups else 0.0,
        }


@dataclass(slots=True)
class ReportCounters:
    """Per report: lookups served from either tier, lookups that had to compute, stale serves."""

    hits: int = 0
    misses: int = 0
    stale: int = 0


@dataclass(slots=True)
class CacheStats:
    """Thread-safe counters; every update takes one short lock."""

    l1: TierCounters = field(default_factory=TierCounters)
    l2: TierCounters = field(default_factory=TierCounters)
    reports: dict[str, ReportCounters] = field(default_factory=dict)
    stale: int = 0
    computes: int = 0
    coalesced: int = 0
    compute_errors: int = 0
    l2_errors: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _report(self, report: str) -> ReportCounters:
        counters = self.reports.get(report)
        if counters is None:
            counters = self.reports[report] = ReportCounters()
        return counters

    def record_lookup(self, report: str, *, l1_ns: int, l2_ns: int | None, hit: bool) -> None:
        """One lookup: answered by L1 when `l2_ns` is None, else by L2 (`hit`) or by neither."""
        with self._lock:
            self.l1.lookup_ns += l1_ns
            if l2_ns is None:
                self.l1.hits += 1
            else:
                self.l1.misses += 1
                self.l2.lookup_ns += l2_ns
                if hit:
                    self.l2.hits += 1
                else:
                    self.l2.misses += 1
            if hit:
                self._report(report).hits += 1
            else:
                self._report(report).misses += 1

    def record_stale(self, report: str) -> None:
        """An expired entry was served because computing failed."""
        with self._lock:
            self.stale += 1
            self._report(report).stale += 1

    def record_compute(self, *, joined: bool) -> None:
        """A miss either started a computation or joined one already running for its key."""
        with self._lock:
            if joined:
                self.coalesced += 1
            else:
                self.computes += 1

    def record_compute_error(self) -> None:
        """A computation raised."""
        with self._lock:
            self.compute_errors += 1

    def record_l2_error(self) -> None:
        """The SQLite tier failed and the lookup or write went on without it."""
        with self._lock:
            self.l2_errors += 1

    def snapshot(self, l1_figures: tuple[int, int], l2_figures: tuple[int, int, int]) -> dict[str, Any]:
        """All counters as a JSON-ready dict, with each tier's (entries, bytes[, expired]) figures."""
        with self._lock:
            l2 = self.l2.as_dict(l2_figures[0], l2_figures[1])
            l2["expired_entries"] = l2_figures[2]
            return {
                "l1": self.l1.as_dict(*l1_figures),
                "l2": l2,
                "stale": self.stale,
                "computes": self.computes,
                "coalesced": self.coalesced,
                "compute_errors": self.compute_errors,
                "l2_errors": self.l2_errors,
                "reports": {
                    name: {"hits": c.hits, "misses": c.misses, "stale": c.stale}
                    for name, c in sorted(self.reports.items())
                },
            }
