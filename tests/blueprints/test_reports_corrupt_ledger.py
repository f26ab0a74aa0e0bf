"""A corrupt ledger file (not a missing one): reports serve an expired copy as STALE, else a 503 problem."""

from __future__ import annotations

import shutil
import time

from reports_api_helpers import CLOSED_TB, sign_in, url

from roa2web.app import create_app

GARBAGE = b"ROA export interrupted half-way: these bytes are no SQLite database\n" * 128


async def test_corrupt_ledger_serves_stale_or_a_503_problem(settings_factory, demo_ledger_path, tmp_path):
    ledger_copy = tmp_path / "ledger-copy.sqlite"
    shutil.copy(demo_ledger_path, ledger_copy)
    settings = settings_factory(ledger_path=ledger_copy, reports_ttl_open_s=1, reports_ttl_closed_s=1)
    first_app = create_app(settings)
    async with first_app.test_app():
        headers = await sign_in(first_app, "ana", roles={"viewer"}, company_ids={1})
        fresh = await first_app.test_client().get(url("trial-balance", **CLOSED_TB), headers=headers)
        assert fresh.status_code == 200 and fresh.headers["X-Cache"] == "MISS"
    ledger_copy.write_bytes(GARBAGE)
    time.sleep(1.1)  # the entry (lifetime 1 s) has expired

    second_app = create_app(settings)
    async with second_app.test_app():
        client = second_app.test_client()
        stale = await client.get(url("trial-balance", **CLOSED_TB), headers=headers)
        assert stale.status_code == 200 and stale.headers["X-Cache"] == "STALE"
        assert await stale.get_data() == await fresh.get_data()

        never_cached = await client.get(url("trial-balance", **{**CLOSED_TB, "month_to": 9}), headers=headers)
        assert never_cached.status_code == 503
        assert never_cached.content_type == "application/problem+json"
        assert never_cached.headers["Retry-After"] == "10"
        problem = await never_cached.get_json()
        assert problem["status"] == 503 and problem["request_id"] == never_cached.headers["X-Request-ID"]
        assert "sqlite" not in problem["detail"].lower() and "database" not in problem["detail"].lower()

        health = await (await client.get("/health")).get_json()
        assert health["modules"]["ledger"]["status"] == "down"
