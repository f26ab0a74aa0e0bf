"""`/api/telegram` through the real app, on SQLite and PostgreSQL: the linking code, verify-user with the
internal token, status and unlinking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from quart import Quart

from roa2web.app import create_app
from roa2web.auth import store as users
from roa2web.chats import store
from roa2web.runtime import Runtime, ServiceMissing
from roa2web.settings import Settings
from tests.conftest import add_user, login
from tests.support.fake_bot_api import FakeBotApi, bot_settings
from tests.support.romanian import is_romanian

INTERNAL = "token-intern-de-test-0123456789"
CHAT = 7_000_000_001
TG_USER = 6_000_000_001


@pytest.fixture
def tg_settings(settings_factory: Callable[..., Settings], app_db_url: str | None) -> Settings:
    """The module's settings with an internal token and a tight per-user limit (verify-user is exempt)."""
    return settings_factory(app_db_url=app_db_url, module_data_entry_enabled=False,
                            telegram_internal_token=INTERNAL, rate_limit_per_user_per_minute=6)


async def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, await response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    body: dict[str, Any] = await response.get_json()
    assert is_romanian(body["title"]) and is_romanian(body["detail"]), body
    return body


def _verify(code: str, chat_id: int = CHAT, **extra: Any) -> dict[str, Any]:
    return {"code": code, "telegram_user_id": TG_USER, "chat_id": chat_id, **extra}


async def test_the_routes_need_a_user_token(tg_app: Quart):
    client = tg_app.test_client()
    for method, path in (("POST", "/api/telegram/auth/code"), ("GET", "/api/telegram/status"),
                         ("DELETE", "/api/telegram/link")):
        await _problem(await client.open(path, method=method), 401)


async def test_code_verify_user_status_and_unlink(tg_app: Quart):
    client = tg_app.test_client()
    ana = await add_user(tg_app, "ana", roles={"viewer"}, company_ids={1})
    headers = await login(client, "ana")
    status = await client.get("/api/telegram/status", headers=headers)
    assert await status.get_json() == {"linked": False, "telegram_username": None, "linked_at": None,
                                       "bot": {"status": "disabled", "username": None}}  # no TELEGRAM_BOT_TOKEN

    before = dt.datetime.now(dt.UTC)
    response = await client.post("/api/telegram/auth/code", headers=headers)
    assert response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    issued = await response.get_json()
    assert len(issued["code"]) == 8 and issued["deep_link"] is None  # no bot runs here
    expires_at = dt.datetime.fromisoformat(issued["expires_at"])
    assert before + dt.timedelta(minutes=10) <= expires_at <= dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)

    linked = await client.post("/api/telegram/auth/verify-user", headers={"X-Internal-Token": INTERNAL},
                               json=_verify(issued["code"].lower(), telegram_username="ana_tg"))
    assert linked.status_code == 200, await linked.get_data(as_text=True)
    assert await linked.get_json() == {"user_id": ana.id, "username": "ana", "display_name": "Ana"}
    chat_links = tg_app.extensions["roa2web"].chat_links
    principal = await chat_links.principal_of_chat(CHAT)
    assert principal is not None and principal.user_id == ana.id and principal.company_ids == frozenset({1})

    again = await client.post("/api/telegram/auth/verify-user", headers={"X-Internal-Token": INTERNAL},
                              json=_verify(issued["code"], chat_id=CHAT + 1))
    assert (await _problem(again, 400))["detail"] == "Codul nu este valid sau a fost deja folosit."

    body = await (await client.get("/api/telegram/status", headers=headers)).get_json()
    assert body["linked"] is True and body["telegram_username"] == "ana_tg"
    assert before <= dt.datetime.fromisoformat(body["linked_at"]) <= dt.datetime.now(dt.UTC)

    assert (await client.delete("/api/telegram/link", headers=headers)).status_code == 204
    assert await chat_links.link_of_chat(CHAT) is None
    gone = await _problem(await client.delete("/api/telegram/link", headers=headers), 404)
    assert gone["type"].endswith("/telegram-not-linked")
    assert (await (await client.get("/api/telegram/status", headers=headers)).get_json())["linked"] is False


