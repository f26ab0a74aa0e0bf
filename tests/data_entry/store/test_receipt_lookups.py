"""Lookups by supplier CIF find a supplier's receipts whatever spelling of the CIF was entered."""

from __future__ import annotations

import datetime as dt

import pytest

from roa2web.auth.principal import Principal
from roa2web.data_entry.model import PaymentMethod, VatLine
from roa2web.data_entry.store import receipt_lookups

ANA = Principal("u-ana", "ana", "Ana", frozenset({"operator"}), frozenset({2}))
BOGDAN = Principal("u-bogdan", "bogdan", "Bogdan", frozenset({"approver"}), frozenset({2}))
TELECOM = {
    "supplier_name": "DOBROGEA TELECOM SA", "document_number": "88", "receipt_date": dt.date(2025, 12, 10),
    "payment_method": PaymentMethod.CARD, "total_bani": 12100, "vat_lines": (VatLine(21, 10000, 2100),),
    "expense_account": "626", "buyer_cif_present": True,
}


@pytest.fixture
def service(de_app):
    return de_app.extensions["roa2web"].data_entry


async def test_supplier_history_and_duplicates_match_every_spelling_of_a_cif(service):
    receipt = await service.receipts.create(ANA, 2, {**TELECOM, "supplier_cif": "ro-5139.2740"})
    assert receipt.fields.supplier_cif == "RO51392740"
    await service.receipts.submit(ANA, receipt.id)
    await service.receipts.approve(BOGDAN, receipt.id)
    for spelling in ("51392740", "RO 51392740", "ro-51392740"):
        accounts = await receipt_lookups.supplier_expense_accounts(
            service.receipts.db, company_id=2, supplier_cif=spelling, partner_id=None)
        assert accounts == ["626"], spelling
    again = await service.receipts.create(ANA, 2, {**TELECOM, "supplier_cif": "RO 5139 2740"})
    notices = await service.receipts.notices(again)
    assert [(n.kind, n.receipt_ids) for n in notices] == [("duplicate", (receipt.id,))]
