"""What the SPA browser tests (and scripts/bench/spa_render.py) share: the browser, the real server, logging in,
a small API client, Romanian numbers, and the 2,000-row trial balance render measurement.

No pytest here: the bench imports it too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright, Route

REPO = Path(__file__).resolve().parents[3]
SPA_DIST = REPO / "frontend" / "dist"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
WAIT_MS = 90_000  # one page, one job, one selector: generous for a loaded machine, never asserted
PASSWORD = "parola-spa-123"
CENT = Decimal("0.01")
COMPANY = 1  # the operator's and the approver's company in the browser tests
VIEWER_COMPANY = 2  # the one company the viewer has
YEAR = 2025  # a whole year of the pinned demo ledger (tests/support/demo_window.py)
YEAR_QUERY = f"year={YEAR}&month_from=1&month_to=12"  # the trial balance of that whole year
SUMMARY: list[str] = []  # lines the browser tests print at the end of the run (screenshot folder, render time)


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless (Playwright's own browser download is never used)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


def ro_number(text: str) -> Decimal:
    """A number as the app shows it ("1.234,56", "-12,00 lei", "0,50") as a Decimal; anything else fails."""
    clean = text.replace("\u00a0", " ").replace("\u2212", "-").replace("lei", "").replace(" ", "").strip()
    if not clean or clean.count(",") > 1 or not clean.lstrip("-").replace(".", "").replace(",", "").isdigit():
        raise ValueError(f"not a Romanian number: {text!r}")
    whole, _, fraction = clean.partition(",")
    groups = whole.lstrip("-").split(".")
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])):
        raise ValueError(f"misplaced thousands separators: {text!r}")
    return Decimal(whole.replace(".", "") + ("." + fraction if fraction else ""))


def money(value: float | int | str) -> Decimal:
    """An API amount (JSON number or decimal string) rounded to bani, for comparing with what a page shows."""
    return Decimal(str(value)).quantize(CENT)


def ro_money_text(value: Decimal) -> str:
    """Decimal("1234.5") → "1.234,50", as the app writes amounts."""
    sign = "-" if value < 0 else ""
    whole, fraction = f"{abs(value):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{'.'.join(groups)},{fraction}"


def ro_date_to_iso(text: str) -> str:
    """"22.01.2026" → "2026-01-22"; an ISO date (a date input's value) stays as it is."""
    text = text.strip()
    if len(text) == 10 and text[2] == "." and text[5] == ".":
        return f"{text[6:]}-{text[3:5]}-{text[:2]}"
    return text


# -- the server -------------------------------------------------------------------------------------------------

def server_env(data_dir: Path, ledger: Path, port: int, *, ocr: bool = True) -> dict[str, str]:
    """The environment of an isolated `roa2web serve`: its own data dir, the built SPA, no bank, no Oracle."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ORACLE_", "QUEUE_", "DATA_"))}
    env.update(DATA_DIR=str(data_dir), LEDGER_PATH=str(ledger), PORT=str(port), HOST="127.0.0.1",
               ROA2WEB_ENV_FILE=str(data_dir.parent / "none.env"), SPA_DIR=str(SPA_DIST),
               OCR_ENABLED="true" if ocr else "false", BNR_RATES_ENABLED="false", LOG_FORMAT="json",
               LOGIN_RATE_LIMIT="1000")  # the tests log in often; the limit has its own tests
    return env


def add_user(env: dict[str, str], name: str, roles: Iterable[str], company: str) -> None:
    """`roa2web users add NAME --role … --company …` with PASSWORD, as an admin would."""
    role_args = [arg for role in roles for arg in ("--role", role)]
    done = subprocess.run([sys.executable, "-m", "roa2web", "users", "add", name, *role_args, "--company", company,
                           "--display-name", name.title(), "--password-stdin"], env=env, input=PASSWORD + "\n",
                          capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"roa2web users add {name} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL after 60 s: nothing is left running."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def wait_ocr_ready(base: str, timeout_s: float = 240) -> None:
    """Until /health says OCR is ok (its model loads in the background after start)."""
    deadline = time.monotonic() + timeout_s
    status = "unknown"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=5) as response:  # noqa: S310 - loopback
                body = json.load(response)
        except urllib.error.HTTPError as error:
            body = json.load(error)
        except OSError:
            body = {}
        status = body.get("modules", {}).get("ocr", {}).get("status", "unknown")
        if status == "ok":
            return
        time.sleep(0.5)
    raise AssertionError(f"OCR never became ready (last status {status!r})")


# -- the API, as a test reads it --------------------------------------------------------------------------------

class ApiClient:
    """JSON over HTTP to the test server as one user (logs in again when the token expires)."""

    def __init__(self, base: str, username: str, password: str = PASSWORD) -> None:
        self.base, self.username, self.password = base, username, password
        self.token = ""
        self._login()

    def _login(self) -> None:
        status, body = self._call("POST", "/api/auth/login", {"username": self.username, "password": self.password})
        assert status == 200, (status, body)
        self.token = body["access_token"]

    def _call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {self.token}"}
                                                          if self.token else {})}
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def call(self, method: str, path: str, body: Any = None, **query: Any) -> tuple[int, Any]:
        """(status, parsed body) of METHOD PATH?QUERY."""
        if query:
            path += "?" + urllib.parse.urlencode(query)
        status, answer = self._call(method, path, body)
        if status == 401:
            self._login()
            status, answer = self._call(method, path, body)
        return status, answer

    def get(self, path: str, **query: Any) -> Any:
        """GET PATH?QUERY, which must answer 200."""
        status, body = self.call("GET", path, **query)
        assert status == 200, (path, query, status, body)
        return body

    def post(self, path: str, body: Any = None) -> Any:
        """POST PATH with a JSON body, which must answer 2xx."""
        status, answer = self.call("POST", path, body)
        assert 200 <= status < 300, (path, status, answer)
        return answer


# -- the browser ------------------------------------------------------------------------------------------------

def log_in(page: Page, base: str, username: str, password: str = PASSWORD, path: str = "/login") -> None:
    """Open PATH (/login, or a page that sends you there), fill the form, submit, wait to leave /login."""
    page.goto(base + path)
    page.wait_for_url(lambda url: urllib.parse.urlparse(url).path == "/login", timeout=WAIT_MS)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: urllib.parse.urlparse(url).path != "/login", timeout=WAIT_MS)


def url_query(page: Page) -> dict[str, str]:
    """The current URL's query, one value per name."""
    return {name: values[0] for name, values in urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query).items()}


