"""Partners: checksum-valid CIFs (invariant 9); invoice aging against the partner accounts (invariant 10)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

KEY = (7, 5, 3, 2, 1, 7, 5, 3, 2)
BUCKETS = ("not due", "1-30", "31-60", "61-90", "over 90")


def _cif_ok(text: str) -> bool:
    """§3's algorithm, written again here so the test does not trust the code under test."""
    digits = text.removeprefix("RO")
    if not digits.isdigit() or not 2 <= len(digits) <= 10:
        return False
    body = digits[:-1].rjust(9, "0")
    remainder = sum(int(d) * k for d, k in zip(body, KEY, strict=True)) * 10 % 11
    return (0 if remainder == 10 else remainder) == int(digits[-1])


def _bucket(days_overdue: int) -> str:
    if days_overdue <= 0:
        return BUCKETS[0]
    return BUCKETS[1] if days_overdue <= 30 else BUCKETS[2] if days_overdue <= 60 else (
        BUCKETS[3] if days_overdue <= 90 else BUCKETS[4])


def test_every_cif_is_valid_and_a_changed_check_digit_fails(case):
    cifs = [cif for (cif,) in case.db.rows("SELECT cif FROM r2w_companies UNION ALL "
                                           "SELECT cif FROM r2w_partners WHERE cif IS NOT NULL")]
    cifs += [r.issuer_cif for company in case.memory.companies for r in company.receipts]
    assert {"RO28461357", "RO39172621", "44027180"} <= set(cifs)
    assert any(c.startswith("RO") for c in cifs) and any(not c.startswith("RO") for c in cifs)
    for cif in set(cifs):
        assert _cif_ok(cif), cif
        for digit in "0123456789":
            if digit != cif[-1]:
                assert not _cif_ok(cif[:-1] + digit), cif
    kinds = case.db.rows("SELECT company_id, kind, COUNT(*) FROM r2w_partners GROUP BY 1, 2")
    for company_id, kind, count in kinds:
        assert {"C": 7 <= count <= 10, "S": 5 <= count <= 8, "E": 2 <= count <= 5}[kind], (company_id, kind)
    assert case.db.rows("SELECT COUNT(*) FROM r2w_partners WHERE kind = 'E' AND cif IS NOT NULL")[0][0] == 0


def _open_invoices(db, company_id: int, kind: str, as_of: dt.date):
    rows = db.rows(
        """SELECT i.partner_id, i.total_bani - COALESCE(SUM(p.amount_bani), 0), i.due_date, i.issue_date
           FROM r2w_invoices i LEFT JOIN r2w_invoice_payments p
             ON p.company_id = i.company_id AND p.invoice_id = i.invoice_id AND p.pay_date <= ?
           WHERE i.company_id = ? AND i.kind = ? GROUP BY i.invoice_id""",
        as_of.isoformat(), company_id, kind)
    return [(partner, balance, dt.date.fromisoformat(due), dt.date.fromisoformat(issue))
            for partner, balance, due, issue in rows]


def test_aging_buckets_add_up_to_the_partner_accounts(case):
    db, as_of = case.db, case.db.as_of()
    year, month = db.last_period()
    for company_id in db.company_ids():
        table = db.trial_balance(company_id, year, month, month)
        accounts = db.accounts(company_id)
        for kind, synthetic in (("S", "4111"), ("P", "401")):
            invoices = _open_invoices(db, company_id, kind, as_of)
            assert all(balance >= 0 for _, balance, _, _ in invoices)  # never paid more than the invoice
            per_partner: defaultdict[int, int] = defaultdict(int)
            buckets: defaultdict[str, int] = defaultdict(int)
            for partner_id, balance, due, _ in invoices:
                if balance:
                    per_partner[partner_id] += balance
                    buckets[_bucket((as_of - due).days)] += balance
            ledger = {accounts[a][3]: row.sf[0] - row.sf[1] for a, row in table.items()
                      if accounts[a][1] == synthetic}
            sign = 1 if kind == "S" else -1
            assert {p: sign * b for p, b in ledger.items() if b} == dict(per_partner), (company_id, kind)
            assert sum(buckets.values()) == sum(per_partner.values())
            if kind == "S" and case.args["months"] >= 5:
                assert all(buckets[name] > 0 for name in BUCKETS), (company_id, dict(buckets))


def test_payment_terms_and_payments_are_legal(case):
    db = case.db
    terms = {t for (t,) in db.rows("SELECT DISTINCT CAST(julianday(due_date) - julianday(issue_date) AS INTEGER) "
                                   "FROM r2w_invoices")}
    assert terms <= {15, 30, 45, 60} and max(terms) <= 60
    bad = db.rows("""SELECT COUNT(*) FROM r2w_invoice_payments p JOIN r2w_invoices i
                       ON i.company_id = p.company_id AND i.invoice_id = p.invoice_id
                     WHERE p.amount_bani <= 0 OR p.pay_date <= i.issue_date""")[0][0]
    assert bad == 0
    for company_id in db.company_ids():
        allocated = dict(db.rows(
            """SELECT i.kind || i.partner_id, SUM(p.amount_bani) FROM r2w_invoice_payments p
               JOIN r2w_invoices i ON i.company_id = p.company_id AND i.invoice_id = p.invoice_id
               WHERE p.company_id = ? GROUP BY 1""", company_id))
        booked = dict(db.rows(
            """SELECT CASE doc_type WHEN 'COLLECTION' THEN 'S' ELSE 'P' END || partner_id, SUM(amount_bani)
               FROM r2w_journal_lines WHERE company_id = ? AND partner_id IS NOT NULL
                 AND (doc_type = 'COLLECTION' OR (doc_type = 'PAYMENT' AND debit_account LIKE '401.%'))
               GROUP BY 1""", company_id))
        assert allocated == booked
