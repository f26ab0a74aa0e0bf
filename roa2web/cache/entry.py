"""What the cache stores (the serialized response and its ETag) and how a lookup ended."""

from __future__ import annotations

import enum
import hashlib
import time
from dataclasses import dataclass


class CacheOutcome(enum.StrEnum):
    """How a response was found; the value is sent verbatim as the X-Cache header."""

    HIT_L1 = "HIT-L1"
    HIT_L2 = "HIT-L2"
    MISS = "MISS"
    STALE = "STALE"


def etag_of(body: bytes) -> str:
    """A strong validator for `body`: the SHA-256 hex digest, unquoted (the HTTP layer adds the quotes)."""
    return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """Serialized response bytes ready to send, with their ETag and lifetime (epoch seconds)."""

    body: bytes
    etag: str
    created: float
    expires: float
    report: str
    company_id: int | None

    @classmethod
    def build(cls, body: bytes, *, report: str, company_id: int | None, ttl_s: float, now: float) -> CachedResponse:
        """Wrap freshly computed `body`, valid for `ttl_s` seconds from `now`."""
        if not isinstance(body, bytes):
            raise TypeError(f"the cache stores serialized bytes, got {type(body).__name__}")
        return cls(body, etag_of(body), now, now + ttl_s, report, company_id)

    @property
    def age_s(self) -> float:
        """Seconds since the body was computed (by the wall clock)."""
        return max(0.0, time.time() - self.created)

    def is_fresh(self, now: float) -> bool:
        """Whether the entry may still be served as a hit at `now`."""
        return now < self.expires
