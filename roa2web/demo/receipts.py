"""Fiscal receipts booked as in §5: on the card (5121), from the cash desk (5311) or an advance (542)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from roa2web.accounting.cif import make_cif
from roa2web.accounting.vat import vat_from_gross, vat_rates_on
from roa2web.demo.book import Document, Entry
from roa2web.demo.companies import CASH_DESK, MAIN_BANK, Partner
from roa2web.demo.days import business_days
from roa2web.demo.model import RateGroup, Receipt
from roa2web.demo.prng import Prng
from roa2web.demo.state import CompanyState

# A receipt with the buyer's code is a simplified invoice only up to 100 EUR, VAT included
# (art. 319(12)); 480 lei stays under that at any 2025 exchange rate.
SIMPLIFIED_INVOICE_LIMIT = 480_00
PAYMENT_ACCOUNTS = {"CARD": MAIN_BANK, "NUMERAR": CASH_DESK, "AVANS": "542"}


@dataclass(frozen=True, slots=True)
class Item:
    """A receipt line type: expense account, printed name, rate class, unit price and quantity ranges."""

    account: str
    name: str
    rate_class: str  # 'standard', 'reduced' (9% -> 11%) or 'low' (5% -> 11%)
    unit: tuple[int, int]
    quantity: tuple[int, int]
    issuer: str


CATALOGUE: dict[str, Item] = {
    "fuel": Item("6022", "MOTORINA", "standard", (6_90, 7_90), (20, 60), "PETROL SRL"),
    "parts": Item("6024", "PIESE SCHIMB AUTO", "standard", (20_00, 150_00), (1, 3), "AUTO PARTS SRL"),
    "office": Item("6028", "HARTIE COPIATOR A4", "standard", (20_00, 35_00), (1, 5), "MARKET SRL"),
    "water": Item("6028", "APA PLATA 0,5L", "reduced", (2_50, 6_00), (2, 12), "MARKET SRL"),
    "protocol": Item("623", "PRODUSE PROTOCOL", "reduced", (30_00, 150_00), (1, 2), "GUSTO SRL"),
    "taxi": Item("624", "TRANSPORT TAXI", "standard", (15_00, 80_00), (1, 1), "TAXI SRL"),
    "books": Item("6028", "CARTE DE SPECIALITATE", "low", (40_00, 120_00), (1, 2), "LIBRARIA SRL"),
    "hotel": Item("625", "CAZARE HOTEL", "reduced", (150_00, 400_00), (1, 1), "HOTEL SRL"),
}
_ISSUER_PLACES = ("CENTRAL", "NORD", "EST", "VEST", "SUD", "PARC", "GARII", "UNIRII")
_VAT_TEXT = {rate: f"TVA {rate}%" for rate in (5, 9, 11, 19, 21)}


def rate_for(rate_class: str, day: dt.date) -> int:
    """The VAT rate of a rate class on a date (before 1 Aug 2025: 19/9/5, from then 21/11/11)."""
    standard, reduced, *rest = (rate for rate in vat_rates_on(day) if rate)
    return {"standard": standard, "reduced": reduced, "low": rest[0] if rest else reduced}[rate_class]


def issuers(prng: Prng) -> dict[str, tuple[str, str]]:
    """One shop per issuer kind: name and checksum-valid CIF with RO."""
    return {
        kind: (f"{prng.choice(_ISSUER_PLACES)} {kind}", f"RO{make_cif(prng.between(1_000_000, 9_999_999))}")
        for kind in sorted({item.issuer for item in CATALOGUE.values()})
    }


def _group(prng: Prng, key: str, day: dt.date) -> RateGroup:
    item = CATALOGUE[key]
    rate = rate_for(item.rate_class, day)
    gross = prng.between(*item.unit) * prng.between(*item.quantity)
    vat = vat_from_gross(gross, rate)
    return RateGroup(rate, gross, vat, gross - vat, item.account, item.name)


def _receipt(state: CompanyState, prng: Prng, shops: dict[str, tuple[str, str]], day: dt.date) -> Receipt:
    profile = state.profile
    main = prng.choice(profile.receipt_items)
    groups = [_group(prng, main, day)]
    if prng.chance(1, 3):
        groups.append(_group(prng, "water" if CATALOGUE[main].rate_class == "standard" else "office", day))
    total = sum(group.gross for group in groups)
    buyer = profile.cif if prng.chance(3, 4) else None
    payment = prng.weighted((("CARD", 45), ("NUMERAR", 35), ("AVANS", 20)))
    shop, shop_cif = shops[CATALOGUE[main].issuer]
    deductible = buyer is not None and profile.vat_payer and total <= SIMPLIFIED_INVOICE_LIMIT
    return Receipt(profile.company_id, state.number("BF"), day, shop, shop_cif, buyer, payment,
                   tuple(groups), total, deductible)


def _document(receipt: Receipt, employee: Partner | None) -> Document:
    paid_from = PAYMENT_ACCOUNTS[receipt.payment]
    partner_id = employee.partner_id if employee else None
    entries: list[Entry] = []
    for group in receipt.groups:
        if receipt.deductible:
            entries.append(Entry(group.account, paid_from, group.net, partner_id, group.item))
            if group.vat:
                entries.append(Entry("4426", paid_from, group.vat, partner_id, _VAT_TEXT[group.rate]))
        else:
            entries.append(Entry(group.account, paid_from, group.gross, partner_id, group.item))
    return Document("RECEIPT", receipt.number, receipt.date, tuple(entries), f"Bon fiscal {receipt.issuer}")


def receipt_documents(state: CompanyState, prng: Prng, shops: dict[str, tuple[str, str]],
                      year: int, month: int, count: int) -> tuple[list[Document], int]:
    """`count` receipts; advances to employees before them, unspent cash returned after.

    Returns the documents (in an order safe for same-day posting) and the cash the month
    needs from the cash desk (cash receipts plus advances).
    """
    days = business_days(year, month)
    employees = state.partners("E")
    dates = sorted(prng.choice(days) for _ in range(count))
    receipts = [_receipt(state, prng, shops, day) for day in dates]
    state.ledger.receipts.extend(receipts)
    spenders: dict[int, list[Receipt]] = {}
    for receipt in receipts:
        if receipt.payment == "AVANS":
            spenders.setdefault(prng.choice(employees).partner_id, []).append(receipt)
    advances: list[Document] = []
    returns: list[Document] = []
    cash_needed = sum(r.total for r in receipts if r.payment == "NUMERAR")
    owner = {r.number: e for e, spent in spenders.items() for r in spent}
    by_id = {employee.partner_id: employee for employee in employees}
    for employee_id in sorted(spenders):
        spent = spenders[employee_id]
        total = sum(r.total for r in spent)
        advance = (total + 100 + 100_00 - 1) // 100_00 * 100_00  # whole hundreds of lei, always > spent
        cash_needed += advance
        name = by_id[employee_id].name
        advances.append(Document("ADVANCE", state.number("DP"), spent[0].date,
                                 (Entry("542", CASH_DESK, advance, employee_id),), f"Avans decontare {name}"))
        returns.append(Document("ADVANCE", state.number("DI"), spent[-1].date,
                                (Entry(CASH_DESK, "542", advance - total, employee_id),), f"Restituire avans {name}"))
    booked = [_document(r, by_id[owner[r.number]] if r.number in owner else None) for r in receipts]
    return [*advances, *booked, *returns], cash_needed
