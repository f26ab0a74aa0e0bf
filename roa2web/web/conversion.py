"""Views that return a ready Response skip quart-schema's return-value conversion.

QuartSchema wraps `app.make_response` so a view may return pydantic models or dataclasses; it
then inspects every return value, a Response included, and reads three config values for it
(~5 µs a request, measured on a cached report). A Response needs none of that: it goes straight
to Quart's own `make_response`; every other value still gets quart-schema's conversion.
"""

from __future__ import annotations

from types import MethodType
from typing import Any

from quart import Quart, Response


def skip_conversion_of_responses(app: Quart) -> None:
    """Install after QuartSchema(app): Responses bypass its conversion, everything else keeps it."""
    converting = app.make_response  # quart-schema's wrapper around Quart's
    plain = MethodType(Quart.make_response, app)

    async def make_response(result: Any) -> Any:
        if isinstance(result, Response):
            return await plain(result)
        return await converting(result)

    app.make_response = make_response  # type: ignore[method-assign]
