"""A queue name of its own on the Redis at 127.0.0.1, for the tests that need a real Redis (CI has one)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

import pytest

REDIS_URL = "redis://127.0.0.1:6379/0"


@contextlib.contextmanager
def redis_queue(prefix: str = "test") -> Iterator[str]:
    """A fresh queue name; every Redis key holding it (Huey's, the instances', the cache bus's) is deleted after."""
    import redis

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {REDIS_URL} is needed for the redis tests: {error}")
    try:
        yield name
    finally:
        for key in connection.scan_iter(match=f"*{name}*"):
            connection.delete(key)
        connection.close()
