"""What every text detection + recognition engine shares: the protocol, its boxes and its errors.

The engines themselves (rapid_engine.py, the default; paddle_engine.py, optional) need the `ocr`
extra and are built by name in engines.py; this module imports none of them, nor numpy at run time.
An engine instance is not thread-safe: the caller (OcrService) runs it on a single thread.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from roa2web.data_entry.ocr.errors import EngineUnavailable

if TYPE_CHECKING:
    import numpy as np

type Point = tuple[float, float]
type Quad = tuple[Point, Point, Point, Point]
log = logging.getLogger("roa2web.data_entry.ocr")


@dataclass(frozen=True, slots=True)
class Glyph:
    """One recognised character: its probability, and the recogniser's next-best reading of it with its own."""

    probability: float
    runner_up: str
    runner_up_probability: float


@dataclass(frozen=True, slots=True)
class TextBox:
    """One detected text region: its polygon (4 corners, clockwise from top-left), text and score.

    `score` is the recogniser's mean character probability; `weakest` its lowest one, when the engine
    gives it. One misread letter in a long word barely moves the mean, but it is the weakest character.
    `glyphs`, when the engine gives them, hold each character of `text` with its next-best reading (one per
    character, or none).
    """

    polygon: Quad
    text: str
    score: float
    weakest: float | None = None
    glyphs: tuple[Glyph, ...] = ()

    def __post_init__(self) -> None:
        if self.glyphs and len(self.glyphs) != len(self.text):
            raise ValueError(f"{len(self.glyphs)} glyphs for {len(self.text)} characters of {self.text!r}")

    @property
    def sureness(self) -> float:
        """How sure the recogniser is of every character: the weakest one's probability (the score without it)."""
        return self.score if self.weakest is None else self.weakest

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


@runtime_checkable
class TurningEngine(OcrEngine, Protocol):
    """An engine that can also find text without reading it, read given regions, and tell upside-down text.

    What orientation.py needs to find how a photo is turned from the one detection it reads with.
    A region is a text line's four corners, clockwise from its top-left as the image shows it.
    """

    def detect(self, image: np.ndarray) -> list[Quad]:
        """Every text region of `image`, not read."""
        ...

    def read(self, image: np.ndarray, regions: list[Quad]) -> list[TextBox]:
        """The text of each region of `image` (regions read as empty or unsure are left out)."""
        ...

    def upside_down(self, image: np.ndarray, regions: list[Quad]) -> list[float]:
        """For each region of `image`, the probability that its text is upside down."""
        ...


def disable_runtime_telemetry() -> None:
    """Keep onnxruntime's telemetry off; call before onnxruntime is first imported.

    Its official builds write a device id and an event database under ~/.cache/Microsoft/ (outside
    DATA_DIR) as soon as the module is imported, queued for upload to Microsoft. ORT_DISABLE_TELEMETRY=1
    set before that import prevents the files, the events and the uploader for the process's lifetime
    (onnxruntime's Privacy.md); `disable_telemetry_events()` after the import does not stop the files.
    Warns when onnxruntime was imported before, unless it already was off then (a second engine).
    """
    already_off = os.environ.get("ORT_DISABLE_TELEMETRY") == "1"
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"
    if "onnxruntime" in sys.modules and not already_off:
        log.warning("onnxruntime was imported before its telemetry was switched off: it may write under "
                    "~/.cache/Microsoft")


def rapidocr_model_dir() -> Path:
    """The folder of ONNX models shipped inside the installed rapidocr wheel."""
    spec = find_spec("rapidocr")
    if spec is None or spec.origin is None:
        raise EngineUnavailable("rapidocr is not installed (pip install roa2web[ocr])")
    return Path(spec.origin).parent / "models"


def box_corners(polygon: np.ndarray) -> Quad:
    """The first four points of a detected text polygon, as float pairs (what every engine reports)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = (tuple(map(float, point)) for point in polygon[:4])
    return (x0, y0), (x1, y1), (x2, y2), (x3, y3)
