"""One error type for the API, and the handlers that turn every failure into problem+json."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

import orjson
from quart import Quart, Response, request
from quart_schema import RequestSchemaValidationError
from werkzeug.exceptions import HTTPException

from roa2web.jobs.service import QueueUnavailable
from roa2web.ledger.base import LedgerError, LedgerUnavailable
from roa2web.logs import request_id_var

log = logging.getLogger("roa2web.errors")
PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://roa2web.local/problems/"
QUEUE_RETRY_AFTER_S = 10


class ApiError(Exception):
    """An error the client should see, rendered as RFC 7807 problem+json."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str | None = None,
        title: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind or _slug(status)
        self.title = title or HTTPStatus(status).phrase
        self.errors = errors
        self.headers = headers or {}


def _slug(status: int) -> str:
    return HTTPStatus(status).phrase.lower().replace(" ", "-").replace("'", "")


def problem_response(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    title: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Build a problem+json response carrying the request id."""
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (kind or _slug(status)),
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "request_id": request_id_var.get(),
    }
    if errors is not None:
        body["errors"] = errors
    response = Response(orjson.dumps(body), status=status, content_type=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _validation_errors(exc: RequestSchemaValidationError) -> list[dict[str, Any]]:
    inner = exc.validation_error
    if hasattr(inner, "errors"):
        return [
            {"loc": [str(part) for part in error["loc"]], "msg": error["msg"], "type": error["type"]}
            for error in inner.errors()
        ]
    return [{"loc": [], "msg": str(inner), "type": "value_error"}]


async def _on_api_error(exc: ApiError) -> Response:
    return problem_response(
        exc.status, exc.detail, kind=exc.kind, title=exc.title, errors=exc.errors, headers=exc.headers
    )


async def _on_validation_error(exc: RequestSchemaValidationError) -> Response:
    if request.method in {"POST", "PUT", "PATCH"} and request.mimetype not in {
        "application/json",
        "multipart/form-data",
        "application/x-www-form-urlencoded",
    }:
        return problem_response(
            415,
            f"expected application/json, got {request.mimetype or 'no content type'}",
            kind="unsupported-media-type",
        )
    return problem_response(
        400,
        "the request is not valid",
        kind="validation-error",
        title="Validation error",
        errors=_validation_errors(exc),
    )


async def _on_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    headers = {name: value for name, value in exc.get_headers() if name.lower() not in {"content-type"}}
    detail = {
        400: "the request could not be understood (malformed JSON or parameters)",
        404: f"no resource at {request.path}",
        405: f"{request.method} is not allowed on {request.path}",
        413: "the request body is too large",
        429: "too many requests; retry later",
    }.get(status, exc.description or HTTPStatus(status).phrase)
    return problem_response(status, detail, headers=headers)


async def _on_ledger_error(exc: LedgerError) -> Response:
    log.error("ledger failure on %s %s: %s", request.method, request.path, exc)
    if isinstance(exc, LedgerUnavailable):
        return problem_response(
            503,
            "the ledger is unavailable; try again shortly",
            kind="ledger-unavailable",
            headers={"Retry-After": "10"},
        )
    return problem_response(503, "the ledger could not answer this request", kind="ledger-error")


async def _on_queue_unavailable(exc: QueueUnavailable) -> Response:
    """Any door whose work could not be queued (report and receipt exports, OCR, job retries)."""
    log.error("queue unavailable on %s %s: %s", request.method, request.path, exc)
    return problem_response(
        503,
        "the task queue is unavailable, so the work was not accepted; try again shortly",
        kind="queue-unavailable",
        headers={"Retry-After": str(QUEUE_RETRY_AFTER_S)},
    )


async def _on_unexpected(exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return problem_response(500, "an internal error occurred; the request id identifies it in the logs")


def register_error_handlers(app: Quart) -> None:
    """Every error, expected or not, leaves as problem+json without internals."""
    app.register_error_handler(ApiError, _on_api_error)
    app.register_error_handler(RequestSchemaValidationError, _on_validation_error)
    app.register_error_handler(HTTPException, _on_http_exception)
    app.register_error_handler(LedgerError, _on_ledger_error)
    app.register_error_handler(QueueUnavailable, _on_queue_unavailable)
    app.register_error_handler(Exception, _on_unexpected)
