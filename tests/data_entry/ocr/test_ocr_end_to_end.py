"""Real OCR (PP-OCRv6 on onnxruntime) on generated receipts, clean and photographed, every field checked."""

from __future__ import annotations

import pytest

from roa2web.data_entry.ocr.pipeline import read_receipt
from roa2web.data_entry.ocr.rapid_engine import RapidOcrEngine
from roa2web.data_entry.ocr.reading import Check
from tests.support.receipt_images import receipt_sample
from tests.support.receipt_scoring import field_matches, mismatches

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("kind", "seed"), [
    *(("clean", seed) for seed in range(3)), *(("degraded", seed) for seed in range(6)),
])
def test_every_field_is_read(ocr_engine: RapidOcrEngine, kind: str, seed: int) -> None:
    sample = receipt_sample(seed, kind)
    reading = read_receipt(sample.data, ocr_engine)
    assert mismatches(reading, sample.truth) == {}
    truth = sample.truth
    bases = sorted((line["rate"], line["base_bani"]) for line in reading.value("vat_lines"))
    assert bases == sorted((group.rate, group.base_bani) for group in truth.vat_groups)
    assert reading.fields["total"].check == Check.CONFIRMED
    assert reading.fields["supplier_cif"].check == Check.CONFIRMED
    for name in ("supplier_cif", "date", "total", "vat_lines"):
        assert reading.fields[name].confidence >= 0.8, name
    assert len(reading.value("items")) == len(truth.items)
    assert reading.straightened == (kind != "clean")
    assert reading.timings["total"] > 0 and "TOTAL" in reading.raw_text


def test_hard_photos_mostly_read_and_repair_helps(ocr_engine: RapidOcrEngine) -> None:
    samples = [receipt_sample(seed, "hard") for seed in range(8)]
    repaired = [field_matches(read_receipt(s.data, ocr_engine), s.truth)["all_four"] for s in samples]
    plain = [field_matches(read_receipt(s.data, ocr_engine, repair=False), s.truth)["all_four"] for s in samples]
    assert sum(repaired) >= 5, repaired
    assert sum(repaired) >= sum(plain)


def test_a_pdf_receipt_is_read(ocr_engine: RapidOcrEngine) -> None:
    import io

    from PIL import Image

    sample = receipt_sample(1, "clean")
    buffer = io.BytesIO()
    Image.open(io.BytesIO(sample.data)).save(buffer, format="PDF", resolution=150)
    reading = read_receipt(buffer.getvalue(), ocr_engine)
    assert reading.content_type == "application/pdf"
    assert reading.value("total") == sample.truth.total_bani
    assert reading.value("supplier_cif") == sample.truth.supplier_cif
