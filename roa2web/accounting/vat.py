"""Romanian VAT rates by date and VAT contained in a gross amount (integer bani)."""

from __future__ import annotations

import datetime as dt

VAT_CHANGE_2025 = dt.date(2025, 8, 1)  # Law 141/2025: 19/9/5 -> 21/11
_BEFORE = (19, 9, 5, 0)
_FROM_AUG_2025 = (21, 11, 0)


def vat_rates_on(day: dt.date) -> tuple[int, ...]:
    """The VAT rates (percent) in force on `day`, standard first; 0 stands for exempt."""
    return _FROM_AUG_2025 if day >= VAT_CHANGE_2025 else _BEFORE


def standard_rate_on(day: dt.date) -> int:
    """The standard VAT rate on `day`."""
    return vat_rates_on(day)[0]


def is_rate_valid_on(rate: int, day: dt.date) -> bool:
    """True when `rate` percent may appear on a document dated `day`."""
    return rate in vat_rates_on(day)


def vat_from_gross(gross_bani: int, rate: int) -> int:
    """VAT contained in a gross amount: round(gross * r / (100 + r)), half up, in bani."""
    numerator = gross_bani * rate * 2 + (100 + rate)
    return numerator // (2 * (100 + rate))


def vat_on_net(net_bani: int, rate: int) -> int:
    """VAT on a net amount: round(net * r / 100), half up, in bani."""
    return (net_bani * rate * 2 + 100) // 200
