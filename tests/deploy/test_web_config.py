"""frontend/public/web.config (IIS) sends each path where its nginx stand-in does, and fits the service.

The sample paths and their outcomes (tests/deploy/front_paths.py) are the ones tests/deploy/test_nginx_front.py
asks a real nginx about; here they are worked out from web.config's own rules (tests/deploy/iis_rules.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from roa2web.blueprints.spa import IMMUTABLE, REVALIDATE
from roa2web.settings import Settings
from roa2web.web.security import HSTS, SPA_CSP
from tests.deploy.front_paths import SAMPLE_PATHS, SERVICE_ADDRESS, Outcome, write_sample_build
from tests.deploy.iis_rules import WebConfig

ROOT = Path(__file__).resolve().parents[2]
WEB_CONFIG = ROOT / "frontend" / "public" / "web.config"
DIST = ROOT / "frontend" / "dist"
PROXY_RULE = "ROA2WEB service (API, health, docs)"
FROM_IIS_ONLY = "Served by IIS, not by the service"
# What IIS adds to the files it serves: what `roa2web serve` puts on the same files (roa2web.blueprints.spa).
STATIC_HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
                  "Content-Security-Policy": SPA_CSP, "Referrer-Policy": "no-referrer"}


@pytest.fixture
def web_config(tmp_path: Path) -> WebConfig:
    return WebConfig(WEB_CONFIG, write_sample_build(tmp_path / "site"))


def test_each_sample_path_goes_where_the_nginx_stand_in_sends_it(web_config: WebConfig):
    answers = {path: web_config.answer(path) for path in SAMPLE_PATHS}
    wrong = {path: (answer.outcome, SAMPLE_PATHS[path]) for path, answer in answers.items()
             if answer.outcome != SAMPLE_PATHS[path]}
    assert wrong == {}, "path: (web.config, expected)"
    for path, answer in answers.items():
        if answer.outcome is Outcome.PROXY:  # the path and query exactly as sent, to the service
            assert answer.target == f"http://{SERVICE_ADDRESS}{path}"
    assert web_config.answer("/reports/dashboard").target == "/index.html"
    assert web_config.answer("/").target == "/index.html"  # the default document


def test_the_proxy_tells_the_service_the_scheme_the_browser_used(web_config: WebConfig):
    variables = web_config.server_variables(PROXY_RULE)
    assert set(variables) == {"HTTP_X_FORWARDED_PROTO"}
    proto = variables["HTTP_X_FORWARDED_PROTO"]
    assert web_config.expand(proto, None, "/api", https=True) == "https"
    assert web_config.expand(proto, None, "/api", https=False) == "http"


def test_uploads_up_to_the_services_limit_and_no_larger_pass_iis():
    default = Settings.model_fields["max_content_length"].default
    example = int(re.search(r"^MAX_CONTENT_LENGTH=(\d+)", (ROOT / ".env.example").read_text(encoding="utf-8"),
                            re.MULTILINE)[1])  # type: ignore[index]
    allowed = WebConfig(WEB_CONFIG, ROOT).max_allowed_content_length()
    # The same number: larger bodies are refused by IIS before the service would have to refuse them
    # unread (which a proxy still sending reports as 502; tests/deploy/test_nginx_front.py).
    assert default == example == allowed == 20 * 1024 * 1024


def test_static_files_get_the_apps_headers_and_cache_rules_and_proxied_answers_keep_their_own():
    config = WebConfig(WEB_CONFIG, ROOT)
    web_server = config.web_server
    precondition = web_server.find(f"rewrite/outboundRules/preConditions/preCondition[@name='{FROM_IIS_ONLY}']")
    assert precondition is not None
    assert [(c.get("input"), c.get("pattern")) for c in precondition.findall("add")] == [
        ("{RESPONSE_X_REQUEST_ID}", "^$")]  # the service puts X-Request-ID on every answer it makes
    added: dict[str, str] = {}
    for rule in web_server.findall("rewrite/outboundRules/rule"):
        variable = rule.find("match").get("serverVariable", "")  # type: ignore[union-attr]
        header = variable.removeprefix("RESPONSE_").replace("_", "-")
        value = rule.find("action").get("value", "")  # type: ignore[union-attr]
        if header == "X-Powered-By":
            assert value == "" and rule.get("preCondition") is None  # off every answer
            continue
        assert rule.get("preCondition") == FROM_IIS_ONLY, header
        added[header] = value
        conditions = [(c.get("input"), c.get("pattern")) for c in rule.findall("conditions/add")]
        assert conditions == ([("{HTTPS}", "^on$")] if header == HSTS[0] else []), header
    assert added == {**STATIC_HEADERS, HSTS[0]: HSTS[1]}
    removed = [entry.get("name") for entry in web_server.findall("httpProtocol/customHeaders/remove")]
    assert removed == ["X-Powered-By"]

    cache = web_server.find("staticContent/clientCache")
    assert cache is not None and cache.get("cacheControlMode") == "DisableCache"  # "no-cache"
    assert REVALIDATE == "no-cache"
    assets = config.root.find("location[@path='assets']/system.webServer/staticContent/clientCache")
    assert assets is not None
    assert (assets.get("cacheControlMode"), assets.get("cacheControlMaxAge")) == ("UseMaxAge", "365.00:00:00")
    directives = {part.strip() for part in assets.get("cacheControlCustom", "").split(",")} | {"max-age=31536000"}
    assert directives == set(IMMUTABLE.split(", "))  # the same as the service's own SPA route says
    assert web_server.find("httpErrors").get("existingResponse") == "PassThrough"  # type: ignore[union-attr]


def test_every_build_carries_web_config():
    if not (DIST / "index.html").is_file():
        message = f"the web app is not built ({DIST / 'index.html'} is missing): run bash scripts/build_spa.sh"
        if os.environ.get("ROA2WEB_REQUIRE_BROWSER"):
            pytest.fail(message + " (ROA2WEB_REQUIRE_BROWSER is set)", pytrace=False)
        pytest.skip(message)
    built = DIST / "web.config"
    assert built.is_file() and built.read_bytes() == WEB_CONFIG.read_bytes(), (
        f"{built} is missing or differs from {WEB_CONFIG}: the build is older than web.config; "
        "run bash scripts/build_spa.sh")
