"""Flatten a photographed receipt: find the paper's four corners (paper.py) and warp it to a rectangle.

When no clear sheet is found the image is returned untouched. No binarisation: the recogniser reads grey
text better than thresholded text. A receipt lying turned a quarter gives a landscape result, which the
orientation step turns.
"""

from __future__ import annotations

import cv2
import numpy as np

from roa2web.data_entry.ocr.paper import find_paper

__all__ = ["find_paper", "straighten"]


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
