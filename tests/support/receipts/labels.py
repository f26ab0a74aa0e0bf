"""The ways Romanian cash registers print the same facts: labels, date and decimal styles.

Labels vary by vendor and are not fixed by law (see ROMANIAN_ACCOUNTING.md §4); each receipt picks one of each.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

CIF_LABELS = ("CIF:", "C.I.F.", "C.I.F.:", "COD FISCAL:", "COD FISCAL", "CUI:", "C.U.I.")
TOTAL_LABELS = ("TOTAL", "TOTAL:", "TOTAL LEI", "TOTAL DE PLATA")
VAT_TOTAL_LABELS = ("TOTAL TVA", "TVA TOTAL", "TOTAL TVA:")
# {letter} {rate} {sep}: the rate line of one VAT group
VAT_LINE_FORMATS = ("TVA {letter} {rate}{sep}00%", "TVA {letter} {rate}%", "TVA {letter} = {rate}%", "TVA {rate}%")
BUYER_LABELS = ("CIF CLIENT:", "COD FISCAL CLIENT:", "CUI CUMPARATOR:", "C.I.F. CLIENT")
DATE_STYLES = ("dd.mm.yyyy", "dd-mm-yyyy", "dd/mm/yyyy")
PAYMENT_LABELS = {
    "cash": ("NUMERAR", "PLATA NUMERAR", "CASH"),
    "card": ("CARD", "PLATA CARD", "CARD BANCAR"),
    "voucher": ("TICHETE MASA", "VOUCHER", "BON VALORIC"),
}
PAYMENT_METHODS = tuple(PAYMENT_LABELS)


@dataclass(frozen=True)
class LabelStyle:
    """The printed wording one receipt uses."""

    cif: str
    total: str
    vat_total: str
    vat_line: str
    buyer: str
    date_style: str
    decimal: str
    payment: str

    def vat_row(self, letter: str, rate: int) -> str:
        """The label of one VAT group's line, e.g. 'TVA A 21,00%'."""
        return self.vat_line.format(letter=letter, rate=rate, sep=self.decimal)


def pick_labels(rng: random.Random, payment_method: str) -> LabelStyle:
    """One label of each kind, seeded."""
    return LabelStyle(
        cif=rng.choice(CIF_LABELS), total=rng.choice(TOTAL_LABELS), vat_total=rng.choice(VAT_TOTAL_LABELS),
        vat_line=rng.choice(VAT_LINE_FORMATS), buyer=rng.choice(BUYER_LABELS), date_style=rng.choice(DATE_STYLES),
        decimal=rng.choice((",", ",", ".")), payment=rng.choice(PAYMENT_LABELS[payment_method]),
    )
