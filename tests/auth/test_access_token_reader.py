"""AccessTokenReader: verified tokens remembered until they expire, never invalid ones, bounded."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from roa2web.auth.principal import Principal
from roa2web.auth.tokens import AccessTokenReader, InvalidToken, issue_access_token, read_access_token

SECRET = "s" * 40
ANA = Principal("u1", "ana", "Ana", frozenset({"viewer"}), frozenset({1, 2}))


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC).timestamp()

    def __call__(self) -> float:
        return self.now


def test_a_verified_token_is_answered_from_memory_until_it_expires():
    clock = Clock()
    reader = AccessTokenReader(SECRET, clock=clock)
    token = issue_access_token(ANA, SECRET, dt.timedelta(minutes=15))
    first = reader.read(token)
    assert first == ANA == read_access_token(token, SECRET)
    assert reader.read(token) is first  # remembered, not decoded again
    clock.now += 15 * 60 + 1  # the reader's clock passes exp: the memory is dropped, the token decoded anew
    again = reader.read(token)
    assert again == ANA and again is not first


def test_an_expired_token_is_refused_even_when_it_was_remembered():
    reader = AccessTokenReader(SECRET)
    token = issue_access_token(ANA, SECRET, dt.timedelta(seconds=1))
    assert reader.read(token) == ANA
    time.sleep(1.1)
    with pytest.raises(InvalidToken):
        reader.read(token)
    assert token not in reader._verified


def test_invalid_tokens_are_refused_every_time_and_not_remembered():
    reader = AccessTokenReader(SECRET)
    forged = issue_access_token(ANA, "x" * 40, dt.timedelta(minutes=15))
    for _ in range(2):
        with pytest.raises(InvalidToken):
            reader.read(forged)
    valid = issue_access_token(ANA, SECRET, dt.timedelta(minutes=15))
    with pytest.raises(InvalidToken):
        reader.read(valid[:-2] + ("AA" if not valid.endswith("AA") else "BB"))  # tampered signature
    assert reader.read(valid) == ANA


def test_memory_is_bounded_oldest_first():
    reader = AccessTokenReader(SECRET, max_entries=3)
    tokens = [issue_access_token(ANA, SECRET, dt.timedelta(minutes=m + 1)) for m in range(5)]
    for token in tokens:
        reader.read(token)
    assert list(reader._verified) == tokens[2:]