def testid_text(page: Page, testid: str) -> str:
    """The visible text of the element with `data-testid`, once it has some."""
    locator = page.get_by_test_id(testid)
    locator.wait_for(state="visible", timeout=WAIT_MS)
    page.wait_for_function("id => (document.querySelector(`[data-testid=\"${id}\"]`)?.textContent ?? '').trim()",
                           arg=testid, timeout=WAIT_MS)
    return locator.inner_text().strip()


def overflow(page: Page) -> list[str]:
    """What sticks out past the viewport's right edge (empty when the page fits its width): "tag.class (right px)"."""
    return list(page.evaluate("""() => {
      const width = document.documentElement.clientWidth;
      const out = [];
      for (const el of document.querySelectorAll('body *')) {
        const box = el.getBoundingClientRect();
        if (box.right > width + 1 && !el.closest('.table-wrap *')) {
          const parentOut = el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1;
          const testid = el.dataset.testid ? `[${el.dataset.testid}]` : '';
          if (!parentOut) out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}${testid}` +
                                   ` (${Math.round(box.right)} px)`);
        }
      }
      return document.documentElement.scrollWidth > width ? out.slice(0, 8) : [];
    }"""))


# -- the 2,000-row trial balance --------------------------------------------------------------------------------

AMOUNTS = ("opening_debit", "opening_credit", "previous_debit", "previous_credit", "current_debit", "current_credit",
           "total_debit", "total_credit", "closing_debit", "closing_credit")
ROWS = 2000
# the trial balance page's filters: the API's parameter names and their controls
TB_FILTERS = {"year": "#tb-year", "month_from": "#tb-month-from", "month_to": "#tb-month-to", "level": "#tb-level",
              "account_prefix": "#tb-prefix", "hide_zero": "#tb-hide-zero"}
DASHBOARD_FILTERS = {"year": "#dash-year", "month": "#dash-month"}


def page_filters(page: Page, controls: dict[str, str]) -> dict[str, str]:
    """The API query of what the page shows: company from the URL, each filter from its control (the URL holds
    a filter once chosen, under the API's name, and must agree with the control; a default is only in the
    control). Empty filters are left out."""
    query = url_query(page)
    values = {"company_id": query["company"]}
    for name, selector in controls.items():
        control = page.locator(selector)
        control.wait_for()
        if control.get_attribute("type") == "checkbox":
            shown = "true" if control.is_checked() else "false"
        else:
            shown = str(control.input_value()).strip()
        if name in query:
            assert query[name] == shown, f"?{name}={query[name]} but the page shows {shown!r}"
        if shown:
            values[name] = shown
    return values


