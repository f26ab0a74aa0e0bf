"""Confidence that means something: the share of readings like this one that were right.

A reading is told apart by its field, what the checks said (TOTAL also by whether two or more
witnesses agree) and the OCR score of its text; a field no check can vouch for (JUDGED_BY_PHOTO) also by
whether the photo as a whole read poorly, the median OCR score of its fields under POOR_PHOTO: a receipt
number read at 0.6 on a sharp photo is right, on a shaken one often not. For each such kind, BANDS lists
from which OCR score on which confidence holds; scripts/bench/ocr_calibrate.py fits them on the tuning split (a lower
bound of the share right, never more than the photos showed) and prints this table. A field the
tuning photos never showed with its check gets the bands of that check over all fields; a check
never seen at all gets half the uncalibrated confidence, so it is left for the user.
"""

from __future__ import annotations

from statistics import median

from roa2web.data_entry.ocr.reading import FieldReading, confidence

JUDGED_BY_PHOTO = ("receipt_number", "time", "payment_method")  # fields with no check of their own
POOR_PHOTO = 0.8  # the median OCR score of a photo's fields under which it read poorly (seen on the tuning split)
POOR = " poor"  # added to the check in the kind of such a field's reading from such a photo
ANY_FIELD = "*"  # the bands of a check over every field, for a field the photos never showed with that check
# (field, check) → ((lowest OCR score, confidence), ...) by rising score; fitted by ocr_calibrate.py --count 100
# on the tuning split; the OCR score is the weakest character's probability (engine.TextBox.sureness). A kind
# seen fewer than 10 times has one band, capped by that check's lowest band over all fields. The JUDGED_BY_PHOTO
# fields' bands were fitted again when the photo's reading was added to their kind (6 December 2026, the same
# 300 photos); the others are kept from the fit before: fitted again, kinds seen once or twice drop out of the
# table and fall back to the check over all fields, which would make an incomplete VAT set ('vat_lines',
# 'unchecked') confident.
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
    ('payment_method', 'unchecked'): ((0.0, 0.978), (0.95, 0.995)),  # n=227
    ('payment_method', 'unchecked poor'): ((0.0, 0.929), (0.6, 0.95), (0.95, 0.96)),  # n=56
    ('receipt_number', 'unchecked'): ((0.0, 0.938), (0.6, 0.995)),  # n=224
    ('receipt_number', 'unchecked poor'): ((0.0, 0.5), (0.6, 0.938)),  # n=57
    ('supplier_cif', 'confirmed'): ((0.0, 0.979), (0.6, 0.996)),  # n=283
    ('supplier_cif', 'contradicted'): ((0.0, 0.0),),  # n=7
    ('supplier_cif', 'repaired'): ((0.0, 0.667),),  # n=2
    ('supplier_name', 'confirmed'): ((0.0, 0.657), (0.6, 0.853), (0.8, 0.907), (0.9, 0.97), (0.95, 0.994)),  # n=296
    ('supplier_name', 'unchecked'): ((0.0, 0.0),),  # n=2
    ('time', 'unchecked'): ((0.0, 0.98), (0.6, 0.994)),  # n=226
    ('time', 'unchecked poor'): ((0.0, 0.711), (0.6, 0.93)),  # n=57
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


def read_poorly(fields: dict[str, FieldReading]) -> bool:
    """Whether the median OCR score of the photo's fields is under POOR_PHOTO.

    The item lines are left out: theirs is the weakest of many lines.
    """
    scores = [reading.score for name, reading in fields.items() if name != "items" and reading.value is not None]
    return bool(scores) and median(scores) < POOR_PHOTO


def kind(name: str, reading: FieldReading, poor_photo: bool) -> tuple[str, str]:
    """The kind of reading the calibration tells apart: its field and its check.

    TOTAL's check gets '+' for two or more witnesses, and a JUDGED_BY_PHOTO field's POOR on a photo that read poorly.
    """
    poor = poor_photo and name in JUDGED_BY_PHOTO
    return name, reading.check.value + ("+" if reading.support >= 2 else "") + (POOR if poor else "")


def calibrated_confidence(name: str, reading: FieldReading, poor_photo: bool) -> float:
    """The confidence BANDS give `reading` of field `name` from a photo that read poorly or not."""
    field, check = kind(name, reading, poor_photo)
    bands = BANDS.get((field, check)) or BANDS.get((ANY_FIELD, check))
    if not bands:
        return round(0.5 * confidence(reading.score, reading.check), 3)
    held = [value for lowest, value in bands if reading.score >= lowest]
    return held[-1] if held else 0.0


def calibrate(fields: dict[str, FieldReading]) -> dict[str, FieldReading]:
    """The readings with calibrated confidences (missing ones stay missing)."""
    poor = read_poorly(fields)
    return {name: reading if reading.value is None else
            FieldReading(reading.value, calibrated_confidence(name, reading, poor), reading.check, reading.score,
                         reading.support)
            for name, reading in fields.items()}

