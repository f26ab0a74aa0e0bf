"""Token attacks against a real app with a real secret: every one is a 401 problem in Romanian, never a 500.

Forgeries (the development secret, alg none, another key, RS256, HS512), lifetimes (expired, exp in
2100, iat in the future), validly signed tokens with malformed claims, tokens of the wrong kind,
refresh replay, and sessions that must end with the account: password change, disable, rights change.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from typing import Any

import jwt
import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from quart import Quart

from roa2web.app import create_app
from roa2web.auth import accounts, store
from roa2web.auth.passwords import hash_password
from roa2web.settings import DEFAULT_JWT_SECRET
from tests.conftest import PASSWORD, add_user

SECRET = secrets.token_urlsafe(48)  # a real secret, as `roa2web init` writes one


@pytest.fixture
async def app(settings_factory):
    application = create_app(settings_factory(jwt_secret_key=SECRET))
    async with application.test_app():
        yield application


async def log_in(client: Any, username: str, password: str = PASSWORD) -> dict[str, Any]:
    response = await client.post("/api/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, await response.get_data()
    body: dict[str, Any] = await response.get_json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def claims_of(user: store.User, **changes: Any) -> dict[str, Any]:
    """The claims the app itself would write for `user`, changed as the attack needs."""
    now = int(dt.datetime.now(dt.UTC).timestamp())
    claims: dict[str, Any] = {
        "sub": user.id, "usr": user.username, "name": user.display_name, "roles": sorted(user.roles),
        "cos": "*", "typ": "access", "ver": user.token_version, "iat": now, "exp": now + 600, "jti": "x",
    }
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not ...}  # ... drops a claim


async def assert_refused(client: Any, headers: dict[str, str], path: str = "/api/tasks") -> None:
    response = await client.get(path, headers=headers)
    assert response.status_code == 401, (response.status_code, await response.get_data())
    assert response.content_type == "application/problem+json"
    body = await response.get_json()
    assert body["title"] == "Neautentificat"
    assert "autentificați-vă din nou" in body["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_a_genuine_token_works(app):
    admin = await add_user(app, "root", roles={"admin"})
    client = app.test_client()
    assert (await client.get("/api/tasks", headers=bearer(jwt.encode(claims_of(admin), SECRET)))).status_code == 200


async def test_h2_forgery_with_the_development_secret_is_refused(app):
    """The attack run's H2: a made-up admin signed with the secret published in the source."""
    admin = await add_user(app, "root", roles={"admin"})
    client = app.test_client()
    for claims in (claims_of(admin), claims_of(admin, sub="f" * 32, usr="ghost")):
        await assert_refused(client, bearer(jwt.encode(claims, DEFAULT_JWT_SECRET, algorithm="HS256")))


async def test_a_token_of_a_user_who_does_not_exist_is_refused_even_with_our_key(app):
    ghost = store.User("f" * 32, "ghost", "Ghost", None, None, frozenset({"admin"}), None, "local", False)
    await assert_refused(app.test_client(), bearer(jwt.encode(claims_of(ghost), SECRET)))


def _unsigned(claims: dict[str, Any], alg: str = "none") -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(orjson.dumps(data)).rstrip(b"=").decode()

    return f"{part({'alg': alg, 'typ': 'JWT'})}.{part(claims)}."


async def test_other_algorithms_and_keys_are_refused(app):
    admin = await add_user(app, "root", roles={"admin"})
    client = app.test_client()
    claims = claims_of(admin)
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = {
        "alg none": _unsigned(claims),
        "alg NONE": _unsigned(claims, "NONE"),
        "HS256 with a signature stripped": jwt.encode(claims, SECRET).rsplit(".", 1)[0] + ".",
        "another key": jwt.encode(claims, secrets.token_urlsafe(48)),
        "RS256 (HS/RS confusion)": jwt.encode(claims, rsa_key, algorithm="RS256"),
        "HS512 with our key": jwt.encode(claims, SECRET, algorithm="HS512"),
    }
    for name, token in forged.items():
        response = await client.get("/api/tasks", headers=bearer(token))
        assert response.status_code == 401, name


async def test_lifetimes_expired_far_future_and_issued_in_the_future(app):
    admin = await add_user(app, "root", roles={"admin"})
    client = app.test_client()
    now = int(dt.datetime.now(dt.UTC).timestamp())
    year_2100 = int(dt.datetime(2100, 1, 1, tzinfo=dt.UTC).timestamp())
    for changes in (
        {"iat": now - 1200, "exp": now - 600},  # expired
        {"exp": year_2100},  # the attack run's exp in 2100, signed with our key
        {"iat": now, "exp": now + 15 * 60 + 120},  # two minutes longer than ACCESS_TOKEN_MINUTES
        {"iat": year_2100 - 600, "exp": year_2100},  # a short life, but far in the future
        {"iat": now + 3600, "exp": now + 3900},  # issued an hour from now
    ):
        await assert_refused(client, bearer(jwt.encode(claims_of(admin, **changes), SECRET)))


