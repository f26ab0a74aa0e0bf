"""/telegram in a real browser: the linking code the page shows is the one the server stored, the page turns to
"Legat" by itself once the chat is linked, Deconectează unlinks; the bot's state; expiry; the server's problem.

The linking tests run against their own `roa2web serve` whose bot talks to the fake Bot API on loopback (so the
bot is running and the deep link has its username). A chat is linked with the page's code the way a user does it,
"/start CODE" to the bot (what Telegram sends when the deep link's Start is tapped), or through POST
/api/telegram/auth/verify-user with the server's TELEGRAM_INTERNAL_TOKEN, as an external bot would. The shared
server (no bot token) shows the "not configured" state.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from tests.jobs.server_process import free_port, wait_ready
from tests.support.fake_bot_api import FakeBotApi
from tests.web.spa import spa_kit
from tests.web.spa.conftest import Pages, SpaServer, require_spa

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

INTERNAL_TOKEN = "token-intern-spa-telegram"
CHAT_ID = 6_000_000_001
TG_USERNAME = "ana_pop"
NOTES_SHOTS = Path("/work/notes/shots")
CODE_TEXT = re.compile(r"^[A-Z0-9]{4,64}$")
COUNTDOWN = re.compile(r"^(10:00|[0-9]:[0-5][0-9])$")
FIRM_ZONE = ZoneInfo("Europe/Bucharest")


@pytest.fixture(scope="module")
def fake_bot() -> Iterator[FakeBotApi]:
    """The fake Telegram Bot API on loopback, for the module's server."""
    fake = FakeBotApi().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture(scope="module")
def tg_server(tmp_path_factory: pytest.TempPathFactory, demo_ledger_path: Path,
              fake_bot: FakeBotApi) -> Iterator[SpaServer]:
    """`roa2web serve` with the built SPA, the bot on the fake Bot API, the internal token, OCR off; ana and bogdan."""
    require_spa()
    root = tmp_path_factory.mktemp("spa-telegram-server")
    data_dir, port = root / "data", free_port()
    env = spa_kit.server_env(data_dir, demo_ledger_path, port, ocr=False)
    env.update(TELEGRAM_BOT_TOKEN=fake_bot.token, TELEGRAM_API_BASE_URL=fake_bot.base_url,
               TELEGRAM_RETRY_INITIAL_S="0.2", TELEGRAM_RETRY_MAX_S="1", TELEGRAM_INTERNAL_TOKEN=INTERNAL_TOKEN,
               MODULE_TELEGRAM_ENABLED="true")
    server = SpaServer(f"http://127.0.0.1:{port}", data_dir, root / "serve.log")
    spa_kit.add_user(env, server.operator, ["operator"], str(spa_kit.COMPANY))
    spa_kit.add_user(env, server.approver, ["approver"], str(spa_kit.COMPANY))
    with server.log.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "roa2web", "serve"], env=env, stdout=log, stderr=log)
    try:
        wait_ready(port, process, timeout_s=120)
        wait_bot_running(server)
        yield server
    finally:
        spa_kit.stop_process(process)


def wait_bot_running(server: SpaServer, timeout_s: float = 60) -> None:
    """Until the server's bot has answered getMe (GET /api/telegram/status says running)."""
    client = server.api(server.operator)
    deadline = time.monotonic() + timeout_s
    bot: Any = None
    while time.monotonic() < deadline:
        bot = client.get("/api/telegram/status").get("bot")
        if bot and bot["status"] == "running":
            return
        time.sleep(0.2)
    raise AssertionError(f"the bot never ran against the fake Bot API (last state {bot!r}); see {server.log}")


def verify_user(base: str, code: str, token: str = INTERNAL_TOKEN) -> tuple[int, Any]:
    """POST /api/telegram/auth/verify-user as an external bot: link CHAT_ID with `code`."""
    body = {"code": code, "telegram_user_id": CHAT_ID, "chat_id": CHAT_ID, "telegram_username": TG_USERNAME}
    request = urllib.request.Request(f"{base}/api/telegram/auth/verify-user", data=json.dumps(body).encode(),  # noqa: S310
                                     method="POST", headers={"Content-Type": "application/json",
                                                             "X-Internal-Token": token})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def firm_time(iso: str) -> str:
    """An API date-time as the page writes it in the firm's zone: "06.12.2026 03:41"."""
    return dt.datetime.fromisoformat(iso).astimezone(FIRM_ZONE).strftime("%d.%m.%Y %H:%M")


