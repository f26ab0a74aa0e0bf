"""Receipts: create, read, list, edit, delete and move through the workflow (no HTTP here).

Every method takes the caller (`Principal`) and enforces company rights, the creator/operator rule
and four eyes; roles themselves are checked at the door. Writes go through `store`, whose state
changes are conditional UPDATEs on the version the decision was made on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from roa2web.accounting.cif import canonical_cif
from roa2web.appdb import AppDatabase
from roa2web.auth.principal import Principal
from roa2web.companies import is_period_closed
from roa2web.data_entry.errors import Conflict, FieldError, NoExchangeRate, NotFound, ValidationFailed
from roa2web.data_entry.labels import STATE_LABELS
from roa2web.data_entry.model import FIELD_NAMES, Actor, HistoryEntry, Receipt, ReceiptFields, State, utc_now
from roa2web.data_entry.store import receipt_lookups, receipt_store
from roa2web.data_entry.workflow.completion import completed
from roa2web.data_entry.workflow.entries import (
    Entries,
    EntriesUnavailable,
    ExchangeRateMissing,
    limit_matters,
    receipt_entries,
)
from roa2web.data_entry.workflow.exchange import EurRate, EurRateLookup
from roa2web.data_entry.workflow.nomenclature import Nomenclature
from roa2web.data_entry.workflow.rules import (
    EDITABLE,
    ensure_can_decide,
    ensure_can_edit,
    ensure_can_read,
    ensure_state,
    transition_for,
)
from roa2web.data_entry.workflow.validation import closed_period_error, field_errors, missing_for_submission
from roa2web.dates import today as firm_today
from roa2web.ledger.base import Ledger, LedgerError

_EDIT_RETRIES = 5


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user should look at (not an error): e.g. a probable duplicate."""

    kind: str
    message: str
    receipt_ids: tuple[str, ...] = ()


def actor_of(principal: Principal) -> Actor:
    """The audit identity of a caller."""
    return Actor(principal.user_id, principal.username, principal.display_name)


