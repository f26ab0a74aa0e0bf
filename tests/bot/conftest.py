"""Fixtures of the Telegram module's tests: the fake Bot API, an app on SQLite or PostgreSQL, users, a real SMTP server.

(The folder is not named `telegram`: a test package of that name would shadow python-telegram-bot.)
"""

from __future__ import annotations

import email
import email.policy
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from quart import Quart

from roa2web.app import create_app
from roa2web.auth import store
from roa2web.runtime import Runtime
from roa2web.settings import Settings
from tests.support.data_entry import ENGINES, wipe_postgres
from tests.support.fake_bot_api import FakeBotApi, free_port

SMTP_USER = "roa2web"
SMTP_PASSWORD = "parola-smtp"


@dataclass
class Inbox:
    """What the loopback SMTP server received."""

    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message (parsed) and accept it."""
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def received(self) -> list[EmailMessage]:
        """The messages so far."""
        with self.lock:
            return list(self.messages)


@dataclass
class SmtpServer:
    """A real SMTP server (aiosmtpd) on loopback."""

    port: int
    inbox: Inbox


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1 accepting plain connections, with LOGIN/PLAIN auth for SMTP_USER."""
    inbox = Inbox()

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == SMTP_USER
              and auth_data.password.decode() == SMTP_PASSWORD)
        if ok:
            inbox.logins.append(SMTP_USER)
        return AuthResult(success=ok, handled=False)  # handled=False: a refusal answers 535, as a real server

    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticate,
                            auth_require_tls=False, ready_timeout=30)
    controller.start()
    try:
        yield SmtpServer(port, inbox)
    finally:
        controller.stop()


@pytest.fixture(params=ENGINES)
def app_db_url(request: pytest.FixtureRequest) -> str | None:
    """None (SQLite under the test's data dir) or a wiped PostgreSQL database."""
    if request.param == "sqlite":
        return None
    url: str = request.getfixturevalue("postgres_database")
    wipe_postgres(url)
    return url


@pytest.fixture
def tg_settings(settings_factory: Callable[..., Settings], app_db_url: str | None) -> Settings:
    """Test settings with the app database on the engine under test, and no SMTP."""
    return settings_factory(app_db_url=app_db_url, module_data_entry_enabled=False)


@pytest.fixture
async def tg_app(tg_settings: Settings) -> AsyncIterator[Quart]:
    """A started app on the engine under test."""
    application = create_app(tg_settings)
    async with application.test_app():
        yield application


@pytest.fixture
def tg_runtime(tg_app: Quart) -> Runtime:
    """The started app's runtime."""
    runtime: Runtime = tg_app.extensions["roa2web"]
    return runtime


async def make_user(
    runtime: Runtime, username: str, *, email_address: str | None = None, password_hash: str | None = None,
    company_ids: set[int] | None = None,
) -> store.User:
    """A local viewer in the app database (no password unless given: the domain tests never log in)."""
    return await store.create_user(
        runtime.app_db, username=username, display_name=username.title(), password_hash=password_hash,
        roles=frozenset({"viewer"}), company_ids=None if company_ids is None else frozenset(company_ids),
        email=email_address,
    )


@pytest.fixture
def fake_api() -> Iterator[FakeBotApi]:
    """A running fake Bot API (its own thread), stopped after the test."""
    fake = FakeBotApi().start()
    yield fake
    fake.stop()