def open_telegram(pages: Pages, server: SpaServer, user: str, viewport: dict[str, int] | None = None) -> Page:
    """A new page logged in as `user` on /telegram, once the status has loaded."""
    page = pages.new(viewport)
    spa_kit.log_in(page, server.base, user, path=f"/telegram?company={spa_kit.COMPANY}")
    page.get_by_test_id("telegram-status").wait_for()
    return page


def wait_state(page: Page, state: str) -> None:
    """Until the page's link state reads `state` ("Legat", "Nelegat"), with no reload or click."""
    page.wait_for_function("state => document.querySelector('[data-testid=telegram-status]')?.textContent.trim()"
                           " === state", arg=state)


def generate_code(page: Page) -> str:
    """Click "Generează cod" and return the code the page shows."""
    with page.expect_response(lambda r: r.url.endswith("/api/telegram/auth/code")
                              and r.request.method == "POST") as answer:
        page.get_by_test_id("telegram-generate").click()
    assert answer.value.status == 201
    code = spa_kit.testid_text(page, "telegram-code")
    assert code == answer.value.json()["code"]
    return code


def save_shot(shoot: Callable[[Page, str], Path], page: Page, name: str) -> None:
    """The test's screenshot, also copied to the notes' folder for the review."""
    path = shoot(page, name)
    NOTES_SHOTS.mkdir(parents=True, exist_ok=True)
    (NOTES_SHOTS / path.name).write_bytes(path.read_bytes())


def test_a_code_from_the_page_links_the_chat_and_the_page_turns_linked_by_itself(tg_server, fake_bot, pages, shoot):
    client = tg_server.api(tg_server.operator)
    assert client.get("/api/telegram/status")["linked"] is False
    page = open_telegram(pages, tg_server, tg_server.operator)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=tg_server.base)
    assert spa_kit.testid_text(page, "telegram-status") == "Nelegat"
    assert (spa_kit.testid_text(page, "telegram-bot-state")
            == f"Bot Botul @{fake_bot.username} este pornit și răspunde în Telegram.")
    nav = page.get_by_role("navigation", name="Navigare principală").get_by_role("link", name="Telegram")
    assert nav.get_attribute("aria-current") == "page"

    code = generate_code(page)
    assert CODE_TEXT.match(code), code
    deep_link = page.get_by_test_id("telegram-deep-link")
    assert deep_link.inner_text().strip() == "Deschide în Telegram"
    assert deep_link.get_attribute("href") == f"https://t.me/{fake_bot.username}?start={code}"
    assert spa_kit.testid_text(page, "telegram-command") == f"/start {code}"
    assert COUNTDOWN.match(spa_kit.testid_text(page, "telegram-countdown"))
    page.get_by_test_id("telegram-copy").click()
    page.get_by_text(f"Am copiat „/start {code}”").wait_for()
    assert page.evaluate("() => navigator.clipboard.readText()") == f"/start {code}"
    save_shot(shoot, page, "telegram-code-desktop")

    # The code the page shows is the one the server stored: an external bot links the chat with it.
    page.evaluate("() => { window.__sameDocument = true }")
    status, linked_user = verify_user(tg_server.base, code)
    assert status == 200, linked_user
    assert linked_user["username"] == tg_server.operator
    # ... and the page, polling, turns to "Legat" without a reload.
    wait_state(page, "Legat")
    assert page.evaluate("() => window.__sameDocument === true")
    api_status = client.get("/api/telegram/status")
    assert api_status["linked"] is True and api_status["telegram_username"] == TG_USERNAME
    assert spa_kit.testid_text(page, "telegram-username") == f"@{TG_USERNAME}"
    assert spa_kit.testid_text(page, "telegram-linked-at") == firm_time(api_status["linked_at"])
    assert page.get_by_test_id("telegram-code").count() == 0
    page.get_by_text("Contul a fost legat de Telegram.").wait_for()
    # the code was spent
    assert verify_user(tg_server.base, code)[0] == 400
    save_shot(shoot, page, "telegram-linked-desktop")

    # Deconectează asks first; Renunță keeps the link.
    page.get_by_test_id("telegram-unlink").click()
    page.get_by_text("Sigur deconectați contul de Telegram?").wait_for()
    assert page.evaluate("() => document.activeElement?.dataset.testid") == "telegram-unlink-confirm"
    page.get_by_test_id("telegram-unlink-cancel").click()
    page.get_by_test_id("telegram-unlink").wait_for()
    assert client.get("/api/telegram/status")["linked"] is True
    page.get_by_test_id("telegram-unlink").click()
    with page.expect_response(lambda r: r.url.endswith("/api/telegram/link") and r.request.method == "DELETE") as gone:
        page.get_by_test_id("telegram-unlink-confirm").click()
    assert gone.value.status == 204
    wait_state(page, "Nelegat")
    assert client.get("/api/telegram/status")["linked"] is False
    assert spa_kit.testid_text(page, "telegram-generate") == "Generează cod"


