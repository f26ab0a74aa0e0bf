"""Authentication on every route but the public ones; role and company checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from quart import Quart, current_app, g, request

from roa2web.auth.principal import ROLE_LABELS, Principal
from roa2web.auth.service import AuthService
from roa2web.auth.tokens import InvalidToken, RevokedToken
from roa2web.problems import Forbidden, Unauthorized
from roa2web.runtime import Runtime

F = TypeVar("F", bound=Callable[..., Any])
SIGN_IN_NEEDED = "Este nevoie de autentificare: trimiteți tokenul de acces în antetul Authorization: Bearer."
_PUBLIC = "_roa2web_public"
_PUBLIC_ENDPOINTS = {"openapi"}  # registered by quart-schema


def public[V: Callable[..., Any]](func: V) -> V:
    """Mark a view as reachable without a token (login, health, docs, webhooks)."""
    setattr(func, _PUBLIC, True)
    return func


async def principal_of(authorization: str, auth: AuthService) -> Principal:
    """The caller named by an Authorization header value; a 401 Unauthorized when there is none or it is invalid.

    Invalid means: not our signature, expired, living longer than ACCESS_TOKEN_MINUTES, malformed
    claims, or a user who is gone, disabled or changed since (password, rights).
    """
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(SIGN_IN_NEEDED, headers={"WWW-Authenticate": "Bearer"})
    try:
        return await auth.authenticate(token.strip())
    except RevokedToken:
        raise Unauthorized(
            "Sesiunea nu mai este valabilă (contul a fost dezactivat sau modificat); autentificați-vă din nou.",
            kind="invalid-token",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from None
    except InvalidToken:
        raise Unauthorized(
            "Tokenul de acces nu este valid sau a expirat; autentificați-vă din nou.",
            kind="invalid-token",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from None


async def optional_principal(auth: AuthService) -> Principal | None:
    """On a public view: the caller, when the request carries a token; a 401 when the token is not valid."""
    authorization = request.headers.get("Authorization")
    return None if authorization is None else await principal_of(authorization, auth)


def install_token_auth(app: Quart, runtime: Runtime) -> None:
    """A before-request hook requiring a valid bearer token on every non-public view; sets `g.principal`.

    Public views, preflights (OPTIONS) and unmatched routes (the 404 or 405 follows) pass.
    """

    @app.before_request
    async def authenticate() -> None:
        endpoint = request.endpoint
        if endpoint is None or request.method == "OPTIONS" or endpoint in _PUBLIC_ENDPOINTS:
            return
        view = app.view_functions.get(endpoint)
        if view is None or getattr(view, _PUBLIC, False):
            return
        g.principal = await principal_of(request.headers.get("Authorization", ""), runtime.auth)


def current_principal() -> Principal:
    """The authenticated caller of this request."""
    principal: Principal | None = g.get("principal")
    if principal is None:
        raise Unauthorized(SIGN_IN_NEEDED)
    return principal


def ensure_company(company_id: int) -> Principal:
    """403 unless the caller may see `company_id`; returns the caller."""
    principal = current_principal()
    if not principal.may_see_company(company_id):
        raise Forbidden(f"Nu aveți drepturi pe firma {company_id}.", kind="company-forbidden")
    return principal


def require_roles(*roles: str) -> Callable[[F], F]:
    """Decorator: 403 unless the caller holds one of `roles` (admins pass)."""

    def decorator(func: F) -> F:
        @wraps(func)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_principal().has_role(*roles):
                labels = ", ".join(ROLE_LABELS.get(role, role) for role in roles)
                raise Forbidden(f"Acțiunea cere unul dintre rolurile: {labels}.", kind="role-forbidden")
            return await current_app.ensure_async(func)(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
