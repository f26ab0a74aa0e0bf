"""One company's month (§9): dues from last month, invoices, receipts, settlements, month-end closing."""

from __future__ import annotations

from dataclasses import dataclass

from roa2web.demo.book import Document, Entry
from roa2web.demo.closing import result_closing, vat_closing
from roa2web.demo.companies import MAIN_BANK
from roa2web.demo.days import business_day_from, business_days, month_end
from roa2web.demo.invoices import postpone, purchase_documents, sales_documents, settle
from roa2web.demo.model import OPEN_MONTHS
from roa2web.demo.payroll import CONTRIBUTIONS_DAY, payroll_document
from roa2web.demo.prng import Prng
from roa2web.demo.receipts import receipt_documents
from roa2web.demo.state import CompanyState, Due, PlannedPayment
from roa2web.demo.treasury import bank_documents, cash_deposit, cash_withdrawal, fx_revaluation

# Journal lines a month of the three companies (measured over seeds 1-20 and scale factors
# 1-50): about FIXED (payroll, closing, utility bills: they do not grow with volume) plus
# SCALED per unit of the Volume factor (sales, purchases, receipts and their settlements).
FIXED_LINES_PER_MONTH = 150
SCALED_LINES_PER_MONTH = 450
BASE_LINES_PER_MONTH = FIXED_LINES_PER_MONTH + SCALED_LINES_PER_MONTH

SALES = (15, 40)
PURCHASES = (5, 15)
RECEIPTS = (10, 30)
CASH_FLOAT = 2_000_00  # cash kept in the desk at month end; the rest goes back to the bank


@dataclass(frozen=True, slots=True)
class Volume:
    """Scale of the document counts: `numerator / denominator` times the §9 ranges (at least 1)."""

    numerator: int = 1
    denominator: int = 1

    @classmethod
    def for_lines(cls, lines_per_month: int | None) -> Volume:
        """The volume giving about `lines_per_month` journal lines a month (never below §9's)."""
        if lines_per_month is None or lines_per_month <= BASE_LINES_PER_MONTH:
            return cls()
        return cls(lines_per_month - FIXED_LINES_PER_MONTH, SCALED_LINES_PER_MONTH)

    def count(self, drawn: int) -> int:
        """A document count drawn from the §9 range, scaled."""
        return max(1, drawn * self.numerator // self.denominator)


def _dues_documents(state: CompanyState, year: int, month: int) -> list[Document]:
    dues, state.dues = state.dues, []
    return [
        Document(due.doc_type, state.number("OP"), business_day_from(year, month, due.day), due.entries,
                 due.description)
        for due in dues
    ]


def _bank_outflow(document: Document) -> int:
    return sum(entry.amount for entry in document.entries if entry.credit == MAIN_BANK)


def _post_in_date_order(state: CompanyState, dues: list[Document], documents: list[Document],
                        payments: list[PlannedPayment]) -> None:
    """Post by date (same-day order kept).

    A supplier payment waits for next month when paying it would leave less in the bank
    than the salaries and taxes still due this month.
    """
    reserve = sum(_bank_outflow(document) for document in dues)
    due_ids = {id(document) for document in dues}
    items: list[Document | PlannedPayment] = [*dues, *documents, *payments]
    items.sort(key=lambda item: item.date)
    for item in items:
        if isinstance(item, PlannedPayment):
            if item.invoice.kind == "P" and state.book.balance(MAIN_BANK) - item.amount < reserve:
                postpone(state, item)
                continue
            item = settle(state, item)
        elif id(item) in due_ids:
            reserve -= _bank_outflow(item)
        state.book.post(item)


def run_month(state: CompanyState, year: int, month: int, *, volume: Volume, months_left: int,
              shops: dict[str, tuple[str, str]]) -> None:
    """Generate, post and close one month; lock it unless it is one of the last OPEN_MONTHS generated."""
    prng = state.prng.child(year, month)
    book = state.book
    dues = _dues_documents(state, year, month)
    documents: list[Document] = []
    sales, cost_of_sales = sales_documents(state, prng.child(1), year, month,
                                           volume.count(prng.between(*SALES)), months_left)
    documents += sales
    documents += purchase_documents(state, prng.child(2), year, month,
                                    volume.count(prng.between(*PURCHASES)), cost_of_sales)
    receipts, cash_needed = receipt_documents(state, prng.child(3), shops, year, month,
                                              volume.count(prng.between(*RECEIPTS)))
    documents += receipts
    documents += bank_documents(state, prng.child(4), year, month)
    withdrawal = cash_withdrawal(state, business_days(year, month)[0], cash_needed)
    if withdrawal:
        book.post(withdrawal)
    _post_in_date_order(state, dues, documents, state.planned(year, month))
    close_month(state, prng.child(5), year, month)
    if months_left >= OPEN_MONTHS:
        book.lock(year, month)


def close_month(state: CompanyState, prng: Prng, year: int, month: int) -> None:
    """Month end: cash back to the bank, FX, payroll, VAT closing (4423 due next month), 6/7 into 121."""
    book, day = state.book, month_end(year, month)
    for document in (
        cash_deposit(state, day, CASH_FLOAT),
        fx_revaluation(state, prng, day),
        payroll_document(state, year, month),
    ):
        if document is not None:
            book.post(document)
    if state.profile.vat_payer:
        _, payable = vat_closing(book, day, f"TVA-{year}{month:02d}")
        if payable > 0:
            state.dues.append(Due(CONTRIBUTIONS_DAY, "TAX", "Plată TVA", (Entry("4423", MAIN_BANK, payable),)))
    result_closing(book, day, f"INCH-{year}{month:02d}")
