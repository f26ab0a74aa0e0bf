"""What every spreadsheet and CSV the app writes puts in a cell: text never becomes a formula.

A name or number typed by a user or read from the ledger (a supplier called `=HYPERLINK(...)`) must
stay text in Excel and LibreOffice. OWASP's rule for CSV injection: a text cell that starts with
`=`, `+`, `-`, `@`, tab or carriage return gets a single quote in front. In XLSX such a cell is also
written as a string, never a formula. Numbers, dates and amounts keep their types, so a negative
amount stays a number; only text is touched.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_ERROR_VALUES = frozenset(ERROR_CODES)


def neutralized(value: Any) -> Any:
    """`value` as a cell may hold it: text a spreadsheet would run gets a leading quote; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_field(value: Any) -> str:
    """One CSV field: text neutralized; numbers plain (Decimal with its own decimals), dates ISO, None empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return str(neutralized(value))
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (int, float, dt.date)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    raise TypeError(f"no CSV form for {type(value).__name__}")


def csv_row(values: Any) -> list[str]:
    """A row of CSV fields (see `csv_field`)."""
    return [csv_field(value) for value in values]


def xlsx_value(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """What to append to a write-only sheet for `value`: text neutralized, always a string cell; others as they are.

    openpyxl takes a string starting with `=` for a formula (neutralized text never does) and
    `#N/A` and its kin for error values: those get an explicit string cell.
    """
    value = neutralized(value)
    if isinstance(value, str) and value in _ERROR_VALUES:
        return xlsx_cell(sheet, value)
    return value


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell:
    """A cell holding `value`, text neutralized and kept a string (for cells that get a style)."""
    cell = WriteOnlyCell(sheet, value=neutralized(value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
