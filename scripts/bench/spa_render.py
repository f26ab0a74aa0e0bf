"""Benchmark: a 2,000-row trial balance rendered by the web app in headless Chromium (target < 300 ms).

A real install (`roa2web init`, bench users, `roa2web serve` with SPA_DIR = the built frontend/dist), Debian's
Chromium driven by Playwright. The trial-balance answer is replaced in the browser (page.route) by 2,000 rows
shaped like a real one; the figure is the time on the page's clock from that answer reaching the page to the
2,000th row in the table (tests/web/spa/spa_kit.py, shared with the browser test that checks the rows and
totals). Several runs, each a fresh page load; median and max printed.

    python scripts/bench/spa_render.py [--runs 5] [--json FILE]

Needs the built SPA (scripts/build_spa.sh) and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root: tests.web.spa.spa_kit

from live_server import PASSWORD, install, serve

from tests.web.spa import spa_kit

TARGET_MS = 300.0
COMPANY = 1


def real_trial_balance(api: spa_kit.ApiClient) -> tuple[int, dict]:
    """A year of the install's demo ledger with rows, and its trial balance (the shape the big one copies)."""
    today = dt.date.today()
    for year in (today.year, today.year - 1):
        body = api.get("/api/reports/trial-balance", company_id=COMPANY, year=year, month_from=1, month_to=12,
                       level="analytic")
        if body["rows"]:
            return year, dict(body)
    raise SystemExit("the demo ledger has no trial balance rows this year or last")


def main() -> None:
    """Run the measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="page loads measured (default 5)")
    parser.add_argument("--json", type=Path, help="write the figures there too")
    args = parser.parse_args()
    missing = [str(path) for path in (spa_kit.CHROMIUM, spa_kit.SPA_DIST / "index.html") if not path.exists()]
    if missing:
        raise SystemExit(f"missing: {', '.join(missing)} (apt-get install chromium; scripts/build_spa.sh)")

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="roa2web-spa-render-") as tmp:
        inst = install(Path(tmp), SPA_DIR=str(spa_kit.SPA_DIST), OCR_ENABLED="false", BNR_RATES_ENABLED="false")
        server = serve(inst)
        try:
            year, real = real_trial_balance(spa_kit.ApiClient(server.base, "operator", PASSWORD))
            big = spa_kit.big_trial_balance(real)
            timings: list[float] = []
            with sync_playwright() as playwright:
                browser = spa_kit.launch_chromium(playwright)
                try:
                    context = browser.new_context(viewport=spa_kit.DESKTOP)  # type: ignore[arg-type]
                    context.set_default_timeout(spa_kit.WAIT_MS)
                    page = context.new_page()
                    page.add_init_script(spa_kit.RENDER_PROBE)
                    spa_kit.log_in(page, server.base, "operator", PASSWORD,
                                   path=f"/reports/dashboard?company={COMPANY}")
                    spa_kit.serve_big_trial_balance(page, big)
                    for run in range(args.runs):
                        timings.append(spa_kit.measure_render(page, server.base, COMPANY, year))
                        rows = page.evaluate(spa_kit.LARGEST_TBODY)
                        if rows != spa_kit.ROWS:
                            raise SystemExit(f"run {run + 1}: {rows} rows in the table, not {spa_kit.ROWS}")
                finally:
                    browser.close()
        finally:
            server.stop()
    figures = {"rows": spa_kit.ROWS, "runs_ms": [round(t, 1) for t in timings],
               "median_ms": round(statistics.median(timings), 1), "max_ms": round(max(timings), 1),
               "target_ms": TARGET_MS}
    print(f"2,000-row trial balance, answer to 2,000th row: median {figures['median_ms']} ms, "
          f"max {figures['max_ms']} ms over {len(timings)} runs (target < {TARGET_MS:.0f} ms)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
