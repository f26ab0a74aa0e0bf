"""JSON types of the data-entry API: money as numbers with two decimals, ISO dates and UTC times."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer, WithJsonSchema

from roa2web.problems import BadRequest


def _money_out(amount: Decimal) -> float:
    return float(amount)


def _utc(value: dt.datetime) -> str:
    aware = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return aware.isoformat().replace("+00:00", "Z")


Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2, examples=[374.10])]
MoneyOut = Annotated[
    Decimal, PlainSerializer(_money_out, return_type=float), WithJsonSchema({"type": "number", "examples": [374.1]})
]
Day = Annotated[dt.date, PlainSerializer(dt.date.isoformat, return_type=str)]
Timestamp = Annotated[
    dt.datetime, PlainSerializer(_utc, return_type=str), WithJsonSchema({"type": "string", "format": "date-time"})
]


def to_bani(amount: Decimal) -> int:
    """RON with at most two decimals → integer bani (exact)."""
    return int((amount * 100).to_integral_value())


def from_bani(bani: int) -> Decimal:
    """Integer bani → RON with two decimals."""
    return Decimal(bani).scaleb(-2)


def encode_cursor(created_at: dt.datetime, receipt_id: str) -> str:
    """An opaque cursor after the receipt (created_at, id)."""
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{receipt_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, str]:
    """Inverse of encode_cursor; 400 for a cursor we did not make."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, receipt_id = text.split("|", 1)
        if "\x00" in receipt_id:  # no id holds one (and PostgreSQL's text cannot)
            raise ValueError("NUL in the cursor's receipt id")
        return dt.datetime.fromisoformat(stamp), receipt_id
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequest("Cursorul paginii nu este valid; reluați lista de la început, fără cursor.",
                         kind="invalid-cursor") from None
