"""What reading a receipt returns: each field's value with a confidence, plus the text it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypedDict

FIELD_NAMES = (
    "supplier_name", "supplier_cif", "receipt_number", "date", "time", "total",
    "vat_lines", "payment_method", "buyer_cif", "items",
)

KEY_FIELDS = ("supplier_cif", "date", "total", "vat_lines")  # the fields a receipt is booked by


class Check(StrEnum):
    """What arithmetic and checksums said about a value."""

    CONFIRMED = "confirmed"
    UNCHECKED = "unchecked"
    REPAIRED = "repaired"
    CONTRADICTED = "contradicted"


def confidence(score: float, check: Check) -> float:
    """A confidence in [0, 1] from the OCR score of the source text and the outcome of the checks."""
    score = min(max(score, 0.0), 1.0)
    match check:
        case Check.CONFIRMED:
            value = 0.6 + 0.4 * score
        case Check.REPAIRED:
            value = 0.45 + 0.3 * score
        case Check.UNCHECKED:
            value = 0.85 * score
        case Check.CONTRADICTED:
            value = 0.35 * score
    return round(value, 3)


class VatLine(TypedDict):
    """VAT for one rate: rate in percent, net base and VAT in bani (base None when it cannot be told)."""

    rate: int
    base_bani: int | None
    vat_bani: int


class ItemLine(TypedDict):
    """One sold line: value in bani, VAT group letter, quantity in thousandths and unit price if printed."""

    value_bani: int
    letter: str | None
    quantity_milli: int | None
    unit_price_bani: int | None


@dataclass(frozen=True)
class FieldReading:
    """One field's value (None when not found), how sure we are of it, and what the checks said.

    `score` is the OCR score of the text the value came from and `support` how many other printed
    amounts agree with it (TOTAL): with `check`, what the confidence is calibrated on (calibration.py).
    """

    value: Any
    confidence: float
    check: Check = Check.UNCHECKED
    score: float = 0.0
    support: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"value": self.value, "confidence": self.confidence, "check": self.check.value}


MISSING = FieldReading(None, 0.0, Check.UNCHECKED)


def field_reading(value: Any, score: float, check: Check, support: int = 0) -> FieldReading:
    """A FieldReading whose confidence combines `score` and `check`; missing when `value` is None."""
    if value is None:
        return MISSING
    return FieldReading(value, confidence(score, check), check, round(min(max(score, 0.0), 1.0), 3), support)


@dataclass
class ReceiptReading:
    """The outcome of reading one receipt image."""

    fields: dict[str, FieldReading]
    raw_text: str
    lines: list[str]
    content_type: str
    straightened: bool
    repaired: bool
    turned: int = 0  # degrees counterclockwise the photo was turned from upright: 0, 90, 180 or 270
    timings: dict[str, float] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        """The value of field `name` (None when missing)."""
        return self.fields.get(name, MISSING).value

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings already)."""
        return {
            "fields": {name: reading.to_dict() for name, reading in self.fields.items()},
            "raw_text": self.raw_text,
            "content_type": self.content_type,
            "straightened": self.straightened,
            "turned": self.turned,
            "repaired": self.repaired,
            "timings": self.timings,
        }
