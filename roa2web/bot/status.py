"""What /health says about the bot: disabled, connecting, running or error, with the last error and update."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class BotState(StrEnum):
    """Where the bot is: no token, trying to reach the Bot API, answering chats, or failing."""

    DISABLED = "disabled"
    CONNECTING = "connecting"
    RUNNING = "running"
    ERROR = "error"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class BotStatus:
    """The bot's state, updated by its start loop, its HTTP requests and its updates; read by /health."""

    state: BotState = BotState.DISABLED
    mode: str = "polling"
    username: str | None = None
    last_error: str | None = None
    last_error_at: dt.datetime | None = None
    last_update_at: dt.datetime | None = None
    attempts: int = 0
    secrets: tuple[str, ...] = field(default=(), repr=False)  # never shown: the token, the webhook secret
    _retry_at: float | None = field(default=None, repr=False)

    def connecting(self) -> None:
        """A start attempt begins."""
        self.state = BotState.CONNECTING
        self.attempts += 1
        self._retry_at = None

    def started(self, username: str | None) -> None:
        """The bot answered getMe and is receiving updates."""
        self.state = BotState.RUNNING
        self.username = username
        self._retry_at = None

    def failed(self, error: str, *, retry_in_s: float | None = None) -> None:
        """A start attempt or a request failed; `retry_in_s`: when the next start attempt comes."""
        self.state = BotState.ERROR
        for secret in self.secrets:
            error = error.replace(secret, "***")
        self.last_error = error
        self.last_error_at = _utc_now()
        self._retry_at = time.monotonic() + retry_in_s if retry_in_s is not None else None

    def request_ok(self) -> None:
        """A Bot API request succeeded: a running bot that had failed is running again."""
        if self.state is BotState.ERROR and self._retry_at is None:
            self.state = BotState.RUNNING

    def update_received(self) -> None:
        """An update (message, button tap) arrived."""
        self.last_update_at = _utc_now()

    def stopped(self) -> None:
        """The bot was shut down."""
        self.state = BotState.DISABLED if self.state is BotState.DISABLED else BotState.CONNECTING
        self._retry_at = None

    def snapshot(self) -> dict[str, Any]:
        """The part's health: `status` and, for an admin, the figures."""
        if self.state is BotState.DISABLED:
            return {"status": BotState.DISABLED.value, "reason": "TELEGRAM_BOT_TOKEN is not set"}
        report: dict[str, Any] = {
            "status": self.state.value,
            "mode": self.mode,
            "username": self.username,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "last_error_at": self.last_error_at.isoformat() if self.last_error_at else None,
            "last_update_at": self.last_update_at.isoformat() if self.last_update_at else None,
        }
        if self._retry_at is not None:
            report["retry_in_s"] = round(max(0.0, self._retry_at - time.monotonic()), 1)
        return report
