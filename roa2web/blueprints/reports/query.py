"""`report_query(Model)`: quart-schema's `validate_querystring`, lighter, for the report hot path.

Same contract: the query string validated into `Model`, passed as `query_args`; a failure raises
quart-schema's QuerystringValidationError (so the app's handler answers the same 400 problem
with field errors) and the model is documented in OpenAPI by `document_querystring`. What it
saves per request (~25 µs of ~220 µs in-process, measured with the report served from L1):
quart-schema reads `request.args` through the request proxy up to three times per key, looks
up two config values and builds a pydantic TypeAdapter on every call; this reads the arguments
once and calls the model's own validator.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from pydantic import BaseModel, ValidationError
from quart import request
from quart_schema import document_querystring
from quart_schema.validation import QuerystringValidationError


def report_query[M: BaseModel](
    model: type[M],
) -> Callable[[Callable[..., Awaitable[Any]]], Callable[..., Awaitable[Any]]]:
    """Validate the query string into `model` (a repeated key becomes a list) and pass it as `query_args`."""

    def decorator(func: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        @wraps(func)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            data = {key: values[0] if len(values) == 1 else values for key, values in request.args.lists()}
            try:
                query = model.model_validate(data)
            except ValidationError as error:
                raise QuerystringValidationError(error) from error
            return await func(*args, query_args=query, **kwargs)

        return document_querystring(model)(wrapper)

    return decorator
