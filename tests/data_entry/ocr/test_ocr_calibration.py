"""Calibrated confidence: a field with no check of its own is judged also by how the whole photo read."""

from __future__ import annotations

from roa2web.data_entry.ocr.calibration import POOR_PHOTO, calibrate, read_poorly
from roa2web.data_entry.ocr.reading import MISSING, Check, FieldReading, field_reading

SURE = 0.9  # what the benchmark and the web app count as filled surely


def _photo(score: float) -> dict[str, FieldReading]:
    """A photo whose supplier, date and total read at `score`, with a receipt number and a confirmed CIF at 0.55."""
    return {
        "supplier_name": field_reading("ALFA SRL", score, Check.CONFIRMED),
        "date": field_reading("2026-05-16", score, Check.CONFIRMED),
        "total": field_reading(12345, score, Check.CONFIRMED, support=2),
        "receipt_number": field_reading("0412", 0.55, Check.UNCHECKED),
        "supplier_cif": field_reading("RO18547290", 0.55, Check.CONFIRMED),
        "buyer_cif": MISSING,
    }


def test_a_photo_reads_poorly_when_the_median_score_of_its_fields_is_low() -> None:
    assert read_poorly(_photo(0.5))
    assert not read_poorly(_photo(0.95))
    assert not read_poorly({"buyer_cif": MISSING})


def test_the_item_lines_do_not_make_a_photo_poor() -> None:
    fields = _photo(0.95) | {"items": field_reading([{"value_bani": 100}], 0.1, Check.CONFIRMED)}
    assert not read_poorly(fields)
    assert POOR_PHOTO > 0.55


def test_a_receipt_number_is_sure_on_a_sharp_photo_and_left_to_the_user_on_a_poor_one() -> None:
    sharp, poor = calibrate(_photo(0.95)), calibrate(_photo(0.5))
    assert sharp["receipt_number"].confidence >= SURE
    assert poor["receipt_number"].confidence < SURE
    assert sharp["receipt_number"].value == poor["receipt_number"].value == "0412"


def test_a_field_its_check_vouches_for_is_not_judged_by_the_photo() -> None:
    assert calibrate(_photo(0.95))["supplier_cif"].confidence == calibrate(_photo(0.5))["supplier_cif"].confidence
    assert calibrate(_photo(0.5))["buyer_cif"] is MISSING
