"""A fake Telegram Bot API on loopback: the real python-telegram-bot client talks to it over HTTP.

It answers the methods the bot uses (getMe, getUpdates with long polling, sendMessage, sendPhoto,
sendDocument, editMessageText, editMessageReplyMarkup, answerCallbackQuery, sendChatAction, getFile
and the file download, setWebhook, deleteWebhook, setMyCommands), records every call, and plays
the users: `send_text`, `send_photo`, `send_document` and `tap` queue updates for getUpdates, or
post them to the webhook the bot set (with its secret header).

It runs on its own thread and event loop (Quart on Hypercorn), so a test's loop never stalls it.
`python -m tests.support.fake_bot_api --port 8081` runs it alone, steered over `/_fake/...`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from hypercorn.asyncio import serve
from hypercorn.config import Config
from quart import Quart, Response, request

from tests.support.ports import free_port as free_port

TOKEN = "123456:FAKE-token-for-tests"
BOT_ID = 123456
BOT_USERNAME = "roa2web_test_bot"
# Parameters PTB sends as plain strings (the others come JSON-encoded).
STRING_PARAMS = frozenset({"text", "caption", "parse_mode", "callback_query_id", "url", "secret_token", "file_id",
                           "action", "data", "certificate", "document", "photo"})


@dataclass
class ApiCall:
    """One request the bot made: the method, its parameters (decoded), uploaded files by field name.

    `result` is what the fake answered (set just after the call is recorded: read it via `answer()`).
    """

    index: int
    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    file_names: dict[str, str] = field(default_factory=dict)  # the uploads' names, by field name
    arrived: float = field(default_factory=time.perf_counter)
    result: Any = None
    answered: threading.Event = field(default_factory=threading.Event, repr=False)

    def answer(self, timeout_s: float = 30.0) -> Any:
        """The fake's answer to this call (waits until it was given)."""
        if not self.answered.wait(timeout_s):
            raise TimeoutError(f"{self.method} was not answered within {timeout_s} s")
        return self.result

    @property
    def message_id(self) -> int:
        """The id of the message this call sent or edited."""
        if "message_id" in self.params:
            return int(self.params["message_id"])
        return int(self.answer()["message_id"])

    @property
    def chat_id(self) -> int | None:
        """The chat the call is about, if any."""
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        """The text or caption sent."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback data or url) of every inline button."""
        markup = self.params.get("reply_markup") or {}
        return [(button["text"], button.get("callback_data") or button.get("url") or "")
                for row in markup.get("inline_keyboard", []) for button in row]

    def file(self) -> bytes:
        """The single uploaded file's bytes."""
        assert len(self.files) == 1, f"{self.method} uploaded {len(self.files)} files"
        return next(iter(self.files.values()))


