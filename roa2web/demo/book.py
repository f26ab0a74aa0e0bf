"""An in-memory book for one company: posts balanced documents, refuses locked periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# company_id, line_id, doc_type, doc_number, doc_date, period_year, period_month,
# debit_account, credit_account, amount_bani, partner_id, is_closing, description
LineRow = tuple[int, int, str, str, str, int, int, str, str, int, int | None, int, str | None]


class BookError(Exception):
    """A document cannot be posted."""


class PeriodLockedError(BookError):
    """The document falls in a locked (closed) period."""


class CashOverdrawnError(BookError):
    """The document would leave a cash account in credit."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of a journal voucher: `debit = credit  amount`."""

    debit: str
    credit: str
    amount: int
    partner_id: int | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A journal voucher; every entry debits and credits the same amount, so it always balances."""

    doc_type: str
    number: str
    date: dt.date
    entries: tuple[Entry, ...]
    description: str | None = None
    is_closing: bool = False


class Book:
    """The journal and running balances (debit minus credit) of one company's leaf accounts."""

    def __init__(self, company_id: int, leaves: Iterable[str], *, never_credit: Iterable[str] = ()) -> None:
        """An empty book over `leaves`; no document may leave an account of `never_credit` (cash) in credit."""
        self.company_id = company_id
        self.leaves = frozenset(leaves)
        self.never_credit = frozenset(never_credit)
        self.lines: list[LineRow] = []
        self._balances: dict[str, int] = {}
        self._locked: set[tuple[int, int]] = set()

    def open_balances(self, balances: Mapping[str, int]) -> None:
        """Start the book from opening balances (debit minus credit per leaf account)."""
        for account, amount in balances.items():
            self._check_account(account)
            self._balances[account] = self._balances.get(account, 0) + amount

    def lock(self, year: int, month: int) -> None:
        """Close a period: nothing more may be posted into it."""
        self._locked.add((year, month))

    def is_locked(self, year: int, month: int) -> bool:
        """True when the period is closed."""
        return (year, month) in self._locked

    def balance(self, account: str) -> int:
        """Running balance of one leaf account, debit minus credit."""
        return self._balances.get(account, 0)

    def balances(self) -> dict[str, int]:
        """Every non-zero running balance, debit minus credit."""
        return {account: amount for account, amount in self._balances.items() if amount}

    def post(self, document: Document) -> None:
        """Validate a document, then append its lines and update the balances."""
        year, month = document.date.year, document.date.month
        if (year, month) in self._locked:
            raise PeriodLockedError(
                f"company {self.company_id}: period {year}-{month:02d} is locked, "
                f"cannot post {document.doc_type} {document.number}"
            )
        entries = document.entries
        if not entries:
            raise BookError(f"{document.doc_type} {document.number} has no entries")
        for entry in entries:
            if type(entry.amount) is not int or entry.amount <= 0:
                raise BookError(f"{document.number}: amount must be a positive integer of bani, got {entry.amount!r}")
            if entry.debit == entry.credit:
                raise BookError(f"{document.number}: {entry.debit} is both debited and credited")
            if entry.debit not in self.leaves or entry.credit not in self.leaves:
                bad = entry.debit if entry.debit not in self.leaves else entry.credit
                raise BookError(f"company {self.company_id}: {bad!r} is not a posting (leaf) account")
        for account in self.never_credit:
            change = 0
            for entry in entries:
                if entry.credit == account:
                    change -= entry.amount
                elif entry.debit == account:
                    change += entry.amount
            if change < 0 and self.balance(account) + change < 0:
                raise CashOverdrawnError(f"{document.number} would leave {account} in credit")
        self._append(document, year, month)

    def _append(self, document: Document, year: int, month: int) -> None:
        day, closing, description = document.date.isoformat(), int(document.is_closing), document.description
        lines, balances = self.lines, self._balances
        company_id, doc_type, number = self.company_id, document.doc_type, document.number
        line_id = len(lines)
        for entry in document.entries:
            line_id += 1
            debit, credit, amount = entry.debit, entry.credit, entry.amount
            lines.append((company_id, line_id, doc_type, number, day, year, month, debit, credit, amount,
                          entry.partner_id, closing, entry.description or description))
            balances[debit] = balances.get(debit, 0) + amount
            balances[credit] = balances.get(credit, 0) - amount

    def _check_account(self, account: str) -> None:
        if account not in self.leaves:
            raise BookError(f"company {self.company_id}: {account!r} is not a posting (leaf) account")
