"""`/api/auth`: login, refresh (rotating), logout, me."""

from __future__ import annotations

from pydantic import BaseModel, Field
from quart import Blueprint, Response
from quart_schema import validate_request, validate_response

from roa2web.auth import store
from roa2web.auth.service import AuthService, TokenPair
from roa2web.blueprints.common import problems, runtime
from roa2web.problems import Unauthorized
from roa2web.web.guards import current_principal, public
from roa2web.web.request_context import current_client_ip


class LoginRequest(BaseModel):
    """Credentials."""

    username: str = Field(min_length=1, max_length=128, examples=["admin"])
    password: str = Field(min_length=1, max_length=1024)


class RefreshRequest(BaseModel):
    """A refresh token from login or a previous refresh."""

    refresh_token: str = Field(min_length=1, max_length=512)


class UserOut(BaseModel):
    """The logged-in user."""

    id: str
    username: str
    display_name: str
    roles: list[str]
    company_ids: list[int] | None = Field(description="null means every company")


class TokenResponse(BaseModel):
    """An access token (short) and a refresh token (long, single use)."""

    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 - a token kind, not a secret
    expires_in: int
    user: UserOut


def user_out(user: store.User) -> UserOut:
    """The public view of a user."""
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=sorted(user.roles),
        company_ids=None if user.company_ids is None else sorted(user.company_ids),
    )


def _tokens(pair: TokenPair) -> TokenResponse:
    return TokenResponse(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
        user=user_out(pair.user),
    )


def _service() -> AuthService:
    return runtime().auth


blueprint = Blueprint("auth", __name__, url_prefix="/api/auth")


@blueprint.after_request
async def no_store(response: Response) -> Response:
    """Replies carrying tokens (and their problems) are kept by no cache, the browser's included."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


@blueprint.post("/login")
@public
@validate_request(LoginRequest)
@validate_response(TokenResponse, 200)
@problems(400, 401, 429)
async def login(data: LoginRequest) -> TokenResponse:
    """Exchange a username and password for tokens.

    At most LOGIN_RATE_LIMIT (5) failed logins per client in any LOGIN_RATE_PERIOD_S (300 s)
    window, then 429 with Retry-After; successes do not count. A username that failed
    LOGIN_RATE_LIMIT_PER_USERNAME (50) times from all clients is held back only for the clients that failed on it.
    """
    pair = await _service().login(data.username, data.password, client=current_client_ip())
    return _tokens(pair)  # LoginFailed → 401, LoginThrottled → 429


@blueprint.post("/refresh")
@public
@validate_request(RefreshRequest)
@validate_response(TokenResponse, 200)
@problems(400, 401)
async def refresh(data: RefreshRequest) -> TokenResponse:
    """Spend a refresh token for a new pair. Reusing a spent token revokes the whole family."""
    return _tokens(await _service().refresh(data.refresh_token))  # RefreshFailed → 401


@blueprint.post("/logout")
@validate_request(RefreshRequest)
@problems(400, 401)
async def logout(data: RefreshRequest) -> tuple[str, int]:
    """Revoke the refresh-token family of this session."""
    await _service().logout(data.refresh_token)
    return "", 204


@blueprint.get("/me")
@validate_response(UserOut, 200)
@problems(401)
async def me() -> UserOut:
    """The caller, as the database knows them now."""
    principal = current_principal()
    user = await store.get_user(_service().db, principal.user_id)
    if user is None or user.disabled:
        raise Unauthorized("Utilizatorul nu mai există sau este dezactivat.")
    return user_out(user)
