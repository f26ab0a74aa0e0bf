"""Work that must be queued is refused with 503 + Retry-After when the queue backend is unreachable."""

from __future__ import annotations

import io
import socket

import pytest
from quart.datastructures import FileStorage

from tests.conftest import add_user, login
from tests.support.receipt_images import receipt_sample


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def unreachable_queue_app(settings_factory):
    """The app with its Redis queue pointed at a closed port (no consumer here, OCR on)."""
    from roa2web.app import create_app

    app = create_app(settings_factory(queue_backend="redis", queue_url=f"redis://127.0.0.1:{closed_port()}/0",
                                      queue_in_process=False, ocr_enabled=True))
    async with app.test_app():
        yield app


async def assert_queue_unavailable(response) -> None:
    assert response.status_code == 503, await response.get_data()
    assert response.content_type == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    body = await response.get_json()
    assert body["type"].endswith("/queue-unavailable") and body["status"] == 503
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert "redis" not in body["detail"].lower() and "127.0.0.1" not in body["detail"]  # no internals


async def test_every_queued_door_answers_503_with_retry_after(unreachable_queue_app):
    app = unreachable_queue_app
    client = app.test_client()
    await add_user(app, "ana", roles={"viewer", "operator", "approver"})
    headers = await login(client, "ana")

    report = await client.post("/api/reports/exports", headers=headers, json={
        "report": "trial_balance", "params": {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 3}})
    await assert_queue_unavailable(report)

    receipts = await client.post("/api/data-entry/exports", headers=headers,
                                 json={"company_id": 2, "date_from": "2025-12-01", "date_to": "2025-12-31"})
    await assert_queue_unavailable(receipts)

    photo = {"photo": FileStorage(io.BytesIO(receipt_sample(0, "clean").data), filename="bon.jpg")}
    ocr = await client.post("/api/data-entry/ocr", form={"company_id": "2"}, files=photo, headers=headers)
    await assert_queue_unavailable(ocr)

    jobs = app.extensions["roa2web"].jobs
    assert {str(job.state) for job in await jobs.list()} == {"failed"}  # none left waiting for a lost message
