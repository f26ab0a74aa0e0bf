"""`GET /`: a short Romanian page that points to the API documentation and the health check.

In production IIS serves the single-page app at `/`; whoever reaches the backend's own port
directly lands here instead of on a bare 404. When SPA_DIR holds the built app, `roa2web serve`
serves it at `/` instead (roa2web.blueprints.spa) and this page is not registered; it says how to
build the app.
"""

from __future__ import annotations

from pathlib import Path

from quart import Blueprint, Response, send_from_directory
from quart_rate_limiter import rate_exempt
from quart_schema import hide

from roa2web.web.guards import public

blueprint = Blueprint("home", __name__)
ASSETS = Path(__file__).resolve().parent.parent / "assets" / "home"


@blueprint.get("/")
@public
@rate_exempt
@hide
async def home_page() -> Response:
    """The backend's welcome page, with links to /docs, /health and /openapi.json."""
    return await send_from_directory(ASSETS, "index.html")
