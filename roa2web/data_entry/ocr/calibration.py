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
    ('*', 'confirmed'): ((0.0, 0.542), (0.9, 0.842), (0.95, 0.997)),  # 380 readings
    ('*', 'confirmed+'): ((0.0, 0.5), (0.95, 0.987)),  # 79 readings
    ('*', 'contradicted'): ((0.0, 0.0), (0.9, 0.136)),  # 4 readings
    ('*', 'repaired'): ((0.0, 0.211), (0.95, 0.386)),  # 5 readings
    ('*', 'repaired+'): ((0.0, 0.667),),  # 2 readings
    ('*', 'unchecked'): ((0.0, 0.0), (0.8, 0.463), (0.9, 0.851), (0.95, 0.995)),  # 250 readings
    ('buyer_cif', 'confirmed'): ((0.0, 0.75), (0.95, 0.98)),  # 53 readings
    ('date', 'confirmed'): ((0.0, 0.5), (0.9, 0.75), (0.95, 0.987)),  # 79 readings
    ('date', 'unchecked'): ((0.0, 0.5),),  # 1 readings
    ('payment_method', 'unchecked'): ((0.0, 0.5), (0.9, 0.833), (0.95, 0.987)),  # 82 readings
    ('receipt_number', 'unchecked'): ((0.0, 0.386), (0.9, 0.785), (0.95, 0.985)),  # 78 readings
    ('supplier_cif', 'confirmed'): ((0.0, 0.857), (0.95, 0.987)),  # 81 readings
    ('supplier_cif', 'contradicted'): ((0.0, 0.0),),  # 2 readings
    ('supplier_cif', 'repaired'): ((0.0, 0.5),),  # 1 readings
    ('supplier_name', 'confirmed'): ((0.0, 0.0), (0.9, 0.311), (0.95, 0.987)),  # 88 readings
    ('supplier_name', 'unchecked'): ((0.0, 0.0),),  # 2 readings
    ('time', 'unchecked'): ((0.0, 0.211), (0.9, 0.941), (0.95, 0.985)),  # 83 readings
    ('total', 'confirmed+'): ((0.0, 0.5), (0.95, 0.987)),  # 79 readings
    ('total', 'contradicted'): ((0.0, 0.211),),  # 2 readings
    ('total', 'repaired'): ((0.0, 0.0), (0.95, 0.211)),  # 3 readings
    ('total', 'repaired+'): ((0.0, 0.667),),  # 2 readings
    ('total', 'unchecked'): ((0.0, 0.0),),  # 3 readings
    ('vat_lines', 'confirmed'): ((0.0, 0.667), (0.9, 0.947), (0.95, 0.983)),  # 79 readings
    ('vat_lines', 'repaired'): ((0.0, 0.5),),  # 1 readings
    ('vat_lines', 'unchecked'): ((0.0, 0.0),),  # 1 readings
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

