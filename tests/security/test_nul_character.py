"""U+0000 in a request: PostgreSQL's text cannot hold it, so it never reaches a database.

With the app databases on PostgreSQL each of these was a 500 ("PostgreSQL text fields cannot contain
NUL (0x00) bytes"); now, on either engine, an id with one is a 404 and any other text a 400.
"""

from __future__ import annotations

import base64
import logging

from tests.security.attack_support import assert_no_traceback, assert_problem
from tests.support.data_entry import receipt_payload

RECEIPTS = "/api/data-entry/receipts"


async def test_nul_in_paths_queries_and_bodies_is_a_4xx_on_either_engine(de_client, as_user, caplog):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    receipt = await de_client.post(RECEIPTS, json=receipt_payload(), headers=ana)
    assert receipt.status_code == 201, await receipt.get_data()
    receipt_id = (await receipt.get_json())["id"]
    caplog.set_level(logging.WARNING)
    not_found = [
        lambda: de_client.get("/api/tasks/a%00b", headers=ana),
        lambda: de_client.get("/api/reports/exports/a%00b", headers=ana),
        lambda: de_client.get(f"{RECEIPTS}/a%00b", headers=ana),
        lambda: de_client.get(f"{RECEIPTS}/{receipt_id}%00/history", headers=ana),
        lambda: de_client.get(f"{RECEIPTS}/{receipt_id}/attachments/a%00", headers=ana),
        lambda: de_client.get("/api/data-entry/exports/a%00", headers=ana),
    ]
    refused = [
        lambda: de_client.post("/api/auth/login", json={"username": "ana\u0000", "password": "parola-test-123"}),
        lambda: de_client.get(RECEIPTS, query_string={"company_id": "2", "supplier": "ALFA\u0000"}, headers=ana),
        lambda: de_client.get("/api/tasks", query_string={"kind": "report_export\u0000"}, headers=ana),
        lambda: de_client.post(RECEIPTS, json=receipt_payload(notes="bon\u0000"), headers=ana),
        lambda: de_client.patch(f"{RECEIPTS}/{receipt_id}", json={"supplier_name": "AL\u0000FA"}, headers=ana),
        lambda: de_client.post(f"{RECEIPTS}/{receipt_id}/submit", json={"comment": "gata\u0000"}, headers=ana),
        lambda: de_client.post(f"{RECEIPTS}/{receipt_id}/reject", json={"reason": "lipsă\u0000"}, headers=bogdan),
        lambda: de_client.post("/api/data-entry/exports", json={"company_id": 2, "date_from": "2025-12-01\u0000",
                                                        "date_to": "2025-12-31"}, headers=bogdan),
    ]
    forged_cursor = base64.urlsafe_b64encode(b"2025-12-15T10:00:00|a\x00b").decode()  # base64 hides the NUL
    cursor = await de_client.get(RECEIPTS, query_string={"company_id": "2", "cursor": forged_cursor}, headers=ana)
    assert (await assert_problem(cursor, 400))["type"].endswith("/invalid-cursor")
    for request in not_found:
        await assert_problem(await request(), 404)
    for request in refused:
        problem = await assert_problem(await request(), 400)
        assert problem["type"].endswith("/nul-character"), problem
    assert_no_traceback(caplog)
    stored = await (await de_client.get(f"{RECEIPTS}/{receipt_id}", headers=ana)).get_json()
    assert (stored["version"], stored["state"], stored["notes"]) == (1, "DRAFT", None)  # nothing written
