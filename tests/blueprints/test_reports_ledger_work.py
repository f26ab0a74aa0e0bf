"""How much ledger work the report routes do: one computation for 100 concurrent misses; STALE or 503 when
the ledger is gone."""

from __future__ import annotations

import asyncio
import shutil
import time

import pytest
from reports_api_helpers import CLOSED_TB, sign_in, url

from roa2web.app import create_app
from roa2web.ledger.embedded import EmbeddedLedger
from roa2web.reports import trial_balance


@pytest.fixture
def settings(settings_factory):
    return settings_factory(ocr_enabled=False)


async def statements_of_one_trial_balance(path, params) -> int:
    """Ledger statements one trial balance costs, counted on a ledger of our own."""
    ledger = EmbeddedLedger(path)
    try:
        await trial_balance(ledger, **params)
        return ledger.queries
    finally:
        await ledger.close()


async def test_hundred_concurrent_misses_run_the_report_once(app, client, user_headers, demo_ledger_path):
    headers = await user_headers("ana", roles={"viewer"}, company_ids={1})
    ledger = app.extensions["roa2web"].ledger
    cache = app.extensions["roa2web"].report_cache
    warm = await client.get(url("trial-balance", **{**CLOSED_TB, "month_to": 3}), headers=headers)
    assert warm.status_code == 200  # the company's calendar is now known: only report statements remain

    expected = await statements_of_one_trial_balance(demo_ledger_path, CLOSED_TB)
    queries, computes = ledger.queries, cache.stats()["computes"]
    responses = await asyncio.gather(*(client.get(url("trial-balance", **CLOSED_TB), headers=headers)
                                       for _ in range(100)))
    assert [r.status_code for r in responses] == [200] * 100
    assert ledger.queries - queries == expected + 1 >= 2  # and one: does the ledger have the company?
    assert cache.stats()["computes"] - computes == 1
    assert len({await r.get_data() for r in responses}) == 1
    assert {r.headers["X-Cache"] for r in responses} <= {"MISS", "HIT-L1"}


GARBAGE = b"ROA export interrupted half-way: these bytes are no SQLite database\n" * 128
BREAKS = {"gone": lambda path: path.unlink(), "corrupt": lambda path: path.write_bytes(GARBAGE)}


@pytest.mark.parametrize("failure", sorted(BREAKS))
async def test_failed_ledger_serves_stale_copy_or_a_clear_503(settings_factory, demo_ledger_path, tmp_path, failure):
    ledger_copy = tmp_path / "ledger-copy.sqlite"
    shutil.copy(demo_ledger_path, ledger_copy)
    settings = settings_factory(ledger_path=ledger_copy, ocr_enabled=False, reports_ttl_open_s=1,
                                reports_ttl_closed_s=1)
    first_app = create_app(settings)
    async with first_app.test_app():
        headers = await sign_in(first_app, "ana", roles={"viewer"}, company_ids={1})
        fresh = await first_app.test_client().get(url("trial-balance", **CLOSED_TB), headers=headers)
        assert fresh.headers["X-Cache"] == "MISS"
    BREAKS[failure](ledger_copy)
    time.sleep(1.1)  # the entry (lifetime 1 s) has expired

    second_app = create_app(settings)
    async with second_app.test_app():
        client = second_app.test_client()
        stale = await client.get(url("trial-balance", **CLOSED_TB), headers=headers)
        assert stale.status_code == 200 and stale.headers["X-Cache"] == "STALE"
        assert await stale.get_data() == await fresh.get_data()
        assert stale.headers["ETag"] == fresh.headers["ETag"] and int(stale.headers["X-Cache-Age"]) >= 1

        never_cached = await client.get(url("trial-balance", **{**CLOSED_TB, "month_to": 10}), headers=headers)
        assert never_cached.status_code == 503
        assert never_cached.content_type == "application/problem+json"
        assert 1 <= int(never_cached.headers["Retry-After"]) <= 10  # the rest of the breaker's cool-down
        problem = await never_cached.get_json()
        assert problem["type"].endswith("/ledger-unavailable")
        assert problem["title"] == "Contabilitatea (ROA) indisponibilă"
        assert "nu este disponibilă" in problem["detail"] and "nu există o copie salvată" in problem["detail"]
        assert "sqlite" not in problem["detail"].lower() and "database" not in problem["detail"].lower()
        assert problem["request_id"] == never_cached.headers["X-Request-ID"]

        health = await (await client.get("/health")).get_json()
        assert health["modules"]["ledger"]["status"] == "down"
