"""Independent reference figures for the report tests: plain sqlite3 reads and Python loops.

Nothing here uses the report statements or builders, so a test comparing both checks the
SQL and the domain logic against a second, naive implementation.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from roa2web.reports.money import to_bani


def connect(path: Path) -> sqlite3.Connection:
    """A read-only connection to a test ledger file."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def leaf_figures(path: Path, company_id: int, year: int, month_from: int, month_to: int) -> dict[str, list[int]]:
    """[SI_D, SI_C, RP_D, RP_C, RC_D, RC_C] per account, summed line by line in Python."""
    figures: dict[str, list[int]] = {}
    with closing(connect(path)) as db:
        for account, debit, credit in db.execute(
            "SELECT account, debit_bani, credit_bani FROM r2w_opening_balances "
            "WHERE company_id = ? AND fiscal_year = ?",
            (company_id, year),
        ):
            row = figures.setdefault(account, [0] * 6)
            row[0] += debit
            row[1] += credit
        for debit_account, credit_account, month, amount in db.execute(
            "SELECT debit_account, credit_account, period_month, amount_bani FROM r2w_journal_lines "
            "WHERE company_id = ? AND period_year = ?",
            (company_id, year),
        ):
            if month > month_to:
                continue
            offset = 2 if month < month_from else 4
            figures.setdefault(debit_account, [0] * 6)[offset] += amount
            figures.setdefault(credit_account, [0] * 6)[offset + 1] += amount
    return figures


def net_balance(path: Path, company_id: int, year: int, month: int, prefix: str) -> int:
    """debit - credit of every account starting with `prefix` at the end of `month`."""
    figures = leaf_figures(path, company_id, year, month, month)
    return sum(f[0] - f[1] + f[2] - f[3] + f[4] - f[5] for account, f in figures.items() if account.startswith(prefix))


def turnover(path: Path, company_id: int, year: int, month: int, *, side: str, klass: str, with_closing: bool) -> int:
    """Direct SQL: one side's turnover of a class in one month, with or without closing lines."""
    column = "credit_account" if side == "credit" else "debit_account"
    with closing(connect(path)) as db:
        (value,) = db.execute(
            f"SELECT COALESCE(SUM(amount_bani), 0) FROM r2w_journal_lines WHERE company_id = ? AND period_year = ? "
            f"AND period_month = ? AND substr({column}, 1, 1) = ? AND (? = 1 OR is_closing = 0)",
            (company_id, year, month, klass, int(with_closing)),
        ).fetchone()
    return int(value)


def revenue_and_expenses(path: Path, company_id: int, year: int, month: int) -> tuple[int, int]:
    """Class 7 credit - debit (709 reduces it) and class 6 debit - credit (609 reduces it), closing excluded."""
    flows = {
        (side, klass): turnover(path, company_id, year, month, side=side, klass=klass, with_closing=False)
        for side in ("debit", "credit")
        for klass in ("6", "7")
    }
    return flows["credit", "7"] - flows["debit", "7"], flows["debit", "6"] - flows["credit", "6"]


def result_of_month(path: Path, company_id: int, year: int, month: int) -> int:
    """(class 7 credit - debit) - (class 6 debit - credit) of one month, closing lines excluded."""
    revenue, expenses = revenue_and_expenses(path, company_id, year, month)
    return revenue - expenses


def closed_into_121(path: Path, company_id: int, year: int, month: int) -> int:
    """What the closing lines (is_closing) of one month put into 121: credit - debit."""
    with closing(connect(path)) as db:
        (value,) = db.execute(
            "SELECT COALESCE(SUM(CASE WHEN credit_account = '121' THEN amount_bani ELSE 0 END), 0) "
            "- COALESCE(SUM(CASE WHEN debit_account = '121' THEN amount_bani ELSE 0 END), 0) "
            "FROM r2w_journal_lines WHERE company_id = ? AND period_year = ? AND period_month = ? AND is_closing = 1",
            (company_id, year, month),
        ).fetchone()
    return int(value)


@dataclass(frozen=True)
class OpenInvoice:
    """An invoice with its payments up to a date, computed in Python."""

    invoice_id: int
    partner_id: int
    issue_date: dt.date
    due_date: dt.date
    total: int
    paid: int

    @property
    def balance(self) -> int:
        """Total minus payments."""
        return self.total - self.paid


def invoices_at(path: Path, company_id: int, kind: str, as_of: dt.date) -> list[OpenInvoice]:
    """Every invoice of `kind` ('S'/'P') issued by `as_of`, with the payments dated up to it."""
    with closing(connect(path)) as db:
        paid: dict[int, int] = {}
        for invoice_id, day, amount in db.execute(
            "SELECT invoice_id, pay_date, amount_bani FROM r2w_invoice_payments WHERE company_id = ?", (company_id,)
        ):
            if dt.date.fromisoformat(day) <= as_of:
                paid[invoice_id] = paid.get(invoice_id, 0) + amount
        rows = db.execute(
            "SELECT invoice_id, partner_id, issue_date, due_date, total_bani FROM r2w_invoices "
            "WHERE company_id = ? AND kind = ?",
            (company_id, kind),
        ).fetchall()
    result = []
    for invoice_id, partner_id, issued, due, total in rows:
        issue = dt.date.fromisoformat(issued)
        if issue <= as_of:
            result.append(OpenInvoice(invoice_id, partner_id, issue, dt.date.fromisoformat(due), total,
                                      paid.get(invoice_id, 0)))
    return result


def bani(value: Decimal) -> int:
    """A report amount back to integer bani (fails on more than two decimals)."""
    assert isinstance(value, Decimal) and value.as_tuple().exponent == -2, value
    return to_bani(value)