MALFORMED: dict[str, dict[str, Any]] = {
    "sub a number": {"sub": 12345},
    "sub a list": {"sub": ["a"]},
    "sub missing": {"sub": ...},
    "usr missing": {"usr": ...},
    "usr null": {"usr": None},
    "name a dict": {"name": {"x": 1}},
    "roles a string": {"roles": "admin"},
    "roles a number": {"roles": 7},
    "roles of numbers": {"roles": [1, 2]},
    "roles unknown": {"roles": ["root"]},
    "cos a list": {"cos": [1, 2]},
    "cos a number": {"cos": 1},
    "cos not numbers": {"cos": "a,b"},
    "cos a huge integer": {"cos": "9" * 5000},
    "ver missing": {"ver": ...},
    "ver a string": {"ver": "0"},
    "ver negative": {"ver": -1},
    "typ missing": {"typ": ...},
    "typ refresh": {"typ": "refresh"},
    "iat a string": {"iat": "yesterday"},
    "iat missing": {"iat": ...},
    "exp a string": {"exp": "tomorrow"},
    "a huge extra claim": {"junk": "x" * 200_000},
}


async def test_validly_signed_tokens_with_malformed_claims_are_401(app):
    admin = await add_user(app, "root", roles={"admin"})
    client = app.test_client()
    answers = {}
    for name, changes in MALFORMED.items():
        response = await client.get("/api/tasks", headers=bearer(jwt.encode(claims_of(admin, **changes), SECRET)))
        answers[name] = response.status_code
        if response.status_code == 401:
            await assert_refused(client, bearer(jwt.encode(claims_of(admin, **changes), SECRET)))
    assert answers == dict.fromkeys(MALFORMED, 401)


async def test_tokens_of_the_wrong_kind_are_refused(app):
    await add_user(app, "ana", roles={"admin"})
    client = app.test_client()
    tokens = await log_in(client, "ana")
    await assert_refused(client, bearer(tokens["refresh_token"]))  # refresh used as access
    as_refresh = await client.post("/api/auth/refresh", json={"refresh_token": tokens["access_token"]})
    assert as_refresh.status_code == 401 and as_refresh.content_type == "application/problem+json"
    assert (await client.get("/api/tasks", headers=bearer(tokens["access_token"]))).status_code == 200


async def test_refresh_replay_revokes_the_whole_family(app):
    await add_user(app, "ana", roles={"viewer"})
    client = app.test_client()
    first = await log_in(client, "ana")
    other_session = await log_in(client, "ana")
    second = await (await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})).get_json()
    replay = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    assert (await client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]})).status_code == 401
    # another family (another device) is not touched by the replay
    assert (await client.post("/api/auth/refresh", json={"refresh_token": other_session["refresh_token"]})
            ).status_code == 200


async def test_a_password_change_ends_every_session_at_once(app):
    user = await add_user(app, "ana", roles={"admin"})
    client = app.test_client()
    sessions = [await log_in(client, "ana") for _ in range(2)]  # two devices, two families
    assert (await client.get("/api/tasks", headers=bearer(sessions[0]["access_token"]))).status_code == 200

    auth = app.extensions["roa2web"].auth
    assert await auth.set_password(user.id, await hash_password("parola-noua-123"))

    for session in sessions:
        await assert_refused(client, bearer(session["access_token"]))
        refresh = await client.post("/api/auth/refresh", json={"refresh_token": session["refresh_token"]})
        assert refresh.status_code == 401
    fresh = await log_in(client, "ana", "parola-noua-123")
    assert (await client.get("/api/tasks", headers=bearer(fresh["access_token"]))).status_code == 200


async def test_disable_refuses_the_access_token_at_once(app):
    user = await add_user(app, "ana", roles={"admin"})
    client = app.test_client()
    tokens = await log_in(client, "ana")
    assert (await client.get("/api/tasks", headers=bearer(tokens["access_token"]))).status_code == 200  # cached
    await app.extensions["roa2web"].auth.set_disabled(user.id, True)
    await assert_refused(client, bearer(tokens["access_token"]))
    await assert_refused(client, bearer(tokens["access_token"]), "/api/companies")
    assert (await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})).status_code == 401
    await app.extensions["roa2web"].auth.set_disabled(user.id, False)
    await assert_refused(client, bearer(tokens["access_token"]))  # enabling does not revive old tokens
    assert (await client.get("/api/tasks", headers=bearer((await log_in(client, "ana"))["access_token"]))
            ).status_code == 200


async def test_a_rights_change_ends_access_tokens_and_refresh_brings_the_new_rights(app):
    user = await add_user(app, "ana", roles={"admin"})
    client = app.test_client()
    tokens = await log_in(client, "ana")
    auth = app.extensions["roa2web"].auth
    await store.update_user(auth.db, user.id, roles=frozenset({"viewer"}))
    auth.user_states.forget(user.id)
    await assert_refused(client, bearer(tokens["access_token"]))
    renewed = await (await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})).get_json()
    assert renewed["user"]["roles"] == ["viewer"]
    assert (await client.get("/api/tasks", headers=bearer(renewed["access_token"]))).status_code == 403


