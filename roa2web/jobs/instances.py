"""Who runs on a shared (Redis) queue, and whether they all use one app database.

Every `roa2web serve` and `roa2web worker` on a Redis queue registers itself under the queue's
name: one key per process (indexed by a set of the same name), its TTL refreshed every
QUEUE_HEARTBEAT_S, holding the installation id of its app database (`roa2web.appdb.installation`),
host, pid and DATA_DIR. The jobs table is the truth about every job, so a process whose app
database differs from a live instance's would take messages for jobs it cannot see: it refuses to
start instead (`join`).

Every call of `InstanceRegistry` blocks (Redis I/O): from async code, go through `asyncio.to_thread`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import socket
import uuid
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlparse, urlunparse

from roa2web.appdb import open_database
from roa2web.appdb.installation import installation_id
from roa2web.settings import Settings

log = logging.getLogger("roa2web.jobs.instances")
KEY_PREFIX = "roa2web.instances."
MIN_KEY_TTL_S = 5  # outlives the start-up between `join` and the first heartbeat, whatever the queue knobs


@dataclass(frozen=True)
class Instance:
    """One registered process, as its key holds it."""

    id: str
    role: str  # "serve" or "worker"
    installation: str
    app_db: str  # the app database URL, without its password
    host: str
    pid: int
    data_dir: str
    consumes: bool
    started_at: str  # ISO UTC

    def describe(self) -> str:
        """`serve host:pid (DATA_DIR ...)`: how the operator finds it."""
        return f"{self.role} {self.host}:{self.pid} (DATA_DIR {self.data_dir})"


class InstanceRefused(RuntimeError):
    """This process must not join the queue; the message is the one line the operator reads."""


def public_url(url: str) -> str:
    """A database or Redis URL without its password."""
    parsed = urlparse(url)
    if not parsed.password:
        return url
    netloc = f"{parsed.username}:***@{parsed.hostname}" + (f":{parsed.port}" if parsed.port else "")
    return urlunparse(parsed._replace(netloc=netloc))


def key_ttl_s(settings: Settings) -> int:
    """How long a key outlives its last heartbeat: a killed process drops out after this."""
    return max(int(settings.queue_stale_after_s), int(3 * settings.queue_heartbeat_s) + 1, MIN_KEY_TTL_S)


class InstanceRegistry:
    """The instance keys of one Redis queue, and the set that indexes them (no SCAN over the keyspace)."""

    def __init__(self, settings: Settings) -> None:
        import redis  # the `scale` extra: only a Redis queue needs it

        self.settings = settings
        self.index = f"{KEY_PREFIX}{settings.queue_name}"
        self.prefix = f"{self.index}."
        self.ttl_s = key_ttl_s(settings)
        self.client = redis.Redis.from_url(settings.queue_url, socket_timeout=5, socket_connect_timeout=5)

    def put(self, instance: Instance) -> None:
        """Register (or refresh) `instance` for another TTL."""
        with self.client.pipeline() as pipe:
            pipe.set(self.prefix + instance.id, json.dumps(asdict(instance)), ex=self.ttl_s)
            pipe.sadd(self.index, instance.id)
            pipe.execute()

    def remove(self, instance_id: str) -> None:
        """Unregister (a clean stop)."""
        with self.client.pipeline() as pipe:
            pipe.delete(self.prefix + instance_id)
            pipe.srem(self.index, instance_id)
            pipe.execute()

    def live(self) -> list[Instance]:
        """Every instance whose key has not expired, oldest first; expired ones leave the index."""
        ids = sorted(m.decode() if isinstance(m, bytes) else str(m) for m in self.client.smembers(self.index))
        values = self.client.mget([self.prefix + instance_id for instance_id in ids]) if ids else []
        found, expired = [], []
        for instance_id, raw in zip(ids, values, strict=True):
            if raw is None:
                expired.append(instance_id)  # killed: its key expired, its index entry stays until now
                continue
            try:
                found.append(Instance(**json.loads(raw)))
            except (TypeError, ValueError):
                log.warning("ignoring an instance key of queue %r written by another version", self.settings.queue_name)
        if expired:
            self.client.srem(self.index, *expired)
        return sorted(found, key=lambda instance: instance.started_at)

    def close(self) -> None:
        """Release the connection pool."""
        self.client.close()


def strangers(installation: str, instances: list[Instance]) -> list[Instance]:
    """The instances whose app database is not the one with `installation`."""
    return [instance for instance in instances if instance.installation != installation]


def mismatch(settings: Settings, installation: str, stranger: Instance) -> str:
    """One line for the operator: which instance uses which app database, and what to set."""
    return (
        f"queue {settings.queue_name!r} on {public_url(settings.queue_url)} is used by {stranger.describe()}, "
        f"whose app database is another one ({stranger.app_db}, installation {stranger.installation[:12]}) "
        f"than this one's ({public_url(settings.app_database_url)}, installation {installation[:12]}); "
        "every instance on one queue needs the same APP_DB_URL on PostgreSQL (or its own QUEUE_NAME)"
    )


def new_instance(settings: Settings, role: str, installation: str) -> Instance:
    """This process, about to register."""
    return Instance(
        id=f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}",
        role=role,
        installation=installation,
        app_db=public_url(settings.app_database_url),
        host=socket.gethostname(),
        pid=os.getpid(),
        data_dir=str(settings.data_dir.resolve()),
        consumes=settings.queue_in_process,
        started_at=dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
    )


async def app_installation(settings: Settings) -> str:
    """The installation id of the configured app database (created there if it has none yet)."""
    db = open_database(settings.app_database_url, pool_size=1)
    await db.aio_connect()
    try:
        return await installation_id(db)
    finally:
        await db.aio_close()


async def join(settings: Settings, role: str) -> Instance | None:
    """Register this process on a Redis queue; `InstanceRefused` when a live instance has another app database.

    Registering before looking means two processes starting at once see each other: at least one refuses.
    With the SQLite queue (one machine, DATA_DIR/queue.db) there is nothing to join: None.
    An unreachable app database or Redis does not stop the process here: the database part fails
    the startup with its own message, and a Redis that comes back gets the key at the next heartbeat.
    """
    if settings.queue_backend != "redis":
        return None
    try:
        installation = await app_installation(settings)
    except Exception as exc:
        log.warning("could not read the app database's installation id (%s); the queue's instances are not checked",
                    exc)
        return None
    registry = InstanceRegistry(settings)
    me = new_instance(settings, role, installation)
    try:
        try:
            await asyncio.to_thread(registry.put, me)
            others = strangers(installation, await asyncio.to_thread(registry.live))
        except Exception as exc:
            log.warning("could not register on queue %r (%s); registering at the next heartbeat",
                        settings.queue_name, exc)
            return me
        if others:
            await asyncio.to_thread(registry.remove, me.id)
            raise InstanceRefused(mismatch(settings, installation, others[0]))
        return me
    finally:
        await asyncio.to_thread(registry.close)


class InstancePart:
    """The "instances" entry of /health and `roa2web check`; keeps this process's key alive once it joined."""

    def __init__(self, settings: Settings, db: Any) -> None:
        self.settings = settings
        self.db = db
        self.registry = InstanceRegistry(settings)
        self.member: Instance | None = None
        self.installation: str | None = None
        self._beat: asyncio.Task[None] | None = None
        self._reported: set[str] = set()
        self._unreachable = False

    def adopt(self, member: Instance | None) -> None:
        """This process registered as `member` at startup (`join`): keep its key alive until stop."""
        self.member = member

    async def start(self) -> None:
        """Read the app database's installation id; heartbeat our key when we joined."""
        self.installation = await installation_id(self.db)
        if self.member is not None:
            self._beat = asyncio.create_task(self._heartbeat(self.member))

    async def _heartbeat(self, member: Instance) -> None:
        while True:
            try:
                await asyncio.to_thread(self.registry.put, member)
                for stranger in strangers(member.installation, await asyncio.to_thread(self.registry.live)):
                    if stranger.id not in self._reported:  # one error per stranger, not one per heartbeat
                        self._reported.add(stranger.id)
                        log.error("jobs will be lost: %s", mismatch(self.settings, member.installation, stranger))
                if self._unreachable:
                    self._unreachable = False
                    log.info("this instance's key on queue %r is registered again", self.settings.queue_name)
            except Exception as exc:
                if not self._unreachable:  # one warning per outage, not one per heartbeat
                    self._unreachable = True
                    log.warning("could not refresh this instance's key on the queue (%s); trying every %.0f s",
                                exc, self.settings.queue_heartbeat_s)
            await asyncio.sleep(self.settings.queue_heartbeat_s)

    async def stop(self) -> None:
        """Unregister (the key would expire by itself after a kill)."""
        if self._beat is not None:
            self._beat.cancel()
        try:
            if self.member is not None:
                await asyncio.to_thread(self.registry.remove, self.member.id)
        except Exception as exc:
            log.warning("could not unregister from queue %r (%s); the key expires by itself",
                        self.settings.queue_name, exc)
        finally:
            await asyncio.to_thread(self.registry.close)

    async def health(self) -> dict[str, Any]:
        """The live instances of the queue; "down" when one's app database is not ours."""
        instances = await asyncio.to_thread(self.registry.live)
        info: dict[str, Any] = {
            "queue": self.settings.queue_name,
            "installation": (self.installation or "?")[:12],
            "registered": len(instances),
            "instances": "; ".join(instance.describe() for instance in instances) or "none",
        }
        others = strangers(self.installation, instances) if self.installation else []
        if others:
            assert self.installation is not None
            return {"status": "down", **info, "error": mismatch(self.settings, self.installation, others[0])}
        return {"status": "ok", **info}
