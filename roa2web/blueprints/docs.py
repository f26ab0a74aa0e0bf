"""`/docs`: Swagger UI served from local files (an office server may not reach a CDN)."""

from __future__ import annotations

from pathlib import Path

from quart import Blueprint, Response, send_from_directory
from quart_rate_limiter import rate_exempt
from quart_schema import hide
from swagger_ui_bundle import swagger_ui_path

from roa2web.errors import ApiError
from roa2web.web.guards import public

blueprint = Blueprint("docs", __name__)
_OWN = Path(__file__).resolve().parent.parent / "assets" / "docs"
_VENDOR = Path(str(swagger_ui_path))
_VENDOR_FILES = {"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"}


@blueprint.get("/docs")
@public
@rate_exempt
@hide
async def docs_page() -> Response:
    """The interactive API documentation."""
    return await send_from_directory(_OWN, "index.html")


@blueprint.get("/docs/static/<name>")
@public
@rate_exempt
@hide
async def docs_asset(name: str) -> Response:
    """Swagger UI's own files, from the swagger-ui-bundle package."""
    if name == "roa2web-init.js":
        return await send_from_directory(_OWN, name)
    if name not in _VENDOR_FILES:
        raise ApiError(404, f"no documentation asset {name}")
    return await send_from_directory(_VENDOR, name)
