"""What every blueprint shares: the problem schema for OpenAPI, and the runtime accessor."""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any, TypeVar

from pydantic import BaseModel
from quart import current_app, request
from quart_schema import document_response, validate_request

from roa2web.runtime import Runtime

F = TypeVar("F", bound=Callable[..., Any])


class FieldError(BaseModel):
    """One validation failure."""

    loc: list[str]
    msg: str
    type: str


class ProblemOut(BaseModel):
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
            func = document_response(ProblemOut, code)(func)
        return func

    return decorator


def optional_json_body(model: type[BaseModel]) -> Callable[[F], F]:
    """The `validate_request(model)` of quart-schema, for a body whose every field is optional.

    An empty body (an action without a comment), whatever its content type, passes `data=model()`.
    Clients may then POST an action with no body at all rather than `{}`; a body that is sent
    is validated (and documented) as `validate_request` does it.
    """

    def decorator(func: F) -> F:
        validated = validate_request(model)(func)

        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not (await request.get_data()).strip():
                return await func(*args, data=model(), **kwargs)
            return await validated(*args, **kwargs)

        return update_wrapper(wrapper, validated)  # type: ignore[return-value]  # its OpenAPI attributes too

    return decorator


def runtime() -> Runtime:
    """The runtime of the app serving this request."""
    value: Runtime = current_app.extensions["roa2web"]
    return value
