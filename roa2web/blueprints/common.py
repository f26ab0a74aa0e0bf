"""What every blueprint shares: the problem schema for OpenAPI, and the runtime accessor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel
from quart import current_app
from quart_schema import document_response

from roa2web.runtime import Runtime

F = TypeVar("F", bound=Callable[..., Any])


class FieldError(BaseModel):
    """One validation failure."""

    loc: list[str]
    msg: str
    type: str


class Problem(BaseModel):
    """RFC 7807 problem details, as every error is returned."""

    type: str
    title: str
    status: int
    detail: str
    request_id: str
    errors: list[FieldError] | None = None


def problems(*status_codes: int) -> Callable[[F], F]:
    """Document that a route may answer these statuses with problem+json."""

    def decorator(func: F) -> F:
        for code in status_codes:
            func = document_response(Problem, code)(func)
        return func

    return decorator


def runtime() -> Runtime:
    """The runtime of the app serving this request."""
    value: Runtime = current_app.extensions["roa2web"]
    return value