@dataclass
class FakeBotApi:
    """The server and its state; every public method is safe to call from any thread."""

    port: int = field(default_factory=free_port)
    token: str = TOKEN
    username: str = BOT_USERNAME
    calls: list[ApiCall] = field(default_factory=list)
    webhook_url: str | None = None
    webhook_secret: str | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    failing: set[str] = field(default_factory=set)  # methods answered with a 500 (e.g. {"setMyCommands"})
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _stop: asyncio.Event | None = None
    _update_added: asyncio.Event | None = None

    @property
    def base_url(self) -> str:
        """TELEGRAM_API_BASE_URL for the bot."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def file_base_url(self) -> str:
        """TELEGRAM_FILE_BASE_URL (also what the API base derives)."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- running
    def start(self) -> FakeBotApi:
        """Serve on 127.0.0.1:`port` until `stop()`; returns once it accepts connections."""
        started = threading.Event()

        def run() -> None:
            asyncio.run(self._serve(started))

        self._thread = threading.Thread(target=run, name="fake-bot-api", daemon=True)
        self._thread.start()
        if not started.wait(30):
            raise RuntimeError("the fake Bot API did not start within 30 s")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"the fake Bot API does not accept connections on port {self.port}")

    def stop(self) -> None:
        """Stop serving (open long polls end)."""
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(30)
        self._thread = None

    async def _serve(self, started: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._update_added = asyncio.Event()
        config = Config()
        config.bind = [f"127.0.0.1:{self.port}"]
        config.graceful_timeout = 1
        config.accesslog = None
        config.errorlog = None
        started.set()
        await serve(_app(self), config, shutdown_trigger=self._stop.wait)  # type: ignore[arg-type]

    # --- what the bot did
    def record(self, method: str, params: dict[str, Any], files: dict[str, bytes],
               file_names: dict[str, str] | None = None) -> ApiCall:
        """Note a call (the server does this for every request)."""
        with self._cond:
            call = ApiCall(len(self.calls), method, params, files, file_names or {})
            self.calls.append(call)
            self._cond.notify_all()
            return call

    def mark(self) -> int:
        """The index the next call will have: pass it as `since` to wait only for later calls."""
        with self._cond:
            return len(self.calls)

    def wait_call(self, method: str | tuple[str, ...], *, chat_id: int | None = None, since: int = 0,
                  contains: str | None = None, timeout_s: float = 30.0) -> ApiCall:
        """The first call at or after `since` of `method` (to `chat_id`, with `contains` in its text); blocks."""
        methods = (method,) if isinstance(method, str) else method
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while True:
                for call in self.calls[since:]:
                    if (call.method in methods and (chat_id is None or call.chat_id == chat_id)
                            and (contains is None or contains in call.text)):
                        return call
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.method, c.chat_id, c.text[:80]) for c in self.calls[since:]]
                    raise TimeoutError(f"no {methods} to chat {chat_id} containing {contains!r} in {timeout_s} s;"
                                       f" calls since {since}: {seen}")
                self._cond.wait(left)

    async def next_call(self, method: str | tuple[str, ...], **kwargs: Any) -> ApiCall:
        """`wait_call` from async code (the wait runs on a thread)."""
        return await asyncio.to_thread(self.wait_call, method, **kwargs)

    # --- the users' side
    def add_file(self, data: bytes, suffix: str = "jpg") -> str:
        """Store bytes the bot may download; returns their file_id."""
        file_id = f"file-{next(self._ids)}"
        with self._cond:
            self.files[file_id] = data
        return file_id

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update (or post it to the webhook); returns its update_id."""
        with self._cond:
            update = {"update_id": 1000 + len(self._updates), **update}
            self._updates.append(update)
            webhook = self.webhook_url
        if webhook:
            headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret} if self.webhook_secret else {}
            response = httpx.post(webhook, json=update, headers=headers, timeout=30)
            response.raise_for_status()
        elif self._loop is not None and self._update_added is not None:
            self._loop.call_soon_threadsafe(self._update_added.set)
        return int(update["update_id"])

    def _message(self, chat_id: int, user_id: int | None, chat_type: str, **content: Any) -> dict[str, Any]:
        user_id = user_id or chat_id
        user = {"id": user_id, "is_bot": False, "first_name": "Utilizator", "username": f"u{user_id}"}
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "Grup"
        return {"message_id": next(self._ids), "date": int(time.time()), "chat": chat, "from": user, **content}

    def send_text(self, chat_id: int, text: str, *, user_id: int | None = None, chat_type: str = "private") -> int:
        """A user writes `text` (a /command gets its entity, as Telegram sends it)."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self.push({"message": self._message(chat_id, user_id, chat_type, **content)})

    def send_photo(self, chat_id: int, data: bytes, *, caption: str | None = None, user_id: int | None = None) -> int:
        """A user sends a photo (Telegram's sizes: we give one, the original)."""
        file_id = self.add_file(data)
        size = {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 1000, "height": 1000,
                "file_size": len(data)}
        extra = {"caption": caption} if caption else {}
        return self.push({"message": self._message(chat_id, user_id, "private", photo=[size], **extra)})

    def send_document(self, chat_id: int, data: bytes, *, file_name: str, mime_type: str,
                      user_id: int | None = None) -> int:
        """A user sends a file as a document."""
        file_id = self.add_file(data)
        document = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": file_name,
                    "mime_type": mime_type, "file_size": len(data)}
        return self.push({"message": self._message(chat_id, user_id, "private", document=document)})

    def tap(self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None) -> int:
        """A user taps an inline button with callback `data` under message `message_id`."""
        user = {"id": user_id or chat_id, "is_bot": False, "first_name": "Utilizator"}
        message = {"message_id": message_id, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
                   "from": {"id": BOT_ID, "is_bot": True, "first_name": "ROA2WEB", "username": self.username},
                   "text": "…"}
        query = {"id": str(next(self._ids)), "from": user, "chat_instance": str(chat_id), "data": data,
                 "message": message}
        return self.push({"callback_query": query})

    def _updates_after(self, offset: int) -> list[dict[str, Any]]:
        with self._cond:
            return [update for update in self._updates if update["update_id"] >= offset]


def bot_settings(fake: FakeBotApi, **overrides: object) -> dict[str, object]:
    """Settings that point the bot at `fake`, with short retry waits."""
    return {
        "telegram_bot_token": fake.token,
        "telegram_api_base_url": fake.base_url,
        "telegram_retry_initial_s": 0.2,
        "telegram_retry_max_s": 1.0,
        **overrides,
    }


