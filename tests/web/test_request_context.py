"""Client addresses and scheme: X-Forwarded-For and X-Forwarded-Proto are believed only from trusted proxies."""

from __future__ import annotations

import ipaddress

import pytest

from roa2web.web.proxies import client_ip, hop_address, over_https

TRUSTED = [ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.0.0.0/8")]
FROM_PROXY = {"client": ("127.0.0.1", 1234)}
FROM_STRANGER = {"client": ("198.51.100.9", 1234)}


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("127.0.0.1", "198.51.100.7", "198.51.100.7"),  # IIS on the same box
        ("198.51.100.9", "1.2.3.4", "198.51.100.9"),  # untrusted peer: header ignored
        ("127.0.0.1", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # spoofed left part ignored
        ("127.0.0.1", "198.51.100.7, 10.1.1.1", "198.51.100.7"),  # chain of trusted proxies
        ("127.0.0.1", None, "127.0.0.1"),
        ("127.0.0.1", "not-an-ip", "not-an-ip"),
        ("127.0.0.1", "198.51.100.7:51234", "198.51.100.7"),  # ARR's default adds the client's TCP port
        ("127.0.0.1", "[2001:db8::7]:51234", "2001:db8::7"),
        ("127.0.0.1", "1.2.3.4, 198.51.100.7:51234, 10.1.1.1:80", "198.51.100.7"),
    ],
)
def test_client_ip(peer, forwarded, expected):
    assert client_ip(peer, forwarded, TRUSTED) == expected


@pytest.mark.parametrize(("hop", "address"), [("203.0.113.5", "203.0.113.5"), ("203.0.113.5:443", "203.0.113.5"),
                                              ("[::1]", "::1"), ("[::1]:80", "::1"), ("2001:db8::1", "2001:db8::1")])
def test_a_hop_loses_its_port_and_brackets(hop, address):
    assert hop_address(hop) == address


def test_https_is_our_own_tls_or_a_trusted_proxys_word():
    assert over_https("https", "198.51.100.9", None, TRUSTED)
    assert over_https("http", "127.0.0.1", "https", TRUSTED)
    assert over_https("http", "127.0.0.1", "http, https", TRUSTED)  # the nearest proxy's value
    assert not over_https("http", "127.0.0.1", "http", TRUSTED)
    assert not over_https("http", "127.0.0.1", None, TRUSTED)
    assert not over_https("http", "198.51.100.9", "https", TRUSTED)  # anyone may send the header
    assert not over_https("http", None, "https", TRUSTED)


async def test_hsts_only_in_production_and_only_over_https(settings_factory):
    from roa2web.app import create_app

    for env, secret in (("production", "p" * 40), ("development", None)):
        app = create_app(settings_factory(env=env, jwt_secret_key=secret))
        async with app.test_app():
            client = app.test_client()
            https = await client.get("/health", headers={"X-Forwarded-Proto": "https"}, scope_base=FROM_PROXY)
            plain = await client.get("/health", scope_base=FROM_PROXY)
            forged = await client.get("/health", headers={"X-Forwarded-Proto": "https"}, scope_base=FROM_STRANGER)
            refused = await client.post("/api/auth/login", data=b"x" * 300_000, scope_base=FROM_PROXY,
                                        headers={"Content-Type": "application/json", "X-Forwarded-Proto": "https"})
            assert refused.status_code == 413  # the body limit's own answer
            expected = ["max-age=31536000; includeSubDomains"] if env == "production" else []
            assert https.headers.getlist("Strict-Transport-Security") == expected
            assert refused.headers.getlist("Strict-Transport-Security") == expected
            assert "Strict-Transport-Security" not in plain.headers
            assert "Strict-Transport-Security" not in forged.headers


async def test_security_headers_and_cors(settings_factory):
    from roa2web.app import create_app

    app = create_app(
        settings_factory(
            allowed_origins="https://spa.example,https://other.example", env="production", jwt_secret_key="p" * 40
        )
    )
    async with app.test_app():
        client = app.test_client()
        response = await client.get("/health", headers={"Origin": "https://spa.example", "X-Forwarded-Proto": "https"},
                                    scope_base=FROM_PROXY)
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
