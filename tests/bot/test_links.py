"""Linking a Telegram chat on the real app database (SQLite and PostgreSQL): web codes, e-mailed codes through a
real SMTP server on loopback, one chat per user, disabled users, and the chat state."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import pytest

from roa2web.auth import store as users
from roa2web.chats import store
from roa2web.chats.errors import (
    CodeTriesExhausted,
    LinkCodeExpired,
    LinkCodeInvalid,
    MailFailed,
    MailNotConfigured,
    NoCodePending,
    UserDisabled,
    WrongCode,
)
from roa2web.chats.links import CODE_ALPHABET, ChatLinks, ChatState
from roa2web.chats.mail import MailError, SmtpMailer
from roa2web.runtime import Runtime
from tests.bot.conftest import SMTP_PASSWORD, SMTP_USER, SmtpServer, free_port, make_user

CHAT = 7_000_000_001  # beyond 32 bits, as Telegram's ids may be
TG_USER = 6_000_000_001


class Clock:
    """A UTC clock the test moves."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def smtp(server_port: int, **overrides: object) -> SmtpMailer:
    values: dict[str, object] = {"host": "127.0.0.1", "port": server_port, "security": "none",
                                 "sender": "ROA2WEB <roa2web@firma.ro>", "timeout_s": 30.0}
    values.update(overrides)
    return SmtpMailer(**values)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def links(tg_runtime: Runtime, clock: Clock) -> ChatLinks:
    return ChatLinks(tg_runtime.app_db, mailer=None, clock=clock)


async def test_the_app_installs_chat_links_on_its_app_database(tg_runtime: Runtime):
    chat_links = tg_runtime.chat_links
    assert chat_links.db is tg_runtime.app_db
    assert chat_links.mailer is None  # no SMTP_HOST in the test settings
    assert (chat_links.code_minutes, chat_links.code_tries) == (10, 5)


async def test_a_web_code_links_the_chat_once_and_is_stored_hashed(links: ChatLinks, tg_runtime: Runtime, clock: Clock):
    user = await make_user(tg_runtime, "ana")
    issued = await links.issue_code(user.id)
    assert len(issued.code) == 8 and set(issued.code) <= set(CODE_ALPHABET)
    assert issued.expires_at == clock.now + dt.timedelta(minutes=10)
    rows = await store.CodeRow.select().aio_execute(tg_runtime.app_db)
    assert len(rows) == 1 and issued.code not in rows[0].code_hash and len(rows[0].code_hash) == 64

    typed = f"  {issued.code[:4].lower()} {issued.code[4:]}\n"  # case and spaces do not matter
    link = await links.link_with_code(typed, telegram_user_id=TG_USER, chat_id=CHAT, telegram_username="ana_tg")
    assert (link.chat_id, link.telegram_user_id, link.user_id, link.telegram_username) == (
        CHAT, TG_USER, user.id, "ana_tg")
    assert link.linked_at == clock.now
    assert await links.link_of_chat(CHAT) == link
    assert await links.link_of_user(user.id) == link
    principal = await links.principal_of_chat(CHAT)
    assert principal is not None and principal.user_id == user.id and principal.username == "ana"

    with pytest.raises(LinkCodeInvalid) as reused:
        await links.link_with_code(issued.code, telegram_user_id=TG_USER + 1, chat_id=CHAT + 1)
    with pytest.raises(LinkCodeInvalid) as unknown:
        await links.link_with_code("ABCDEFGH", telegram_user_id=TG_USER + 1, chat_id=CHAT + 1)
    assert str(reused.value) == str(unknown.value) == "Codul nu este valid sau a fost deja folosit."
    assert reused.value.status == 400
    with pytest.raises(LinkCodeInvalid):
        await links.link_with_code("not a code at all", telegram_user_id=TG_USER, chat_id=CHAT)
    assert await links.link_of_chat(CHAT + 1) is None


async def test_an_expired_code_is_refused_and_a_new_code_replaces_the_unused_one(
    links: ChatLinks, tg_runtime: Runtime, clock: Clock
):
    user = await make_user(tg_runtime, "ana")
    first = await links.issue_code(user.id)
    second = await links.issue_code(user.id)
    with pytest.raises(LinkCodeInvalid):  # replaced by the second
        await links.link_with_code(first.code, telegram_user_id=TG_USER, chat_id=CHAT)
    clock.now += dt.timedelta(minutes=10)
    with pytest.raises(LinkCodeExpired) as expired:
        await links.link_with_code(second.code, telegram_user_id=TG_USER, chat_id=CHAT)
    assert expired.value.status == 410 and "expirat" in str(expired.value)
    assert await links.link_of_chat(CHAT) is None

    clock.now -= dt.timedelta(seconds=1)  # the last second of its life
    assert (await links.link_with_code(second.code, telegram_user_id=TG_USER, chat_id=CHAT)).user_id == user.id


