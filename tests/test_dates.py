"""A date is `YYYY-MM-DD` text: `0` is not 1970-01-01, in a query or in a body (a Romanian 400, not a day)."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import TypeAdapter, ValidationError

from roa2web.dates import IsoDate, today
from tests.support.data_entry import receipt_payload

DAY = TypeAdapter(IsoDate)
NOT_DAYS = [0, "0", 0.0, 86400, "86400", "2025-01-01T00:00:00", "20250101", "2025-1-1", True, "٢٠٢٥-٠١-٠١"]
ROMANIAN = "Trebuie să fie o dată calendaristică validă, de forma AAAA-LL-ZZ (de exemplu 2025-03-31)"


@pytest.mark.parametrize("value", NOT_DAYS)
def test_only_a_day_is_a_day(value):
    with pytest.raises(ValidationError) as error:
        DAY.validate_python(value)
    assert error.value.errors()[0]["type"] == "date_parsing"


def test_a_day_and_its_text_are_days_and_an_impossible_day_is_not():
    assert DAY.validate_python("2025-03-31") == dt.date(2025, 3, 31)
    assert DAY.validate_python(dt.date(2025, 3, 31)) == dt.date(2025, 3, 31)
    assert DAY.validate_json(b'"2025-03-31"') == dt.date(2025, 3, 31)
    with pytest.raises(ValidationError):
        DAY.validate_python("2025-02-30")
    with pytest.raises(ValidationError):
        DAY.validate_json(b"0")


def _errors(body):
    assert body["status"] == 400 and body["title"] == "Date invalide", body
    return {tuple(error["loc"]): error["msg"] for error in body["errors"]}


async def test_zero_is_not_a_date_in_a_report_query(client, user_headers):
    viewer = await user_headers("vera", roles={"viewer"})
    for query in ("date_from=0", "date_to=0", "as_of=0"):
        response = await client.get(f"/api/reports/invoices?company_id=1&{query}", headers=viewer)
        assert response.status_code == 400
        assert _errors(await response.get_json()) == {(query.split("=")[0],): ROMANIAN}
    aging = await client.get("/api/reports/invoices/aging?company_id=1&as_of=0", headers=viewer)
    assert _errors(await aging.get_json()) == {("as_of",): ROMANIAN}
    fine = await client.get("/api/reports/invoices?company_id=1&date_from=2025-01-01", headers=viewer)
    assert fine.status_code == 200


async def test_zero_is_not_a_date_in_a_receipt_or_an_export_body(client, user_headers):
    operator = await user_headers("otilia", roles={"operator", "approver"})
    created = await client.post("/api/data-entry/receipts", json=receipt_payload(receipt_date=0), headers=operator)
    assert created.status_code == 400
    assert _errors(await created.get_json()) == {("receipt_date",): ROMANIAN}
    listed = await client.get("/api/data-entry/receipts?date_from=0", headers=operator)
    assert _errors(await listed.get_json()) == {("date_from",): ROMANIAN}
    export = await client.post("/api/data-entry/exports", headers=operator,
                               json={"company_id": 2, "date_from": 0, "date_to": "2025-12-31"})
    assert _errors(await export.get_json()) == {("date_from",): ROMANIAN}
    rates = await client.get("/api/data-entry/nomenclature/vat-rates?date=0", headers=operator)
    assert _errors(await rates.get_json()) == {("date",): ROMANIAN}


async def test_a_report_date_before_1900_is_a_400_not_an_overflow(client, user_headers):
    """as_of=0001-01-01 made the aging's cut-offs (90 days earlier) overflow: a 500 (found by the fuzzer)."""
    viewer = await user_headers("vali", roles={"viewer"})
    for url in ("/api/reports/invoices/aging?company_id=1&as_of=0001-01-01",
                "/api/reports/invoices?company_id=1&as_of=0001-01-01",
                "/api/reports/treasury?company_id=1&date_from=0001-01-01&date_to=2025-01-31"):
        response = await client.get(url, headers=viewer)
        assert response.status_code == 400, url
        [error] = (await response.get_json())["errors"]
        assert error["msg"] == "Trebuie să fie o dată din anii 1900–9999 (nu 01.01.0001)", url


@pytest.mark.parametrize(("utc", "day"), [
    (dt.datetime(2025, 12, 31, 21, 59, tzinfo=dt.UTC), dt.date(2025, 12, 31)),  # 23:59 in Bucharest (EET, +2)
    (dt.datetime(2025, 12, 31, 22, 0, tzinfo=dt.UTC), dt.date(2026, 1, 1)),  # 00:00: the new year, still 31.12 UTC
    (dt.datetime(2025, 6, 30, 20, 59, tzinfo=dt.UTC), dt.date(2025, 6, 30)),  # 23:59 in summer (EEST, +3)
    (dt.datetime(2025, 6, 30, 21, 0, tzinfo=dt.UTC), dt.date(2025, 7, 1)),
    (dt.datetime(2025, 7, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))), dt.date(2025, 7, 1)),  # 08:30 there
])
def test_the_firms_today_is_bucharests_day_whatever_the_servers_zone(utc, day):
    assert today(utc) == day


def test_today_reads_the_clock_in_bucharest():
    before = dt.datetime.now(dt.UTC)
    assert today() in {today(before), today(dt.datetime.now(dt.UTC))}
