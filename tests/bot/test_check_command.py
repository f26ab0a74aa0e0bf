"""`roa2web check`'s Telegram and SMTP lines, run as a deployer runs it: a subprocess against the fake Bot API
and a real SMTP server on loopback. A configured part that fails fails the check; one not configured does not."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bot.conftest import SMTP_PASSWORD, SMTP_USER, SmtpServer
from tests.support.cli_env import deployer_env
from tests.support.fake_bot_api import BOT_USERNAME, FakeBotApi, free_port

WEBHOOK_URL = "https://roa.firma.ro/api/telegram/webhook"
# Generous: the fake and the SMTP server are on loopback, but the machine may be loaded.
TIMEOUT = "30"


@pytest.fixture
def check_env(tmp_path: Path, demo_ledger_path: Path) -> dict[str, str]:
    """A deployer's environment with no Telegram or SMTP setting of this machine's."""
    (tmp_path / "data").mkdir()
    env = deployer_env(tmp_path, demo_ledger_path)
    return {key: value for key, value in env.items() if not key.startswith(("TELEGRAM_", "SMTP_", "MODULE_"))}


def run_check(env: dict[str, str], timeout: str = TIMEOUT) -> tuple[int, str]:
    result = subprocess.run([sys.executable, "-m", "roa2web", "check", "--timeout", timeout], capture_output=True,
                            text=True, env=env, timeout=180, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout + result.stderr


def line(output: str, start: str) -> str:
    found = [text for text in output.splitlines() if text[5:].startswith(start)]
    assert len(found) == 1, output
    return found[0]


def with_bot(env: dict[str, str], fake: FakeBotApi, **extra: str) -> dict[str, str]:
    return {**env, "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE_URL": fake.base_url, **extra}


def test_without_token_or_smtp_both_are_off_and_check_passes(check_env):
    code, output = run_check(check_env)
    assert code == 0, output
    assert line(output, "telegram:") == "OFF  telegram: disabled (TELEGRAM_BOT_TOKEN not set)"
    assert line(output, "smtp:") == "OFF  smtp: not configured (e-mail login off)"


def test_without_the_module_neither_is_tried(check_env, fake_api):
    code, output = run_check(with_bot(check_env, fake_api, MODULE_TELEGRAM_ENABLED="false", SMTP_HOST="127.0.0.1"))
    assert code == 0, output
    assert line(output, "telegram:") == "OFF  telegram: off (MODULE_TELEGRAM_ENABLED=false)"
    assert line(output, "smtp:") == "OFF  smtp: not used (MODULE_TELEGRAM_ENABLED=false)"
    assert fake_api.calls == []


def test_a_good_token_names_the_bot_and_check_takes_no_update(check_env, fake_api):
    fake_api.send_text(42, "/ajutor")  # waiting for the live server's bot: check must not take it
    code, output = run_check(with_bot(check_env, fake_api))
    assert code == 0, output
    expected = f"OK   telegram: @{BOT_USERNAME} answers at {fake_api.base_url} (polling)"
    assert line(output, "telegram:") == expected
    assert fake_api.token not in output
    assert [call.method for call in fake_api.calls] == ["getMe"]  # no getUpdates, no setWebhook or deleteWebhook


def test_a_refused_token_fails_the_check_without_printing_it(check_env, fake_api):
    wrong = "654321:WRONG-token-not-to-be-printed"
    code, output = run_check(with_bot(check_env, fake_api, TELEGRAM_BOT_TOKEN=wrong))
    assert code == 1, output
    text = line(output, "telegram:")
    assert text.startswith(f"FAIL telegram: the Bot API at {fake_api.base_url} refused the token (Unauthorized)")
    assert "check TELEGRAM_BOT_TOKEN" in text and "the server serves without it" in text
    assert wrong not in output and "654321" not in output


def test_an_unreachable_bot_api_fails_the_check(check_env, fake_api):
    base = f"http://127.0.0.1:{free_port()}/bot"  # nothing listens there
    code, output = run_check(with_bot(check_env, fake_api, TELEGRAM_API_BASE_URL=base))
    assert code == 1, output
    text = line(output, "telegram:")
    assert text.startswith(f"FAIL telegram: the Bot API at {base} could not be reached (NetworkError"), text
    assert fake_api.token not in output


def test_a_bot_api_that_never_answers_fails_within_the_timeout(check_env, fake_api):
    with socket.socket() as silent:  # accepts connections (the backlog) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        base = f"http://127.0.0.1:{silent.getsockname()[1]}/bot"
        code, output = run_check(with_bot(check_env, fake_api, TELEGRAM_API_BASE_URL=base), timeout="1")
    assert code == 1, output
    assert line(output, "telegram:").startswith(f"FAIL telegram: the Bot API at {base} did not answer within 1 s")


def test_webhook_mode_says_whether_telegram_posts_to_the_configured_url(check_env, fake_api):
    env = with_bot(check_env, fake_api, TELEGRAM_WEBHOOK_URL=WEBHOOK_URL)
    code, output = run_check(env)
    assert code == 0, output  # the server sets its webhook when its bot starts: a warning
    assert line(output, "telegram:").endswith("(webhook)")
    assert line(output, "telegram webhook:").startswith("WARN telegram webhook: none set at Telegram yet")

    fake_api.webhook_url = "https://alta.firma.ro/api/telegram/webhook"
    code, output = run_check(env)
    assert code == 0, output
    text = line(output, "telegram webhook:")
    assert text.startswith("WARN telegram webhook: Telegram posts to https://alta.firma.ro/api/telegram/webhook, "
                           f"not TELEGRAM_WEBHOOK_URL={WEBHOOK_URL}"), text

    fake_api.webhook_url = WEBHOOK_URL
    code, output = run_check(env)
    assert code == 0, output
    expected = f"OK   telegram webhook: {WEBHOOK_URL} is set at Telegram (0 update(s) waiting)"
    assert line(output, "telegram webhook:") == expected
    assert "setWebhook" not in {call.method for call in fake_api.calls}
    assert fake_api.webhook_url == WEBHOOK_URL


def smtp_env(env: dict[str, str], server: SmtpServer, password: str) -> dict[str, str]:
    return {**env, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port), "SMTP_SECURITY": "none",
            "SMTP_USERNAME": SMTP_USER, "SMTP_PASSWORD": password}


def test_smtp_login_is_tried(check_env, smtp_server):
    code, output = run_check(smtp_env(check_env, smtp_server, SMTP_PASSWORD))
    assert code == 0, output
    expected = f"OK   smtp: 127.0.0.1:{smtp_server.port} (none) accepts the connection, logged in as {SMTP_USER}"
    assert line(output, "smtp:") == expected
    assert smtp_server.inbox.logins == [SMTP_USER] and smtp_server.inbox.received() == []  # no mail sent
    assert SMTP_PASSWORD not in output


def test_a_refused_smtp_login_fails_the_check_without_printing_the_password(check_env, smtp_server):
    code, output = run_check(smtp_env(check_env, smtp_server, "parola-gresita"))
    assert code == 1, output
    text = line(output, "smtp:")
    assert text.startswith(f"FAIL smtp: SMTP 127.0.0.1:{smtp_server.port}: SMTPAuthenticationError"), text
    assert text.endswith("/login cannot e-mail codes (the server serves without it)")
    assert "parola-gresita" not in output and smtp_server.inbox.logins == []
