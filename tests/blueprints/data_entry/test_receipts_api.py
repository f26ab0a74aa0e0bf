"""`/api/data-entry/receipts`: create, read, list, update, delete, validation and rights."""

from __future__ import annotations

from tests.support.data_entry import receipt_payload

BASE = "/api/data-entry/receipts"


async def create(client, headers, **overrides):
    response = await client.post(BASE, json=receipt_payload(**overrides), headers=headers)
    assert response.status_code == 201, await response.get_data()
    return await response.get_json()


async def test_create_and_read_a_receipt_with_exact_money(de_client, as_user):
    ana = await as_user("ana")
    body = await create(de_client, ana)
    assert body["state"] == "DRAFT"
    assert body["version"] == 1
    assert body["total"] == 374.1
    assert body["vat_lines"] == [{"rate": 21, "base": 300.0, "vat": 63.0}, {"rate": 11, "base": 10.0, "vat": 1.1}]
    assert body["receipt_date"] == "2025-12-15"
    assert body["created_at"].endswith("Z")
    assert body["created_by_name"] == "Ana"  # the display name, not the username
    assert "total" in body["edited_fields"] and "vat_lines" in body["edited_fields"]
    read = await de_client.get(f"{BASE}/{body['id']}", headers=ana)
    assert read.status_code == 200
    assert (await read.get_json())["total"] == 374.1


async def test_a_draft_may_start_empty_but_supplier_partner_fills_name_and_cif(de_client, as_user):
    ana = await as_user("ana")
    empty = await de_client.post(BASE, json={"company_id": 2}, headers=ana)
    assert empty.status_code == 201
    assert (await empty.get_json())["total"] is None
    partner = await de_client.post(BASE, json={"company_id": 2, "supplier_partner_id": 11}, headers=ana)
    body = await partner.get_json()
    assert (body["supplier_name"], body["supplier_cif"]) == ("DOBROGEA TELECOM SA", "RO51392740")


async def test_a_hand_entered_cif_of_a_known_supplier_links_the_receipt_to_it(de_client, as_user):
    ana = await as_user("ana")
    typed = await create(de_client, ana, supplier_name="Dobrogea Telecom", supplier_cif="ro 5139-2740")
    assert (typed["supplier_partner_id"], typed["supplier_cif"]) == (11, "RO51392740")
    assert "supplier_partner_id" not in typed["edited_fields"]
    unknown = await create(de_client, ana, supplier_cif="RO12345674", document_number="38")
    assert unknown["supplier_partner_id"] is None
    edited = await de_client.patch(f"{BASE}/{unknown['id']}", json={"supplier_cif": "51392740"}, headers=ana)
    assert (await edited.get_json())["supplier_partner_id"] == 11
    payload = receipt_payload(supplier_cif="RO51392740", document_number="40")
    del payload["supplier_name"]  # only the CIF typed: the partner's name fills the empty one
    cif_only = await de_client.post(BASE, json=payload, headers=ana)
    assert cif_only.status_code == 201, await cif_only.get_data()
    assert ((await cif_only.get_json())["supplier_partner_id"], (await cif_only.get_json())["supplier_name"]) == (
        11, "DOBROGEA TELECOM SA")
    chosen = await create(de_client, ana, supplier_cif="RO51392740", supplier_partner_id=12, document_number="39")
    assert chosen["supplier_partner_id"] == 12  # a partner picked by hand stays picked


