"""What an integer from a client may be: what the databases store, a signed 64-bit integer.

SQLite, PostgreSQL and orjson refuse anything wider, and past the door such a value is a 500
(`OverflowError` from the driver), so every integer a request carries is bounded where it is
declared: `Int64` for any integer, `Id64` for an id (positive). Its bounds are in the OpenAPI
document (`minimum`, `maximum`), and a value outside them is a 400 with the field named.

`true` and `false` are not integers either: pydantic's lax `int` reads them as 1 and 0 (so
`{"company_id": false}` queued an export for company 0); here they fail as `int_type`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)



def _not_a_bool(value: object) -> object:
    """The value, unless it is `true`/`false` (an `int_type` error: a boolean is not a number)."""
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX), BeforeValidator(_not_a_bool)]
Id64 = Annotated[int, Field(gt=0, le=INT64_MAX), BeforeValidator(_not_a_bool)]
