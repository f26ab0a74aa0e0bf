"""VAT (invariant 6), cash and transfers (invariant 7), fiscal receipts (invariant 8)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

OLD_RATES, NEW_RATES = {19, 9, 5}, {21, 11}
CHANGE = dt.date(2025, 8, 1)


def _rates_on(day: dt.date) -> tuple[set[int], set[int]]:
    """(rates allowed on `day`, rates of the other regime), straight from §4's table."""
    return (NEW_RATES, OLD_RATES) if day >= CHANGE else (OLD_RATES, NEW_RATES)


def _vat_on_net(net: int, rate: int) -> int:
    return int((Decimal(net) * rate / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _vat_in_gross(gross: int, rate: int) -> int:
    return int((Decimal(gross) * rate / (100 + rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _month_turnover(db, company_id, account, side, doc_filter=""):
    column = "debit_account" if side == "D" else "credit_account"
    return dict(db.rows(f"SELECT period_year * 100 + period_month, SUM(amount_bani) FROM r2w_journal_lines "
                        f"WHERE company_id = ? AND {column} = ? {doc_filter} GROUP BY 1", company_id, account))


def test_vat_accounts_are_closed_and_match_invoices_and_receipts(case):
    db = case.db
    for company_id, vat_payer in db.rows("SELECT company_id, vat_payer FROM r2w_companies"):
        vat_lines = db.rows("SELECT COUNT(*) FROM r2w_journal_lines WHERE company_id = ? AND "
                            "(debit_account LIKE '442%' OR credit_account LIKE '442%')", company_id)[0][0]
        if not vat_payer:
            assert vat_lines == 0
            assert not [a for a in db.accounts(company_id) if a.startswith("442")]
            continue
        for year in db.years(company_id):
            for month in db.months(company_id, year):
                table = db.trial_balance(company_id, year, month, month)
                for account in ("4426", "4427"):
                    assert table[account].sf == (0, 0), (company_id, year, month, account)
        sales_vat = dict(db.rows("SELECT CAST(strftime('%Y%m', issue_date) AS INTEGER), SUM(vat_bani) "
                                 "FROM r2w_invoices WHERE company_id = ? AND kind = 'S' GROUP BY 1", company_id))
        assert _month_turnover(db, company_id, "4427", "C") == sales_vat
        deductible: defaultdict[int, int] = defaultdict(int)
        for key, vat in db.rows("SELECT CAST(strftime('%Y%m', issue_date) AS INTEGER), SUM(vat_bani) "
                                "FROM r2w_invoices WHERE company_id = ? AND kind = 'P' GROUP BY 1", company_id):
            deductible[key] += vat
        for receipt in case.memory.company(company_id).receipts:
            if receipt.deductible:
                deductible[receipt.date.year * 100 + receipt.date.month] += sum(g.vat for g in receipt.groups)
        assert _month_turnover(db, company_id, "4426", "D") == {k: v for k, v in deductible.items() if v}


def test_vat_payable_is_paid_the_next_month(case):
    db = case.db
    periods = [y * 100 + m for y, m in db.rows("SELECT year, month FROM r2w_periods WHERE company_id = 1 "
                                               "ORDER BY year, month")]
    for company_id in (1, 2):
        payable = _month_turnover(db, company_id, "4423", "C")
        paid = _month_turnover(db, company_id, "4423", "D", "AND doc_type = 'TAX'")
        assert payable
        for previous, current in itertools.pairwise(periods):
            assert paid.get(current, 0) == payable.get(previous, 0), (company_id, current)
        year, month = divmod(periods[-1], 100)
        assert db.trial_balance(company_id, year, month, month)["4423"].sf == (0, payable.get(periods[-1], 0))


def test_invoice_vat_uses_the_rates_in_force_on_the_invoice_date(case):
    for number, issue, total, vat in case.db.rows(
        "SELECT number, issue_date, total_bani, vat_bani FROM r2w_invoices WHERE vat_bani > 0"
    ):
        allowed, other = _rates_on(dt.date.fromisoformat(issue))
        net = total - vat
        assert any(_vat_on_net(net, rate) == vat for rate in allowed), (number, issue, net, vat)
        assert not any(_vat_on_net(net, rate) == vat for rate in other), (number, issue)


def test_cash_desk_is_never_in_credit_on_any_day(case):
    db = case.db
    for company_id in db.company_ids():
        for year in db.years(company_id):
            opening = db.opening(company_id, year)
            balance = sum(d - c for account, (d, c) in opening.items() if account.startswith("5311"))
            days = db.rows(
                """SELECT doc_date, SUM(CASE WHEN debit_account LIKE '5311%' THEN amount_bani ELSE 0 END)
                                  - SUM(CASE WHEN credit_account LIKE '5311%' THEN amount_bani ELSE 0 END)
                   FROM r2w_journal_lines WHERE company_id = ? AND period_year = ?
                     AND (debit_account LIKE '5311%' OR credit_account LIKE '5311%')
                   GROUP BY doc_date ORDER BY doc_date""", company_id, year)
            assert len(days) >= len(db.months(company_id, year))
            for day, change in days:
                balance += change
                assert balance >= 0, (company_id, day, balance)


def test_internal_transfers_and_advances_are_zero_at_every_month_end(case):
    db = case.db
    for company_id in db.company_ids():
        for year in db.years(company_id):
            months = db.months(company_id, year)
            for month in months:
                table = db.trial_balance(company_id, year, 1, month)
                for account in ("581", "542"):
                    row = table.get(account)
                    assert row is None or row.ts[0] == row.ts[1], (company_id, year, month, account)
            moved = db.rows("SELECT COUNT(DISTINCT period_month) FROM r2w_journal_lines WHERE company_id = ? "
                            "AND period_year = ? AND (debit_account = '581' OR credit_account = '581')",
                            company_id, year)[0][0]
            assert moved == len(months)  # cash goes through 581 every month


def test_receipts_add_up_and_are_booked_as_printed(case):
    db = case.db
    lines = defaultdict(list)
    for company_id, number, debit, credit, amount in db.rows(
        "SELECT company_id, doc_number, debit_account, credit_account, amount_bani FROM r2w_journal_lines "
        "WHERE doc_type = 'RECEIPT'"
    ):
        lines[(company_id, number)].append((debit, credit, amount))
    receipts = [r for company in case.memory.companies for r in company.receipts]
    assert len(receipts) == len(lines)
    paid_from = {"CARD": "5121.", "NUMERAR": "5311.", "AVANS": "542"}
    for receipt in receipts:
        allowed, _ = _rates_on(receipt.date)
        assert len({g.rate for g in receipt.groups}) == len(receipt.groups)
        for group in receipt.groups:
            assert group.rate in allowed
            assert group.net + group.vat == group.gross and group.net > 0 and group.vat > 0
            assert group.vat == _vat_in_gross(group.gross, group.rate)
        assert sum(group.gross for group in receipt.groups) == receipt.total
        booked = lines[(receipt.company_id, receipt.number)]
        assert sum(amount for _, _, amount in booked) == receipt.total
        assert all(credit.startswith(paid_from[receipt.payment]) for _, credit, _ in booked)
        vat_booked = [amount for debit, _, amount in booked if debit == "4426"]
        if receipt.deductible:
            assert receipt.buyer_cif and receipt.total <= 100 * 480
            assert sum(vat_booked) == sum(group.vat for group in receipt.groups)
        else:
            assert vat_booked == []  # no buyer code, over the limit or not a VAT payer: gross is expensed
    assert {r.payment for r in receipts} == set(paid_from)
    assert any(r.buyer_cif is None for r in receipts) and any(r.deductible for r in receipts)
