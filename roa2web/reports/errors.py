"""The domain error for report parameters, and the small checks every builder shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from roa2web.problems import FieldError, ValidationFailed


class ReportParameterError(ValidationFailed, ValueError):
    """A report was asked with parameters it cannot honour (400, naming the field).

    Still a ValueError, so a pydantic validator that raises it reports a validation error.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(
            f"the report cannot be built with these parameters: {field}: {message}",
            errors=[FieldError((field,), message, "value_error")],
        )
        self.field = field
        self.message = message


def check_choice(field: str, value: Any, choices: Collection[str]) -> str:
    """`value` when it is one of `choices`, else ReportParameterError."""
    if value not in choices:
        raise ReportParameterError(field, f"must be one of {', '.join(sorted(choices))}, not {value!r}")
    return str(value)


def check_month(field: str, month: Any) -> int:
    """A month number 1..12."""
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise ReportParameterError(field, f"must be a month number 1..12, not {month!r}")
    return month


def check_year(field: str, year: Any) -> int:
    """A plausible fiscal year."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ReportParameterError(field, f"must be a year 1900..9999, not {year!r}")
    return year


def check_positive_id(field: str, value: Any) -> int:
    """A positive integer id."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ReportParameterError(field, f"must be a positive integer, not {value!r}")
    return value


def check_date(field: str, value: Any) -> dt.date:
    """A calendar date (a datetime is refused: reports work on whole days)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ReportParameterError(field, f"must be a date, not {value!r}")
    return value
