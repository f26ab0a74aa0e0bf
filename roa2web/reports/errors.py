"""The domain error for report parameters, and the small checks every builder shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from roa2web.problems import FieldError, ValidationFailed

PARAMETER_LABELS = {
    "company_id": "firma",
    "year": "anul",
    "month": "luna",
    "month_from": "luna de început",
    "month_to": "luna de sfârșit",
    "date_from": "data de început",
    "date_to": "data de sfârșit",
    "as_of": "data de referință",
    "kind": "tipul facturilor",
    "status": "starea facturilor",
    "partner_id": "partenerul",
    "basis": "baza de calcul a vechimii",
    "level": "nivelul conturilor",
    "account_prefix": "prefixul de cont",
    "hide_zero": "ascunderea conturilor fără sume",
    "limit": "numărul de rânduri pe pagină",
    "cursor": "pagina următoare (cursor)",
}  # how a person reads a report parameter


def parameter_label(field: str) -> str:
    """The Romanian name of a report parameter (the API name itself when it has none)."""
    return PARAMETER_LABELS.get(field, field)


def _naming(field: str, message: str) -> str:
    """The message as the end of a sentence, led by the parameter's name unless it already names it."""
    label = parameter_label(field)
    lowered = message[:1].lower() + message[1:]
    return lowered if lowered.startswith(label) else f"{label} — {lowered}"


class ReportParameterError(ValidationFailed, ValueError):
    """A report was asked with parameters it cannot honour (400, naming the field).

    Still a ValueError, so a pydantic validator that raises it reports a validation error.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(
            f"Raportul nu poate fi întocmit: {_naming(field, message)}.",
            errors=[FieldError((field,), message, "value_error")],
        )
        self.field = field
        self.message = message


def check_choice(field: str, value: Any, choices: Collection[str]) -> str:
    """`value` when it is one of `choices`, else ReportParameterError."""
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ReportParameterError(field, f"Trebuie să fie una dintre valorile: {allowed} (nu {value!r})")
    return str(value)


def check_month(field: str, month: Any) -> int:
    """A month number 1..12."""
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise ReportParameterError(field, f"Trebuie să fie o lună între 1 și 12 (nu {month!r})")
    return month


def check_year(field: str, year: Any) -> int:
    """A plausible fiscal year."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise ReportParameterError(field, f"Trebuie să fie un an între 1900 și 9999 (nu {year!r})")
    return year


def check_positive_id(field: str, value: Any) -> int:
    """A positive integer id."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ReportParameterError(field, f"Trebuie să fie un număr întreg pozitiv (nu {value!r})")
    return value


def check_date(field: str, value: Any) -> dt.date:
    """A calendar date in a plausible fiscal year, 1900..9999 as for check_year.

    A datetime is refused (reports work on whole days); 0001-01-01 would overflow the aging's
    cut-offs 90 days earlier.
    """
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ReportParameterError(field, f"Trebuie să fie o dată calendaristică (nu {value!r})")
    if not 1900 <= value.year <= 9999:
        day = f"{value.day:02d}.{value.month:02d}.{value.year:04d}"  # %Y gives "1", not "0001", on glibc
        raise ReportParameterError(field, f"Trebuie să fie o dată din anii 1900–9999 (nu {day})")
    return value


def check_date_order(date_from: dt.date, date_to: dt.date) -> None:
    """ReportParameterError (on date_from) when the range starts after it ends."""
    if date_from > date_to:
        raise ReportParameterError(
            "date_from", f"Data de început {date_from:%d.%m.%Y} este după data de sfârșit {date_to:%d.%m.%Y}"
        )
