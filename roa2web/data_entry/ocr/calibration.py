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
# on the tuning split; the OCR score is the weakest character's probability (engine.TextBox.sureness). A kind
# seen fewer than 10 times has one band, capped by that check's lowest band over all fields.
BANDS: dict[tuple[str, str], tuple[tuple[float, float], ...]] = {
    ('*', 'confirmed'): ((0.0, 0.935), (0.6, 0.979), (0.8, 0.987), (0.9, 0.992), (0.95, 0.998)),  # n=1284
    ('*', 'confirmed+'): ((0.0, 0.938), (0.95, 0.996)),  # n=270
    ('*', 'contradicted'): ((0.0, 0.198),),  # n=17
    ('*', 'repaired'): ((0.0, 0.673),),  # n=22
    ('*', 'repaired+'): ((0.0, 0.833),),  # n=5
    ('*', 'unchecked'): ((0.0, 0.849), (0.6, 0.989), (0.8, 0.995), (0.95, 0.997)),  # n=853
    ('buyer_cif', 'confirmed'): ((0.0, 0.971), (0.6, 0.992)),  # n=161
    ('buyer_cif', 'contradicted'): ((0.0, 0.0),),  # n=1
    ('date', 'confirmed'): ((0.0, 0.941), (0.6, 0.991), (0.95, 0.993)),  # n=271
    ('date', 'contradicted'): ((0.0, 0.0),),  # n=1
    ('date', 'repaired'): ((0.0, 0.673),),  # n=7
    ('date', 'unchecked'): ((0.0, 0.667),),  # n=2
    ('payment_method', 'unchecked'): ((0.0, 0.95), (0.6, 0.982), (0.95, 0.995)),  # n=280
    ('receipt_number', 'unchecked'): ((0.0, 0.786), (0.6, 0.967), (0.8, 0.981), (0.9, 0.982), (0.95, 0.985)),  # n=278
    ('supplier_cif', 'confirmed'): ((0.0, 0.979), (0.6, 0.996)),  # n=283
    ('supplier_cif', 'contradicted'): ((0.0, 0.0),),  # n=7
    ('supplier_cif', 'repaired'): ((0.0, 0.667),),  # n=2
    ('supplier_name', 'confirmed'): ((0.0, 0.657), (0.6, 0.853), (0.8, 0.907), (0.9, 0.97), (0.95, 0.994)),  # n=296
    ('supplier_name', 'unchecked'): ((0.0, 0.0),),  # n=2
    ('time', 'unchecked'): ((0.0, 0.906), (0.6, 0.995)),  # n=284
    ('total', 'confirmed'): ((0.0, 0.833),),  # n=5
    ('total', 'confirmed+'): ((0.0, 0.938), (0.95, 0.996)),  # n=270
    ('total', 'contradicted'): ((0.0, 0.198),),  # n=6
    ('total', 'repaired'): ((0.0, 0.216),),  # n=5
    ('total', 'repaired+'): ((0.0, 0.833),),  # n=5
    ('total', 'unchecked'): ((0.0, 0.177),),  # n=6
    ('vat_lines', 'confirmed'): ((0.0, 0.96), (0.6, 0.995)),  # n=268
    ('vat_lines', 'contradicted'): ((0.0, 0.0),),  # n=2
    ('vat_lines', 'repaired'): ((0.0, 0.673),),  # n=8
    ('vat_lines', 'unchecked'): ((0.0, 0.0),),  # n=1
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

