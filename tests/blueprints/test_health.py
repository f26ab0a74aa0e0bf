"""/health and /ready: every part reported, fast even when Oracle accepts TCP and never answers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from roa2web.app import create_app


async def test_health_reports_each_part(client):
    response = await client.get("/health")
    assert response.status_code == 200
    body = await response.get_json()
    assert body["status"] == "ok"
    assert body["version"]
    assert body["modules"]["ledger"]["status"] == "ok"
    assert body["modules"]["ledger"]["kind"] == "embedded"
    assert body["modules"]["app_db"]["status"] == "ok"
    assert all("status" in part for part in body["modules"].values())


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
        oracle_dsn=f"127.0.0.1:{hung_listener}/ROA", oracle_user="roa", oracle_password="x", ledger_timeout_s=30
    )
    app = create_app(settings)
    async with app.test_app():
        client = app.test_client()
        started = time.perf_counter()
        response = await client.get("/health")
        elapsed = time.perf_counter() - started
        body = await response.get_json()
    assert elapsed < 0.5, f"/health took {elapsed:.3f}s"
    assert body["modules"]["ledger"]["status"] == "down"
    assert body["modules"]["app_db"]["status"] == "ok"
    assert body["status"] == "degraded"
