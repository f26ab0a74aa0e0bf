"""The Telegram module's lines of `roa2web check`: the bot's token (getMe, the webhook) and the SMTP login.

The check asks the Bot API itself, with a Bot of its own: it never starts the server's bot part,
which would poll for updates (taking them from a live server) or set the webhook. The token is
never printed, not even inside an error text.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from roa2web.chats.mail import MailError, SmtpMailer
from roa2web.settings import Settings

if TYPE_CHECKING:
    from telegram import Bot

# (status, message): "ok", "degraded" (a warning), "down" (fails the check), "off" (not configured).
type Line = tuple[str, str]

OPTIONAL = "the server serves without it"


def _redacted(text: str, settings: Settings) -> str:
    if settings.telegram_bot_token is not None:
        token = settings.telegram_bot_token.get_secret_value()
        if token:
            text = text.replace(token, "***")
    return text


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


async def _webhook_line(bot: Bot, settings: Settings) -> Line:
    """Whether the URL set at Telegram is TELEGRAM_WEBHOOK_URL, and Telegram's last delivery error."""
    info = await bot.get_webhook_info()
    wanted = settings.telegram_webhook_url
    pending = f"{info.pending_update_count} update(s) waiting"
    if not info.url:
        return "degraded", (f"telegram webhook: none set at Telegram yet ({pending}); the server sets "
                            f"{wanted} when its bot starts")
    if info.url != wanted:
        return "degraded", (f"telegram webhook: Telegram posts to {info.url}, not TELEGRAM_WEBHOOK_URL={wanted} "
                            "(another installation with this token?); the server sets its own when its bot starts")
    if info.last_error_message:
        when = f" at {info.last_error_date.isoformat()}" if info.last_error_date else ""
        return "degraded", (f"telegram webhook: {wanted} is set at Telegram, but its last delivery failed{when}: "
                            f"{info.last_error_message} ({pending}; IIS must forward /api/telegram/webhook)")
    return "ok", f"telegram webhook: {wanted} is set at Telegram ({pending})"


async def _ask_bot_api(settings: Settings, timeout_s: float) -> list[Line]:
    from telegram import Bot
    from telegram.request import HTTPXRequest

    assert settings.telegram_bot_token is not None
    request = HTTPXRequest(connect_timeout=timeout_s, read_timeout=timeout_s, write_timeout=timeout_s,
                           pool_timeout=timeout_s)
    bot = Bot(settings.telegram_bot_token.get_secret_value(), base_url=settings.telegram_api_base_url,
              base_file_url=settings.telegram_file_url, request=request)
    mode = "webhook" if settings.telegram_webhook_url else "polling"
    try:  # not `async with bot`: its clean-up skips a cancellation (the timeout)
        await bot.initialize()  # getMe: raises when the Bot API is unreachable or refuses the token
        lines: list[Line] = [("ok", f"telegram: @{bot.username} answers at {settings.telegram_api_base_url} ({mode})")]
        if settings.telegram_webhook_url:
            lines.append(await _webhook_line(bot, settings))
        return lines
    finally:
        await bot.shutdown()


async def telegram_lines(settings: Settings, timeout_s: float) -> list[Line]:
    """GetMe with TELEGRAM_BOT_TOKEN (and getWebhookInfo in webhook mode), bounded by `timeout_s`."""
    if not settings.module_telegram_enabled:
        return [("off", "telegram: off (MODULE_TELEGRAM_ENABLED=false)")]
    if settings.telegram_bot_token is None:
        return [("off", "telegram: disabled (TELEGRAM_BOT_TOKEN not set)")]
    try:
        from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
    except ImportError:
        return [("down", "telegram: TELEGRAM_BOT_TOKEN is set but python-telegram-bot is not installed "
                         "(pip install 'roa2web[telegram]')")]
    where = f"the Bot API at {settings.telegram_api_base_url}"
    try:
        return await asyncio.wait_for(_ask_bot_api(settings, timeout_s), timeout_s)
    except InvalidToken as exc:
        answer = str(exc.__cause__ or "Unauthorized")
        message = f"{where} refused the token ({answer}): check TELEGRAM_BOT_TOKEN (from @BotFather)"
    except (TimeoutError, TimedOut):
        message = f"{where} did not answer within {timeout_s:g} s"
    except (NetworkError, OSError) as exc:
        message = f"{where} could not be reached ({_reason(exc)})"
    except TelegramError as exc:
        message = f"{where} answered with an error ({_reason(exc)})"
    return [("down", _redacted(f"telegram: {message}; {OPTIONAL} and keeps retrying", settings))]


async def smtp_line(settings: Settings, timeout_s: float) -> Line:
    """Connect to SMTP_HOST (and log in with SMTP_USERNAME) then quit, bounded by `timeout_s`."""
    if not settings.module_telegram_enabled:
        return "off", "smtp: not used (MODULE_TELEGRAM_ENABLED=false)"
    mailer = SmtpMailer.from_settings(settings)
    if mailer is None:
        return "off", "smtp: not configured (e-mail login off)"
    where = f"{mailer.host}:{mailer.port} ({mailer.security})"
    login = f"logged in as {mailer.username}" if mailer.username else "no login (SMTP_USERNAME not set)"
    try:
        await asyncio.wait_for(mailer.check(), timeout_s)
    except ImportError:
        return "down", "smtp: SMTP_HOST is set but aiosmtplib is not installed (pip install 'roa2web[telegram]')"
    except TimeoutError:
        return "down", f"smtp: {where} did not answer within {timeout_s:g} s; /login cannot e-mail codes"
    except MailError as exc:
        return "down", f"smtp: {exc}; /login cannot e-mail codes ({OPTIONAL})"
    return "ok", f"smtp: {where} accepts the connection, {login}"
