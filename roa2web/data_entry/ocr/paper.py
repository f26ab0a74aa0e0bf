"""Find a receipt's four corners in a photo of it lying on a desk.

Receipt paper is bright and grey; a desk is darker or coloured. Two masks of paper-like pixels (bright
ones, and bright low-saturation ones: a shadow darkens paper but does not colour it) give blobs; each
large blob gives candidate quadrilaterals: the largest one inside its convex hull, and ones framed by the
straight stretches of its outline (which still works when another sheet or object touches the receipt and
the blob is the two of them together). The candidate that is grey inside, clearly brighter just inside its
sides than just outside (true of the paper's edge in a shadow too, not of a shadow's soft edge), and covers
a good share of the photo wins. The finder does not care which way up the receipt lies.
"""

from __future__ import annotations

from itertools import combinations

import cv2
import numpy as np

WORK_SIDE = 640
MIN_AREA_SHARE = 0.1
MAX_AREA_SHARE = 0.97
MIN_SCORE = 0.4
_BLOBS_PER_MASK = 3
_LINES_PER_BLOB = 8
_SIDE_SAMPLES = 40
_EDGE_OFFSET = 4
_GRID = np.stack(np.meshgrid(np.linspace(0.03, 0.97, 16), np.linspace(0.03, 0.97, 16)), -1).reshape(-1, 2)


def find_paper(image: np.ndarray) -> np.ndarray | None:
    """The paper's corners in `image` coordinates, clockwise from the one nearest the top-left, or None."""
    height, width = image.shape[:2]
    scale = WORK_SIDE / max(height, width)
    small = cv2.resize(image, (max(1, round(width * scale)), max(1, round(height * scale))),
                       interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    gray = cv2.cvtColor(blurred, cv2.COLOR_RGB2GRAY).astype(np.float32) + 8
    grey = (cv2.cvtColor(blurred, cv2.COLOR_RGB2HSV)[..., 1] < 64).astype(np.uint8)
    candidates = []
    for mask in paper_masks(blurred):
        for blob in _large_blobs(mask):
            outline = np.zeros_like(mask)
            cv2.drawContours(outline, [blob], -1, 255, 1)
            candidates.extend(_candidates(blob, outline))
    best, best_score = None, MIN_SCORE
    for quad in candidates:
        score = _score(quad, gray, grey)
        if score > best_score:
            best, best_score = quad, score
    return None if best is None else order_corners(best / scale)


def paper_masks(rgb: np.ndarray) -> list[np.ndarray]:
    """Binary masks of pixels that may be paper: bright ones, and bright grey ones."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV).astype(np.float32)
    greyness = (hsv[..., 2] * np.clip(1 - 2.5 * hsv[..., 1] / 255, 0, 1)).astype(np.uint8)
    masks = []
    for channel in (gray, greyness):
        _, mask = cv2.threshold(channel, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
        masks.append(cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((7, 7), np.uint8)))
    return masks


def order_corners(points: np.ndarray) -> np.ndarray:
    """Four points clockwise on screen, starting from the one nearest the image's top-left."""
    centre = points.mean(axis=0)
    clockwise = points[np.argsort(np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0]))]
    return np.roll(clockwise, -int(np.argmin(clockwise.sum(axis=1))), axis=0).astype(np.float32)


def _large_blobs(mask: np.ndarray) -> list[np.ndarray]:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    smallest = MIN_AREA_SHARE * mask.shape[0] * mask.shape[1]
    largest = sorted(contours, key=cv2.contourArea, reverse=True)[:_BLOBS_PER_MASK]
    return [contour for contour in largest if cv2.contourArea(contour) >= smallest]


def _candidates(blob: np.ndarray, outline: np.ndarray) -> list[np.ndarray]:
    quads = _framed_by_lines(outline)
    hull_quad = _largest_hull_quad(cv2.convexHull(blob))
    return quads if hull_quad is None else [hull_quad, *quads]


def _largest_hull_quad(hull: np.ndarray) -> np.ndarray | None:
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


