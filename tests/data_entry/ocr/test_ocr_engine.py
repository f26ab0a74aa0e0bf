"""The rapidocr engine: models from the installed wheel only, no network, clear errors when missing."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

from roa2web.data_entry.ocr.engine import rapidocr_model_dir
from roa2web.data_entry.ocr.engines import build_engine
from roa2web.data_entry.ocr.errors import EngineUnavailable
from roa2web.data_entry.ocr.images import load_image
from roa2web.data_entry.ocr.rapid_engine import RapidOcrEngine
from tests.support.receipt_images import receipt_sample

pytestmark = pytest.mark.slow


def test_models_ship_inside_the_wheel() -> None:
    folder = rapidocr_model_dir()
    for name in (RapidOcrEngine.det_model, RapidOcrEngine.rec_model, RapidOcrEngine.cls_model):
        assert (folder / name).is_file()


def test_engine_loads_and_reads_without_any_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    engine = RapidOcrEngine(threads=1, use_angle_classifier=True)
    sample = receipt_sample(4, "clean")
    boxes = engine.recognize(load_image(sample.data).pixels)
    texts = " ".join(box.text for box in boxes)
    assert sample.truth.supplier_name.split()[0] in texts and "TOTAL" in texts
    for box in boxes:
        assert 0.0 <= box.score <= 1.0
        assert box.weakest is not None and 0.0 <= box.weakest <= box.score
        assert len(box.glyphs) == len(box.text)  # each character with the recogniser's runner-up
        assert min(glyph.probability for glyph in box.glyphs) == pytest.approx(box.weakest, abs=1e-4)
        assert all(glyph.runner_up_probability <= glyph.probability for glyph in box.glyphs)
        assert box.left < box.right and box.top < box.bottom


def test_sessions_use_the_threads_asked_for_and_never_spin(ocr_engine: RapidOcrEngine) -> None:
    ocr_engine.recognize(np.full((64, 64, 3), 255, np.uint8))
    for model in (ocr_engine._ocr.text_det, ocr_engine._ocr.text_rec):
        options = model.session.session.get_session_options()
        assert options.intra_op_num_threads == 2
        assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"


def test_blank_image_gives_no_boxes(ocr_engine: RapidOcrEngine) -> None:
    assert ocr_engine.recognize(np.full((200, 300, 3), 255, np.uint8)) == []


def test_missing_model_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match="model files missing"):
        RapidOcrEngine(model_dir=tmp_path)


def test_unknown_engine_name_is_refused() -> None:
    with pytest.raises(EngineUnavailable, match="unknown OCR engine 'tesseract'"):
        build_engine("tesseract", threads=2)


def test_paddleocr_engine_outside_its_own_venv_is_reported() -> None:
    with pytest.raises(EngineUnavailable, match="paddleocr is not installed"):
        build_engine("paddleocr", threads=2)
