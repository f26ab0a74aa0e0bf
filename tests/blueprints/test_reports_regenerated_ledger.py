"""A regenerated ledger is never answered from the cache of the one it replaced, even after a restart."""

from __future__ import annotations

from pathlib import Path

from reports_api_helpers import CLOSED_TB, PASSWORD, sign_in, url

from roa2web.app import create_app
from roa2web.demo import generate_demo_ledger
from tests.conftest import login
from tests.support.demo_window import MONTHS, UNTIL


async def trial_balance(app, headers):
    response = await app.test_client().get(url("trial-balance", **CLOSED_TB), headers=headers)
    assert response.status_code == 200, await response.get_data()
    return response.headers["X-Cache"], await response.get_data()


async def fresh_figures(settings_factory, ledger: Path, data_dir: Path) -> bytes:
    """The trial balance of `ledger` computed by an app that never cached anything."""
    app = create_app(settings_factory(data_dir=data_dir, ledger_path=ledger))
    async with app.test_app():
        outcome, body = await trial_balance(app, await sign_in(app, "control", roles={"viewer"}))
    assert outcome == "MISS"
    return body


async def test_a_restart_on_a_regenerated_ledger_serves_the_new_figures(settings_factory, tmp_path: Path):
    data_dir = tmp_path / "data"
    ledger = data_dir / "ledger-demo.sqlite"
    generate_demo_ledger(ledger, seed=11, until=UNTIL, months=MONTHS)
    settings = settings_factory(data_dir=data_dir, ledger_path=ledger)

    first = create_app(settings)
    async with first.test_app():
        headers = await sign_in(first, "ana", roles={"viewer"}, company_ids={1})
        assert (await trial_balance(first, headers))[0] == "MISS"
        outcome, old_body = await trial_balance(first, headers)
        assert outcome == "HIT-L1"  # cached, for a day: its last month is closed

    # Replaced by other means than `roa2web demo` (which also empties the cache file): a copy, a restore.
    generate_demo_ledger(ledger, seed=12, until=UNTIL, months=MONTHS)
    expected = await fresh_figures(settings_factory, ledger, tmp_path / "control")
    assert expected != old_body

    restarted = create_app(settings)  # the same DATA_DIR, so the same cache file
    async with restarted.test_app():
        headers = await login(restarted.test_client(), "ana", PASSWORD)
        outcome, body = await trial_balance(restarted, headers)
        assert (outcome, body) == ("MISS", expected)
        assert await trial_balance(restarted, headers) == ("HIT-L1", expected)


async def test_the_same_ledger_after_a_restart_is_still_served_from_the_cache(settings_factory, tmp_path: Path):
    data_dir = tmp_path / "data"
    ledger = data_dir / "ledger-demo.sqlite"
    generate_demo_ledger(ledger, seed=11, until=UNTIL, months=MONTHS)
    settings = settings_factory(data_dir=data_dir, ledger_path=ledger)
    first = create_app(settings)
    async with first.test_app():
        headers = await sign_in(first, "ana", roles={"viewer"}, company_ids={1})
        _, body = await trial_balance(first, headers)
    generate_demo_ledger(ledger, seed=11, until=UNTIL, months=MONTHS)  # the same content: the same generation
    restarted = create_app(settings)
    async with restarted.test_app():
        assert await trial_balance(restarted, headers) == ("HIT-L2", body)
