"""/firme end to end: only the user's companies as buttons, the current one marked; a tap sets the chat's company;
a forged tap for another company is refused (the real app, the real PTB client, the fake Bot API)."""

from __future__ import annotations

from collections.abc import Callable

from roa2web.auth import store as users
from roa2web.bot.handlers.companies import NOT_YOURS
from roa2web.settings import Settings
from tests.bot.chatting import WAIT_S, link_chat, running_bot, say
from tests.bot.conftest import make_user
from tests.support.fake_bot_api import FakeBotApi

CHAT = 7_200_000_001
ADMIN_CHAT = 7_200_000_002
ALFA, BETA, GAMA = "ALFA COMERT SRL", "BETA SERVICE SRL", "GAMA CONSULT SRL"  # demo companies 1, 2, 3


async def test_firme_lists_only_the_users_companies_and_a_tap_makes_one_current(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    async with running_bot(settings_factory, fake_api) as runtime:
        user = await make_user(runtime, "ana", company_ids={2, 3})
        await link_chat(runtime, user.id, CHAT)
        choose = await say(fake_api, CHAT, "/firme")
        assert choose.buttons == [(f"✓ {BETA}", "co:2"), (GAMA, "co:3")]  # the first is current until a choice
        assert f"Acum: <b>{BETA}</b>" in choose.text

        mark = fake_api.mark()
        fake_api.tap(CHAT, 4242, "co:3")
        edited = await fake_api.next_call("editMessageText", chat_id=CHAT, since=mark, timeout_s=WAIT_S)
        assert edited.text.startswith(f"Firma curentă: <b>{GAMA}</b>")
        assert edited.params["message_id"] == 4242 and "reply_markup" not in edited.params
        answered = await fake_api.next_call("answerCallbackQuery", since=mark, timeout_s=WAIT_S)
        assert answered.params.get("text") == f"Firma curentă: {GAMA}"
        assert (await runtime.chat_links.state(CHAT)).company_id == 3

        again = await say(fake_api, CHAT, "/firme")
        assert again.buttons == [(BETA, "co:2"), (f"✓ {GAMA}", "co:3")]
        assert "Firma curentă: <b>GAMA" in (await say(fake_api, CHAT, "/start")).text
        dashboard = await say(fake_api, CHAT, "/dashboard", method=("sendPhoto", "sendMessage"))
        assert GAMA in dashboard.text and BETA not in dashboard.text


async def test_a_forged_tap_for_another_company_is_refused(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    async with running_bot(settings_factory, fake_api) as runtime:
        user = await make_user(runtime, "ana", company_ids={2, 3})
        await link_chat(runtime, user.id, CHAT)
        for forged in ("co:1", "co:99", "co:abc", "co:", "co:٣"):
            mark = fake_api.mark()
            fake_api.tap(CHAT, 77, forged)
            refused = await fake_api.next_call("sendMessage", chat_id=CHAT, since=mark, timeout_s=WAIT_S)
            assert refused.text == NOT_YOURS, forged
            await fake_api.next_call("answerCallbackQuery", since=mark, timeout_s=WAIT_S)
            assert not [call for call in fake_api.calls[mark:] if call.method == "editMessageText"]
        assert (await runtime.chat_links.state(CHAT)).company_id is None  # still the first company
        assert (await say(fake_api, CHAT, "/firme")).buttons[0] == (f"✓ {BETA}", "co:2")

        await link_chat(runtime, user.id, CHAT)  # relinked: a fresh start on the first company
        mark = fake_api.mark()
        fake_api.tap(CHAT, 77, "co:3")
        await fake_api.next_call("editMessageText", chat_id=CHAT, since=mark, timeout_s=WAIT_S)
        assert (await runtime.chat_links.state(CHAT)).company_id == 3
        # rights on it taken away afterwards: the chosen company no longer counts, nor may it be tapped again
        assert await users.update_user(runtime.app_db, user.id, company_ids=frozenset({2}))
        assert (await say(fake_api, CHAT, "/firme")).buttons == [(f"✓ {BETA}", "co:2")]
        mark = fake_api.mark()
        fake_api.tap(CHAT, 77, "co:3")
        refused = await fake_api.next_call("sendMessage", chat_id=CHAT, since=mark, timeout_s=WAIT_S)
        assert refused.text == NOT_YOURS


async def test_an_unlinked_chats_tap_gets_not_linked(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    async with running_bot(settings_factory, fake_api) as runtime:
        mark = fake_api.mark()
        fake_api.tap(CHAT, 77, "co:1")
        refused = await fake_api.next_call("sendMessage", chat_id=CHAT, since=mark, timeout_s=WAIT_S)
        assert refused.text.startswith("Contul de Telegram nu este legat")
        assert (await runtime.chat_links.state(CHAT)).company_id is None


async def test_a_user_with_every_company_sees_all_three(
    settings_factory: Callable[..., Settings], fake_api: FakeBotApi
) -> None:
    async with running_bot(settings_factory, fake_api) as runtime:
        user = await make_user(runtime, "admin-firma")  # company_ids None: every company
        await link_chat(runtime, user.id, ADMIN_CHAT)
        choose = await say(fake_api, ADMIN_CHAT, "/firme")
        assert choose.buttons == [(f"✓ {ALFA}", "co:1"), (BETA, "co:2"), (GAMA, "co:3")]
