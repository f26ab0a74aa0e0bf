"""The handlers that turn every failure into problem+json.

One for every `Problem` (its class says status, type and title), and the framework's own:
request validation, HTTP errors, the unexpected.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

import orjson
from quart import Quart, Response, request
from quart_schema import RequestSchemaValidationError
from werkzeug.exceptions import HTTPException

from roa2web.logs import request_id_var
from roa2web.problems import FieldError, Problem

log = logging.getLogger("roa2web.errors")
PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://roa2web.local/problems/"


def _slug(status: int) -> str:
    return HTTPStatus(status).phrase.lower().replace(" ", "-").replace("'", "")


def problem_response(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    title: str | None = None,
    errors: list[FieldError] | None = None,
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
        body["errors"] = [error.to_dict() for error in errors]
    response = Response(orjson.dumps(body), status=status, content_type=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _validation_errors(exc: RequestSchemaValidationError) -> list[FieldError]:
    inner = exc.validation_error
    if hasattr(inner, "errors"):
        return [
            FieldError(tuple(str(part) for part in error["loc"]), error["msg"], error["type"])
            for error in inner.errors()
        ]
    return [FieldError((), str(inner), "value_error")]


async def _on_problem(problem: Problem) -> Response:
    if problem.public_detail is not None or problem.status == 500:  # the client does not read the message
        log.error("%s on %s %s: %s", type(problem).__name__, request.method, request.path, problem.detail)
    return problem_response(
        problem.status,
        problem.client_detail,
        kind=problem.kind,
        title=problem.title,
        errors=problem.errors,
        headers=problem.headers,
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


async def _on_unexpected(exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return problem_response(500, "an internal error occurred; the request id identifies it in the logs")


def register_error_handlers(app: Quart) -> None:
    """Every error, expected or not, leaves as problem+json without internals."""
    app.register_error_handler(Problem, _on_problem)
    app.register_error_handler(RequestSchemaValidationError, _on_validation_error)
    app.register_error_handler(HTTPException, _on_http_exception)
    app.register_error_handler(Exception, _on_unexpected)
