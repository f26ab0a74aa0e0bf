"""Sessions with the app database on PostgreSQL: refresh-token rotation under concurrent requests.

Two refreshes of one token, or a refresh beside a logout or a password change, run at once in
separate transactions on PostgreSQL (and interleave on SQLite too): exactly one refresh wins, and
a reused token or an ended session leaves no live refresh token behind, whatever the interleaving.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from quart import Quart

from roa2web.app import create_app
from roa2web.auth import store
from roa2web.auth.passwords import hash_password
from roa2web.auth.tokens import new_refresh_token
from roa2web.settings import Settings
from tests.conftest import add_user
from tests.support.data_entry import ENGINES, PASSWORD, wipe_postgres

ROUNDS = 6  # each round races once; the interleavings differ from round to round
REFRESH = "/api/auth/refresh"


@pytest.fixture(params=ENGINES)
async def app(request: pytest.FixtureRequest, settings_factory: Callable[..., Settings]) -> AsyncIterator[Quart]:
    """A started app whose app database is on the engine under test."""
    url = None
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_database")
        wipe_postgres(url)
    application = create_app(settings_factory(app_db_url=url, module_data_entry_enabled=False))
    async with application.test_app():
        await add_user(application, "ana", roles={"viewer"})
        yield application


async def log_in(app: Quart) -> dict[str, str]:
    response = await app.test_client().post("/api/auth/login", json={"username": "ana", "password": PASSWORD})
    assert response.status_code == 200, await response.get_data()
    tokens: dict[str, str] = await response.get_json()
    return tokens


async def new_session(app: Quart) -> str:
    """A fresh refresh-token family of ana, stored as a login stores it (without a login's password check)."""
    db = app.extensions["roa2web"].app_db
    user = await store.get_user_by_name(db, "ana")
    assert user is not None
    token, token_hash = new_refresh_token()
    await store.store_refresh_token(db, token_hash=token_hash, family_id=uuid.uuid4().hex, user_id=user.id,
                                    lifetime=dt.timedelta(hours=1))
    return token


async def refresh(app: Quart, token: str) -> tuple[int, str | None]:
    """(status, the new refresh token when it succeeded)."""
    response = await app.test_client().post(REFRESH, json={"refresh_token": token})
    body = await response.get_json()
    return response.status_code, body.get("refresh_token") if response.status_code == 200 else None


async def test_two_refreshes_of_one_token_one_wins_and_the_reuse_ends_the_family(app):
    assert (await refresh(app, (await log_in(app))["refresh_token"]))[0] == 200  # a login's token refreshes
    for _ in range(ROUNDS):
        token = await new_session(app)
        results = await asyncio.gather(refresh(app, token), refresh(app, token))
        assert sorted(status for status, _ in results) == [200, 401]
        new_token = next(new for status, new in results if status == 200)
        assert new_token is not None
        # the losing request presented a spent token: reuse, so the winner's new token is revoked as well
        assert (await refresh(app, new_token))[0] == 401


async def test_a_logout_beside_a_refresh_leaves_no_live_token(app):
    access = (await log_in(app))["access_token"]
    for _ in range(ROUNDS):
        token = await new_session(app)
        logout = app.test_client().post("/api/auth/logout", json={"refresh_token": token},
                                        headers={"Authorization": f"Bearer {access}"})
        (status, new_token), logged_out = await asyncio.gather(refresh(app, token), logout)
        assert logged_out.status_code == 204
        if status == 200:
            assert new_token is not None
            assert (await refresh(app, new_token))[0] == 401, "a refresh token outlived the logout"


async def test_a_password_change_beside_a_refresh_leaves_no_live_token(app):
    auth = app.extensions["roa2web"].auth
    user = (await auth.provider.authenticate("ana", PASSWORD))
    assert user is not None
    password_hash = await hash_password(PASSWORD)  # the same password: only the sessions' end matters here
    for _ in range(ROUNDS):
        token = await new_session(app)
        (status, new_token), _ = await asyncio.gather(refresh(app, token), auth.set_password(user.id, password_hash))
        if status == 200:
            assert new_token is not None
            assert (await refresh(app, new_token))[0] == 401, "a refresh token outlived the password change"
