"""The per-chat limit: N messages in any 60 seconds, per chat, with the wait named in Romanian."""

from __future__ import annotations

import pytest

from roa2web.bot.guard import ChatRateLimiter, TooManyMessages


def test_a_chat_gets_its_limit_per_minute_and_another_chat_its_own() -> None:
    now = [1000.0]
    limiter = ChatRateLimiter(3, clock=lambda: now[0])
    for _ in range(3):
        limiter.check(1)
    with pytest.raises(TooManyMessages) as refused:
        limiter.check(1)
    assert refused.value.status == 429
    assert "60 secunde" in refused.value.detail
    limiter.check(2)  # another chat is not held back
    now[0] += 59.0
    with pytest.raises(TooManyMessages):
        limiter.check(1)
    now[0] += 1.0  # the first message is a minute old now
    limiter.check(1)
