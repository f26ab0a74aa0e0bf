"""The general per-user limit: per endpoint and user, 429 problem with Retry-After, exempt views uncounted."""

from __future__ import annotations


async def test_per_user_limit_per_endpoint_with_headers_and_429(settings_factory):
    from roa2web.app import create_app
    from roa2web.auth import store
    from roa2web.auth.passwords import hash_password

    app = create_app(settings_factory(rate_limit_per_user_per_minute=3, ocr_enabled=False))
    async with app.test_app():
        db = app.extensions["roa2web"].app_db
        password_hash = await hash_password("pw-123456789")
        for name in ("ana", "dan"):
            await store.create_user(db, username=name, display_name=name, password_hash=password_hash,
                                    roles=frozenset({"viewer"}), company_ids=None)
        client = app.test_client()

        async def headers_of(name: str) -> dict[str, str]:
            response = await client.post("/api/auth/login", json={"username": name, "password": "pw-123456789"})
            return {"Authorization": f"Bearer {(await response.get_json())['access_token']}"}

        ana, dan = await headers_of("ana"), await headers_of("dan")
        answers = [await client.get("/api/companies", headers=ana) for _ in range(4)]
        assert [r.status_code for r in answers] == [200, 200, 200, 429]
        assert [r.headers.get("RateLimit-Remaining") for r in answers[:3]] == ["2", "1", "0"]
        assert answers[0].headers["RateLimit-Limit"] == "3"
        refused = answers[3]
        assert refused.content_type == "application/problem+json"
        assert 1 <= int(refused.headers["Retry-After"]) <= 20
        assert (await refused.get_json())["status"] == 429
        assert (await client.get("/api/companies", headers=dan)).status_code == 200  # another user
        assert (await client.get("/api/auth/me", headers=ana)).status_code == 200  # another endpoint
        for _ in range(5):  # rate_exempt views are not counted
            assert (await client.get("/health")).status_code == 200
