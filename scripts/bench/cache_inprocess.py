"""In-process latency of the report cache: L1 hit, L2 hit and miss for a ~60 KB response.

    python scripts/bench/cache_inprocess.py [--iterations 20000] [--rows 300] [--connections]

Prints median and p99 in µs per path. The body is a serialized trial balance of `--rows` accounts
(300 rows is about 60 KB). Target (DESIGN §13): L2 hit < 500 µs in-process. Also shows what a hop
to a worker thread would add to an L2 hit, the reason lookups run inline on the event loop.
`--connections` also compares one locked SQLite connection with a connection per thread (the
choice made in `roa2web.cache.store`): single-thread reads, 4 reader threads, reads during writes.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import orjson

from roa2web.cache import TwoTierCache
from roa2web.cache.store import MMAP_BYTES, SCHEMA, SELECT_ONE, UPSERT
from roa2web.ledger.identity import LedgerIdentity

LEDGER = LedgerIdentity("embedded:/data/ledger-demo.sqlite", "bench")

PARAMS = {"from": "2025-01-01", "to": "2025-03-31", "level": "analytic"}
TARGET_L2_US = 500.0


def trial_balance_body(rows: int, seed: int = 1) -> bytes:
    """A trial balance response as the reports module would serialize it."""
    rng = random.Random(seed)
    accounts = []
    for index in range(rows):
        opening, debit, credit = (round(rng.uniform(0, 250_000), 2) for _ in range(3))
        accounts.append(
            {
                "account": f"{rng.choice('1234567')}{index:03d}.{rng.randint(1, 99):02d}",
                "name": f"Cont analitic diverși nr. {index}",
                "opening_debit": opening,
                "opening_credit": 0.0,
                "turnover_debit": debit,
                "turnover_credit": credit,
                "closing_debit": round(max(opening + debit - credit, 0), 2),
                "closing_credit": round(max(credit - opening - debit, 0), 2),
            }
        )
    return orjson.dumps({"company_id": 1, "period": PARAMS, "rows": accounts, "totals": {"rows": rows}})


def summarize(label: str, samples_ns: list[int]) -> float:
    samples_ns.sort()
    median = statistics.median(samples_ns) / 1000
    p99 = samples_ns[min(len(samples_ns) - 1, int(len(samples_ns) * 0.99))] / 1000
    print(f"{label:<42} median {median:8.1f} µs   p99 {p99:8.1f} µs")
    return median


async def time_async(iterations: int, call: Callable[[int], Awaitable[object]]) -> list[int]:
    samples = []
    for index in range(iterations):
        started = time.perf_counter_ns()
        await call(index)
        samples.append(time.perf_counter_ns() - started)
    return samples


async def run(iterations: int, rows: int, directory: Path) -> int:
    body = trial_balance_body(rows)
    print(f"body: {len(body) / 1024:.1f} KB ({rows} rows), {iterations} iterations per path")
    warm_keys = 2000

    async def compute() -> bytes:
        return body

    # L1: one key, always in memory.
    cache = TwoTierCache(
        directory / "l1.db", ledger=LEDGER, l1_max_entries=1000, l1_ttl_s=300, stale_max_age_s=3600
    )
    await cache.get_or_compute("trial_balance", 1, PARAMS, compute, 300)
    samples = await time_async(iterations, lambda _: cache.get_or_compute("trial_balance", 1, PARAMS, compute, 300))
    summarize("L1 hit  get_or_compute (async)", samples)
    samples = []
    for _ in range(iterations):
        started = time.perf_counter_ns()
        cache.get("trial_balance", 1, PARAMS)
        samples.append(time.perf_counter_ns() - started)
    summarize("L1 hit  get (sync)", samples)
    cache.close()

    # L2: many keys and a one-entry L1, so each lookup reads SQLite and promotes.
    filler = TwoTierCache(
        directory / "l2.db", ledger=LEDGER, l1_max_entries=1, l1_ttl_s=300, stale_max_age_s=3600
    )
    for company_id in range(warm_keys):
        filler.put("trial_balance", company_id, PARAMS, body, 3600)
    filler.close()
    cache = TwoTierCache(
        directory / "l2.db", ledger=LEDGER, l1_max_entries=1, l1_ttl_s=300, stale_max_age_s=3600
    )
    samples = await time_async(
        iterations, lambda i: cache.get_or_compute("trial_balance", i % warm_keys, PARAMS, compute, 3600)
    )
    l2_median = summarize("L2 hit  get_or_compute (async, inline)", samples)
    samples = await time_async(
        min(iterations, 5000), lambda i: asyncio.to_thread(cache.get, "trial_balance", i % warm_keys, PARAMS)
    )
    summarize("L2 hit  via asyncio.to_thread (not used)", samples)
    l2 = cache.stats()["l2"]
    cache.close()
    if l2["misses"] or l2["hits"] < iterations:
        raise SystemExit(f"the L2 pass did not hit L2 every time: {l2}")

    # Miss: a fresh key each time; compute returns the ready body, so this is the cache's own cost
    # (two lookups, the single-flight task, hashing, the L1 insert and the L2 write in a thread).
    cache = TwoTierCache(
        directory / "miss.db", ledger=LEDGER, l1_max_entries=1000, l1_ttl_s=300, stale_max_age_s=3600
    )
    samples = await time_async(
        min(iterations, 5000), lambda i: cache.get_or_compute("trial_balance", i, PARAMS, compute, 300)
    )
    summarize("miss    get_or_compute (compute ≈ 0)", samples)
    cache.close()

    verdict = "OK" if l2_median < TARGET_L2_US else "OVER TARGET"
    print(f"L2 hit target < {TARGET_L2_US:.0f} µs: {verdict}")
    return 0 if verdict == "OK" else 1


def _connect(path: Path) -> sqlite3.Connection:
    """A connection set up as `SqliteTier` sets up its own."""
    connection = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
    return connection


def _time_sync(iterations: int, call: Callable[[int], None]) -> list[int]:
    samples = []
    for index in range(iterations):
        started = time.perf_counter_ns()
        call(index)
        samples.append(time.perf_counter_ns() - started)
    return samples


def _reads_per_second(read: Callable[[int], None], threads: int = 4, seconds: float = 1.0) -> int:
    counts = [0] * threads
    stop_at = time.perf_counter() + seconds

    def reader(slot: int) -> None:
        while time.perf_counter() < stop_at:
            read(counts[slot])
            counts[slot] += 1

    workers = [threading.Thread(target=reader, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return int(sum(counts) / seconds)


def _reads_while_writing(
    read: Callable[[int], None], write: Callable[[int], None], iterations: int
) -> tuple[list[int], float]:
    """Read latencies while another thread writes non-stop, and that thread's writes per second.

    Reads are paced (0.1 ms apart) like requests, so the writer gets its turns.
    """
    stop = threading.Event()
    writes = [0]

    def writer() -> None:
        while not stop.is_set():
            write(writes[0])
            writes[0] += 1

    def paced_read(index: int) -> None:
        time.sleep(0.0001)
        started = time.perf_counter_ns()
        read(index)
        samples.append(time.perf_counter_ns() - started)

    samples: list[int] = []
    writing = threading.Thread(target=writer)
    started = time.perf_counter()
    writing.start()
    try:
        for index in range(iterations):
            paced_read(index)
    finally:
        stop.set()
        writing.join()
    return samples, writes[0] / (time.perf_counter() - started)


def compare_connections(directory: Path, body: bytes, iterations: int, keys: int = 1000) -> None:
    """One connection behind a lock versus one connection per thread, on the L2 table."""
    path = directory / "connections.db"
    _connect(path).executescript(SCHEMA)
    rows = [(f"k{index}", body, "etag", 0.0, 1e12, "trial_balance", index) for index in range(keys)]
    shared, lock, local = _connect(path), threading.Lock(), threading.local()
    shared.executemany(UPSERT, rows)

    def own() -> sqlite3.Connection:
        if not hasattr(local, "connection"):
            local.connection = _connect(path)
        connection: sqlite3.Connection = local.connection
        return connection

    def read_locked(index: int) -> None:
        with lock:
            shared.execute(SELECT_ONE, (f"k{index % keys}",)).fetchone()

    def write_locked(index: int) -> None:
        with lock:
            shared.execute(UPSERT, rows[index % keys])

    def read_own(index: int) -> None:
        own().execute(SELECT_ONE, (f"k{index % keys}",)).fetchone()

    def write_own(index: int) -> None:
        own().execute(UPSERT, rows[index % keys])

    strategies = (("one locked connection", read_locked, write_locked), ("connection per thread", read_own, write_own))
    for label, read, write in strategies:
        summarize(f"{label}: read", _time_sync(iterations, read))
        print(f"{label + ': 4 reader threads':<42} {_reads_per_second(read):>8} reads/s")
        samples, writes_per_s = _reads_while_writing(read, write, min(iterations, 5000))
        summarize(f"{label}: read while a thread writes", samples)
        print(f"{label + ': ... meanwhile':<42} {writes_per_s:>8.0f} writes/s")


def main() -> int:
    """Run the benchmark in a temporary directory and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--connections", action="store_true", help="also compare SQLite connection strategies")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as directory:
        status = asyncio.run(run(args.iterations, args.rows, Path(directory)))
        if args.connections:
            compare_connections(Path(directory), trial_balance_body(args.rows), args.iterations)
        return status


if __name__ == "__main__":
    raise SystemExit(main())
