"""Login, refresh rotation and reuse detection, logout, me (login limits: test_login_limits.py)."""

from __future__ import annotations

from roa2web.app import create_app
from tests.conftest import PASSWORD, add_user, login


async def test_login_returns_tokens_and_user(app, client):
    await add_user(app, "ana", roles={"operator"}, company_ids={1, 2})
    response = await client.post("/api/auth/login", json={"username": "ANA", "password": PASSWORD})
    assert response.status_code == 200
    body = await response.get_json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    assert body["user"]["username"] == "ana"
    assert body["user"]["roles"] == ["operator"]
    assert body["user"]["company_ids"] == [1, 2]
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert (await me.get_json())["username"] == "ana"


async def test_wrong_password_and_unknown_user_are_401(app, client):
    await add_user(app, "ana", roles={"viewer"})
    for username, password in (("ana", "wrong-password"), ("nobody", PASSWORD)):
        response = await client.post("/api/auth/login", json={"username": username, "password": password})
        assert response.status_code == 401
        assert response.content_type == "application/problem+json"


async def test_disabled_user_cannot_log_in(app, client):
    user = await add_user(app, "ana", roles={"viewer"})
    from roa2web.auth import store

    await store.update_user(app.extensions["roa2web"].app_db, user.id, disabled=True)
    response = await client.post("/api/auth/login", json={"username": "ana", "password": PASSWORD})
    assert response.status_code == 401


async def test_refresh_rotates_and_reuse_revokes_the_family(app, client):
    await add_user(app, "ana", roles={"viewer"})
    first = await (await client.post("/api/auth/login", json={"username": "ana", "password": PASSWORD})).get_json()

    second_response = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second_response.status_code == 200
    second = await second_response.get_json()
    assert second["refresh_token"] != first["refresh_token"]

    reuse = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401
    # the reuse revoked the whole family, so the newest token is dead too
    after = await client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401


async def test_logout_revokes_refresh_token(app, client):
    await add_user(app, "ana", roles={"viewer"})
    tokens = await (await client.post("/api/auth/login", json={"username": "ana", "password": PASSWORD})).get_json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    response = await client.post("/api/auth/logout", json={"refresh_token": tokens["refresh_token"]}, headers=headers)
    assert response.status_code == 204
    refresh = await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401


async def test_protected_routes_need_a_valid_token(app, client):
    assert (await client.get("/api/auth/me")).status_code == 401
    bad = await client.get("/api/auth/me", headers={"Authorization": "Bearer not.a.jwt"})
    assert bad.status_code == 401
    assert (await bad.get_json())["type"].endswith("invalid-token")
    assert bad.headers["WWW-Authenticate"].startswith("Bearer")


async def test_token_signed_with_another_secret_is_refused(app, client, settings_factory, tmp_path):
    await add_user(app, "ana", roles={"viewer"})
    other = create_app(
        settings_factory(jwt_secret_key="another-secret-another-secret-1234", data_dir=tmp_path / "other")
    )
    async with other.test_app():
        await add_user(other, "ana", roles={"viewer"})
        foreign = await login(other.test_client(), "ana")
    assert (await client.get("/api/auth/me", headers=foreign)).status_code == 401
