"""The workflow over HTTP: submit, approve (four eyes), reject with a reason, resubmit, history, entries."""

from __future__ import annotations

import asyncio

from tests.support.data_entry import receipt_payload

BASE = "/api/data-entry/receipts"


async def new_receipt(client, headers, **overrides):
    response = await client.post(BASE, json=receipt_payload(**overrides), headers=headers)
    assert response.status_code == 201, await response.get_data()
    return (await response.get_json())["id"]


async def act(client, receipt_id, action, headers, body=None):
    return await client.post(f"{BASE}/{receipt_id}/{action}", json=body or {}, headers=headers)


async def state_of(client, receipt_id, headers):
    return (await (await client.get(f"{BASE}/{receipt_id}", headers=headers)).get_json())["state"]


async def test_full_cycle_with_rejection_and_resubmission(de_client, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    receipt_id = await new_receipt(de_client, ana)
    assert (await act(de_client, receipt_id, "submit", ana, {"comment": "gata"})).status_code == 200

    no_reason = await act(de_client, receipt_id, "reject", bogdan, {"reason": ""})
    assert no_reason.status_code == 400
    blank = await act(de_client, receipt_id, "reject", bogdan, {"reason": "   "})
    assert blank.status_code == 400
    rejected = await act(de_client, receipt_id, "reject", bogdan, {"reason": "lipsește CIF-ul firmei"})
    body = await rejected.get_json()
    assert (body["state"], body["rejection_reason"]) == ("REJECTED", "lipsește CIF-ul firmei")

    fixed = await de_client.patch(f"{BASE}/{receipt_id}", json={"notes": "CIF adăugat"}, headers=ana)
    assert fixed.status_code == 200
    assert (await fixed.get_json())["state"] == "REJECTED"
    resubmitted = await act(de_client, receipt_id, "submit", ana)
    assert (await resubmitted.get_json())["rejection_reason"] is None
    approved = await act(de_client, receipt_id, "approve", bogdan, {"comment": "ok"})
    assert approved.status_code == 200
    body = await approved.get_json()
    assert body["state"] == "APPROVED"
    assert body["decided_by"] not in (None, body["created_by"])

    history = await (await de_client.get(f"{BASE}/{receipt_id}/history", headers=ana)).get_json()
    steps = [(h["action"], h["from_state"], h["to_state"], h["username"], h["comment"]) for h in history["items"]]
    assert steps == [
        ("create", None, "DRAFT", "ana", None),
        ("submit", "DRAFT", "PENDING", "ana", "gata"),
        ("reject", "PENDING", "REJECTED", "bogdan", "lipsește CIF-ul firmei"),
        ("update", "REJECTED", "REJECTED", "ana", None),
        ("submit", "REJECTED", "PENDING", "ana", None),
        ("approve", "PENDING", "APPROVED", "bogdan", "ok"),
    ]
    assert all(h["at"].endswith("Z") for h in history["items"])


async def test_four_eyes_the_creator_never_approves(de_client, as_user):
    carmen, bogdan = await as_user("carmen"), await as_user("bogdan")
    receipt_id = await new_receipt(de_client, carmen)  # carmen is operator and approver
    await act(de_client, receipt_id, "submit", carmen)
    own = await act(de_client, receipt_id, "approve", carmen)
    assert own.status_code == 403
    assert (await own.get_json())["type"].endswith("four-eyes")
    assert await state_of(de_client, receipt_id, carmen) == "PENDING"
    assert (await act(de_client, receipt_id, "approve", bogdan)).status_code == 200


async def test_roles_for_deciding(de_client, as_user):
    ana, victor = await as_user("ana"), await as_user("victor")
    receipt_id = await new_receipt(de_client, ana)
    await act(de_client, receipt_id, "submit", ana)
    for headers in (ana, victor):
        assert (await act(de_client, receipt_id, "approve", headers)).status_code == 403
        assert (await act(de_client, receipt_id, "reject", headers, {"reason": "x"})).status_code == 403
    assert (await act(de_client, receipt_id, "approve", await as_user("dan"))).status_code == 403


async def test_wrong_transitions_are_409(de_client, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    draft = await new_receipt(de_client, ana)
    for action, headers, body in (("approve", bogdan, None), ("reject", bogdan, {"reason": "x"})):
        response = await act(de_client, draft, action, headers, body)
        assert response.status_code == 409, action
        assert response.content_type == "application/problem+json"

    done = await new_receipt(de_client, ana)
    await act(de_client, done, "submit", ana)
    assert (await act(de_client, done, "submit", ana)).status_code == 409
    await act(de_client, done, "approve", bogdan)
    decisions = (("submit", ana, None), ("approve", bogdan, None), ("reject", bogdan, {"reason": "x"}))
    for action, headers, body in decisions:
        assert (await act(de_client, done, action, headers, body)).status_code == 409, action
    assert (await de_client.patch(f"{BASE}/{done}", json={"notes": "x"}, headers=ana)).status_code == 409
    assert (await de_client.delete(f"{BASE}/{done}", headers=ana)).status_code == 409
    assert (await act(de_client, "missing", "submit", ana)).status_code == 404


async def test_submit_needs_a_complete_receipt(de_client, as_user):
    ana = await as_user("ana")
    response = await de_client.post(BASE, json={"company_id": 2, "supplier_name": "X SRL"}, headers=ana)
    receipt_id = (await response.get_json())["id"]
    refused = await act(de_client, receipt_id, "submit", ana)
    assert refused.status_code == 400
    missing = {e["loc"][0] for e in (await refused.get_json())["errors"]}
    assert missing == {"receipt_date", "total", "payment_method", "expense_account", "vat_lines"}
    assert await state_of(de_client, receipt_id, ana) == "DRAFT"


async def test_concurrent_decisions_have_exactly_one_winner(de_client, as_user):
    ana, bogdan, carmen = await as_user("ana"), await as_user("bogdan"), await as_user("carmen")
    receipt_id = await new_receipt(de_client, ana)
    await act(de_client, receipt_id, "submit", ana)
    calls = [act(de_client, receipt_id, "approve", bogdan) for _ in range(6)]
    calls += [act(de_client, receipt_id, "reject", carmen, {"reason": "nu"}) for _ in range(6)]
    statuses = [response.status_code for response in await asyncio.gather(*calls)]
    assert statuses.count(200) == 1
    assert statuses.count(409) == 11
    history = await (await de_client.get(f"{BASE}/{receipt_id}/history", headers=ana)).get_json()
    assert [h["action"] for h in history["items"]].count("submit") == 1
    assert len([h for h in history["items"] if h["action"] in ("approve", "reject")]) == 1


async def test_entries_of_a_receipt(de_client, as_user):
    ana, victor = await as_user("ana"), await as_user("victor")
    card = await new_receipt(de_client, ana)
    entries = await (await de_client.get(f"{BASE}/{card}/entries", headers=victor)).get_json()
    assert entries["vat_deducted"] is True
    assert [(x["debit"], x["credit"], x["amount"]) for x in entries["lines"]] == [
        ("6022", "5121", 300.0), ("4426", "5121", 63.0), ("6022", "5121", 10.0), ("4426", "5121", 1.1)]
    assert entries["total_debit"] == entries["total_credit"] == 374.1

    supplier = await new_receipt(de_client, ana, payment_method="supplier", buyer_cif_present=False)
    entries = await (await de_client.get(f"{BASE}/{supplier}/entries", headers=ana)).get_json()
    assert [(x["debit"], x["credit"], x["amount"]) for x in entries["lines"]] == [
        ("6022", "401", 374.1), ("401", "5311", 374.1)]

    # GAMA CONSULT (company 3) is not a VAT payer: the gross goes to the expense
    gama = await new_receipt(de_client, ana, company_id=3, payment_method="cash")
    entries = await (await de_client.get(f"{BASE}/{gama}/entries", headers=ana)).get_json()
    assert entries["vat_deducted"] is False
    assert [(x["debit"], x["credit"], x["amount"]) for x in entries["lines"]] == [("6022", "5311", 374.1)]

    incomplete = (await (await de_client.post(BASE, json={"company_id": 2}, headers=ana)).get_json())["id"]
    response = await de_client.get(f"{BASE}/{incomplete}/entries", headers=ana)
    assert response.status_code == 409
    assert (await response.get_json())["type"].endswith("receipt-incomplete")


async def test_actions_take_no_body_but_validate_one_that_is_sent(de_client, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    receipt_id = await new_receipt(de_client, ana)
    bare_submit = await de_client.post(f"{BASE}/{receipt_id}/submit", headers=ana)  # no body, no content type
    assert bare_submit.status_code == 200, await bare_submit.get_data()
    too_long = await act(de_client, receipt_id, "approve", bogdan, {"comment": "x" * 1001})
    assert too_long.status_code == 400 and too_long.content_type == "application/problem+json"
    not_json = await de_client.post(
        f"{BASE}/{receipt_id}/approve", data="aprobat", headers=bogdan | {"Content-Type": "text/plain"}
    )
    assert not_json.status_code == 415
    approved = await de_client.post(f"{BASE}/{receipt_id}/approve", headers=bogdan)
    assert (await approved.get_json())["state"] == "APPROVED"
    history = await (await de_client.get(f"{BASE}/{receipt_id}/history", headers=ana)).get_json()
    assert [entry["comment"] for entry in history["items"]][-2:] == [None, None]
