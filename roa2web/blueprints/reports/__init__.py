"""`/api/reports`: the cached reports and the cache's own endpoints (exports live in `blueprints.exports`)."""

from __future__ import annotations

from quart import Quart

from roa2web.blueprints.reports import cache, routes
from roa2web.blueprints.reports.replies import on_parameter_error
from roa2web.reports.errors import ReportParameterError
from roa2web.runtime import Runtime


def install_routes(app: Quart, runtime: Runtime) -> None:
    """Mount the report and cache blueprints; a report's refused parameter becomes a 400 problem."""
    app.register_blueprint(routes.blueprint)
    app.register_blueprint(cache.blueprint)
    app.register_error_handler(ReportParameterError, on_parameter_error)
