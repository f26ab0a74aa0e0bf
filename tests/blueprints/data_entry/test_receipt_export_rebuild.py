"""An expired ROA export is rebuilt under its id with the same receipts and bytes, or released by an admin:
its receipts back to APPROVED (with history) for a new export, the export void."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import time
import zipfile

from roa2web.jobs.store import JobRow
from roa2web.tasks.exports import delete_expired_exports
from tests.blueprints.data_entry.test_receipt_exports_api import DECEMBER, EXPORTS, RECEIPTS, approved, run_export
from tests.conftest import admin_headers
from tests.support.data_entry import wait_for


async def expire(app, job_id: str) -> None:
    """Age the export's files past EXPORT_TTL_HOURS and run the exports housekeeping, as every consumer does."""
    runtime = app.extensions["roa2web"]
    job_dir = runtime.settings.data_path("exports", job_id)
    old = time.time() - runtime.settings.export_ttl_hours * 3600 - 60
    for path in job_dir.iterdir():
        os.utime(path, (old, old))
    assert await delete_expired_exports(runtime) >= 1
    assert not job_dir.exists()


async def downloads(client, headers, job_id: str) -> dict[str, bytes]:
    files = {}
    for fmt in ("csv", "xlsx"):
        response = await client.get(f"{EXPORTS}/{job_id}/download", query_string={"format": fmt}, headers=headers)
        assert response.status_code == 200, await response.get_data()
        files[fmt] = await response.get_data()
    return files


def csv_receipts(content: bytes) -> set[str]:
    return {row[0] for row in list(csv.reader(io.StringIO(content.decode("utf-8"))))[1:]}


async def history(client, headers, receipt_id: str) -> list[dict]:
    return (await (await client.get(f"{RECEIPTS}/{receipt_id}/history", headers=headers)).get_json())["items"]


async def receipt(client, headers, receipt_id: str) -> dict:
    return await (await client.get(f"{RECEIPTS}/{receipt_id}", headers=headers)).get_json()


async def problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status, await response.get_data()
    assert response.content_type == "application/problem+json"
    body = await response.get_json()
    assert body["type"].endswith(f"/{kind}"), body
    return body


async def test_an_expired_export_is_rebuilt_with_the_same_receipts_into_the_same_bytes(de_app, de_client, as_user):
    ana, bogdan, carmen = await as_user("ana"), await as_user("bogdan"), await as_user("carmen")
    first = await approved(de_client, ana, bogdan, document_number="1")
    second = await approved(de_client, ana, bogdan, document_number="2", payment_method="cash",
                            buyer_cif_present=False)
    status = await run_export(de_client, bogdan, DECEMBER)
    assert (status["state"], status["receipts"]) == ("done", 2), status
    job_id = status["job_id"]
    original = await downloads(de_client, bogdan, job_id)
    assert csv_receipts(original["csv"]) == {first, second}
    later = await approved(de_client, ana, bogdan, document_number="3")  # in the period, not in the export

    await expire(de_app, job_id)
    await problem(await de_client.get(status["downloads"]["csv"], headers=bogdan), 410, "export-expired")

    assert (await de_client.post(f"{EXPORTS}/{job_id}/rebuild", headers=ana)).status_code == 403  # no approver
    other = await run_export(de_client, bogdan, {**DECEMBER, "company_id": 1})
    hidden = await de_client.post(f"{EXPORTS}/{other['job_id']}/rebuild", headers=carmen)  # not her company
    await problem(hidden, 404, "not-found")
    missing = await de_client.post(f"{EXPORTS}/{'f' * 32}/rebuild", headers=bogdan)
    assert (await missing.get_json())["detail"] == (await hidden.get_json())["detail"].replace(other["job_id"],
                                                                                                 "f" * 32)

    response = await de_client.post(f"{EXPORTS}/{job_id}/rebuild", headers=carmen)  # an approver of company 2
    assert response.status_code == 202, await response.get_data()
    accepted = await response.get_json()
    assert response.headers["Location"] == accepted["status_url"] == status["status_url"]  # the same export
    assert accepted["job_id"] == job_id and accepted["state"] == "queued" and accepted["downloads"] == {}

    async def done():
        current = await (await de_client.get(status["status_url"], headers=bogdan)).get_json()
        return current if current["state"] in ("done", "failed") else None

    rebuilt = await wait_for(done, timeout_s=60)
    assert (rebuilt["state"], rebuilt["receipts"], rebuilt["release"]) == ("done", 2, None), rebuilt
    assert await downloads(de_client, bogdan, job_id) == original  # the same receipts, byte for byte
    for receipt_id in (first, second):
        entries = await history(de_client, ana, receipt_id)
        assert [(e["action"], e["username"], e["from_state"], e["to_state"]) for e in entries[-2:]] == [
            ("export", "bogdan", "APPROVED", "EXPORTED"), ("rebuild", "carmen", "EXPORTED", "EXPORTED")]
        assert (await receipt(de_client, ana, receipt_id))["state"] == "EXPORTED"
    assert (await receipt(de_client, ana, later))["state"] == "APPROVED"

    # the XLSX's stamps are the export's start, not the clock: a start long ago shows in the rebuilt file
    start = dt.datetime(2025, 12, 31, 17, 45, 30)
    await JobRow.update(created_at=start).where(JobRow.id == job_id).aio_execute(de_app.extensions["roa2web"].app_db)
    assert (await de_client.post(f"{EXPORTS}/{job_id}/rebuild", headers=bogdan)).status_code == 202
    await wait_for(done, timeout_s=60)
    with zipfile.ZipFile(io.BytesIO((await downloads(de_client, bogdan, job_id))["xlsx"])) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2025, 12, 31, 17, 45, 30)}
        assert archive.read("docProps/core.xml").decode().count("2025-12-31T17:45:30Z") == 2

    empty = await run_export(de_client, bogdan, {**DECEMBER, "date_from": "2025-12-20"})
    assert (empty["state"], empty["receipts"]) == ("done", 0)  # a rebuild would plan the period anew: refused
    refused = await problem(await de_client.post(f"{EXPORTS}/{empty['job_id']}/rebuild", headers=bogdan), 409,
                            "export-empty")
    assert "nu conține niciun bon" in refused["detail"]


