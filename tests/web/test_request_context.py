"""Client addresses: X-Forwarded-For is believed only from trusted proxies."""

from __future__ import annotations

import ipaddress

import pytest

from roa2web.web.request_context import client_ip

TRUSTED = [ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.0.0.0/8")]


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("127.0.0.1", "198.51.100.7", "198.51.100.7"),  # IIS on the same box
        ("198.51.100.9", "1.2.3.4", "198.51.100.9"),  # untrusted peer: header ignored
        ("127.0.0.1", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # spoofed left part ignored
        ("127.0.0.1", "198.51.100.7, 10.1.1.1", "198.51.100.7"),  # chain of trusted proxies
        ("127.0.0.1", None, "127.0.0.1"),
        ("127.0.0.1", "not-an-ip", "not-an-ip"),
    ],
)
def test_client_ip(peer, forwarded, expected):
    assert client_ip(peer, forwarded, TRUSTED) == expected


async def test_security_headers_and_cors(settings_factory):
    from roa2web.app import create_app

    app = create_app(
        settings_factory(
            allowed_origins="https://spa.example,https://other.example", env="production", jwt_secret_key="p" * 40
        )
    )
    async with app.test_app():
        client = app.test_client()
        response = await client.get("/health", headers={"Origin": "https://spa.example"})
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert response.headers["X-Request-ID"]
        assert "max-age" in response.headers["Strict-Transport-Security"]
        assert response.headers["Access-Control-Allow-Origin"] == "https://spa.example"
        stranger = await client.get("/health", headers={"Origin": "https://evil.example"})
        assert "Access-Control-Allow-Origin" not in stranger.headers
        preflight = await client.options(
            "/api/companies",
            headers={"Origin": "https://spa.example", "Access-Control-Request-Method": "GET"},
        )
        assert preflight.status_code == 200
        assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
        docs = await client.get("/docs")
        assert "script-src 'self'" in docs.headers["Content-Security-Policy"]
        assert docs.headers["Referrer-Policy"] == "no-referrer"  # a document's own requests; a JSON body makes none
        assert docs.headers.getlist("X-Frame-Options") == ["DENY"]  # once, even where the app sets headers itself


@pytest.fixture
def settings(settings_factory):
    return settings_factory(max_content_length=2048, rate_limit_per_user_per_minute=2)


async def test_problems_and_not_modified_replies_carry_the_request_id_and_security_headers(app, user_headers):
    from roa2web.web.guards import public

    @app.get("/boom")
    @public
    async def boom() -> str:
        raise RuntimeError("boom")

    client = app.test_client()
    headers = await user_headers("ana", roles={"viewer"}, company_ids={1})
    report = "/api/reports/trial-balance?company_id=1&year=2025&month_from=1&month_to=11"
    etag = (await client.get(report, headers=headers)).headers["ETag"]
    answers = {
        304: await client.get(report, headers=headers | {"If-None-Match": etag}),
        429: await client.get(report, headers=headers),
        401: await client.get("/api/companies"),
        404: await client.get("/no/such/route"),
        405: await client.delete("/health"),
        413: await client.post("/api/auth/login", data=b"x" * 10_000, headers={"Content-Type": "application/json"}),
        500: await client.get("/boom", headers={"X-Request-ID": "trace-500"}),
    }
    for status, response in answers.items():
        assert response.status_code == status
        assert response.headers["X-Request-ID"] and response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
        if status != 304:
            assert response.content_type == "application/problem+json"
            assert (await response.get_json())["request_id"] == response.headers["X-Request-ID"]
    assert answers[500].headers["X-Request-ID"] == "trace-500"
    assert answers[304].headers["X-Cache"] == "HIT-L1" and answers[304].headers["ETag"] == etag
    assert await answers[304].get_data() == b""  # no Content-Type either: tests/test_serve_reports.py, on the wire
    assert answers[429].headers["Retry-After"]


def test_generated_request_ids_are_distinct_safe_tokens():
    from roa2web.web.request_context import _SAFE_ID, new_request_id

    ids = [new_request_id() for _ in range(1000)]
    assert len(set(ids)) == 1000
    assert all(_SAFE_ID.match(request_id) and len(request_id) == 16 for request_id in ids)
