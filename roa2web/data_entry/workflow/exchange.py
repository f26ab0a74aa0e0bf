"""The EUR rate the 100 EUR limit of a receipt is converted at, as the data-entry module is given it.

The rates live in the app database (`roa2web.rates`), the receipts in the data-entry database: the
assembly injects a lookup, and this module only knows its shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class EurRate:
    """The BNR reference rate of the last banking day (`day`) before a receipt's date: RON for 1 EUR."""

    day: dt.date
    ron_per_eur: Decimal


# receipt date → the EUR rate published before it (None: none stored within the allowed window)
EurRateLookup = Callable[[dt.date], Awaitable[EurRate | None]]

