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


async def _user_id(client, headers):
    return (await (await client.get("/api/auth/me", headers=headers)).get_json())["id"]


async def test_mine_lists_only_the_callers_jobs_newest_first(app, client, user_headers):
    await _wait_consumer(app)
    ana = await user_headers("ana", roles={"viewer"})
    dan = await user_headers("dan", roles={"operator"})
    boss = await user_headers("boss", roles={"admin"})
    ana_id, boss_id = await _user_id(client, ana), await _user_id(client, boss)
    service = app.extensions["roa2web"].jobs
    first = await service.submit("test_steps", {"steps": 1}, owner_id=ana_id, company_id=1)
    second = await service.submit("test_steps", {"steps": 1, "receipt_id": "r-42"}, owner_id=ana_id)
    bosses = await service.submit("test_steps", {"steps": 1}, owner_id=boss_id)
    await service.submit("test_steps", {"steps": 1})  # nobody's (a system job)
    for job in (first, second, bosses):
        await _finished(client, job.id, boss)

    response = await client.get("/api/tasks/mine", headers=ana)
    assert response.status_code == 200
    jobs = (await response.get_json())["jobs"]
    assert [job["job_id"] for job in jobs] == [second.id, first.id]
    assert jobs[0]["kind"] == "test_steps" and jobs[0]["state"] == "done" and jobs[0]["owner_id"] == ana_id
    assert jobs[0]["receipt_id"] == "r-42" and jobs[1]["receipt_id"] is None
    assert jobs[1]["status_url"] == f"/api/tasks/{first.id}" and jobs[1]["company_id"] == 1
    assert (await (await client.get("/api/tasks/mine", headers=dan)).get_json()) == {"jobs": []}
    admins = (await (await client.get("/api/tasks/mine", headers=boss)).get_json())["jobs"]
    assert [job["job_id"] for job in admins] == [bosses.id]  # an admin's own, not everyone's
    assert (await client.get("/api/tasks/mine")).status_code == 401


async def test_mine_filters_by_state_and_bounds_the_limit(app, client, user_headers):
    await _wait_consumer(app)
    ana = await user_headers("ana", roles={"viewer"})
    ana_id = await _user_id(client, ana)
    service = app.extensions["roa2web"].jobs
    done = [await service.submit("test_steps", {"steps": 1}, owner_id=ana_id) for _ in range(3)]
    failed = await service.submit("test_broken", {}, owner_id=ana_id)
    for job in (*done, failed):
        await _finished(client, job.id, ana)

    async def ids(**query):
        response = await client.get("/api/tasks/mine", query_string=query, headers=ana)
        assert response.status_code == 200, await response.get_data(as_text=True)
        return [job["job_id"] for job in (await response.get_json())["jobs"]]

    assert await ids(state="failed") == [failed.id]
    assert await ids(state="done") == [job.id for job in reversed(done)]
    assert await ids(state="running") == []
    assert await ids(limit=2) == [failed.id, done[2].id]
    assert len(await ids(limit=200)) == 4
    for query in ({"limit": 0}, {"limit": 1000}, {"limit": "multe"}, {"state": "finished"}):
        response = await client.get("/api/tasks/mine", query_string=query, headers=ana)
        assert response.status_code == 400, query
        assert response.headers["Content-Type"].startswith("application/problem+json")
        body = await response.get_json()
        assert body["detail"].startswith("Parametrii adresei nu sunt valizi")
        assert [error["loc"] for error in body["errors"]] == [[next(iter(query))]]
    zero = await (await client.get("/api/tasks/mine", query_string={"limit": 0}, headers=ana)).get_json()
    many = await (await client.get("/api/tasks/mine", query_string={"limit": 1000}, headers=ana)).get_json()
    assert zero["errors"][0]["msg"] == "Trebuie să fie cel puțin 1"
    assert many["errors"][0]["msg"] == "Trebuie să fie cel mult 200"


async def test_mine_is_not_taken_for_a_job_id(app, client, user_headers):
    ana = await user_headers("ana", roles={"viewer"})
    response = await client.get("/api/tasks/mine", headers=ana)
    assert response.status_code == 200 and "jobs" in await response.get_json()
    assert app.url_map.bind("localhost").match("/api/tasks/mine", method="GET")[0] == "tasks.my_jobs"
    assert app.url_map.bind("localhost").match("/api/tasks/mine2", method="GET")[0] == "tasks.job_status"
