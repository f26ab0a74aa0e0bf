"""Text detection + recognition engines behind one small protocol.

The default engine runs the PP-OCR models that ship inside the rapidocr wheel on onnxruntime;
every model path is passed explicitly so nothing is ever downloaded. The optional `paddleocr`
engine (paddle_engine.py) runs the same models through PaddleOCR 3.x on onnxruntime. An engine
instance is not thread-safe: the caller (OcrService) runs it on a single thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Protocol

import numpy as np

type Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class TextBox:
    """One detected text region: its polygon (4 corners, clockwise from top-left), text and score."""

    polygon: tuple[Point, Point, Point, Point]
    text: str
    score: float

    @property
    def left(self) -> float:
        """Smallest x of the polygon."""
        return min(x for x, _ in self.polygon)

    @property
    def right(self) -> float:
        """Largest x of the polygon."""
        return max(x for x, _ in self.polygon)

    @property
    def top(self) -> float:
        """Smallest y of the polygon."""
        return min(y for _, y in self.polygon)

    @property
    def bottom(self) -> float:
        """Largest y of the polygon."""
        return max(y for _, y in self.polygon)

    @property
    def center_y(self) -> float:
        """Mean y of the four corners."""
        return sum(y for _, y in self.polygon) / 4


class OcrEngine(Protocol):
    """Finds and reads text in an RGB image (H×W×3 uint8)."""

    name: str

    def recognize(self, image: np.ndarray) -> list[TextBox]:
        """Every text region found in `image`, in no particular order."""
        ...


class EngineUnavailable(RuntimeError):
    """The engine's packages or model files are missing on this machine."""


def rapidocr_model_dir() -> Path:
    """The folder of ONNX models shipped inside the installed rapidocr wheel."""
    spec = find_spec("rapidocr")
    if spec is None or spec.origin is None:
        raise EngineUnavailable("rapidocr is not installed (pip install roa2web[ocr])")
    return Path(spec.origin).parent / "models"


class RapidOcrEngine:
    """PP-OCRv6 small detection + recognition on onnxruntime, via rapidocr 3.10."""

    name = "rapidocr"
    det_model = "PP-OCRv6_det_small.onnx"
    rec_model = "PP-OCRv6_rec_small.onnx"
    cls_model = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"

    def __init__(
        self,
        threads: int = 2,
        det_limit_side_len: int = 960,
        det_limit_type: str = "max",
        use_angle_classifier: bool = False,
        text_score: float = 0.3,
        model_dir: Path | None = None,
    ) -> None:
        """Load the models now (seconds of CPU): `threads` is onnxruntime's intra-op thread count."""
        try:
            from rapidocr import RapidOCR
        except ImportError as error:
            raise EngineUnavailable(f"rapidocr cannot be imported: {error}") from error
        folder = model_dir or rapidocr_model_dir()
        paths = {role: folder / file for role, file in
                 (("Det", self.det_model), ("Rec", self.rec_model), ("Cls", self.cls_model))}
        missing = [str(path) for path in paths.values() if not path.is_file()]
        if missing:
            raise EngineUnavailable(f"OCR model files missing: {', '.join(missing)}")
        self._use_cls = use_angle_classifier
        params: dict[str, Any] = {
            "Global.log_level": "error",
            "Global.use_cls": use_angle_classifier,
            "Global.text_score": text_score,
            "Global.model_root_dir": str(folder),
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "Det.limit_side_len": det_limit_side_len,
            "Det.limit_type": det_limit_type,
        }
        params.update({f"{role}.model_path": str(path) for role, path in paths.items()})
        self._ocr = RapidOCR(params=params)
        self._warm_up()

    def _warm_up(self) -> None:
        """rapidocr loads each model lazily: run detection and recognition once so load time is paid now."""
        import cv2

        sample = np.full((48, 320, 3), 255, np.uint8)
        cv2.putText(sample, "ROA 2025", (8, 36), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
        self._ocr(sample, use_det=True, use_cls=self._use_cls, use_rec=False)
        self._ocr(sample, use_det=False, use_cls=False, use_rec=True)
        if self._use_cls:
            self._ocr(sample, use_det=False, use_cls=True, use_rec=False)

    def recognize(self, image: np.ndarray) -> list[TextBox]:
        """Detect and read every text line of an RGB image."""
        bgr = np.ascontiguousarray(image[:, :, ::-1])
        result = self._ocr(bgr, use_det=True, use_cls=self._use_cls, use_rec=True)
        boxes = getattr(result, "boxes", None)
        texts = getattr(result, "txts", None)
        scores = getattr(result, "scores", None)
        if boxes is None or texts is None or scores is None:
            return []
        return [TextBox(box_corners(polygon), str(text), float(score))
                for polygon, text, score in zip(boxes, texts, scores, strict=True)]


def box_corners(polygon: np.ndarray) -> tuple[Point, Point, Point, Point]:
    """The first four points of a detected text polygon, as float pairs (what every engine reports)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = (tuple(map(float, point)) for point in polygon[:4])
    return (x0, y0), (x1, y1), (x2, y2), (x3, y3)


ENGINES = ("rapidocr", "paddleocr")


def build_engine(name: str, threads: int) -> OcrEngine:
    """The engine called `name` (OCR_ENGINE), with `threads` inference threads, models loaded."""
    if name == "rapidocr":
        return RapidOcrEngine(threads=threads)
    if name == "paddleocr":
        from roa2web.data_entry.ocr.paddle_engine import PaddleOcrEngine

        return PaddleOcrEngine(threads=threads)
    raise EngineUnavailable(f"unknown OCR engine {name!r}; available: {', '.join(ENGINES)}")
