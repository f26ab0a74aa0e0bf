"""What happens to a receipt between the printer and the photo: paper damage, the desk, the camera.

Each function takes and returns a float32 HxWx3 array (0..255) and draws its randomness from `rng`.
"""

from __future__ import annotations

import random

import cv2
import numpy as np


def smooth_noise(height: int, width: int, rng: random.Random, cells: int = 6) -> np.ndarray:
    """Low-frequency noise in [-1, 1] of the given size: a small random grid, upscaled smoothly."""
    generator = np.random.default_rng(rng.randrange(2**32))
    grid = generator.uniform(-1, 1, (max(2, cells * height // max(height, width)) + 1,
                                     max(2, cells * width // max(height, width)) + 1)).astype(np.float32)
    return cv2.resize(grid, (width, height), interpolation=cv2.INTER_CUBIC).clip(-1, 1)


def fade(paper: np.ndarray, rng: random.Random) -> np.ndarray:
    """Faded thermal print: the ink keeps 25-55% of its darkness, unevenly across the paper."""
    white = np.percentile(paper, 95)
    keep = rng.uniform(0.25, 0.55) + 0.15 * smooth_noise(*paper.shape[:2], rng)[..., None]
    return white - (white - paper) * keep.clip(0.15, 1)


def crumple(paper: np.ndarray, rng: random.Random) -> np.ndarray:
    """Crumpled paper: the print bends a few pixels and the creases shade the surface."""
    height, width = paper.shape[:2]
    amplitude = rng.uniform(2.0, 6.0) * max(height, width) / 1000
    cells = rng.randrange(8, 16)
    dx, dy = (amplitude * smooth_noise(height, width, rng, cells) for _ in range(2))
    xs, ys = np.meshgrid(np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32))
    bent = cv2.remap(paper, xs + dx, ys + dy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    shade = 1 + 0.5 * np.gradient(dx, axis=1) + 0.5 * np.gradient(dy, axis=0)
    return bent * shade.clip(0.75, 1.1)[..., None]


def fold(paper: np.ndarray, rng: random.Random) -> np.ndarray:
    """One fold across the receipt: a crease line, one side darker, the print beyond it shifted."""
    height = paper.shape[0]
    at = int(height * rng.uniform(0.3, 0.7))
    out = paper.copy()
    shift = rng.randrange(2, 8)
    out[at + shift:] = paper[at:height - shift]
    distance = np.abs(np.arange(height, dtype=np.float32) - at)[:, None, None]
    side = rng.uniform(0.78, 0.9)
    shade = np.where(np.arange(height)[:, None, None] > at, side, 1.0) * (1 - 0.25 * np.exp(-distance / 6))
    return out * shade


def desk(height: int, width: int, rng: random.Random) -> np.ndarray:
    """A desk: wood grain or a plain mottled surface."""
    base = np.array([rng.randrange(70, 170), rng.randrange(50, 130), rng.randrange(30, 100)], np.float32)
    surface = np.ones((height, width, 3), np.float32) * base
    mottle = 18 * smooth_noise(height, width, rng, 12)[..., None]
    if rng.random() < 0.6:
        xs = np.arange(width, dtype=np.float32)[None, :]
        grain = 14 * np.sin(xs / rng.uniform(6, 20) + 8 * smooth_noise(height, width, rng, 5))
        mottle = mottle + grain[..., None]
    return (surface + mottle).clip(0, 255)


def clutter(table: np.ndarray, rng: random.Random, keep_clear: tuple[int, int, int, int]) -> np.ndarray:
    """Other things on the desk: a phone, a card, a cup, another printed sheet; some reach the receipt's area."""
    height, width = table.shape[:2]
    out = table.copy()
    for _ in range(rng.randrange(2, 6)):
        color = tuple(float(rng.randrange(0, 256)) for _ in range(3))
        x, y = rng.randrange(width), rng.randrange(height)
        size = rng.randrange(min(height, width) // 10, min(height, width) // 4)
        shape = rng.choice(("box", "cup", "sheet"))
        if shape == "cup":
            cv2.circle(out, (x, y), size // 2, color, -1)
            cv2.circle(out, (x, y), size // 3, tuple(c * 0.6 for c in color), -1)
        elif shape == "sheet":
            corner = (x + size, y + int(size * 1.4))
            cv2.rectangle(out, (x, y), corner, (235.0, 235.0, 228.0), -1)
            for line in range(y + 12, corner[1] - 8, 14):
                cv2.line(out, (x + 8, line), (x + size - rng.randrange(8, size // 2 + 9), line), (90.0,) * 3, 3)
        else:
            cv2.rectangle(out, (x, y), (x + size, y + size // 2), color, -1)
    left, top, right, bottom = keep_clear
    inner = out[top:bottom, left:right]
    out[top:bottom, left:right] = np.where(rng.random() < 0.3, inner, table[top:bottom, left:right])
    return out


def tilt_corners(width: int, height: int, tilt_degrees: float, spin_degrees: float,
                 rng: random.Random) -> np.ndarray:
    """Where the paper's corners land when the camera looks at it `tilt_degrees` off square (true 3-D
    perspective about a random axis in the paper's plane), then turned `spin_degrees` in the image."""
    corners = np.array([[-width / 2, -height / 2, 0], [width / 2, -height / 2, 0],
                        [width / 2, height / 2, 0], [-width / 2, height / 2, 0]], np.float64)
    axis_angle = rng.uniform(0, np.pi)
    axis = np.array([np.cos(axis_angle), np.sin(axis_angle), 0.0])
    rotation, _ = cv2.Rodrigues(axis * np.deg2rad(tilt_degrees))
    moved = corners @ rotation.T
    focal = 1.1 * max(width, height)
    projected = focal * moved[:, :2] / (moved[:, 2:] + focal)
    spin = np.deg2rad(spin_degrees)
    turn = np.array([[np.cos(spin), -np.sin(spin)], [np.sin(spin), np.cos(spin)]])
    return (projected @ turn.T).astype(np.float32)


def place_on_desk(paper: np.ndarray, rng: random.Random, tilt_degrees: float, spin_degrees: float,
                  with_clutter: bool) -> tuple[np.ndarray, np.ndarray]:
    """Photograph the paper lying on a desk: perspective, margins of desk around it, maybe clutter.

    Returns the photo and where the paper's corners (top-left, top-right, bottom-right, bottom-left of the
    print) landed in it, as a 4x2 float32 array of x, y.
    """
    height, width = paper.shape[:2]
    landed = tilt_corners(width, height, tilt_degrees, spin_degrees, rng)
    span = landed.max(axis=0) - landed.min(axis=0)
    room = rng.uniform(1.15, 1.6)
    out_w, out_h = int(span[0] * room + 40), int(span[1] * rng.uniform(1.08, 1.3) + 40)
    offset = np.array([out_w / 2, out_h / 2], np.float32) - (landed.max(axis=0) + landed.min(axis=0)) / 2
    offset += np.array([rng.uniform(-0.25, 0.25) * (out_w - span[0]), rng.uniform(-0.2, 0.2) * (out_h - span[1])],
                       np.float32)
    target = landed + offset
    source = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    warped = cv2.warpPerspective(paper, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones((height, width), np.float32), matrix, (out_w, out_h))[..., None]
    table = desk(out_h, out_w, rng)
    if with_clutter:
        left, top = target.min(axis=0).astype(int).clip(0)
        right, bottom = target.max(axis=0).astype(int)
        table = clutter(table, rng, (int(left), int(top), int(min(right, out_w)), int(min(bottom, out_h))))
    return warped * mask + table * (1 - mask), target


def uneven_light(photo: np.ndarray, rng: random.Random, hard: bool) -> np.ndarray:
    """A light gradient across the photo and, when `hard`, a soft shadow of a hand or phone."""
    height, width = photo.shape[:2]
    strength = rng.uniform(0.3, 0.55) if hard else rng.uniform(0.15, 0.35)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(angle) * xs / width + np.sin(angle) * ys / height)
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    light = 1 - strength * ramp
    if hard:
        shadow = np.zeros((height, width), np.float32)
        points = np.array([[rng.randrange(width), rng.randrange(height)] for _ in range(rng.randrange(3, 6))],
                          np.int32)
        cv2.fillPoly(shadow, [cv2.convexHull(points)], 1.0)
        blur = max(3, (min(height, width) // 12) | 1)
        light *= 1 - rng.uniform(0.3, 0.5) * cv2.GaussianBlur(shadow, (blur, blur), 0)
    return photo * light[..., None]


def motion_blur(photo: np.ndarray, rng: random.Random) -> np.ndarray:
    """A shaky hand: a straight-line blur 0.5-1.2% of the long side, in any direction."""
    length = max(3, int(max(photo.shape[:2]) * rng.uniform(0.005, 0.012)))
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1 / length
    turn = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1.0)
    kernel = cv2.warpAffine(kernel, turn, (length, length))
    return cv2.filter2D(photo, -1, kernel / max(float(kernel.sum()), 1e-6))


def gaussian_blur(photo: np.ndarray, sigma: float) -> np.ndarray:
    """Out of focus by `sigma` pixels."""
    return cv2.GaussianBlur(photo, (0, 0), sigma)


def resize_long_side(photo: np.ndarray, long_side: int) -> np.ndarray:
    """Scale so the longer side is `long_side` pixels."""
    height, width = photo.shape[:2]
    scale = long_side / max(height, width)
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.resize(photo, (max(1, round(width * scale)), max(1, round(height * scale))),
                      interpolation=interpolation)


def sensor_noise(photo: np.ndarray, rng: random.Random, sigma: float) -> np.ndarray:
    """Gaussian sensor noise of standard deviation `sigma`."""
    generator = np.random.default_rng(rng.randrange(2**32))
    return photo + generator.normal(0, sigma, photo.shape).astype(np.float32)
