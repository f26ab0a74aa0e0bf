"""The default engine: the PP-OCR models that ship inside the rapidocr wheel, on onnxruntime.

Every model path is passed explicitly so nothing is ever downloaded. Needs the `ocr` extra.
The onnxruntime sessions are built here (rapidocr takes them as they are): their intra-op threads
sleep when they run out of work instead of spinning, which rapidocr cannot ask for. A spinning
thread burns a core between operators; on the 2-core servers the OCR shares with the web, that
CPU is taken from the requests (scripts/bench/ocr_mixed_load.py) and from the photo's other thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from roa2web.data_entry.ocr.engine import (
    Glyph,
    Quad,
    TextBox,
    box_corners,
    disable_runtime_telemetry,
    rapidocr_model_dir,
)
from roa2web.data_entry.ocr.errors import EngineUnavailable

if TYPE_CHECKING:
    from onnxruntime import InferenceSession
    from rapidocr.ch_ppocr_rec import TextRecognizer


@dataclass(frozen=True)
class ModelFiles:
    """The ONNX files of the three PP-OCR models, and the recogniser's characters.

    `rec_keys`, one character per line, is for a recogniser whose ONNX file does not carry its characters:
    rapidocr reads a file's own list first (the bundled recogniser has one).
    """

    det: Path
    rec: Path
    cls: Path
    rec_keys: Path | None = None

    @classmethod
    def bundled(cls, folder: Path | None = None) -> ModelFiles:
        """The models the rapidocr wheel ships (in `folder` instead, when given)."""
        folder = folder or rapidocr_model_dir()
        return cls(folder / RapidOcrEngine.det_model, folder / RapidOcrEngine.rec_model,
                   folder / RapidOcrEngine.cls_model)


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
        models: ModelFiles | None = None,
    ) -> None:
        """Load the models now (seconds of CPU): `threads` is onnxruntime's intra-op thread count.

        `models`: other PP-OCR ONNX files than the bundled ones (scripts/bench/ocr_models.py compares them).
        """
        disable_runtime_telemetry()
        try:
            from rapidocr import RapidOCR
        except ImportError as error:
            raise EngineUnavailable(f"rapidocr cannot be imported: {error}") from error
        models = models or ModelFiles.bundled()
        paths = {"Det": models.det, "Rec": models.rec, "Cls": models.cls}
        missing = [str(path) for path in (*paths.values(), models.rec_keys) if path is not None and not path.is_file()]
        if missing:
            raise EngineUnavailable(f"OCR model files missing: {', '.join(missing)}")
        self._use_cls = use_angle_classifier
        self._text_score = text_score
        params: dict[str, Any] = {
            "Global.log_level": "error",
            "Global.use_cls": use_angle_classifier,
            "Global.text_score": text_score,
            "Global.model_root_dir": str(models.rec.parent),
            "Det.limit_side_len": det_limit_side_len,
            "Det.limit_type": det_limit_type,
        }
        params.update({f"{role}.model_path": str(path) for role, path in paths.items()})
        if models.rec_keys is not None:
            params["Rec.rec_keys_path"] = str(models.rec_keys)
        self._ocr = RapidOCR(params=params)
        from omegaconf import flag_override  # rapidocr's configuration; a session is not a plain value

        with flag_override(self._ocr.cfg, "allow_objects", True):
            for role in paths:
                self._ocr.cfg[role].session = inference_session(paths[role], threads)
        self._warm_up()
        recognizer = self._ocr.text_rec  # loaded by the warm-up; called directly for each character's probability
        if recognizer is None:
            raise EngineUnavailable("rapidocr did not load its recognition model")
        recognizer.postprocess_op = RunnerUpDecoder(recognizer.postprocess_op)
        self._recognizer: TextRecognizer = recognizer

    def _warm_up(self) -> None:
        """Run each model once, so the load time rapidocr defers to first use is paid now."""
        import cv2

        sample = np.full((48, 320, 3), 255, np.uint8)
        cv2.putText(sample, "ROA 2025", (8, 36), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
        self._ocr(sample, use_det=True, use_cls=False, use_rec=False)
        self._ocr(sample, use_det=False, use_cls=False, use_rec=True)
        self._ocr(sample, use_det=False, use_cls=True, use_rec=False)

    def recognize(self, image: np.ndarray) -> list[TextBox]:
        """Detect and read every text line of an RGB image."""
        return self.read(image, self.detect(image))

    def detect(self, image: np.ndarray) -> list[Quad]:
        """Every text line of an RGB image, not read."""
        result = self._ocr(_bgr(image), use_det=True, use_cls=False, use_rec=False)
        boxes = getattr(result, "boxes", None)
        return [] if boxes is None else [box_corners(polygon) for polygon in boxes]

    def read(self, image: np.ndarray, regions: list[Quad]) -> list[TextBox]:
        """Read each region of an RGB image; empty readings and those under `text_score` are left out."""
        if not regions:
            return []
        from rapidocr.ch_ppocr_rec import TextRecInput

        crops = _crops(_bgr(image), regions)
        if self._use_cls:
            crops, _ = self._ocr.cls_and_rotate(crops)
        result = self._recognizer(TextRecInput(img=crops, return_word_box=True))
        texts = result.txts or ()
        weakest = [_weakest(words) for words in result.word_results]
        glyphs = [getattr(words, "glyphs", ()) for words in result.word_results]  # set by RunnerUpDecoder
        return [TextBox(region, str(text), float(score), low, chars if len(chars) == len(str(text)) else ())
                for region, text, score, low, chars in zip(regions, texts, result.scores, weakest, glyphs, strict=True)
                if str(text).strip() and score >= self._text_score]

    def upside_down(self, image: np.ndarray, regions: list[Quad]) -> list[float]:
        """The angle classifier's probability that each region's text is upside down."""
        if not regions:
            return []
        _, result = self._ocr.cls_and_rotate(_crops(_bgr(image), regions))
        return [float(score) if label == "180" else 1.0 - float(score) for label, score in result.cls_res or ()]


class RunnerUpDecoder:
    """rapidocr's CTC decoder that also notes, on each line's word info, every character's next-best reading."""

    def __init__(self, decoder: Any) -> None:
        """Wrap `decoder` (rapidocr's CTCLabelDecode), whose character list it shares."""
        self._decoder = decoder
        self.character: list[str] = decoder.character

    def __call__(self, preds: np.ndarray, return_word_box: bool = False, **kwargs: Any) -> tuple[list[Any], list[Any]]:
        """Decode as rapidocr does; with `return_word_box`, each word info also gets `glyphs`."""
        lines, words = self._decoder(preds, return_word_box, **kwargs)
        if return_word_box:
            for row, info in enumerate(words):
                info.glyphs = glyphs_of(preds[row], self.character)
        return lines, words


