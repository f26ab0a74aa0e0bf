"""The python-telegram-bot Application, built for our settings: API base, timeouts, handlers, update order."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationBuilder, TypeHandler

from roa2web.bot.context import RUNTIME_KEY, BotApplication, BotContext
from roa2web.bot.handlers import register_handlers
from roa2web.bot.replies import on_error
from roa2web.bot.request import TrackedRequest
from roa2web.bot.status import BotStatus
from roa2web.bot.updates import PerChatUpdateProcessor
from roa2web.runtime import Runtime

CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 30.0  # a document upload (an export) may take a while
POLL_TIMEOUT_S = 25  # getUpdates waits this long for an update before answering empty
UPDATES_GROUP = -10  # runs before every handler group


def build_application(runtime: Runtime, status: BotStatus, *, webhook: bool) -> BotApplication:
    """An Application on TELEGRAM_API_BASE_URL with our handlers; in webhook mode without an Updater."""
    settings = runtime.settings
    assert settings.telegram_bot_token is not None
    request = TrackedRequest(status, connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S,
                             write_timeout=READ_TIMEOUT_S, connection_pool_size=16)
    polling = TrackedRequest(status, connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S)
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_url)
        .request(request)
        .get_updates_request(polling)
        .concurrent_updates(PerChatUpdateProcessor())
    )
    if webhook:
        builder = builder.updater(None)
    application: BotApplication = builder.build()
    application.bot_data[RUNTIME_KEY] = runtime

    async def note_update(update: Update, context: BotContext) -> None:
        status.update_received()

    application.add_handler(TypeHandler(Update, note_update), group=UPDATES_GROUP)
    register_handlers(application)
    application.add_error_handler(on_error)
    return application
