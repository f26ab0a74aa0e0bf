"""Calendar dates as the API reads them (`YYYY-MM-DD` text, never a number), and the firm's today.

The firms are Romanian: their day is Europe/Bucharest's, whatever zone the server's clock is set
to. `today()` is that day; the SPA's default dates use the same zone (frontend period.ts).

pydantic's lax `date` also takes a Unix timestamp (`0`, `"0"`, `0.0` → 1970-01-01, `86400` →
1970-01-02) and a midnight datetime text; a client that sends one of those sent a mistake, not a
day. `IsoDate` lets through only a date or a `YYYY-MM-DD` text (then parsed as pydantic does, so
2025-02-30 is still refused); anything else fails as `date_parsing`, whose Romanian message the
client reads in the 400 problem's field errors.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

FIRM_ZONE = ZoneInfo("Europe/Bucharest")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _only_a_day(value: object) -> object:
    """The value when it is a date or `YYYY-MM-DD` text; a `date_parsing` error otherwise."""
    if isinstance(value, dt.date) or (isinstance(value, str) and _DAY.fullmatch(value)):
        return value
    raise PydanticCustomError("date_parsing", "Input should be a date as YYYY-MM-DD text")


IsoDate = Annotated[dt.date, BeforeValidator(_only_a_day)]


def today(now: dt.datetime | None = None) -> dt.date:
    """The firm's today: the date in Europe/Bucharest at `now` (the clock's when None, an aware datetime)."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(FIRM_ZONE).date()
