"""`/api/reports`: the cached reports and the cache's own endpoints (exports live in `blueprints.exports`)."""

from __future__ import annotations

from quart import Quart

from roa2web.blueprints.reports import cache, routes
from roa2web.runtime import Runtime


def install_routes(app: Quart, runtime: Runtime) -> None:
    """Mount the report and cache blueprints (a refused parameter is a Problem: the app's handler renders it)."""
    app.register_blueprint(routes.blueprint)
    app.register_blueprint(cache.blueprint)
