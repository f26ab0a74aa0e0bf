"""Authentication on every route but the public ones; role and company checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from quart import Request, current_app, g

from roa2web.auth.principal import Principal
from roa2web.auth.tokens import AccessTokenReader, InvalidToken
from roa2web.errors import ApiError
from roa2web.web.gates import View

F = TypeVar("F", bound=Callable[..., Any])
_PUBLIC = "_roa2web_public"
_PUBLIC_ENDPOINTS = {"openapi"}  # registered by quart-schema


def public[V: Callable[..., Any]](func: V) -> V:
    """Mark a view as reachable without a token (login, health, docs, webhooks)."""
    setattr(func, _PUBLIC, True)
    return func


class TokenAuth:
    """A gate (see `gates`) requiring a valid bearer token on every non-public view; sets `g.principal`."""

    def __init__(self, secret: str) -> None:
        self.tokens = AccessTokenReader(secret)

    def principal(self, authorization: str) -> Principal:
        """The caller named by an Authorization header value; a 401 ApiError when there is none or it is invalid."""
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise ApiError(
                401, "a bearer access token is required", kind="unauthorized", headers={"WWW-Authenticate": "Bearer"}
            )
        try:
            return self.tokens.read(token.strip())
        except InvalidToken as exc:
            raise ApiError(
                401,
                f"the access token is not valid ({exc})",
                kind="invalid-token",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            ) from None

    def __call__(self, req: Request, view: View) -> None:
        """The gate: public views, preflights and unmatched routes pass; others need a token."""
        if view is None or req.method == "OPTIONS" or getattr(view, _PUBLIC, False):
            return
        if req.endpoint in _PUBLIC_ENDPOINTS:
            return
        g.principal = self.principal(req.headers.get("Authorization", ""))


def current_principal() -> Principal:
    """The authenticated caller of this request."""
    principal: Principal | None = g.get("principal")
    if principal is None:
        raise ApiError(401, "a bearer access token is required", kind="unauthorized")
    return principal


def ensure_company(company_id: int) -> Principal:
    """403 unless the caller may see `company_id`; returns the caller."""
    principal = current_principal()
    if not principal.may_see_company(company_id):
        raise ApiError(403, f"you have no rights on company {company_id}", kind="company-forbidden")
    return principal


def require_roles(*roles: str) -> Callable[[F], F]:
    """Decorator: 403 unless the caller holds one of `roles` (admins pass)."""

    def decorator(func: F) -> F:
        @wraps(func)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_principal().has_role(*roles):
                raise ApiError(403, f"this needs one of the roles: {', '.join(roles)}", kind="role-forbidden")
            return await current_app.ensure_async(func)(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
