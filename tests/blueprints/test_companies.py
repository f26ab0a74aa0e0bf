"""Companies and calendar: only what the user has rights on."""

from __future__ import annotations


async def test_companies_are_filtered_by_rights(user_headers, client):
    admin = await user_headers("boss", roles={"admin"})
    limited = await user_headers("ana", roles={"viewer"}, company_ids={2})
    every = await (await client.get("/api/companies", headers=admin)).get_json()
    assert [c["id"] for c in every] == [1, 2, 3]
    assert {c["cif"] for c in every} == {"RO28461357", "RO39172621", "44027180"}
    assert [c["vat_payer"] for c in every] == [True, True, False]
    own = await (await client.get("/api/companies", headers=limited)).get_json()
    assert [c["id"] for c in own] == [2]


async def test_calendar(user_headers, client):
    headers = await user_headers("ana", roles={"viewer"}, company_ids={1})
    body = await (await client.get("/api/calendar?company_id=1", headers=headers)).get_json()
    assert body["years"] == [2025, 2026]  # the test ledger: 2025-01..2026-01, the last two months open
    assert len(body["periods"]) == 13
    assert [p["closed"] for p in body["periods"]] == [True] * 11 + [False, False]
    assert body["current"] == {"year": 2025, "month": 12}


async def test_calendar_forbidden_and_invalid(user_headers, client):
    headers = await user_headers("ana", roles={"viewer"}, company_ids={1})
    forbidden = await client.get("/api/calendar?company_id=2", headers=headers)
    assert forbidden.status_code == 403
    assert (await forbidden.get_json())["type"].endswith("company-forbidden")
    assert (await client.get("/api/calendar", headers=headers)).status_code == 400
    assert (await client.get("/api/calendar?company_id=abc", headers=headers)).status_code == 400


async def test_openapi_lists_every_route(app, client):
    spec = await (await client.get("/openapi.json")).get_json()
    documented = {path for path in spec["paths"]}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in {"openapi"} or rule.rule == "/" or rule.rule.startswith("/docs"):  # pages, not API
            continue
        path = rule.rule.replace("<", "{").replace(">", "}")
        path = path.replace("{int:", "{").replace("{path:", "{")
        assert path in documented, f"{rule.rule} is missing from OpenAPI"
    login = spec["paths"]["/api/auth/login"]["post"]
    assert "requestBody" in login and "401" in login["responses"] and "429" in login["responses"]
