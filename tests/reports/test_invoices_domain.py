"""Invoice list: filters, payments up to as_of, keyset pagination, totals over the whole set."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from report_reference import OpenInvoice, bani, invoices_at

from roa2web.reports import ReportParameterError, all_invoices, list_invoices
from roa2web.reports.invoices import decode_cursor, encode_cursor

KINDS = {"sales": "S", "purchases": "P"}


def expected_set(invoices: list[OpenInvoice], status: str, as_of: dt.date) -> list[OpenInvoice]:
    """The reference invoices a status keeps, in (issue_date, invoice_id) order."""
    keep = {
        "all": lambda i: True,
        "paid": lambda i: i.balance <= 0,
        "unpaid": lambda i: i.balance > 0,
        "overdue": lambda i: i.balance > 0 and i.due_date < as_of,
    }[status]
    return sorted((i for i in invoices if keep(i)), key=lambda i: (i.issue_date, i.invoice_id))


async def walk(ledger, **params):
    """Every page of a listing: (items, pages)."""
    items, pages, cursor = [], [], None
    while True:
        page = await list_invoices(ledger, cursor=cursor, **params)
        pages.append(page)
        items.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return items, pages


@pytest.mark.parametrize("limit", [1, 4, 50, 1000])
async def test_pages_return_every_invoice_exactly_once_in_a_stable_order(ledger, scenario, limit):
    as_of = dt.date(scenario.year, 9, 15)
    for kind, status in itertools.product(KINDS, ("all", "unpaid", "overdue", "paid")):
        items, pages = await walk(ledger, company_id=1, kind=kind, status=status, as_of=as_of, limit=limit)
        expected = expected_set(invoices_at(scenario.path, 1, KINDS[kind], as_of), status, as_of)
        assert [i.invoice_id for i in items] == [i.invoice_id for i in expected]
        assert all(len(page.items) == limit for page in pages[:-1]) and len(pages[-1].items) <= limit
        assert len(pages) == max(1, -(-len(expected) // limit))
        totals = pages[0].totals
        assert all(page.totals == totals for page in pages)
        assert totals.count == len(items)
        assert bani(totals.total) == sum(i.total for i in expected)
        assert bani(totals.paid) == sum(i.paid for i in expected)
        assert bani(totals.balance) == sum(i.balance for i in expected)
    assert expected_set(invoices_at(scenario.path, 1, "S", as_of), "paid", as_of)
    assert expected_set(invoices_at(scenario.path, 1, "S", as_of), "overdue", as_of)


@pytest.mark.parametrize("as_of", [dt.date(2025, 1, 31), dt.date(2025, 6, 15), dt.date(2025, 12, 31)])
async def test_payments_count_up_to_as_of_and_days_overdue(ledger, scenario, as_of):
    reference = {i.invoice_id: i for i in invoices_at(scenario.path, 1, "S", as_of)}
    page = await all_invoices(ledger, 1, "sales", "all", as_of=as_of)
    assert {item.invoice_id for item in page.items} == set(reference)
    for item in page.items:
        expected = reference[item.invoice_id]
        assert (bani(item.total), bani(item.paid), bani(item.balance)) == (
            expected.total, expected.paid, expected.balance)
        assert item.issue_date <= as_of
        overdue = (as_of - expected.due_date).days if expected.balance > 0 and expected.due_date < as_of else 0
        assert item.days_overdue == overdue
    assert any(item.days_overdue > 0 for item in page.items)


async def test_partner_and_date_filters(ledger, scenario):
    as_of = dt.date(scenario.year, 12, 31)
    everything = await all_invoices(ledger, 1, "sales", "all", as_of=as_of)
    partner = everything.items[0].partner.id
    only = await all_invoices(ledger, 1, "sales", "all", partner_id=partner, as_of=as_of)
    assert only.items == [i for i in everything.items if i.partner.id == partner] and only.items
    window = await all_invoices(ledger, 1, "sales", "all", date_from=dt.date(2025, 3, 1),
                                date_to=dt.date(2025, 4, 30), as_of=as_of)
    assert window.items == [i for i in everything.items if dt.date(2025, 3, 1) <= i.issue_date <= dt.date(2025, 4, 30)]
    assert window.totals.count == len(window.items) > 0
    assert window.next_cursor is None


def test_cursor_round_trip_and_opacity():
    cursor = encode_cursor(dt.date(2025, 2, 3), 42)
    assert decode_cursor(cursor) == (dt.date(2025, 2, 3), 42)
    assert "2025" not in cursor and "=" not in cursor


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "not-a-cursor!"}, "cursor"),
        ({"cursor": encode_cursor(dt.date(2025, 1, 1), 1)[:-3]}, "cursor"),
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"kind": "both"}, "kind"),
        ({"status": "late"}, "status"),
        ({"partner_id": -3}, "partner_id"),
        ({"date_from": dt.date(2025, 5, 1), "date_to": dt.date(2025, 4, 1)}, "date_from"),
        ({"as_of": dt.datetime(2025, 5, 1, 12, 0)}, "as_of"),
    ],
)
async def test_bad_parameters(ledger, params, field):
    with pytest.raises(ReportParameterError) as error:
        await list_invoices(ledger, 1, **{"as_of": dt.date(2025, 6, 30), **params})
    assert error.value.field == field
