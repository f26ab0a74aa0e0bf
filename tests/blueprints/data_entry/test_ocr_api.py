"""OCR over HTTP, end to end: generated receipt photos → the real queue and OCR engine → filled DRAFTs."""

from __future__ import annotations

import io

import pytest
from quart.datastructures import FileStorage

from tests.conftest import admin_headers
from tests.support.data_entry import wait_for
from tests.support.receipt_content import ReceiptTruth
from tests.support.receipt_images import receipt_sample

OCR = "/api/data-entry/ocr"
RECEIPTS = "/api/data-entry/receipts"
# seeds whose receipt date falls in an open period of the demo ledger, across the three layouts
SAMPLES = [(0, "clean"), (20, "clean"), (28, "degraded"), (118, "degraded")]


@pytest.fixture
def de_settings(settings_factory, data_entry_db_url):
    """OCR on."""
    return settings_factory(data_entry_db_url=data_entry_db_url, app_db_url=data_entry_db_url, ocr_enabled=True)


def photo(data: bytes, name: str = "bon.jpg") -> dict[str, FileStorage]:
    return {"photo": FileStorage(io.BytesIO(data), filename=name)}


async def upload(client, headers, data: bytes, company_id: int = 2) -> dict:
    response = await client.post(OCR, form={"company_id": str(company_id)}, files=photo(data), headers=headers)
    assert response.status_code == 202, await response.get_data()
    body = await response.get_json()
    assert response.headers["Location"] == body["status_url"] == f"{OCR}/{body['job_id']}"
    return body


async def finished(client, headers, job_id: str) -> dict:
    async def done():
        response = await client.get(f"{OCR}/{job_id}", headers=headers)
        assert response.status_code == 200, await response.get_data()
        body = await response.get_json()
        return body if body["state"] in ("done", "failed", "cancelled") else None

    return await wait_for(done, timeout_s=90)


def expected(truth: ReceiptTruth) -> dict:
    return {
        "supplier_name": truth.supplier_name,
        "supplier_cif": truth.supplier_cif,
        "document_number": truth.receipt_number,
        "receipt_date": truth.date.isoformat(),
        "total": truth.total_bani / 100,
        "vat_lines": [{"rate": g.rate, "base": g.base_bani / 100, "vat": g.vat_bani / 100} for g in truth.vat_groups],
        "payment_method": truth.payment_method,
        "buyer_cif_present": truth.buyer_cif is not None,
    }


async def test_photos_become_filled_drafts(de_client, as_user):
    ana = await as_user("ana")
    for seed, kind in SAMPLES:
        sample = receipt_sample(seed, kind)
        accepted = await upload(de_client, ana, sample.data)
        status = await finished(de_client, ana, accepted["job_id"])
        assert status["state"] == "done", status
        assert status["progress"] == 100 and status["finished_at"] and status["error"] is None
        assert status["downloads"] == {} and status["receipt_id"] == accepted["receipt_id"]
        truth = sample.truth
        fields = {name: field["value"] for name, field in status["fields"].items()}
        assert all(0 <= field["confidence"] <= 1 for field in status["fields"].values())
        assert fields["buyer_cif"] == truth.buyer_cif
        assert fields["time"] == truth.time
        assert truth.supplier_name in " ".join(status["raw_text"].split())

        receipt = await (await de_client.get(f"{RECEIPTS}/{accepted['receipt_id']}", headers=ana)).get_json()
        assert receipt["state"] == "DRAFT" and receipt["source"] == "ocr"
        assert {name: receipt[name] for name in expected(truth)} == expected(truth), (seed, kind)
        assert {name: fields[name] for name in expected(truth) if name != "buyer_cif_present"} == {
            name: value for name, value in expected(truth).items() if name != "buyer_cif_present"}
        assert receipt["expense_account"] == ("6022" if truth.supplier_name == "ALFA PETROL SRL" else "6028")
        assert receipt["edited_fields"] == []
        assert len(receipt["attachments"]) == 1
        assert receipt["ocr"]["state"] == "done" and receipt["ocr"]["confidence"]["total"] > 0.5
        assert set(receipt["ocr"]["applied"]) >= {"supplier_name", "total", "vat_lines", "receipt_date"}
        entries = await de_client.get(f"{RECEIPTS}/{accepted['receipt_id']}/entries", headers=ana)
        assert entries.status_code == 200


