"""Undo a shaky hand: estimate a photo's straight-line motion blur from its cepstrum, then Wiener-deconvolve it.

A blur along a line of L pixels multiplies the image's spectrum by a sinc whose zeros repeat every 1/L
along the blur's direction; in the cepstrum (the inverse transform of the log spectrum) that shows as a
sharp negative peak L pixels from the centre in that direction. The 8-pixel grid of JPEG blocks makes
peaks of its own on the axes, so those points are never taken for a blur.
"""

from __future__ import annotations

import cv2
import numpy as np

MIN_LENGTH = 4  # a shorter "blur" is the ordinary softness of any photo
MAX_LENGTH = 40
NOISE = 0.03  # Wiener's noise-to-signal ratio: higher leaves more blur, lower more JPEG noise


def blur_estimate(gray: np.ndarray) -> tuple[float, float] | None:
    """(length in pixels, direction in degrees) of the strongest straight-line blur in a grey image.

    Every photo gets an estimate, a sharp one too (then a short, weak one); None only for an image too small.
    """
    height, width = gray.shape
    radius = min(MAX_LENGTH, height // 2 - 1, width // 2 - 1)
    if radius <= MIN_LENGTH:
        return None
    window = np.outer(np.hanning(height), np.hanning(width)).astype(np.float32)
    spectrum = np.abs(np.fft.fft2(gray.astype(np.float32) * window))
    cepstrum = np.fft.fftshift(np.real(np.fft.ifft2(np.log1p(spectrum))))
    middle_y, middle_x = height // 2, width // 2
    near = cepstrum[middle_y - radius:middle_y + radius + 1, middle_x - radius:middle_x + radius + 1].copy()
    dy, dx = np.mgrid[-radius:radius + 1, -radius:radius + 1]
    distance = np.hypot(dy, dx)
    excluded = (distance < MIN_LENGTH) | (distance > radius) | (dy < 0) | ((dy == 0) & (dx < 0))
    excluded |= ((dy == 0) & (dx % 8 == 0)) | ((dx == 0) & (dy % 8 == 0))  # JPEG's 8-pixel blocks
    near[excluded] = np.inf
    at = np.unravel_index(int(np.argmin(near)), near.shape)
    return float(distance[at]), float(np.degrees(np.arctan2(dy[at], dx[at])))


def motion_kernel(length: float, degrees: float) -> np.ndarray:
    """A normalised straight line `length` pixels long in direction `degrees` (x right, y down)."""
    size = int(np.ceil(length)) | 1
    size = max(size, 3) + 2
    kernel = np.zeros((size, size), np.float32)
    middle = (size - 1) / 2
    half_x = np.cos(np.radians(degrees)) * (length - 1) / 2
    half_y = np.sin(np.radians(degrees)) * (length - 1) / 2
    scale = 16  # cv2.line's 4 bits of sub-pixel precision
    start = (round((middle - half_x) * scale), round((middle - half_y) * scale))
    end = (round((middle + half_x) * scale), round((middle + half_y) * scale))
    cv2.line(kernel, start, end, 1.0, 1, cv2.LINE_AA, 4)
    return kernel / kernel.sum()


def deconvolve(gray: np.ndarray, kernel: np.ndarray, noise: float = NOISE) -> np.ndarray:
    """`gray` with `kernel`'s blur undone (Wiener filter), uint8; edges padded by reflection against ringing."""
    pad = kernel.shape[0] * 2
    padded = cv2.copyMakeBorder(gray.astype(np.float32), pad, pad, pad, pad, cv2.BORDER_REFLECT)
    response = np.fft.fft2(kernel, s=padded.shape)
    rows, columns = np.fft.fftfreq(padded.shape[0])[:, None], np.fft.fftfreq(padded.shape[1])[None, :]
    response *= np.exp(2j * np.pi * (rows * (kernel.shape[0] // 2) + columns * (kernel.shape[1] // 2)))
    level = float(padded.mean())  # filtered apart, so the noise term does not darken the paper
    restored = np.fft.ifft2(np.fft.fft2(padded - level) * np.conj(response) / (np.abs(response) ** 2 + noise))
    return np.clip(np.real(restored)[pad:-pad, pad:-pad] + level, 0, 255).astype(np.uint8)


def deblurred(pixels: np.ndarray) -> np.ndarray | None:
    """An RGB photo with its estimated motion blur undone (grey in three channels); None for a tiny image."""
    gray = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    estimate = blur_estimate(gray)
    if estimate is None:
        return None
    sharp = deconvolve(gray, motion_kernel(*estimate))
    return np.ascontiguousarray(np.repeat(sharp[:, :, None], 3, axis=2))
