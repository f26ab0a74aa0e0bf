"""Linking in the chat, end to end: the real app and the real python-telegram-bot client against the fake Bot API
(and a real SMTP server on loopback for /login): /start CODE, /login e-mail and the code typed back, /logout,
what an unlinked or group chat may use, the per-chat limit and the command menu."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from typing import Any

import pytest

from roa2web.bot.guard import GROUPS_OFF, NOT_LINKED
from roa2web.bot.texts import help_text
from roa2web.chats.links import utc_now
from roa2web.logs import configure_logging
from roa2web.runtime import Runtime
from roa2web.settings import Settings
from tests.bot.chatting import WAIT_S, link_chat, messages_to, running_bot, running_bot_app, say
from tests.bot.conftest import SmtpServer, make_user
from tests.conftest import add_user, login
from tests.support.fake_bot_api import FakeBotApi

CHAT = 7_100_000_001  # beyond 32 bits, as Telegram's ids may be
OTHER_CHAT = 7_100_000_002
GROUP = -1_001_234_567_890
BETA, GAMA = "BETA SERVICE SRL", "GAMA CONSULT SRL"  # demo companies 2 and 3


def smtp_settings(server: SmtpServer) -> dict[str, Any]:
    return {"smtp_host": "127.0.0.1", "smtp_port": server.port, "smtp_security": "none", "smtp_timeout_s": 30.0}


def mailed_code(server: SmtpServer, index: int = 0) -> str:
    body = server.inbox.received()[index].get_content()
    found = re.search(r"Codul de conectare este: ([0-9]{6})", body)
    assert found, body
    return found.group(1)


async def test_the_deep_link_of_the_web_apps_code_links_the_chat_and_welcomes_the_user_by_name(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi, capfd: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level, {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    configure_logging("INFO")  # the process's own logging (to stderr), at its default level
    try:
        async with running_bot_app(settings_factory, fake_api) as app:
            runtime: Runtime = app.extensions["roa2web"]
            user = await add_user(app, "ana", roles={"viewer"}, company_ids={2, 3})
            client = app.test_client()
            headers = await login(client, "ana")
            issued = await (await client.post("/api/telegram/auth/code", headers=headers)).get_json()
            code = issued["code"]
            # t.me/<bot>?start=CODE: Telegram sends the bot "/start CODE" when the user taps Start
            assert issued["deep_link"] == f"https://t.me/{fake_api.username}?start={code}"

            welcome = await say(fake_api, CHAT, f"/start {code}", user_id=6_100_000_001)
            assert "Bun venit, <b>Ana</b>" in welcome.text
            assert f"Firma curentă: <b>{BETA}</b>" in welcome.text  # the user's first company
            assert all(command in welcome.text for command in ("/dashboard", "/firme", "/ajutor"))
            assert welcome.params["parse_mode"] == "HTML"
            link = await runtime.chat_links.link_of_chat(CHAT)
            assert link is not None and (link.user_id, link.telegram_user_id) == (user.id, 6_100_000_001)
            # right after linking the chat is on the user's first company: /dashboard answers for it
            dashboard = await say(fake_api, CHAT, "/dashboard", method=("sendPhoto", "sendMessage"))
            assert BETA in dashboard.text
            status = await (await client.get("/api/telegram/status", headers=headers)).get_json()
            assert status["linked"] is True and status["telegram_username"] == "u6100000001"

            again = await say(fake_api, CHAT, "/start", user_id=6_100_000_001)
            assert "deja legat" in again.text and "<b>Ana</b>" in again.text and BETA in again.text
            assert (await say(fake_api, CHAT, "/ajutor")).text == help_text(True)

            assert (await client.delete("/api/telegram/link", headers=headers)).status_code == 204
            assert (await say(fake_api, CHAT, "/dashboard")).text == NOT_LINKED  # unlinked from the web app
    finally:
        root.handlers[:], root.level = saved[0], saved[1]
        for name, level in saved[2].items():
            logging.getLogger(name).setLevel(level)
    logged = capfd.readouterr().err
    assert "telegram chat linked" in logged
    assert code not in logged


async def test_a_wrong_an_expired_and_a_used_code_are_refused_in_romanian(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    async with running_bot(settings_factory, fake_api) as runtime:
        user = await make_user(runtime, "ana", company_ids={2})
        mark = fake_api.mark()
        wrong = await say(fake_api, CHAT, "/start ABCDEFGH")
        assert wrong.text == "Codul nu este valid sau a fost deja folosit."
        garbage = await say(fake_api, CHAT, "/start nu-e-cod!")
        assert garbage.text == "Codul nu este valid sau a fost deja folosit."

        issued = await runtime.chat_links.issue_code(user.id)
        real_clock = runtime.chat_links.clock
        runtime.chat_links.clock = lambda: utc_now() + dt.timedelta(minutes=11)  # its ten minutes are over
        try:
            expired = await say(fake_api, CHAT, f"/start {issued.code}")
        finally:
            runtime.chat_links.clock = real_clock
        assert expired.text == "Codul a expirat; cereți un cod nou."
        assert await runtime.chat_links.link_of_chat(CHAT) is None

        fresh = await runtime.chat_links.issue_code(user.id)
        assert "Bun venit" in (await say(fake_api, CHAT, f"/start {fresh.code}")).text
        reused = await say(fake_api, OTHER_CHAT, f"/start {fresh.code}")
        assert reused.text == "Codul nu este valid sau a fost deja folosit."
        assert await runtime.chat_links.link_of_chat(OTHER_CHAT) is None
        assert (await runtime.chat_links.link_of_chat(CHAT)) is not None
        # each refusal was answered once: the error handler's reply, not the fallback's too
        assert not [text for text in messages_to(fake_api, CHAT, mark) if "/ajutor pentru" in text]


async def test_start_without_a_code_explains_both_ways_to_link(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    async with running_bot(settings_factory, fake_api):
        reply = await say(fake_api, CHAT, "/start")
        assert "pagina <b>Telegram</b>" in reply.text and "/start COD" in reply.text
        assert "/login adresa@firma.ro" in reply.text
        assert (await say(fake_api, CHAT, "/help")).text == help_text(False)


async def test_login_by_email_links_with_the_code_the_smtp_server_received(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi, smtp_server: SmtpServer
) -> None:
    async with running_bot(settings_factory, fake_api, **smtp_settings(smtp_server)) as runtime:
        await make_user(runtime, "ana", email_address="ana@firma.ro", company_ids={3})
        usage = await say(fake_api, CHAT, "/login")
        assert usage.text.startswith("Scrieți /login urmat de adresa de e-mail")
        assert (await say(fake_api, CHAT, "/login nu-e-adresa")).text == usage.text

        unknown = await say(fake_api, OTHER_CHAT, "/login nimeni@firma.ro")
        assert unknown.text.startswith("Dacă adresa aparține unui utilizator ROA2WEB, am trimis la ea un cod de 6")
        assert smtp_server.inbox.received() == []  # the same answer, and nothing sent

        sent = await say(fake_api, CHAT, "/login Ana@Firma.ro")
        assert sent.text == unknown.text
        [mail] = smtp_server.inbox.received()
        assert mail["To"] == "ana@firma.ro" and "@roa2web_test_bot" in mail.get_content()
        code = mailed_code(smtp_server)
        not_a_code = await say(fake_api, CHAT, "salut")
        assert not_a_code.text.startswith("Aștept codul de 6 cifre primit pe e-mail")
        welcome = await say(fake_api, CHAT, f"{code[:3]} {code[3:]}")
        assert "Bun venit, <b>Ana</b>" in welcome.text and f"Firma curentă: <b>{GAMA}</b>" in welcome.text
        assert (await runtime.chat_links.state(CHAT)).awaiting is None
        assert (await say(fake_api, CHAT, code)).text.startswith("Nu am înțeles")  # nothing awaited any more


async def test_five_wrong_emailed_codes_spend_it(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi, smtp_server: SmtpServer
) -> None:
    async with running_bot(settings_factory, fake_api, **smtp_settings(smtp_server)) as runtime:
        await make_user(runtime, "ana", email_address="ana@firma.ro", company_ids={2})
        await say(fake_api, CHAT, "/login ana@firma.ro")
        code = mailed_code(smtp_server)
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        mark = fake_api.mark()
        for _ in range(5):
            await say(fake_api, CHAT, wrong)
        assert (await say(fake_api, CHAT, code)).text.startswith("Nu am înțeles")  # the wait ended
        assert messages_to(fake_api, CHAT, mark) == [
            "Cod greșit. Mai aveți 4 încercări.",
            "Cod greșit. Mai aveți 3 încercări.",
            "Cod greșit. Mai aveți 2 încercări.",
            "Cod greșit. Mai aveți o încercare.",
            "Ați greșit codul de prea multe ori; cereți un cod nou cu /login.",
            "Nu am înțeles mesajul. Scrieți /ajutor pentru lista comenzilor.",
        ]
        assert await runtime.chat_links.link_of_chat(CHAT) is None


async def test_login_without_smtp_says_so(settings_factory: Callable[..., Settings], fake_api: FakeBotApi) -> None:
    async with running_bot(settings_factory, fake_api) as runtime:
        reply = await say(fake_api, CHAT, "/login ana@firma.ro")
        assert reply.text.startswith("Trimiterea codurilor prin e-mail nu este configurată pe server")
        assert (await runtime.chat_links.state(CHAT)).awaiting is None


async def test_an_unlinked_chat_gets_only_start_login_and_help(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    async with running_bot(settings_factory, fake_api):
        for command in ("/dashboard", "/firme", "/facturi", "/logout", "/dashboard@roa2web_test_bot",
                        "/oricare"):
            assert (await say(fake_api, CHAT, command)).text == NOT_LINKED, command
        assert (await say(fake_api, CHAT, "/ajutor")).text == help_text(False)


async def test_logout_unlinks_and_then_data_commands_are_refused(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    async with running_bot(settings_factory, fake_api) as runtime:
        user = await make_user(runtime, "ana", company_ids={2})
        await link_chat(runtime, user.id, CHAT)
        assert (await say(fake_api, CHAT, "/ajutor")).text == help_text(True)
        bye = await say(fake_api, CHAT, "/logout")
        assert bye.text.startswith("Contul de Telegram a fost dezlegat de ROA2WEB")
        assert await runtime.chat_links.link_of_chat(CHAT) is None
        assert (await say(fake_api, CHAT, "/dashboard")).text == NOT_LINKED
        assert (await say(fake_api, CHAT, "/firme")).text == NOT_LINKED


async def test_a_group_chat_gets_no_data_unless_groups_are_allowed(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    async with running_bot(settings_factory, fake_api) as runtime:
        user = await make_user(runtime, "ana", company_ids={2})
        await link_chat(runtime, user.id, GROUP)  # linked while groups were allowed, say
        for command in ("/dashboard", "/firme", "/logout"):
            assert (await say(fake_api, GROUP, command, chat_type="group")).text == GROUPS_OFF, command
        issued = await runtime.chat_links.issue_code(user.id)
        assert (await say(fake_api, OTHER_CHAT * -1, f"/start {issued.code}", chat_type="group")).text == GROUPS_OFF
        assert (await say(fake_api, GROUP, "/login ana@firma.ro", chat_type="supergroup")).text == GROUPS_OFF
        assert await runtime.chat_links.link_of_chat(OTHER_CHAT * -1) is None  # the code was not spent
        assert "Bun venit" in (await say(fake_api, CHAT, f"/start {issued.code}")).text


async def test_a_group_chat_may_link_and_choose_when_groups_are_allowed(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    async with running_bot(settings_factory, fake_api, telegram_allow_groups=True) as runtime:
        user = await make_user(runtime, "ana", company_ids={2, 3})
        issued = await runtime.chat_links.issue_code(user.id)
        assert "Bun venit" in (await say(fake_api, GROUP, f"/start {issued.code}", chat_type="group")).text
        choose = await say(fake_api, GROUP, "/firme@roa2web_test_bot", chat_type="group")
        assert [data for _, data in choose.buttons] == ["co:2", "co:3"]


async def test_the_fourth_message_in_a_minute_gets_the_romanian_429(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    async with running_bot(settings_factory, fake_api, telegram_rate_limit_per_minute=3) as runtime:
        for _ in range(3):
            assert (await say(fake_api, CHAT, "/ajutor")).text == help_text(False)
        refused = await say(fake_api, CHAT, "/ajutor")
        assert re.fullmatch(r"Prea multe mesaje într-un minut\. Încercați din nou peste [0-9]+ secunde\.",
                            refused.text), refused.text

        user = await make_user(runtime, "ana", company_ids={2, 3})
        await link_chat(runtime, user.id, OTHER_CHAT)
        for _ in range(3):  # a linked chat's command is counted once (the gate lets it through uncounted)
            assert (await say(fake_api, OTHER_CHAT, "/firme")).buttons
        assert (await say(fake_api, OTHER_CHAT, "/firme")).text.startswith("Prea multe mesaje într-un minut")


async def test_the_command_menu_is_set_at_start_and_its_failure_does_not_stop_the_bot(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    async with running_bot(settings_factory, fake_api):
        menu = await fake_api.next_call("setMyCommands", timeout_s=WAIT_S)
        commands = {entry["command"]: entry["description"] for entry in menu.params["commands"]}
        assert {"start", "login", "logout", "firme", "ajutor", "dashboard"} <= set(commands)
        assert commands["firme"] == "Alegeți firma curentă"

    fake_api.failing.add("setMyCommands")
    mark = fake_api.mark()
    async with running_bot(settings_factory, fake_api):
        await fake_api.next_call("setMyCommands", since=mark, timeout_s=WAIT_S)
        assert (await say(fake_api, CHAT, "/ajutor")).text == help_text(False)
