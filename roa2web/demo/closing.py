"""Month end and year end: VAT closing, closing classes 6/7 into 121, carrying balances forward."""

from __future__ import annotations

import datetime as dt

from roa2web.demo.book import Book, Document, Entry
from roa2web.demo.chart import account_class


def vat_closing(book: Book, day: dt.date, number: str) -> tuple[Document | None, int]:
    """4427 = 4426 for the smaller amount, then 4427 = 4423 (offset by any 4424 first) or 4424 = 4426.

    A document of type CLOSING, like the result closing (issue 2: "VAT and result closing documents
    of type CLOSING"), but not flagged is_closing: that flag marks the 6/7 closing lines that
    revenue and expenses leave out, and VAT closing lines touch neither class.
    Returns the document (None when there is nothing to close) and the VAT payable in 4423.
    """
    deductible, collected = book.balance("4426"), -book.balance("4427")
    entries: list[Entry] = []
    if min(deductible, collected) > 0:
        entries.append(Entry("4427", "4426", min(deductible, collected)))
    if collected > deductible:
        payable = collected - deductible
        offset = min(payable, book.balance("4424"))
        if offset > 0:
            entries.append(Entry("4427", "4424", offset, None, "Compensare TVA de recuperat"))
        if payable - offset > 0:
            entries.append(Entry("4427", "4423", payable - offset, None, "TVA de plată"))
    elif deductible > collected:
        entries.append(Entry("4424", "4426", deductible - collected, None, "TVA de recuperat"))
    if not entries:
        return None, 0
    document = Document("CLOSING", number, day, tuple(entries), "Regularizare TVA")
    book.post(document)
    return document, -book.balance("4423")


def result_closing(book: Book, day: dt.date, number: str) -> Document | None:
    """121 = 6xx and 7xx = 121 for every class 6/7 balance; a CLOSING document (is_closing)."""
    entries: list[Entry] = []
    for account, balance in sorted(book.balances().items()):
        if account_class(account) not in (6, 7):
            continue
        if balance > 0:
            entries.append(Entry("121", account, balance))
        else:
            entries.append(Entry(account, "121", -balance))
    if not entries:
        return None
    document = Document("CLOSING", number, day, tuple(entries), "Închidere conturi de venituri și cheltuieli",
                        is_closing=True)
    book.post(document)
    return document


def carried_balances(book: Book) -> dict[str, int]:
    """Balances of classes 1-5 after the December closing: next year's opening balances."""
    balances = book.balances()
    leftover = sorted(account for account in balances if account_class(account) >= 6)
    if leftover:
        raise ValueError(f"company {book.company_id}: classes 6/7 not closed: {leftover}")
    return dict(sorted(balances.items()))


def result_transfer(book: Book, day: dt.date, number: str) -> Document | None:
    """Move last year's result out of 121 into 1171 (121 = 1171 for a profit, 1171 = 121 for a loss)."""
    balance = book.balance("121")
    if balance == 0:
        return None
    entry = Entry("121", "1171", -balance) if balance < 0 else Entry("1171", "121", balance)
    document = Document("RESULT", number, day, (entry,), "Reportare rezultat exercițiu precedent")
    book.post(document)
    return document