def test_start_code_sent_to_the_bot_links_the_chat_and_the_page_follows(tg_server, fake_bot, pages):
    client = tg_server.api(tg_server.approver)
    page = open_telegram(pages, tg_server, tg_server.approver)
    code = generate_code(page)
    chat = CHAT_ID + 1
    since = fake_bot.mark()
    fake_bot.send_text(chat, f"/start {code}")
    welcome = fake_bot.wait_call("sendMessage", chat_id=chat, since=since, contains="Bun venit",
                                 timeout_s=spa_kit.WAIT_MS / 1000)
    assert welcome.chat_id == chat
    wait_state(page, "Legat")
    api_status = client.get("/api/telegram/status")
    assert api_status["linked"] is True
    assert spa_kit.testid_text(page, "telegram-username") == f"@{api_status['telegram_username']}"
    assert spa_kit.testid_text(page, "telegram-linked-at") == firm_time(api_status["linked_at"])
    page.get_by_test_id("telegram-unlink").click()
    page.get_by_test_id("telegram-unlink-confirm").click()
    wait_state(page, "Nelegat")
    assert client.get("/api/telegram/status")["linked"] is False


def test_on_a_phone_the_code_fits_and_expires_into_a_new_one(tg_server, pages, shoot):
    page = pages.new(spa_kit.PHONE)
    page.clock.install()  # the page's clock, so ten minutes pass at once
    spa_kit.log_in(page, tg_server.base, tg_server.approver, path=f"/telegram?company={spa_kit.COMPANY}")
    page.get_by_test_id("telegram-status").wait_for()
    first = generate_code(page)
    assert spa_kit.overflow(page) == []
    save_shot(shoot, page, "telegram-code-phone")

    page.clock.fast_forward("10:01")
    expired = spa_kit.testid_text(page, "telegram-expired")
    assert expired == "Codul a expirat. Generați unul nou."
    assert page.get_by_test_id("telegram-code").count() == 0
    assert spa_kit.testid_text(page, "telegram-generate") == "Generează cod nou"
    save_shot(shoot, page, "telegram-expired-phone")
    second = generate_code(page)
    assert second != first
    assert COUNTDOWN.match(spa_kit.testid_text(page, "telegram-countdown"))


def test_unlinking_a_link_already_gone_shows_the_servers_problem(tg_server, pages):
    client = tg_server.api(tg_server.operator)
    page = open_telegram(pages, tg_server, tg_server.operator)
    code = generate_code(page)
    assert verify_user(tg_server.base, code)[0] == 200
    wait_state(page, "Legat")
    # unlinked elsewhere meanwhile (another tab, the bot's /logout)
    assert client.call("DELETE", "/api/telegram/link")[0] == 204
    status, problem = client.call("DELETE", "/api/telegram/link")
    assert status == 404
    page.get_by_test_id("telegram-unlink").click()
    page.get_by_test_id("telegram-unlink-confirm").click()
    assert spa_kit.testid_text(page, "error") == problem["detail"]
    wait_state(page, "Nelegat")


def test_without_a_bot_token_the_page_says_the_bot_is_not_configured(spa_server, pages, shoot):
    bot = spa_server.api(spa_server.viewer).get("/api/telegram/status").get("bot")
    assert bot is not None and bot["status"] == "disabled", bot
    page = pages.new()
    spa_kit.log_in(page, spa_server.base, spa_server.viewer, path=f"/telegram?company={spa_kit.VIEWER_COMPANY}")
    assert spa_kit.testid_text(page, "telegram-bot-state").startswith("Bot Botul nu este configurat pe server")
    code = generate_code(page)
    assert page.get_by_test_id("telegram-deep-link").count() == 0
    assert f"Trimiteți botului mesajul /start {code}." in spa_kit.testid_text(page, "telegram-instructions")
    save_shot(shoot, page, "telegram-no-bot-desktop")
