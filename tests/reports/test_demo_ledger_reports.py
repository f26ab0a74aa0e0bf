"""The reports on the generated demo ledger (several seeds): the same invariants as on the fixtures."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools

import pytest
from report_reference import bani, invoices_at, leaf_figures, net_balance, result_of_month, revenue_and_expenses

from roa2web import demo
from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.reports import dashboard, invoice_aging, list_invoices, treasury, trial_balance
from roa2web.reports.trial_balance import AMOUNT_KEYS, PAIRS

YEAR, MONTHS = 2025, 12
SEEDS = (2025, 11, 424242)


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"demo{seed}")
def demo_path(request, tmp_path_factory):
    """A demo ledger per seed, generated once for this module."""
    path = tmp_path_factory.mktemp("demo-reports") / f"demo-{request.param}.sqlite"
    summary = demo.generate_demo_ledger(path, seed=request.param, until=(YEAR, MONTHS), months=MONTHS)
    assert summary.companies == 3 and summary.line_count > 1000
    return path


@pytest.fixture
async def demo_ledger(demo_path):
    """The embedded ledger over one demo file."""
    ledger = EmbeddedLedger(demo_path)
    yield ledger
    await ledger.close()


def month_end(month: int) -> dt.date:
    """Last day of `month` of the demo year."""
    return dt.date(YEAR, month, calendar.monthrange(YEAR, month)[1])


async def test_trial_balance_equalities_and_reference(demo_ledger, demo_path):
    for company_id, (month_from, month_to) in itertools.product((1, 2, 3), [(1, 1), (1, 12), (4, 9), (12, 12)]):
        analytic = await trial_balance(demo_ledger, company_id, YEAR, month_from, month_to, level="analytic")
        synthetic = await trial_balance(demo_ledger, company_id, YEAR, month_from, month_to, level="synthetic")
        for report in (analytic, synthetic):
            for pair in PAIRS:
                assert getattr(report.totals, f"{pair}_debit") == getattr(report.totals, f"{pair}_credit"), pair
        reference = leaf_figures(demo_path, company_id, YEAR, month_from, month_to)
        summed: dict[str, dict[str, int]] = {}
        for row in analytic.rows:
            expected = reference.get(row.account, [0] * 6)
            assert [bani(getattr(row, f"{p}_{s}")) for p in PAIRS[:3] for s in ("debit", "credit")] == expected
            target = summed.setdefault(row.synthetic, dict.fromkeys(AMOUNT_KEYS, 0))
            for key in AMOUNT_KEYS:
                target[key] += bani(getattr(row, key))
        assert {r.account: {k: bani(getattr(r, k)) for k in AMOUNT_KEYS} for r in synthetic.rows} == summed


async def test_closed_months_leave_no_result_balance_and_121_holds_the_profit(demo_ledger, demo_path):
    for company_id in (1, 2, 3):
        profit = 0
        for month in range(1, MONTHS):  # every month, open or locked, gets its closing entries
            profit += result_of_month(demo_path, company_id, YEAR, month)
            report = await trial_balance(demo_ledger, company_id, YEAR, 1, month)
            assert all(r.closing_debit == r.closing_credit == 0 for r in report.rows if r.account[0] in "67")
            row_121 = next(r for r in report.rows if r.account == "121")
            assert bani(row_121.closing_credit) - bani(row_121.closing_debit) == profit


async def test_dashboard_revenue_and_expenses_exclude_closing(demo_ledger, demo_path):
    for company_id, month in itertools.product((1, 2, 3), (3, 11, 12)):
        board = await dashboard(demo_ledger, company_id, YEAR, month)
        revenue, expenses = revenue_and_expenses(demo_path, company_id, YEAR, month)  # net of 709 and 609
        assert (bani(board.current.revenue), bani(board.current.expenses)) == (revenue, expenses)
        assert revenue > 0
        assert bani(board.cash) == sum(net_balance(demo_path, company_id, YEAR, month, p) for p in ("5311", "5314"))
        assert bani(board.receivables) == net_balance(demo_path, company_id, YEAR, month, "4111")


@pytest.mark.parametrize("month", [3, 12])
async def test_aging_matches_open_invoices_and_partner_accounts(demo_ledger, demo_path, month):
    as_of = month_end(month)
    for company_id, (kind, code, prefix, sign) in itertools.product(
        (1, 2, 3), [("sales", "S", "4111", 1), ("purchases", "P", "401", -1)]
    ):
        aging = await invoice_aging(demo_ledger, company_id, kind, as_of)
        open_total = sum(i.balance for i in invoices_at(demo_path, company_id, code, as_of) if i.balance > 0)
        assert bani(aging.totals.total) == open_total
        assert bani(aging.totals.total) == sign * net_balance(demo_path, company_id, YEAR, month, prefix)
        buckets = ("not_due", "d1_30", "d31_60", "d61_90", "over_90")
        assert sum(bani(getattr(aging.totals, b)) for b in buckets) == open_total


async def test_every_aging_bucket_is_used_at_year_end(demo_ledger):
    aging = await invoice_aging(demo_ledger, 1, "sales", month_end(12))
    assert all(getattr(aging.totals, b) > 0 for b in ("not_due", "d1_30", "d31_60", "d61_90", "over_90"))


async def test_treasury_closing_equals_trial_balance(demo_ledger):
    for company_id, month in itertools.product((1, 2, 3), (1, 7, 12)):
        cash = await treasury(demo_ledger, company_id, dt.date(YEAR, 1, 1), month_end(month))
        balance = await trial_balance(demo_ledger, company_id, YEAR, 1, month, level="analytic")
        by_account = {row.account: row for row in balance.rows}
        for row in cash.rows:
            assert row.closing == row.opening + row.receipts - row.payments
            assert row.closing == by_account[row.account].closing_debit - by_account[row.account].closing_credit
        assert {r.synthetic for r in cash.rows} >= {"5311", "5121"}


async def test_invoice_pages_cover_every_invoice_once(demo_ledger, demo_path):
    as_of = month_end(12)
    for company_id, kind in itertools.product((1, 2, 3), ("sales", "purchases")):
        seen: list[int] = []
        cursor = None
        while True:
            page = await list_invoices(demo_ledger, company_id, kind, "all", as_of=as_of, limit=37, cursor=cursor)
            seen.extend(item.invoice_id for item in page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        expected = invoices_at(demo_path, company_id, "S" if kind == "sales" else "P", as_of)
        assert sorted(seen) == sorted(i.invoice_id for i in expected) and len(seen) == len(set(seen))
        assert page.totals.count == len(seen) > 0
