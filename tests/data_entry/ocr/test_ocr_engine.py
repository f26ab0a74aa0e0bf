"""The rapidocr engine: models from the installed wheel only, no network, clear errors when missing."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from roa2web.data_entry.ocr.engine import rapidocr_model_dir
from roa2web.data_entry.ocr.engines import build_engine
from roa2web.data_entry.ocr.errors import EngineUnavailable
from roa2web.data_entry.ocr.images import load_image
from roa2web.data_entry.ocr.rapid_engine import ModelFiles, RapidOcrEngine
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
        RapidOcrEngine(models=ModelFiles.bundled(tmp_path))


def _bundled_characters() -> list[str]:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(ModelFiles.bundled().rec), providers=["CPUExecutionProvider"])
    return session.get_modelmeta().custom_metadata_map["character"].splitlines()


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        value, shift, at = value | (byte & 0x7F) << shift, shift + 7, at + 1
        if byte < 0x80:
            return value, at


def _without_metadata(model: bytes) -> bytes:
    """An ONNX model without its metadata_props (ModelProto field 14), rewritten at the protobuf wire level."""
    kept, at = bytearray(), 0
    while at < len(model):
        start = at
        key, at = _varint(model, at)
        match key & 7:
            case 0:
                _, at = _varint(model, at)
            case 1:
                at += 8
            case 2:
                length, at = _varint(model, at)
                at += length
            case 5:
                at += 4
        if key >> 3 != 14:
            kept += model[start:at]
    return bytes(kept)


def test_a_recogniser_without_its_own_characters_reads_with_the_list_it_is_given(
        tmp_path: Path, ocr_engine: RapidOcrEngine) -> None:
    """`rec_keys` turns the classes of a recogniser whose file carries no character list into text: the
    bundled model's own list reads as the bundled engine does; that list with 0 and 9 swapped reads every 0 as 9."""
    bare = tmp_path / "rec.onnx"
    bare.write_bytes(_without_metadata(ModelFiles.bundled().rec.read_bytes()))
    characters = _bundled_characters()
    own, swapped = tmp_path / "own.txt", tmp_path / "swapped.txt"
    own.write_text("\n".join(characters) + "\n", encoding="utf-8")
    zero, nine = characters.index("0"), characters.index("9")
    characters[zero], characters[nine] = "9", "0"
    swapped.write_text("\n".join(characters) + "\n", encoding="utf-8")
    pixels = load_image(receipt_sample(4, "clean").data).pixels
    expected = [box.text for box in ocr_engine.recognize(pixels)]
    assert any("0" in text for text in expected) and any("9" in text for text in expected)

    with_own = RapidOcrEngine(threads=2, models=replace(ModelFiles.bundled(), rec=bare, rec_keys=own))
    assert [box.text for box in with_own.recognize(pixels)] == expected
    with_swapped = RapidOcrEngine(threads=2, models=replace(ModelFiles.bundled(), rec=bare, rec_keys=swapped))
    assert [box.text for box in with_swapped.recognize(pixels)] == [
        text.translate(str.maketrans("09", "90")) for text in expected]


def test_a_missing_character_list_is_reported(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailable, match=r"model files missing: .*keys\.txt"):
        RapidOcrEngine(models=replace(ModelFiles.bundled(), rec_keys=tmp_path / "keys.txt"))


def test_unknown_engine_name_is_refused() -> None:
    with pytest.raises(EngineUnavailable, match="unknown OCR engine 'tesseract'"):
        build_engine("tesseract", threads=2)


def test_paddleocr_engine_outside_its_own_venv_is_reported() -> None:
    with pytest.raises(EngineUnavailable, match="paddleocr is not installed"):
        build_engine("paddleocr", threads=2)
