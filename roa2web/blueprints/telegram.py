"""`/api/telegram`: a code linking the caller's Telegram chat, the link's status, unlinking, and verify-user.

verify-user is the route an external bot links chats with (internal token, no user token). The
webhook route the Bot API posts to (`blueprints.telegram_webhook`) is mounted with these.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from pydantic import BaseModel, Field
from quart import Blueprint, Quart, Response, request
from quart_rate_limiter import rate_exempt
from quart_schema import validate_request, validate_response

from roa2web.auth import store as users
from roa2web.blueprints import telegram_webhook
from roa2web.blueprints.common import problems, runtime
from roa2web.bounds import Id64, Int64
from roa2web.chats.errors import NotLinked, UserDisabled
from roa2web.chats.links import ChatLinks
from roa2web.problems import Forbidden
from roa2web.runtime import Runtime
from roa2web.web.guards import current_principal, public

INTERNAL_TOKEN_HEADER = "X-Internal-Token"  # noqa: S105 - a header's name, not a secret

blueprint = Blueprint("telegram", __name__, url_prefix="/api/telegram")


class CodeOut(BaseModel):
    """A one-time linking code: type `/start CODE` to the bot, or open the deep link."""

    code: str = Field(examples=["K7PM4XQ2"])
    expires_at: dt.datetime
    deep_link: str | None = Field(
        examples=["https://t.me/roa2web_bot?start=K7PM4XQ2"],
        description="https://t.me/<bot>?start=<code>; null while the bot's username is not known (no bot running)")


class VerifyUserRequest(BaseModel):
    """A linking code a user typed in an external bot, and the chat to link."""

    code: str = Field(min_length=1, max_length=64, examples=["K7PM4XQ2"])
    telegram_user_id: Id64 = Field(examples=[6000000001])
    chat_id: Int64 = Field(examples=[6000000001], description="negative for a group")
    telegram_username: str | None = Field(default=None, max_length=64, examples=["ana_pop"])


class VerifiedUserOut(BaseModel):
    """The user the chat is now linked to."""

    user_id: str
    username: str
    display_name: str


class BotOut(BaseModel):
    """The bot of this server."""

    status: str = Field(examples=["running"], description="disabled, connecting, running or error")
    username: str | None = Field(examples=["roa2web_bot"])


class StatusOut(BaseModel):
    """Whether the caller's account is linked to a Telegram chat."""

    linked: bool
    telegram_username: str | None
    linked_at: dt.datetime | None
    bot: BotOut | None = Field(default=None, description="null where no bot part is installed (a worker)")


@blueprint.after_request
async def no_store(response: Response) -> Response:
    """Codes and links are kept by no cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _links() -> ChatLinks:
    return runtime().chat_links


def _bot_username() -> str | None:
    bot = runtime().services.bot
    return bot.username if bot is not None else None


def _bot_out() -> BotOut | None:
    bot = runtime().services.bot  # the bot door's part; None where the door is not installed
    if bot is None:
        return None
    return BotOut(status=bot.status.state.value, username=bot.username)


def internal_token_required[F: Callable[..., Any]](func: F) -> F:
    """403 unless the request's X-Internal-Token equals TELEGRAM_INTERNAL_TOKEN (which must be set).

    Checked before the body is read, so without the token nothing about the body is told.
    """

    @wraps(func)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        secret = runtime().settings.telegram_internal_token
        expected = secret.get_secret_value().encode() if secret is not None else b""
        given = request.headers.get(INTERNAL_TOKEN_HEADER, "").encode()
        if not expected or not hmac.compare_digest(given, expected):
            raise Forbidden("Tokenul intern lipsește din cerere sau nu este cel corect.",
                            kind="internal-token-refused")
        return await func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@blueprint.post("/auth/code")
@validate_response(CodeOut, 201)
@problems(401)
async def issue_code() -> tuple[CodeOut, int]:
    """A one-time code (TELEGRAM_LINK_CODE_MINUTES, 10) that links the caller's Telegram chat: `/start CODE`.

    A new code replaces the caller's unused one. Linking a chat replaces the caller's earlier chat.
    """
    issued = await _links().issue_code(current_principal().user_id)
    username = _bot_username()
    deep_link = f"https://t.me/{username}?start={issued.code}" if username else None
    return CodeOut(code=issued.code, expires_at=issued.expires_at, deep_link=deep_link), 201


@blueprint.post("/auth/verify-user")
@public
@rate_exempt
@internal_token_required
@validate_request(VerifyUserRequest)
@validate_response(VerifiedUserOut, 200)
@problems(400, 403, 410)
async def verify_user(data: VerifyUserRequest) -> VerifiedUserOut:
    """For an external bot: link `chat_id` with a user's code, as `/start CODE` does. No user token.

    Needs the `X-Internal-Token` header equal to TELEGRAM_INTERNAL_TOKEN (unset: always 403).
    400: the code is unknown or used; 410: it expired; 403: the token, or the user is disabled.
    """
    link = await _links().link_with_code(data.code, telegram_user_id=data.telegram_user_id, chat_id=data.chat_id,
                                         telegram_username=data.telegram_username)
    user = await users.get_user(runtime().app_db, link.user_id)
    if user is None:
        raise UserDisabled()
    return VerifiedUserOut(user_id=user.id, username=user.username, display_name=user.display_name)


@blueprint.get("/status")
@validate_response(StatusOut, 200)
@problems(401)
async def status() -> StatusOut:
    """Whether the caller is linked to a Telegram chat (and the bot's state, when this server runs one)."""
    link = await _links().link_of_user(current_principal().user_id)
    return StatusOut(
        linked=link is not None,
        telegram_username=link.telegram_username if link else None,
        linked_at=link.linked_at if link else None,
        bot=_bot_out(),
    )


@blueprint.delete("/link")
@problems(401, 404)
async def unlink() -> tuple[str, int]:
    """Unlink the caller's Telegram chat (the bot then answers it only /start, /login and /ajutor)."""
    if not await _links().unlink_user(current_principal().user_id):
        raise NotLinked()
    return "", 204


def install_routes(app: Quart, runtime: Runtime) -> None:
    """Mount `/api/telegram`: these routes and the bot's webhook."""
    app.register_blueprint(blueprint)
    telegram_webhook.install_routes(app, runtime)
