"""Romanian formatting of values for text outputs (PDF): 1.234.567,89 and 31.03.2025."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def format_money(value: Decimal | int | float) -> str:
    """1234567.8 → '1.234.567,80' (thousands with '.', decimals with ',')."""
    text = f"{Decimal(value).quantize(Decimal('0.01')):,.2f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def format_value(value: Any, kind: str | None = None) -> str:
    """Any cell or fact as Romanian text ('' for None)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "da" if value else "nu"
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, Decimal) or kind == "money":
        return format_money(value)
    if isinstance(value, int):
        return str(value) if kind == "text" else f"{value:,}".replace(",", ".")
    return str(value)