def _framed_by_lines(outline: np.ndarray) -> list[np.ndarray]:
    """Quadrilaterals framed by four of the outline's strongest straight lines.

    The four make two roughly opposite pairs, and the corners lie on or near the photo.
    """
    height, width = outline.shape
    found = cv2.HoughLines(outline, 2, np.pi / 180, max(20, round(0.08 * max(height, width))))
    if found is None:
        return []
    lines: list[tuple[float, float]] = []
    for rho, theta in found[:, 0]:
        if all(abs(rho - other_rho) > 12 or _angle_between(theta, other_theta) > np.deg2rad(8)
               for other_rho, other_theta in lines):
            lines.append((float(rho), float(theta)))
        if len(lines) == _LINES_PER_BLOB:
            break
    limit = np.array([width, height]) * 0.15
    quads = []
    for four in combinations(lines, 4):
        for first, second, third, fourth in ((0, 1, 2, 3), (0, 2, 1, 3), (0, 3, 1, 2)):
            pair, other = (four[first], four[second]), (four[third], four[fourth])
            if not _opposite(*pair) or not _opposite(*other) or \
                    min(_angle_between(side[1], across[1]) for side in pair for across in other) < np.deg2rad(40):
                continue
            corners = np.array([_crossing(pair[0], other[0]), _crossing(other[0], pair[1]),
                                _crossing(pair[1], other[1]), _crossing(other[1], pair[0])], np.float32)
            if np.all(corners >= -limit) and np.all(corners <= np.array([width, height]) + limit):
                quads.append(corners)
    return quads


def _angle_between(theta: float, other: float) -> float:
    """Angle between two line directions (0..π/2)."""
    difference = abs(theta - other) % np.pi
    return float(min(difference, np.pi - difference))


def _opposite(line: tuple[float, float], other: tuple[float, float]) -> bool:
    """Two lines that can be opposite sides of a tilted sheet: within 35° of parallel, well apart."""
    return _angle_between(line[1], other[1]) < np.deg2rad(35) and abs(abs(line[0]) - abs(other[0])) > 30


def _crossing(line: tuple[float, float], other: tuple[float, float]) -> tuple[float, float]:
    (rho, theta), (other_rho, other_theta) = line, other
    matrix = np.array([[np.cos(theta), np.sin(theta)], [np.cos(other_theta), np.sin(other_theta)]])
    x, y = np.linalg.solve(matrix, np.array([rho, other_rho]))
    return float(x), float(y)


def _area(points: np.ndarray) -> float:
    return float(cv2.contourArea(points))


def _score(quad: np.ndarray, gray: np.ndarray, grey: np.ndarray) -> float:
    """How much `quad` looks like the receipt, 0..1.

    Grey inside, clearly brighter just inside its sides than just outside (a shadow darkens both alike),
    and a good share of the photo.
    """
    quad = order_corners(quad)
    share = _area(quad) / (gray.shape[0] * gray.shape[1])
    if not MIN_AREA_SHARE <= share <= MAX_AREA_SHARE or not _plausible_angles(quad):
        return 0.0
    fill = float(np.mean(_sample(grey, _inside_points(quad)) > 0))
    steps = np.linspace(0, 1, _SIDE_SAMPLES, endpoint=False)[:, None] + 0.5 / _SIDE_SAMPLES
    brighter, measured = [], []
    for start, end in zip(quad, np.roll(quad, -1, 0), strict=True):
        along = start + steps * (end - start)
        direction = (end - start) / (np.linalg.norm(end - start) + 1e-6)
        inward = np.array([-direction[1], direction[0]]) * _EDGE_OFFSET
        brighter.append(_sample(gray, along + inward) > 1.25 * _sample(gray, along - inward))
        measured.append(np.all((along - inward >= 0) & (along - inward < gray.shape[::-1]), axis=1))
    # A side beyond the photo's edge tells nothing; most of the outline must be seen.
    seen = np.concatenate(measured)
    if seen.mean() < 0.5:
        return 0.0
    contrast = np.concatenate(brighter)[seen].mean()
    return float(fill * contrast * min(1.0, share / 0.3) ** 0.25)


def _inside_points(quad: np.ndarray) -> np.ndarray:
    """A grid of points spread over the quadrilateral (bilinear between its corners)."""
    u, v = _GRID[:, :1], _GRID[:, 1:]
    top = quad[0] + u * (quad[1] - quad[0])
    bottom = quad[3] + u * (quad[2] - quad[3])
    return np.asarray(top + v * (bottom - top))


def _sample(image: np.ndarray, points: np.ndarray) -> np.ndarray:
    """`image` at `points` (x, y); a point off the image reads the nearest edge pixel."""
    xs = np.clip(np.round(points[:, 0]).astype(int), 0, image.shape[1] - 1)
    ys = np.clip(np.round(points[:, 1]).astype(int), 0, image.shape[0] - 1)
    return np.asarray(image[ys, xs])


def _plausible_angles(quad: np.ndarray) -> bool:
    """Convex, every corner between 45° and 135°: a sheet seen at an angle, not a sliver."""
    if not cv2.isContourConvex(quad.reshape(-1, 1, 2)):
        return False
    for index in range(4):
        first, second = quad[index - 1] - quad[index], quad[(index + 1) % 4] - quad[index]
        cosine = float(np.dot(first, second) / (np.linalg.norm(first) * np.linalg.norm(second) + 1e-6))
        if abs(cosine) > np.cos(np.deg2rad(45)):
            return False
    return True
