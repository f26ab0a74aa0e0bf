"""What one company carries from month to month: counters, planned payments, next month's dues."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from roa2web.demo.book import Book, Entry
from roa2web.demo.companies import CompanyProfile, Partner
from roa2web.demo.model import CompanyLedger, Invoice
from roa2web.demo.prng import Prng


@dataclass(frozen=True, slots=True)
class PlannedPayment:
    """A collection or supplier payment decided when the invoice was issued."""

    date: dt.date
    invoice: Invoice
    amount: int
    account: str  # the partner's analytic account (4111.x or 401.x)


@dataclass(frozen=True, slots=True)
class Due:
    """An amount owed at month end and settled from the bank in the next month."""

    day: int  # day of next month (moved to a business day)
    doc_type: str
    description: str
    entries: tuple[Entry, ...]


@dataclass(slots=True)
class CompanyState:
    """Mutable state of one company across the generated months."""

    ledger: CompanyLedger
    prng: Prng
    counters: dict[str, int] = field(default_factory=dict)
    schedule: dict[tuple[int, int], list[PlannedPayment]] = field(default_factory=dict)
    dues: list[Due] = field(default_factory=list)
    salaries: dict[int, int] = field(default_factory=dict)

    @property
    def profile(self) -> CompanyProfile:
        """The company's profile."""
        return self.ledger.profile

    @property
    def book(self) -> Book:
        """The company's book."""
        return self.ledger.book

    def partners(self, kind: str) -> list[Partner]:
        """Partners of one kind ('C', 'S', 'E'), by id."""
        return [partner for partner in self.ledger.partners if partner.kind == kind]

    def next(self, counter: str) -> int:
        """The next value (from 1) of a named counter."""
        value = self.counters.get(counter, 0) + 1
        self.counters[counter] = value
        return value

    def number(self, prefix: str) -> str:
        """The next document number of a series: 'OP-000042'."""
        return f"{prefix}-{self.next(prefix):06d}"

    def plan(self, payment: PlannedPayment) -> None:
        """Schedule a payment for the month it falls in."""
        self.schedule.setdefault((payment.date.year, payment.date.month), []).append(payment)

    def planned(self, year: int, month: int) -> list[PlannedPayment]:
        """Remove and return the payments planned in a month, by date then invoice."""
        payments = self.schedule.pop((year, month), [])
        return sorted(payments, key=lambda p: (p.date, p.invoice.kind, p.invoice.invoice_id))
