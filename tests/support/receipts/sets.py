"""Varied receipt photos by level, and THE split of seeds into a tuning set and a held-aside set.

The split lives here and only here: tuning uses seeds in TUNING_SEEDS, the held-aside set seeds in
HELD_ASIDE_SEEDS. Tune only on "tuning"; the held-aside figures are the ones reported as the result.

Levels:
- ``clean``: the printed paper alone, PNG;
- ``degraded``: a phone photo of it on a desk (tilt up to 10°, a few degrees turned, uneven light, slight
  blur and noise, sometimes other objects around), JPEG quality 60-85;
- ``hard``: tilt 10-25°, often turned 90/180/270°, folded or crumpled, faded print, a shadow, motion blur
  or defocus, often low resolution, clutter around it, always JPEG quality 40.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image

from tests.support.receipt_content import ReceiptTruth
from tests.support.receipts import degrade
from tests.support.receipts.content import make_varied_receipt
from tests.support.receipts.fonts import FONT_NAMES
from tests.support.receipts.labels import LabelStyle
from tests.support.receipts.render import paper_array, render_paper

LEVELS = ("clean", "degraded", "hard")
TUNING_SEEDS = range(100_000, 200_000)
HELD_ASIDE_SEEDS = range(900_000, 1_000_000)
SPLITS = {"tuning": TUNING_SEEDS, "held_aside": HELD_ASIDE_SEEDS}


@dataclass(frozen=True)
class VariedSample:
    """An encoded receipt photo, its truth, and how it was made.

    `corners`: where the paper's corners (top-left, top-right, bottom-right, bottom-left of the print) are
    in the photo, as (x, y) pixels; empty for a clean sample, which is the paper alone.
    """

    seed: int
    level: str
    data: bytes
    truth: ReceiptTruth
    font: str
    paper: str
    labels: LabelStyle
    degradations: tuple[str, ...]
    corners: tuple[tuple[float, float], ...] = ()


def split_of(seed: int) -> str:
    """'tuning' or 'held_aside'; ValueError for a seed in neither range."""
    for name, seeds in SPLITS.items():
        if seed in seeds:
            return name
    raise ValueError(f"seed {seed} is in neither split {dict(SPLITS)}")


@dataclass(frozen=True)
class PhotoPlan:
    """Which degradations a photo gets, decided before any pixel is touched (so a set's mix is cheap to know)."""

    level: str
    tilt: float
    spin: float
    clutter: bool
    faded: bool = False
    fold: bool = False
    crumple: bool = False
    motion_blur: bool = False
    low_resolution: bool = False
    turns: int = 0
    quality: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        """The degradations applied, in order, e.g. ('faded', 'perspective', ..., 'rot90', 'jpeg40')."""
        if self.level == "clean":
            return ()
        paper = [name for name in ("faded", "fold", "crumple") if getattr(self, name)]
        light = ["shadow"] if self.level == "hard" else ["uneven_light"]
        camera = [name for name in ("motion_blur", "low_resolution") if getattr(self, name)]
        turned = [f"rot{90 * self.turns}"] if self.turns else []
        return (*paper, "perspective", *(["clutter"] if self.clutter else []), *light, *camera, *turned,
                f"jpeg{self.quality}")


def photo_plan(seed: int, level: str) -> PhotoPlan:
    """The degradations of `seed`'s photo at `level`."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    rng = random.Random(f"plan:{seed}:{level}")
    if level == "clean":
        return PhotoPlan(level, 0.0, 0.0, False)
    if level == "degraded":
        return PhotoPlan(level, rng.uniform(0, 10), rng.uniform(-6, 6), rng.random() < 0.4,
                         quality=rng.randrange(60, 86))
    return PhotoPlan(level, rng.uniform(10, 25), rng.uniform(-10, 10), True, faded=rng.random() < 0.5,
                     fold=rng.random() < 0.5, crumple=rng.random() < 0.5, motion_blur=rng.random() < 0.5,
                     low_resolution=rng.random() < 0.5, turns=rng.randrange(1, 4) if rng.random() < 0.5 else 0,
                     quality=40)


def varied_sample(seed: int, level: str) -> VariedSample:
    """The receipt for `seed` photographed at `level`; deterministic."""
    plan = photo_plan(seed, level)
    receipt = make_varied_receipt(seed)
    rng = random.Random(f"photo:{seed}:{level}")
    font = rng.choice(FONT_NAMES)
    paper = render_paper(receipt, font, rng)
    corners: tuple[tuple[float, float], ...] = ()
    if level == "clean":
        data = _encode(np.asarray(paper, np.float32), "PNG", 0)
    else:
        photo, landed = _photograph(paper_array(paper), plan, rng)
        data = _encode(photo, "JPEG", plan.quality)
        corners = tuple((float(x), float(y)) for x, y in landed)
    return VariedSample(seed, level, data, receipt.truth, font, receipt.paper, receipt.labels, plan.names, corners)


def varied_set(split: str, level: str, count: int, start: int = 0) -> list[VariedSample]:
    """`count` samples of `level` from split `split` ('tuning' / 'held_aside'), from its `start`-th seed."""
    seeds = SPLITS[split][start:start + count]
    return [varied_sample(seed, level) for seed in seeds]


def _photograph(paper: np.ndarray, plan: PhotoPlan, rng: random.Random) -> tuple[np.ndarray, np.ndarray]:
    hard = plan.level == "hard"
    if plan.faded:
        paper = degrade.fade(paper, rng)
    if plan.fold:
        paper = degrade.fold(paper, rng)
    if plan.crumple:
        paper = degrade.crumple(paper, rng)
    photo, corners = degrade.place_on_desk(paper, rng, plan.tilt, plan.spin, plan.clutter)
    photo = degrade.uneven_light(photo, rng, hard=hard)
    if plan.motion_blur:
        photo = degrade.motion_blur(photo, rng)
    else:
        photo = degrade.gaussian_blur(photo, rng.uniform(0.8, 1.6) if hard else rng.uniform(0.4, 1.0))
    if plan.low_resolution:
        long_side = rng.randrange(700, 950)
    else:
        long_side = rng.randrange(1200, 1700) if hard else rng.randrange(1400, 2001)
    height, width = photo.shape[:2]
    photo = degrade.resize_long_side(photo, long_side)
    corners = corners * np.array([photo.shape[1] / width, photo.shape[0] / height], np.float32)
    photo = degrade.sensor_noise(photo, rng, rng.uniform(5, 10) if hard else rng.uniform(3, 8))
    for _ in range(plan.turns):
        # np.rot90 turns a quarter counter-clockwise: (x, y) in a W-wide image lands at (y, W - x).
        corners = np.stack([corners[:, 1], photo.shape[1] - corners[:, 0]], axis=1)
        photo = np.rot90(photo)
    return photo, corners


def _encode(photo: np.ndarray, fmt: str, quality: int) -> bytes:
    image = Image.fromarray(np.ascontiguousarray(photo.clip(0, 255).astype(np.uint8)))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, quality=quality) if fmt == "JPEG" else image.save(buffer, format=fmt)
    return buffer.getvalue()
