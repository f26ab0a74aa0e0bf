"""Flatten a photographed receipt: find the paper's four corners and warp it to a rectangle.

Receipt paper is bright and grey; a desk is darker or coloured. Several masks of "paper-like" pixels
(plain brightness, and brightness of low-saturation pixels, which a shadow darkens but does not colour)
each give a few candidate quadrilaterals; the best one by a score (how much of it is paper-like, how much
of the photo it covers, how clearly its sides stand out) is used. When no candidate is good enough the
image is returned untouched. No binarisation of the result: the recogniser reads grey text better than
thresholded text. The finder does not care which way up the receipt lies: a receipt turned a quarter
gives a landscape result, for the orientation step to turn.
"""

from __future__ import annotations

from itertools import combinations

import cv2
import numpy as np

_WORK_SIDE = 640
MIN_AREA_SHARE = 0.1
MAX_AREA_SHARE = 0.97
MIN_SCORE = 0.35
_CANDIDATES_PER_MASK = 3


def find_paper(image: np.ndarray) -> np.ndarray | None:
    """The paper's corners in `image` coordinates (top-left, top-right, bottom-right, bottom-left), or None."""
    height, width = image.shape[:2]
    scale = _WORK_SIDE / max(height, width)
    small = cv2.resize(image, (max(1, round(width * scale)), max(1, round(height * scale))),
                       interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    best, best_score = None, MIN_SCORE
    for mask in _paper_masks(blurred):
        for quad in _candidate_quads(mask):
            score = _score(quad, mask)
            if score > best_score:
                best, best_score = quad, score
    return None if best is None else _order(best / scale)


def _paper_masks(rgb: np.ndarray) -> list[np.ndarray]:
    """Binary masks of pixels that may be paper: bright ones, and bright grey ones."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    saturation, value = hsv[..., 1].astype(np.float32), hsv[..., 2].astype(np.float32)
    greyness = (value * np.clip(1 - 2.5 * saturation / 255, 0, 1)).astype(np.uint8)
    masks = []
    for channel in (gray, greyness):
        _, mask = cv2.threshold(channel, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
        masks.append(cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((7, 7), np.uint8)))
    return masks


def _candidate_quads(mask: np.ndarray) -> list[np.ndarray]:
    """Four-cornered outlines of the largest blobs of `mask`, in its pixel coordinates."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    smallest = MIN_AREA_SHARE * mask.shape[0] * mask.shape[1]
    quads = []
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:_CANDIDATES_PER_MASK]:
        if cv2.contourArea(contour) < smallest:
            break
        quad = _quad_of(cv2.convexHull(contour))
        if quad is not None:
            quads.append(quad)
    return quads


def _quad_of(hull: np.ndarray) -> np.ndarray | None:
    """The largest quadrilateral with its corners among a simplified `hull`'s vertices."""
    perimeter = cv2.arcLength(hull, True)
    for epsilon in (0.01, 0.02, 0.04):
        points = cv2.approxPolyDP(hull, epsilon * perimeter, True).reshape(-1, 2).astype(np.float32)
        if len(points) <= 12:
            break
    if len(points) < 4:
        return None
    best = max(combinations(range(len(points)), 4), key=lambda corners: _area(points[list(corners)]))
    return points[list(best)]


def _area(points: np.ndarray) -> float:
    return float(cv2.contourArea(points))


def _score(quad: np.ndarray, mask: np.ndarray) -> float:
    """How much `quad` looks like the receipt: paper-like inside, not outside, and a good share of the photo."""
    total = mask.shape[0] * mask.shape[1]
    share = _area(quad) / total
    if not MIN_AREA_SHARE <= share <= MAX_AREA_SHARE or not _plausible_angles(quad):
        return 0.0
    inside = np.zeros_like(mask)
    cv2.fillConvexPoly(inside, quad.astype(np.int32), 255)
    inside_count = max(1, cv2.countNonZero(inside))
    fill = cv2.countNonZero(cv2.bitwise_and(mask, inside)) / inside_count
    outside = cv2.countNonZero(cv2.bitwise_and(mask, cv2.bitwise_not(inside))) / max(1, total - inside_count)
    return fill * (1 - outside) * min(1.0, share / 0.3) ** 0.5


def _plausible_angles(quad: np.ndarray) -> bool:
    """Every corner between 45° and 135°: a sheet seen at an angle, not a sliver."""
    for index in range(4):
        before, corner, after = quad[index - 1], quad[index], quad[(index + 1) % 4]
        first, second = before - corner, after - corner
        cosine = float(np.dot(first, second) / (np.linalg.norm(first) * np.linalg.norm(second) + 1e-6))
        if abs(cosine) > np.cos(np.deg2rad(45)):
            return False
    return True


def _order(points: np.ndarray) -> np.ndarray:
    """Clockwise on screen, starting from the corner nearest the image's top-left."""
    centre = points.mean(axis=0)
    clockwise = points[np.argsort(np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0]))]
    return np.roll(clockwise, -int(np.argmin(clockwise.sum(axis=1))), axis=0).astype(np.float32)


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