def glyphs_of(steps: np.ndarray, characters: list[str]) -> tuple[Glyph, ...]:
    """Each character CTC decodes from one line's (time step × class) probabilities, with its runner-up.

    The characters are the ones rapidocr keeps: a step's best class when it is not the blank (class 0)
    and not the previous step's. The runner-up is the best other class that is not the blank.
    """
    best = steps.argmax(axis=1)
    kept = best != 0
    kept[1:] &= best[1:] != best[:-1]
    picked, classes = steps[kept], best[kept]
    rows = np.arange(len(classes))
    probability = picked[rows, classes]
    others = picked.copy()
    others[rows, classes] = -1.0
    others[:, 0] = -1.0
    runner_up = others.argmax(axis=1)
    return tuple(Glyph(float(probability[row]), characters[runner_up[row]], float(others[row, runner_up[row]]))
                 for row in rows)


def _weakest(words: object) -> float | None:
    """The lowest character probability of one recognised line (rapidocr's WordInfo; annotated as a tuple)."""
    confs = getattr(words, "confs", None)
    return float(min(confs)) if confs else None


def _bgr(image: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(image[:, :, ::-1])


def _crops(bgr: np.ndarray, regions: list[Quad]) -> list[np.ndarray]:
    """Each region warped to an upright rectangle, as rapidocr crops before recognition."""
    from rapidocr.utils.process_img import get_rotate_crop_image

    return [get_rotate_crop_image(bgr, np.array(region, np.float32)) for region in regions]


def inference_session(model: Path, threads: int) -> InferenceSession:
    """An onnxruntime CPU session of `model` on `threads` intra-op threads that never spin-wait."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # errors only
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = False  # rapidocr's choice: freed tensors go back to the heap at once
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