async def test_verify_user_needs_the_internal_token_and_is_not_rate_limited(tg_app: Quart):
    client = tg_app.test_client()
    await add_user(tg_app, "ana", roles={"viewer"})
    code = (await (await client.post("/api/telegram/auth/code", headers=await login(client, "ana"))).get_json())["code"]
    for headers in ({}, {"X-Internal-Token": ""}, {"X-Internal-Token": "greșit"}, {"X-Internal-Token": INTERNAL + "x"},
                    {"Authorization": f"Bearer {INTERNAL}"}):
        refused = await _problem(await client.post("/api/telegram/auth/verify-user", headers=headers,
                                                   json=_verify(code)), 403)
        assert refused["type"].endswith("/internal-token-refused")
    # the token is checked before the body: nothing is told about a body without it
    await _problem(await client.post("/api/telegram/auth/verify-user", json={"nonsense": 1}), 403)
    await _problem(await client.post("/api/telegram/auth/verify-user", headers={"X-Internal-Token": INTERNAL},
                                     json={"code": code}), 400)
    for unreadable in (b'{"code": "\xff\xfe"}', b"[" * 100_000, b"null"):
        refused = await client.post("/api/telegram/auth/verify-user", data=unreadable,
                                    headers={"X-Internal-Token": INTERNAL, "Content-Type": "application/json"})
        await _problem(refused, 400)
    for _ in range(10):  # above RATE_LIMIT_PER_USER_PER_MINUTE=6: verify-user is exempt
        await _problem(await client.post("/api/telegram/auth/verify-user", headers={"X-Internal-Token": INTERNAL},
                                         json=_verify("ABCDEFGH")), 400)
    ok = await client.post("/api/telegram/auth/verify-user", headers={"X-Internal-Token": INTERNAL}, json=_verify(code))
    assert ok.status_code == 200


async def test_verify_user_refuses_expired_codes_and_disabled_users(tg_app: Quart):
    client = tg_app.test_client()
    runtime: Runtime = tg_app.extensions["roa2web"]
    ana = await add_user(tg_app, "ana", roles={"viewer"})
    headers = await login(client, "ana")
    token = {"X-Internal-Token": INTERNAL}
    code = (await (await client.post("/api/telegram/auth/code", headers=headers)).get_json())["code"]
    past = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
    await store.CodeRow.update(expires_at=past).aio_execute(runtime.app_db)
    refused = await client.post("/api/telegram/auth/verify-user", headers=token, json=_verify(code))
    expired = await _problem(refused, 410)
    assert expired["type"].endswith("/link-code-expired")

    code = (await (await client.post("/api/telegram/auth/code", headers=headers)).get_json())["code"]
    await users.update_user(runtime.app_db, ana.id, disabled=True)
    disabled = await _problem(await client.post("/api/telegram/auth/verify-user", headers=token, json=_verify(code)),
                              403)
    assert disabled["type"].endswith("/user-disabled")
    assert await runtime.chat_links.link_of_chat(CHAT) is None


@pytest.mark.parametrize("app_db_url", ["sqlite"], indirect=True)
async def test_the_deep_link_and_the_bot_state_once_the_bot_knows_its_name(
    settings_factory: Callable[..., Settings], app_db_url: str | None, fake_api: FakeBotApi
):
    app = create_app(settings_factory(module_data_entry_enabled=False, **bot_settings(fake_api)))
    async with app.test_app():
        bot = app.extensions["roa2web"].services.bot
        assert await bot.wait_started(30.0)
        client = app.test_client()
        await add_user(app, "ana", roles={"viewer"})
        headers = await login(client, "ana")
        issued = await (await client.post("/api/telegram/auth/code", headers=headers)).get_json()
        assert issued["deep_link"] == f"https://t.me/{fake_api.username}?start={issued['code']}"
        body = await (await client.get("/api/telegram/status", headers=headers)).get_json()
        assert body["bot"] == {"status": "running", "username": fake_api.username}


@pytest.mark.parametrize("app_db_url", ["sqlite"], indirect=True)
async def test_verify_user_is_refused_to_everyone_without_an_internal_token_set(
    settings_factory: Callable[..., Settings], app_db_url: str | None
):
    app = create_app(settings_factory(module_data_entry_enabled=False))
    async with app.test_app():
        client = app.test_client()
        for headers in ({}, {"X-Internal-Token": ""}, {"X-Internal-Token": "orice"}):
            await _problem(await client.post("/api/telegram/auth/verify-user", headers=headers,
                                             json=_verify("ABCDEFGH")), 403)


@pytest.mark.parametrize("app_db_url", ["sqlite"], indirect=True)
async def test_the_module_switched_off_has_no_routes_and_no_service(
    settings_factory: Callable[..., Settings], app_db_url: str | None
):
    app = create_app(settings_factory(module_data_entry_enabled=False, module_telegram_enabled=False))
    async with app.test_app():
        client = app.test_client()
        headers = {"Authorization": "Bearer x"}
        assert (await client.get("/api/telegram/status", headers=headers)).status_code == 404
        runtime: Runtime = app.extensions["roa2web"]
        assert runtime.services.chat_links is None
        with pytest.raises(ServiceMissing, match="MODULE_TELEGRAM_ENABLED"):
            assert runtime.chat_links is None
