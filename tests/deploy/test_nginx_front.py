"""The proxy behaviour for real: nginx with web.config's rules (tests/support/nginx/roa2web.conf.template)
in front of `roa2web serve` (an `roa2web init` data dir, ENV=production) and the built web app.

Two services, each behind its own nginx: one trusts the proxy (TRUSTED_PROXIES' default, 127.0.0.1),
one does not (TRUSTED_PROXIES=10.9.9.9). The service itself serves no web app here (SPA_DIR=): every
page and file comes from nginx. Clients connect from different loopback addresses (127.0.0.2,
127.0.0.3: Linux routes all of 127/8), so nginx forwards different X-Forwarded-For values.

Without nginx the tests skip, unless ROA2WEB_REQUIRE_BROWSER is set (scripts/test.sh): then they fail.
"""

from __future__ import annotations

import http.client
import json
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from roa2web.blueprints.spa import IMMUTABLE
from roa2web.web.security import API_CSP, DOCS_CSP, HSTS, SPA_CSP
from scripts.bench import live_server
from scripts.spa_size import initial_js
from tests.deploy.front_paths import SAMPLE_PATHS, Outcome, write_sample_build
from tests.support.nginx_front import NginxFront, nginx_front, require_nginx

pytestmark = pytest.mark.slow

DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"
SECURITY_HEADERS = ("X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy")
WRONG_PASSWORD = "parola-gresita-1"


@dataclass(frozen=True)
class Reply:
    """One HTTP answer through the front."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def all(self, name: str) -> list[str]:
        """Every value of header `name` (a header sent twice shows twice)."""
        return self.headers.get_all(name) or []


@dataclass(frozen=True)
class Site:
    """A service behind nginx: the front's ports, the site folder nginx serves, the admin's password."""

    front: NginxFront
    site: Path
    admin_password: str

    def get(self, path: str, **options: object) -> Reply:
        """GET `path` through the front's HTTP port."""
        return request(self.front.http_port, "GET", path, **options)  # type: ignore[arg-type]

    def login(self, username: str, password: str, source: str = "127.0.0.1",
              forwarded_for: str | None = None) -> Reply:
        """POST /api/auth/login from loopback address `source`, optionally with a forged X-Forwarded-For."""
        headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        return request(self.front.http_port, "POST", "/api/auth/login", source=source, headers=headers,
                       body={"username": username, "password": password})


def request(port: int, method: str, path: str, *, source: str = "127.0.0.1", headers: dict[str, str] | None = None,
            body: object = None) -> Reply:
    """One request to the front on `port`, the client socket bound to the loopback address `source`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        data = None if body is None else json.dumps(body).encode()
        sent = {"Host": "roa2web.firma.example", **({"Content-Type": "application/json"} if data else {}),
                **(headers or {})}
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def require_built_spa() -> Path:
    """frontend/dist with its index.html, or a clear failure."""
    if not (DIST / "index.html").is_file():
        pytest.fail(f"the web app is not built ({DIST / 'index.html'} is missing): run bash scripts/build_spa.sh "
                    "(scripts/test.sh builds it before pytest)", pytrace=False)
    return DIST


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built web app plus the sample files of the shared path table (front_paths)."""
    require_nginx()
    site = tmp_path_factory.mktemp("iis-site") / "site"
    shutil.copytree(require_built_spa(), site)
    return write_sample_build(site)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, site_folder: Path) -> Iterator[dict[str, Site]]:
    """"trusted" and "untrusted": `roa2web serve` in production behind its own nginx."""
    trust = {"trusted": {}, "untrusted": {"TRUSTED_PROXIES": "10.9.9.9"}}

    def install_and_serve(name: str) -> live_server.Server:
        install = live_server.install(tmp_path_factory.mktemp(f"front-{name}"), bench_users=False, ENV="production",
                                      SPA_DIR="", OCR_ENABLED="false", BNR_RATES_ENABLED="false", **trust[name])
        return live_server.serve(install)

    with ThreadPoolExecutor(len(trust)) as pool:  # two independent installs: side by side
        started = {name: pool.submit(install_and_serve, name) for name in trust}
    servers, failures = {}, []
    for name, future in started.items():
        try:
            servers[name] = future.result()
        except (Exception, SystemExit) as error:  # live_server says what went wrong with SystemExit
            failures.append(f"{name}: {error}")
    if failures:
        for server in servers.values():
            server.stop()
        pytest.fail("; ".join(failures), pytrace=False)
    installs = {name: server.install for name, server in servers.items()}
    try:
        with (nginx_front(installs["trusted"].root / "nginx", site_folder, servers["trusted"].port) as trusted,
              nginx_front(installs["untrusted"].root / "nginx", site_folder, servers["untrusted"].port) as untrusted):
            yield {"trusted": Site(trusted, site_folder, installs["trusted"].admin_password),
                   "untrusted": Site(untrusted, site_folder, installs["untrusted"].admin_password)}
    finally:
        for server in servers.values():
            server.stop()