async def test_validation_errors_are_problems_with_field_errors(de_client, as_user):
    ana = await as_user("ana")
    cases = {
        "supplier_cif": ({"supplier_cif": "RO12345678"}, "cif_invalid"),
        "vat_lines": ({"total": 400.00}, "vat_lines_total_mismatch"),
        "vat_lines.0.rate": ({"vat_lines": [{"rate": 19, "base": 310.00, "vat": 58.90}], "total": 368.90},
                             "vat_rate_invalid"),
        "receipt_date": ({"receipt_date": "2025-11-20"}, "period_closed"),
        "supplier_partner_id": ({"supplier_partner_id": 999}, "partner_unknown"),
        "expense_account": ({"expense_account": "5311"}, "account_invalid"),
    }
    for loc, (overrides, kind) in cases.items():
        response = await de_client.post(BASE, json=receipt_payload(**overrides), headers=ana)
        assert response.status_code == 400, loc
        assert response.content_type == "application/problem+json"
        problem = await response.get_json()
        assert problem["type"].endswith("validation-error")
        assert any(".".join(e["loc"]) == loc and e["type"] == kind for e in problem["errors"]), problem
    schema = await de_client.post(BASE, json=receipt_payload(total=1.234), headers=ana)
    assert schema.status_code == 400
    assert any(e["loc"][0] == "total" for e in (await schema.get_json())["errors"])
    assert (await de_client.post(BASE, json=receipt_payload(company_id=99), headers=ana)).status_code == 403
    unknown_company = await de_client.post(BASE, json=receipt_payload(company_id=99), headers=await as_user("olga"))
    assert unknown_company.status_code == 400
    assert (await unknown_company.get_json())["errors"][0]["type"] == "company_unknown"


async def test_rights_and_roles(de_client, as_user):
    ana, dan, victor = await as_user("ana"), await as_user("dan"), await as_user("victor")
    receipt = await create(de_client, ana)
    # dan has no rights on company 2, victor may only look
    assert (await de_client.post(BASE, json=receipt_payload(), headers=dan)).status_code == 403
    hidden = await de_client.get(f"{BASE}/{receipt['id']}", headers=dan)  # as if it did not exist
    assert hidden.status_code == 404 and (await hidden.get_json())["detail"] == f"Nu există bonul {receipt['id']}."
    assert (await de_client.post(BASE, json=receipt_payload(), headers=victor)).status_code == 403
    assert (await de_client.get(f"{BASE}/{receipt['id']}", headers=victor)).status_code == 200
    edit = await de_client.patch(f"{BASE}/{receipt['id']}", json={"notes": "x"}, headers=victor)
    assert edit.status_code == 403
    assert (await de_client.delete(f"{BASE}/{receipt['id']}", headers=victor)).status_code == 403
    assert (await de_client.get(f"{BASE}/nope", headers=ana)).status_code == 404
    assert (await de_client.get(BASE)).status_code == 401


async def test_update_changes_only_what_is_sent_and_tracks_versions(de_client, as_user):
    ana, carmen = await as_user("ana"), await as_user("carmen")
    receipt = await create(de_client, ana, notes=None)
    url = f"{BASE}/{receipt['id']}"
    response = await de_client.patch(url, json={"notes": "motorină", "version": 1}, headers=carmen)
    assert response.status_code == 200
    body = await response.get_json()
    assert body["notes"] == "motorină" and body["version"] == 2 and body["total"] == 374.1
    stale = await de_client.patch(url, json={"notes": "late", "version": 1}, headers=ana)
    assert stale.status_code == 409
    assert (await stale.get_json())["type"].endswith("stale-version")
    invalid = await de_client.patch(url, json={"receipt_date": "2025-07-31"}, headers=ana)
    assert invalid.status_code == 400  # 21% is not a rate in July 2025 (and the month is closed)
    assert (await (await de_client.get(url, headers=ana)).get_json())["receipt_date"] == "2025-12-15"


async def test_delete_only_drafts(de_client, as_user):
    ana = await as_user("ana")
    draft = await create(de_client, ana)
    assert (await de_client.delete(f"{BASE}/{draft['id']}", headers=ana)).status_code == 204
    assert (await de_client.get(f"{BASE}/{draft['id']}", headers=ana)).status_code == 404
    pending = await create(de_client, ana)
    assert (await de_client.post(f"{BASE}/{pending['id']}/submit", json={}, headers=ana)).status_code == 200
    refused = await de_client.delete(f"{BASE}/{pending['id']}", headers=ana)
    assert refused.status_code == 409
    assert refused.content_type == "application/problem+json"


