"""Access tokens: the principal comes back from a valid token; expired, forged or tampered ones are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from roa2web.auth.principal import Principal
from roa2web.auth.tokens import InvalidToken, issue_access_token, read_access_token

SECRET = "s" * 40
ANA = Principal("u1", "ana", "Ana", frozenset({"viewer"}), frozenset({1, 2}))


def test_a_valid_token_names_its_principal():
    assert read_access_token(issue_access_token(ANA, SECRET, dt.timedelta(minutes=15)), SECRET) == ANA


def test_an_expired_token_is_refused():
    with pytest.raises(InvalidToken, match="expired"):
        read_access_token(issue_access_token(ANA, SECRET, dt.timedelta(seconds=-1)), SECRET)


def test_forged_and_tampered_tokens_are_refused():
    with pytest.raises(InvalidToken):
        read_access_token(issue_access_token(ANA, "x" * 40, dt.timedelta(minutes=15)), SECRET)
    valid = issue_access_token(ANA, SECRET, dt.timedelta(minutes=15))
    with pytest.raises(InvalidToken):
        read_access_token(valid[:-2] + ("AA" if not valid.endswith("AA") else "BB"), SECRET)
