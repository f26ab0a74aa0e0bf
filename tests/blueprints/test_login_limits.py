"""The login limit over HTTP: failures only, per client, sliding window, the owner never locked out by others."""

from __future__ import annotations

import asyncio

from roa2web.app import create_app
from tests.conftest import PASSWORD, add_user

FROM_PROXY = {"client": ("127.0.0.1", 1234)}
WRONG = "greșită-123"  # a wrong password  # a trusted proxy: X-Forwarded-For names the client


def login_body(username: str, password: str = WRONG) -> dict[str, str]:
    return {"username": username, "password": password}


async def test_five_failures_per_client_then_429_problem(settings_factory):
    app = create_app(settings_factory(login_rate_limit=5))
    async with app.test_app():
        client = app.test_client()
        statuses = [
            (await client.post("/api/auth/login", json=login_body(f"u{i}"))).status_code for i in range(5)
        ]
        assert statuses == [401] * 5
        limited = await client.post("/api/auth/login", json=login_body("u9"))
        assert limited.status_code == 429
        assert limited.content_type == "application/problem+json"
        assert 295 <= int(limited.headers["Retry-After"]) <= 300
        body = await limited.get_json()
        assert body["title"] == "Prea multe cereri" and "încercați din nou peste" in body["detail"]
        assert limited.headers["Cache-Control"] == "no-store"
        # One set of RateLimit headers: the general limit's (quart-rate-limiter), 600 a minute.
        assert limited.headers.getlist("RateLimit-Limit") == ["600"]


async def test_successful_logins_do_not_count(settings_factory):
    app = create_app(settings_factory(login_rate_limit=3))
    async with app.test_app():
        await add_user(app, "ana", roles={"viewer"})
        client = app.test_client()
        statuses = [(await client.post("/api/auth/login", json=login_body("ana", PASSWORD))).status_code
                    for _ in range(6)]
        assert statuses == [200] * 6
        failures = [(await client.post("/api/auth/login", json=login_body("ana"))).status_code for _ in range(4)]
        assert failures == [401, 401, 401, 429]


async def test_others_failures_do_not_lock_the_owner_out(settings_factory):
    app = create_app(settings_factory(login_rate_limit=5, login_rate_limit_per_username=5))
    async with app.test_app():
        await add_user(app, "victim", roles={"viewer"})
        client = app.test_client()

        async def attempt(address: str, password: str = WRONG) -> int:
            response = await client.post("/api/auth/login", json=login_body("victim", password),
                                         headers={"X-Forwarded-For": address}, scope_base=FROM_PROXY)
            return response.status_code

        assert [await attempt(f"203.0.113.{i}") for i in range(5)] == [401] * 5  # five guessers, one each
        assert await attempt("203.0.113.2") == 429  # the username's ceiling holds back those who failed on it
        assert await attempt("203.0.113.2", PASSWORD) == 429  # even with the right password: it is a guesser
        assert await attempt("198.51.100.7", PASSWORD) == 200  # the owner, who never failed, gets in
        assert await attempt("192.0.2.1") == 401  # a new address gets one guess...
        assert await attempt("192.0.2.1") == 429  # ...and is held back after it


async def test_concurrent_guesses_cannot_pass_the_limit_together(settings_factory):
    app = create_app(settings_factory(login_rate_limit=5))
    async with app.test_app():
        client = app.test_client()
        replies = await asyncio.gather(
            *(client.post("/api/auth/login", json=login_body(f"u{i}")) for i in range(12))
        )
        statuses = sorted(reply.status_code for reply in replies)
        assert statuses == [401] * 5 + [429] * 7


async def test_the_window_slides_no_refill_and_retry_after_is_truthful(settings_factory):
    """3 failures per 20 s: a token bucket would let one more in 6.7 s later; a sliding window does not.

    The throttle's clock is the test's, so no real time passes and no machine is too slow for it.
    """
    app = create_app(settings_factory(login_rate_limit=3, login_rate_period_s=20))
    async with app.test_app():
        now = [1000.0]
        app.extensions["roa2web"].services.auth.throttle.clock = lambda: now[0]
        client = app.test_client()
        for _ in range(3):  # failures at 1000, 1001 and 1002 s
            assert (await client.post("/api/auth/login", json=login_body("ana"))).status_code == 401
            now[0] += 1
        now[0] = 1002 + 7.5  # past the refill a token bucket would give after the last failure
        refused = await client.post("/api/auth/login", json=login_body("ana"))
        assert refused.status_code == 429
        # truthful: when the first failure leaves the window, rounded up to whole seconds
        assert int(refused.headers["Retry-After"]) == 11  # 1000 + 20 - 1009.5 = 10.5
        now[0] += 10
        assert (await client.post("/api/auth/login", json=login_body("ana"))).status_code == 429
        now[0] += 1
        assert (await client.post("/api/auth/login", json=login_body("ana"))).status_code == 401