async def test_two_racing_starts_with_one_code_link_exactly_one_chat(links: ChatLinks, tg_runtime: Runtime):
    user = await make_user(tg_runtime, "ana")
    for round_ in range(3):
        issued = await links.issue_code(user.id)
        chats = [CHAT + 10 * round_ + i for i in range(4)]
        results = await asyncio.gather(
            *(links.link_with_code(issued.code, telegram_user_id=chat, chat_id=chat) for chat in chats),
            return_exceptions=True)
        winners = [result for result in results if not isinstance(result, BaseException)]
        losers = [result for result in results if isinstance(result, BaseException)]
        assert len(winners) == 1, results
        assert all(isinstance(loser, LinkCodeInvalid) for loser in losers), losers
        assert (await links.link_of_user(user.id)) == winners[0]
        linked = await store.LinkRow.select().aio_execute(tg_runtime.app_db)
        assert [row.chat_id for row in linked] == [winners[0].chat_id]


async def test_one_chat_per_user_and_one_user_per_chat(links: ChatLinks, tg_runtime: Runtime):
    ana = await make_user(tg_runtime, "ana")
    bogdan = await make_user(tg_runtime, "bogdan")
    await links.link_with_code((await links.issue_code(ana.id)).code, telegram_user_id=TG_USER, chat_id=CHAT)
    await links.set_company(CHAT, 2)
    # ana links another chat: the first one is no longer hers
    await links.link_with_code((await links.issue_code(ana.id)).code, telegram_user_id=TG_USER, chat_id=CHAT + 1)
    assert await links.link_of_chat(CHAT) is None and await links.principal_of_chat(CHAT) is None
    assert (await links.link_of_user(ana.id)).chat_id == CHAT + 1  # type: ignore[union-attr]
    # bogdan links ana's chat: it is his now, with a fresh state
    await links.set_awaiting(CHAT + 1, "receipt_field", {"receipt_id": "r1"})
    await links.link_with_code((await links.issue_code(bogdan.id)).code, telegram_user_id=TG_USER, chat_id=CHAT + 1)
    assert await links.link_of_user(ana.id) is None
    assert (await links.principal_of_chat(CHAT + 1)).user_id == bogdan.id  # type: ignore[union-attr]
    assert await links.state(CHAT + 1) == ChatState(CHAT + 1)


async def test_a_disabled_user_cannot_link_and_a_linked_one_loses_the_chat(links: ChatLinks, tg_runtime: Runtime):
    ana = await make_user(tg_runtime, "ana")
    issued = await links.issue_code(ana.id)
    await users.update_user(tg_runtime.app_db, ana.id, disabled=True)
    with pytest.raises(UserDisabled) as refused:
        await links.link_with_code(issued.code, telegram_user_id=TG_USER, chat_id=CHAT)
    assert refused.value.status == 403 and await links.link_of_chat(CHAT) is None

    await users.update_user(tg_runtime.app_db, ana.id, disabled=False)
    await links.link_with_code(issued.code, telegram_user_id=TG_USER, chat_id=CHAT)  # not spent by the refusal
    assert await links.principal_of_chat(CHAT) is not None
    await users.update_user(tg_runtime.app_db, ana.id, disabled=True)
    assert await links.principal_of_chat(CHAT) is None
    assert await links.link_of_chat(CHAT) is not None  # the link stays; it acts as nobody


async def test_unlinking_by_chat_or_by_user_forgets_the_chat_state(links: ChatLinks, tg_runtime: Runtime):
    ana = await make_user(tg_runtime, "ana")
    assert await links.unlink_chat(CHAT) is False and await links.unlink_user(ana.id) is False
    for unlink in (lambda: links.unlink_chat(CHAT), lambda: links.unlink_user(ana.id)):
        await links.link_with_code((await links.issue_code(ana.id)).code, telegram_user_id=TG_USER, chat_id=CHAT)
        await links.set_company(CHAT, 3)
        assert await unlink() is True
        assert await links.link_of_chat(CHAT) is None and await links.link_of_user(ana.id) is None
        assert await links.state(CHAT) == ChatState(CHAT)
        assert await unlink() is False


