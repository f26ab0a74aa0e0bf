"""The SPA in a real browser: a real `roa2web serve` with the built frontend/dist, users made with the CLI,
Debian's headless Chromium driven by Playwright.

Without Chromium, Playwright or a built SPA (scripts/build_spa.sh) the tests skip, unless
ROA2WEB_REQUIRE_BROWSER is set (scripts/test.sh sets it): then they fail and say what is missing.
Screenshots go to ROA2WEB_SCREENSHOT_DIR when set, else a pytest temporary folder; the folder and the
render time are printed at the end of the run.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.jobs.server_process import free_port, wait_ready
from tests.web.spa import spa_kit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page



def require_spa() -> None:
    """Skip (or fail, when ROA2WEB_REQUIRE_BROWSER is set) without Chromium, Playwright or a built SPA."""
    checks = (("Chromium at /usr/bin/chromium", spa_kit.CHROMIUM.exists()),
              ("the playwright package", importlib.util.find_spec("playwright") is not None),
              (f"the built SPA at {spa_kit.SPA_DIST}/index.html (run scripts/build_spa.sh)",
               (spa_kit.SPA_DIST / "index.html").exists()))
    missing = [what for what, present in checks if not present]
    if not missing:
        return
    message = "missing for the SPA browser tests: " + ", ".join(missing)
    if os.environ.get("ROA2WEB_REQUIRE_BROWSER"):
        pytest.fail(message + " (ROA2WEB_REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class SpaServer:
    """The running server: its base URL and who can log in (all with spa_kit.PASSWORD)."""

    base: str
    data_dir: Path
    log: Path
    operator: str = "ana"
    approver: str = "bogdan"
    viewer: str = "vera"
    api_clients: dict[str, spa_kit.ApiClient] = field(default_factory=dict)

    def api(self, username: str) -> spa_kit.ApiClient:
        """An API client logged in as `username` (one per user)."""
        if username not in self.api_clients:
            self.api_clients[username] = spa_kit.ApiClient(self.base, username)
        return self.api_clients[username]


@pytest.fixture(scope="session")
def spa_server(tmp_path_factory: pytest.TempPathFactory, demo_ledger_path: Path) -> Iterator[SpaServer]:
    """`python -m roa2web serve` (embedded default, OCR on, no BNR) with SPA_DIR = frontend/dist, three users."""
    require_spa()
    root = tmp_path_factory.mktemp("spa-server")
    data_dir, port = root / "data", free_port()
    env = spa_kit.server_env(data_dir, demo_ledger_path, port)
    server = SpaServer(f"http://127.0.0.1:{port}", data_dir, root / "serve.log")
    spa_kit.add_user(env, server.operator, ["operator"], str(spa_kit.COMPANY))
    spa_kit.add_user(env, server.approver, ["approver"], str(spa_kit.COMPANY))
    spa_kit.add_user(env, server.viewer, ["viewer"], str(spa_kit.VIEWER_COMPANY))
    with server.log.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "roa2web", "serve"], env=env, stdout=log, stderr=log)
    try:
        wait_ready(port, process, timeout_s=120)
        yield server
    finally:
        spa_kit.stop_process(process)


@pytest.fixture(scope="module")
def browser(spa_server: SpaServer) -> Iterator[Browser]:
    """One headless Chromium per test module (each test opens its own contexts).

    Not per session: Playwright's sync API holds an event loop on the main thread while it runs, and
    the async tests that follow in the same pytest run could not start theirs.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = spa_kit.launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Pages:
    """Opens browser contexts (a separate session each) and remembers what went wrong in their pages."""

    browser: Browser
    contexts: list[BrowserContext] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def new(self, viewport: dict[str, int] | None = None) -> Page:
        """A page in a new context (its own cookies and sessionStorage), downloads accepted, lang ro."""
        context = self.browser.new_context(viewport=viewport or spa_kit.DESKTOP, accept_downloads=True,  # type: ignore[arg-type]
                                           locale="ro-RO", timezone_id="Europe/Bucharest")
        context.set_default_timeout(spa_kit.WAIT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        return page


@pytest.fixture
def pages(browser: Browser) -> Iterator[Pages]:
    """New pages for one test; after it, no page may have thrown an uncaught error."""
    opened = Pages(browser)
    try:
        yield opened
    finally:
        for context in opened.contexts:
            context.close()
    assert opened.errors == [], opened.errors


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go: ROA2WEB_SCREENSHOT_DIR when set, else a pytest temporary folder."""
    wanted = os.environ.get("ROA2WEB_SCREENSHOT_DIR")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("spa-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    spa_kit.SUMMARY.append(f"SPA screenshots: {folder}")
    print(f"SPA screenshots: {folder}")
    return folder


@pytest.fixture
def shoot(screenshot_dir: Path) -> Callable[[Page, str], Path]:
    """`shoot(page, "dashboard")` saves a full-page PNG as <folder>/dashboard.png and returns its path."""

    def save(page: Page, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.wait_for_load_state("networkidle", timeout=spa_kit.WAIT_MS)
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 5_000, f"{path} is nearly empty"
        return path

    return save


def pytest_sessionfinish(session: pytest.Session) -> None:
    """On a pytest-xdist worker, hand the summary lines to the controller (tests/conftest.py prints them)."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["spa_summary"] = list(spa_kit.SUMMARY)


@dataclass(frozen=True)
class XlsxExport:
    """The trial balance exported as XLSX from its page: the job, what the page showed, the file."""

    job_id: str
    progress: int
    state_text: str
    filename: str
    content: bytes
    api_query: dict[str, str]


@pytest.fixture(scope="module")
def xlsx_export(browser: Browser, spa_server: SpaServer) -> XlsxExport:
    """The operator exports the year's trial balance as XLSX from the page, once per module that asks
    (the jobs test then looks for that job)."""
    context = browser.new_context(viewport=spa_kit.DESKTOP, accept_downloads=True, locale="ro-RO")  # type: ignore[arg-type]
    context.set_default_timeout(spa_kit.WAIT_MS)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        spa_kit.log_in(page, spa_server.base, spa_server.operator,
                       path=f"/reports/trial-balance?company={spa_kit.COMPANY}&{spa_kit.YEAR_QUERY}")
        page.get_by_test_id("tb-total-closing_debit").wait_for()
        page.get_by_test_id("export-format").select_option("xlsx")
        with (page.expect_response(lambda r: r.url.endswith("/api/reports/exports") and r.request.method == "POST")
              as created, page.expect_download() as downloaded):
            page.get_by_test_id("export-start").click()
        job_id = created.value.json()["job_id"]
        download = downloaded.value
        page.wait_for_function("() => document.querySelector('[data-testid=export-progress]')?.value === 100")
        progress = int(page.get_by_test_id("export-progress").evaluate("el => el.value"))
        export = XlsxExport(job_id=job_id, progress=progress, state_text=spa_kit.testid_text(page, "export-state"),
                            filename=download.suggested_filename, content=Path(download.path()).read_bytes(),
                            api_query=spa_kit.trial_balance_query(page))
    finally:
        context.close()
    assert errors == [], errors
    return export


@pytest.fixture
def spa_requirement() -> Callable[[], None]:
    """The check every browser test of the SPA makes first (for its own test)."""
    return require_spa
