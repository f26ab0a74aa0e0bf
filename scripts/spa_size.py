"""The web app's initial JavaScript: the gzip size of the scripts its index.html loads at once.

Those are the entry script (`<script type="module" src>`) and its `<link rel="modulepreload">`
chunks; lazily loaded pages are not counted. Each file is gzipped at level 9, as a server would at
its best. Used by scripts/build_spa.sh (prints the figure) and tests/test_spa_size.py (the limit of
issue 12: at most 200 KB).

    python scripts/spa_size.py [frontend/dist]
"""

from __future__ import annotations

import gzip
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

LIMIT_BYTES = 200 * 1024


class InitialScripts(HTMLParser):
    """The URLs of the module scripts and module preloads of one HTML page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("type") == "module" and values.get("src"):
            self.urls.append(str(values["src"]))
        rels = (values.get("rel") or "").lower().split()
        if tag == "link" and "modulepreload" in rels and values.get("href"):
            self.urls.append(str(values["href"]))


def initial_js(dist: Path) -> dict[str, int]:
    """Each initial JS file of the build in `dist` (its path in dist) and its gzip -9 size in bytes."""
    parser = InitialScripts()
    parser.feed((dist / "index.html").read_text(encoding="utf-8"))
    sizes: dict[str, int] = {}
    for url in parser.urls:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            raise ValueError(f"index.html loads {url!r} from elsewhere; the build should serve its own scripts")
        name = parts.path.lstrip("/")
        sizes[name] = len(gzip.compress((dist / name).read_bytes(), compresslevel=9))
    if not sizes:
        raise ValueError(f"{dist / 'index.html'} loads no module script")
    return sizes


def describe(sizes: dict[str, int]) -> str:
    """One line: the total in KB and how many files."""
    total = sum(sizes.values())
    return f"initial JS (entry + modulepreload, gzip -9): {total / 1024:.1f} KB in {len(sizes)} file(s)"


def main(argv: list[str]) -> int:
    """Print the figure for the build in argv[0] (default frontend/dist); the limit is the test's to enforce."""
    dist = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "frontend" / "dist"
    sizes = initial_js(dist)
    for name, size in sizes.items():
        print(f"  {name}: {size / 1024:.1f} KB gzip")
    over = sum(sizes.values()) > LIMIT_BYTES
    print(describe(sizes), f"({'OVER the' if over else 'within the'} limit of {LIMIT_BYTES // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
