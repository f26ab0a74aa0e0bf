"""What the front (IIS with frontend/public/web.config, or its nginx stand-in) does with each sample path.

One table for both tests: tests/deploy/test_web_config.py works it out from web.config's rules,
tests/deploy/test_nginx_front.py asks the real nginx. A path is answered one of four ways:
PROXY (the ROA2WEB service answers), FILE (that file of the build), PAGE (the web app's index.html),
MISSING (a 404 from the front itself).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

SERVICE_ADDRESS = "127.0.0.1:8000"  # where IIS proxies to: the service's default HOST:PORT


class Outcome(StrEnum):
    """How the front answers a path."""

    PROXY = "proxy"
    FILE = "file"
    PAGE = "page"
    MISSING = "missing"


# Files the sample build holds besides index.html (the nginx test adds them to its copy of frontend/dist).
SAMPLE_FILES: dict[str, bytes] = {
    "assets/index-abc123.js": b"export const built = 1;\n",
    "assets/index-abc123.css": b"body { margin: 0 }\n",
    "favicon.ico": b"\x00\x00\x01\x00",
    "web.config": b"<configuration/>\n",
}

SAMPLE_PATHS: dict[str, Outcome] = {
    "/api/auth/login": Outcome.PROXY,
    "/api/reports/x": Outcome.PROXY,
    "/api/reports/trial-balance?company_id=1&year=2025": Outcome.PROXY,
    "/api": Outcome.PROXY,
    "/health": Outcome.PROXY,
    "/ready": Outcome.PROXY,
    "/openapi.json": Outcome.PROXY,
    "/docs": Outcome.PROXY,
    "/docs/static/swagger-ui/swagger-ui.css": Outcome.PROXY,
    "/docs/static/roa2web-init.js": Outcome.PROXY,
    "/": Outcome.PAGE,
    "/index.html": Outcome.PAGE,
    "/login": Outcome.PAGE,
    "/reports/dashboard": Outcome.PAGE,
    "/reports/dashboard?company=1": Outcome.PAGE,
    "/data-entry/receipts/42": Outcome.PAGE,
    "/healthy": Outcome.PAGE,  # not /health: only whole segments are the service's
    "/apis/x": Outcome.PAGE,
    "/assets/index-abc123.js": Outcome.FILE,
    "/assets/index-abc123.css": Outcome.FILE,
    "/favicon.ico": Outcome.FILE,
    "/assets/gone-999.js": Outcome.MISSING,  # an old build's chunk: a 404, not index.html
    "/robots.txt": Outcome.MISSING,
    "/web.config": Outcome.MISSING,  # IIS never serves its configuration
}


def write_sample_build(root: Path) -> Path:
    """A build with an index.html and SAMPLE_FILES in `root` (kept when already there); returns `root`."""
    root.mkdir(parents=True, exist_ok=True)
    index = root / "index.html"
    if not index.exists():
        index.write_text('<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script>'
                         "</head><body><div id=app></div></body></html>", encoding="utf-8")
    for name, content in SAMPLE_FILES.items():
        path = root / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    return root
