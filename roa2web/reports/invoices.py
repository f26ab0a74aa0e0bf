"""Sales and purchase invoices with what was paid on them up to a date, a page at a time.

Order: (issue_date, invoice_id), stable. Pagination is keyset: `next_cursor` is an opaque
string (URL-safe base64 of the last item's issue date and id) to pass back as `cursor`;
it is None on the last page. Payments count only when dated up to `as_of` (default: today),
and invoices issued after `as_of` are left out. Status: 'unpaid' balance > 0, 'overdue'
balance > 0 and due before `as_of`, 'paid' balance <= 0, 'all'. `totals` cover the whole
filtered set, not the page. days_overdue = as_of - due_date for an open invoice past its
due date, else 0.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from roa2web.dates import today as firm_today
from roa2web.ledger.base import STREAM_BATCH_ROWS, Ledger, Row, as_date
from roa2web.reports.columns import invoice_facts
from roa2web.reports.errors import (
    ReportParameterError,
    check_choice,
    check_date,
    check_date_order,
    check_positive_id,
)
from roa2web.reports.money import to_money
from roa2web.reports.streaming import ReportStream, RunningSums

KINDS = {"sales": "S", "purchases": "P"}
STATUSES = ("unpaid", "overdue", "paid", "all")
MAX_PAGE = 1000


@dataclass(frozen=True, slots=True)
class PartnerRef:
    """The partner an invoice or an aging line belongs to."""

    id: int
    name: str
    cif: str | None


@dataclass(frozen=True, slots=True)
class InvoiceItem:
    """One invoice; money is Decimal with two places."""

    invoice_id: int
    number: str
    issue_date: dt.date
    due_date: dt.date
    partner: PartnerRef
    total: Decimal
    paid: Decimal
    balance: Decimal
    days_overdue: int


@dataclass(frozen=True, slots=True)
class InvoiceTotals:
    """Sums over every invoice matching the filters (all pages)."""

    count: int
    total: Decimal
    paid: Decimal
    balance: Decimal


@dataclass(frozen=True, slots=True)
class InvoicePage:
    """One page of invoices, the totals of the whole filtered set, and the next cursor."""

    kind: str
    status: str
    as_of: dt.date
    items: list[InvoiceItem]
    totals: InvoiceTotals
    next_cursor: str | None


def encode_cursor(issue_date: dt.date, invoice_id: int) -> str:
    """The opaque cursor after the invoice (issue_date, invoice_id)."""
    return base64.urlsafe_b64encode(f"{issue_date.isoformat()}|{invoice_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.date, int]:
    """(issue_date, invoice_id) from a cursor made by `encode_cursor`; ReportParameterError if not one."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        day, invoice_id = raw.split("|")
        return dt.date.fromisoformat(day), int(invoice_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ReportParameterError("cursor", "Nu este un cursor dat de acest raport") from exc


def _item(row: Row, as_of: dt.date) -> InvoiceItem:
    total, paid = int(row["total_bani"]), int(row["paid_bani"] or 0)
    due = as_date(row["due_date"])
    balance = total - paid
    return InvoiceItem(
        invoice_id=int(row["invoice_id"]),
        number=str(row["invoice_number"]),
        issue_date=as_date(row["issue_date"]),
        due_date=due,
        partner=PartnerRef(int(row["partner_id"]), str(row["partner_name"]), row["partner_cif"]),
        total=to_money(total),
        paid=to_money(paid),
        balance=to_money(balance),
        days_overdue=max(0, (as_of - due).days) if balance > 0 else 0,
    )


def _filters(
    company_id: int,
    kind: str,
    status: str,
    partner_id: int | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    as_of: dt.date,
) -> dict[str, Any]:
    check_positive_id("company_id", company_id)
    check_choice("kind", kind, KINDS)
    check_choice("status", status, STATUSES)
    if partner_id is not None:
        check_positive_id("partner_id", partner_id)
    for field, value in (("date_from", date_from), ("date_to", date_to)):
        if value is not None:
            check_date(field, value)
    check_date("as_of", as_of)
    if date_from and date_to:
        check_date_order(date_from, date_to)
    return {
        "company_id": company_id,
        "kind": KINDS[kind],
        "status": status,
        "partner_id": partner_id,
        "date_from": date_from,
        "date_to": date_to,
        "as_of": as_of,
    }


async def list_invoices(
    ledger: Ledger,
    company_id: int,
    kind: str = "sales",
    status: str = "unpaid",
    partner_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    as_of: dt.date | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> InvoicePage:
    """One page of `kind` invoices ('sales' | 'purchases') with `status` (see the module docstring)."""
    as_of = firm_today() if as_of is None else as_of
    binds = _filters(company_id, kind, status, partner_id, date_from, date_to, as_of)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise ReportParameterError("limit", f"Trebuie să fie între 1 și {MAX_PAGE} (nu {limit!r})")
    after_date, after_id = decode_cursor(cursor) if cursor else (None, None)
    rows, totals = await asyncio.gather(
        ledger.fetch("reports.invoices_page", **binds, after_date=after_date, after_id=after_id,
                     page_size=limit + 1),
        ledger.fetch("reports.invoices_totals", **binds),
    )
    items = [_item(row, as_of) for row in rows[:limit]]
    next_cursor = encode_cursor(items[-1].issue_date, items[-1].invoice_id) if len(rows) > limit else None
    total, paid = int(totals[0]["total_bani"] or 0), int(totals[0]["paid_bani"] or 0)
    return InvoicePage(
        kind=kind,
        status=status,
        as_of=as_of,
        items=items,
        totals=InvoiceTotals(int(totals[0]["invoice_count"]), to_money(total), to_money(paid), to_money(total - paid)),
        next_cursor=next_cursor,
    )


async def all_invoices(
    ledger: Ledger,
    company_id: int,
    kind: str = "sales",
    status: str = "unpaid",
    partner_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    as_of: dt.date | None = None,
) -> InvoicePage:
    """Every matching invoice in one result (walks the pages; for exports)."""
    as_of = firm_today() if as_of is None else as_of
    page = await list_invoices(ledger, company_id, kind, status, partner_id, date_from, date_to, as_of, MAX_PAGE)
    items = list(page.items)
    while page.next_cursor:
        page = await list_invoices(
            ledger, company_id, kind, status, partner_id, date_from, date_to, as_of, MAX_PAGE, page.next_cursor
        )
        items.extend(page.items)
    return InvoicePage(kind, status, as_of, items, page.totals, None)


async def invoices_stream(
    ledger: Ledger,
    company_id: int,
    kind: str = "sales",
    status: str = "unpaid",
    partner_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    as_of: dt.date | None = None,
    *,
    batch_rows: int = STREAM_BATCH_ROWS,
) -> ReportStream:
    """Every matching invoice as a stream (for exports): read by cursor a batch at a time, totals summed on the way.

    The count in the facts (and the rows progress is measured against) is the ledger's count
    when the export starts; the totals row is the sum of the rows actually listed.
    """
    as_of = firm_today() if as_of is None else as_of
    binds = _filters(company_id, kind, status, partner_id, date_from, date_to, as_of)
    counted = await ledger.fetch("reports.invoices_totals", **binds)
    expected = int(counted[0]["invoice_count"])
    sums = RunningSums("total", "paid")

    async def batches() -> AsyncIterator[Sequence[InvoiceItem]]:
        async for rows in ledger.stream("reports.invoices_all", batch_rows=batch_rows, **binds):
            items = [_item(row, as_of) for row in rows]
            for row in rows:
                sums.add(total=int(row["total_bani"]), paid=int(row["paid_bani"] or 0))
            yield items
        sums.finished = True

    def totals() -> InvoiceTotals:
        total, paid = sums["total"], sums["paid"]
        return InvoiceTotals(sums.count, to_money(total), to_money(paid), to_money(total - paid))

    return ReportStream(invoice_facts(kind, status, as_of, expected), expected, batches(), totals)