async def test_the_chat_state_keeps_company_awaiting_and_data_apart(links: ChatLinks):
    assert await links.state(CHAT) == ChatState(CHAT, None, None, {})
    await links.set_company(CHAT, 2)
    await links.set_awaiting(CHAT, "edit_field", {"receipt_id": "r-1", "field": "total", "suma": "1.234,56"})
    assert await links.state(CHAT) == ChatState(CHAT, 2, "edit_field",
                                                {"receipt_id": "r-1", "field": "total", "suma": "1.234,56"})
    await links.set_company(CHAT, 3)
    assert (await links.state(CHAT)).awaiting == "edit_field"
    await links.set_awaiting(CHAT, None)
    assert await links.state(CHAT) == ChatState(CHAT, 3, None, {})
    await links.set_company(CHAT, None)
    assert await links.state(CHAT) == ChatState(CHAT)
    assert await links.state(CHAT + 5) == ChatState(CHAT + 5)


# --- e-mailed codes, through a real SMTP server on loopback


def _code_in(body: str) -> str:
    found = re.findall(r"\b\d{6}\b", body)
    assert len(set(found)) == 1, body
    return found[0]


async def test_an_emailed_code_links_the_chat(tg_runtime: Runtime, smtp_server: SmtpServer, clock: Clock):
    links = ChatLinks(tg_runtime.app_db, mailer=smtp(smtp_server.port), clock=clock, bot_username=lambda: "roa_bot")
    ana = await make_user(tg_runtime, "ana", email_address="Ana.Pop@Firma.ro")
    await links.request_email_code(" ana.pop@FIRMA.ro ", telegram_user_id=TG_USER, chat_id=CHAT)
    [mail] = smtp_server.inbox.received()
    assert mail["To"] == "Ana.Pop@Firma.ro" and mail["From"] == "ROA2WEB <roa2web@firma.ro>"
    body = mail.get_content()
    code = _code_in(body)
    assert code in mail["Subject"] and "botul Telegram ROA2WEB" in mail["Subject"]
    assert "@roa_bot" in body and "10 minute" in body and "Codul de conectare este" in body
    rows = await store.CodeRow.select().aio_execute(tg_runtime.app_db)
    assert [row.kind for row in rows] == ["email"] and code not in rows[0].code_hash

    link = await links.verify_email_code(CHAT, f" {code} ", telegram_user_id=TG_USER, telegram_username="ana_tg")
    assert (link.user_id, link.chat_id, link.telegram_username) == (ana.id, CHAT, "ana_tg")
    with pytest.raises(NoCodePending):
        await links.verify_email_code(CHAT, code, telegram_user_id=TG_USER)


async def test_wrong_emailed_codes_spend_it_after_five(tg_runtime: Runtime, smtp_server: SmtpServer, clock: Clock):
    links = ChatLinks(tg_runtime.app_db, mailer=smtp(smtp_server.port), clock=clock)
    await make_user(tg_runtime, "ana", email_address="ana@firma.ro")
    with pytest.raises(NoCodePending):
        await links.verify_email_code(CHAT, "123456", telegram_user_id=TG_USER)
    await links.request_email_code("ana@firma.ro", telegram_user_id=TG_USER, chat_id=CHAT)
    code = _code_in(smtp_server.inbox.received()[0].get_content())
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    left = []
    for _ in range(4):
        with pytest.raises(WrongCode) as refused:
            await links.verify_email_code(CHAT, wrong, telegram_user_id=TG_USER)
        left.append(refused.value.tries_left)
    assert left == [4, 3, 2, 1]
    assert str(refused.value) == "Cod greșit. Mai aveți o încercare."
    with pytest.raises(CodeTriesExhausted) as exhausted:
        await links.verify_email_code(CHAT, wrong, telegram_user_id=TG_USER)
    assert exhausted.value.status == 429
    with pytest.raises(CodeTriesExhausted):  # the right code, too late
        await links.verify_email_code(CHAT, code, telegram_user_id=TG_USER)
    assert await links.link_of_chat(CHAT) is None


async def test_racing_wrong_codes_count_every_try(tg_runtime: Runtime, smtp_server: SmtpServer, clock: Clock):
    links = ChatLinks(tg_runtime.app_db, mailer=smtp(smtp_server.port), clock=clock)
    await make_user(tg_runtime, "ana", email_address="ana@firma.ro")
    await links.request_email_code("ana@firma.ro", telegram_user_id=TG_USER, chat_id=CHAT)
    code = _code_in(smtp_server.inbox.received()[0].get_content())
    wrong = f"{(int(code) + 7) % 1_000_000:06d}"
    results = await asyncio.gather(*(links.verify_email_code(CHAT, wrong, telegram_user_id=TG_USER)
                                     for _ in range(8)), return_exceptions=True)
    assert sorted(r.tries_left for r in results if isinstance(r, WrongCode)) == [1, 2, 3, 4]
    assert sum(isinstance(r, CodeTriesExhausted) for r in results) == 4, results
    with pytest.raises(CodeTriesExhausted):
        await links.verify_email_code(CHAT, code, telegram_user_id=TG_USER)