async def _second_instance(settings_factory, app: Quart, **overrides: Any) -> Quart:
    settings = app.extensions["roa2web"].settings
    return create_app(settings_factory(jwt_secret_key=SECRET, data_dir=settings.data_dir, **overrides))


async def test_another_instance_sees_a_change_within_its_cache_time(settings_factory):
    """Two instances on one app database: a disable made through A reaches B within TOKEN_CHECK_CACHE_S."""
    import asyncio
    import time

    first = create_app(settings_factory(jwt_secret_key=SECRET, token_check_cache_s=1.0, queue_in_process=False))
    async with first.test_app():
        user = await add_user(first, "ana", roles={"admin"})
        tokens = await log_in(first.test_client(), "ana")
        second = await _second_instance(settings_factory, first, token_check_cache_s=1.0, queue_in_process=False)
        async with second.test_app():
            other = second.test_client()
            assert (await other.get("/api/tasks", headers=bearer(tokens["access_token"]))).status_code == 200
            changed = time.monotonic()
            await first.extensions["roa2web"].auth.set_disabled(user.id, True)
            await assert_refused(first.test_client(), bearer(tokens["access_token"]))  # here: at once
            deadline = changed + 30  # generous: the machine may be loaded; the cache holds 1 s
            while (await other.get("/api/tasks", headers=bearer(tokens["access_token"]))).status_code == 200:
                assert time.monotonic() < deadline, "the other instance never noticed the disable"
                await asyncio.sleep(0.1)
            await assert_refused(other, bearer(tokens["access_token"]))


async def test_the_cli_path_ends_sessions_too(app):
    """`roa2web users passwd|disable|logout` call these (another process: seen within the cache time)."""
    user = await add_user(app, "ana", roles={"admin"})
    client = app.test_client()
    auth = app.extensions["roa2web"].auth
    for change in (
        lambda: accounts.set_password(auth.db, user.id, "argon2-hash-of-something"),
        lambda: accounts.end_sessions(auth.db, user.id),
    ):
        await store.update_user(auth.db, user.id, password_hash=await hash_password(PASSWORD))
        tokens = await log_in(client, "ana")
        await change()
        auth.user_states.forget(user.id)  # what the cache's expiry does in a server that did not make the change
        await assert_refused(client, bearer(tokens["access_token"]))
        assert (await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
                ).status_code == 401


async def test_token_replies_are_not_cached(app):
    await add_user(app, "ana", roles={"viewer"})
    client = app.test_client()
    login = await client.post("/api/auth/login", json={"username": "ana", "password": PASSWORD})
    refresh = await client.post("/api/auth/refresh", json={"refresh_token": (await login.get_json())["refresh_token"]})
    failed = await client.post("/api/auth/login", json={"username": "ana", "password": "greșită-123"})
    for response in (login, refresh, failed):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Pragma"] == "no-cache"


@pytest.mark.postgres
async def test_sessions_end_with_the_account_on_postgresql(settings_factory, postgres_database):
    """The token-version migration and the checks on PostgreSQL (the app database of several instances)."""
    from tests.support.data_entry import wipe_postgres

    wipe_postgres(postgres_database)
    application = create_app(settings_factory(jwt_secret_key=SECRET, app_db_url=postgres_database))
    async with application.test_app():
        user = await add_user(application, "ana", roles={"admin"})
        client = application.test_client()
        auth = application.extensions["roa2web"].auth
        tokens = await log_in(client, "ana")
        assert (await client.get("/api/tasks", headers=bearer(tokens["access_token"]))).status_code == 200
        await auth.set_password(user.id, await hash_password("parola-noua-123"))
        await assert_refused(client, bearer(tokens["access_token"]))
        assert (await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
                ).status_code == 401
        fresh = await log_in(client, "ana", "parola-noua-123")
        await auth.set_disabled(user.id, True)
        await assert_refused(client, bearer(fresh["access_token"]))
        assert (await store.get_user(auth.db, user.id)).token_version == 2


async def test_an_unreadable_users_table_is_a_503_and_health_still_answers(settings_factory):
    """The token check reads the users table: when it fails, a 503 problem (not a 500, not a pass)."""
    application = create_app(settings_factory(jwt_secret_key=SECRET, token_check_cache_s=0))
    async with application.test_app():
        await add_user(application, "root", roles={"admin"})
        client = application.test_client()
        tokens = await log_in(client, "root")
        db = application.extensions["roa2web"].app_db
        await db.aio_execute_sql("ALTER TABLE users RENAME TO users_away")
        try:
            response = await client.get("/api/companies", headers=bearer(tokens["access_token"]))
            assert response.status_code == 503
            assert response.content_type == "application/problem+json"
            assert "autentificării nu este disponibilă" in (await response.get_json())["detail"]
            health = await client.get("/health", headers=bearer(tokens["access_token"]))
            assert health.status_code in (200, 503)
            assert "version" not in await health.get_json()  # answered, without the admin's figures
        finally:
            await db.aio_execute_sql("ALTER TABLE users_away RENAME TO users")
        assert (await client.get("/api/companies", headers=bearer(tokens["access_token"]))).status_code == 200
