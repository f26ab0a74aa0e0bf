"""The built web app at `/` (SPA_DIR): its files, history-mode fallback, cache headers, the API first.

A tiny fake build in a temporary SPA_DIR stands for frontend/dist, so these tests never need Node.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from quart import Quart

from roa2web.app import create_app
from roa2web.settings import Settings, load_settings
from roa2web.web.security import SPA_CSP

INDEX = '<!doctype html><html lang="ro"><head><script type="module" src="/assets/index-abc123.js"></script></head>' \
        '<body><div id="app"></div></body></html>'
SCRIPT = "console.log('roa2web');"


@pytest.fixture
def spa_dir(tmp_path: Path) -> Path:
    """A fake build: index.html, a hashed asset, a favicon, IIS's web.config and a dotfile."""
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX, encoding="utf-8")
    (root / "assets" / "index-abc123.js").write_text(SCRIPT, encoding="utf-8")
    (root / "favicon.ico").write_bytes(b"\x00\x00\x01\x00")
    (root / "web.config").write_text("<configuration/>", encoding="utf-8")
    (root / ".env").write_text("SECRET=1", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("not served", encoding="utf-8")
    return root


@pytest.fixture
async def spa_app(settings_factory: Callable[..., Settings], spa_dir: Path) -> AsyncIterator[Quart]:
    """A started app serving the fake build."""
    application = create_app(settings_factory(spa_dir=spa_dir))
    async with application.test_app():
        yield application


@pytest.fixture
def spa_client(spa_app: Quart):
    """A test client of `spa_app`."""
    return spa_app.test_client()


def assert_index(response, body: str) -> None:
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert body == INDEX
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Content-Security-Policy"] == SPA_CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_root_is_the_web_app_without_a_token(spa_client):
    response = await spa_client.get("/")
    assert_index(response, await response.get_data(as_text=True))


@pytest.mark.parametrize("path", ["/reports/trial-balance?company=1", "/login", "/data-entry/receipts/12",
                                  "/jobs", "/healthz", "/apis"])
async def test_a_deep_link_answers_index_html_uncached(spa_client, path):
    response = await spa_client.get(path)
    assert_index(response, await response.get_data(as_text=True))


async def test_a_hashed_asset_is_cached_for_a_year(spa_client):
    response = await spa_client.get("/assets/index-abc123.js")
    assert response.status_code == 200
    assert await response.get_data(as_text=True) == SCRIPT
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Expires" not in response.headers
    assert response.headers["Content-Security-Policy"] == SPA_CSP


async def test_another_file_of_the_build_is_served_revalidated(spa_client):
    response = await spa_client.get("/favicon.ico")
    assert response.status_code == 200 and await response.get_data() == b"\x00\x00\x01\x00"
    assert response.headers["Cache-Control"] == "no-cache"


async def test_head_works(spa_client):  # the server (Hypercorn) sends no body to a HEAD
    immutable = "public, max-age=31536000, immutable"
    for path, length, cache_control in (("/", len(INDEX), "no-cache"), ("/reports/dashboard", len(INDEX), "no-cache"),
                                        ("/assets/index-abc123.js", len(SCRIPT), immutable)):
        response = await spa_client.head(path)
        assert response.status_code == 200, path
        assert int(response.headers["Content-Length"]) == length, path
        assert response.headers["Cache-Control"] == cache_control, path


@pytest.mark.parametrize("path", ["/api/nope", "/api", "/api/reports/nope", "/docs/nope", "/assets/missing.js",
                                  "/missing.png"])
async def test_unknown_api_paths_and_missing_files_stay_404_problems(spa_client, path):
    response = await spa_client.get(path)
    assert response.status_code == 404, path
    assert response.mimetype == "application/problem+json", path


@pytest.mark.parametrize("path", ["/web.config", "/WEB.CONFIG", "/.env", "/assets/../web.config", "/../outside.txt",
                                  "/%2e%2e/outside.txt", "/assets/%2e%2e/%2e%2e/outside.txt", "/a/../../outside.txt"])
async def test_iis_config_dotfiles_and_traversal_are_refused(spa_client, path):
    response = await spa_client.get(path)
    body = await response.get_data(as_text=True)
    assert response.status_code == 404 or body == INDEX, (path, response.status_code)
    assert "configuration" not in body and "SECRET" not in body and "not served" not in body, path


async def test_the_backends_own_paths_keep_precedence(spa_client):
    health = await spa_client.get("/health")
    assert health.status_code == 200 and health.mimetype == "application/json"
    spec = await spa_client.get("/openapi.json")
    assert spec.status_code == 200 and "paths" in await spec.get_json()
    docs = await spa_client.get("/docs")
    assert docs.status_code == 200 and "swagger" in (await docs.get_data(as_text=True)).lower()
    login = await spa_client.post("/api/auth/login", json={"username": "nobody", "password": "x" * 12})
    assert login.status_code == 401 and login.mimetype == "application/problem+json"
    me = await spa_client.get("/api/auth/me")  # API routes still want a token
    assert me.status_code == 401


async def test_the_spec_has_no_route_of_the_web_app(spa_client):
    spec = await (await spa_client.get("/openapi.json")).get_json()
    assert "/" not in spec["paths"]
    assert not [path for path in spec["paths"] if not path.startswith(("/api/", "/health", "/ready"))]


async def test_without_a_build_root_is_the_welcome_page(settings_factory, tmp_path):
    for spa_dir in (None, tmp_path / "not-built"):
        application = create_app(settings_factory(spa_dir=spa_dir))
        async with application.test_app():
            client = application.test_client()
            response = await client.get("/")
            body = await response.get_data(as_text=True)
            assert response.status_code == 200 and "Documentația API" in body
            assert "scripts/build_spa.sh" in body
            assert (await client.get("/reports/dashboard")).status_code == 404


def test_spa_dir_defaults_to_the_checkouts_build_and_empty_switches_it_off(monkeypatch, tmp_path):
    monkeypatch.setenv("ROA2WEB_ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.delenv("SPA_DIR", raising=False)
    assert load_settings().spa_dir == Path(__file__).resolve().parents[2] / "frontend" / "dist"
    monkeypatch.setenv("SPA_DIR", "")
    assert load_settings().spa_dir is None
    env_file = tmp_path / "spa.env"
    env_file.write_text("SPA_DIR=\n", encoding="utf-8")
    monkeypatch.delenv("SPA_DIR")
    monkeypatch.setenv("ROA2WEB_ENV_FILE", str(env_file))
    assert load_settings().spa_dir is None
    monkeypatch.setenv("SPA_DIR", str(tmp_path / "elsewhere"))  # the environment overrides the file
    assert load_settings().spa_dir == tmp_path / "elsewhere"


async def test_the_web_apps_files_are_not_rate_limited(settings_factory, spa_dir):
    # the limit counts per endpoint: one counted view would answer 429 from its second request on
    application = create_app(settings_factory(spa_dir=spa_dir, rate_limit_per_user_per_minute=1))
    async with application.test_app():
        client = application.test_client()
        for _ in range(3):
            for path in ("/", "/reports/dashboard", "/assets/index-abc123.js", "/favicon.ico", "/login"):
                response = await client.get(path)
                assert response.status_code == 200, path
                assert "RateLimit-Remaining" not in response.headers, path