async def test_an_emailed_code_expires_and_a_new_request_replaces_it(
    tg_runtime: Runtime, smtp_server: SmtpServer, clock: Clock
):
    links = ChatLinks(tg_runtime.app_db, mailer=smtp(smtp_server.port), clock=clock, code_minutes=3)
    ana = await make_user(tg_runtime, "ana", email_address="ana@firma.ro")
    await links.request_email_code("ana@firma.ro", telegram_user_id=TG_USER, chat_id=CHAT)
    first = _code_in(smtp_server.inbox.received()[0].get_content())
    assert "3 minute" in smtp_server.inbox.received()[0].get_content()
    clock.now += dt.timedelta(minutes=3)
    with pytest.raises(LinkCodeExpired):
        await links.verify_email_code(CHAT, first, telegram_user_id=TG_USER)
    await links.request_email_code("ana@firma.ro", telegram_user_id=TG_USER, chat_id=CHAT)
    second = _code_in(smtp_server.inbox.received()[1].get_content())
    if first != second:
        with pytest.raises(WrongCode):
            await links.verify_email_code(CHAT, first, telegram_user_id=TG_USER)
    assert (await links.verify_email_code(CHAT, second, telegram_user_id=TG_USER)).user_id == ana.id


async def test_an_unknown_or_disabled_address_sends_nothing(tg_runtime: Runtime, smtp_server: SmtpServer):
    links = ChatLinks(tg_runtime.app_db, mailer=smtp(smtp_server.port))
    dan = await make_user(tg_runtime, "dan", email_address="dan@firma.ro")
    await users.update_user(tg_runtime.app_db, dan.id, disabled=True)
    assert await links.request_email_code("nimeni@firma.ro", telegram_user_id=TG_USER, chat_id=CHAT) is None
    assert await links.request_email_code("dan@firma.ro", telegram_user_id=TG_USER, chat_id=CHAT) is None
    assert smtp_server.inbox.received() == []
    assert await store.CodeRow.select().aio_execute(tg_runtime.app_db) == []
    with pytest.raises(NoCodePending):
        await links.verify_email_code(CHAT, "000000", telegram_user_id=TG_USER)


async def test_without_smtp_or_with_smtp_down_no_code_is_live(tg_runtime: Runtime):
    await make_user(tg_runtime, "ana", email_address="ana@firma.ro")
    with pytest.raises(MailNotConfigured) as unset:
        await tg_runtime.chat_links.request_email_code("ana@firma.ro", telegram_user_id=TG_USER, chat_id=CHAT)
    assert unset.value.status == 503 and "e-mail" in str(unset.value)

    down = ChatLinks(tg_runtime.app_db, mailer=smtp(free_port()))
    with pytest.raises(MailFailed) as failed:
        await down.request_email_code("ana@firma.ro", telegram_user_id=TG_USER, chat_id=CHAT)
    assert failed.value.status == 502
    assert await store.CodeRow.select().aio_execute(tg_runtime.app_db) == []
    with pytest.raises(NoCodePending):
        await down.verify_email_code(CHAT, "000000", telegram_user_id=TG_USER)


@pytest.mark.parametrize("app_db_url", ["sqlite"], indirect=True)
async def test_the_mailer_logs_in_and_check_reports_a_refused_login(smtp_server: SmtpServer, tg_runtime: Runtime):
    good = smtp(smtp_server.port, username=SMTP_USER, password=SMTP_PASSWORD)
    await good.check()
    await good.send("ana@firma.ro", "Subiect cu diacritice: ăîșțâ", "Corp: ăîșțâ ĂÎȘȚÂ")
    assert smtp_server.inbox.logins == [SMTP_USER, SMTP_USER]
    [mail] = smtp_server.inbox.received()
    assert mail["Subject"] == "Subiect cu diacritice: ăîșțâ" and mail.get_content().strip() == "Corp: ăîșțâ ĂÎȘȚÂ"
    with pytest.raises(MailError) as refused:
        await smtp(smtp_server.port, username=SMTP_USER, password="greșită").check()
    assert "greșită" not in str(refused.value)
    with pytest.raises(MailError):
        await smtp(free_port()).check()
