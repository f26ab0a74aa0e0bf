"""Four eyes over HTTP: whoever created, last edited or submitted a receipt cannot approve it.

The roster (tests/support/data_entry.py): ana enters receipts, bogdan approves, carmen holds operator
and approver on company 2.
"""

from __future__ import annotations

import io

from quart.datastructures import FileStorage

from tests.support.data_entry import receipt_payload
from tests.support.upload_files import image_bytes

BASE = "/api/data-entry/receipts"
SMALL = {"total": 121.00, "vat_lines": [{"rate": 21, "base": 100.00, "vat": 21.00}]}
LARGE = {"total": 12100.00, "vat_lines": [{"rate": 21, "base": 10000.00, "vat": 2100.00}]}


async def create(client, headers, **fields):
    response = await client.post(BASE, json=receipt_payload(**fields), headers=headers)
    assert response.status_code == 201, await response.get_data()
    return await response.get_json()


async def act(client, receipt_id, action, headers):
    return await client.post(f"{BASE}/{receipt_id}/{action}", json={}, headers=headers)


async def refused(response, why):
    """A 403 four-eyes problem whose Romanian detail says why."""
    assert response.status_code == 403, await response.get_data()
    assert response.content_type == "application/problem+json"
    problem = await response.get_json()
    assert problem["type"].endswith("/four-eyes")
    assert problem["title"] == "Aprobarea cere pe altcineva"
    assert why in problem["detail"], problem["detail"]
    assert "trebuie aprobat de altcineva" in problem["detail"]
    assert problem["request_id"]
    return problem


async def me(client, headers):
    return (await (await client.get("/api/auth/me", headers=headers)).get_json())["id"]


async def test_an_operator_approver_who_changes_another_users_draft_cannot_approve_it(de_client, as_user):
    ana, bogdan, carmen = await as_user("ana"), await as_user("bogdan"), await as_user("carmen")
    receipt = await create(de_client, ana, **SMALL)
    assert (receipt["last_edited_by"], receipt["submitted_by"]) == (receipt["created_by"], None)

    edited = await de_client.patch(f"{BASE}/{receipt['id']}", json=LARGE, headers=carmen)
    assert edited.status_code == 200, await edited.get_data()
    assert (await act(de_client, receipt["id"], "submit", carmen)).status_code == 200
    await refused(await act(de_client, receipt["id"], "approve", carmen),
                  "l-ați modificat ultimul și l-ați trimis spre aprobare")

    pending = await (await de_client.get(f"{BASE}/{receipt['id']}", headers=ana)).get_json()
    carmen_id = await me(de_client, carmen)
    assert pending["state"] == "PENDING" and pending["total"] == 12100.0
    assert (pending["created_by"], pending["last_edited_by"], pending["submitted_by"]) == (
        receipt["created_by"], carmen_id, carmen_id)
    assert (pending["last_edited_by_name"], pending["submitted_by_name"]) == ("Carmen", "Carmen")

    approved = await act(de_client, receipt["id"], "approve", bogdan)  # a third person
    assert approved.status_code == 200
    assert (await approved.get_json())["state"] == "APPROVED"
    history = await (await de_client.get(f"{BASE}/{receipt['id']}/history", headers=ana)).get_json()
    assert [(h["action"], h["username"]) for h in history["items"]] == [
        ("create", "ana"), ("update", "carmen"), ("submit", "carmen"), ("approve", "bogdan")]


async def test_whoever_submits_cannot_approve(de_client, as_user):
    ana, bogdan, carmen = await as_user("ana"), await as_user("bogdan"), await as_user("carmen")
    receipt = await create(de_client, ana)
    assert (await act(de_client, receipt["id"], "submit", carmen)).status_code == 200  # no edit of hers
    pending = await (await de_client.get(f"{BASE}/{receipt['id']}", headers=ana)).get_json()
    assert pending["last_edited_by"] == receipt["created_by"]
    await refused(await act(de_client, receipt["id"], "approve", carmen), "pe care l-ați trimis spre aprobare:")
    assert (await act(de_client, receipt["id"], "approve", bogdan)).status_code == 200


async def test_the_last_editor_who_is_not_the_creator_cannot_approve(de_client, as_user):
    ana, bogdan, carmen = await as_user("ana"), await as_user("bogdan"), await as_user("carmen")
    receipt = await create(de_client, ana)
    edited = await de_client.patch(f"{BASE}/{receipt['id']}", json={"notes": "corectat"}, headers=carmen)
    assert (await edited.get_json())["last_edited_by"] == await me(de_client, carmen)
    assert (await act(de_client, receipt["id"], "submit", ana)).status_code == 200
    await refused(await act(de_client, receipt["id"], "approve", carmen), "pe care l-ați modificat ultimul:")

    rejected = await de_client.post(f"{BASE}/{receipt['id']}/reject", json={"reason": "de verificat"}, headers=carmen)
    assert rejected.status_code == 200  # sending it back to be edited stays open to the people involved
    assert (await act(de_client, receipt["id"], "submit", ana)).status_code == 200
    await refused(await act(de_client, receipt["id"], "approve", carmen), "pe care l-ați modificat ultimul:")
    assert (await act(de_client, receipt["id"], "approve", bogdan)).status_code == 200


async def test_the_creator_who_did_not_edit_or_submit_still_cannot_approve(de_client, as_user):
    ana, bogdan, carmen = await as_user("ana"), await as_user("bogdan"), await as_user("carmen")
    receipt = await create(de_client, carmen)
    await de_client.patch(f"{BASE}/{receipt['id']}", json={"notes": "de la ana"}, headers=ana)
    assert (await act(de_client, receipt["id"], "submit", ana)).status_code == 200
    await refused(await act(de_client, receipt["id"], "approve", carmen), "pe care l-ați creat:")
    assert (await act(de_client, receipt["id"], "approve", bogdan)).status_code == 200


async def test_attaching_a_file_makes_the_uploader_the_last_editor(de_client, as_user):
    ana, carmen = await as_user("ana"), await as_user("carmen")
    receipt = await create(de_client, ana)
    uploaded = await de_client.post(f"{BASE}/{receipt['id']}/attachments", headers=carmen,
                                    files={"file": FileStorage(io.BytesIO(image_bytes("PNG")), filename="bon.png",
                                                             content_type="image/png")})
    assert uploaded.status_code == 201, await uploaded.get_data()
    assert (await act(de_client, receipt["id"], "submit", ana)).status_code == 200
    await refused(await act(de_client, receipt["id"], "approve", carmen), "pe care l-ați modificat ultimul:")
