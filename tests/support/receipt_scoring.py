"""Compare a ReceiptReading with the ground truth of a generated receipt, field by field."""

from __future__ import annotations

from roa2web.data_entry.ocr.reading import ReceiptReading
from tests.support.receipt_content import ReceiptTruth

KEY_FIELDS = ("supplier_cif", "date", "total", "vat")


def _vat_pairs(lines: object) -> list[tuple[int, int]]:
    if not isinstance(lines, list):
        return []
    return sorted((line["rate"], line["vat_bani"]) for line in lines)


def _squeezed(name: str) -> str:
    """A company name without spaces: the recogniser often drops or adds the space between words."""
    return "".join(name.upper().split())


def field_matches(reading: ReceiptReading, truth: ReceiptTruth) -> dict[str, bool]:
    """For every field, whether the reading equals the truth (names compared without spaces);
    'all_four' = CIF, date, total and VAT."""
    name = reading.value("supplier_name")
    result = {
        "supplier_name": isinstance(name, str) and _squeezed(name) == _squeezed(truth.supplier_name),
        "supplier_cif": reading.value("supplier_cif") == truth.supplier_cif,
        "receipt_number": reading.value("receipt_number") == truth.receipt_number,
        "date": reading.value("date") == truth.date.isoformat(),
        "time": reading.value("time") == truth.time,
        "total": reading.value("total") == truth.total_bani,
        "vat": _vat_pairs(reading.value("vat_lines")) == sorted((g.rate, g.vat_bani) for g in truth.vat_groups),
        "payment_method": reading.value("payment_method") == truth.payment_method,
        "buyer_cif": reading.value("buyer_cif") == truth.buyer_cif,
    }
    result["all_four"] = all(result[key] for key in KEY_FIELDS)
    return result


def mismatches(reading: ReceiptReading, truth: ReceiptTruth) -> dict[str, tuple[object, object]]:
    """Each wrong field with (read, expected), for readable assertion messages."""
    expected = {
        "supplier_name": truth.supplier_name, "supplier_cif": truth.supplier_cif,
        "receipt_number": truth.receipt_number, "date": truth.date.isoformat(), "time": truth.time,
        "total": truth.total_bani, "vat": [(g.rate, g.vat_bani) for g in truth.vat_groups],
        "payment_method": truth.payment_method, "buyer_cif": truth.buyer_cif,
    }
    read = {name: reading.value(name) for name in expected}
    read["vat"] = _vat_pairs(reading.value("vat_lines"))
    matches = field_matches(reading, truth)
    return {name: (read[name], expected[name]) for name in expected if not matches[name]}
