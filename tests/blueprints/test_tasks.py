"""`/api/tasks`: the dashboard figures for admins, one job's status for its owner or an admin."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parents[1] / "jobs" / "plugins"


@pytest.fixture
def settings(settings_factory, monkeypatch):
    """The test job kinds, a fast queue, no OCR model loading."""
    monkeypatch.syspath_prepend(str(PLUGINS))
    return settings_factory(queue_handler_modules=["roa2web_test_jobs"], queue_max_delay_s=0.1, ocr_enabled=False)


async def _finished(client, job_id, headers):
    for _ in range(200):
        body = await (await client.get(f"/api/tasks/{job_id}", headers=headers)).get_json()
        if body["state"] in {"done", "failed", "cancelled"}:
            return body
        await asyncio.sleep(0.02)
    raise AssertionError(f"job {job_id} did not finish: {body}")


async def _wait_consumer(app):
    part = app.extensions["roa2web"].queue_part
    for _ in range(500):
        if part.consumer is not None:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("no consumer")


async def test_job_status_for_owner_and_admin_only(app, client, user_headers):
    await _wait_consumer(app)
    ana = await user_headers("ana", roles={"viewer"})
    dan = await user_headers("dan", roles={"viewer"})
    boss = await user_headers("boss", roles={"admin"})
    ana_id = (await (await client.get("/api/auth/me", headers=ana)).get_json())["id"]
    job = await app.extensions["roa2web"].jobs.submit("test_steps", {"steps": 2}, owner_id=ana_id,
                                                                 company_id=1)
    body = await _finished(client, job.id, ana)
    assert body["state"] == "done" and body["progress"] == 100 and body["kind"] == "test_steps"
    assert body["job_id"] == job.id and body["status_url"] == f"/api/tasks/{job.id}" and body["downloads"] == {}
    assert body["message"] == "Finalizat"
    assert body["owner_id"] == ana_id and body["company_id"] == 1 and body["attempts"] == 1
    assert body["created_at"].endswith("Z") and body["finished_at"]
    assert (await client.get(f"/api/tasks/{job.id}", headers=boss)).status_code == 200
    hidden = await client.get(f"/api/tasks/{job.id}", headers=dan)
    assert hidden.status_code == 404 and (await hidden.get_json())["type"].endswith("job-not-found")
    assert (await client.get("/api/tasks/nope", headers=boss)).status_code == 404
    assert (await client.get(f"/api/tasks/{job.id}")).status_code == 401


async def test_dashboard_is_for_admins(app, client, user_headers):
    await _wait_consumer(app)
    ana = await user_headers("ana", roles={"operator", "approver"})
    boss = await user_headers("boss", roles={"admin"})
    service = app.extensions["roa2web"].jobs
    done = await service.submit("test_steps", {"steps": 1})
    failed = await service.submit("test_broken", {})
    await _finished(client, done.id, boss)
    await _finished(client, failed.id, boss)
    assert (await client.get("/api/tasks", headers=ana)).status_code == 403
    response = await client.get("/api/tasks", headers=boss)
    assert response.status_code == 200
    body = await response.get_json()
    assert body["jobs"]["done"] == 1 and body["jobs"]["failed"] == 1
    assert body["backend"]["reachable"] is True and body["pending"] == 0
    assert (body["workers_alive"], body["workers_total"], body["workers_busy"]) == (2, 2, 0)
    assert {row["id"]: row["state"] for row in body["recent"]} == {done.id: "done", failed.id: "failed"}
    assert next(row for row in body["recent"] if row["id"] == failed.id)["error"].startswith("PermanentJobError")


async def test_cancel_and_retry_over_http(app, client, user_headers):
    await _wait_consumer(app)
    ana = await user_headers("ana", roles={"viewer"})
    boss = await user_headers("boss", roles={"admin"})
    ana_id = (await (await client.get("/api/auth/me", headers=ana)).get_json())["id"]
    service = app.extensions["roa2web"].jobs
    job = await service.submit("test_steps", {"steps": 400, "step_s": 0.02}, owner_id=ana_id)
    cancelled = await client.post(f"/api/tasks/{job.id}/cancel", headers=ana)
    assert cancelled.status_code == 200
    assert (await _finished(client, job.id, ana))["state"] == "cancelled"
    assert (await client.post(f"/api/tasks/{job.id}/cancel", headers=ana)).status_code == 409
    assert (await client.post(f"/api/tasks/{job.id}/retry", headers=ana)).status_code == 403
    retried = await client.post(f"/api/tasks/{job.id}/retry", headers=boss)
    assert retried.status_code == 200 and (await retried.get_json())["state"] == "queued"
    await client.post(f"/api/tasks/{job.id}/cancel", headers=boss)
    assert (await _finished(client, job.id, boss))["state"] == "cancelled"
