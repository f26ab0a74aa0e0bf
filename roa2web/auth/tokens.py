"""Short-lived JWT access tokens and opaque rotating refresh tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from collections.abc import Callable
from typing import Any

import jwt

from roa2web.auth.principal import Principal, format_company_ids, parse_company_ids

ALGORITHM = "HS256"


class InvalidToken(Exception):
    """The token is malformed, expired or not an access token."""


def issue_access_token(principal: Principal, secret: str, lifetime: dt.timedelta) -> str:
    """A signed access token carrying the principal."""
    now = dt.datetime.now(dt.UTC)
    claims: dict[str, Any] = {
        "sub": principal.user_id,
        "usr": principal.username,
        "name": principal.display_name,
        "roles": sorted(principal.roles),
        "cos": format_company_ids(principal.company_ids),
        "typ": "access",
        "iat": now,
        "exp": now + lifetime,
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_access_token(token: str, secret: str) -> Principal:
    """The principal in a valid access token; InvalidToken otherwise."""
    return _decode_access_token(token, secret)[0]


def _decode_access_token(token: str, secret: str) -> tuple[Principal, float]:
    """The principal in a valid access token and its expiry (epoch seconds); InvalidToken otherwise."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "typ"]})
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    if claims.get("typ") != "access":
        raise InvalidToken("not an access token")
    principal = Principal(
        user_id=claims["sub"],
        username=claims["usr"],
        display_name=claims.get("name", claims["usr"]),
        roles=frozenset(claims.get("roles", ())),
        company_ids=parse_company_ids(claims.get("cos", "")),
    )
    return principal, float(claims["exp"])


class AccessTokenReader:
    """`read_access_token` that remembers the tokens it verified, until each one expires.

    A token is an immutable signed string: once its signature and claims checked out, the same
    string names the same principal until its `exp`, so a repeat costs a dict lookup instead of
    base64, JSON and HMAC work (~20 µs a request with PyJWT). Only valid tokens are remembered, at
    most `max_entries` (the oldest forgotten first). For the event loop's thread only.
    """

    def __init__(self, secret: str, *, max_entries: int = 4096, clock: Callable[[], float] = time.time) -> None:
        self._secret = secret
        self._max_entries = max_entries
        self._clock = clock
        self._verified: dict[str, tuple[Principal, float]] = {}

    def read(self, token: str) -> Principal:
        """The principal in a valid access token; InvalidToken otherwise (expired ones included)."""
        known = self._verified.get(token)
        if known is not None:
            if self._clock() < known[1]:
                return known[0]
            del self._verified[token]
        principal, expires = _decode_access_token(token, self._secret)
        if len(self._verified) >= self._max_entries:
            del self._verified[next(iter(self._verified))]
        self._verified[token] = (principal, expires)
        return principal


def new_refresh_token() -> tuple[str, str]:
    """A fresh opaque refresh token and the hash under which it is stored."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    """Refresh tokens are stored hashed, never in clear."""
    return hashlib.sha256(token.encode()).hexdigest()
