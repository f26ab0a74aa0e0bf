"""Treasury: closing = opening + receipts - payments, consistent with the trial balance and by date."""

from __future__ import annotations

import calendar
import datetime as dt
from contextlib import closing

import pytest
from report_reference import bani, connect

from roa2web.reports import ReportParameterError, treasury, trial_balance

CASH_AND_BANK = ("5311", "5314", "5121", "5124", "5125")


def movements(path, company_id, year, date_from, date_to):
    """Reference (opening, receipts, payments) per cash/bank account, by document date, in Python."""
    result: dict[str, list[int]] = {}
    with closing(connect(path)) as db:
        for account, debit, credit in db.execute(
            "SELECT account, debit_bani, credit_bani FROM r2w_opening_balances WHERE company_id = ? "
            "AND fiscal_year = ?", (company_id, year)
        ):
            result.setdefault(account, [0, 0, 0])[0] += debit - credit
        for day, debit_account, credit_account, amount in db.execute(
            "SELECT doc_date, debit_account, credit_account, amount_bani FROM r2w_journal_lines "
            "WHERE company_id = ? AND period_year = ?", (company_id, year)
        ):
            when = dt.date.fromisoformat(day)
            if when > date_to:
                continue
            for account, sign, slot in ((debit_account, 1, 1), (credit_account, -1, 2)):
                row = result.setdefault(account, [0, 0, 0])
                if when < date_from:
                    row[0] += sign * amount
                else:
                    row[slot] += amount
    return {a: v for a, v in result.items() if a.split(".")[0] in CASH_AND_BANK}


@pytest.mark.parametrize(
    "window", [(dt.date(2025, 1, 1), dt.date(2025, 1, 31)), (dt.date(2025, 3, 10), dt.date(2025, 8, 20)),
               (dt.date(2025, 12, 31), dt.date(2025, 12, 31))]
)
async def test_rows_follow_the_document_dates(ledger, scenario, window):
    for company_id in scenario.companies:
        report = await treasury(ledger, company_id, *window)
        reference = movements(scenario.path, company_id, scenario.year, *window)
        assert {row.account for row in report.rows} >= set(reference)
        for row in report.rows:
            opening, receipts, payments = reference.get(row.account, [0, 0, 0])
            assert (bani(row.opening), bani(row.receipts), bani(row.payments)) == (opening, receipts, payments)
            assert bani(row.closing) == opening + receipts - payments
            assert row.synthetic in CASH_AND_BANK
        for field in ("opening", "receipts", "payments", "closing"):
            assert bani(getattr(report.totals, field)) == sum(bani(getattr(r, field)) for r in report.rows)
        assert report.totals.receipts > 0 or window[0] == window[1]


@pytest.mark.parametrize("month", [1, 6, 12])
async def test_closing_at_a_month_end_equals_the_trial_balance(ledger, scenario, month):
    end = dt.date(scenario.year, month, calendar.monthrange(scenario.year, month)[1])
    for company_id in scenario.companies:
        report = await treasury(ledger, company_id, dt.date(scenario.year, 1, 1), end)
        balance = await trial_balance(ledger, company_id, scenario.year, 1, month, level="analytic")
        by_account = {row.account: row for row in balance.rows}
        checked = 0
        for row in report.rows:
            tb_row = by_account[row.account]
            assert bani(row.closing) == bani(tb_row.closing_debit) - bani(tb_row.closing_credit)
            assert bani(row.opening) == bani(tb_row.opening_debit) - bani(tb_row.opening_credit)
            checked += row.account.startswith(("5311", "5121"))
        assert checked >= 2


async def test_consecutive_ranges_chain(ledger, scenario):
    first = await treasury(ledger, 1, dt.date(2025, 1, 1), dt.date(2025, 3, 15))
    second = await treasury(ledger, 1, dt.date(2025, 3, 16), dt.date(2025, 4, 30))
    whole = await treasury(ledger, 1, dt.date(2025, 1, 1), dt.date(2025, 4, 30))
    assert [(r.account, r.closing) for r in first.rows] == [(r.account, r.opening) for r in second.rows]
    assert [r.closing for r in second.rows] == [r.closing for r in whole.rows]
    assert whole.totals.receipts == first.totals.receipts + second.totals.receipts


@pytest.mark.parametrize(
    ("date_from", "date_to", "field"),
    [
        (dt.date(2024, 12, 1), dt.date(2025, 1, 31), "date_to"),
        (dt.date(2025, 2, 1), dt.date(2025, 1, 31), "date_from"),
        (dt.datetime(2025, 1, 1, 8, 0), dt.date(2025, 1, 31), "date_from"),
    ],
)
async def test_bad_ranges_are_refused(ledger, date_from, date_to, field):
    with pytest.raises(ReportParameterError) as error:
        await treasury(ledger, 1, date_from, date_to)
    assert error.value.field == field