def outcome(reply: Reply, site: Path, path: str) -> Outcome:
    """How the front answered `path`: the service's answers carry X-Request-ID; a file's bytes are its own."""
    if reply.all("X-Request-ID"):
        return Outcome.PROXY
    if reply.status == 404:
        return Outcome.MISSING
    assert reply.status == 200, (path, reply.status)
    if reply.body == (site / "index.html").read_bytes():
        return Outcome.PAGE
    assert reply.body == (site / path.split("?")[0].lstrip("/")).read_bytes(), path
    return Outcome.FILE


def test_each_sample_path_is_answered_as_web_config_answers_it(sites: dict[str, Site]):
    site = sites["trusted"]
    answers = {path: outcome(site.get(path), site.site, path) for path in SAMPLE_PATHS}
    assert {path: (got, SAMPLE_PATHS[path]) for path, got in answers.items() if got != SAMPLE_PATHS[path]} == {}


def test_a_login_works_through_the_front(sites: dict[str, Site]):
    site = sites["trusted"]
    login = site.login("admin", site.admin_password)
    assert login.status == 200, login.body
    token = json.loads(login.body)["access_token"]
    companies = site.get("/api/companies", headers={"Authorization": f"Bearer {token}"})
    assert companies.status == 200 and json.loads(companies.body), companies.body


def test_web_app_routes_get_index_html_uncached_and_hashed_assets_a_year(sites: dict[str, Site]):
    site = sites["trusted"]
    page = site.get("/reports/dashboard")
    assert page.status == 200 and page.headers.get_content_type() == "text/html"
    assert page.body == (DIST / "index.html").read_bytes()
    assert page.all("Cache-Control") == ["no-cache"]
    entry = next(iter(initial_js(DIST)))  # the build's own hashed entry script, e.g. assets/index-BzXMxGkx.js
    asset = site.get(f"/{entry}")
    assert asset.status == 200 and asset.body == (DIST / entry).read_bytes()
    assert asset.headers.get_content_type() == "application/javascript"
    assert asset.all("Cache-Control") == [IMMUTABLE]
    for reply in (page, asset):  # IIS's outbound rules: the headers the service puts on its own SPA route
        assert reply.all("Content-Security-Policy") == [SPA_CSP]
        assert reply.all("X-Content-Type-Options") == ["nosniff"] and reply.all("X-Frame-Options") == ["DENY"]
        assert reply.all("Referrer-Policy") == ["no-referrer"]
        assert not reply.all("X-Request-ID")


def test_health_openapi_and_docs_are_the_services_with_its_headers_once(sites: dict[str, Site]):
    site = sites["trusted"]
    health, spec, docs = site.get("/health"), site.get("/openapi.json"), site.get("/docs")
    assert health.status == 200 and json.loads(health.body)["status"] in {"ok", "degraded"}
    assert spec.status == 200 and json.loads(spec.body)["openapi"].startswith("3.")
    assert docs.status == 200 and b"swagger-ui" in docs.body
    unauthorized = site.get("/api/companies")
    assert unauthorized.status == 401 and unauthorized.headers.get_content_type() == "application/problem+json"
    for reply, csp in ((health, API_CSP), (spec, API_CSP), (unauthorized, API_CSP), (docs, DOCS_CSP)):
        assert {name: reply.all(name) for name in SECURITY_HEADERS} == {
            "X-Content-Type-Options": ["nosniff"], "X-Frame-Options": ["DENY"], "Content-Security-Policy": [csp]}
        assert len(reply.all("X-Request-ID")) == 1 and not reply.all("X-Powered-By")