async def test_an_ocr_job_is_the_job_resource_plus_what_ocr_read(de_client, as_user):
    ana = await as_user("ana")
    accepted = await upload(de_client, ana, receipt_sample(0, "clean").data)
    job_keys = {"job_id", "title", "status_url", "state", "progress", "message", "downloads", "created_at",
                "finished_at", "error"}
    assert set(accepted) == job_keys | {"receipt_id", "fields", "raw_text", "applied", "warnings", "receipt"}
    assert accepted["state"] in ("queued", "running", "done") and accepted["downloads"] == {}
    assert accepted["receipt"]["ocr"]["job_id"] == accepted["job_id"]
    status = await finished(de_client, ana, accepted["job_id"])
    assert set(status) == set(accepted) and status["state"] == "done"
    assert status["receipt"]["ocr"]["state"] == "done" and status["receipt"]["ocr"]["error"] is None
    task = await (await de_client.get(f"/api/tasks/{accepted['job_id']}", headers=ana)).get_json()
    assert (task["state"], task["status_url"]) == ("done", accepted["status_url"])  # one state, everywhere
    assert accepted["title"] == task["title"] == "Citire bon (OCR)"


async def test_the_filled_draft_goes_through_the_workflow_and_duplicates_are_flagged(de_client, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    data = receipt_sample(113, "clean").data
    first = await upload(de_client, ana, data)
    assert (await finished(de_client, ana, first["job_id"]))["state"] == "done"
    second = await upload(de_client, ana, data)
    status = await finished(de_client, ana, second["job_id"])
    duplicates = [w for w in status["receipt"]["warnings"] if w["kind"] == "duplicate"]
    assert duplicates and duplicates[0]["receipt_ids"] == [first["receipt_id"]]

    submitted = await de_client.post(f"{RECEIPTS}/{first['receipt_id']}/submit", json={}, headers=ana)
    assert submitted.status_code == 200, await submitted.get_data()
    approved = await de_client.post(f"{RECEIPTS}/{first['receipt_id']}/approve", json={}, headers=bogdan)
    assert (await approved.get_json())["state"] == "APPROVED"


async def test_rerun_keeps_what_the_user_edited(de_client, as_user):
    ana = await as_user("ana")
    accepted = await upload(de_client, ana, receipt_sample(20, "clean").data)
    await finished(de_client, ana, accepted["job_id"])
    url = f"{RECEIPTS}/{accepted['receipt_id']}"
    edited = await de_client.patch(url, json={"supplier_name": "SIGMA FOOD (corectat)", "total": 49.93,
                                              "expense_account": "623"}, headers=ana)
    assert edited.status_code == 200, await edited.get_data()
    rerun = await de_client.post(f"{url}/ocr", headers=ana)
    assert rerun.status_code == 202
    assert (await rerun.get_json())["receipt_id"] == accepted["receipt_id"]
    status = await finished(de_client, ana, (await rerun.get_json())["job_id"])
    assert status["state"] == "done"
    receipt = await (await de_client.get(url, headers=ana)).get_json()
    assert (receipt["supplier_name"], receipt["expense_account"]) == ("SIGMA FOOD (corectat)", "623")
    assert not {"supplier_name", "total", "expense_account"} & set(status["applied"])
    history = await (await de_client.get(f"{url}/history", headers=ana)).get_json()
    assert [h["action"] for h in history["items"]] == ["create", "attach", "ocr", "update"]


async def test_bad_uploads_and_rights(de_client, de_settings, as_user):
    ana, victor, dan = await as_user("ana"), await as_user("victor"), await as_user("dan")
    refused = await de_client.post(OCR, form={"company_id": "2"}, files=photo(b"not an image"), headers=ana)
    assert refused.status_code == 415
    assert not (de_settings.data_dir / "receipts").exists()  # nothing created for a refused file
    data = receipt_sample(0, "clean").data
    assert (await de_client.post(OCR, form={"company_id": "2"}, files=photo(data), headers=dan)).status_code == 403
    assert (await de_client.post(OCR, form={"company_id": "2"}, files=photo(data), headers=victor)).status_code == 403
    assert (await de_client.post(OCR, form={"company_id": "2"}, headers=ana)).status_code == 400
    accepted = await upload(de_client, ana, data)
    hidden = await de_client.get(f"{OCR}/{accepted['job_id']}", headers=dan)  # another company's: as if missing
    assert hidden.status_code == 404 and accepted["receipt_id"] not in (await hidden.get_data(as_text=True))
    assert (await de_client.get(f"{OCR}/{'0' * 32}", headers=ana)).status_code == 404
    await finished(de_client, ana, accepted["job_id"])
    no_file = await de_client.post(RECEIPTS, json={"company_id": 2}, headers=ana)
    rerun = await de_client.post(f"{RECEIPTS}/{(await no_file.get_json())['id']}/ocr", headers=ana)
    assert rerun.status_code == 409


async def test_health_reports_the_engine(de_app, de_client):
    admin = await admin_headers(de_app)

    async def ready():
        health = await (await de_client.get("/health", headers=admin)).get_json()
        ocr = health["modules"]["ocr"]
        assert ocr["status"] in ("loading", "ok"), ocr
        return ocr if ocr["status"] == "ok" else None

    ocr = await wait_for(ready, timeout_s=60)
    assert (ocr["state"], ocr["engine"]) == ("ready", "rapidocr")