def trial_balance_query(page: Page) -> dict[str, str]:
    """The API query of the trial balance the page shows."""
    return page_filters(page, TB_FILTERS)

LARGEST_TBODY = "() => Math.max(0, ...Array.from(document.querySelectorAll('table tbody'), (body) => body.rows.length))"
# Before any script of the page: note when the trial balance's answer reaches the page (its fetch resolves) and
# when the 2,000th body row is in the table, on the page's own clock.
RENDER_PROBE = """
(() => {
  const want = __ROWS__;
  const marks = { answered: null, rendered: null };
  window.__tbRender = marks;
  const realFetch = window.fetch.bind(window);
  window.fetch = async (...args) => {
    const response = await realFetch(...args);
    const url = String(args[0] instanceof Request ? args[0].url : args[0]);
    if (url.includes('/api/reports/trial-balance') && marks.answered === null) marks.answered = performance.now();
    return response;
  };
  const count = () => Math.max(0, ...Array.from(document.querySelectorAll('table tbody'), (body) => body.rows.length));
  new MutationObserver(() => {
    if (marks.answered !== null && marks.rendered === null && count() >= want) marks.rendered = performance.now();
  }).observe(document, { childList: true, subtree: true });
})();
""".replace("__ROWS__", str(ROWS))


@dataclass(frozen=True)
class BigTrialBalance:
    """The answer the browser gets instead of the API's: 2,000 rows shaped like a real one, and their totals."""

    body: dict[str, Any]

    @property
    def totals(self) -> dict[str, Decimal]:
        """The ten totals as the page should show them."""
        return {column: money(self.body["totals"][column]) for column in AMOUNTS}


def big_trial_balance(real: dict[str, Any], rows: int = ROWS) -> BigTrialBalance:
    """`rows` analytic rows built on the shape of a real trial-balance answer, totals summed from them."""
    template = real["rows"][0]
    generated = []
    for index in range(rows):
        debit = Decimal(index * 37 % 100_000) + Decimal(index % 100) / 100
        credit = Decimal(index * 53 % 90_000) + Decimal(index * 7 % 100) / 100
        values = {"opening": (debit, Decimal(0)), "previous": (debit / 2, credit / 2), "current": (credit, debit)}
        row = dict(template)
        synthetic = str(401 + index // 100)
        row.update(account=f"{synthetic}.{index % 100 + 1:05d}", synthetic=synthetic, name=f"Cont de test {index + 1}")
        for pair, (d, c) in values.items():
            row[f"{pair}_debit"], row[f"{pair}_credit"] = float(d.quantize(CENT)), float(c.quantize(CENT))
        total_d = sum(money(row[f"{pair}_debit"]) for pair in values)
        total_c = sum(money(row[f"{pair}_credit"]) for pair in values)
        row["total_debit"], row["total_credit"] = float(total_d), float(total_c)
        net = total_d - total_c
        row["closing_debit"], row["closing_credit"] = float(max(net, Decimal(0))), float(max(-net, Decimal(0)))
        generated.append({key: row[key] for key in template})
    totals = {column: float(sum((money(row[column]) for row in generated), Decimal(0))) for column in AMOUNTS}
    return BigTrialBalance({**real, "rows": generated, "totals": {**real["totals"], **totals}})


def serve_big_trial_balance(page: Page, big: BigTrialBalance) -> list[str]:
    """Answer every trial-balance request of `page` with `big`; the list fills with the URLs answered."""
    answered: list[str] = []

    def handle(route: Route) -> None:
        answered.append(route.request.url)
        route.fulfill(status=200, content_type="application/json", body=json.dumps(big.body),
                      headers={"Cache-Control": "no-store"})

    page.route("**/api/reports/trial-balance?**", handle)
    return answered


def measure_render(page: Page, base: str, company_id: int, year: int) -> float:
    """Open the trial balance (its answer replaced by 2,000 rows) and return ms from answer to 2,000th row.

    The page must already be logged in and have `RENDER_PROBE` as an init script.
    """
    page.goto(f"{base}/reports/trial-balance?company={company_id}&year={year}")
    page.wait_for_function("() => window.__tbRender && window.__tbRender.rendered !== null", timeout=WAIT_MS)
    marks = page.evaluate("() => window.__tbRender")
    return float(marks["rendered"] - marks["answered"])
