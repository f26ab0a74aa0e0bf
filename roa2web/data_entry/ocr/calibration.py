"""Confidence that means something: the share of readings like this one that were right.

A reading is told apart by its field, what the checks said (TOTAL also by whether two or more
witnesses agree) and the OCR score of its text. For each such kind, BANDS lists from which OCR score
on which confidence holds; scripts/bench/ocr_calibrate.py fits them on the tuning split (a lower
bound of the share right, never more than the photos showed) and prints this table. A field the
tuning photos never showed with its check gets the bands of that check over all fields; a check
never seen at all gets half the uncalibrated confidence, so it is left for the user.
"""

from __future__ import annotations

from roa2web.data_entry.ocr.reading import FieldReading, confidence

ANY_FIELD = "*"  # the bands of a check over every field, for a field the photos never showed with that check
# (field, check) → ((lowest OCR score, confidence), ...) by rising score; fitted by ocr_calibrate.py
BANDS: dict[tuple[str, str], tuple[tuple[float, float], ...]] = {
    ('*', 'confirmed'): ((0.0, 0.0), (0.8, 0.5), (0.9, 0.958), (0.95, 0.997)),  # 335 readings
    ('*', 'confirmed+'): ((0.0, 0.986),),  # 71 readings
    ('*', 'contradicted'): ((0.0, 0.0),),  # 18 readings
    ('*', 'repaired'): ((0.0, 0.0), (0.6, 0.667)),  # 4 readings
    ('*', 'repaired+'): ((0.0, 0.5),),  # 1 readings
    ('*', 'unchecked'): ((0.0, 0.024), (0.6, 0.131), (0.8, 0.5), (0.9, 0.964), (0.95, 0.995)),  # 244 readings
    ('buyer_cif', 'confirmed'): ((0.0, 0.5), (0.95, 0.979)),  # 48 readings
    ('buyer_cif', 'contradicted'): ((0.0, 0.0),),  # 1 readings
    ('date', 'confirmed'): ((0.0, 0.5), (0.95, 0.986)),  # 71 readings
    ('date', 'unchecked'): ((0.0, 0.667),),  # 2 readings
    ('payment_method', 'unchecked'): ((0.0, 0.667), (0.95, 0.986)),  # 73 readings
    ('receipt_number', 'unchecked'): ((0.0, 0.079), (0.8, 0.75), (0.9, 0.917), (0.95, 0.983)),  # 77 readings
    ('supplier_cif', 'confirmed'): ((0.0, 0.0), (0.9, 0.5), (0.95, 0.986)),  # 73 readings
    ('supplier_cif', 'contradicted'): ((0.0, 0.0),),  # 8 readings
    ('supplier_cif', 'repaired'): ((0.0, 0.0), (0.6, 0.5)),  # 3 readings
    ('supplier_name', 'confirmed'): ((0.0, 0.211), (0.9, 0.5), (0.95, 0.986)),  # 72 readings
    ('supplier_name', 'contradicted'): ((0.0, 0.0),),  # 9 readings
    ('supplier_name', 'unchecked'): ((0.0, 0.0), (0.95, 0.5)),  # 7 readings
    ('time', 'unchecked'): ((0.0, 0.5), (0.9, 0.938), (0.95, 0.983)),  # 73 readings
    ('total', 'confirmed+'): ((0.0, 0.986),),  # 71 readings
    ('total', 'repaired+'): ((0.0, 0.5),),  # 1 readings
    ('total', 'unchecked'): ((0.0, 0.0),),  # 12 readings
    ('vat_lines', 'confirmed'): ((0.0, 0.667), (0.9, 0.95), (0.95, 0.98)),  # 71 readings
    ('vat_lines', 'repaired'): ((0.0, 0.5),),  # 1 readings
}


def kind(name: str, reading: FieldReading) -> tuple[str, str]:
    """The kind of reading the calibration tells apart: its field and its check (TOTAL: '+' for 2+ witnesses)."""
    check = reading.check.value + ("+" if reading.support >= 2 else "")
    return name, check


def calibrated_confidence(name: str, reading: FieldReading) -> float:
    """The confidence BANDS give `reading` of field `name`."""
    field, check = kind(name, reading)
    bands = BANDS.get((field, check)) or BANDS.get((ANY_FIELD, check))
    if not bands:
        return round(0.5 * confidence(reading.score, reading.check), 3)
    held = [value for lowest, value in bands if reading.score >= lowest]
    return held[-1] if held else 0.0


def calibrate(fields: dict[str, FieldReading]) -> dict[str, FieldReading]:
    """The readings with calibrated confidences (missing ones stay missing)."""
    return {name: reading if reading.value is None else
            FieldReading(reading.value, calibrated_confidence(name, reading), reading.check, reading.score,
                         reading.support)
            for name, reading in fields.items()}

