"""Turning a cached report into an HTTP reply, and report failures into problem+json.

The body is the cached bytes as they are: no JSON work on a hit. Every reply (200 or 304) says
where it came from (X-Cache), how old it is (X-Cache-Age, whole seconds), its ETag and
`Cache-Control: private` (per user; shared caches must not keep it).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from quart import Response, request

from roa2web.cache import CachedResponse, CacheOutcome
from roa2web.errors import problem_response
from roa2web.ledger.base import LedgerError, LedgerUnavailable
from roa2web.reports.errors import ReportParameterError
from roa2web.web.request_context import add_response_headers

log = logging.getLogger("roa2web.blueprints.reports")
JSON = "application/json"
_OUTCOME_BYTES = {outcome: outcome.value.encode() for outcome in CacheOutcome}


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match value (`*`, or a list of tags, weak ones included) names `etag` (quoted)."""
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


def if_none_match(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    """The If-None-Match of a request's raw ASGI headers (repeated fields joined), or None.

    Read from the raw headers: werkzeug's lookup of an absent header raises and catches an
    exception (~2.5 µs), and absent is the common case.
    """
    values = [value for name, value in headers if name == b"if-none-match"]
    return b",".join(values).decode("latin-1") if values else None


def is_not_modified(entry: CachedResponse, headers: Iterable[tuple[bytes, bytes]]) -> bool:
    """Whether the request's If-None-Match names `entry`, so the reply is a 304."""
    client_tags = if_none_match(headers)
    return client_tags is not None and etag_matches(client_tags, f'"{entry.etag}"')


def add_cache_headers(entry: CachedResponse, outcome: CacheOutcome) -> None:
    """ETag, X-Cache, X-Cache-Age and Cache-Control for this reply, 200 or 304.

    Known here and final, so they go to the app's edge as bytes (`add_response_headers`) rather
    than through werkzeug's validated header list.
    """
    add_response_headers((
        (b"etag", f'"{entry.etag}"'.encode()),
        (b"x-cache", _OUTCOME_BYTES[outcome]),
        (b"x-cache-age", str(int(entry.age_s)).encode()),
        (b"cache-control", b"private"),
    ))


def cached_reply(found: tuple[CachedResponse, CacheOutcome]) -> Response:
    """200 with the cached bytes, or 304 when the client's If-None-Match names them."""
    entry, outcome = found
    add_cache_headers(entry, outcome)
    if is_not_modified(entry, request.scope["headers"]):
        not_modified = Response(b"", status=304)
        for describes_a_body in ("Content-Type", "Content-Length"):  # werkzeug's defaults; a 304 has no body
            del not_modified.headers[describes_a_body]
        return not_modified
    return Response(entry.body, status=200, content_type=JSON)


async def on_parameter_error(error: ReportParameterError) -> Response:
    """400 naming the parameter a report refused (a check across fields, an unknown cursor...)."""
    return problem_response(
        400,
        f"the report cannot be built with these parameters: {error}",
        kind="validation-error",
        title="Validation error",
        errors=[{"loc": [error.field], "msg": error.message, "type": "value_error"}],
    )


async def on_ledger_error(error: LedgerError) -> Response:
    """503 when the ledger failed and no copy of the report, fresh or expired, is cached."""
    log.error("report %s failed and nothing is cached: %s", request.path, error)
    if isinstance(error, LedgerUnavailable):
        detail = "the ledger (ROA) is unavailable and this report has not been cached yet; try again shortly"
        kind = "ledger-unavailable"
    else:
        detail = "the ledger (ROA) could not compute this report and no cached copy exists; try again shortly"
        kind = "ledger-error"
    return problem_response(503, detail, kind=kind, title="Report unavailable", headers={"Retry-After": "10"})
