"""Documents (invariant 1), postings on leaf accounts, periods and locking (invariant 11)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from roa2web.accounting.vat import vat_on_net
from roa2web.demo import (
    BookError,
    CashOverdrawnError,
    Document,
    Entry,
    PeriodLockedError,
    build_demo_ledger,
)
from roa2web.demo.days import months_until


def test_every_line_is_a_positive_integer_on_two_leaf_accounts(case):
    db = case.db
    assert db.rows("SELECT COUNT(*) FROM r2w_journal_lines WHERE typeof(amount_bani) <> 'integer' "
                   "OR amount_bani <= 0 OR debit_account = credit_account")[0][0] == 0
    for company_id in db.company_ids():
        accounts = db.accounts(company_id)
        with_analytics = {synthetic for _, synthetic, is_analytic, _ in accounts.values() if is_analytic}
        leaves = {a for a, row in accounts.items() if row[2] == 1 or a not in with_analytics}
        used = {a for (a,) in db.rows("SELECT debit_account FROM r2w_journal_lines WHERE company_id = ? UNION "
                                      "SELECT credit_account FROM r2w_journal_lines WHERE company_id = ?",
                                      company_id, company_id)}
        opened = {a for (a,) in db.rows("SELECT account FROM r2w_opening_balances WHERE company_id = ?", company_id)}
        assert used | opened <= leaves
        for account, (function, synthetic, is_analytic, partner_id) in accounts.items():
            assert function in {"A", "P", "B"}
            assert synthetic in accounts and accounts[synthetic][2] == 0
            assert (synthetic == account) == (is_analytic == 0)
            if synthetic in {"4111", "401", "421"} and is_analytic:
                assert partner_id is not None


def test_documents_are_dated_in_their_period_and_flagged_consistently(case):
    docs = case.db.rows(
        """SELECT company_id, doc_type, doc_number, COUNT(DISTINCT doc_date), MIN(doc_date),
                  COUNT(DISTINCT period_year * 100 + period_month), MIN(period_year), MIN(period_month),
                  MIN(is_closing), MAX(is_closing), SUM(amount_bani)
           FROM r2w_journal_lines GROUP BY company_id, doc_type, doc_number""")
    assert docs
    for company_id, doc_type, number, dates, day, periods, year, month, low, high, total in docs:
        assert dates == 1 and periods == 1, (company_id, number)
        assert (year, month) == (int(day[:4]), int(day[5:7]))
        assert low == high  # a document is a period-closing one (is_closing) or not, all its lines alike
        assert high == 0 or doc_type == "CLOSING"
        assert total > 0
    closing_accounts = case.db.rows(
        "SELECT DISTINCT debit_account, credit_account FROM r2w_journal_lines WHERE is_closing = 1")
    for debit, credit in closing_accounts:
        assert "121" in (debit, credit) and {debit[0], credit[0]} - {"1"} <= {"6", "7"}


def test_vat_and_result_closing_documents_are_of_type_closing(case):
    """Issue 2: VAT and result closing documents of type CLOSING; only the 6/7 closing is flagged is_closing."""
    db = case.db
    kinds = db.rows(
        """SELECT substr(doc_number, 1, instr(doc_number, '-')) AS series, doc_type, MAX(is_closing),
                  MAX(CASE WHEN substr(debit_account, 1, 3) IN ('442') OR substr(credit_account, 1, 3) = '442'
                           THEN 1 ELSE 0 END)
           FROM r2w_journal_lines WHERE doc_number LIKE 'TVA-%' OR doc_number LIKE 'INCH-%' GROUP BY 1, 2""")
    assert sorted(kinds) == [("INCH-", "CLOSING", 1, 0), ("TVA-", "CLOSING", 0, 1)]
    vat_offsets = db.rows("SELECT DISTINCT doc_type FROM r2w_journal_lines WHERE debit_account = '4427' "
                          "AND credit_account IN ('4426', '4423', '4424')")
    assert vat_offsets == [("CLOSING",)]
    assert db.rows("SELECT COUNT(*) FROM r2w_journal_lines WHERE doc_type = 'VAT'") == [(0,)]


def test_invoice_documents_match_the_invoice_totals(case):
    db = case.db
    vat_payer = dict(db.rows("SELECT company_id, vat_payer FROM r2w_companies"))
    lines = defaultdict(list)
    for row in db.rows("SELECT company_id, doc_type, doc_number, debit_account, credit_account, amount_bani, "
                       "partner_id FROM r2w_journal_lines WHERE doc_type IN ('SALE', 'PURCHASE')"):
        lines[row[:3]].append(row[3:])
    invoices = db.rows("SELECT company_id, kind, number, partner_id, total_bani, vat_bani, issue_date, due_date "
                       "FROM r2w_invoices")
    assert len(invoices) == len(lines)
    discounted = {"S": 0, "P": 0}
    for company_id, kind, number, partner_id, total, vat, _, _ in invoices:
        doc = lines[(company_id, "SALE" if kind == "S" else "PURCHASE", number)]
        partner_account = f"{'4111' if kind == 'S' else '401'}.{partner_id:05d}"
        debited = sum(a for d, _, a, p in doc if d == partner_account and p == partner_id)
        credited = sum(a for _, c, a, p in doc if c == partner_account and p == partner_id)
        if kind == "S":  # 4111 = 707/704 + 4427, and 709 = 4111 for a trade discount granted
            discount = sum(a for d, c, a, _ in doc if (d, c) == ("709", partner_account))
            assert debited - credited == total and credited == discount
            assert sum(a for _, c, a, _ in doc if c == "4427") == vat
            assert all(d in (partner_account, "607", "709") for d, _, _, _ in doc)
            base = sum(a for d, c, a, _ in doc if d == partner_account and c in ("704", "707")) - discount
            assert vat == 0 or any(vat == vat_on_net(base, rate) for rate in (5, 9, 11, 19, 21))  # after the discount
        else:  # expense + 4426 = 401, and 401 = 609 for a trade discount received
            discount = sum(a for d, c, a, _ in doc if (d, c) == (partner_account, "609"))
            assert credited - debited == total and debited == discount
            deductible = sum(a for d, _, a, _ in doc if d == "4426")
            assert deductible == (vat if vat_payer[company_id] else 0)
        discounted[kind] += discount > 0
        assert 0 <= vat < total
    assert discounted["S"] > 0 and discounted["P"] > 0  # the demo exercises 709 and 609


def test_periods_are_locked_except_the_last_two(case):
    db = case.db
    months, until = case.args["months"], case.args["until"]
    for company_id in db.company_ids():
        periods = db.rows("SELECT year, month, closed FROM r2w_periods WHERE company_id = ? ORDER BY year, month",
                          company_id)
        assert len(periods) == months
        assert [closed for _, _, closed in periods] == [1] * (months - 2) + [0, 0]
        assert [(y, m) for y, m, _ in periods] == months_until(until, months)
        posted = db.rows("SELECT DISTINCT period_year, period_month FROM r2w_journal_lines WHERE company_id = ? "
                         "AND doc_type = 'CLOSING' ORDER BY 1, 2", company_id)
        assert posted == [(y, m) for y, m, _ in periods]  # every month got its closing entries
    users = set(db.rows("SELECT username, company_id FROM r2w_user_companies"))
    assert {("ADMIN", 1), ("ADMIN", 2), ("ADMIN", 3), ("CONTABIL1", 1), ("CONTABIL2", 3)} <= users


@pytest.fixture(scope="module")
def three_months():
    return build_demo_ledger(seed=99, until=(2025, 4), months=4)


def test_posting_into_a_locked_period_is_rejected(three_months):
    book = three_months.company(1).book
    lines_before = len(book.lines)
    for month in (1, 2):
        assert book.is_locked(2025, month)
        with pytest.raises(PeriodLockedError, match=f"2025-0{month} is locked"):
            book.post(Document("BANK", f"X-{month}", dt.date(2025, month, 10), (Entry("627", "5121.01", 1_00),)))
    assert len(book.lines) == lines_before
    assert not book.is_locked(2025, 3) and not book.is_locked(2025, 4)  # the last two months stay open
    book.post(Document("BANK", "X-3", dt.date(2025, 3, 10), (Entry("627", "5121.01", 1_00),)))
    assert len(book.lines) == lines_before + 1


def test_the_book_refuses_unbalanced_or_invalid_postings(three_months):
    book = three_months.company(2).book
    day = dt.date(2025, 3, 31)
    invalid = [
        (Entry("627", "5121", 1_00),),  # synthetic with analytics is not a posting account
        (Entry("627", "5121.01", 0),),
        (Entry("627", "5121.01", -5),),
        (Entry("5121.01", "5121.01", 1_00),),
        (Entry("999", "5121.01", 1_00),),  # not in the chart
    ]
    for entries in invalid:
        with pytest.raises(BookError):
            book.post(Document("BANK", "BAD", day, entries))
    with pytest.raises(BookError):
        book.post(Document("BANK", "EMPTY", day, ()))
    gama = three_months.company(3).book
    with pytest.raises(BookError):  # GAMA is not a VAT payer: no 442x accounts
        gama.post(Document("BANK", "VAT", day, (Entry("4426", "5121.01", 1_00),)))
    cash = book.balance("5311.01")
    with pytest.raises(CashOverdrawnError):
        book.post(Document("ADVANCE", "TOO-MUCH", day, (Entry("542", "5311.01", cash + 1),)))
    assert book.balance("5311.01") == cash
