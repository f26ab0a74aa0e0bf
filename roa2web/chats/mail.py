"""Sending the login codes by e-mail: the `Mailer` protocol and `SmtpMailer` (aiosmtplib, SMTP_* settings)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from roa2web.settings import Settings

log = logging.getLogger("roa2web.chats.mail")


class MailError(Exception):
    """The message could not be handed to the mail server (its reason in English, never a password)."""


class Mailer(Protocol):
    """Something that delivers a plain-text e-mail."""

    async def send(self, to: str, subject: str, body: str) -> None:
        """Send one message; raises MailError when it could not be handed over."""
        ...


@dataclass(frozen=True)
class SmtpMailer:
    """An SMTP server: STARTTLS (port 587), implicit TLS (465) or plain, with or without login."""

    host: str
    port: int
    security: Literal["starttls", "tls", "none"]
    sender: str
    username: str | None = None
    password: str | None = None
    timeout_s: float = 15.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpMailer | None:
        """The mailer of SMTP_*; None when SMTP_HOST is unset."""
        if not settings.smtp_host:
            return None
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        return cls(host=settings.smtp_host, port=settings.smtp_port, security=settings.smtp_security,
                   sender=settings.smtp_from, username=settings.smtp_username or None, password=password,
                   timeout_s=settings.smtp_timeout_s)

    def _client(self) -> Any:
        import aiosmtplib  # the telegram extra: imported where mail is sent

        return aiosmtplib.SMTP(
            hostname=self.host, port=self.port, timeout=self.timeout_s, use_tls=self.security == "tls",
            start_tls=self.security == "starttls",
        )

    async def _run(self, message: EmailMessage | None) -> None:
        import aiosmtplib

        client = self._client()
        try:
            async with client:
                if self.username:
                    await client.login(self.username, self.password or "")
                if message is not None:
                    await client.send_message(message)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise MailError(f"SMTP {self.host}:{self.port}: {reason}") from None

    async def send(self, to: str, subject: str, body: str) -> None:
        """Send one plain-text UTF-8 message from SMTP_FROM to `to`."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        await self._run(message)
        log.info("mail sent to one recipient via %s:%d", self.host, self.port)

    async def check(self) -> None:
        """Connect (and log in when SMTP_USERNAME is set) then quit: for `roa2web check`. Raises MailError."""
        await self._run(None)
