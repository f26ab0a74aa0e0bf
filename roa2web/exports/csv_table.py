"""CSV as Romanian Excel opens it: UTF-8 with a BOM, `;` between fields, decimal comma.

Excel set to Romanian reads `;` as the separator and `,` as the decimal mark, and needs the BOM to
take the file as UTF-8 (diacritics). One header row (the Romanian column labels), the rows, then
the totals row. Money has its two decimals (`-1234,50`, no thousands mark, as the XLSX number),
dates are dd.mm.yyyy, text goes through `cells.neutralized` (never a formula). Rows are written
as they are read, so memory stays flat.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from roa2web.exports.cells import neutralized
from roa2web.exports.document import ExportDocument

PROGRESS_EVERY = 2000
ProgressCallback = Callable[[int, int], None]  # (rows written, rows expected)


def csv_value(value: Any, kind: str) -> str:
    """One field: money '1234,50', integers plain, dates '31.03.2025', text neutralized, None empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return str(neutralized(value))
    if isinstance(value, bool):
        return "da" if value else "nu"
    if isinstance(value, Decimal) or kind == "money":
        amount = value if isinstance(value, Decimal) else Decimal(value)
        return format(amount.quantize(Decimal("0.01")) if kind == "money" else amount, "f").replace(".", ",")
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return str(value)


def write_csv(document: ExportDocument, path: Path, progress: ProgressCallback | None = None) -> None:
    """Write `document`'s table to `path` (.csv), reading its rows once; `progress(done, expected)` every 2,000."""
    kinds = [column.kind for column in document.columns]
    expected = document.rows_expected() or 0
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow([neutralized(column.label) for column in document.columns])
        for values in document.rows:
            writer.writerow([csv_value(value, kind) for value, kind in zip(values, kinds, strict=True)])
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count, max(expected, count))
        totals = document.totals_row()
        if totals is not None:
            if totals and totals[0] is None:
                totals[0] = "TOTAL"
            writer.writerow([csv_value(value, kind) for value, kind in zip(totals, kinds, strict=True)])
    if progress is not None:
        progress(count, max(expected, count))
