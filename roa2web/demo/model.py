"""Records the generator produces besides journal lines: invoices, payments, receipts, the whole ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from roa2web.demo.book import Book, LineRow
from roa2web.demo.chart import AccountRow
from roa2web.demo.companies import CompanyProfile, Partner
from roa2web.demo.days import YearMonth

OPEN_MONTHS = 2  # the last generated month (the current one) and the month before it stay open


@dataclass(frozen=True, slots=True)
class Invoice:
    """A row of r2w_invoices."""

    company_id: int
    invoice_id: int
    kind: str  # 'S' sales, 'P' purchases
    number: str
    issue_date: dt.date
    due_date: dt.date
    partner_id: int
    total: int  # gross, bani
    vat: int


@dataclass(frozen=True, slots=True)
class InvoicePayment:
    """A row of r2w_invoice_payments."""

    company_id: int
    payment_id: int
    invoice_id: int
    pay_date: dt.date
    amount: int


@dataclass(frozen=True, slots=True)
class RateGroup:
    """One VAT rate group printed on a fiscal receipt, and the expense it is booked on."""

    rate: int
    gross: int
    vat: int
    net: int
    account: str
    item: str


@dataclass(frozen=True, slots=True)
class Receipt:
    """A fiscal receipt (bon fiscal) as printed, with how it was paid and booked."""

    company_id: int
    number: str  # the RECEIPT document number in the journal
    date: dt.date
    issuer: str
    issuer_cif: str
    buyer_cif: str | None  # printed CIF CLIENT, None when the buyer did not ask for it
    payment: str  # 'CARD' (5121), 'NUMERAR' (5311) or 'AVANS' (542, employee's advance)
    groups: tuple[RateGroup, ...]
    total: int
    deductible: bool  # VAT goes to 4426 (buyer CIF printed and the company is a VAT payer)


@dataclass(slots=True)
class CompanyLedger:
    """Everything generated for one company."""

    profile: CompanyProfile
    partners: list[Partner]
    accounts: list[AccountRow]
    book: Book
    opening: dict[int, dict[str, int]] = field(default_factory=dict)  # fiscal year -> leaf -> debit-credit
    invoices: list[Invoice] = field(default_factory=list)
    payments: list[InvoicePayment] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)

    @property
    def lines(self) -> list[LineRow]:
        """The journal lines, in posting (chronological) order."""
        return self.book.lines


@dataclass(slots=True)
class DemoLedger:
    """The generated dataset, in memory, ready to be written as the contract tables."""

    seed: int
    until: YearMonth
    months: int
    periods: list[YearMonth]
    companies: list[CompanyLedger]
    user_companies: tuple[tuple[str, int], ...]

    @property
    def open_periods(self) -> list[YearMonth]:
        """The months left open (not locked): the last OPEN_MONTHS of the window."""
        return self.periods[-OPEN_MONTHS:]

    @property
    def line_count(self) -> int:
        """Journal lines over all companies."""
        return sum(len(company.lines) for company in self.companies)

    def company(self, company_id: int) -> CompanyLedger:
        """One company's ledger."""
        return next(c for c in self.companies if c.profile.company_id == company_id)
