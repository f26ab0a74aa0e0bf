"""Seeded Romanian fiscal-receipt content: the ground truth and the printed text lines.

Three cash-register layouts with different label, date and decimal conventions; VAT rates follow
the receipt date (19/9/5 before 2025-08-01, 21/11 after); one or two VAT rates per receipt.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from roa2web.accounting.cif import make_cif
from roa2web.accounting.vat import VAT_CHANGE_2025, vat_from_gross

WIDTH = 40
LAYOUTS = ("datecs", "tremol", "daisy")

_SUPPLIERS = (
    ("ALFA PETROL SRL", "fuel", "STR. EXEMPLU 1, BUCURESTI"),
    ("BETA MARKET SRL", "market", "BD. UNIRII 22, CLUJ-NAPOCA"),
    ("GAMA FARM SRL", "pharmacy", "STR. FLORILOR 7, IASI"),
    ("DELTA BRICO SA", "hardware", "CALEA SEVERINULUI 40, CRAIOVA"),
    ("OMEGA LIBRIS SRL", "books", "STR. REPUBLICII 3, BRASOV"),
    ("SIGMA FOOD SRL", "market", "STR. MARASESTI 12, TIMISOARA"),
)
# name, unit, VAT class (std / red / book), unit price range in bani
_ITEMS = {
    "fuel": (("MOTORINA", "L", "std", 690, 799), ("BENZINA STANDARD", "L", "std", 680, 780),
             ("APA PLATA 0,5L", "BUC", "red", 350, 650), ("LICHID PARBRIZ", "BUC", "std", 1500, 2999)),
    "market": (("PAINE ALBA", "BUC", "red", 350, 699), ("LAPTE 1,5% 1L", "BUC", "red", 699, 999),
               ("ROSII", "KG", "red", 799, 1499), ("DETERGENT 2L", "BUC", "std", 2999, 5499),
               ("HARTIE IGIENICA", "BUC", "std", 1299, 2499)),
    "pharmacy": (("PARACETAMOL 500MG", "BUC", "red", 650, 1599), ("VITAMINA C 1000", "BUC", "std", 1999, 4599),
                 ("SERVETELE UMEDE", "BUC", "std", 499, 999)),
    "hardware": (("SURUBURI 4X40", "BUC", "std", 199, 899), ("BEC LED 9W", "BUC", "std", 999, 2499),
                 ("VOPSEA ALBA 2,5L", "BUC", "std", 5999, 11999), ("APA PLATA 2L", "BUC", "red", 450, 699)),
    "books": (("CARTE ISTORIE", "BUC", "book", 2999, 7999), ("DICTIONAR", "BUC", "book", 3999, 8999),
              ("PIX ALBASTRU", "BUC", "std", 199, 599), ("CAIET A4", "BUC", "std", 399, 999)),
}
_BUYERS = ("28461357", "39172621", "16073955", "33258414", "27581932")


@dataclass(frozen=True)
class Item:
    """One sold line: quantity in thousandths, unit price and value in bani, VAT group letter."""

    name: str
    unit: str
    quantity_milli: int
    unit_price_bani: int
    value_bani: int
    letter: str


@dataclass(frozen=True)
class VatGroup:
    """One VAT rate group as the cash register sums it."""

    letter: str
    rate: int
    gross_bani: int
    vat_bani: int

    @property
    def base_bani(self) -> int:
        """Net amount of the group."""
        return self.gross_bani - self.vat_bani


@dataclass(frozen=True)
class ReceiptTruth:
    """What a perfect reading of the receipt returns."""

    layout: str
    supplier_name: str
    supplier_cif: str
    receipt_number: str
    date: dt.date
    time: str
    total_bani: int
    vat_groups: tuple[VatGroup, ...]
    payment_method: str
    buyer_cif: str | None
    items: tuple[Item, ...]


def make_receipt(seed: int, layout: str | None = None) -> tuple[ReceiptTruth, list[str]]:
    """A deterministic receipt for `seed`: its ground truth and its printed lines."""
    rng = random.Random(seed)
    layout = layout or LAYOUTS[seed % len(LAYOUTS)]
    name, kind, address = rng.choice(_SUPPLIERS)
    day = dt.date(2024, 3, 1) + dt.timedelta(days=rng.randrange(0, 800))
    letters = {"std": "A", "red": "B", "book": "C"} if rng.random() < 0.8 else {"std": "B", "red": "C", "book": "D"}
    items = _pick_items(rng, kind, day, letters)
    groups = _vat_groups(items, day, letters)
    seconds = rng.random() < 0.5
    truth = ReceiptTruth(
        layout=layout,
        supplier_name=name,
        supplier_cif=("RO" if rng.random() < 0.8 else "") + make_cif(rng.randrange(100_000, 49_999_999)),
        receipt_number=str(rng.randrange(1, 2000)),
        date=day,
        time=f"{rng.randrange(7, 22):02d}:{rng.randrange(60):02d}" + (f":{rng.randrange(60):02d}" if seconds else ""),
        total_bani=sum(item.value_bani for item in items),
        vat_groups=groups,
        payment_method=rng.choice(("cash", "card")),
        buyer_cif=(rng.choice(("RO", "")) + rng.choice(_BUYERS)) if rng.random() < 0.5 else None,
        items=tuple(items),
    )
    return truth, _RENDERERS[layout](truth, rng, address)


def _pick_items(rng: random.Random, kind: str, day: dt.date, letters: dict[str, str]) -> list[Item]:
    catalog = _ITEMS[kind]
    wanted_rates = 2 if rng.random() < 0.5 else 1
    chosen = rng.sample(catalog, k=min(len(catalog), rng.randrange(2, 6)))
    if len({_rate(entry[2], day) for entry in chosen}) > wanted_rates:
        first_rate = _rate(chosen[0][2], day)
        chosen = [entry for entry in chosen if _rate(entry[2], day) == first_rate]
    items = []
    for entry_name, unit, vat_class, low, high in chosen:
        price = rng.randrange(low, high + 1)
        quantity = {"L": rng.randrange(5_000, 60_000, 10), "KG": rng.randrange(200, 3000)}.get(
            unit, 1000 * rng.randrange(1, 5))
        value = (quantity * price * 2 + 1000) // 2000
        items.append(Item(entry_name, unit, quantity, price, value, letters[vat_class]))
    return items


def _rate(vat_class: str, day: dt.date) -> int:
    after = day >= VAT_CHANGE_2025
    return {"std": 21 if after else 19, "red": 11 if after else 9, "book": 11 if after else 5}[vat_class]


def _vat_groups(items: list[Item], day: dt.date, letters: dict[str, str]) -> tuple[VatGroup, ...]:
    class_of = {letter: vat_class for vat_class, letter in letters.items()}
    gross_by_letter: dict[str, int] = {}
    for item in items:
        gross_by_letter[item.letter] = gross_by_letter.get(item.letter, 0) + item.value_bani
    return tuple(
        VatGroup(letter, _rate(class_of[letter], day), gross, vat_from_gross(gross, _rate(class_of[letter], day)))
        for letter, gross in sorted(gross_by_letter.items())
    )


def money(bani: int, sep: str = ",") -> str:
    """Format bani as a receipt amount: 1234 -> '12,34'."""
    return f"{bani // 100}{sep}{bani % 100:02d}"


def _qty(item: Item, sep: str) -> str:
    if item.unit == "BUC":
        return str(item.quantity_milli // 1000)
    return f"{item.quantity_milli // 1000}{sep}{item.quantity_milli % 1000:03d}"


def _row(label: str, value: str) -> str:
    return label + value.rjust(max(1, WIDTH - len(label)))


def _date(day: dt.date, sep: str) -> str:
    return f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"


def _header(truth: ReceiptTruth, address: str, cif_line: str) -> list[str]:
    return [truth.supplier_name.center(WIDTH), address.center(WIDTH), cif_line.center(WIDTH)]


def _vat_summary(truth: ReceiptTruth, sep: str) -> list[str]:
    return [_row(f"TVA {g.letter} {g.rate}{sep}00%", money(g.vat_bani, sep)) for g in truth.vat_groups]


def _total_vat(truth: ReceiptTruth, sep: str) -> str:
    return _row("TOTAL TVA", money(sum(g.vat_bani for g in truth.vat_groups), sep))


def _datecs(truth: ReceiptTruth, rng: random.Random, address: str) -> list[str]:
    label = rng.choice(("CIF:", "C.I.F.", "COD FISCAL:"))
    lines = [*_header(truth, address, f"{label} {truth.supplier_cif}"),
             f"J{rng.randrange(1, 52):02d}/{rng.randrange(100, 9999)}/{rng.randrange(2000, 2024)}".center(WIDTH),
             "-" * WIDTH]
    for item in truth.items:
        lines.append(f"{_qty(item, ',')} {item.unit} x {money(item.unit_price_bani)}")
        lines.append(_row(item.name, f"{money(item.value_bani)} {item.letter}"))
    lines += ["-" * WIDTH, _row("TOTAL", money(truth.total_bani)),
              _row("CARD" if truth.payment_method == "card" else "NUMERAR", money(truth.total_bani)),
              _total_vat(truth, ","), *_vat_summary(truth, ",")]
    if truth.buyer_cif:
        lines.append(f"CIF CLIENT: {truth.buyer_cif}")
    lines.append(f"Z: {rng.randrange(1, 999):04d}  BF: {int(truth.receipt_number):04d}  "
                 f"{_date(truth.date, '-')} {truth.time}")
    lines += [f"ID UNIC: {rng.getrandbits(48):012X}", "BON FISCAL".center(WIDTH),
              f"AMEF: DA{rng.randrange(10**9, 10**10)}".center(WIDTH)]
    return lines


def _tremol(truth: ReceiptTruth, rng: random.Random, address: str) -> list[str]:
    label = rng.choice(("COD FISCAL:", "CUI:", "CIF"))
    lines = [*_header(truth, address, f"{label} {truth.supplier_cif}"),
             _row(f"DATA: {_date(truth.date, '.')}", f"ORA: {truth.time}"),
             f"BON FISCAL NR: {truth.receipt_number}", "-" * WIDTH]
    for item in truth.items:
        amount = f"{money(item.value_bani)} {item.letter}"
        middle = f"{_qty(item, ',')} x {money(item.unit_price_bani)}"
        lines.append(_row(f"{item.name[:15]:<15} {middle}", amount))
    paid = truth.total_bani if truth.payment_method == "card" else ((truth.total_bani // 1000) + 1) * 1000
    lines += ["-" * WIDTH, _row("SUBTOTAL", money(truth.total_bani)), _row("TOTAL LEI", money(truth.total_bani))]
    if truth.payment_method == "card":
        lines.append(_row("CARD", money(paid)))
    else:
        lines += [_row("NUMERAR", money(paid)), _row("REST", money(paid - truth.total_bani))]
    lines += [*_vat_summary(truth, ","), _total_vat(truth, ",")]
    if truth.buyer_cif:
        lines.append(f"COD FISCAL CLIENT: {truth.buyer_cif}")
    lines += [f"NR. ARTICOLE: {len(truth.items)}", f"S/N: ZA{rng.randrange(10**7, 10**8)}".center(WIDTH)]
    return lines


def _daisy(truth: ReceiptTruth, rng: random.Random, address: str) -> list[str]:
    label = rng.choice(("C.U.I.", "CUI", "C.I.F.:"))
    lines = [*_header(truth, address, f"{label} {truth.supplier_cif}"),
             _row(f"NR. BON: {int(truth.receipt_number):04d}", f"Z: {rng.randrange(1, 999):04d}"),
             _row(_date(truth.date, "/"), truth.time), "=" * WIDTH]
    for item in truth.items:
        lines.append(item.name)
        lines.append(_row(f"  {_qty(item, '.')} x {money(item.unit_price_bani, '.')}",
                          f"{money(item.value_bani, '.')} {item.letter}"))
    method = "PLATA CARD" if truth.payment_method == "card" else "PLATA NUMERAR"
    lines += ["=" * WIDTH, _row("TOTAL:", money(truth.total_bani, ".")), _row(method, money(truth.total_bani, ".")),
              *_vat_summary(truth, "."), _total_vat(truth, ".")]
    if truth.buyer_cif:
        lines.append(f"CUI CLIENT: {truth.buyer_cif}")
    lines += ["VA MULTUMIM!".center(WIDTH)]
    return lines


_RENDERERS: dict[str, Callable[[ReceiptTruth, random.Random, str], list[str]]] = {
    "datecs": _datecs, "tremol": _tremol, "daisy": _daisy,
}
