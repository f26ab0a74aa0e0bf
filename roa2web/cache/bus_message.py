"""What instances tell each other about the report cache over Redis: names, and the message format.

A message is a JSON object: `kind` ("invalidate" or "ledger"), `origin` (the id of the process that
sent it, so it can ignore its own echo), `epoch` (the channel's counter, one per message, set by
Redis as it publishes: a gap tells a subscriber it missed some), and for "invalidate" the
`company_id` and `report` it covers (null matches any).
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from typing import Any, Literal

import orjson

type Kind = Literal["invalidate", "ledger"]
KINDS: frozenset[str] = frozenset({"invalidate", "ledger"})


class MalformedMessage(ValueError):
    """A message on the cache channel that is not one this version understands."""


@dataclass(frozen=True, slots=True)
class BusMessage:
    """One announcement: entries to drop everywhere, or a ledger replaced (re-read its identity)."""

    kind: Kind
    origin: str
    epoch: int
    company_id: int | None = None
    report: str | None = None


def channel_name(queue_name: str) -> str:
    """The pub/sub channel of the instances sharing the queue `queue_name`."""
    return f"roa2web:{queue_name}:cache"


def epoch_key(queue_name: str) -> str:
    """The Redis key counting the messages ever published on `channel_name(queue_name)`."""
    return f"{channel_name(queue_name)}:epoch"


def new_origin() -> str:
    """An id for this process: host, pid and a random part (a pid is reused after a restart)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def draft(kind: Kind, origin: str, company_id: int | None = None, report: str | None = None) -> bytes:
    """A message without its epoch (the publishing script adds it), as JSON bytes."""
    return orjson.dumps({"kind": kind, "origin": origin, "company_id": company_id, "report": report})


def _optional[T](body: dict[str, Any], name: str, kind: type[T]) -> T | None:
    value = body.get(name)
    if value is None or (isinstance(value, kind) and not isinstance(value, bool)):
        return value
    raise MalformedMessage(f"{name} must be a {kind.__name__} or null, got {value!r}")


def decode(raw: bytes | str) -> BusMessage:
    """The message in `raw`; MalformedMessage when it is not one."""
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise MalformedMessage(f"not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise MalformedMessage(f"not a JSON object: {type(body).__name__}")
    kind, origin, epoch = body.get("kind"), body.get("origin"), body.get("epoch")
    if kind not in KINDS:
        raise MalformedMessage(f"unknown kind {kind!r}")
    if not isinstance(origin, str) or not origin:
        raise MalformedMessage("no origin")
    if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 1:
        raise MalformedMessage(f"epoch must be a positive integer, got {epoch!r}")
    return BusMessage(kind, origin, epoch, _optional(body, "company_id", int), _optional(body, "report", str))
