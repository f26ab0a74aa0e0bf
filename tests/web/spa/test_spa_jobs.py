"""/jobs lists the user's trial-balance XLSX export as a `job-<id>` row in the Romanian state "Gata", by its title
(which report, which period, which format) and at 100 %."""

from __future__ import annotations

import pytest

from tests.web.spa import spa_kit

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_export_job_is_listed_as_done(spa_server, pages, shoot, xlsx_export):
    job = spa_server.api(spa_server.operator).get(f"/api/tasks/{xlsx_export.job_id}")
    assert job["state"] == "done"
    page = pages.new()
    spa_kit.log_in(page, spa_server.base, spa_server.operator, path=f"/jobs?company={spa_kit.COMPANY}")
    row = page.get_by_test_id(f"job-{xlsx_export.job_id}")
    row.wait_for()
    assert "Gata" in row.inner_text()
    assert row.get_by_test_id("job-state").inner_text().strip() == "Gata"
    assert job["title"] == f"Balanța de verificare, ianuarie {spa_kit.YEAR} – decembrie {spa_kit.YEAR} (XLSX)"
    assert row.get_by_test_id("job-title").inner_text().strip() == job["title"]
    assert row.get_by_test_id("job-progress").inner_text().strip() == "100\u00a0%"
    shoot(page, "jobs")
    # another user's page does not list it
    other = pages.new()
    spa_kit.log_in(other, spa_server.base, spa_server.approver, path=f"/jobs?company={spa_kit.COMPANY}")
    other.get_by_role("heading", level=1).wait_for()
    other.wait_for_load_state("networkidle")
    assert other.get_by_test_id(f"job-{xlsx_export.job_id}").count() == 0
