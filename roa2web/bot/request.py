"""PTB's HTTP client with its outcome recorded in the bot's status (the Bot API reachable or not)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, override

from telegram.error import NetworkError
from telegram.request import HTTPXRequest

from roa2web.bot.status import BotStatus


class TrackedRequest(HTTPXRequest):
    """An HTTPXRequest that tells `status` when the Bot API answers and when it cannot be reached.

    Errors about one chat (a blocked bot, a message not modified) are not the bot's health: only
    network failures and a refused token are recorded.
    """

    def __init__(self, status: BotStatus, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._status = status

    @override
    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except NetworkError as exc:
            self._status.failed(f"{type(exc).__name__}: {exc}")
            raise
        if code == HTTPStatus.UNAUTHORIZED:  # what the Bot API answers to a wrong token
            self._status.failed("the Bot API refused the token (Unauthorized)")
        elif code < HTTPStatus.INTERNAL_SERVER_ERROR:
            self._status.request_ok()
        return code, payload
