"""What an integer from a client may be: what the databases store, a signed 64-bit integer.

SQLite, PostgreSQL and orjson refuse anything wider, and past the door such a value is a 500
(`OverflowError` from the driver), so every integer a request carries is bounded where it is
declared: `Int64` for any integer, `Id64` for an id (positive). Its bounds are in the OpenAPI
document (`minimum`, `maximum`), and a value outside them is a 400 with the field named.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
Id64 = Annotated[int, Field(gt=0, le=INT64_MAX)]
