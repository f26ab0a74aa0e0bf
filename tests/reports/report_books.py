"""A hand-made ledger writer for the report tests: the contract schema in a temp SQLite file.

Independent of the demo generator: it posts documents line by line, keeps invoices and their
payments consistent with 4111/401, and closes classes 6/7 into 121 with CLOSING lines.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import roa2web.ledger

SCHEMA = Path(roa2web.ledger.__file__).with_name("schema.sql")


class FixtureLedger:
    """Writes the contract tables; amounts are integer bani."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.executescript(SCHEMA.read_text(encoding="utf-8"))
        self._line_id = 0
        self._invoice_id = 0
        self._payment_id = 0
        self.functions: dict[tuple[int, str], str] = {}

    def close(self) -> None:
        """Commit and close the file."""
        self.db.commit()
        self.db.close()

    def company(self, company_id: int, name: str, cif: str, vat_payer: bool) -> None:
        """Add a company."""
        self.db.execute("INSERT INTO r2w_companies VALUES (?, ?, ?, ?)", (company_id, name, cif, int(vat_payer)))

    def partner(self, company_id: int, partner_id: int, name: str, cif: str | None, kind: str) -> None:
        """Add a partner ('C' customer, 'S' supplier, 'E' employee)."""
        self.db.execute(
            "INSERT INTO r2w_partners VALUES (?, ?, ?, ?, ?)", (company_id, partner_id, name, cif, kind)
        )

    def account(
        self, company_id: int, code: str, name: str, function: str, parent: str | None = None,
        partner_id: int | None = None,
    ) -> None:
        """Add an account; an analytic ('4111.00001') hangs from its synthetic ('4111')."""
        synthetic = code.split(".", 1)[0]
        is_analytic = "." in code
        self.db.execute(
            "INSERT INTO r2w_accounts VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (company_id, code, name, function, synthetic, synthetic if is_analytic else parent,
             int(is_analytic), partner_id),
        )
        self.functions[(company_id, code)] = function

    def opening(self, company_id: int, year: int, account: str, debit: int, credit: int) -> None:
        """An opening balance at 1 January."""
        self.db.execute(
            "INSERT INTO r2w_opening_balances VALUES (?, ?, ?, ?, ?)", (company_id, year, account, debit, credit)
        )

    def post(
        self, company_id: int, doc_type: str, number: str, day: dt.date, debit: str, credit: str, amount: int,
        *, partner_id: int | None = None, is_closing: bool = False, period: tuple[int, int] | None = None,
    ) -> None:
        """One journal line `debit = credit amount`, posted in the month of `day` unless `period`."""
        assert amount > 0, "journal amounts are positive"
        year, month = period or (day.year, day.month)
        self._line_id += 1
        self.db.execute(
            "INSERT INTO r2w_journal_lines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (company_id, self._line_id, doc_type, number, day.isoformat(), year, month, debit, credit, amount,
             partner_id, int(is_closing), None),
        )

    def invoice(
        self, company_id: int, kind: str, partner_id: int, day: dt.date, term_days: int,
        lines: list[tuple[str, int]], *, partner_account: str, vat_account: str | None, vat: int,
        post: bool = True,
    ) -> int:
        """A sales ('S': 4111.p = revenue + 4427) or purchase ('P': expense + 4426 = 401.s) invoice."""
        self._invoice_id += 1
        number = f"{kind}{self._invoice_id:06d}"
        total = sum(amount for _, amount in lines) + vat
        if post:
            doc_type = "SALE" if kind == "S" else "PURCHASE"
            for account, amount in [*lines, *([(vat_account, vat)] if vat and vat_account else [])]:
                debit, credit = (partner_account, account) if kind == "S" else (account, partner_account)
                self.post(company_id, doc_type, number, day, debit, credit, amount, partner_id=partner_id)
        self.db.execute(
            "INSERT INTO r2w_invoices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (company_id, self._invoice_id, kind, number, day.isoformat(),
             (day + dt.timedelta(days=term_days)).isoformat(), partner_id, total, vat),
        )
        return self._invoice_id

    def settle(
        self, company_id: int, invoice_id: int, kind: str, day: dt.date, amount: int, *, partner_account: str,
        treasury_account: str, partner_id: int,
    ) -> None:
        """A collection (5121 = 4111.p) or payment (401.s = 5121) allocated to one invoice."""
        self._payment_id += 1
        number = f"{'COL' if kind == 'S' else 'PAY'}{self._payment_id:06d}"
        debit, credit = (treasury_account, partner_account) if kind == "S" else (partner_account, treasury_account)
        self.post(company_id, "COLLECTION" if kind == "S" else "PAYMENT", number, day, debit, credit, amount,
                  partner_id=partner_id)
        self.db.execute(
            "INSERT INTO r2w_invoice_payments VALUES (?, ?, ?, ?, ?)",
            (company_id, self._payment_id, invoice_id, day.isoformat(), amount),
        )

    def balances(self, company_id: int, year: int, month: int, prefix: str) -> dict[str, int]:
        """debit - credit per account starting with `prefix`, at the end of `month` (Python sums)."""
        net: dict[str, int] = {}
        for account, debit, credit in self.db.execute(
            "SELECT account, debit_bani, credit_bani FROM r2w_opening_balances "
            "WHERE company_id = ? AND fiscal_year = ?", (company_id, year),
        ):
            net[account] = net.get(account, 0) + debit - credit
        for debit_account, credit_account, amount in self.db.execute(
            "SELECT debit_account, credit_account, amount_bani FROM r2w_journal_lines "
            "WHERE company_id = ? AND period_year = ? AND period_month <= ?", (company_id, year, month),
        ):
            net[debit_account] = net.get(debit_account, 0) + amount
            net[credit_account] = net.get(credit_account, 0) - amount
        return {account: value for account, value in net.items() if account.startswith(prefix) and value}

    def close_results(self, company_id: int, year: int, month: int) -> None:
        """Close every class 6 and 7 account into 121 (doc type CLOSING, is_closing = 1)."""
        day = dt.date(year, month, 28)
        number = f"INCH{year}{month:02d}"
        for account, net in sorted({**self.balances(company_id, year, month, "6"),
                                    **self.balances(company_id, year, month, "7")}.items()):
            if net > 0:
                self.post(company_id, "CLOSING", number, day, "121", account, net, is_closing=True)
            else:
                self.post(company_id, "CLOSING", number, day, account, "121", -net, is_closing=True)

    def period(self, company_id: int, year: int, month: int, closed: bool) -> None:
        """Mark a month open or locked."""
        self.db.execute("INSERT INTO r2w_periods VALUES (?, ?, ?, ?)", (company_id, year, month, int(closed)))
