"""The bot as a part of the process: it never stops the app, connects when the Bot API comes up, stops in order."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from quart import Quart

from roa2web.app import create_app
from roa2web.bot.part import BotPart
from roa2web.logs import configure_logging
from roa2web.runtime import Part, Runtime
from roa2web.settings import Settings
from tests.conftest import admin_headers
from tests.support.fake_bot_api import FakeBotApi, bot_settings, free_port

WAIT_S = 30.0


def bot_of(app: Quart) -> BotPart:
    runtime: Runtime = app.extensions["roa2web"]
    assert runtime.services.bot is not None
    return runtime.services.bot


async def admin_health(app: Quart) -> dict[str, Any]:
    response = await app.test_client().get("/health", headers=await admin_headers(app))
    body: dict[str, Any] = await response.get_json()
    return body


async def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"not within {WAIT_S} s: {what}"
        await asyncio.sleep(0.05)


async def test_without_a_token_the_bot_is_disabled(app: Quart) -> None:
    body = await (await app.test_client().get("/health")).get_json()
    assert body["modules"]["telegram"] == {"status": "disabled"}


async def test_a_disabled_part_does_not_degrade_the_app(settings: Settings) -> None:
    async def ok() -> dict[str, Any]:
        return {"status": "ok"}

    async def disabled() -> dict[str, Any]:
        return {"status": "disabled"}

    runtime = Runtime(settings)
    runtime.add_part(Part("ledger", ok))
    runtime.add_part(Part("telegram", disabled, required=False))
    assert (await runtime.health())["status"] == "ok"


async def test_the_app_starts_while_the_bot_api_is_down_and_the_bot_connects_when_it_comes_up(
    settings_factory: Callable[..., Settings],
) -> None:
    fake = FakeBotApi(port=free_port())  # not started yet: nothing listens on its port
    app = create_app(settings_factory(**bot_settings(fake)))
    async with app.test_app():
        bot = bot_of(app)
        assert (await app.test_client().get("/ready")).status_code == 200
        await wait_until(lambda: bot.status.attempts >= 2, "two failed start attempts")
        telegram = (await admin_health(app))["modules"]["telegram"]
        assert telegram["status"] in ("error", "connecting")
        assert telegram["last_error"], telegram
        fake.start()
        try:
            assert await bot.wait_started(WAIT_S)
            telegram = (await admin_health(app))["modules"]["telegram"]
            assert telegram["status"] == "running"
            assert telegram["username"] == fake.username
            mark = fake.mark()
            fake.send_text(501, "bună ziua")
            reply = await fake.next_call("sendMessage", chat_id=501, since=mark)
            assert "/ajutor" in reply.text
            await wait_until(lambda: bot.status.last_update_at is not None, "the update noted")
        finally:
            await bot.stop()
            fake.stop()


async def test_polling_stops_cleanly_and_fast_at_shutdown(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    app = create_app(settings_factory(**bot_settings(fake_api)))
    async with app.test_app():
        assert await bot_of(app).wait_started(WAIT_S)
        await fake_api.next_call("getUpdates")  # a long poll is open now
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 20  # the open long poll (25 s) does not hold the shutdown
    assert bot_of(app).application is None


async def test_shutdown_while_retrying_does_not_hang(settings_factory: Callable[..., Settings]) -> None:
    fake = FakeBotApi(port=free_port())
    app = create_app(settings_factory(**bot_settings(fake, telegram_retry_initial_s=60.0)))
    async with app.test_app():
        await wait_until(lambda: bot_of(app).status.attempts >= 1 and bot_of(app).status.last_error is not None,
                         "the first attempt failed")
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 10


async def test_a_refused_token_shows_as_an_error_without_the_token(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi, caplog: Any
) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level, {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    configure_logging("DEBUG")  # the process's own logging (httpx's request lines, which name the URL, off)
    wrong = "999:WRONG-secret-token"
    caplog.set_level(logging.DEBUG)
    app = create_app(settings_factory(**bot_settings(fake_api, telegram_bot_token=wrong)))
    try:
        await check_refused_token(app)
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        for name, level in saved[2].items():
            logging.getLogger(name).setLevel(level)
    assert "WRONG-secret" not in caplog.text


async def check_refused_token(app: Quart) -> None:
    async with app.test_app():
        bot = bot_of(app)
        await wait_until(lambda: bot.status.attempts >= 2, "two refused attempts")
        health = await admin_health(app)
        telegram = health["modules"]["telegram"]
        assert telegram["status"] == "error"
        assert "token" in telegram["last_error"].lower()
        assert health["status"] == "degraded"
        assert "WRONG-secret" not in str(health)


async def test_webhook_mode_takes_updates_only_with_the_secret_header(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    url = "https://roa2web.example.ro/api/telegram/webhook"
    app = create_app(settings_factory(**bot_settings(fake_api, telegram_webhook_url=url)))
    async with app.test_app():
        bot = bot_of(app)
        assert await bot.wait_started(WAIT_S)
        assert fake_api.webhook_url == url
        secret = fake_api.webhook_secret
        assert secret and secret == bot.webhook_secret
        assert not [call for call in fake_api.calls if call.method == "getUpdates"]
        client = app.test_client()
        update = {"update_id": 77, "message": {
            "message_id": 5, "date": int(time.time()), "chat": {"id": 601, "type": "private"},
            "from": {"id": 601, "is_bot": False, "first_name": "Ana"}, "text": "salut"}}
        refused = await client.post("/api/telegram/webhook", json=update)
        assert refused.status_code == 403
        assert (await refused.get_json())["type"].endswith("/telegram-webhook-secret")
        wrong = await client.post("/api/telegram/webhook", json=update,
                                  headers={"X-Telegram-Bot-Api-Secret-Token": "not-it"})
        assert wrong.status_code == 403
        assert not [call for call in fake_api.calls if call.method == "sendMessage"]
        accepted = await client.post("/api/telegram/webhook", json=update,
                                     headers={"X-Telegram-Bot-Api-Secret-Token": secret})
        assert accepted.status_code == 200
        await fake_api.next_call("sendMessage", chat_id=601)
        bad = await client.post("/api/telegram/webhook", data="{nu json",
                                headers={"X-Telegram-Bot-Api-Secret-Token": secret})
        assert bad.status_code == 400


async def test_the_webhook_route_is_404_in_polling_mode(app: Quart) -> None:
    response = await app.test_client().post("/api/telegram/webhook", json={"update_id": 1})
    assert response.status_code == 404
