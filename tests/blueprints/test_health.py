"""/health and /ready: every part reported, fast even when Oracle accepts TCP and never answers.

Without a token /health tells only statuses; an admin's token gets the parts' figures.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from roa2web.app import create_app
from tests.conftest import admin_headers


async def test_health_reports_each_part_to_an_admin(app, client):
    response = await client.get("/health", headers=await admin_headers(app))
    assert response.status_code == 200
    body = await response.get_json()
    assert body["status"] == "ok"
    assert body["version"] and body["uptime_s"] >= 0
    assert body["modules"]["ledger"]["status"] == "ok"
    assert body["modules"]["ledger"]["kind"] == "embedded"
    assert body["modules"]["ledger"]["path"] and body["modules"]["ledger"]["size_bytes"] > 0
    assert body["modules"]["app_db"]["status"] == "ok"
    assert all("status" in part for part in body["modules"].values())


async def test_health_without_an_admin_token_tells_only_statuses(app, client, user_headers, settings):
    admin = await (await client.get("/health", headers=await admin_headers(app))).get_json()
    for headers in ({}, await user_headers("ana", roles={"viewer", "operator", "approver"})):
        response = await client.get("/health", headers=headers)
        assert response.status_code == 200
        body = await response.get_json()
        statuses = {name: {"status": module["status"]} for name, module in admin["modules"].items()}
        assert body == {"status": "ok", "modules": statuses}
        assert statuses.pop("telegram") == {"status": "disabled"}  # no TELEGRAM_BOT_TOKEN: off, not degraded
        assert set(map(str, statuses.values())) == {"{'status': 'ok'}"}
        text = (await response.get_data()).decode()
        assert str(settings.data_dir) not in text and "sqlite" not in text and "size" not in text


async def test_health_refuses_an_invalid_token_and_stays_exempt_from_rate_limits(client):
    response = await client.get("/health", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"
    for _ in range(3):
        assert (await client.get("/health")).status_code == 200


async def test_ready_follows_startup_and_shutdown(settings):
    app = create_app(settings)
    client = app.test_client()
    assert (await client.get("/ready")).status_code == 503  # before startup
    async with app.test_app():
        assert (await app.test_client().get("/ready")).status_code == 200
    assert (await client.get("/ready")).status_code == 503  # after shutdown


@pytest.fixture
def hung_listener() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word (like a wedged Oracle)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


@pytest.mark.slow
async def test_health_answers_fast_when_oracle_hangs(settings_factory, hung_listener):
    import oracledb  # noqa: F401 - required (the `all` extra the test command installs), never skipped
    settings = settings_factory(
        oracle_dsn=f"127.0.0.1:{hung_listener}/ROA", oracle_user="roa", oracle_password="x", ledger_timeout_s=30,
        auth_provider="local",
    )
    app = create_app(settings)
    async with app.test_app():
        client = app.test_client()
        headers = await admin_headers(app)
        started = time.perf_counter()
        response = await client.get("/health", headers=headers)
        elapsed = time.perf_counter() - started
        body = await response.get_json()
    # Bounded by the ledger part's 0.3 s, not the 30 s ledger timeout (generous: the machine may be busy).
    assert elapsed < 10, f"/health took {elapsed:.3f}s"
    assert "has not answered within 300 ms" in body["modules"]["ledger"]["error"]
    assert body["modules"]["ledger"]["status"] == "down"
    assert body["modules"]["ledger"]["breaker"]["state"] == "closed"  # its health query is still out
    assert body["modules"]["app_db"]["status"] == "ok"
    assert body["status"] == "degraded"
