"""What a receipt's fields imply for its other fields, whoever filled them (a person or OCR).

- The supplier's partner: the ledger partner with the receipt's CIF (else the one partner of that
  name) is linked when the CIF or name changes, or while no partner is linked; a partner found
  fills an empty CIF and an empty supplier name.
- The settlement account: one that does not fit a new payment method is dropped, so the receipt is
  paid from that method's usual account (see `entries.PAID_FROM`).

Fields in `kept` (those the person set: in this change, or ever for OCR) are left as they are.
"""

from __future__ import annotations

from collections.abc import Collection

from roa2web.accounting.cif import canonical_cif
from roa2web.data_entry.model import ReceiptFields
from roa2web.data_entry.workflow.entries import fits_payment_method
from roa2web.data_entry.workflow.matching import match_supplier
from roa2web.data_entry.workflow.nomenclature import Nomenclature


async def completed(
    nomenclature: Nomenclature, company_id: int, fields: ReceiptFields, *, changed: Collection[str],
    kept: Collection[str],
) -> ReceiptFields:
    """`fields` with the partner linked and the settlement account following the payment method."""
    if "supplier_partner_id" not in kept and (fields.supplier_cif or fields.supplier_name) and (
        {"supplier_cif", "supplier_name"} & set(changed) or fields.supplier_partner_id is None
    ):
        partner = match_supplier(await nomenclature.partners(company_id), cif=fields.supplier_cif,
                                 name=fields.supplier_name)
        if partner is not None:
            fields = fields.merged({"supplier_partner_id": partner.partner_id})
            if not fields.supplier_cif and partner.cif and "supplier_cif" not in kept:
                fields = fields.merged({"supplier_cif": canonical_cif(partner.cif)})
            if not fields.supplier_name and partner.name and "supplier_name" not in kept:
                fields = fields.merged({"supplier_name": partner.name})
    if "settlement_account" not in kept and not fits_payment_method(fields):
        fields = fields.merged({"settlement_account": None})
    return fields
