"""Short-lived JWT access tokens and opaque rotating refresh tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
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
    """The principal in a valid access token; InvalidToken otherwise (expired ones included)."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "typ"]})
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    if claims.get("typ") != "access":
        raise InvalidToken("not an access token")
    return Principal(
        user_id=claims["sub"],
        username=claims["usr"],
        display_name=claims.get("name", claims["usr"]),
        roles=frozenset(claims.get("roles", ())),
        company_ids=parse_company_ids(claims.get("cos", "")),
    )


def new_refresh_token() -> tuple[str, str]:
    """A fresh opaque refresh token and the hash under which it is stored."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    """Refresh tokens are stored hashed, never in clear."""
    return hashlib.sha256(token.encode()).hexdigest()
