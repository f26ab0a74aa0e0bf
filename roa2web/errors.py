"""The handlers that turn every failure into problem+json.

One for every `Problem` (its class says status, type and title), and the framework's own:
request validation, HTTP errors, the unexpected. These become the generic Problem of their status,
so a client reads the same Romanian titles whatever raised them; logs stay English.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

import orjson
from pydantic import ValidationError
from quart import Quart, Response, current_app, request
from quart_schema import DataSource, RequestSchemaValidationError
from quart_schema.validation import (
    QUART_SCHEMA_REQUEST_ATTRIBUTE,
    QuerystringValidationError,
    RequestHeadersValidationError,
)
from werkzeug.exceptions import HTTPException

from roa2web.logs import request_id_var
from roa2web.problems import (
    PROBLEM_JSON,
    BadRequest,
    Conflict,
    FieldError,
    Forbidden,
    Gone,
    InsufficientStorage,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    Problem,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
    UnsupportedMediaType,
    ValidationFailed,
    disk_full,
    problem_document,
)
from roa2web.validation_messages import FALLBACK, field_errors

log = logging.getLogger("roa2web.errors")

GENERIC_PROBLEMS: dict[int, type[Problem]] = {
    problem.status: problem
    for problem in (BadRequest, Unauthorized, Forbidden, NotFound, MethodNotAllowed, Conflict, Gone,
                    PayloadTooLarge, UnsupportedMediaType, TooManyRequests, Problem, ServiceUnavailable,
                    InsufficientStorage)
}
_FORMS = {"multipart/form-data", "application/x-www-form-urlencoded"}


def generic_problem(status: int) -> type[Problem]:
    """The generic Problem class of an HTTP status (a 4xx without its own: BadRequest; a 5xx: Problem)."""
    return GENERIC_PROBLEMS.get(status) or (BadRequest if 400 <= status < 500 else Problem)


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
    """Build a problem+json response carrying the request id; the title defaults to the status's generic one."""
    body = problem_document(kind=kind or _slug(status), title=title or generic_problem(status).title, status=status,
                            detail=detail, request_id=request_id_var.get(), errors=errors)
    response = Response(orjson.dumps(body), status=status, content_type=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _render(problem: Problem) -> Response:
    return problem_response(problem.status, problem.client_detail, kind=problem.kind, title=problem.title,
                            errors=problem.errors, headers=problem.headers)


async def _on_problem(problem: Problem) -> Response:
    if problem.public_detail is not None or problem.status == 500:  # the client does not read the message
        log.error("%s on %s %s: %s", type(problem).__name__, request.method, request.path, problem.detail)
    return _render(problem)


def _validation_errors(exc: RequestSchemaValidationError) -> list[FieldError]:
    inner = exc.validation_error
    if isinstance(inner, ValidationError):
        return field_errors(inner)
    log.info("request validation failed on %s %s: %s", request.method, request.path, inner)
    return [FieldError((), FALLBACK, "value_error")]


def _expected_body() -> DataSource | None:
    """The body the matched view reads (JSON, a form), or None when it reads none."""
    function = current_app.view_functions.get(request.endpoint or "")
    declared = getattr(function, QUART_SCHEMA_REQUEST_ATTRIBUTE, None)
    return declared[1] if declared is not None else None


def _wrong_media_type() -> UnsupportedMediaType | None:
    """A 415 when the body is not in the format the route reads (e.g. a form posted to a JSON route)."""
    expected = _expected_body()
    got = request.mimetype or "fără tip de conținut"
    if expected == DataSource.JSON and not request.is_json:
        return UnsupportedMediaType(
            f"Datele trebuie trimise ca JSON, cu antetul Content-Type: application/json (au sosit: {got})."
        )
    if expected in {DataSource.FORM, DataSource.FORM_MULTIPART} and request.mimetype not in _FORMS:
        return UnsupportedMediaType(f"Datele trebuie trimise ca formular, multipart/form-data (au sosit: {got}).")
    return None


async def _on_validation_error(exc: RequestSchemaValidationError) -> Response:
    if not isinstance(exc, QuerystringValidationError | RequestHeadersValidationError):
        wrong = _wrong_media_type()
        if wrong is not None:
            return _render(wrong)
    detail = ("Parametrii adresei nu sunt valizi" if isinstance(exc, QuerystringValidationError)
              else "Datele trimise nu sunt valide")
    return _render(ValidationFailed(f"{detail}; fiecare câmp greșit este explicat.", errors=_validation_errors(exc)))


def _http_detail(status: int) -> str:
    details = {
        400: "Cererea nu a putut fi înțeleasă (JSON sau parametri greșiți).",
        404: f"Nu există nicio resursă la adresa {request.path}.",
        405: f"Metoda {request.method} nu este permisă pentru {request.path}.",
        413: "Corpul cererii este prea mare.",
        429: "Prea multe cereri într-un timp scurt; încercați din nou mai târziu.",
    }
    if status in details:
        return details[status]
    return "Serverul nu a putut îndeplini cererea." if status >= 500 else "Cererea nu poate fi îndeplinită."


async def _on_http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    headers = {name: value for name, value in exc.get_headers() if name.lower() not in {"content-type"}}
    return problem_response(status, _http_detail(status), headers=headers)


async def _on_unexpected(exc: Exception) -> Response:
    if disk_full(exc):  # the operator's problem, not a defect: one clear line, a 507 the client understands
        log.error("disk full on %s %s: %s", request.method, request.path, exc)
        return _render(InsufficientStorage(
            "Discul serverului (dosarul de date sau cel de fișiere) este plin; nimic din această cerere nu a fost "
            "salvat. Încercați din nou după ce administratorul face loc pe disc."))
    log.exception("unhandled error on %s %s", request.method, request.path)
    return problem_response(500, "A apărut o eroare internă; identificatorul cererii (request_id) o regăsește "
                                 "în jurnale.")


def register_error_handlers(app: Quart) -> None:
    """Every error, expected or not, leaves as problem+json without internals."""
    app.register_error_handler(Problem, _on_problem)
    app.register_error_handler(RequestSchemaValidationError, _on_validation_error)
    app.register_error_handler(HTTPException, _on_http_exception)
    app.register_error_handler(Exception, _on_unexpected)