def test_hsts_only_for_clients_the_front_saw_on_https(sites: dict[str, Site]):
    trusted, untrusted = sites["trusted"], sites["untrusted"]
    for path in ("/health", "/reports/dashboard"):  # the service's answer, and IIS's own file
        over_https = request(trusted.front.https_port, "GET", path)
        assert over_https.all(HSTS[0]) == [HSTS[1]], path
        assert not trusted.get(path).all(HSTS[0]), path
    # A client's own X-Forwarded-Proto is replaced by the front's: plain HTTP stays plain.
    assert not trusted.get("/health", headers={"X-Forwarded-Proto": "https"}).all(HSTS[0])
    # A service that does not trust the proxy does not believe its X-Forwarded-Proto either.
    assert not request(untrusted.front.https_port, "GET", "/health").all(HSTS[0])


def test_the_login_limit_counts_the_forwarded_client_only_behind_a_trusted_proxy(sites: dict[str, Site]):
    # Each client also forges X-Forwarded-For: if the service believed it, both would share one bucket.
    forged = "203.0.113.9"
    trusted = sites["trusted"]
    first = [trusted.login(f"nobody-{i}", WRONG_PASSWORD, "127.0.0.2", forged).status for i in range(5)]
    assert first == [401] * 5
    assert trusted.login("nobody-5", WRONG_PASSWORD, "127.0.0.2", forged).status == 429
    assert trusted.login("nobody-6", WRONG_PASSWORD, "127.0.0.3", forged).status == 401  # its own bucket

    # Every client is the proxy's 127.0.0.1 to a service that does not trust it: one bucket for all, whatever
    # X-Forwarded-For says (here each client forges another address).
    untrusted = sites["untrusted"]
    first = [untrusted.login(f"nobody-{i}", WRONG_PASSWORD, "127.0.0.2", "203.0.113.7").status for i in range(5)]
    assert first == [401] * 5
    assert untrusted.login("nobody-6", WRONG_PASSWORD, "127.0.0.3", "198.51.100.1").status == 429



def upload(port: int, size: int, token: str | None = None, *, send_body: bool | None = None) -> Reply:
    """POST a `size`-byte multipart body to an upload route; the body is sent when `send_body` (default: with
    a `token`), else the headers alone."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.putrequest("POST", "/api/data-entry/receipts/r-1/attachments")
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(size))
        if token:
            connection.putheader("Authorization", f"Bearer {token}")
        connection.endheaders()
        chunk = b"\0" * (1024 * 1024)
        for start in range(0, size if (bool(token) if send_body is None else send_body) else 0, len(chunk)):
            connection.send(chunk[:size - start])
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def test_uploads_up_to_the_services_limit_reach_it_and_larger_ones_stop_at_the_front(sites: dict[str, Site]):
    site = sites["trusted"]
    token = json.loads(site.login("admin", site.admin_password).body)["access_token"]
    limit = 20 * 1024 * 1024  # MAX_CONTENT_LENGTH's default, and web.config's maxAllowedContentLength
    at_limit = upload(site.front.http_port, limit, token)  # read whole by the service: not a form it can use
    assert at_limit.status == 400 and at_limit.all("X-Request-ID"), at_limit.body
    over = upload(site.front.http_port, limit + 1)  # refused by the front before a byte reaches the service
    assert over.status == 413 and not over.all("X-Request-ID")
    # without a session the service answers 401 before reading the body (then reads it to its end, see
    # tests/security/test_body_limits_server.py); the front passes that 401 on
    anonymous = upload(site.front.http_port, 5 * 1024 * 1024, send_body=True)
    assert anonymous.status == 401 and anonymous.all("X-Request-ID"), anonymous.body