class ReceiptService:
    """The receipt workflow over the data-entry database and the ledger."""

    def __init__(
        self, db: AppDatabase, ledger: Ledger, nomenclature: Nomenclature, *, eur_rate: EurRateLookup,
        today: Callable[[], dt.date] = firm_today,
    ) -> None:
        """The workflow over `db` and `ledger`.

        `eur_rate` finds the BNR EUR rate published before a receipt's date (the 100 EUR limit). `today` is the
        firm's date (Europe/Bucharest) whatever the server's clock zone: a receipt of today is never "in the
        future" on a server running in UTC.
        """
        self.db = db
        self.ledger = ledger
        self.nomenclature = nomenclature
        self.eur_rate = eur_rate
        self.today = today

    # --- reading
    async def get(self, principal: Principal, receipt_id: str) -> Receipt:
        """A receipt the caller may see; another company's is NotFound, as if it did not exist (no hint it does)."""
        receipt = await receipt_store.get_receipt(self.db, receipt_id)
        if receipt is None or not principal.may_see_company(receipt.company_id):
            raise NotFound(f"Nu există bonul {receipt_id}.")
        return receipt

    async def search(
        self, principal: Principal, where: receipt_store.ReceiptFilter, *, after: tuple[dt.datetime, str] | None,
        limit: int,
    ) -> tuple[list[Receipt], bool]:
        """A page of receipts, restricted to the companies the caller may see."""
        visible = principal.company_ids
        if visible is not None:
            wanted = visible if where.company_ids is None else where.company_ids & visible
            where = replace(where, company_ids=wanted)
        return await receipt_store.list_receipts(self.db, where, after=after, limit=limit)

    async def history(self, principal: Principal, receipt_id: str) -> list[HistoryEntry]:
        """Every transition and change of a receipt, oldest first."""
        await self.get(principal, receipt_id)
        return await receipt_store.list_history(self.db, receipt_id)

    async def notices(self, receipt: Receipt) -> list[Notice]:
        """Warnings about a receipt: a probable duplicate; no BNR rate for the 100 EUR limit when it matters."""
        return await self._duplicates(receipt) + await self._missing_rate(receipt)

    async def _duplicates(self, receipt: Receipt) -> list[Notice]:
        """Another receipt with the same supplier CIF, number and date."""
        fields = receipt.fields
        if not (fields.supplier_cif and fields.document_number and fields.receipt_date):
            return []
        others = await receipt_lookups.find_duplicates(
            self.db, company_id=receipt.company_id, supplier_cif=fields.supplier_cif,
            document_number=fields.document_number, receipt_date=fields.receipt_date, exclude_id=receipt.id)
        if not others:
            return []
        count = "Un alt bon are" if len(others) == 1 else f"Alte {len(others)} bonuri au"
        return [Notice("duplicate", f"{count} același CIF al furnizorului, același număr și aceeași dată.",
                       tuple(others))]

    async def _missing_rate(self, receipt: Receipt) -> list[Notice]:
        """No EUR rate before the receipt's date, while the 100 EUR limit decides its VAT."""
        fields = receipt.fields
        if fields.receipt_date is None or not limit_matters(fields, vat_payer=True):
            return []
        if await self.eur_rate(fields.receipt_date) is not None:
            return []
        try:
            company = await self.nomenclature.company(receipt.company_id)
        except LedgerError:
            company = None  # the ledger is down: say it, rather than hide it for a company that may pay VAT
        if company is not None and not company.vat_payer:
            return []
        return [Notice("exchange-rate-missing", str(ExchangeRateMissing(fields.receipt_date)))]

    async def rate_for(self, fields: ReceiptFields, *, vat_payer: bool) -> EurRate | None:
        """The EUR rate the receipt's 100 EUR limit is converted at, when it matters (None when it does not).

        Raises NoExchangeRate when it matters and the app database has no rate for the last banking day
        before the receipt's date (within the lookup's window).
        """
        if not limit_matters(fields, vat_payer=vat_payer) or fields.receipt_date is None:
            return None
        rate = await self.eur_rate(fields.receipt_date)
        if rate is None:
            raise NoExchangeRate(str(ExchangeRateMissing(fields.receipt_date)))
        return rate

    async def entries(self, principal: Principal, receipt_id: str) -> Entries:
        """The balanced accounting entries of a receipt."""
        receipt = await self.get(principal, receipt_id)
        company = await self.nomenclature.company(receipt.company_id)
        if company is None:
            raise Conflict(f"Contabilitatea nu are firma {receipt.company_id}.", kind="unknown-company")
        try:
            rate = await self.rate_for(receipt.fields, vat_payer=company.vat_payer)
            return receipt_entries(receipt.fields, vat_payer=company.vat_payer,
                                   ron_per_eur=rate.ron_per_eur if rate else None)
        except EntriesUnavailable as error:
            raise Conflict(str(error), kind="receipt-incomplete") from None

    # --- validation
    async def prepare(self, company_id: int, current: ReceiptFields, changes: dict[str, Any]) -> ReceiptFields:
        """`current` with `changes` applied and completed (partner, settlement account), validated (400 if not)."""
        merged = current.merged(changes)
        if merged.supplier_cif:
            merged = merged.merged({"supplier_cif": canonical_cif(merged.supplier_cif)})
        errors: list[FieldError] = []
        if "supplier_partner_id" in changes and merged.supplier_partner_id is not None:
            partner = await self.nomenclature.partner(company_id, merged.supplier_partner_id)
            if partner is None:
                errors.append(FieldError(("supplier_partner_id",), "Firma nu are acest partener în contabilitate",
                                         "partner_unknown"))
            else:
                cif = merged.supplier_cif if "supplier_cif" in changes else partner.cif
                merged = merged.merged({
                    "supplier_name": merged.supplier_name if "supplier_name" in changes else partner.name,
                    "supplier_cif": canonical_cif(cif) if cif else cif,
                })
        merged = await completed(self.nomenclature, company_id, merged, changed=changes.keys(), kept=changes.keys())
        errors += await self.field_errors(company_id, merged)
        if errors:
            raise ValidationFailed(errors)
        return merged

    async def field_errors(self, company_id: int, fields: ReceiptFields) -> list[FieldError]:
        """The rules `fields` break, the closed-period rule included."""
        errors = field_errors(fields, today=self.today())
        if fields.receipt_date is not None and await is_period_closed(self.ledger, company_id, fields.receipt_date):
            errors.append(closed_period_error())
        return errors

    # --- writing
    async def create(
        self, principal: Principal, company_id: int, changes: dict[str, Any], *, source: str = "manual"
    ) -> Receipt:
        """A new DRAFT receipt for a company the caller may see."""
        ensure_can_read(principal, company_id)
        if await self.nomenclature.company(company_id) is None:
            raise ValidationFailed([FieldError(("company_id",), "Contabilitatea nu are această firmă",
                                               "company_unknown")])
        fields = await self.prepare(company_id, ReceiptFields(), changes)
        receipt_id = await receipt_store.insert_receipt(
            self.db, company_id=company_id, fields=fields, source=source, actor=actor_of(principal),
            edited_fields=changes.keys())
        return await self._reload(receipt_id)

    async def update(
        self, principal: Principal, receipt_id: str, changes: dict[str, Any], *, expected_version: int | None = None
    ) -> Receipt:
        """Change fields of a DRAFT or REJECTED receipt; the changed fields become user-owned (OCR keeps off)."""
        for _ in range(_EDIT_RETRIES):
            receipt = await self.get(principal, receipt_id)
            ensure_can_edit(principal, receipt)
            ensure_state(receipt, EDITABLE, "edit")
            if expected_version is not None and receipt.version != expected_version:
                raise Conflict(f"Bonul a fost modificat între timp (versiunea {receipt.version}, nu "
                               f"{expected_version}); reîncărcați-l.", kind="stale-version")
            fields = await self.prepare(receipt.company_id, receipt.fields, changes)
            changed = {name: getattr(fields, name) for name in FIELD_NAMES
                       if getattr(fields, name) != getattr(receipt.fields, name)}
            if await receipt_store.update_fields(self.db, receipt, changed, states=EDITABLE,
                                         edited_fields=receipt.edited_fields | set(changes),
                                         actor=actor_of(principal)):
                return await self._reload(receipt_id)
            if expected_version is not None:
                break
        raise Conflict("Bonul s-a modificat în timp ce era salvat; reîncărcați-l.", kind="stale-version")

    async def delete(self, principal: Principal, receipt_id: str) -> list[str]:
        """Delete a DRAFT; returns the storage paths of its files for the caller to remove."""
        receipt = await self.get(principal, receipt_id)
        ensure_can_edit(principal, receipt)
        ensure_state(receipt, frozenset({State.DRAFT}), "delete")
        paths = await receipt_store.delete_draft(self.db, receipt, actor_of(principal))
        if paths is None:
            raise Conflict("Între timp bonul nu mai este ciornă.")
        return paths

    async def submit(self, principal: Principal, receipt_id: str, comment: str | None = None) -> Receipt:
        """DRAFT or REJECTED → PENDING, once the receipt is complete and valid."""
        receipt = await self.get(principal, receipt_id)
        ensure_can_edit(principal, receipt)
        step = transition_for("submit", receipt)
        errors = missing_for_submission(receipt.fields) + await self.field_errors(receipt.company_id, receipt.fields)
        if errors:
            raise ValidationFailed(errors, "Bonul nu este gata de trimis spre aprobare.")
        values = {"submitted_at": utc_now(), "submitted_by": principal.user_id,
                  "submitted_by_name": actor_of(principal).name,
                  "rejection_reason": None, "decided_by": None, "decided_at": None}
        return await self._move(receipt, principal, step.action, comment, values)

    async def approve(self, principal: Principal, receipt_id: str, comment: str | None = None) -> Receipt:
        """PENDING → APPROVED, by an approver who did not create, last edit or submit it, into an open period."""
        receipt = await self.get(principal, receipt_id)
        ensure_can_decide(principal, receipt, "approve")
        step = transition_for("approve", receipt)
        day = receipt.fields.receipt_date
        if day is not None and await is_period_closed(self.ledger, receipt.company_id, day):
            raise Conflict(f"Luna din {day:%d.%m.%Y} s-a închis; respingeți bonul ca să poată primi altă dată.",
                           kind="period-closed")
        if limit_matters(receipt.fields, vat_payer=True):  # the company's VAT status asked only then
            company = await self.nomenclature.company(receipt.company_id)
            await self.rate_for(receipt.fields, vat_payer=bool(company and company.vat_payer))
        values = {"decided_by": principal.user_id, "decided_at": utc_now()}
        return await self._move(receipt, principal, step.action, comment, values, four_eyes=True)

    async def reject(self, principal: Principal, receipt_id: str, reason: str) -> Receipt:
        """PENDING → REJECTED with a reason the creator sees."""
        if not reason.strip():
            raise ValidationFailed([FieldError(("reason",), "Un bon se respinge doar cu un motiv", "missing")])
        receipt = await self.get(principal, receipt_id)
        ensure_can_decide(principal, receipt, "reject")
        step = transition_for("reject", receipt)
        values = {"rejection_reason": reason.strip(), "decided_by": principal.user_id, "decided_at": utc_now()}
        return await self._move(receipt, principal, step.action, reason.strip(), values)

    async def _move(
        self, receipt: Receipt, principal: Principal, action: str, comment: str | None, values: dict[str, Any],
        *, four_eyes: bool = False,
    ) -> Receipt:
        step = transition_for(action, receipt)
        moved = await receipt_store.transition(
            self.db, receipt, sources=step.sources, target=step.target, actor=actor_of(principal), action=action,
            comment=comment, values=values, not_involved=principal.user_id if four_eyes else None)
        if not moved:
            raise Conflict(f"Bonul s-a modificat între timp; nu a putut deveni {STATE_LABELS[step.target]}.")
        return await self._reload(receipt.id)

    async def _reload(self, receipt_id: str) -> Receipt:
        receipt = await receipt_store.get_receipt(self.db, receipt_id)
        if receipt is None:
            raise NotFound(f"Nu există bonul {receipt_id}.")
        return receipt
