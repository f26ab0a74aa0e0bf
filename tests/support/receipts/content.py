"""Seeded receipt content for the wider generator: truth (ReceiptTruth) and rows to print.

Dates span 2024-01-01 .. 2026-12-31, so both VAT regimes appear (19/9/5 until 2025-07-31, 21/11 from
2025-08-01, vat_rates_on); one to three VAT rates per receipt; cash, card or voucher; buyer CIF or not.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from roa2web.accounting.cif import make_cif
from roa2web.accounting.vat import vat_from_gross, vat_rates_on
from tests.support.receipt_content import Item, ReceiptTruth, VatGroup
from tests.support.receipts.labels import PAYMENT_METHODS, LabelStyle, pick_labels

PAPERS = {"58mm": 32, "80mm": 42, "80mm-wide": 48}  # paper -> characters per line
FIRST_DAY, LAST_DAY = dt.date(2024, 1, 1), dt.date(2026, 12, 31)

_SUPPLIERS = (
    ("KAPPA CARBURANTI SRL", "STR. GARII 14, PLOIESTI"), ("LAMBDA ALIMENTAR SRL", "BD. DECEBAL 5, ORADEA"),
    ("MIU FARMACIA SA", "STR. MIHAI VITEAZU 9, SIBIU"), ("NIU CONSTRUCT SRL", "CALEA ARADULUI 88, ARAD"),
    ("XI PAPETARIE SRL", "STR. LUNGA 120, BRASOV"), ("PI MINIMARKET SRL", "STR. ZORILOR 3, CONSTANTA"),
)
# name, unit, VAT class (std / red / low), unit price range in bani
_CATALOG = (
    ("MOTORINA EURO 5", "L", "std", 690, 799), ("APA MINERALA 2L", "BUC", "red", 350, 650),
    ("PAINE FELIATA", "BUC", "red", 350, 699), ("IAURT 400G", "BUC", "red", 499, 899),
    ("DETERGENT VASE", "BUC", "std", 999, 2499), ("BATERII AA X4", "BUC", "std", 1499, 2999),
    ("MERE ROSII", "KG", "red", 399, 899), ("CAFEA MACINATA", "BUC", "std", 1999, 3999),
    ("MANUAL SCOLAR", "BUC", "low", 2999, 5999), ("ZIAR LOCAL", "BUC", "low", 300, 600),
    ("SURUBURI 5X50", "BUC", "std", 199, 899), ("ANTIGEL 1L", "BUC", "std", 1999, 3499),
)
_BUYERS = ("28461357", "39172621", "16073955", "33258414", "27581932")


@dataclass(frozen=True)
class VariedReceipt:
    """A receipt's truth, the rows to print and how it is printed."""

    truth: ReceiptTruth
    rows: tuple[Row, ...]
    labels: LabelStyle
    paper: str
    width: int


@dataclass(frozen=True)
class Row:
    """One printed line: `left` at the margin and `right` flush right, or `left` centred."""

    left: str
    right: str = ""
    center: bool = False
    bold: bool = False


def vat_class_rate(vat_class: str, day: dt.date) -> int:
    """The rate of a VAT class on `day`: std and red are the first two rates, low the last non-zero one."""
    rates = [rate for rate in vat_rates_on(day) if rate]
    return {"std": rates[0], "red": rates[1], "low": rates[-1]}[vat_class]


def make_varied_receipt(seed: int) -> VariedReceipt:
    """A deterministic receipt for `seed`."""
    rng = random.Random(f"content:{seed}")
    paper = rng.choice(tuple(PAPERS))
    name, address = rng.choice(_SUPPLIERS)
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    letters = dict(zip(("std", "red", "low"), rng.choice(("ABC", "BCD", "ABD")), strict=True))
    items = _items(rng, day, letters)
    gross: dict[str, int] = {}
    for item in items:
        gross[item.letter] = gross.get(item.letter, 0) + item.value_bani
    rate_of = {letters[vat_class]: vat_class_rate(vat_class, day) for vat_class in letters}
    groups = tuple(VatGroup(letter, rate_of[letter], amount, vat_from_gross(amount, rate_of[letter]))
                   for letter, amount in sorted(gross.items()))
    payment = rng.choice(PAYMENT_METHODS)
    seconds = rng.random() < 0.5
    truth = ReceiptTruth(
        layout=paper, supplier_name=name,
        supplier_cif=("RO" if rng.random() < 0.75 else "") + make_cif(rng.randrange(100_000, 49_999_999)),
        receipt_number=str(rng.randrange(1, 3000)), date=day,
        time=f"{rng.randrange(6, 23):02d}:{rng.randrange(60):02d}" + (f":{rng.randrange(60):02d}" if seconds else ""),
        total_bani=sum(item.value_bani for item in items), vat_groups=groups, payment_method=payment,
        buyer_cif=(rng.choice(("RO", "")) + rng.choice(_BUYERS)) if rng.random() < 0.5 else None, items=tuple(items),
    )
    labels = pick_labels(rng, payment)
    return VariedReceipt(truth, tuple(_rows(truth, labels, address, rng)), labels, paper, PAPERS[paper])


