"""The optional paddleocr engine (PaddleOCR 3.x, onnxruntime, no paddlepaddle) through the real pipeline.

Runs only in its own venv (scripts/test_paddleocr.sh, `pytest -m paddleocr`); the main run deselects it.
"""

from __future__ import annotations

import importlib.util
import socket
from importlib.metadata import distributions
from pathlib import Path

import pytest

from roa2web.data_entry.ocr.engines import ENGINES, build_engine
from roa2web.data_entry.ocr.errors import EngineUnavailable
from roa2web.data_entry.ocr.paddle_engine import DET_MODEL, REC_MODEL, PaddleOcrEngine, build_model_folders
from roa2web.data_entry.ocr.pipeline import read_receipt
from roa2web.data_entry.ocr.reading import Check
from tests.support.receipt_images import receipt_sample
from tests.support.receipt_scoring import mismatches

pytestmark = [pytest.mark.paddleocr, pytest.mark.slow]


@pytest.fixture(scope="module")
def paddle_engine() -> PaddleOcrEngine:
    return PaddleOcrEngine(threads=2)


def test_the_environment_has_one_headless_opencv_and_no_paddlepaddle() -> None:
    names = {(dist.metadata["Name"] or "").lower() for dist in distributions()}
    opencv = sorted(name for name in names if name.startswith("opencv"))
    assert len(opencv) == 1 and "headless" in opencv[0], opencv
    assert importlib.util.find_spec("paddle") is None
    assert "paddlepaddle" not in names


def test_model_folders_are_built_from_the_rapidocr_wheel(tmp_path: Path) -> None:
    folders = build_model_folders(tmp_path)
    assert set(folders) == {DET_MODEL, REC_MODEL}
    for folder in folders.values():
        assert (folder / "inference.onnx").stat().st_size > 1_000_000
        assert (folder / "inference.yml").is_file()


def test_clean_receipts_are_read_without_any_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert "paddleocr" in ENGINES
    engine = build_engine("paddleocr", threads=2)
    assert engine.name == "paddleocr"
    for seed in range(3):
        sample = receipt_sample(seed, "clean")
        reading = read_receipt(sample.data, engine)
        assert mismatches(reading, sample.truth) == {}, seed
        assert reading.fields["total"].check == Check.CONFIRMED
        assert reading.fields["supplier_cif"].check == Check.CONFIRMED
        assert len(reading.value("items")) == len(sample.truth.items)


def test_a_photographed_receipt_is_read(paddle_engine: PaddleOcrEngine) -> None:
    sample = receipt_sample(0, "degraded")
    reading = read_receipt(sample.data, paddle_engine)
    assert mismatches(reading, sample.truth) == {}
    assert reading.straightened


def test_boxes_are_well_formed(paddle_engine: PaddleOcrEngine) -> None:
    from roa2web.data_entry.ocr.images import load_image

    boxes = paddle_engine.recognize(load_image(receipt_sample(4, "clean").data).pixels)
    assert boxes and any("TOTAL" in box.text for box in boxes)
    for box in boxes:
        assert 0.0 <= box.score <= 1.0
        assert box.left < box.right and box.top < box.bottom


def test_missing_model_folders_are_reported(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="model files missing"):
        PaddleOcrEngine(model_dir=tmp_path)
    with pytest.raises(EngineUnavailable, match="model files missing"):
        build_model_folders(tmp_path / "out", source=tmp_path)


def test_ready_model_folders_can_be_given(tmp_path: Path) -> None:
    build_model_folders(tmp_path)
    engine = PaddleOcrEngine(threads=1, model_dir=tmp_path)
    sample = receipt_sample(1, "clean")
    assert read_receipt(sample.data, engine).value("total") == sample.truth.total_bani
