"""The optional `paddleocr` engine: PaddleOCR 3.x running PP-OCR models on onnxruntime, no paddlepaddle.

PaddleOCR's `engine="onnxruntime"` loads each model from a local folder holding `inference.onnx`
and `inference.yml` (model name, pre-processing, post-processing, and for recognition the character
list). Nothing is ever downloaded: by default the two folders are written into a private temporary
directory from the PP-OCRv6 small ONNX files shipped in the rapidocr wheel (the character list is
read from the recognition model's own metadata) and removed once the sessions are loaded; an admin
may instead point `model_dir` at ready folders named after the models.

OpenCV: paddlex pins opencv-contrib-python (a GUI build, needs libGL) and finds it by that
distribution name; rapidocr needs opencv-python-headless. The environment keeps exactly one:
opencv-contrib-python-headless of the version paddlex pins (scripts/test_paddleocr.sh), and this
module answers paddlex's metadata look-ups of the GUI name with it. An engine is not thread-safe.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from importlib.metadata import Distribution, DistributionFinder, distributions
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

from roa2web.data_entry.ocr.engine import TextBox, box_corners, disable_runtime_telemetry, rapidocr_model_dir
from roa2web.data_entry.ocr.errors import EngineUnavailable

DET_MODEL = "PP-OCRv6_small_det"
REC_MODEL = "PP-OCRv6_small_rec"
# rapidocr's file names for the same two models.
SOURCE_FILES = {DET_MODEL: "PP-OCRv6_det_small.onnx", REC_MODEL: "PP-OCRv6_rec_small.onnx"}
MODEL_FILES = ("inference.onnx", "inference.yml")

# Pre- and post-processing of PaddleOCR's configs/{det,rec}/PP-OCRv6/PP-OCRv6_small_*.yml (Eval section).
_DET_CONFIG: dict[str, Any] = {
    "Global": {"model_name": DET_MODEL},
    "PreProcess": {"transform_ops": [
        {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
        {"DetResizeForTest": {"resize_long": 960}},
        {"NormalizeImage": {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
                            "scale": 1 / 255, "order": "hwc"}},
        {"ToCHWImage": None},
    ]},
    "PostProcess": {"name": "DBPostProcess", "thresh": 0.2, "box_thresh": 0.45,
                    "max_candidates": 3000, "unclip_ratio": 1.4},
}
_REC_CONFIG: dict[str, Any] = {
    "Global": {"model_name": REC_MODEL},
    "PreProcess": {"transform_ops": [
        {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
        {"RecResizeImg": {"image_shape": [3, 48, 320]}},
    ]},
    "PostProcess": {"name": "CTCLabelDecode"},  # character_dict added from the ONNX metadata
}


class _HeadlessOpenCvAlias(DistributionFinder):
    """Answers `importlib.metadata` look-ups of opencv-contrib-python with the headless build."""

    def find_spec(self, *args: object) -> None:
        """Finds no modules: this finder only answers metadata look-ups."""

    def find_distributions(self, context: DistributionFinder.Context | None = None) -> Iterable[Distribution]:
        """The headless distribution, when asked for opencv-contrib-python by name."""
        name = context.name if context is not None else None
        if name is not None and _normalized(name) == "opencv-contrib-python":
            return list(distributions(name="opencv-contrib-python-headless"))
        return []


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _check_opencv() -> None:
    """Exactly one OpenCV distribution, a contrib build; if headless, let paddlex find it by its GUI name."""
    installed = sorted(name for name in {_normalized(dist.metadata["Name"] or "") for dist in distributions()}
                       if name.startswith("opencv-"))
    if installed not in (["opencv-contrib-python"], ["opencv-contrib-python-headless"]):
        raise EngineUnavailable(f"the paddleocr engine needs exactly one OpenCV distribution, found {installed}: "
                                "keep opencv-contrib-python-headless only (see scripts/test_paddleocr.sh)")
    if installed[0].endswith("-headless") and not any(isinstance(f, _HeadlessOpenCvAlias) for f in sys.meta_path):
        sys.meta_path.append(_HeadlessOpenCvAlias())


def build_model_folders(target: Path, source: Path | None = None) -> dict[str, Path]:
    """Write PaddleOCR model folders for PP-OCRv6 small det + rec under `target`, from local ONNX files.

    `source` is a folder with rapidocr's file names (default: the installed rapidocr wheel's models).
    Returns {model name: folder}. Only reads and writes local files.
    """
    disable_runtime_telemetry()
    import onnxruntime
    import yaml

    source = source or rapidocr_model_dir()
    missing = [str(source / name) for name in SOURCE_FILES.values() if not (source / name).is_file()]
    if missing:
        raise EngineUnavailable(f"OCR model files missing: {', '.join(missing)}")
    rec_onnx = source / SOURCE_FILES[REC_MODEL]
    metadata = onnxruntime.InferenceSession(str(rec_onnx), providers=["CPUExecutionProvider"])
    characters = metadata.get_modelmeta().custom_metadata_map.get("character", "")
    if not characters:
        raise EngineUnavailable(f"{rec_onnx} carries no character list in its metadata")
    rec_config = {**_REC_CONFIG, "PostProcess": {**_REC_CONFIG["PostProcess"],
                                                 "character_dict": characters.split("\n")}}
    folders: dict[str, Path] = {}
    for model, config in ((DET_MODEL, _DET_CONFIG), (REC_MODEL, rec_config)):
        folder = target / model
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / SOURCE_FILES[model], folder / "inference.onnx")
        with (folder / "inference.yml").open("w", encoding="utf-8") as stream:
            yaml.safe_dump(config, stream, allow_unicode=True, sort_keys=False)
        folders[model] = folder
    return folders


class PaddleOcrEngine:
    """PP-OCRv6 small detection + recognition through PaddleOCR 3.x with `engine="onnxruntime"`."""

    name = "paddleocr"

    def __init__(
        self,
        threads: int = 2,
        det_limit_side_len: int = 960,
        det_limit_type: str = "max",
        text_score: float = 0.3,
        model_dir: Path | None = None,
    ) -> None:
        """Load the models now (seconds of CPU); `threads` is onnxruntime's intra-op thread count.

        `model_dir`: a folder with ready `PP-OCRv6_small_det/` and `PP-OCRv6_small_rec/` subfolders;
        by default they are built from the rapidocr wheel into a temporary directory.
        """
        # PaddleX checks connectivity to its model hubs before a download: never do either.
        os.environ["PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK"] = "True"
        disable_runtime_telemetry()
        if find_spec("paddleocr") is None:
            raise EngineUnavailable("paddleocr is not installed: it needs its own venv (see scripts/test_paddleocr.sh)")
        _check_opencv()
        from paddleocr import PaddleOCR

        logging.getLogger("paddlex").setLevel(logging.WARNING)
        options: dict[str, Any] = {
            "use_doc_orientation_classify": False,
            "use_doc_unwarping": False,
            "use_textline_orientation": False,
            "text_det_limit_side_len": det_limit_side_len,
            "text_det_limit_type": det_limit_type,
            "text_rec_score_thresh": text_score,
            "engine": "onnxruntime",
            "device": "cpu",
            "engine_config": {"intra_op_num_threads": threads, "inter_op_num_threads": 1},
        }
        if model_dir is not None:
            self._ocr = PaddleOCR(**options, **_model_options(_checked_folders(model_dir)))
        else:
            with tempfile.TemporaryDirectory(prefix="roa2web-paddleocr-") as scratch:
                self._ocr = PaddleOCR(**options, **_model_options(build_model_folders(Path(scratch))))
        self._warm_up()

    def _warm_up(self) -> None:
        """Run detection and recognition once, so the first receipt does not pay for it."""
        import cv2

        sample = np.full((48, 320, 3), 255, np.uint8)
        cv2.putText(sample, "ROA 2025", (8, 36), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
        self.recognize(sample)

    def recognize(self, image: np.ndarray) -> list[TextBox]:
        """Detect and read every text line of an RGB image."""
        bgr = np.ascontiguousarray(image[:, :, ::-1])
        boxes: list[TextBox] = []
        for result in self._ocr.predict(bgr):
            boxes.extend(TextBox(box_corners(np.asarray(polygon)), str(text), float(score))
                         for polygon, text, score in zip(result["rec_polys"], result["rec_texts"],
                                                         result["rec_scores"], strict=True))
        return boxes


def _checked_folders(model_dir: Path) -> dict[str, Path]:
    folders = {model: model_dir / model for model in (DET_MODEL, REC_MODEL)}
    missing = [str(folder / name) for folder in folders.values() for name in MODEL_FILES
               if not (folder / name).is_file()]
    if missing:
        raise EngineUnavailable(f"OCR model files missing: {', '.join(missing)}")
    return folders


def _model_options(folders: dict[str, Path]) -> dict[str, str]:
    return {
        "text_detection_model_name": DET_MODEL,
        "text_detection_model_dir": str(folders[DET_MODEL]),
        "text_recognition_model_name": REC_MODEL,
        "text_recognition_model_dir": str(folders[REC_MODEL]),
    }
