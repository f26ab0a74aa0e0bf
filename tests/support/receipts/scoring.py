"""Score a reading of a varied receipt: right fields, and wrong fields the pipeline was sure of."""

from __future__ import annotations

from roa2web.data_entry.ocr.reading import ReceiptReading
from tests.support.receipt_content import ReceiptTruth
from tests.support.receipt_scoring import field_matches

CONFIDENT = 0.9
SCORED_FIELDS = ("supplier_cif", "date", "total", "vat", "supplier_name", "receipt_number", "time",
                 "payment_method", "buyer_cif")
READING_NAME = {"vat": "vat_lines"}  # scored field → the reading's field


def confident_wrong(reading: ReceiptReading, truth: ReceiptTruth, threshold: float = CONFIDENT) -> list[str]:
    """The fields the reading filled with confidence >= `threshold` and got wrong."""
    right = field_matches(reading, truth)
    wrong = []
    for name in SCORED_FIELDS:
        found = reading.fields.get(READING_NAME.get(name, name))
        if found is not None and found.value is not None and found.confidence >= threshold and not right[name]:
            wrong.append(name)
    return wrong


def confident_count(reading: ReceiptReading, threshold: float = CONFIDENT) -> int:
    """How many scored fields the reading filled with confidence >= `threshold`."""
    return sum(1 for name in SCORED_FIELDS
               if (found := reading.fields.get(READING_NAME.get(name, name))) is not None
               and found.value is not None and found.confidence >= threshold)
