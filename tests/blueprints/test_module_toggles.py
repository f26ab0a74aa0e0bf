"""MODULE_*_ENABLED=false: the module's routes are gone (404 problem), and so are its /health entries."""

from __future__ import annotations

import pytest

MODULES = {
    "module_reports_enabled": {
        "prefix": "/api/reports",
        "urls": ["/api/reports/dashboard?company_id=1&year=2025&month=1",
                 "/api/reports/trial-balance?company_id=1&year=2025&month_from=1&month_to=1",
                 "/api/reports/cache/stats", "/api/reports/exports/some-job"],
        "parts": {"cache"},
    },
    "module_data_entry_enabled": {
        "prefix": "/api/data-entry",
        "urls": ["/api/data-entry/receipts?company_id=1", "/api/data-entry/nomenclature/partners?company_id=1",
                 "/api/data-entry/exports/some-job"],
        "parts": {"data_entry_db"},  # "ocr" too when OCR_ENABLED (off in these tests)
    },
}


@pytest.fixture(params=[(flag, enabled) for flag in MODULES for enabled in (True, False)],
                ids=lambda p: f"{p[0]}={p[1]}")
def toggle(request):
    return request.param


@pytest.fixture
def settings(settings_factory, toggle):
    flag, enabled = toggle
    return settings_factory(**{flag: enabled})


async def test_a_module_switched_off_has_no_routes_and_no_health_entries(app, client, user_headers, toggle):
    flag, enabled = toggle
    module = MODULES[flag]
    admin = await user_headers("boss", roles={"admin"})
    for url in module["urls"]:
        response = await client.get(url, headers=admin)
        if enabled:
            assert response.status_code != 404 or url.endswith("some-job"), url  # an unknown job is a 404 too
        else:
            assert response.status_code == 404, url
            assert response.content_type == "application/problem+json"
    health = await (await client.get("/health")).get_json()
    assert (module["parts"] <= set(health["modules"])) is enabled, health["modules"].keys()
    if not enabled:
        assert not module["parts"] & set(health["modules"])
        assert health["status"] == "ok"
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert any(rule.startswith(module["prefix"]) for rule in rules) is enabled
    spec = await (await client.get("/openapi.json")).get_json()
    assert any(path.startswith(module["prefix"]) for path in spec["paths"]) is enabled
    other = next(name for name in MODULES if name != flag)
    assert any(rule.startswith(MODULES[other]["prefix"]) for rule in rules)  # the other module stays
