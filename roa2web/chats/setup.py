"""`install_services(runtime)`: `runtime.chat_links` on the app database (routes: `roa2web.blueprints.telegram`)."""

from __future__ import annotations

from roa2web.chats.links import ChatLinks
from roa2web.chats.mail import SmtpMailer
from roa2web.runtime import Runtime


def bot_username(runtime: Runtime) -> str | None:
    """The bot's @username once the bot part knows it (getMe), else None (no bot door, or no answer yet)."""
    bot = runtime.services.bot
    return bot.username if bot is not None else None


def install_services(runtime: Runtime) -> None:
    """Build ChatLinks (SMTP_* mailer when SMTP_HOST is set) and set `runtime.services.chat_links`."""
    settings = runtime.settings
    runtime.services.chat_links = ChatLinks(
        runtime.app_db,
        mailer=SmtpMailer.from_settings(settings),
        code_minutes=settings.telegram_link_code_minutes,
        code_tries=settings.telegram_code_tries,
        bot_username=lambda: bot_username(runtime),
    )
