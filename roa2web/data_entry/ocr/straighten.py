"""Flatten a photographed receipt: find the paper's four corners and warp it to a rectangle.

Applied only when a clear quadrilateral, brighter than its surroundings, covers a good part of the
photo; otherwise the image is returned untouched. No binarisation: the recogniser reads grey text
better than thresholded text.
"""

from __future__ import annotations

import cv2
import numpy as np

_WORK_SIDE = 640
MIN_AREA_SHARE = 0.2
MAX_AREA_SHARE = 0.97


def find_paper(image: np.ndarray) -> np.ndarray | None:
    """The paper's corners in `image` coordinates (top-left, top-right, bottom-right, bottom-left), or None."""
    height, width = image.shape[:2]
    scale = _WORK_SIDE / max(height, width)
    small = cv2.resize(image, (max(1, round(width * scale)), max(1, round(height * scale))),
                       interpolation=cv2.INTER_AREA)
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), (5, 5), 0)
    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(contour) / float(mask.shape[0] * mask.shape[1])
    if not MIN_AREA_SHARE <= share <= MAX_AREA_SHARE:
        return None
    hull = cv2.convexHull(contour)
    corners = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(corners) != 4:
        return None
    quad = corners.reshape(4, 2).astype(np.float32) / scale
    if cv2.contourArea(quad) < 0.9 * cv2.contourArea(hull.astype(np.float32) / scale):
        return None
    return _order(quad)


def _order(points: np.ndarray) -> np.ndarray:
    sums = points.sum(axis=1)
    diffs = np.diff(points, axis=1).ravel()
    return np.array([points[np.argmin(sums)], points[np.argmin(diffs)],
                     points[np.argmax(sums)], points[np.argmax(diffs)]], dtype=np.float32)


def straighten(image: np.ndarray) -> tuple[np.ndarray, bool]:
    """`image` with the receipt cut out and flattened, and whether that was done."""
    quad = find_paper(image)
    if quad is None:
        return image, False
    top_left, top_right, bottom_right, bottom_left = quad
    width = round(max(np.linalg.norm(top_right - top_left), np.linalg.norm(bottom_right - bottom_left)))
    height = round(max(np.linalg.norm(bottom_left - top_left), np.linalg.norm(bottom_right - top_right)))
    if width < 64 or height < 64:
        return image, False
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad, target)
    flat = cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
    return flat, True
