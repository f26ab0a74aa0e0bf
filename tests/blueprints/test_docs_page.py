"""`/docs`: Swagger UI 5 (it renders OpenAPI 3.1) served from the package, in a Romanian page."""

from __future__ import annotations

import importlib.util
import re

from roa2web.blueprints.docs import ASSETS


async def test_docs_page_is_romanian_utf8_and_loads_only_local_files(client):
    response = await client.get("/docs")
    assert response.status_code == 200
    html = await response.get_data(as_text=True)
    assert '<html lang="ro">' in html
    assert '<meta charset="utf-8">' in html  # Swagger UI 5's bundle is read as windows-1252 without it
    assert re.search(r"<title>[^<]*documentația API</title>", html)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/docs/static/") for source in sources)  # no CDN
    for source in sources:
        asset = await client.get(source)
        assert asset.status_code == 200, source
        assert await asset.get_data(), source


async def test_the_vendored_swagger_ui_reads_openapi_3_1(client):
    version = (ASSETS / "swagger-ui" / "VERSION").read_text(encoding="utf-8").strip()
    assert int(version.split(".")[0]) >= 5  # Swagger UI 4 cannot render 3.1
    assert (await (await client.get("/openapi.json")).get_json())["openapi"].startswith("3.1")
    for license_file in ("LICENSE", "NOTICE", "swagger-ui-bundle.js.LICENSE.txt"):
        assert (ASSETS / "swagger-ui" / license_file).stat().st_size > 0
    assert importlib.util.find_spec("swagger_ui_bundle") is None  # the PyPI copy (4.15.5) is no dependency


async def test_unknown_docs_assets_are_404_problems(client):
    for name in ("nope.js", "../../app.py", "swagger-ui/../../../settings.py"):
        response = await client.get(f"/docs/static/{name}")
        assert response.status_code == 404, name
        assert response.mimetype == "application/problem+json"
