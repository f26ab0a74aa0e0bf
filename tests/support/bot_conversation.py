"""A scripted Telegram conversation with a real `roa2web serve`, through the fake Bot API.

Shared by the end-to-end test (tests/bot/test_served_conversation.py) and the benchmark
(scripts/bench/telegram_bot.py): a user logs in to the web API, asks for a linking code, sends
`/start CODE` in Telegram, asks for the dashboard (text and chart picture), then sends a receipt
photo, gets its fields with buttons, sets the date (the demo ledger's past months are closed) with
"Editează", and taps "Trimite". Each step returns what the bot sent and
how long it took from the user's message to the bot's answer (the fake records when it arrived).
"""

from __future__ import annotations

import json
import time
import urllib.request
from dataclasses import dataclass
from typing import Any

from tests.support.fake_bot_api import ApiCall, FakeBotApi

WAIT_S = 180.0  # an OCR model may still be loading on a busy machine


def http_json(method: str, url: str, body: dict[str, Any] | None = None, token: str | None = None) -> Any:
    """One JSON request to the server; the decoded answer (None for 204)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - loopback only
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback only
        raw = response.read()
    return json.loads(raw) if raw else None


@dataclass
class Conversation:
    """One chat of one web user, against the server at `base`."""

    fake: FakeBotApi
    base: str
    chat_id: int
    username: str
    password: str
    token: str = ""

    def login(self) -> None:
        """Log in to the web API (the access token is used for the linking code and the checks)."""
        body = http_json("POST", f"{self.base}/api/auth/login", {"username": self.username, "password": self.password})
        self.token = body["access_token"]

    def link(self) -> ApiCall:
        """Ask the web API for a code and send `/start CODE` from the chat; the bot's welcome."""
        code = http_json("POST", f"{self.base}/api/telegram/auth/code", {}, self.token)["code"]
        mark = self.fake.mark()
        self.fake.send_text(self.chat_id, f"/start {code}")
        welcome = self.fake.wait_call("sendMessage", chat_id=self.chat_id, since=mark, timeout_s=WAIT_S)
        status = http_json("GET", f"{self.base}/api/telegram/status", token=self.token)
        assert status["linked"], status
        return welcome

    def timed(self, send: Any, method: str | tuple[str, ...], contains: str | None = None) -> tuple[ApiCall, float]:
        """Do `send()`, wait for the bot's `method` call to this chat; the call and the seconds in between."""
        mark = self.fake.mark()
        started = time.perf_counter()
        send()
        call = self.fake.wait_call(method, chat_id=self.chat_id, since=mark, contains=contains, timeout_s=WAIT_S)
        return call, time.perf_counter() - started

    def dashboard(self) -> tuple[ApiCall, float]:
        """/dashboard: the chart picture the bot sends, and the time from the command to it."""
        return self.timed(lambda: self.fake.send_text(self.chat_id, "/dashboard"), "sendPhoto")

    def receipt(self, image: bytes) -> tuple[ApiCall, float]:
        """A receipt photo: the message with the read fields and the Trimite button, and the time to it."""
        mark = self.fake.mark()
        started = time.perf_counter()
        self.fake.send_photo(self.chat_id, image)
        deadline = time.monotonic() + WAIT_S
        while True:
            call = self.fake.wait_call(("sendMessage", "editMessageText"), chat_id=self.chat_id, since=mark,
                                       timeout_s=max(0.1, deadline - time.monotonic()))
            if any(label.startswith("Trimite") for label, _ in call.buttons):
                return call, time.perf_counter() - started
            mark = call.index + 1

    def edit(self, fields: ApiCall, field_label: str, value: str) -> ApiCall:
        """Editează → the field's button → type `value`: the fields shown again, with their buttons."""
        choice = self.tap(fields, "Editează")
        question = self.tap(choice, field_label)
        mark = self.fake.mark()
        self.fake.send_text(self.chat_id, value)
        deadline = time.monotonic() + WAIT_S
        while True:
            call = self.fake.wait_call(("sendMessage", "editMessageText"), chat_id=self.chat_id, since=mark,
                                       timeout_s=max(0.1, deadline - time.monotonic()))
            if any(label.startswith("Trimite") for label, _ in call.buttons):
                return call
            assert call.index != question.index
            mark = call.index + 1

    def tap(self, fields: ApiCall, label: str) -> ApiCall:
        """Tap the button starting with `label` under the message `fields`; the bot's next answer."""
        data = next(data for text, data in fields.buttons if text.startswith(label))
        message_id = fields.message_id
        mark = self.fake.mark()
        self.fake.tap(self.chat_id, message_id, data)
        return self.fake.wait_call(("sendMessage", "editMessageText"), chat_id=self.chat_id, since=mark,
                                   timeout_s=WAIT_S)