async def test_an_admin_releases_an_export_its_receipts_approved_again_with_history(de_app, de_client, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    admin = await admin_headers(de_app)
    first = await approved(de_client, ana, bogdan, document_number="1")
    second = await approved(de_client, ana, bogdan, document_number="2")
    status = await run_export(de_client, bogdan, DECEMBER)
    job_id = status["job_id"]
    versions = {rid: (await receipt(de_client, ana, rid))["version"] for rid in (first, second)}
    await expire(de_app, job_id)

    refused = await de_client.post(f"{EXPORTS}/{job_id}/release", headers=bogdan)  # an approver, not an admin
    assert (await problem(refused, 403, "role-forbidden"))["detail"].startswith("Acțiunea cere")
    await problem(await de_client.post(f"{EXPORTS}/{'f' * 32}/release", headers=admin), 404, "not-found")

    response = await de_client.post(f"{EXPORTS}/{job_id}/release", headers=admin)
    assert response.status_code == 200, await response.get_data()
    released = await response.get_json()
    assert (released["job_id"], released["receipts"], released["downloads"]) == (job_id, 0, {})
    assert released["release"]["receipts"] == 2 and released["release"]["released_by"].startswith("Admin-")
    for receipt_id in (first, second):
        current = await receipt(de_client, ana, receipt_id)
        assert (current["state"], current["exported_at"]) == ("APPROVED", None)
        assert current["version"] == versions[receipt_id] + 1
        last = (await history(de_client, ana, receipt_id))[-1]
        assert (last["action"], last["from_state"], last["to_state"]) == ("release", "EXPORTED", "APPROVED")
        assert last["name"] == released["release"]["released_by"] and job_id in last["comment"]
        assert last["username"].startswith("admin-")
        assert last["description"] == "Scos din exportul anulat; din nou aprobat"

    again = await problem(await de_client.post(f"{EXPORTS}/{job_id}/release", headers=admin), 409,
                          "export-released")
    assert "a fost anulat de Admin-" in again["detail"] and "(2)" in again["detail"]
    rebuild = await problem(await de_client.post(f"{EXPORTS}/{job_id}/rebuild", headers=bogdan), 409,
                            "export-released")
    assert "Nu se mai poate reface" in rebuild["detail"]
    gone = await problem(await de_client.get(f"{EXPORTS}/{job_id}/download", headers=bogdan), 410,
                         "export-released")
    assert "nu se mai descarcă" in gone["detail"]
    shown = await (await de_client.get(status["status_url"], headers=bogdan)).get_json()
    assert shown["release"] == released["release"] and shown["downloads"] == {}

    fresh = await run_export(de_client, bogdan, DECEMBER)  # the released receipts go into a new export
    assert (fresh["state"], fresh["receipts"]) == ("done", 2), fresh
    assert csv_receipts((await downloads(de_client, bogdan, fresh["job_id"]))["csv"]) == {first, second}
    assert [e["action"] for e in (await history(de_client, ana, first))][-3:] == ["export", "release", "export"]


async def test_a_running_export_is_neither_rebuilt_nor_released(de_app, de_client, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    admin = await admin_headers(de_app)
    await approved(de_client, ana, bogdan)
    status = await run_export(de_client, bogdan, DECEMBER)
    db, job_id = de_app.extensions["roa2web"].app_db, status["job_id"]
    await JobRow.update(state="running").where(JobRow.id == job_id).aio_execute(db)  # as while a worker runs it
    for action, headers in (("rebuild", bogdan), ("release", admin)):
        response = await de_client.post(f"{EXPORTS}/{job_id}/{action}", headers=headers)
        body = await problem(response, 409, "export-not-ready")
        assert "este în lucru" in body["detail"], body
    await JobRow.update(state="done").where(JobRow.id == job_id).aio_execute(db)
    assert (await de_client.post(f"{EXPORTS}/{job_id}/release", headers=admin)).status_code == 200


async def test_the_routes_and_their_problems_are_in_the_openapi_document(de_client):
    spec = await (await de_client.get("/openapi.json")).get_json()
    rebuild = spec["paths"][f"{EXPORTS}/{{job_id}}/rebuild"]["post"]["responses"]
    release = spec["paths"][f"{EXPORTS}/{{job_id}}/release"]["post"]["responses"]
    assert {"202", "401", "403", "404", "409", "503"} <= set(rebuild)
    assert {"200", "401", "403", "404", "409"} <= set(release)
    for code in ("403", "404", "409"):
        assert list(rebuild[code]["content"]) == list(release[code]["content"]) == ["application/problem+json"]
    download = spec["paths"][f"{EXPORTS}/{{job_id}}/download"]["get"]["responses"]
    assert "410" in download