def _decode(values: dict[str, str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key, raw in values.items():
        if key in STRING_PARAMS:
            params[key] = raw
            continue
        try:
            params[key] = json.loads(raw)
        except ValueError:
            params[key] = raw
    return params


def _ok(result: Any) -> Response:
    return Response(json.dumps({"ok": True, "result": result}), content_type="application/json")


def _error(code: int, description: str) -> Response:
    body = json.dumps({"ok": False, "error_code": code, "description": description})
    return Response(body, status=code, content_type="application/json")


def _app(fake: FakeBotApi) -> Quart:
    app = Quart("fake-bot-api")
    bot_user = {"id": BOT_ID, "is_bot": True, "first_name": "ROA2WEB", "username": fake.username,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

    def sent(params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        return {"message_id": next(fake._ids), "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
                "from": bot_user, **content}

    @app.post("/bot<token>/<method>")
    async def api(token: str, method: str) -> Response:
        if token != fake.token:
            return _error(401, "Unauthorized")
        form = await request.form
        uploads = await request.files
        params = _decode(dict(form))
        if request.is_json:
            params.update(await request.get_json())
        files = {name: storage.read() for name, storage in uploads.items()}
        names = {name: storage.filename or "" for name, storage in uploads.items()}
        call = fake.record(method, params, files, names)
        if method in fake.failing:
            response = _error(500, "Internal Server Error: failing on purpose")
        else:
            response = await answer(method, params)
        call.result = json.loads(await response.get_data()).get("result")
        call.answered.set()
        return response

    async def answer(method: str, params: dict[str, Any]) -> Response:
        if method == "getMe":
            return _ok(bot_user)
        if method == "getUpdates":
            return _ok(await long_poll(int(params.get("offset") or 0), float(params.get("timeout") or 0)))
        if method in ("sendMessage", "editMessageText"):
            message = sent(params, text=params.get("text", ""))
            if method == "editMessageText":
                message["message_id"] = int(params.get("message_id", message["message_id"]))
            return _ok(message)
        if method == "sendPhoto":
            photo = [{"file_id": "sent-photo", "file_unique_id": "sp", "width": 1000, "height": 560}]
            return _ok(sent(params, photo=photo, caption=params.get("caption")))
        if method == "sendDocument":
            document = {"file_id": "sent-doc", "file_unique_id": "sd", "file_name": "document"}
            return _ok(sent(params, document=document, caption=params.get("caption")))
        if method == "editMessageReplyMarkup":
            return _ok(sent(params, text="…"))
        if method in ("answerCallbackQuery", "sendChatAction", "setMyCommands", "deleteMyCommands"):
            return _ok(True)
        if method == "getFile":
            file_id = str(params["file_id"])
            if file_id not in fake.files:
                return _error(400, "Bad Request: invalid file_id")
            return _ok({"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(fake.files[file_id]),
                        "file_path": f"photos/{file_id}.jpg"})
        if method == "setWebhook":
            fake.webhook_url = str(params["url"]) or None
            fake.webhook_secret = params.get("secret_token")
            return _ok(True)
        if method == "deleteWebhook":
            fake.webhook_url = None
            fake.webhook_secret = None
            return _ok(True)
        if method == "getWebhookInfo":
            return _ok({"url": fake.webhook_url or "", "has_custom_certificate": False, "pending_update_count": 0})
        return _error(404, "Not Found")

    async def long_poll(offset: int, timeout_s: float) -> list[dict[str, Any]]:
        assert fake._update_added is not None and fake._stop is not None
        deadline = time.monotonic() + timeout_s
        while True:
            updates = fake._updates_after(offset)
            left = deadline - time.monotonic()
            if updates or left <= 0 or fake._stop.is_set() or fake.webhook_url:
                return updates
            fake._update_added.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(fake._update_added.wait(), min(left, 1.0))

    @app.get("/file/bot<token>/photos/<file_id>.jpg")
    async def download(token: str, file_id: str) -> Response:
        if token != fake.token or file_id not in fake.files:
            return _error(404, "Not Found")
        return Response(fake.files[file_id], content_type="application/octet-stream")

    # --- steering from another process (benchmarks, a scripted conversation)
    @app.post("/_fake/text")
    async def control_text() -> Response:
        body = await request.get_json()
        return _ok({"update_id": await asyncio.to_thread(fake.send_text, int(body["chat_id"]), str(body["text"]))})

    @app.post("/_fake/photo/<int:chat_id>")
    async def control_photo(chat_id: int) -> Response:
        return _ok({"update_id": await asyncio.to_thread(fake.send_photo, chat_id, await request.get_data())})

    @app.post("/_fake/tap")
    async def control_tap() -> Response:
        body = await request.get_json()
        update_id = await asyncio.to_thread(fake.tap, int(body["chat_id"]), int(body["message_id"]), str(body["data"]))
        return _ok({"update_id": update_id})

    @app.get("/_fake/calls")
    async def control_calls() -> Response:
        since = int(request.args.get("since", 0))
        return _ok([{"index": c.index, "method": c.method, "params": c.params, "file_sizes":
                     {k: len(v) for k, v in c.files.items()}} for c in fake.calls[since:]])

    return app


def main() -> None:
    """Run the fake alone: `python -m tests.support.fake_bot_api --port 8081`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=TOKEN)
    args = parser.parse_args()
    fake = FakeBotApi(port=args.port, token=args.token).start()
    print(f"fake Bot API on {fake.base_url} (token {fake.token}); Ctrl+C stops it", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