async def test_list_filters_and_cursor_pagination(de_client, as_user):
    ana, carmen, victor = await as_user("ana"), await as_user("carmen"), await as_user("victor")
    mine = [await create(de_client, ana, document_number=str(n), receipt_date="2025-12-0" + str(n % 9 + 1))
            for n in range(7)]
    other = await create(de_client, carmen, supplier_name="DOBROGEA TELECOM SA", supplier_cif="RO51392740",
                         expense_account="626")
    await create(de_client, ana, company_id=1)
    await de_client.post(f"{BASE}/{other['id']}/submit", json={}, headers=carmen)

    seen, cursor = [], None
    while True:
        params = {"company_id": 2, "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = await (await de_client.get(BASE, query_string=params, headers=ana)).get_json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [other["id"], *[r["id"] for r in reversed(mine)]]

    async def ids(headers=ana, **params):
        response = await de_client.get(BASE, query_string=params, headers=headers)
        assert response.status_code == 200, await response.get_data()
        return {item["id"] for item in (await response.get_json())["items"]}

    assert await ids(company_id=2, state="PENDING") == {other["id"]}
    assert await ids(company_id=2, supplier="dobrogea") == {other["id"]}
    assert await ids(company_id=2, supplier="51392740") == {other["id"]}
    assert await ids(company_id=2, created_by=other["created_by"]) == {other["id"]}
    assert await ids(company_id=2, date_from="2025-12-02", date_to="2025-12-03") == {mine[1]["id"], mine[2]["id"]}
    assert len(await ids(headers=victor)) == 8  # only company 2 for victor
    assert (await de_client.get(BASE, query_string={"company_id": 1}, headers=victor)).status_code == 403
    bad = await de_client.get(BASE, query_string={"cursor": "not-a-cursor"}, headers=ana)
    assert bad.status_code == 400


async def test_ocr_switched_off_answers_503_and_nothing_else_breaks(de_client, as_user):
    ana = await as_user("ana")
    receipt = await create(de_client, ana)
    for method, url in (("post", "/api/data-entry/ocr"), ("get", f"/api/data-entry/ocr/{'0' * 32}"),
                        ("post", f"{BASE}/{receipt['id']}/ocr")):
        response = await getattr(de_client, method)(url, headers=ana)
        assert response.status_code == 503, url
        assert response.content_type == "application/problem+json"
        assert (await response.get_json())["type"].endswith("ocr-unavailable")
    assert (await de_client.post(f"{BASE}/{receipt['id']}/submit", json={}, headers=ana)).status_code == 200
    health = await (await de_client.get("/health")).get_json()
    assert health["modules"]["data_entry_db"]["status"] == "ok"
    assert "ocr" not in health["modules"]


async def test_probable_duplicates_are_flagged_with_or_without_ro(de_client, as_user):
    ana = await as_user("ana")
    first = await create(de_client, ana, supplier_cif="12345674")
    second = await create(de_client, ana, supplier_cif="RO 12345674")
    assert second["supplier_cif"] == "RO12345674"
    same = "Un alt bon are același CIF al furnizorului, același număr și aceeași dată."
    assert second["warnings"] == [{"kind": "duplicate", "receipt_ids": [first["id"]], "message": same}]
    other_number = await create(de_client, ana, document_number="38")
    assert other_number["warnings"] == []


async def test_cifs_are_stored_canonical_so_any_spelling_finds_the_duplicate(de_client, as_user):
    ana = await as_user("ana")
    first = await create(de_client, ana, supplier_cif="RO-12345674")
    assert first["supplier_cif"] == "RO12345674"
    second = await create(de_client, ana, supplier_cif="ro 1234.5674")
    assert second["supplier_cif"] == "RO12345674"
    assert second["warnings"][0]["receipt_ids"] == [first["id"]]
    third = await create(de_client, ana, supplier_cif="1234-5674")
    assert third["supplier_cif"] == "12345674"
    assert third["warnings"][0]["receipt_ids"] == [first["id"], second["id"]]
    found = await (await de_client.get(BASE, query_string={"supplier": "RO12345674"}, headers=ana)).get_json()
    assert {item["id"] for item in found["items"]} == {first["id"], second["id"]}


async def test_a_supplier_receipt_keeps_its_settlement_account_and_books_it(de_client, as_user):
    ana = await as_user("ana")
    default = await create(de_client, ana, payment_method="supplier", buyer_cif_present=False)
    assert default["settlement_account"] == "5311"
    bank = await create(de_client, ana, payment_method="supplier", buyer_cif_present=False,
                        settlement_account="5121", document_number="38")
    assert bank["settlement_account"] == "5121"
    assert (await (await de_client.get(f"{BASE}/{bank['id']}", headers=ana)).get_json())["settlement_account"] == "5121"
    for receipt, settlement in ((default, "5311"), (bank, "5121")):
        entries = await (await de_client.get(f"{BASE}/{receipt['id']}/entries", headers=ana)).get_json()
        assert [(x["debit"], x["credit"], x["amount"]) for x in entries["lines"]] == [
            ("6022", "401", 374.1), ("401", settlement, 374.1)]
        assert entries["total_debit"] == entries["total_credit"] == 748.2

    edited = await de_client.patch(f"{BASE}/{bank['id']}", json={"notes": "plătit din casă"}, headers=ana)
    assert (await edited.get_json())["settlement_account"] == "5121"  # not sent: unchanged
    edited = await de_client.patch(f"{BASE}/{bank['id']}", json={"settlement_account": "5311"}, headers=ana)
    assert (await edited.get_json())["settlement_account"] == "5311"
    wrong = await de_client.post(BASE, json=receipt_payload(payment_method="supplier", settlement_account="5125"),
                                 headers=ana)
    assert wrong.status_code == 400
    assert any(e["loc"][0] == "settlement_account" for e in (await wrong.get_json())["errors"])


async def test_the_settlement_account_follows_the_payment_method(de_client, as_user):
    ana = await as_user("ana")
    expected = {"cash": "5311", "card": "5121", "advance": "542", "supplier": "5311"}
    for number, (method, account) in enumerate(expected.items()):
        body = await create(de_client, ana, payment_method=method, buyer_cif_present=False,
                            document_number=str(100 + number))
        assert body["settlement_account"] == account, method
        entries = await (await de_client.get(f"{BASE}/{body['id']}/entries", headers=ana)).get_json()
        assert entries["lines"][-1]["credit"] == account, method
    card = await create(de_client, ana, payment_method="card", settlement_account="5125", buyer_cif_present=False,
                        document_number="110")
    assert card["settlement_account"] == "5125"
    entries = await (await de_client.get(f"{BASE}/{card['id']}/entries", headers=ana)).get_json()
    assert [(x["debit"], x["credit"]) for x in entries["lines"]] == [("6022", "5125")]
    # a new payment method drops a settlement account it is not paid from
    cash = await de_client.patch(f"{BASE}/{card['id']}", json={"payment_method": "cash"}, headers=ana)
    assert (await cash.get_json())["settlement_account"] == "5311"
    refused = await de_client.post(BASE, json=receipt_payload(payment_method="card", settlement_account="5311"),
                                   headers=ana)
    assert refused.status_code == 400
    assert [e["type"] for e in (await refused.get_json())["errors"]] == ["settlement_account_invalid"]
    empty = await de_client.post(BASE, json={"company_id": 2}, headers=ana)
    assert (await empty.get_json())["settlement_account"] is None
