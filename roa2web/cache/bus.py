"""The cache bus: instances sharing a Redis queue drop the same report-cache entries (QUEUE_BACKEND=redis).

Each instance has its own tiers (L1 in memory, L2 in its DATA_DIR). Every invalidation and ledger
change made in one is published on `roa2web:<QUEUE_NAME>:cache` (`bus_message`); a thread in every
instance listens there (redis-py's PubSub) and drops the same entries, or re-reads the ledger's
identity. An instance ignores its own echo.

Missed messages are found by their epoch, a counter Redis increments as it publishes each one (one
Lua script: the counter and the message's order agree). Each instance keeps the epoch its tiers
reflect (in memory, and in L2 for the next start). On every (re)subscription the thread drops L1
(cheap: L2 promotes it back), reads the counter, and if it differs from either kept epoch (Redis
was unreachable, or the instance was down, while others published) drops every entry of both
tiers: recomputing beats serving figures invalidated elsewhere. A message whose epoch skips one
is treated the same. A publish that fails (Redis unreachable) is kept and sent by the thread as
soon as its own connection works (at once if it never broke, else once subscribed again). While
Redis is unreachable the thread retries with a doubling pause and /health shows the cache
"degraded".
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from roa2web.cache.bus_message import (
    BusMessage,
    MalformedMessage,
    channel_name,
    decode,
    draft,
    epoch_key,
    new_origin,
)
from roa2web.cache.two_tier import TwoTierCache

log = logging.getLogger("roa2web.cache.bus")

SOCKET_TIMEOUT_S = 2.0  # a publish never holds an invalidation longer when Redis hangs
HEALTH_CHECK_S = 10.0  # an idle subscription pings Redis this often: a dead peer is noticed
POLL_S = 0.5  # how long the thread waits for a message before looking at the stop flag
BACKOFF_MIN_S, BACKOFF_MAX_S = 0.2, 10.0
PENDING_MAX = 100  # more unsent announcements than this become one "drop everything"
COUNTERS = ("published", "publish_errors", "received", "applied", "ledger_changes", "own", "already_applied",
            "malformed", "resyncs", "subscriptions")

# The counter and the publication in one step, so epochs arrive in the order they were counted.
PUBLISH = """
local epoch = redis.call('INCR', KEYS[1])
local message = cjson.decode(ARGV[2])
message['epoch'] = epoch
redis.call('PUBLISH', ARGV[1], cjson.encode(message))
return epoch
"""


def redis_client(url: str, **options: Any) -> redis.Redis:
    """A client that fails fast (no silent retry: the bus must know when its connection broke)."""
    return redis.Redis.from_url(url, socket_connect_timeout=SOCKET_TIMEOUT_S, socket_timeout=SOCKET_TIMEOUT_S,
                                retry=Retry(NoBackoff(), 0), **options)


def publish(client: redis.Redis, queue_name: str, message: bytes) -> int:
    """Publish a `draft` on the cache channel of `queue_name`; return its epoch. Raises RedisError."""
    epoch = client.eval(PUBLISH, 1, epoch_key(queue_name), channel_name(queue_name), message)
    return int(epoch)


def announce_once(url: str, queue_name: str, message: bytes) -> int:
    """Publish one `draft` from a short-lived process (the CLI); return its epoch. Raises RedisError."""
    client = redis_client(url)
    try:
        return publish(client, queue_name, message)
    finally:
        client.close()


def _ignore_company(company_id: int | None) -> None:
    """The default `on_drop`: nothing beside the cache to forget."""


def _ignore_ledger() -> None:
    """The default `on_ledger`: no ledger to re-read."""


class CacheBus:
    """Publishes this instance's invalidations (a `CacheObserver`) and applies the others' in a thread."""

    def __init__(
        self,
        url: str,
        queue_name: str,
        cache: TwoTierCache,
        *,
        origin: str | None = None,
        poll_s: float = POLL_S,
        backoff_min_s: float = BACKOFF_MIN_S,
        backoff_max_s: float = BACKOFF_MAX_S,
    ) -> None:
        self.url = url
        self.queue_name = queue_name
        self.channel = channel_name(queue_name)
        self.origin = origin or new_origin()
        self.client_name = f"roa2web-cache-bus:{self.origin}"
        self._cache = cache
        self._poll_s = poll_s
        self._backoff = (backoff_min_s, backoff_max_s)
        self._publisher = redis_client(url)
        self._lock = threading.Lock()  # guards _pending and counts written by publishing threads
        self._pending: list[bytes] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._epoch: int | None = None  # the subscriber thread's alone
        self._on_drop: Callable[[int | None], None] = _ignore_company
        self._on_ledger: Callable[[], None] = _ignore_ledger
        self.connected = False
        self.last_error: str | None = None
        self.disconnected_since: float | None = time.time()
        self.counts: Counter[str] = Counter(dict.fromkeys(COUNTERS, 0))  # no key added later: read from any thread

    # --- publishing (any thread)
    def invalidated(self, company_id: int | None, report: str | None) -> None:
        """Tell the other instances to drop the entries of `company_id` and/or `report`."""
        self._send(draft("invalidate", self.origin, company_id, report))

    def ledger_changed(self) -> None:
        """Tell the other instances to re-read their ledger's identity."""
        self._send(draft("ledger", self.origin))

    def _send(self, message: bytes) -> None:
        try:
            epoch = publish(self._publisher, self.queue_name, message)
        except redis.RedisError as exc:
            with self._lock:
                self._pending.append(message)
                if len(self._pending) > PENDING_MAX:
                    self._pending = [draft("invalidate", self.origin)]
                self.counts["publish_errors"] += 1
            log.warning("cache bus: could not tell the other instances (%s); will send it when Redis answers", exc)
            return
        with self._lock:
            self.counts["published"] += 1
        log.debug("cache bus: published %s as epoch %d", message, epoch)

    def _flush_pending(self, client: redis.Redis) -> None:
        """Send what could not be sent earlier (the subscriber thread, once subscribed again)."""
        with self._lock:
            pending, self._pending = self._pending, []
        for index, message in enumerate(pending):
            try:
                publish(client, self.queue_name, message)
            except redis.RedisError:
                with self._lock:
                    self._pending[:0] = pending[index:]
                raise
        if pending:
            log.info("cache bus: sent %d announcements that had waited for Redis", len(pending))
            with self._lock:
                self.counts["published"] += len(pending)

    # --- subscribing (one thread)
    def start(
        self,
        on_drop: Callable[[int | None], None] = _ignore_company,
        on_ledger: Callable[[], None] = _ignore_ledger,
    ) -> None:
        """Start the listening thread (returns at once; Redis may be unreachable).

        `on_drop(company_id)` runs after entries were dropped for another instance, `on_ledger()`
        when another instance saw its ledger replaced; both on the bus thread.
        """
        self._on_drop, self._on_ledger = on_drop, on_ledger
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="cache-bus", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop listening and wait for the thread (blocking); close the connections."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                log.warning("cache bus: the listening thread did not stop within %.0f s", timeout_s)
            self._thread = None
        self._publisher.close()

    def _run(self) -> None:
        delay = self._backoff[0]
        while not self._stop.is_set():
            subscribed_before = self.counts["subscriptions"]
            try:
                self._listen()
            except (redis.RedisError, OSError) as exc:
                self._lost(exc)
            except Exception as exc:  # a bug must not end coherence for the process's lifetime
                log.exception("cache bus: the listening thread failed; reconnecting")
                self._lost(exc)
            if self.counts["subscriptions"] > subscribed_before:
                delay = self._backoff[0]
            if self._stop.wait(delay):
                break
            delay = min(delay * 2, self._backoff[1])
        self.connected = False

    def _listen(self) -> None:
        client = redis_client(self.url, client_name=self.client_name, health_check_interval=HEALTH_CHECK_S)
        pubsub = client.pubsub()
        try:
            pubsub.subscribe(self.channel)
            while not self._stop.is_set():
                message = pubsub.get_message(timeout=self._poll_s)
                if self._pending and self.connected:  # a publish failed while this connection held
                    self._flush_pending(client)
                if message is None:
                    continue
                if message["type"] == "subscribe":  # the first subscription, or redis-py's own resubscription
                    self._subscribed(client)
                elif message["type"] == "message":
                    self.handle(message["data"])
        finally:
            pubsub.close()
            client.close()

    def _lost(self, error: BaseException) -> None:
        if self.connected or self.last_error is None:
            log.warning("cache bus: no connection to Redis (%s); retrying, other instances' invalidations wait",
                        error)
        if self.connected:
            self.disconnected_since = time.time()
        self.connected = False
        self.last_error = str(error) or type(error).__name__

    def _subscribed(self, client: redis.Redis) -> None:
        """Catch up after (re)subscribing: drop L1, and both tiers if messages were missed."""
        current = int(client.get(epoch_key(self.queue_name)) or 0)
        stored = self._cache.bus_epoch(self.channel) or 0
        if stored != current or (self._epoch is not None and self._epoch != current):
            removed = self._drop(None, None)
            self.counts["resyncs"] += 1
            log.warning("cache bus: %s may have been missed (epoch %s, kept %s/%s): dropped all %d cached reports "
                        "here", self.channel, current, self._epoch, stored, removed)
        else:
            self._cache.forget_memory()
        self._set_epoch(current)
        self._flush_pending(client)
        self.counts["subscriptions"] += 1
        if self.last_error is not None:
            log.info("cache bus: listening on %s again", self.channel)
        else:
            log.info("cache bus: listening on %s as %s", self.channel, self.origin)
        self.connected, self.last_error, self.disconnected_since = True, None, None

    def handle(self, raw: bytes | str) -> None:
        """Apply one message of the channel (the bus thread; tests call it directly)."""
        self.counts["received"] += 1
        try:
            message = decode(raw)
        except MalformedMessage as exc:
            self.counts["malformed"] += 1
            log.warning("cache bus: ignored a malformed message on %s (%s): %.200r", self.channel, exc, raw)
            return
        known = self._epoch or 0
        if message.epoch <= known:  # published before we (re)subscribed: already reflected
            self.counts["already_applied"] += 1
            return
        try:
            if message.epoch > known + 1:
                self.counts["resyncs"] += 1
                removed = self._drop(None, None)
                log.warning("cache bus: messages %d-%d were missed: dropped all %d cached reports here",
                            known + 1, message.epoch - 1, removed)
            if message.origin == self.origin:
                self.counts["own"] += 1
            else:
                self._apply(message)
            self._set_epoch(message.epoch)
        except sqlite3.Error:
            log.warning("cache bus: the cache file failed while applying %s", message, exc_info=True)

    def _apply(self, message: BusMessage) -> None:
        if message.kind == "ledger":
            self.counts["ledger_changes"] += 1
            self._on_ledger()
            return
        removed = self._drop(message.company_id, message.report)
        self.counts["applied"] += 1
        log.info("cache bus: dropped %d entries (company=%s report=%s) invalidated by %s", removed,
                 message.company_id, message.report, message.origin)

    def _drop(self, company_id: int | None, report: str | None) -> int:
        removed = self._cache.invalidate(company_id, report, announce=False)
        self._on_drop(company_id)
        return removed

    def _set_epoch(self, epoch: int) -> None:
        self._epoch = epoch
        self._cache.remember_bus_epoch(self.channel, epoch)

    # --- health
    def figures(self) -> dict[str, Any]:
        """Connection state and message counters, JSON-ready, for /health's cache part."""
        with self._lock:
            pending = len(self._pending)
            counts = dict(self.counts)
        return {
            "backend": "redis",
            "channel": self.channel,
            "origin": self.origin,
            "connected": self.connected,
            "disconnected_since": self.disconnected_since,
            "last_error": self.last_error,
            "epoch": self._epoch,
            "pending": pending,
            **counts,
        }
