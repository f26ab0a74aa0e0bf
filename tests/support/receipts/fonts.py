"""TrueType fonts for printed receipts, from Debian's font packages (scripts/test.sh installs them).

A missing font is an error naming the package to install: never a silent fallback to another font.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ImageFont

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_LIBERATION = Path("/usr/share/fonts/truetype/liberation")
FONT_PACKAGES = ("fonts-dejavu-core", "fonts-liberation")


@dataclass(frozen=True)
class ReceiptFont:
    """A regular and a bold face of one family; `monospace` like a thermal printer's."""

    name: str
    regular: Path
    bold: Path
    package: str
    monospace: bool


FONTS = {
    font.name: font for font in (
        ReceiptFont("dejavu-mono", _DEJAVU / "DejaVuSansMono.ttf", _DEJAVU / "DejaVuSansMono-Bold.ttf",
                    "fonts-dejavu-core", True),
        ReceiptFont("liberation-mono", _LIBERATION / "LiberationMono-Regular.ttf",
                    _LIBERATION / "LiberationMono-Bold.ttf", "fonts-liberation", True),
        ReceiptFont("dejavu-condensed", _DEJAVU / "DejaVuSansCondensed.ttf", _DEJAVU / "DejaVuSansCondensed-Bold.ttf",
                    "fonts-dejavu-core", False),
        ReceiptFont("liberation-narrow", _LIBERATION / "LiberationSansNarrow-Regular.ttf",
                    _LIBERATION / "LiberationSansNarrow-Bold.ttf", "fonts-liberation", False),
    )
}
FONT_NAMES = tuple(FONTS)


class FontMissingError(RuntimeError):
    """A receipt font is not installed."""


@cache
def load_font(name: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Font `name` at `size` pixels; FontMissingError (naming the Debian package) when its file is absent."""
    font = FONTS[name]
    path = font.bold if bold else font.regular
    if not path.is_file():
        raise FontMissingError(f"receipt font {name!r} needs {path}: install the Debian package {font.package} "
                               f"(scripts/test.sh does it with apt-get)")
    return ImageFont.truetype(str(path), size)
