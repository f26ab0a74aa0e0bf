"""The 100 EUR limit at the BNR rate published before the receipt's date (ROMANIAN_ACCOUNTING.md §4), over HTTP.

Rates come from the recorded sample feed (tests/fixtures/bnr) that `de_app` loads; the limit is
read from the stored rate, never from a constant.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal

from roa2web.rates.store import RateRow
from tests.support.data_entry import receipt_payload, wait_for
from tests.support.rates import YEAR_2025

RECEIPTS = "/api/data-entry/receipts"


def limit_bani(ron_per_eur: Decimal) -> int:
    return int((100 * ron_per_eur * 100).to_integral_value(ROUND_FLOOR))


def payload_of(total_bani: int, day: str, **overrides) -> dict:
    """A 21% receipt of `total_bani` (VAT included), dated `day`."""
    vat = round(total_bani * 21 / 121)
    return receipt_payload(receipt_date=day, total=total_bani / 100,
                           vat_lines=[{"rate": 21, "base": (total_bani - vat) / 100, "vat": vat / 100}], **overrides)


async def submitted(client, operator, payload) -> str:
    response = await client.post(RECEIPTS, json=payload, headers=operator)
    assert response.status_code == 201, await response.get_data()
    receipt_id = (await response.get_json())["id"]
    assert (await client.post(f"{RECEIPTS}/{receipt_id}/submit", json={}, headers=operator)).status_code == 200
    return receipt_id


async def eur_on(app, day: dt.date) -> Decimal:
    rates = {rate.currency: rate for rate in await app.extensions["roa2web"].rates.on(day)}
    return rates["EUR"].ron_per_unit


async def test_exactly_100_eur_deducts_vat_one_ban_more_does_not(de_app, de_client, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    friday = await eur_on(de_app, dt.date(2025, 12, 12))
    limit = limit_bani(friday)  # a Monday's receipt: Friday's rate, the weekend has none
    assert limit != limit_bani(await eur_on(de_app, dt.date(2025, 12, 15)))  # the day's own rate would differ
    decided = {}
    for total in (limit, limit + 1):
        receipt_id = await submitted(de_client, ana, payload_of(total, "2025-12-15"))
        approve = await de_client.post(f"{RECEIPTS}/{receipt_id}/approve", json={}, headers=bogdan)
        assert approve.status_code == 200, await approve.get_data()
        entries = await (await de_client.get(f"{RECEIPTS}/{receipt_id}/entries", headers=bogdan)).get_json()
        decided[total] = (entries["vat_deducted"], [line["debit"] for line in entries["lines"]])
        explanation = entries["lines"][0]["explanation"]
        assert ("peste 100 EUR" in explanation) is (total > limit)
    assert decided == {limit: (True, ["6022", "4426"]), limit + 1: (False, ["6022"])}


async def test_after_a_holiday_weekend_the_rate_is_the_last_banking_days(de_app, de_client, as_user):
    ana = await as_user("ana")
    wednesday = limit_bani(await eur_on(de_app, dt.date(2025, 12, 24)))  # Christmas 25 and 26, then the weekend
    for total, deducted in ((wednesday, True), (wednesday + 1, False)):
        receipt_id = await submitted(de_client, ana, payload_of(total, "2025-12-29"))
        entries = await (await de_client.get(f"{RECEIPTS}/{receipt_id}/entries", headers=ana)).get_json()
        assert entries["vat_deducted"] is deducted


async def test_without_a_rate_the_receipt_says_so_and_approval_waits_for_one(de_app, de_client, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    runtime = de_app.extensions["roa2web"]
    await RateRow.delete().aio_execute(runtime.app_db)  # an install that never fetched nor imported a rate
    receipt_id = await submitted(de_client, ana, payload_of(30000, "2025-12-15"))

    receipt = await (await de_client.get(f"{RECEIPTS}/{receipt_id}", headers=ana)).get_json()
    notices = [w for w in receipt["warnings"] if w["kind"] == "exchange-rate-missing"]
    assert len(notices) == 1 and "cursul euro al BNR" in notices[0]["message"]
    assert "15.12.2025" in notices[0]["message"]

    refused = await de_client.post(f"{RECEIPTS}/{receipt_id}/approve", json={}, headers=bogdan)
    assert refused.status_code == 409
    assert refused.content_type == "application/problem+json"
    problem = await refused.get_json()
    assert problem["type"].endswith("/exchange-rate-missing") and problem["title"] == "Lipsește cursul BNR"
    assert "Importați cursurile BNR" in problem["detail"]
    entries = await de_client.get(f"{RECEIPTS}/{receipt_id}/entries", headers=bogdan)
    assert entries.status_code == 409 and (await entries.get_json())["type"].endswith("/exchange-rate-missing")
    assert (await (await de_client.get(f"{RECEIPTS}/{receipt_id}", headers=ana)).get_json())["state"] == "PENDING"

    # a receipt the limit does not decide (no buyer CIF: no deduction at any rate) needs no rate
    no_cif = await submitted(de_client, ana, payload_of(30000, "2025-12-15", buyer_cif_present=False))
    assert (await de_client.post(f"{RECEIPTS}/{no_cif}/approve", json={}, headers=bogdan)).status_code == 200
    # nor one of a company that pays no VAT (company 3)
    no_vat_company = await submitted(de_client, await as_user("olga"), payload_of(30000, "2025-12-15", company_id=3,
                                                                          expense_account="6022"))
    receipt = await (await de_client.get(f"{RECEIPTS}/{no_vat_company}", headers=bogdan)).get_json()
    assert not [w for w in receipt["warnings"] if w["kind"] == "exchange-rate-missing"]
    assert (await de_client.post(f"{RECEIPTS}/{no_vat_company}/approve", json={}, headers=bogdan)).status_code == 200

    await runtime.rates.import_document(YEAR_2025.read_bytes())  # `roa2web rates import nbrfxrates2025.xml`
    approved = await de_client.post(f"{RECEIPTS}/{receipt_id}/approve", json={}, headers=bogdan)
    assert approved.status_code == 200, await approved.get_data()
    receipt = await (await de_client.get(f"{RECEIPTS}/{receipt_id}", headers=ana)).get_json()
    assert not [w for w in receipt["warnings"] if w["kind"] == "exchange-rate-missing"]


async def test_a_rate_older_than_the_window_is_not_used(de_app, de_client, as_user):
    ana = await as_user("ana")
    runtime = de_app.extensions["roa2web"]
    await RateRow.delete().where(RateRow.day >= dt.date(2025, 12, 3)).aio_execute(runtime.app_db)
    receipt_id = await submitted(de_client, ana, payload_of(30000, "2025-12-15"))  # 2 December: 13 days before
    entries = await de_client.get(f"{RECEIPTS}/{receipt_id}/entries", headers=ana)
    assert entries.status_code == 409 and (await entries.get_json())["type"].endswith("/exchange-rate-missing")


async def test_an_export_without_the_rate_fails_and_marks_nothing(de_app, de_client, as_user):
    ana, bogdan = await as_user("ana"), await as_user("bogdan")
    runtime = de_app.extensions["roa2web"]
    receipt_id = await submitted(de_client, ana, payload_of(30000, "2025-12-15"))
    assert (await de_client.post(f"{RECEIPTS}/{receipt_id}/approve", json={}, headers=bogdan)).status_code == 200
    await RateRow.delete().aio_execute(runtime.app_db)  # the rates were lost after the approval
    accepted = await de_client.post("/api/data-entry/exports", headers=bogdan,
                                    json={"company_id": 2, "date_from": "2025-12-01", "date_to": "2025-12-31"})
    assert accepted.status_code == 202, await accepted.get_data()

    async def finished():
        status = await (await de_client.get((await accepted.get_json())["status_url"], headers=bogdan)).get_json()
        return status if status["state"] in ("done", "failed") else None

    status = await wait_for(finished, timeout_s=60)
    assert status["state"] == "failed" and "cursul euro al BNR" in status["error"], status
    receipt = await (await de_client.get(f"{RECEIPTS}/{receipt_id}", headers=bogdan)).get_json()
    assert receipt["state"] == "APPROVED"  # not EXPORTED without a file
