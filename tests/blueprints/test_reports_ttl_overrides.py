"""REPORTS_TTL_OVERRIDES: a report's cache entries live as long as its override for the period state says;
the reports module refuses, when it builds its service, an override naming no cached report."""

from __future__ import annotations

import pytest
from reports_api_helpers import CLOSED_TB, YEAR, url

from roa2web.app import create_app
from roa2web.reports.registry import cached_report_names
from roa2web.settings import SettingsError

OPEN_TB = {**CLOSED_TB, "month_to": 12}  # December 2025 is the demo ledger's open month


@pytest.fixture
def settings(settings_factory):
    return settings_factory(reports_ttl_overrides="trial_balance:closed=7200,dashboard=90")


def lifetime(cache, report, params) -> int:
    entry = cache.get(report, 1, params)
    assert entry is not None, (report, params)
    return round(entry.expires - entry.created)


async def test_overrides_set_the_entry_expiry(app, client, user_headers, settings):
    headers = await user_headers("ana", roles={"viewer"}, company_ids={1})
    cache = app.extensions["roa2web"].report_cache
    tb_key = {"account_prefix": None, "hide_zero": False}
    for params in (CLOSED_TB, OPEN_TB):
        assert (await client.get(url("trial-balance", **params), headers=headers)).status_code == 200
    assert lifetime(cache, "trial_balance", CLOSED_TB | tb_key) == 7200
    assert lifetime(cache, "trial_balance", OPEN_TB | tb_key) == settings.reports_ttl_open_s == 300  # no override

    for month in (11, 12):  # closed and open: the override without a state covers both
        dashboard = {"company_id": 1, "year": YEAR, "month": month}
        assert (await client.get(url("dashboard", **dashboard), headers=headers)).status_code == 200
        assert lifetime(cache, "dashboard", dashboard) == 90

    treasury = {"company_id": 1, "date_from": "2025-01-01", "date_to": "2025-03-31"}
    assert (await client.get(url("treasury", **treasury), headers=headers)).status_code == 200
    assert lifetime(cache, "treasury", treasury) == settings.reports_ttl_closed_s


def test_every_cached_report_can_be_overridden(settings_factory):
    names = cached_report_names()
    overrides = ",".join(f"{name}={index + 1}" for index, name in enumerate(names))
    service = create_app(settings_factory(reports_ttl_overrides=overrides)).extensions["roa2web"].reports
    assert [service.ttl_s(name, closed=True) for name in names] == list(range(1, 6))
    assert [service.ttl_s(name, closed=False) for name in names] == list(range(1, 6))


@pytest.mark.parametrize(("value", "complaint"), [
    ("balance_sheet:closed=60", "unknown report 'balance_sheet' (known: dashboard, invoices, invoices_aging"),
    ("trial-balance=60", "unknown report 'trial-balance'"),
])
def test_an_override_naming_no_cached_report_fails_the_build(settings_factory, value, complaint):
    settings = settings_factory(reports_ttl_overrides=value)  # the settings check only the form
    with pytest.raises(SettingsError) as raised:
        create_app(settings)
    assert str(raised.value).startswith("REPORTS_TTL_OVERRIDES: ") and complaint in str(raised.value)
