"""Trade discounts printed on invoices: granted on sales (709), received on purchases (609).

The discount is a line of the invoice itself: VAT is computed on the net after the discount and
the invoice total is that net plus its VAT, so the partner's account still moves by the total.
"""

from __future__ import annotations

from roa2web.demo.prng import Prng

SALES_CHANCE = (1, 6)  # share of sales invoices with a discount granted
PURCHASE_CHANCE = (1, 5)  # share of purchase invoices with a discount received
PERCENT = (2, 10)  # the discount, percent of the net before it
GRANTED_TEXT = "Reducere comercială acordată"
RECEIVED_TEXT = "Reducere comercială primită"


def trade_discount(prng: Prng, net: int, chance: tuple[int, int]) -> int:
    """The discount on an invoice of `net` bani before it: 2-10% for `chance` of invoices, else 0."""
    if not prng.chance(*chance):
        return 0
    return net * prng.between(*PERCENT) // 100
