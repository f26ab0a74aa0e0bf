"""Access tokens: the principal comes back from a valid token; expired, forged or tampered ones are refused.

The attacks over HTTP (forgery with the development secret, alg none, far-future exp, malformed
claims...) are in tests/security/test_token_attacks.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from roa2web.auth.principal import Principal
from roa2web.auth.tokens import InvalidToken, issue_access_token, read_access_token

SECRET = "s" * 40
LIFETIME = dt.timedelta(minutes=15)
ANA = Principal("u1", "ana", "Ana", frozenset({"viewer"}), frozenset({1, 2}))


def test_a_valid_token_names_its_principal_and_version():
    token = read_access_token(issue_access_token(ANA, SECRET, LIFETIME, version=3), SECRET, LIFETIME)
    assert token.principal == ANA
    assert token.version == 3


def test_an_expired_token_is_refused():
    with pytest.raises(InvalidToken, match="expired"):
        read_access_token(issue_access_token(ANA, SECRET, dt.timedelta(seconds=-1)), SECRET, LIFETIME)


def test_forged_and_tampered_tokens_are_refused():
    with pytest.raises(InvalidToken):
        read_access_token(issue_access_token(ANA, "x" * 40, LIFETIME), SECRET, LIFETIME)
    valid = issue_access_token(ANA, SECRET, LIFETIME)
    with pytest.raises(InvalidToken):
        read_access_token(valid[:-2] + ("AA" if not valid.endswith("AA") else "BB"), SECRET, LIFETIME)


def test_a_token_living_longer_than_the_lifetime_is_refused():
    long_lived = issue_access_token(ANA, SECRET, dt.timedelta(minutes=16))
    with pytest.raises(InvalidToken, match="more than the 900 s allowed"):
        read_access_token(long_lived, SECRET, LIFETIME)
