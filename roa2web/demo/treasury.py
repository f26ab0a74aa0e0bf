"""Bank and cash movements: withdrawals and deposits through 581, bank fees and interest, FX revaluation."""

from __future__ import annotations

import datetime as dt

from roa2web.demo.book import Document, Entry
from roa2web.demo.companies import CASH_DESK, FOREIGN_BANK, MAIN_BANK, SECOND_BANK
from roa2web.demo.days import business_day_from
from roa2web.demo.prng import Prng
from roa2web.demo.state import CompanyState


def cash_withdrawal(state: CompanyState, day: dt.date, needed: int) -> Document | None:
    """581 = 5121 then 5311 = 581, in whole hundreds of lei covering `needed`."""
    amount = (needed + 100_00 - 1) // 100_00 * 100_00
    if amount <= 0:
        return None
    entries = (Entry("581", MAIN_BANK, amount, None, "Numerar ridicat din bancă"),
               Entry(CASH_DESK, "581", amount, None, "Numerar intrat în casierie"))
    return Document("TRANSFER", state.number("CEC"), day, entries, "Ridicare numerar")


def cash_deposit(state: CompanyState, day: dt.date, keep: int) -> Document | None:
    """581 = 5311 then 5121 = 581 for the cash above `keep` (the desk's usual float)."""
    amount = state.book.balance(CASH_DESK) - keep
    if amount <= 0:
        return None
    entries = (Entry("581", CASH_DESK, amount, None, "Numerar depus"),
               Entry(MAIN_BANK, "581", amount, None, "Numerar depus în bancă"))
    return Document("TRANSFER", state.number("DEP"), day, entries, "Depunere numerar")


def bank_documents(state: CompanyState, prng: Prng, year: int, month: int) -> list[Document]:
    """The month's bank fees (627 = 5121) and interest on the second account (5121 = 766)."""
    documents = [Document("BANK", state.number("EXT"), business_day_from(year, month, 28),
                          (Entry("627", MAIN_BANK, prng.between(25_00, 120_00)),), "Comisioane bancare")]
    if SECOND_BANK in state.book.leaves:
        documents.append(Document("BANK", state.number("EXT"), business_day_from(year, month, 28),
                                  (Entry(SECOND_BANK, "766", prng.between(1_00, 40_00)),), "Dobândă bancară"))
    return documents


def fx_revaluation(state: CompanyState, prng: Prng, day: dt.date) -> Document | None:
    """Revalue the EUR account at month end: 5124 = 765 (gain) or 665 = 5124 (loss)."""
    if FOREIGN_BANK not in state.book.leaves:
        return None
    change = state.book.balance(FOREIGN_BANK) * prng.between(-120, 120) // 10_000
    if change == 0:
        return None
    entry = Entry(FOREIGN_BANK, "765", change) if change > 0 else Entry("665", FOREIGN_BANK, -change)
    return Document("FX", state.number("REV"), day, (entry,), "Reevaluare cont în valută la cursul BNR")
