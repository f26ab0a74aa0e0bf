"""A 2,000-row trial balance in the browser: every row and the totals render; the time from the API's answer to
the 2,000th row in the table is printed (speed itself lives in scripts/bench/spa_render.py, never asserted)."""

from __future__ import annotations

import pytest

from tests.web.spa import spa_kit

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_2000_row_trial_balance_renders_whole(spa_server, pages):
    real = spa_server.api(spa_server.operator).get("/api/reports/trial-balance", company_id=spa_kit.COMPANY,
                                                   year=spa_kit.YEAR, month_from=1, month_to=12, level="analytic")
    big = spa_kit.big_trial_balance(real)
    page = pages.new()
    page.add_init_script(spa_kit.RENDER_PROBE)
    spa_kit.log_in(page, spa_server.base, spa_server.operator, path=f"/reports/dashboard?company={spa_kit.COMPANY}")
    answered = spa_kit.serve_big_trial_balance(page, big)
    elapsed_ms = spa_kit.measure_render(page, spa_server.base, spa_kit.COMPANY, spa_kit.YEAR)
    assert answered, "the page never asked for the trial balance"
    assert page.evaluate(spa_kit.LARGEST_TBODY) == spa_kit.ROWS
    table = page.get_by_test_id("trial-balance")
    assert table.locator("tbody tr").count() == spa_kit.ROWS
    assert table.locator("tbody tr").nth(spa_kit.ROWS - 1).locator("td").first.inner_text() == big.body["rows"][-1][
        "account"]
    own_ms = table.get_attribute("data-render-ms")  # the table's own figure: rows changed → DOM patched
    shown = {column: spa_kit.ro_number(spa_kit.testid_text(page, f"tb-total-{column}")) for column in spa_kit.AMOUNTS}
    assert shown == big.totals
    line = (f"2,000-row trial balance: {elapsed_ms:.0f} ms from the API's answer to the 2,000th row in the table "
            f"(the table's own data-render-ms: {own_ms} ms)")
    spa_kit.SUMMARY.append(line)
    print(line)
