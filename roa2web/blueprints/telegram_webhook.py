"""`POST /api/telegram/webhook`: updates the Bot API posts when TELEGRAM_WEBHOOK_URL is set."""

from __future__ import annotations

from typing import Any

from quart import Blueprint, Quart, request
from quart_rate_limiter import rate_exempt

from roa2web.blueprints.common import problems, runtime
from roa2web.problems import BadRequest, Forbidden, NotFound
from roa2web.runtime import Runtime
from roa2web.web.guards import public

blueprint = Blueprint("telegram_webhook", __name__, url_prefix="/api/telegram")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)


@blueprint.post("/webhook")
@public  # the Bot API proves itself with the secret header, not a user's token
@rate_exempt
@problems(400, 403, 404, 503)
async def webhook() -> tuple[dict[str, Any], int]:
    """Take one Telegram update (the Bot API calls this when TELEGRAM_WEBHOOK_URL is set).

    The body is Telegram's Update object. 403 without the right X-Telegram-Bot-Api-Secret-Token
    header, 404 when the bot is not in webhook mode, 503 while the bot has not started.
    """
    bot = runtime().services.bot
    if bot is None or not bot.webhook_url:
        raise NotFound("Botul Telegram nu primește actualizări prin webhook.", kind="telegram-webhook-off")
    if not bot.secret_matches(request.headers.get(SECRET_HEADER)):
        raise Forbidden("Cererea nu vine de la Telegram: antetul secret lipsește sau este greșit.",
                        kind="telegram-webhook-secret")
    payload = await request.get_json(force=True, silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
        raise BadRequest("Actualizarea Telegram nu este un obiect JSON cu update_id.", kind="telegram-update-invalid")
    await bot.feed(payload)  # BotNotRunning (503) while the bot starts: the Bot API posts it again later
    return {"ok": True}, 200


def install_routes(app: Quart, runtime: Runtime) -> None:
    """Mount the webhook route."""
    app.register_blueprint(blueprint)
