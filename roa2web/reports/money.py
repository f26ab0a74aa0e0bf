"""Money in the reports: integer bani inside, Decimal with exactly two places outside.

Every report computes in integer bani (exact, no float) and hands back `Decimal` values
quantized to 0.01, so `Decimal("1234.50")` and never `1234.5`. `json_default` makes orjson
write them as JSON numbers with their two decimals (`1234.50`), not as strings.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import orjson

CENT = Decimal("0.01")


def to_money(bani: int) -> Decimal:
    """Integer bani -> Decimal lei with exactly two decimals: 123450 -> Decimal('1234.50')."""
    return Decimal(int(bani)).scaleb(-2)


def to_bani(amount: Decimal | int | str) -> int:
    """Lei (Decimal, int or numeric string) -> integer bani; refuses fractions of a ban."""
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(amount)
    except InvalidOperation as exc:
        raise ValueError(f"{amount!r} is not an amount") from exc
    if not value.is_finite():
        raise ValueError(f"{amount!r} is not a finite amount")
    bani = value.scaleb(2)
    if bani != bani.to_integral_value():
        raise ValueError(f"{amount!r} has more than two decimals")
    return int(bani)


def json_default(value: Any) -> Any:
    """The orjson `default=` hook: a Decimal becomes a JSON number written with its own digits."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise TypeError(f"{value} cannot be written as JSON")
        return orjson.Fragment(format(value, "f").encode())
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(value: Any) -> bytes:
    """Serialize a report result (dataclasses, dates, Decimals) to JSON bytes."""
    return orjson.dumps(value, default=json_default)
