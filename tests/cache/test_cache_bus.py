"""The cache bus: message handling (own echo, malformed, gaps), then two buses on the real Redis at 127.0.0.1."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import redis

from roa2web.cache import TwoTierCache
from roa2web.cache.bus import CacheBus, redis_client
from roa2web.cache.bus_message import epoch_key
from roa2web.ledger.factory import build_ledger
from roa2web.ledger.identity import LedgerIdentity
from roa2web.reports.periods import PeriodStates
from roa2web.reports.service import ReportService
from roa2web.reports.setup import cache_part
from tests.support.ports import free_port

REDIS_URL = "redis://127.0.0.1:6379/0"
LEDGER = LedgerIdentity("embedded:/data/ledger-demo.sqlite", "generation:one")


def open_cache(path: Path) -> TwoTierCache:
    return TwoTierCache(path, ledger=LEDGER, l1_max_entries=100, l1_ttl_s=300, stale_max_age_s=3600)


def fill(cache: TwoTierCache) -> None:
    for company_id in (1, 2):
        cache.put("trial_balance", company_id, {"year": 2025}, b"figures %d" % company_id, ttl_s=600)


def cached(cache: TwoTierCache) -> set[int]:
    """The companies whose trial balance is in either tier."""
    return {company_id for company_id in (1, 2) if cache.get("trial_balance", company_id, {"year": 2025})}


def message(epoch: int, origin: str = "elsewhere", kind: str = "invalidate", **scope: Any) -> bytes:
    return orjson.dumps({"kind": kind, "origin": origin, "epoch": epoch, "company_id": None, "report": None,
                         **scope})


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = 20,
               *buses: CacheBus) -> float:
    """Poll `condition` until true; how long it took. A timeout names `buses`' figures."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout_s, f"{what}: not within {timeout_s} s; " + "; ".join(
            str(bus.figures()) for bus in buses)
        time.sleep(0.01)
    return time.monotonic() - started


@pytest.fixture
def caches(tmp_path: Path) -> Iterator[Callable[[str], TwoTierCache]]:
    """Caches in data dirs of their own (one per instance); closed afterwards."""
    opened: list[TwoTierCache] = []

    def make(name: str) -> TwoTierCache:
        opened.append(open_cache(tmp_path / name / "cache.db"))
        return opened[-1]

    yield make
    for cache in opened:
        cache.close()


@pytest.fixture
def queue_name() -> Iterator[str]:
    """A queue name of its own on the shared Redis; its epoch counter is deleted afterwards."""
    name = f"test_cachebus_{uuid.uuid4().hex[:12]}"
    yield name
    connection = redis.Redis.from_url(REDIS_URL)
    connection.delete(epoch_key(name))
    connection.close()


@pytest.fixture
def buses() -> Iterator[Callable[..., CacheBus]]:
    """Buses, stopped afterwards (and no listening thread may be left)."""
    made: list[CacheBus] = []

    def make(cache: TwoTierCache, queue_name: str, url: str = REDIS_URL, **options: Any) -> CacheBus:
        made.append(CacheBus(url, queue_name, cache, backoff_min_s=0.05, backoff_max_s=0.2, **options))
        cache.announce_to(made[-1])
        return made[-1]

    yield make
    for bus in made:
        bus.stop()
    assert not [thread for thread in threading.enumerate() if thread.name == "cache-bus"]


# --- message handling, no Redis needed: the bus is not started and `handle` gets the raw bytes
def test_own_echo_is_ignored_and_the_others_are_applied(caches, buses) -> None:
    cache = caches("b")
    fill(cache)
    bus = buses(cache, "handling", origin="me")
    bus.handle(message(1, origin="me", company_id=1))
    assert cached(cache) == {1, 2} and bus.counts["own"] == 1
    bus.handle(message(2, company_id=1))
    assert cached(cache) == {2} and bus.counts["applied"] == 1
    fill(cache)
    bus.handle(message(2, company_id=2))  # a repeat of an epoch already applied
    assert cached(cache) == {1, 2} and bus.counts["already_applied"] == 1
    assert cache.bus_epoch(bus.channel) == 2  # kept in L2 for the next start


@pytest.mark.parametrize("raw", [
    b"not json", b"[1, 2]", message(1, kind="explode"), message(1, origin=""), message(0),
    orjson.dumps({"kind": "invalidate", "origin": "x", "epoch": "1"}), message(1, company_id="1"),
    message(1, company_id=True), message(1, report=7),
])
def test_a_malformed_message_is_logged_and_ignored(caches, buses, caplog, raw) -> None:
    cache = caches("b")
    fill(cache)
    bus = buses(cache, "handling")
    with caplog.at_level(logging.WARNING, "roa2web.cache.bus"):
        bus.handle(raw)
    assert cached(cache) == {1, 2}
    assert (bus.counts["malformed"], bus.counts["applied"], bus.figures()["epoch"]) == (1, 0, None)
    assert "ignored a malformed message" in caplog.text


def test_a_gap_in_the_epochs_drops_everything(caches, buses) -> None:
    cache = caches("b")
    fill(cache)
    bus = buses(cache, "handling")
    bus.handle(message(1, report="treasury"))
    assert cached(cache) == {1, 2}
    bus.handle(message(3, company_id=1))  # epoch 2 never arrived: whatever it said, company 2 may be stale
    assert cached(cache) == set() and bus.counts["resyncs"] == 1


