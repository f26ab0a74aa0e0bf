"""The report cache seen over HTTP: headers, tiers across a restart, ETags, invalidation, stats, health, CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import get_args

import pytest
from reports_api_helpers import CLOSED_TB, YEAR, sign_in, url

from roa2web.app import create_app
from roa2web.blueprints.reports.schemas import ReportName
from roa2web.reports.registry import cached_report_names

OPEN_TB = {**CLOSED_TB, "month_to": 12}


@pytest.fixture
def settings(settings_factory):
    return settings_factory(ocr_enabled=False)


async def get_tb(client, headers, extra_headers=None, **params):
    return await client.get(url("trial-balance", **(params or CLOSED_TB)), headers=headers | (extra_headers or {}))


async def test_miss_then_l1_hit_with_the_same_bytes_and_etag(client, user_headers):
    headers = await user_headers("ana", roles={"viewer"}, company_ids={1})
    first, second = await get_tb(client, headers), await get_tb(client, headers)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.headers["X-Cache"], second.headers["X-Cache"]) == ("MISS", "HIT-L1")
    assert await first.get_data() == await second.get_data()
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.headers["ETag"].startswith('"') and len(first.headers["ETag"]) == 66
    assert int(second.headers["X-Cache-Age"]) >= 0
    assert second.headers["Cache-Control"] == "private"
    assert second.headers["Content-Type"] == "application/json"


async def test_restart_serves_from_l2_then_l1(settings):
    first_app = create_app(settings)
    async with first_app.test_app():
        headers = await sign_in(first_app, "ana", roles={"viewer"}, company_ids={1})
        miss = await get_tb(first_app.test_client(), headers)
        assert miss.headers["X-Cache"] == "MISS"
    second_app = create_app(settings)  # same DATA_DIR: a restarted process
    async with second_app.test_app():
        ledger = second_app.extensions["roa2web"].ledger
        client = second_app.test_client()
        l2, l1 = await get_tb(client, headers), await get_tb(client, headers)
        assert (l2.headers["X-Cache"], l1.headers["X-Cache"]) == ("HIT-L2", "HIT-L1")
        assert await l2.get_data() == await miss.get_data()
        assert l2.headers["ETag"] == miss.headers["ETag"]
        assert ledger.queries == 1  # the calendar (period state); the report itself was not recomputed


async def test_if_none_match_gives_304_without_body(client, user_headers):
    headers = await user_headers("ana", roles={"viewer"}, company_ids={1})
    etag = (await get_tb(client, headers)).headers["ETag"]
    for value in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = await get_tb(client, headers, {"If-None-Match": value})
        assert response.status_code == 304, value
        assert await response.get_data() == b""
        assert response.headers["ETag"] == etag and response.headers["X-Cache"] == "HIT-L1"
    changed = await get_tb(client, headers, {"If-None-Match": '"not-this-one"'})
    assert changed.status_code == 200 and await changed.get_data()


async def test_lifetime_follows_the_period_state(app, client, user_headers, settings):
    headers = await user_headers("ana", roles={"viewer"}, company_ids={1})
    cache = app.extensions["roa2web"].report_cache
    for params, ttl in ((CLOSED_TB, settings.reports_ttl_closed_s), (OPEN_TB, settings.reports_ttl_open_s)):
        assert (await get_tb(client, headers, **params)).status_code == 200
        entry = cache.get("trial_balance", 1, params | {"account_prefix": None, "hide_zero": False})
        assert entry is not None and round(entry.expires - entry.created) == ttl, params
    dashboard = {"company_id": 1, "year": YEAR, "month": 11}
    assert (await client.get(url("dashboard", **dashboard), headers=headers)).status_code == 200
    entry = cache.get("dashboard", 1, dashboard)
    assert entry is not None and round(entry.expires - entry.created) == settings.reports_ttl_closed_s


async def test_invalidation_by_company_and_report(client, user_headers):
    assert set(get_args(ReportName)) == set(cached_report_names())  # the names the endpoint accepts
    viewer = await user_headers("ana", roles={"viewer"}, company_ids={1})
    admin = await user_headers("boss", roles={"admin"})
    await get_tb(client, viewer)
    await client.get(url("dashboard", company_id=1, year=YEAR, month=11), headers=viewer)
    assert (await get_tb(client, viewer)).headers["X-Cache"] == "HIT-L1"

    response = await client.post("/api/reports/cache/invalidate", json={"company_id": 1, "report": "trial_balance"},
                                 headers=viewer)
    assert response.status_code == 200
    assert await response.get_json() == {"removed": 1, "company_id": 1, "report": "trial_balance"}
    assert (await get_tb(client, viewer)).headers["X-Cache"] == "MISS"
    dashboard = await client.get(url("dashboard", company_id=1, year=YEAR, month=11), headers=viewer)
    assert dashboard.headers["X-Cache"] == "HIT-L1"  # another report of the company stays

    for body in ({"company_id": 2}, {"report": "trial_balance"}, {}):
        assert (await client.post("/api/reports/cache/invalidate", json=body, headers=viewer)).status_code == 403
    bad = await client.post("/api/reports/cache/invalidate", json={"report": "balance_sheet"}, headers=admin)
    assert bad.status_code == 400 and bad.content_type == "application/problem+json"
    everywhere = await client.post("/api/reports/cache/invalidate", json={"report": "dashboard"}, headers=admin)
    assert (await everywhere.get_json())["removed"] == 1


async def test_clearing_the_cache_is_for_admins(client, user_headers):
    viewer = await user_headers("ana", roles={"viewer", "approver"}, company_ids={1})
    admin = await user_headers("boss", roles={"admin"})
    await get_tb(client, viewer)
    await get_tb(client, viewer, **OPEN_TB)
    refused = await client.delete("/api/reports/cache", headers=viewer)
    assert refused.status_code == 403 and refused.content_type == "application/problem+json"
    assert (await get_tb(client, viewer)).headers["X-Cache"] == "HIT-L1"
    cleared = await client.delete("/api/reports/cache", headers=admin)
    assert cleared.status_code == 200 and (await cleared.get_json())["removed"] == 2
    assert (await get_tb(client, viewer)).headers["X-Cache"] == "MISS"
    assert (await client.delete("/api/reports/cache")).status_code == 401


async def test_stats_health_and_cli_after_requests(app, client, user_headers, settings):
    viewer = await user_headers("ana", roles={"viewer"}, company_ids={1})
    admin = await user_headers("boss", roles={"admin"})
    for _ in range(3):
        await get_tb(client, viewer)
    await client.get(url("treasury", company_id=1, date_from="2025-01-01", date_to="2025-03-31"), headers=viewer)

    assert (await client.get("/api/reports/cache/stats", headers=viewer)).status_code == 403
    stats = await (await client.get("/api/reports/cache/stats", headers=admin)).get_json()
    assert (stats["l1"]["hits"], stats["l1"]["misses"], stats["computes"]) == (2, 2, 2)
    assert stats["l1"]["entries"] == stats["l2"]["entries"] == 2
    assert stats["reports"]["trial_balance"] == {"hits": 2, "misses": 1, "stale": 0}
    assert stats["l2"]["bytes"] > 10_000

    health = await (await client.get("/health", headers=admin)).get_json()
    cache = health["modules"]["cache"]
    assert cache["status"] == "ok"
    assert cache["entries"]["l2"] == 2 and cache["bytes"]["l2"] == stats["l2"]["bytes"]
    assert cache["hit_ratio"]["overall"] == 0.5

    env = os.environ | {"DATA_DIR": str(settings.data_dir), "ROA2WEB_ENV_FILE": str(settings.data_dir / "none.env")}
    result = subprocess.run([sys.executable, "-m", "roa2web", "cache", "stats", "--json"], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["entries"] == 2 and summary["companies"] == {"1": 2}
    assert set(summary["reports"]) == {"trial_balance", "treasury"}
