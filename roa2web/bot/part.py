"""The bot as a part of the process: started in the background with backoff, stopped in order, seen in /health.

Nothing about Telegram may stop the app: without a token the part is "disabled"; an unreachable
Bot API or a refused token leaves it "error", retrying with a doubling wait
(TELEGRAM_RETRY_INITIAL_S up to TELEGRAM_RETRY_MAX_S), while the rest of the app serves.
Polling by default; with TELEGRAM_WEBHOOK_URL the Bot API posts updates to
`POST /api/telegram/webhook`, which hands them to `feed`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import hmac
import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError

from roa2web.bot.application import POLL_TIMEOUT_S, build_application
from roa2web.bot.commands import set_command_menu
from roa2web.bot.context import BotApplication
from roa2web.bot.status import BotState, BotStatus
from roa2web.exports.chart import warm_up as warm_up_charts
from roa2web.problems import ServiceUnavailable
from roa2web.runtime import STOP_FIRST, Part, Runtime
from roa2web.settings import Settings

log = logging.getLogger("roa2web.bot")

# It stops before the queue consumer (STOP_FIRST): its handlers wait on jobs and read reports.
BOT_STOP_PRIORITY = STOP_FIRST + 10


def webhook_secret(settings: Settings) -> str | None:
    """TELEGRAM_WEBHOOK_SECRET, else one derived from the token (the Bot API sends it in every webhook call)."""
    if settings.telegram_webhook_secret is not None:
        return settings.telegram_webhook_secret.get_secret_value()
    if settings.telegram_bot_token is None:
        return None
    token = settings.telegram_bot_token.get_secret_value().encode()
    return hmac.new(token, b"roa2web webhook", hashlib.sha256).hexdigest()


class BotPart:
    """Runs the Telegram bot beside the HTTP server, in the same event loop."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        settings = runtime.settings
        self.enabled = settings.telegram_bot_token is not None
        self.webhook_url = settings.telegram_webhook_url
        self.webhook_secret = webhook_secret(settings)
        secrets = [settings.telegram_bot_token.get_secret_value()] if settings.telegram_bot_token else []
        if self.webhook_secret:
            secrets.append(self.webhook_secret)
        self.status = BotStatus(mode="webhook" if self.webhook_url else "polling", secrets=tuple(secrets))
        if self.enabled:
            self.status.state = BotState.CONNECTING
        self.application: BotApplication | None = None
        self._starting: asyncio.Task[None] | None = None
        self._warm_up: asyncio.Task[bool] | None = None  # matplotlib loaded before the first /dashboard
        self._started = asyncio.Event()

    @property
    def username(self) -> str | None:
        """The bot's @username once it has answered getMe (for the deep links of linking codes)."""
        return self.status.username

    @property
    def running(self) -> bool:
        """Whether the bot has started and takes updates."""
        return self.application is not None

    def part(self) -> Part:
        """This bot as a runtime part: optional, started in the background, stopped before the queue."""
        return Part("telegram", self.health, start=self.start, stop=self.stop, required=False,
                    stop_priority=BOT_STOP_PRIORITY)

    async def health(self) -> dict[str, Any]:
        """The status (disabled, connecting, running or error), with the last error, update time and next retry."""
        return self.status.snapshot()

    async def start(self) -> None:
        """Begin connecting in the background; returns at once."""
        if self.enabled and self._starting is None:
            self._starting = asyncio.create_task(self._start_with_backoff(), name="telegram-bot-start")

    async def wait_started(self, timeout_s: float) -> bool:
        """Wait (bounded) until the bot runs; False if it has not within `timeout_s`."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._started.wait(), timeout_s)
        return self._started.is_set()

    async def _start_with_backoff(self) -> None:
        settings = self.runtime.settings
        delay = settings.telegram_retry_initial_s
        while True:
            self.status.connecting()
            application = build_application(self.runtime, self.status, webhook=self.webhook_url is not None)
            try:
                await self._start(application)
            except asyncio.CancelledError:  # the server stops while the bot connects
                await self._close(application)
                raise
            except (TelegramError, OSError) as exc:
                self.status.failed(f"{type(exc).__name__}: {exc}", retry_in_s=delay)
                log.warning("bot: could not start (%s); next attempt in %.0f s", self.status.last_error, delay)
                await self._close(application)
                await asyncio.sleep(delay)
                delay = min(delay * 2, settings.telegram_retry_max_s)
                continue
            self.application = application
            self.status.started(application.bot.username)
            self._started.set()
            self._warm_up = asyncio.create_task(asyncio.to_thread(warm_up_charts), name="telegram-chart-warm-up")
            log.info("bot: @%s is running (%s)", application.bot.username, self.status.mode)
            return

    async def _start(self, application: BotApplication) -> None:
        await application.initialize()  # getMe: raises when the Bot API is unreachable or refuses the token
        await set_command_menu(application.bot)  # only logged when refused
        if self.webhook_url:
            await application.bot.set_webhook(self.webhook_url, secret_token=self.webhook_secret,
                                              allowed_updates=Update.ALL_TYPES)
        await application.start()
        if application.updater is not None:
            await application.updater.start_polling(
                timeout=dt.timedelta(seconds=POLL_TIMEOUT_S), allowed_updates=Update.ALL_TYPES,
                error_callback=self._polling_failed,
            )

    def _polling_failed(self, error: TelegramError) -> None:
        """PTB retries getUpdates by itself; the failure shows in /health until a request succeeds."""
        self.status.failed(f"{type(error).__name__}: {error}")

    @staticmethod
    async def _close(application: BotApplication) -> None:
        """Undo what a failed or finished start did, in PTB's order: updater, application, shutdown."""
        try:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
            await application.shutdown()
        except (TelegramError, OSError, RuntimeError) as exc:
            log.warning("bot: shutdown was not clean: %s", exc)

    async def stop(self) -> None:
        """Stop taking updates, let handlers in progress finish, release the HTTP client."""
        if self._starting is not None and not self._starting.done():
            self._starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._starting
        if self._warm_up is not None:
            await asyncio.wait([self._warm_up], timeout=30)  # a thread: it cannot be cancelled, only awaited
        if self.application is not None:
            await self._close(self.application)
            self.application = None
        self.status.stopped()

    def secret_matches(self, header: str | None) -> bool:
        """Whether a webhook call carries our X-Telegram-Bot-Api-Secret-Token."""
        if self.webhook_secret is None or header is None:
            return False
        return hmac.compare_digest(header.encode(), self.webhook_secret.encode())

    async def feed(self, payload: dict[str, Any]) -> None:
        """Queue an update the Bot API posted to the webhook (BotNotRunning while the bot is not up)."""
        application = self.application
        if application is None:
            raise BotNotRunning("Botul Telegram nu rulează acum; actualizarea va fi retrimisă.")
        await application.update_queue.put(Update.de_json(payload, application.bot))


class BotNotRunning(ServiceUnavailable):
    """The bot has not started (or has stopped): the Bot API retries a webhook call it could not deliver."""

    kind = "telegram-bot-not-running"
