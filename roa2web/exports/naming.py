"""Romanian file names for exports: 'balanta-de-verificare_ALFA-COMERT_2025-01-03.xlsx'."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from roa2web.exports.numbers import format_value
from roa2web.reports.columns import month_label, months_label

_LEGAL_FORMS = {"SRL", "SA", "SRL-D", "SNC", "SCS", "PFA", "II", "IF", "RA", "SCA"}


def ascii_fold(text: str) -> str:
    """'Balanța de verificare' → 'Balanta de verificare' (ș ț ă î â and cedilla forms too)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def slug(text: str, *, upper: bool = False) -> str:
    """ASCII words joined by '-' ('Balanța de verificare' → 'balanta-de-verificare')."""
    words = re.findall(r"[A-Za-z0-9]+", ascii_fold(text))
    joined = "-".join(words)
    return joined.upper() if upper else joined.lower()


def company_slug(name: str) -> str:
    """'ALFA COMERT S.R.L.' → 'ALFA-COMERT' (legal form dropped)."""
    words = re.findall(r"[A-Za-z0-9.\-]+", ascii_fold(name))
    while words and words[-1].replace(".", "").upper() in _LEGAL_FORMS:
        words.pop()
    return slug(" ".join(words) or name, upper=True)


def period_slug(params: Mapping[str, Any], today: dt.date) -> str:
    """The period of a report's parameters: '2025-01-03' (months 1–3), '2025-03', or a date range."""
    year = params.get("year")
    if year and params.get("month_from") and params.get("month_to"):
        first, last = int(params["month_from"]), int(params["month_to"])
        return f"{year}-{first:02d}" if first == last else f"{year}-{first:02d}-{last:02d}"
    if year and params.get("month"):
        return f"{year}-{int(params['month']):02d}"
    date_from, date_to = params.get("date_from"), params.get("date_to")
    if date_from and date_to:
        return f"{date_from}_{date_to}"
    if params.get("as_of"):
        return str(params["as_of"])
    return today.isoformat()


def period_label(params: Mapping[str, Any]) -> str:
    """The period of a report's parameters in words, as the exports' headers word it.

    'martie 2025', 'ianuarie 2025 – martie 2025', '01.03.2025 – 15.03.2025' (a range of whole months
    reads as months), 'la 31.12.2025'; '' when the parameters name no period or name it wrongly.
    """
    try:
        year = params.get("year")
        if year and params.get("month_from") and params.get("month_to"):
            return months_label(int(year), int(params["month_from"]), int(params["month_to"]))
        if year and params.get("month"):
            return month_label(int(year), int(params["month"]))
        date_from, date_to, as_of = (_day(params.get(key)) for key in ("date_from", "date_to", "as_of"))
    except (TypeError, ValueError, IndexError):
        return ""
    if date_from and date_to:
        return days_label(date_from, date_to)
    if date_from:
        return f"de la {format_value(date_from)}"
    if date_to:
        return f"până la {format_value(date_to)}"
    return f"la {format_value(as_of)}" if as_of else ""


def days_label(date_from: dt.date, date_to: dt.date) -> str:
    """'01.03.2025 – 15.03.2025'; whole months of one year as 'martie 2025' or 'ianuarie 2025 – martie 2025'."""
    whole_months = (date_from.day == 1 and date_from.year == date_to.year and date_from <= date_to
                    and (date_to + dt.timedelta(days=1)).day == 1)
    if whole_months:
        return months_label(date_from.year, date_from.month, date_to.month)
    return f"{format_value(date_from)} – {format_value(date_to)}"


def _day(value: Any) -> dt.date | None:
    """A parameter's day (a date or ISO text), None when it has none."""
    if value is None or value == "":
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def export_filename(title: str, company: str, params: Mapping[str, Any], fmt: str, *, today: dt.date) -> str:
    """'balanta-de-verificare_ALFA-COMERT_2025-01-03.xlsx'."""
    return f"{slug(title)}_{company_slug(company)}_{period_slug(params, today)}.{fmt}"


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII fallback and the exact name in filename* (RFC 6266)."""
    fallback = ascii_fold(filename).encode("ascii", "ignore").decode() or "export"
    fallback = fallback.replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
