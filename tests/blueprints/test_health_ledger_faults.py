"""A ledger file locked, truncated or replaced by garbage while the server runs, then restored.

/health says so (the ledger "down", its breaker and last error for an admin), reports answer at
once without running a statement (an expired copy as STALE, else a 503 problem with
Retry-After), and once the file is back the reports are computed afresh: no restart. A ledger
replaced by another generation is served under its new identity, not from the old one's copies.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from reports_api_helpers import CLOSED_TB, YEAR, sign_in, url

from roa2web.app import create_app
from roa2web.demo import generate_demo_ledger
from tests.conftest import admin_headers, copy_ledger
from tests.support.demo_window import MONTHS, UNTIL
from tests.support.ledger_faults import FAULT_ERRORS, FAULTS, LedgerFault, until

DASHBOARD = {"company_id": 1, "year": YEAR, "month": 11}
TB_PARAMS = CLOSED_TB | {"account_prefix": None, "hide_zero": False}


@pytest.fixture
def fast_settings(settings_factory, tmp_path: Path, demo_ledger_path: Path):
    """Its own copy of the ledger; short lifetimes, a short health timeout and cool-down."""
    return settings_factory(
        ledger_path=copy_ledger(demo_ledger_path, tmp_path / "ledger"),
        ledger_timeout_s=30,  # a statement that reached a locked file would wait this long: none may
        ledger_health_timeout_s=0.2,
        ledger_breaker_cool_down_s=0.3,
        reports_ttl_closed_s=1,
        reports_ttl_open_s=1,
        cache_l1_ttl_s=1,
    )


async def get(app, path: str, params: dict[str, Any], headers: dict[str, str]):
    return await app.test_client().get(url(path, **params), headers=headers)


async def ledger_health(app, headers: dict[str, str]) -> dict[str, Any]:
    response = await app.test_client().get("/health", headers=headers)
    return (await response.get_json())["modules"]["ledger"]


@pytest.mark.parametrize("kind", FAULTS)
async def test_a_ledger_fault_is_seen_served_fast_and_forgotten_once_the_file_is_back(fast_settings, kind: str):
    app = create_app(fast_settings)
    async with app.test_app():
        runtime = app.extensions["roa2web"]
        ledger, cache = runtime.ledger, runtime.report_cache
        admin, ana = await admin_headers(app), await sign_in(app, "ana", roles={"viewer"}, company_ids={1})
        first = await get(app, "trial-balance", CLOSED_TB, ana)
        assert first.headers["X-Cache"] == "MISS"
        assert (await ledger_health(app, admin))["status"] == "ok"

        async def expired() -> bool:
            return cache.get("trial_balance", 1, TB_PARAMS) is None

        await until(expired, "the trial balance's copy expires")
        fault = LedgerFault(kind, ledger.path)
        fault.apply()
        try:
            async def seen_down() -> dict[str, Any] | None:
                part = await ledger_health(app, admin)
                down = part["status"] == "down" and part.get("breaker", {}).get("state", "closed") != "closed"
                return part if down else None

            part = await until(seen_down, f"/health says the {kind} ledger is down")
            assert FAULT_ERRORS[kind] in part["error"]
            public = await (await app.test_client().get("/health")).get_json()
            assert public["modules"]["ledger"] == {"status": "down"}

            queries = ledger.queries
            stale = await get(app, "trial-balance", CLOSED_TB, ana)
            assert (stale.status_code, stale.headers["X-Cache"]) == (200, "STALE")
            assert await stale.get_data() == await first.get_data()

            missing = await get(app, "dashboard", DASHBOARD, ana)
            assert missing.status_code == 503
            assert missing.content_type == "application/problem+json"
            assert int(missing.headers["Retry-After"]) >= 1
            problem = await missing.get_json()
            assert "Contabilitatea" in problem["title"] and "încercați din nou" in problem["detail"]
            assert ledger.path.name not in problem["detail"]
            assert ledger.queries == queries  # neither report ran a statement: nothing waited on the file
        finally:
            fault.restore()

        async def closed() -> bool:
            return (await ledger_health(app, admin)).get("breaker", {}).get("state") == "closed"

        await until(closed, "the breaker closes once the file is restored")
        assert (await ledger_health(app, admin))["status"] == "ok"
        fresh = await get(app, "trial-balance", CLOSED_TB, ana)
        assert (fresh.status_code, fresh.headers["X-Cache"]) == (200, "MISS")
        assert await fresh.get_data() == await first.get_data()
        dashboard = await get(app, "dashboard", DASHBOARD, ana)
        assert (dashboard.status_code, dashboard.headers["X-Cache"]) == (200, "MISS")


async def test_a_ledger_replaced_while_serving_is_read_under_its_new_identity(settings_factory, tmp_path: Path):
    ledger_path = tmp_path / "ledger" / "ledger-demo.sqlite"
    generate_demo_ledger(ledger_path, seed=11, until=UNTIL, months=MONTHS)
    app = create_app(settings_factory(ledger_path=ledger_path))
    async with app.test_app():
        ana = await sign_in(app, "ana", roles={"viewer"}, company_ids={1})
        old = await get(app, "trial-balance", CLOSED_TB, ana)
        assert old.headers["X-Cache"] == "MISS"
        assert (await get(app, "trial-balance", CLOSED_TB, ana)).headers["X-Cache"] == "HIT-L1"

        replacement = tmp_path / "other" / "ledger-demo.sqlite"
        generate_demo_ledger(replacement, seed=12, until=UNTIL, months=MONTHS)
        os.replace(replacement, ledger_path)  # as `roa2web demo` writes it: a new file renamed over the old
        assert (await ledger_health(app, await admin_headers(app)))["status"] == "ok"  # its probe reads the identity

        new = await get(app, "trial-balance", CLOSED_TB, ana)
        assert new.headers["X-Cache"] == "MISS"
        assert await new.get_data() != await old.get_data()
        control = create_app(settings_factory(ledger_path=ledger_path, data_dir=tmp_path / "control"))
        async with control.test_app():
            expected = await get(control, "trial-balance", CLOSED_TB,
                                 await sign_in(control, "control", roles={"viewer"}))
        assert await new.get_data() == await expected.get_data()
