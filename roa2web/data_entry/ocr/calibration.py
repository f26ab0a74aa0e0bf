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
# (field, check) → ((lowest OCR score, confidence), ...) by rising score; fitted by ocr_calibrate.py --count 100
# on the tuning split; the OCR score is the weakest character's probability (engine.TextBox.sureness)
BANDS: dict[tuple[str, str], tuple[tuple[float, float], ...]] = {
    ('*', 'confirmed'): ((0.0, 0.935), (0.6, 0.979), (0.8, 0.986), (0.9, 0.992), (0.95, 0.998)),  # n=1262
    ('*', 'confirmed+'): ((0.0, 0.929), (0.95, 0.996)),  # n=267
    ('*', 'contradicted'): ((0.0, 0.075),),  # n=23
    ('*', 'repaired'): ((0.0, 0.643),),  # n=20
    ('*', 'repaired+'): ((0.0, 0.5),),  # n=4
    ('*', 'unchecked'): ((0.0, 0.796), (0.6, 0.978), (0.8, 0.995), (0.95, 0.996)),  # n=851
    ('buyer_cif', 'confirmed'): ((0.0, 0.97), (0.6, 0.992)),  # n=158
    ('buyer_cif', 'contradicted'): ((0.0, 0.0),),  # n=1
    ('date', 'confirmed'): ((0.0, 0.944), (0.6, 0.99), (0.95, 0.993)),  # n=267
    ('date', 'contradicted'): ((0.0, 0.0),),  # n=2
    ('date', 'repaired'): ((0.0, 0.8),),  # n=4
    ('date', 'unchecked'): ((0.0, 0.667),),  # n=2
    ('payment_method', 'unchecked'): ((0.0, 0.957), (0.6, 0.982), (0.95, 0.995)),  # n=279
    ('receipt_number', 'unchecked'): ((0.0, 0.814), (0.6, 0.934), (0.8, 0.981), (0.9, 0.982), (0.95, 0.984)),  # n=274
    ('supplier_cif', 'confirmed'): ((0.0, 0.98), (0.6, 0.996)),  # n=280
    ('supplier_cif', 'contradicted'): ((0.0, 0.0),),  # n=10
    ('supplier_cif', 'repaired'): ((0.0, 0.5),),  # n=1
    ('supplier_name', 'confirmed'): ((0.0, 0.634), (0.6, 0.862), (0.8, 0.9), (0.9, 0.969), (0.95, 0.994)),  # n=293
    ('supplier_name', 'unchecked'): ((0.0, 0.0),),  # n=6
    ('time', 'unchecked'): ((0.0, 0.907), (0.6, 0.995)),  # n=279
    ('total', 'confirmed'): ((0.0, 0.75),),  # n=3
    ('total', 'confirmed+'): ((0.0, 0.929), (0.95, 0.996)),  # n=267
    ('total', 'contradicted'): ((0.0, 0.311),),  # n=6
    ('total', 'repaired'): ((0.0, 0.262),),  # n=7
    ('total', 'repaired+'): ((0.0, 0.5),),  # n=4
    ('total', 'unchecked'): ((0.0, 0.043),),  # n=9
    ('vat_lines', 'confirmed'): ((0.0, 0.984), (0.6, 0.995)),  # n=261
    ('vat_lines', 'contradicted'): ((0.0, 0.0),),  # n=4
    ('vat_lines', 'repaired'): ((0.0, 0.715),),  # n=8
    ('vat_lines', 'unchecked'): ((0.0, 0.0),),  # n=2
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