# --- two buses on the real Redis
@pytest.mark.redis
def test_two_instances_drop_the_same_entries_and_follow_ledger_changes(caches, buses, queue_name) -> None:
    cache_a, cache_b = caches("a"), caches("b")
    dropped: list[int | None] = []
    ledger_changed = threading.Event()
    bus_a, bus_b = buses(cache_a, queue_name), buses(cache_b, queue_name)
    bus_a.start()
    bus_b.start(on_drop=dropped.append, on_ledger=ledger_changed.set)
    wait_until(lambda: bus_a.connected and bus_b.connected, "both buses listen")
    fill(cache_a)
    fill(cache_b)

    started = time.monotonic()
    assert cache_a.invalidate(company_id=1) == 1
    wait_until(lambda: cached(cache_b) == {2}, "B drops company 1", 20, bus_a, bus_b)
    print(f"B dropped company 1 {(time.monotonic() - started) * 1000:.1f} ms after A invalidated it")
    wait_until(lambda: dropped == [1], "B's on_drop runs")
    assert cached(cache_a) == {2}
    wait_until(lambda: bus_a.counts["own"] == 1, "A sees its own echo")
    assert bus_a.counts["applied"] == 0 and bus_b.counts["applied"] == 1

    cache_a.use_ledger(LedgerIdentity(LEDGER.location, "generation:two"))
    assert ledger_changed.wait(20)
    assert bus_b.counts["ledger_changes"] == 1 and cached(cache_b) == {2}  # B re-reads its own ledger; nothing dropped
    wait_until(lambda: bus_a.figures()["epoch"] == 2, "A sees its own second echo")
    assert bus_b.figures()["epoch"] == 2 and bus_a.counts["own"] == 2


@pytest.mark.redis
def test_a_killed_connection_reconnects_and_drops_l1_only(caches, buses, queue_name) -> None:
    cache = caches("b")
    bus = buses(cache, queue_name)
    bus.start()
    wait_until(lambda: bus.connected, "the bus listens")
    fill(cache)
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        mine = [client["id"] for client in connection.client_list() if client["name"] == bus.client_name]
        assert mine
        for client_id in mine:  # as a restart of Redis would
            connection.client_kill_filter(_id=client_id)
    finally:
        connection.close()
    wait_until(lambda: bus.counts["subscriptions"] == 2 and bus.connected, "the bus listens again")
    stats = cache.stats()
    assert (stats["l1"]["entries"], stats["l2"]["entries"], bus.counts["resyncs"]) == (0, 2, 0)  # nothing missed


@pytest.mark.redis
def test_messages_missed_while_down_drop_both_tiers_on_the_next_start(caches, buses, queue_name, tmp_path) -> None:
    cache_a, cache_b = caches("a"), caches("b")
    first_b = buses(cache_b, queue_name)
    first_b.start()
    wait_until(lambda: first_b.connected, "B listens")
    first_b.stop()  # B is down while A invalidates
    fill(cache_b)
    buses(cache_a, queue_name).invalidated(1, "treasury")
    restarted_b = buses(cache_b, queue_name)
    restarted_b.start()
    wait_until(lambda: restarted_b.connected, "B listens again")
    assert cached(cache_b) == set() and restarted_b.counts["resyncs"] == 1


@pytest.mark.redis
async def test_unreachable_redis_degrades_the_cache_and_announcements_wait(caches, buses, queue_name,
                                                                           settings_factory) -> None:
    cache_a, cache_b = caches("a"), caches("b")
    bus_b = buses(cache_b, queue_name)
    bus_b.start()
    bus_a = buses(cache_a, queue_name, url=f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    bus_a.start()
    wait_until(lambda: bus_a.last_error is not None, "A gives up its first attempt")
    fill(cache_a)
    fill(cache_b)
    cache_a.invalidate(company_id=2)  # told to no one yet
    figures = bus_a.figures()
    assert (figures["connected"], figures["pending"], figures["publish_errors"]) == (False, 1, 1)
    assert figures["disconnected_since"] is not None

    settings = settings_factory()
    ledger = build_ledger(settings)
    service = ReportService(ledger, cache_a, PeriodStates(ledger), ttl_open_s=60, ttl_closed_s=60)
    part = cache_part(cache_a, service, bus_a)
    health = await part.health()
    assert health["status"] == "degraded" and health["bus"]["connected"] is False

    bus_a.url = REDIS_URL  # Redis answers again
    wait_until(lambda: cached(cache_b) == {1}, "the waiting announcement reaches B")
    wait_until(lambda: bus_a.connected, "A listens")
    assert bus_a.figures()["pending"] == 0 and (await part.health())["status"] == "ok"
    await ledger.close()


@pytest.mark.redis
def test_a_failed_publish_is_sent_by_the_listening_thread(caches, buses, queue_name) -> None:
    cache_a, cache_b = caches("a"), caches("b")
    bus_a, bus_b = buses(cache_a, queue_name), buses(cache_b, queue_name)
    bus_a.start()
    bus_b.start()
    wait_until(lambda: bus_a.connected and bus_b.connected, "both buses listen")
    fill(cache_b)
    bus_a._publisher = redis_client(f"redis://127.0.0.1:{free_port()}/0")  # this publish alone fails
    cache_a.invalidate(company_id=1)
    assert bus_a.counts["publish_errors"] == 1
    wait_until(lambda: cached(cache_b) == {2}, "the announcement reaches B over A's listening connection")
    wait_until(lambda: bus_a.counts["published"] == 1, "A counts it sent")
    assert bus_a.figures()["pending"] == 0
