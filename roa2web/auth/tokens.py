"""Short-lived JWT access tokens and opaque rotating refresh tokens.

An access token is accepted only when it is signed with our secret by HS256 (no other algorithm,
`none` included), is an access token, has lived no longer than the configured lifetime (`exp - iat`,
so a token minted with `exp` in 2100 is refused even with the right key), was not issued in the
future (beyond a small clock leeway), and every claim has the type and shape we write. Anything
else is an `InvalidToken`, never an error of ours: a token is input.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Literal

import jwt
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from roa2web.auth.principal import Principal, format_company_ids, parse_company_ids

ALGORITHM = "HS256"
MAX_TOKEN_CHARS = 4096  # ours are ~400; a longer one is not ours
CLOCK_LEEWAY = dt.timedelta(seconds=30)  # between instances' clocks, for `iat`
_LIFETIME_ROUNDING_S = 1  # PyJWT writes iat and exp as whole seconds

type Role = Literal["viewer", "operator", "approver", "admin"]


class InvalidToken(Exception):
    """The token is malformed, expired or not an access token."""


class RevokedToken(InvalidToken):
    """A well-formed token whose user is gone, disabled, or changed since (password, rights)."""


class _AccessClaims(BaseModel):
    """The claims `issue_access_token` writes, with their types: anything else is refused."""

    model_config = ConfigDict(strict=True, extra="ignore")

    sub: str = Field(min_length=1, max_length=64)
    usr: str = Field(min_length=1, max_length=128)
    name: str = Field(max_length=256)
    roles: list[Role] = Field(max_length=8)
    cos: str = Field(pattern=r"^(\*|\d{1,12}(,\d{1,12})*)?$", max_length=1024)
    typ: Literal["access"]
    ver: int = Field(ge=0, le=2**53)
    iat: int
    exp: int


@dataclass(frozen=True)
class AccessToken:
    """What a valid access token says: who, and at which token version of theirs it was issued."""

    principal: Principal
    version: int


def issue_access_token(principal: Principal, secret: str, lifetime: dt.timedelta, version: int = 0) -> str:
    """A signed access token carrying the principal and the user's token version."""
    now = dt.datetime.now(dt.UTC)
    claims: dict[str, Any] = {
        "sub": principal.user_id,
        "usr": principal.username,
        "name": principal.display_name,
        "roles": sorted(principal.roles),
        "cos": format_company_ids(principal.company_ids),
        "typ": "access",
        "ver": version,
        "iat": now,
        "exp": now + lifetime,
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_access_token(token: str, secret: str, max_lifetime: dt.timedelta) -> AccessToken:
    """The principal and version in a valid access token; InvalidToken otherwise (expired ones included)."""
    if len(token) > MAX_TOKEN_CHARS:
        raise InvalidToken(f"token of {len(token)} characters")
    try:
        raw = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "sub", "typ"]},
            leeway=0,
        )
        claims = _AccessClaims.model_validate(raw)
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    except ValidationError as exc:
        raise InvalidToken(f"malformed claims: {exc.error_count()} errors") from None
    now = dt.datetime.now(dt.UTC).timestamp()
    if claims.iat > now + CLOCK_LEEWAY.total_seconds():
        raise InvalidToken("issued in the future")
    if claims.exp - claims.iat > max_lifetime.total_seconds() + _LIFETIME_ROUNDING_S:
        lives, allowed = claims.exp - claims.iat, max_lifetime.total_seconds()
        raise InvalidToken(f"lives {lives} s, more than the {allowed:.0f} s allowed")
    principal = Principal(
        user_id=claims.sub,
        username=claims.usr,
        display_name=claims.name,
        roles=frozenset(claims.roles),
        company_ids=parse_company_ids(claims.cos),
    )
    return AccessToken(principal, claims.ver)


def new_refresh_token() -> tuple[str, str]:
    """A fresh opaque refresh token and the hash under which it is stored."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    """Refresh tokens are stored hashed, never in clear."""
    return hashlib.sha256(token.encode()).hexdigest()
