"""The general journal (registrul-jurnal): every line posted in a month range, in the order it was recorded.

Export only: a year of a busy company is 100,000 lines and more, so it is read from the ledger's
cursor a batch at a time (`journal_stream`) and the debit and credit totals are summed on the way.
Each line is one simple entry (one debit account, one credit account), so its amount is both its
debit and its credit sum, and the two totals are equal. `journal` builds the whole result, for
callers that want it in memory (small ranges).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from roa2web.ledger.base import STREAM_BATCH_ROWS, Ledger, Row, as_date
from roa2web.reports.columns import journal_facts
from roa2web.reports.errors import ReportParameterError, check_month, check_positive_id, check_year
from roa2web.reports.money import to_money
from roa2web.reports.streaming import ReportStream, RunningSums

# Romanian names of the ledger's document types; a type ROA adds later is shown as its code.
DOC_TYPES = {
    "SALE": "Factură emisă",
    "PURCHASE": "Factură primită",
    "RECEIPT": "Bon fiscal",
    "ADVANCE": "Decont de avans",
    "COLLECTION": "Încasare",
    "PAYMENT": "Plată",
    "BANK": "Extras bancar",
    "TRANSFER": "Transfer de numerar",
    "FX": "Reevaluare valutară",
    "PAYROLL": "Stat de salarii",
    "TAX": "Plată taxe și impozite",
    "CLOSING": "Închidere de lună",
}


@dataclass(frozen=True, slots=True)
class JournalLine:
    """One line of the journal; `number` counts from 1 in the listed range."""

    number: int
    line_id: int
    doc_date: dt.date
    period_month: int
    doc_type: str
    doc_number: str
    description: str
    debit_account: str
    credit_account: str
    debit: Decimal
    credit: Decimal
    partner_name: str | None
    partner_cif: str | None


@dataclass(frozen=True, slots=True)
class JournalTotals:
    """Lines listed and their debit and credit sums (equal)."""

    count: int
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True, slots=True)
class Journal:
    """The journal of one company for months month_from..month_to of year, whole."""

    company_id: int
    year: int
    month_from: int
    month_to: int
    lines: list[JournalLine]
    totals: JournalTotals


def _binds(company_id: int, year: int, month_from: int, month_to: int) -> dict[str, int]:
    check_positive_id("company_id", company_id)
    check_year("year", year)
    check_month("month_from", month_from)
    check_month("month_to", month_to)
    if month_from > month_to:
        raise ReportParameterError("month_from",
                                   f"Luna de început ({month_from}) este după luna de sfârșit ({month_to})")
    return {"company_id": company_id, "fiscal_year": year, "month_from": month_from, "month_to": month_to}


def _line(number: int, row: Row) -> JournalLine:
    amount = to_money(int(row["amount_bani"]))
    doc_type = str(row["doc_type"])
    return JournalLine(
        number=number,
        line_id=int(row["line_id"]),
        doc_date=as_date(row["doc_date"]),
        period_month=int(row["period_month"]),
        doc_type=DOC_TYPES.get(doc_type, doc_type),
        doc_number=str(row["doc_number"]),
        description=str(row["description"] or ""),
        debit_account=str(row["debit_account"]),
        credit_account=str(row["credit_account"]),
        debit=amount,
        credit=amount,
        partner_name=row["partner_name"],
        partner_cif=row["partner_cif"],
    )


async def journal_stream(
    ledger: Ledger, company_id: int, year: int, month_from: int, month_to: int, *,
    batch_rows: int = STREAM_BATCH_ROWS,
) -> ReportStream:
    """The journal as a stream: lines a ledger batch at a time, totals summed as they pass."""
    binds = _binds(company_id, year, month_from, month_to)
    counted = await ledger.fetch("reports.journal_count", **binds)
    expected = int(counted[0]["line_count"])
    sums = RunningSums("amount")

    async def batches() -> AsyncIterator[Sequence[JournalLine]]:
        async for rows in ledger.stream("reports.journal", batch_rows=batch_rows, **binds):
            lines = []
            for row in rows:
                sums.add(amount=int(row["amount_bani"]))
                lines.append(_line(sums.count, row))
            yield lines
        sums.finished = True

    def totals() -> JournalTotals:
        amount = to_money(sums["amount"])
        return JournalTotals(sums.count, amount, amount)

    facts = journal_facts(year, month_from, month_to, expected)
    return ReportStream(facts, expected, batches(), totals)


async def journal(ledger: Ledger, company_id: int, year: int, month_from: int, month_to: int) -> Journal:
    """The whole journal in memory (the stream, collected)."""
    stream = await journal_stream(ledger, company_id, year, month_from, month_to)
    lines = [line async for batch in stream.batches for line in batch]
    return Journal(company_id, year, month_from, month_to, lines, cast(JournalTotals, stream.totals()))