def _items(rng: random.Random, day: dt.date, letters: dict[str, str]) -> list[Item]:
    wanted = rng.choice((1, 1, 2, 2, 3))
    classes = rng.sample(("std", "red", "low"), k=wanted)
    if len({vat_class_rate(vat_class, day) for vat_class in classes}) < len(classes):
        classes = classes[:1]  # from 2025-08-01 "red" and "low" share 11%: keep one group per rate
    chosen = [entry for entry in _CATALOG if entry[2] in classes]
    picked = rng.sample(chosen, k=min(len(chosen), rng.randrange(len(classes), len(classes) + 4)))
    for vat_class in classes:  # every chosen class appears at least once
        if not any(entry[2] == vat_class for entry in picked):
            picked.append(next(entry for entry in chosen if entry[2] == vat_class))
    items = []
    for entry_name, unit, vat_class, low, high in picked:
        price = rng.randrange(low, high + 1)
        quantity = {"L": rng.randrange(5_000, 60_000, 10), "KG": rng.randrange(200, 3000)}.get(
            unit, 1000 * rng.randrange(1, 5))
        items.append(Item(entry_name, unit, quantity, price, (quantity * price * 2 + 1000) // 2000, letters[vat_class]))
    return items


def money(bani: int, sep: str) -> str:
    """Format bani as printed: 1234 -> '12,34'."""
    return f"{bani // 100}{sep}{bani % 100:02d}"


def printed_date(day: dt.date, style: str) -> str:
    """The date in one of the DATE_STYLES."""
    sep = style[2]
    return f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"


def _rows(truth: ReceiptTruth, labels: LabelStyle, address: str, rng: random.Random) -> list[Row]:
    sep = labels.decimal
    rows = [Row(truth.supplier_name, center=True, bold=True), Row(address, center=True),
            Row(f"{labels.cif} {truth.supplier_cif}", center=True)]
    if rng.random() < 0.5:
        rows.append(Row(f"J{rng.randrange(1, 52):02d}/{rng.randrange(100, 9999)}/{rng.randrange(2000, 2024)}",
                        center=True))
    rows.append(Row("-" * 16, center=True))
    for item in truth.items:
        qty = str(item.quantity_milli // 1000) if item.unit == "BUC" else (
            f"{item.quantity_milli // 1000}{sep}{item.quantity_milli % 1000:03d}")
        rows += [Row(item.name), Row(f"  {qty} {item.unit} x {money(item.unit_price_bani, sep)}",
                                     f"{money(item.value_bani, sep)} {item.letter}")]
    rows += [Row("-" * 16, center=True), Row(labels.total, money(truth.total_bani, sep), bold=True),
             Row(labels.payment, money(truth.total_bani, sep))]
    vat_rows = [Row(labels.vat_row(group.letter, group.rate), money(group.vat_bani, sep)) for group in truth.vat_groups]
    vat_total = Row(labels.vat_total, money(sum(group.vat_bani for group in truth.vat_groups), sep))
    rows += [vat_total, *vat_rows] if rng.random() < 0.5 else [*vat_rows, vat_total]
    if truth.buyer_cif:
        rows.append(Row(f"{labels.buyer} {truth.buyer_cif}"))
    when = printed_date(truth.date, labels.date_style)
    rows += [Row(f"BF: {int(truth.receipt_number):04d}", f"Z: {rng.randrange(1, 999):04d}"),
             Row(f"DATA: {when}" if rng.random() < 0.5 else when, f"ORA: {truth.time}"),
             Row(f"ID UNIC: {rng.getrandbits(48):012X}"), Row("BON FISCAL", center=True),
             Row(f"S/N: {rng.choice(('DA', 'ZA', 'DT'))}{rng.randrange(10**7, 10**9)}", center=True)]
    return rows
