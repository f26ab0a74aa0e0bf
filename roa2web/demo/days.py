"""Calendar helpers: the months of the demo window, business days, month ends."""

from __future__ import annotations

import calendar
import datetime as dt


def month_end(year: int, month: int) -> dt.date:
    """The last calendar day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def business_days(year: int, month: int) -> list[dt.date]:
    """Monday-to-Friday days of a month, in order."""
    last = calendar.monthrange(year, month)[1]
    days = (dt.date(year, month, day) for day in range(1, last + 1))
    return [day for day in days if day.weekday() < 5]


def business_day_from(year: int, month: int, day: int) -> dt.date:
    """The first business day on or after `day` of the month (the last one if none is left)."""
    days = business_days(year, month)
    return next((d for d in days if d.day >= day), days[-1])


def next_business_day(day: dt.date) -> dt.date:
    """`day` itself on Monday to Friday, else the following Monday."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


type YearMonth = tuple[int, int]


def months_until(until: YearMonth, months: int) -> list[YearMonth]:
    """(year, month) pairs of the `months` consecutive months ending with `until`, oldest first."""
    last = until[0] * 12 + until[1] - 1
    return [(index // 12, index % 12 + 1) for index in range(last - months + 1, last + 1)]
