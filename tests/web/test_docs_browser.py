"""`/docs` in a real browser: headless Chromium, driven by Playwright, lists the API's operations.

The server is `roa2web serve` as a real process. The browser is Debian's Chromium at
/usr/bin/chromium (Playwright's own browser download is never used). Without it the test skips,
unless ROA2WEB_REQUIRE_BROWSER is set (scripts/test.sh sets it): then a missing browser fails.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.jobs.server_process import free_port, wait_ready

CHROMIUM = Path("/usr/bin/chromium")
RENDER_TIMEOUT_MS = 90_000  # Swagger UI parses the whole schema; generous for a loaded machine



def require_browser() -> None:
    """Skip (or fail, when ROA2WEB_REQUIRE_BROWSER is set) without Chromium or Playwright."""
    missing = [what for what, present in (("Chromium at /usr/bin/chromium", CHROMIUM.exists()),
                                          ("the playwright package", importlib.util.find_spec("playwright")))
               if not present]
    if not missing:
        return
    message = "missing for the browser test: " + ", ".join(missing)
    if os.environ.get("ROA2WEB_REQUIRE_BROWSER"):
        pytest.fail(message + " (ROA2WEB_REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, demo_ledger_path: Path) -> Iterator[str]:
    """`python -m roa2web serve` on a free port and its own data dir; yields its base URL."""
    require_browser()
    port = free_port()
    data_dir = tmp_path_factory.mktemp("docs-browser") / "data"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ORACLE_", "QUEUE_", "DATA_"))}
    env.update(DATA_DIR=str(data_dir), LEDGER_PATH=str(demo_ledger_path), PORT=str(port),
               ROA2WEB_ENV_FILE=str(data_dir.parent / "none.env"), OCR_ENABLED="false")
    log = (data_dir.parent / "serve.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "roa2web", "serve"], env=env, stdout=log, stderr=log)
    try:
        wait_ready(port, process, timeout_s=120)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_a_missing_browser_skips_but_fails_when_required(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("ROA2WEB_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Chromium"):
        require_browser()
    monkeypatch.setenv("ROA2WEB_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="ROA2WEB_REQUIRE_BROWSER"):
        require_browser()


@pytest.mark.browser
@pytest.mark.slow
def test_docs_page_lists_the_operations_in_chromium(server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page()
            page_errors: list[str] = []
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            page.goto(server + "/docs")
            # Swagger UI shows the operations, its "Unable to render this definition" box or its errors.
            page.wait_for_selector(".opblock, .version-pragma, .errors-wrapper", timeout=RENDER_TIMEOUT_MS)
            body = page.inner_text("body")
            paths = page.eval_on_selector_all(".opblock-summary-path", "els => els.map(e => e.dataset.path)")
            assert page.evaluate("document.documentElement.lang") == "ro"
            title = page.title()
        finally:
            browser.close()
    assert "Unable to render" not in body, body[:2000]
    assert {"/api/auth/login", "/api/reports/trial-balance", "/health"} <= set(paths), paths
    assert page_errors == []
    assert "documentația" in title
