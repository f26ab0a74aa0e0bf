"""The demo flow without exchange rates: `roa2web init`, a receipt through the API, approval waits for the BNR rate.

`roa2web init` stores no rate and the bank does not answer (a loopback server's 500 stands in for
an install without internet): /health's `rates` entry shows the failed fetch and a stale table, a
receipt the 100 EUR limit decides says that its rate is missing and cannot be approved (409
exchange-rate-missing), never at a guessed rate; once `roa2web rates import` loads the bank's
yearly file, the same approval passes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from roa2web.app import create_app
from roa2web.jobs.housekeeping import run_housekeeping
from roa2web.settings import load_settings
from tests.conftest import add_user, admin_headers, login
from tests.support.cli_env import deployer_env
from tests.support.data_entry import receipt_payload
from tests.support.feed_server import feed_server
from tests.support.rates import YEAR_2025

RECEIPTS = "/api/data-entry/receipts"


def roa2web(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "roa2web", *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


async def test_the_demo_refuses_to_guess_the_rate_until_the_banks_file_is_imported(tmp_path: Path,
                                                                                    demo_ledger_path: Path):
    env = deployer_env(tmp_path, demo_ledger_path)
    initialised = roa2web(env, "init")
    assert initialised.returncode == 0, initialised.stderr
    with feed_server() as bank:
        settings = load_settings(data_dir=tmp_path / "data", ledger_path=demo_ledger_path, env="test",
                                 ocr_enabled=False, login_rate_limit=1000, bnr_rates_url=bank.url("/error"))
        await demo_flow(create_app(settings), env)


async def demo_flow(app, env: dict[str, str]) -> None:
    async with app.test_app():
        client = app.test_client()
        assert (await run_housekeeping(app.extensions["roa2web"]))["exchange_rates"] == 0  # the bank fails
        health = await (await client.get("/health", headers=await admin_headers(app))).get_json()
        rates = health["modules"]["rates"]
        assert rates["status"] == "down" and "HTTP 500" in rates["last_error"]
        assert rates["latest_day"] is None and rates["stale"] is True
        await add_user(app, "ana", roles={"operator"}, company_ids={2})
        await add_user(app, "bogdan", roles={"approver"}, company_ids={2})
        ana, bogdan = await login(client, "ana"), await login(client, "bogdan")
        created = await client.post(RECEIPTS, json=receipt_payload(), headers=ana)  # 374,10 RON on 15.12.2025
        assert created.status_code == 201, await created.get_data()
        receipt = await created.get_json()
        assert [w["kind"] for w in receipt["warnings"]] == ["exchange-rate-missing"]
        assert (await client.post(f"{RECEIPTS}/{receipt['id']}/submit", json={}, headers=ana)).status_code == 200

        refused = await client.post(f"{RECEIPTS}/{receipt['id']}/approve", json={}, headers=bogdan)
        assert refused.status_code == 409
        assert (await refused.get_json())["type"].endswith("/exchange-rate-missing")

        imported = roa2web(env, "rates", "import", str(YEAR_2025))
        assert imported.returncode == 0 and "loaded 248 days" in imported.stdout, imported.stderr
        approved = await client.post(f"{RECEIPTS}/{receipt['id']}/approve", json={}, headers=bogdan)
        assert approved.status_code == 200, await approved.get_data()
        entries = await (await client.get(f"{RECEIPTS}/{receipt['id']}/entries", headers=bogdan)).get_json()
        assert entries["vat_deducted"] is True  # 374,10 RON is under 100 EUR at the 12.12.2025 rate
