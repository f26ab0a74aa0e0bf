"""Memory hits of the report routes, answered at the ASGI level before Quart sees the request.

A report whose reply is in L1 needs nothing of the framework, yet through it most of the reply's
time was Quart's: request and context objects, routing, hooks and response handling. In-process
(scripts/bench/report_hit_inprocess.py) a bare Quart route returning the same bytes takes ~85 µs,
the report route ~1.4 times that, this layer ~15 µs. So for a GET of a report route this layer
does what the route does, with the same parts:

- the query string the route has validated before (`report_query` remembers its model),
- the bearer token, read by the auth gate's own reader (verified tokens are remembered),
- the company check, and the per-user limit counted as its gate counts it,
- the L1 entry and the reply's headers and 304 rule (`replies`).

Everything else goes on to Quart unchanged: a query string not seen yet, no token or an invalid
one, another company's report, an exhausted limit (checked before anything is counted; the gate
then refuses it), an L1 miss. Quart's route then answers, problems included. This layer therefore only
ever answers what the route would have answered; tests/blueprints/test_report_fast_path.py
compares the two for every route.

It sits inside the app's edge (request id, client address, security headers, added headers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from quart import Quart

from roa2web.auth.principal import Principal
from roa2web.blueprints.reports.query import remembered_queries
from roa2web.blueprints.reports.replies import JSON, add_cache_headers, is_not_modified
from roa2web.blueprints.reports.routes import REPORT_OF_ENDPOINT
from roa2web.cache import CacheOutcome
from roa2web.errors import ApiError
from roa2web.reports.params import ReportParams
from roa2web.reports.service import ReportService
from roa2web.web.guards import TokenAuth
from roa2web.web.limits import UserLimit

type Asgi = Any  # an ASGI callable: (scope, receive, send) -> None
_JSON = JSON.encode()


@dataclass(frozen=True, slots=True)
class FastRoute:
    """A report route as this layer serves it."""

    endpoint: str
    report: str
    remembered_query: Callable[[bytes], BaseModel | None]


class ReportFastPath:
    """ASGI middleware answering memory hits of the report routes; every other request goes to `app`."""

    def __init__(
        self, app: Asgi, routes: dict[str, FastRoute], *, auth: TokenAuth, limit: UserLimit, reports: ReportService
    ) -> None:
        self.app = app
        self.routes = routes  # by path
        self.auth = auth
        self.limit = limit
        self.reports = reports
        self.served = 0  # replies this layer gave (for tests and figures)

    async def __call__(self, scope: Any, receive: Asgi, send: Asgi) -> None:
        """Answer a memory hit of a report route, or pass the request on."""
        if scope["type"] == "http" and scope["method"] == "GET" and not scope.get("root_path"):
            route = self.routes.get(scope["path"])
            if route is not None and await self._answer(route, scope, send):
                self.served += 1
                return
        await self.app(scope, receive, send)

    async def _answer(self, route: FastRoute, scope: Any, send: Asgi) -> bool:
        query = route.remembered_query(scope["query_string"])
        principal = self._caller(scope["headers"])
        if not isinstance(query, ReportParams) or principal is None:
            return False
        params = query.arguments
        if not principal.may_see_company(params["company_id"]):
            return False
        if not self.limit.allows(route.endpoint, principal):  # the gate refuses it, with its 429
            return False
        entry = self.reports.get_from_memory(route.report, params)  # a hit is counted in the cache figures
        if entry is None:
            return False
        self.limit.admit(route.endpoint, principal)  # allowed a moment ago, with no await since
        add_cache_headers(entry, CacheOutcome.HIT_L1)
        if is_not_modified(entry, scope["headers"]):
            await send({"type": "http.response.start", "status": 304, "headers": []})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return True
        headers = [(b"content-type", _JSON), (b"content-length", str(len(entry.body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": entry.body, "more_body": False})
        return True

    def _caller(self, headers: list[tuple[bytes, bytes]]) -> Principal | None:
        for name, value in headers:
            if name == b"authorization":
                try:
                    return self.auth.principal(value.decode("latin-1"))
                except ApiError:
                    return None
        return None


def install_fast_path(app: Quart, reports: ReportService) -> None:
    """Answer memory hits of the report routes ahead of Quart. Call after the routes are registered
    and the gates installed, and before the app's edge (`install_request_context`) wraps the app."""
    auth, limit = app.extensions["roa2web.gates"]
    routes = {
        rule.rule: FastRoute(
            rule.endpoint, REPORT_OF_ENDPOINT[rule.endpoint], remembered_queries(app.view_functions[rule.endpoint])
        )
        for rule in app.url_map.iter_rules()
        if rule.endpoint in REPORT_OF_ENDPOINT and "GET" in (rule.methods or ()) and not rule.arguments
    }
    layer = ReportFastPath(app.asgi_app, routes, auth=auth, limit=limit, reports=reports)
    app.asgi_app = layer  # type: ignore[method-assign]
    app.extensions["roa2web.report_fast_path"] = layer
