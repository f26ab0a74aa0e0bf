"""The web app's initial JS (entry + modulepreloads, gzip -9) stays within issue 12's 200 KB.

Reads the build in frontend/dist (scripts/build_spa.sh, run by scripts/test.sh before pytest). Without
a build the test skips, unless ROA2WEB_REQUIRE_BROWSER is set (test.sh sets it): then it fails.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from scripts.spa_size import LIMIT_BYTES, describe, initial_js

DIST = Path(__file__).resolve().parents[1] / "frontend" / "dist"


def test_initial_js_is_within_200_kb_gzip():
    if not (DIST / "index.html").is_file():
        message = f"the web app is not built ({DIST / 'index.html'} is missing): run bash scripts/build_spa.sh"
        if os.environ.get("ROA2WEB_REQUIRE_BROWSER"):
            pytest.fail(message + " (ROA2WEB_REQUIRE_BROWSER is set)", pytrace=False)
        pytest.skip(message)
    sizes = initial_js(DIST)
    print(describe(sizes))
    assert sum(sizes.values()) <= LIMIT_BYTES, f"{describe(sizes)}: over {LIMIT_BYTES // 1024} KB ({sizes})"


def test_the_figure_counts_the_entry_and_its_preloads_only(tmp_path: Path):
    (tmp_path / "assets").mkdir()
    entry, chunk, lazy = b"import './vendor.js';" * 50, b"export const x = 1;" * 400, b"lazy page" * 1000
    (tmp_path / "assets" / "index-1.js").write_bytes(entry)
    (tmp_path / "assets" / "vendor-2.js").write_bytes(chunk)
    (tmp_path / "assets" / "page-3.js").write_bytes(lazy)
    (tmp_path / "index.html").write_text(
        '<!doctype html><html><head><script type="module" crossorigin src="/assets/index-1.js"></script>'
        '<link rel="modulepreload" crossorigin href="/assets/vendor-2.js"><link rel="stylesheet" href="/assets/a.css">'
        '</head><body></body></html>', encoding="utf-8")
    assert initial_js(tmp_path) == {"assets/index-1.js": len(gzip.compress(entry, compresslevel=9)),
                                    "assets/vendor-2.js": len(gzip.compress(chunk, compresslevel=9))}
    (tmp_path / "index.html").write_text("<html><body>no scripts</body></html>", encoding="utf-8")
    with pytest.raises(ValueError, match="no module script"):
        initial_js(tmp_path)
