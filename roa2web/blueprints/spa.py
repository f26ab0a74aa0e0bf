"""The built web app (SPA_DIR, `npm run build` → frontend/dist) at `/`, as IIS serves it in production.

Registered only when SPA_DIR holds index.html (else `GET /` is the welcome page of `home`). Its real
files are served as they are, except dotfiles and IIS's web.config; any other GET of a path that
looks like a page (no file extension) answers index.html, so the app's history-mode routes survive
a reload or a bookmark. The API, `/health`, `/ready`, `/docs` and `/openapi.json` keep their paths:
the catch-all never matches them, so an unknown `/api/...` stays a 404 problem.

Hashed assets (`assets/`) may be cached for a year; index.html and every other file are revalidated
on each use (`no-cache`), so a new build shows at once. Every reply carries the web app's CSP.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from quart import Blueprint, Quart, Response, send_from_directory
from quart_rate_limiter import rate_exempt
from quart_schema import hide
from werkzeug.exceptions import NotFound
from werkzeug.routing import PathConverter
from werkzeug.security import safe_join

from roa2web.web.guards import public
from roa2web.web.security import SPA_CSP

INDEX = "index.html"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
REFUSED_NAMES = {"web.config"}  # IIS's configuration, copied into dist by the build


class SpaPathConverter(PathConverter):
    """A path that is none of the backend's own: not under api/ or docs, not health, ready or openapi.json."""

    regex = r"(?!(?:api|docs|health|ready|openapi\.json)(?:/|$))[^/].*?"


def built_app(spa_dir: Path | None) -> Path | None:
    """SPA_DIR when it holds a built app (index.html), else None (not configured, or not built)."""
    if spa_dir is None or not (spa_dir / INDEX).is_file():
        return None
    return spa_dir.resolve()


def refused(path: str) -> bool:
    """Whether `path` names something never served: a dotfile or dot-folder, or web.config."""
    return any(part.startswith(".") or part.lower() in REFUSED_NAMES for part in PurePosixPath(path).parts)


def looks_like_page(path: str) -> bool:
    """Whether `path` is a route of the app rather than a file: its last segment has no extension."""
    return "." not in PurePosixPath(path).name


def _with_spa_headers(response: Response, cache_control: str) -> Response:
    response.headers["Cache-Control"] = cache_control
    response.headers.pop("Expires", None)
    response.headers["Content-Security-Policy"] = SPA_CSP
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def spa_blueprint(root: Path) -> Blueprint:
    """The routes serving the app built in `root` (see the module docstring)."""
    blueprint = Blueprint("spa", __name__)

    async def index_page() -> Response:
        return _with_spa_headers(await send_from_directory(root, INDEX), REVALIDATE)

    @blueprint.get("/")
    @public
    @rate_exempt
    @hide
    async def spa_index() -> Response:
        """The web app's page."""
        return await index_page()

    @blueprint.get("/<spa:path>")
    @public
    @rate_exempt
    @hide
    async def spa_file(path: str) -> Response:
        """A file of the build, or the web app's page for one of its routes; a 404 problem otherwise."""
        if refused(path):
            raise NotFound()
        target = safe_join(os.fspath(root), path)
        if target is not None and Path(target).is_file():
            cache_control = IMMUTABLE if path.startswith("assets/") else REVALIDATE
            return _with_spa_headers(await send_from_directory(root, path), cache_control)
        if looks_like_page(path):
            return await index_page()
        raise NotFound()

    return blueprint


def install_spa(app: Quart, root: Path) -> None:
    """Serve the app built in `root` at `/`; register after every other blueprint."""
    app.url_map.converters["spa"] = SpaPathConverter
    app.register_blueprint(spa_blueprint(root))
