"""Aging: Σ buckets = Σ open invoice balances = closing balance of the partner accounts."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from report_books import FixtureLedger
from report_reference import bani, invoices_at, net_balance

from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.reports import ReportParameterError, invoice_aging
from roa2web.reports.aging import BUCKETS

PARTNER_ACCOUNT = {"sales": ("S", "4111", 1), "purchases": ("P", "401", -1)}


def bucket_of(days: int) -> str:
    """Reference bucketing by days past the reference date."""
    if days <= 0:
        return "not_due"
    return "d1_30" if days <= 30 else "d31_60" if days <= 60 else "d61_90" if days <= 90 else "over_90"


@pytest.mark.parametrize("month", [1, 4, 9, 12])
@pytest.mark.parametrize("kind", ["sales", "purchases"])
async def test_buckets_add_up_to_open_invoices_and_to_the_partner_accounts(ledger, scenario, kind, month):
    as_of = dt.date(scenario.year, month, calendar.monthrange(scenario.year, month)[1])
    code, synthetic, sign = PARTNER_ACCOUNT[kind]
    for company_id in scenario.companies:
        aging = await invoice_aging(ledger, company_id, kind, as_of)
        open_invoices = [i for i in invoices_at(scenario.path, company_id, code, as_of) if i.balance > 0]
        for row in aging.rows:
            assert sum(bani(getattr(row, b)) for b in BUCKETS[:-1]) == bani(row.total)
            account = f"{synthetic}.{row.partner.id:05d}"
            assert bani(row.total) == sign * net_balance(scenario.path, company_id, scenario.year, month, account)
            assert bani(row.total) == sum(i.balance for i in open_invoices if i.partner_id == row.partner.id)
        for bucket in BUCKETS:
            assert bani(getattr(aging.totals, bucket)) == sum(bani(getattr(r, bucket)) for r in aging.rows)
        assert bani(aging.totals.total) == sum(i.balance for i in open_invoices)
        assert bani(aging.totals.total) == sign * net_balance(scenario.path, company_id, scenario.year, month,
                                                              synthetic)


@pytest.mark.parametrize("basis", ["due_date", "issue_date"])
async def test_each_open_balance_lands_in_its_bucket(ledger, scenario, basis):
    as_of = dt.date(scenario.year, 10, 31)
    aging = await invoice_aging(ledger, 1, "sales", as_of, basis=basis)
    expected: dict[int, dict[str, int]] = {}
    for invoice in invoices_at(scenario.path, 1, "S", as_of):
        if invoice.balance > 0:
            reference = invoice.due_date if basis == "due_date" else invoice.issue_date
            target = expected.setdefault(invoice.partner_id, dict.fromkeys(BUCKETS, 0))
            target[bucket_of((as_of - reference).days)] += invoice.balance
            target["total"] += invoice.balance
    assert {row.partner.id: {b: bani(getattr(row, b)) for b in BUCKETS} for row in aging.rows} == expected
    assert aging.basis == basis and len([b for b in BUCKETS if getattr(aging.totals, b) != 0]) >= 3


async def test_bucket_boundaries(tmp_path):
    book = FixtureLedger(tmp_path / "aging.sqlite")
    book.company(1, "A SRL", "RO19", True)
    book.partner(1, 1, "CLIENT SRL", None, "C")
    book.account(1, "4111", "Clienți", "A")
    book.account(1, "4111.00001", "CLIENT SRL", "A", partner_id=1)
    book.account(1, "707", "Venituri", "P")
    as_of = dt.date(2025, 6, 30)
    days_past_due = [-5, 0, 1, 30, 31, 60, 61, 90, 91, 400]
    for i, days in enumerate(days_past_due):
        due = as_of - dt.timedelta(days=days)
        book.invoice(1, "S", 1, due - dt.timedelta(days=10), 10, [("707", 100 * 10**i)],
                     partner_account="4111.00001", vat_account=None, vat=0)
    paid = book.invoice(1, "S", 1, dt.date(2025, 1, 2), 10, [("707", 7)], partner_account="4111.00001",
                        vat_account=None, vat=0)
    book.settle(1, paid, "S", dt.date(2025, 2, 1), 7, partner_account="4111.00001", treasury_account="5121",
                partner_id=1)
    book.invoice(1, "S", 1, dt.date(2025, 7, 1), 10, [("707", 3)], partner_account="4111.00001",
                 vat_account=None, vat=0)  # issued after as_of
    book.close()
    ledger = EmbeddedLedger(tmp_path / "aging.sqlite")
    try:
        aging = await invoice_aging(ledger, 1, "sales", as_of)
    finally:
        await ledger.close()
    expected = dict.fromkeys(BUCKETS, 0)
    for i, days in enumerate(days_past_due):
        expected[bucket_of(days)] += 100 * 10**i
        expected["total"] += 100 * 10**i
    assert {b: bani(getattr(aging.totals, b)) for b in BUCKETS} == expected
    assert expected["not_due"] == 100 + 1_000 and expected["d1_30"] == 10_000 + 100_000


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "all"}, "kind"),
        ({"basis": "posting_date"}, "basis"),
        ({"as_of": "2025-06-30"}, "as_of"),
        ({"company_id": -1}, "company_id"),
    ],
)
async def test_bad_parameters(ledger, params, field):
    with pytest.raises(ReportParameterError) as error:
        await invoice_aging(ledger, **{"company_id": 1, "kind": "sales", "as_of": dt.date(2025, 6, 30), **params})
    assert error.value.field == field
