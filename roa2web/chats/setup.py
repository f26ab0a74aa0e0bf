"""`install_services(runtime)`: `runtime.chat_links` on the app database (routes: `roa2web.blueprints.telegram`)."""

from __future__ import annotations

from roa2web.chats.links import ChatLinks
from roa2web.chats.mail import SmtpMailer
from roa2web.runtime import Runtime


def bot_username(runtime: Runtime) -> str | None:
    """The bot's @username once the bot part knows it (getMe), else None.

    Read defensively: the bot part (`runtime.services.bot`, with its `username`) is installed by
    the bot's own door when TELEGRAM_BOT_TOKEN is set; without it there is no username to name.
    """
    bot = getattr(runtime.services, "bot", None)
    username = getattr(bot, "username", None)
    return username if isinstance(username, str) and username else None


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
