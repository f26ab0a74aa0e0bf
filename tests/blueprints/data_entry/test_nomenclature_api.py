"""`/api/data-entry/nomenclature`: partners, expense accounts and VAT rates, cached in memory."""

from __future__ import annotations

import asyncio

import pytest

BASE = "/api/data-entry/nomenclature"


@pytest.fixture
def data_entry_db_url():
    """The nomenclature reads the ledger only: SQLite is enough."""
    return None


async def test_partners_by_name_or_cif(de_client, as_user):
    victor = await as_user("victor")
    found = await (await de_client.get(f"{BASE}/partners", query_string={"company_id": 2, "q": "telecom"},
                                       headers=victor)).get_json()
    assert [(p["partner_id"], p["name"], p["cif"], p["kind"]) for p in found["items"]] == [
        (11, "DOBROGEA TELECOM SA", "RO51392740", "S")]
    by_cif = await (await de_client.get(f"{BASE}/partners", query_string={"company_id": 2, "q": "RO 5139"},
                                        headers=victor)).get_json()
    assert [p["partner_id"] for p in by_cif["items"]] == [11]
    everyone = await (await de_client.get(f"{BASE}/partners", query_string={"company_id": 2},
                                          headers=victor)).get_json()
    assert len(everyone["items"]) > 10
    forbidden = await de_client.get(f"{BASE}/partners", query_string={"company_id": 1}, headers=victor)
    assert forbidden.status_code == 403


async def test_expense_accounts(de_client, as_user):
    victor = await as_user("victor")
    all_accounts = await (await de_client.get(f"{BASE}/accounts", query_string={"company_id": 2},
                                              headers=victor)).get_json()
    codes = [a["account"] for a in all_accounts["items"]]
    assert codes and all(code.startswith("6") for code in codes)
    assert {"6022", "6024", "626"} <= set(codes)
    fuel = await (await de_client.get(f"{BASE}/accounts", query_string={"company_id": 2, "q": "combustibil"},
                                      headers=victor)).get_json()
    assert [a["account"] for a in fuel["items"]] == ["6022"]
    by_code = await (await de_client.get(f"{BASE}/accounts", query_string={"company_id": 2, "q": "62"},
                                         headers=victor)).get_json()
    assert {a["account"] for a in by_code["items"]} == {c for c in codes if c.startswith("62")}


async def test_vat_rates_by_date(de_client, as_user):
    victor = await as_user("victor")
    before = await (await de_client.get(f"{BASE}/vat-rates", query_string={"date": "2025-07-31"},
                                        headers=victor)).get_json()
    after = await (await de_client.get(f"{BASE}/vat-rates", query_string={"date": "2025-08-01"},
                                       headers=victor)).get_json()
    assert [r["rate"] for r in before["items"]] == [19, 9, 5, 0]
    assert [r["rate"] for r in after["items"]] == [21, 11, 0]
    assert after["items"][-1]["label"] == "0% / scutit"
    assert (await de_client.get(f"{BASE}/vat-rates", query_string={"date": "31.07.2025"},
                                headers=victor)).status_code == 400


async def test_lookups_are_cached_and_concurrent_misses_query_once(de_app, de_client, as_user):
    victor = await as_user("victor")
    ledger = de_app.extensions["roa2web"].ledger
    before = ledger.queries
    responses = await asyncio.gather(*(
        de_client.get(f"{BASE}/partners", query_string={"company_id": 2, "q": str(n)}, headers=victor)
        for n in range(20)))
    assert all(response.status_code == 200 for response in responses)
    assert ledger.queries - before == 2  # the companies (is company 2 in the ledger?) and its partners
    await de_client.get(f"{BASE}/partners", query_string={"company_id": 2}, headers=victor)
    assert ledger.queries - before == 2
