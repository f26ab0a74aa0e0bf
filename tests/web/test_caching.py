"""Downloads of the firm's data (report and receipt exports, attachments) are never kept by a shared cache,
and no other reply of the app says `public` (issue 11, M6)."""

from __future__ import annotations

import io
import re

import pytest
from quart import Response
from quart.datastructures import FileStorage

from roa2web.web.caching import PRIVATE_NO_STORE, is_static_page, never_public
from tests.support.data_entry import receipt_payload, wait_for
from tests.support.upload_files import image_bytes

RECEIPTS = "/api/data-entry/receipts"
TB = {"company_id": 1, "year": 2025, "month_from": 1, "month_to": 3}


@pytest.fixture
def data_entry_db_url() -> None:
    """SQLite only: the headers do not depend on the database engine."""
    return None


@pytest.fixture
def de_settings(settings_factory, data_entry_db_url):
    return settings_factory(data_entry_db_url=data_entry_db_url, ocr_enabled=False, queue_max_delay_s=0.1)


async def finished(client, headers, status_url) -> dict:
    async def done():
        status = await (await client.get(status_url, headers=headers)).get_json()
        return status if status["state"] in ("done", "failed", "cancelled") else None

    status = await wait_for(done, timeout_s=120)
    assert status["state"] == "done", status
    return status


async def downloads(client, ana, bogdan) -> dict[str, str]:
    """Make one of each private file; their download URLs (the caller downloads them as bogdan)."""
    response = await client.post(RECEIPTS, json=receipt_payload(), headers=ana)
    receipt_id = (await response.get_json())["id"]
    upload = FileStorage(io.BytesIO(image_bytes("PNG")), filename="bon.png", content_type="image/png")
    attached = await client.post(f"{RECEIPTS}/{receipt_id}/attachments", files={"file": upload}, headers=ana)
    attachment_id = (await attached.get_json())["id"]
    await client.post(f"{RECEIPTS}/{receipt_id}/submit", json={}, headers=ana)
    assert (await client.post(f"{RECEIPTS}/{receipt_id}/approve", json={}, headers=bogdan)).status_code == 200

    receipts = await client.post("/api/data-entry/exports", headers=bogdan,
                                 json={"company_id": 2, "date_from": "2025-12-01", "date_to": "2025-12-31"})
    report = await client.post("/api/reports/exports", json={"report": "trial_balance", "params": TB},
                               headers=bogdan)
    receipts_done = await finished(client, bogdan, (await receipts.get_json())["status_url"])
    report_done = await finished(client, bogdan, (await report.get_json())["status_url"])
    return {
        "attachment": f"{RECEIPTS}/{receipt_id}/attachments/{attachment_id}",
        "receipts_xlsx": receipts_done["downloads"]["xlsx"],
        "receipts_csv": receipts_done["downloads"]["csv"],
        "report_xlsx": report_done["downloads"]["xlsx"],
    }


async def test_every_download_of_private_data_is_private_and_no_reply_is_public(de_app, de_client, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    urls = await downloads(de_client, ana, bogdan)
    seen = {}
    for name, url in urls.items():
        response = await de_client.get(url, headers=bogdan)
        seen[name] = (response.headers.get("Cache-Control"), response.headers.get("Expires"))
        assert await response.get_data(), name
    assert seen == dict.fromkeys(urls, (PRIVATE_NO_STORE, None))

    # every other GET route of the app, its path parameters filled with real ids where one fits
    ids = {"receipt_id": urls["attachment"].split("/")[4], "attachment_id": urls["attachment"].split("/")[6],
           "job_id": urls["report_xlsx"].split("/")[4]}
    checked = 0
    for rule in de_app.url_map.iter_rules():
        if "GET" not in rule.methods or is_static_page(rule.rule):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda match: ids.get(match.group(1), "x"), rule.rule)
        response = await de_client.get(path, query_string={"company_id": 2}, headers=bogdan)
        cache_control = response.headers.get("Cache-Control", "")
        assert "public" not in cache_control, (rule.rule, response.status_code, cache_control)
        checked += 1
    assert checked >= 20


async def test_static_pages_may_stay_public(de_client):
    response = await de_client.get("/")
    assert response.status_code == 200 and "public" in response.headers["Cache-Control"]


def test_a_reply_that_would_be_public_becomes_private_unless_a_static_page():
    def public_reply() -> Response:
        response = Response(b"data")
        response.cache_control.public = True
        response.cache_control.max_age = 43200
        response.headers["Expires"] = "Sun, 06 Dec 2026 05:10:36 GMT"
        return response

    for path in ("/api/reports/exports/abc/download", "/health", "/openapi.json", "/documents"):
        reply = never_public(path, public_reply())
        assert (reply.headers["Cache-Control"], reply.headers.get("Expires")) == (PRIVATE_NO_STORE, None), path
    for path in ("/", "/docs", "/docs/static/swagger-ui.css"):
        assert never_public(path, public_reply()).cache_control.public, path
