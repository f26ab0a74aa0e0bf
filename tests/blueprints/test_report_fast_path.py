"""The report fast path answers memory hits exactly as the Quart routes do, and hands everything else to them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from reports_api_helpers import CLOSED_TB, YEAR, sign_in, url

from roa2web.app import create_app
from roa2web.blueprints.reports.fast_path import ReportFastPath
from roa2web.blueprints.reports.routes import REPORT_OF_ENDPOINT

QUERIES = {
    "dashboard": {"company_id": 1, "year": YEAR, "month": 11},
    "invoices": {"company_id": 1, "status": "all"},  # as_of defaults to today
    "invoices/aging": {"company_id": 1, "as_of": f"{YEAR}-11-30"},
    "treasury": {"company_id": 1, "date_from": f"{YEAR}-01-01", "date_to": f"{YEAR}-11-30"},
    "trial-balance": CLOSED_TB,
}
VARYING = {"x-request-id", "x-cache-age", "ratelimit-remaining", "ratelimit-reset"}  # per request by nature


def fast_path(app) -> ReportFastPath:
    layer: ReportFastPath = app.extensions["roa2web.report_fast_path"]
    return layer


@contextmanager
def through_quart(app) -> Iterator[None]:
    """Requests in this block skip the fast path: the routes answer them."""
    layer = fast_path(app)
    routes, layer.routes = layer.routes, {}
    try:
        yield
    finally:
        layer.routes = routes


def comparable(response) -> list[tuple[str, str]]:
    return [(name.lower(), value) for name, value in response.headers.items() if name.lower() not in VARYING]


@pytest.fixture
def settings(settings_factory):
    return settings_factory(ocr_enabled=False, rate_limit_per_user_per_minute=1000)


def test_every_report_route_has_a_fast_path(app):
    assert sorted(route.endpoint for route in fast_path(app).routes.values()) == sorted(REPORT_OF_ENDPOINT)
    assert sorted(fast_path(app).routes) == sorted(f"/api/reports/{path}" for path in QUERIES)


@pytest.mark.parametrize("path", list(QUERIES))
async def test_a_memory_hit_is_answered_as_the_route_answers_it(app, client, user_headers, path):
    headers = await user_headers("ana", roles={"viewer"}, company_ids={1})
    layer = fast_path(app)
    miss = await client.get(url(path, **QUERIES[path]), headers=headers)
    assert (miss.status_code, miss.headers["X-Cache"], layer.served) == (200, "MISS", 0)

    fast = await client.get(url(path, **QUERIES[path]), headers=headers)
    assert layer.served == 1
    with through_quart(app):
        routed = await client.get(url(path, **QUERIES[path]), headers=headers)
    assert layer.served == 1
    assert (fast.status_code, routed.status_code) == (200, 200)
    assert fast.headers["X-Cache"] == routed.headers["X-Cache"] == "HIT-L1"
    assert await fast.get_data() == await routed.get_data() == await miss.get_data()
    assert comparable(fast) == comparable(routed)
    assert {name.lower() for name, _ in fast.headers.items()} == {name.lower() for name, _ in routed.headers.items()}
    assert int(fast.headers["RateLimit-Remaining"]) == int(routed.headers["RateLimit-Remaining"]) + 1

    etag = {"If-None-Match": fast.headers["ETag"]}
    fast_304 = await client.get(url(path, **QUERIES[path]), headers=headers | etag)
    with through_quart(app):
        routed_304 = await client.get(url(path, **QUERIES[path]), headers=headers | etag)
    assert (fast_304.status_code, routed_304.status_code, layer.served) == (304, 304, 2)
    assert await fast_304.get_data() == await routed_304.get_data() == b""
    assert comparable(fast_304) == comparable(routed_304)


async def test_hits_are_counted_once_in_the_cache_figures(app, client, user_headers):
    headers = await user_headers("ana", roles={"viewer"}, company_ids={1})
    admin = await user_headers("boss", roles={"admin"})
    await client.get(url("trial-balance", **CLOSED_TB), headers=headers)
    for _ in range(3):
        assert (await client.get(url("trial-balance", **CLOSED_TB), headers=headers)).headers["X-Cache"] == "HIT-L1"
    stats = await (await client.get("/api/reports/cache/stats", headers=admin)).get_json()
    assert fast_path(app).served == 3
    assert (stats["l1"]["hits"], stats["l1"]["misses"]) == (3, 1)
    assert stats["reports"]["trial_balance"] == {"hits": 3, "misses": 1, "stale": 0}
    assert stats["l1"]["mean_lookup_us"] > 0


async def test_what_it_cannot_answer_goes_to_the_routes(app, client, user_headers):
    ana = await user_headers("ana", roles={"viewer"}, company_ids={1})
    admin = await user_headers("boss", roles={"admin"})
    layer = fast_path(app)
    assert (await client.get(url("trial-balance", **CLOSED_TB), headers=ana)).headers["X-Cache"] == "MISS"
    assert (await client.get(url("trial-balance", **CLOSED_TB), headers=ana)).status_code == 200
    assert layer.served == 1

    no_token = await client.get(url("trial-balance", **CLOSED_TB))
    bad_token = await client.get(url("trial-balance", **CLOSED_TB), headers={"Authorization": "Bearer nonsense"})
    assert (no_token.status_code, bad_token.status_code) == (401, 401)
    assert bad_token.content_type == "application/problem+json"

    other_company = {**CLOSED_TB, "company_id": 2}
    await client.get(url("trial-balance", **other_company), headers=ana)  # the query string is now known
    assert (await client.get(url("trial-balance", **other_company), headers=ana)).status_code == 403

    first_seen = await client.get(url("trial-balance", **{**CLOSED_TB, "level": "synthetic"}), headers=ana)
    assert first_seen.headers["X-Cache"] == "MISS"

    invalidated = await client.post("/api/reports/cache/invalidate", json={"company_id": 1}, headers=admin)
    assert invalidated.status_code == 200
    assert (await client.get(url("trial-balance", **CLOSED_TB), headers=ana)).headers["X-Cache"] == "MISS"
    assert layer.served == 1


async def test_an_exhausted_limit_is_refused_by_the_route(settings_factory):
    app = create_app(settings_factory(ocr_enabled=False, rate_limit_per_user_per_minute=3))
    async with app.test_app():
        client = app.test_client()
        ana = await sign_in(app, "ana", roles={"viewer"}, company_ids={1})
        answers = [await client.get(url("trial-balance", **CLOSED_TB), headers=ana) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert [a.headers.get("RateLimit-Remaining") for a in answers[:3]] == ["2", "1", "0"]
        assert fast_path(app).served == 2
        assert answers[3].content_type == "application/problem+json" and "Retry-After" in answers[3].headers
        figures = app.extensions["roa2web"].reports.cache.stats()
        assert (figures["l1"]["hits"], figures["l1"]["misses"]) == (2, 1)  # the refused request looked nothing up
