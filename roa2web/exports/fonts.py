"""The Unicode TTF fonts PDFs embed.

DejaVu Sans Condensed shipped in the package (licence in roa2web/assets/fonts/LICENSE.txt), else a
system font with Romanian glyphs.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

PACKAGED = Path(__file__).resolve().parent.parent / "assets" / "fonts"
SYSTEM_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")  # windows-safe: Debian's fonts, tried only if present
_CANDIDATES: tuple[tuple[str, str], ...] = (
    (str(PACKAGED / "DejaVuSansCondensed.ttf"), str(PACKAGED / "DejaVuSansCondensed-Bold.ttf")),
    (str(SYSTEM_DEJAVU / "DejaVuSansCondensed.ttf"), str(SYSTEM_DEJAVU / "DejaVuSansCondensed-Bold.ttf")),
    (str(SYSTEM_DEJAVU / "DejaVuSans.ttf"), str(SYSTEM_DEJAVU / "DejaVuSans-Bold.ttf")),
    (os.path.expandvars(r"%WINDIR%\Fonts\arial.ttf"), os.path.expandvars(r"%WINDIR%\Fonts\arialbd.ttf")),
    (r"C:\Windows\Fonts\arial.ttf", r"C:\Windows\Fonts\arialbd.ttf"),
)


class FontNotFound(RuntimeError):
    """No usable Unicode TTF font was found."""


@functools.cache
def font_files() -> tuple[Path, Path]:
    """(regular, bold) TTF paths; FontNotFound names every place looked at."""
    for regular, bold in _CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            return Path(regular), Path(bold)
    looked = "\n  ".join(regular for regular, _ in _CANDIDATES)
    raise FontNotFound(
        "no Unicode TTF font for PDF exports; reinstall roa2web (it ships DejaVu Sans Condensed) "
        f"or install DejaVu fonts. Looked for:\n  {looked}"
    )
